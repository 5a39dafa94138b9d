"""Property-based: every operation of the generated OpenAPI schema, called on the live test server with
data schemathesis generates from the schema, as several roles (each with its own token), against a small
world of records built through the services. No answer is a 5xx; every answer's status, content type and
body match what the schema documents. Bounded: a few examples per operation, no shrinking, no deadline."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.throttling import TokenRateThrottle
from core.models import User
from tests.api.conftest import CANARIES, World, token_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 4  # per operation and role, once with generated path values and once with the world's records


def _schema() -> Any:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(generated)


def _known_records(world: World) -> Callable[[str], dict[str, Any] | None]:
    """Path values that name real records, so the operations act on something and not only answer 404."""
    by_prefix: dict[str, dict[str, Any]] = {
        "/api/v1/cases/{id}": {"id": world.case.pk},
        "/api/v1/hearings/{id}": {"id": world.hearing.pk},
        "/api/v1/counts/{id}": {"id": world.charges[0].pk},
        "/api/v1/victims/{code}": {"code": world.victim.code},
        "/api/v1/witnesses/{code}": {"code": world.witness.code},
    }

    def known(path: str) -> dict[str, Any] | None:
        for prefix, values in by_prefix.items():
            if path.startswith(prefix):
                return values
        return None

    return known


def _exercise(operation: Any, base_url: str, headers: dict[str, str], path_values: dict[str, Any] | None) -> None:
    strategy = operation.as_strategy(path_parameters=path_values) if path_values else operation.as_strategy()

    @settings(
        max_examples=EXAMPLES,
        # The same examples every run, so CI cannot go red on a roll of the dice; API_FUZZ_RANDOM=1 explores.
        derandomize=os.environ.get("API_FUZZ_RANDOM") != "1",
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers)
        case.validate_response(response, checks=CHECKS)
        for canary in CANARIES:
            assert canary not in response.text, f"{operation.label}: an identity in the answer"

    run()


@pytest.mark.parametrize("persona", ["prosecutor", "unit_head", "fund_admin"])
def test_every_operation_answers_as_documented(
    live_server: Any, world: World, request: pytest.FixtureRequest, persona: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "100000/minute"})
    user: User = request.getfixturevalue(persona)
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    known = _known_records(world)
    failures: list[str] = []
    operations = [result.ok() for result in _schema().get_all_operations()]
    assert len(operations) >= 12  # the prosecutions side's reads and writes at least
    for operation in operations:
        for path_values in (None, known(operation.path)):
            if path_values is None and operation.path_parameters and known(operation.path) is None:
                pass  # only generated values exist for this path
            try:
                _exercise(operation, live_server.url, headers, path_values)
            except Exception as failure:  # noqa: BLE001  # collect every operation's failure, then report all
                failures.append(f"{operation.label} as {persona}: {failure}")
            if path_values is None and known(operation.path) is None:
                break
    assert not failures, "\n\n".join(failures)
