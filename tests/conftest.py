"""Named personas for every role, plus a stranger with none (Healthchecks' alice/bob/charlie habit).

Domain apps add their own scoped personas (a prosecutor on the case, one not on it) in their folders.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.models import User
from core.roles import Role
from tests.factories import UserFactory
from tests.helpers import FormClient


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` are skipped, before any database work, when not on PostgreSQL; tests marked
    ``one_database`` (browser checks that touch nothing database-specific) run on SQLite only, so CI does
    not repeat them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        once = pytest.mark.skip(reason="checks nothing database-specific: run on SQLite only")
        for item in items:
            if item.get_closest_marker("one_database"):
                item.add_marker(once)
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete() -> Iterator[None]:
    """Transactional tests end with a flush; on PostgreSQL it deletes rather than truncates (``tests.flush``)."""
    from tests.flush import flushing_by_delete

    with flushing_by_delete():
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Production hashing is slow on purpose; tests that sign in dozens of times need not be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_reference_choices() -> None:
    """Filters cache reference-data choices per process (``core.filters.ReferenceChoices``); a test's rows
    are rolled back without a signal, so each test starts from a fresh read."""
    from core.filters import clear_reference_choices

    clear_reference_choices()


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Checkpoints a test's verification writes go to a folder of its own, never the developer's .local/."""
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Documents a test attaches are stored in a folder of its own, never the developer's DOCUMENT_ROOT."""
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _two_factor_not_required(settings: Any) -> None:
    """Most tests sign in with ``client.force_login``, which has no second step: the requirement to use
    two-factor sign-in (on in every deployment) is off unless a test turns it on, as
    ``tests/core/test_twofactor.py`` does. A user who has enrolled is still asked for a code."""
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def _session_written_at_sign_in_only(settings: Any) -> None:
    """A page writes the session when its idle expiry would move by more than a minute (``core.sessions``):
    a test slower than that between two requests would see the write among a page's queries. Here the
    expiry moves only when it lags by ten minutes; ``tests/core/test_auth.py`` sets the minute back."""
    settings.SESSION_REFRESH_SECONDS = 600


@pytest.fixture
def client() -> FormClient:
    """pytest-django's client, posting to a record's form as a browser does: with the version of the record
    the form page carried when it was opened (``tests.helpers.FormClient``)."""
    return FormClient()


@pytest.fixture
def prosecutor(db: None) -> User:
    return UserFactory.create(username="achieng", first_name="Achieng", last_name="Otieno", roles=[Role.PROSECUTOR])


@pytest.fixture
def other_prosecutor(db: None) -> User:
    return UserFactory.create(username="brian", first_name="Brian", last_name="Kiprotich", roles=[Role.PROSECUTOR])


@pytest.fixture
def unit_head(db: None) -> User:
    return UserFactory.create(username="wanjiru", first_name="Wanjiru", last_name="Kamau", roles=[Role.UNIT_HEAD])


@pytest.fixture
def liaison(db: None) -> User:
    return UserFactory.create(username="hassan", first_name="Hassan", last_name="Abdi", roles=[Role.WITNESS_LIAISON])


@pytest.fixture
def fund_admin(db: None) -> User:
    return UserFactory.create(username="grace", first_name="Grace", last_name="Wambui", roles=[Role.FUND_ADMINISTRATOR])


@pytest.fixture
def fund_approver(db: None) -> User:
    return UserFactory.create(username="peter", first_name="Peter", last_name="Mwangi", roles=[Role.FUND_APPROVER])


@pytest.fixture
def auditor(db: None) -> User:
    return UserFactory.create(username="faith", first_name="Faith", last_name="Njeri", roles=[Role.AUDITOR])


@pytest.fixture
def access_admin(db: None) -> User:
    return UserFactory.create(
        username="mercy", first_name="Mercy", last_name="Chebet", roles=[Role.ACCESS_ADMINISTRATOR]
    )


@pytest.fixture
def second_access_admin(db: None) -> User:
    return UserFactory.create(
        username="joseph", first_name="Joseph", last_name="Mutua", roles=[Role.ACCESS_ADMINISTRATOR]
    )


@pytest.fixture
def victim_services_officer(db: None) -> User:
    return UserFactory.create(
        username="amina", first_name="Amina", last_name="Hussein", roles=[Role.VICTIM_SERVICES_OFFICER]
    )


@pytest.fixture
def stranger(db: None) -> User:
    """Signed in, but holding no role at all."""
    return UserFactory.create(username="stranger", first_name="Sam", last_name="Stranger")


@pytest.fixture
def multi_role(db: None) -> User:
    return UserFactory.create(
        username="daniel", first_name="Daniel", last_name="Ouma", roles=[Role.PROSECUTOR, Role.WITNESS_LIAISON]
    )
