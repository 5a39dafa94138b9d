"""Nothing is attached to a closed case — accused, counts, victims, hearings — by anyone, the unit head
included, until the unit head reopens it: each service refuses with ``CaseClosed`` and saves nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from prosecutions import services
from prosecutions.exceptions import CaseClosed
from prosecutions.models import Accused, Case
from tests.helpers import table_counts
from tests.prosecutions.factories import charged_case, court, days_ago, offence

pytestmark = pytest.mark.django_db

ATTACH: dict[str, Callable[[Case, Accused, Any], Any]] = {
    "accused": lambda case, accused, user: services.add_accused(case, user, name="Jane Doe", network_role="other"),
    "count": lambda case, accused, user: services.add_charge(
        accused, user, count_number=9, offence=offence("7"), offence_date=days_ago(250)
    ),
    "victim": lambda case, accused, user: services.add_victim(
        case, user, exploitation_type="forced_labour", identified_on=days_ago(100)
    ),
    "hearing": lambda case, accused, user: services.record_hearing(
        case, user, date=days_ago(-3), purpose="mention", court=court()
    ),
}


@pytest.mark.parametrize("what", sorted(ATTACH))
def test_nothing_is_attached_to_a_closed_case(what: str, prosecutor: Any, unit_head: Any) -> None:
    case = charged_case(prosecutor)
    accused = Accused.objects.get(case=case)
    services.move_stage(case, prosecutor, "closed", closure_reason="withdrawn", effective_on=days_ago(1))
    before = table_counts("prosecutions")
    for user in (prosecutor, unit_head):
        with pytest.raises(CaseClosed, match="is closed and read-only"):
            ATTACH[what](case, accused, user)
    assert table_counts("prosecutions") == before
