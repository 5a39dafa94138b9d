"""Stale forms never win: every form about a record carries the version of what it showed, and a form sent
after the record changed is refused with what changed, by whom and when — and nothing is saved.

The generic half of the feature (``core.versioning`` and ``RecordFormView``): every record form of every
app renders its version; a missing, malformed or forged version is refused; two saves in one clock tick
are two versions; a form with other errors still says the record changed; and two users sending the same
form at once on PostgreSQL save exactly one of them. Each app's own forms are covered in its folder
(``tests/<app>/test_stale_forms.py``).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from core.models import User
from core.roles import Role
from core.versioning import VERSION_FIELD, Versioned, refusal, version_token
from core.views.generic import RecordFormView
from prosecutions import services
from prosecutions.models import Case
from tests.core.test_access_generated import PAGES, ROUTE_ARGS, Side, World, declared_access, world  # noqa: F401
from tests.factories import UserFactory
from tests.helpers import FormClient, post_refused, run_at_once
from tests.prosecutions.factories import charged_case, make_case

# Forms about a record that change nothing, and so carry no version (each with its reason).
NOT_VERSIONED = {
    "witnesses:identity_reveal": "records a reading of the identity; changes no record",
    "victims:identity_reveal": "records a reading of the victim's identity; changes no record",
    **{
        name: "adds a document to the record and depends on none of its fields (the same file twice is refused "
        "by its hash, under the record's lock)"
        for name in PAGES
        if name.startswith("documents:") and name.endswith("_upload")
    },
}

RECORD_FORMS: dict[str, URLPattern] = {
    name: pattern
    for name, pattern in PAGES.items()
    if issubclass(getattr(pattern.callback, "view_class", object), RecordFormView)
}

# Record forms whose records tests/core/test_access_generated.py does not name yet (the role grants).
MORE_ROUTE_ARGS: dict[str, Callable[[Side], dict[str, int]]] = {
    "core:grant_approve": lambda s: {"pk": s.pending_grant_pk},
    "core:grant_reject": lambda s: {"pk": s.pending_grant_pk},
    "core:grant_revoke": lambda s: {"pk": s.granted_grant_pk},
}

HIDDEN_VERSION = re.compile(r'<input type="hidden" name="record_version" value="([^"]*)"')


def test_the_walk_finds_the_record_forms_of_every_app() -> None:
    apps = {name.split(":")[0] for name in RECORD_FORMS}
    assert {"prosecutions", "assets", "trustfund", "witnesses"} <= apps
    assert len(RECORD_FORMS) >= 35


@pytest.mark.parametrize("name", sorted(RECORD_FORMS))
def test_every_record_form_carries_the_version_of_what_it_shows(world: World, db: None, name: str) -> None:  # noqa: F811
    pattern = RECORD_FORMS[name]
    view_class: Any = pattern.callback.view_class  # type: ignore[attr-defined]
    route_args = ROUTE_ARGS.get(name) or MORE_ROUTE_ARGS.get(name)
    assert route_args, f"{name}: name its records in ROUTE_ARGS (tests/core/test_access_generated.py)"
    access = declared_access(pattern)
    role = next(role for role in world.users if access.expected(role, in_reach=True) == 200)
    client = Client()
    client.force_login(world.users[role])
    response = client.get(reverse(name, kwargs=dict(route_args(world.within))))
    assert response.status_code == 200
    html = response.content.decode()
    if name in NOT_VERSIONED:
        assert not view_class.versioned
        assert VERSION_FIELD not in html
        return
    assert view_class.versioned, f"{name} ({view_class.__name__}) changes a record but carries no version"
    found = HIDDEN_VERSION.search(html)
    assert found, f"{name} ({view_class.__name__}) renders no {VERSION_FIELD} field"
    parts = response.context["view"].get_version_parts()
    assert parts, f"{name}: the form depends on no record"
    assert re.fullmatch(r"\d+(\.\d+)*", found.group(1))
    assert refusal(parts, found.group(1)) is None, "the version shown must be the record's current one"


# --- the version itself ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_saves_in_the_same_clock_tick_are_two_versions(prosecutor: User, other_prosecutor: User) -> None:
    case = make_case(prosecutor)
    part = Versioned.of(case, noun=f"case {case.reference}")
    tick = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=tick):
        services.update_case_details(case, prosecutor, title="Republic v. John Mwangi and another")
        first = version_token([part])
        services.update_case_details(case, prosecutor, title="Republic v. John Mwangi and 2 others")
        second = version_token([part])
    case.refresh_from_db()
    assert case.updated_at == tick  # updated_at could not tell the two saves apart
    assert first != second
    problem = refusal([part], first)
    assert problem is not None
    assert "title changed from Republic v. John Mwangi and another to Republic v. John Mwangi and 2 others" in problem


@pytest.mark.django_db
def test_a_version_is_checked_against_the_record_it_belongs_to(prosecutor: User) -> None:
    case, other = make_case(prosecutor), make_case(prosecutor, title="Republic v. Other")
    part = Versioned.of(case, noun=f"case {case.reference}")
    assert refusal([part], version_token([part])) is None
    never_had = f"carried a version that case {case.reference} never had"
    assert never_had in (refusal([part], version_token([Versioned.of(other, noun="x")])) or "")
    assert never_had in (refusal([part], "99999999999") or "")
    assert never_had in (refusal([part], "12.34") or "")
    assert never_had in (refusal([part], "-1") or "")
    assert "did not say which version" in (refusal([part], "") or "")
    assert "did not say which version" in (refusal([part], None) or "")


# --- through a real form -------------------------------------------------------------------------


def edit_url(case: Case) -> str:
    return reverse("prosecutions:case_edit", args=[case.pk])


def case_details(case: Case, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": case.title,
        "county": case.county_id,
        "court": case.court_id or "",
        "court_case_type": case.court_case_type,
        "court_case_serial": case.court_case_serial,
        "court_case_year": case.court_case_year or "",
        "scope": case.scope,
        "summary": case.summary,
    }
    data.update(changes)
    return data


@pytest.fixture
def signed_in(client: FormClient, prosecutor: User) -> FormClient:
    client.force_login(prosecutor)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("version", "words"),
    [
        ("", "This form did not say which version of case"),
        ("99999999", "This form carried a version that case"),
        ("1.2", "This form carried a version that case"),
        ("<script>", "This form carried a version that case"),
    ],
)
def test_a_missing_or_forged_version_is_refused(
    signed_in: FormClient, prosecutor: User, version: str, words: str
) -> None:
    case = make_case(prosecutor)
    data = case_details(case, title="Republic v. Forged", record_version=version)
    post_refused(signed_in, edit_url(case), data, None, words, "prosecutions")
    case.refresh_from_db()
    assert case.title == "Republic v. John Mwangi"


@pytest.mark.django_db
def test_a_version_from_another_case_is_refused(signed_in: FormClient, prosecutor: User) -> None:
    case, other = make_case(prosecutor), make_case(prosecutor, title="Republic v. Other")
    borrowed = signed_in.version_shown(edit_url(other))
    data = case_details(case, title="Republic v. Borrowed", record_version=borrowed)
    post_refused(
        signed_in, edit_url(case), data, None, f"a version that case {case.reference} never had", "prosecutions"
    )


@pytest.mark.django_db
def test_a_form_with_other_errors_still_says_the_case_changed_and_then_carries_the_new_version(
    signed_in: FormClient, prosecutor: User, unit_head: User
) -> None:
    case = make_case(prosecutor)
    opened = signed_in.version_shown(edit_url(case))
    services.update_case_details(case, unit_head, title="Republic v. John Mwangi and another")

    response = signed_in.post(edit_url(case), case_details(case, title="", record_version=opened))
    form = response.context["form"]
    assert form.errors["title"]
    stale = " ".join(form.non_field_errors())
    assert (
        f"Case {case.reference} changed since you opened the form: title changed from Republic v. John Mwangi to "
        "Republic v. John Mwangi and another by Wanjiru Kamau at " in stale
    )
    shown = form[VERSION_FIELD].value()
    assert shown != opened
    assert HIDDEN_VERSION.search(response.content.decode()).group(1) == shown  # type: ignore[union-attr]

    # Told what changed, the user sends the form again: it applies to the case as it now is.
    response = signed_in.post(edit_url(case), case_details(case, title="Republic v. Mwangi", record_version=shown))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Republic v. Mwangi"


@pytest.mark.django_db
def test_a_form_with_other_errors_keeps_the_version_it_was_opened_on(signed_in: FormClient, prosecutor: User) -> None:
    """Fixing a typo must not quietly move the form onto a newer version the user was never told about."""
    case = make_case(prosecutor)
    opened = signed_in.version_shown(edit_url(case))
    response = signed_in.post(edit_url(case), case_details(case, title="", record_version=opened))
    assert response.context["form"][VERSION_FIELD].value() == opened
    assert not response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_the_refusal_names_the_day_when_the_change_was_not_today(signed_in: FormClient, prosecutor: User) -> None:
    case = make_case(prosecutor)
    opened = signed_in.version_shown(edit_url(case))
    yesterday = timezone.now() - dt.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=yesterday):
        services.update_case_details(case, prosecutor, summary="Recruited in Busia.")
    local = timezone.localtime(yesterday)
    post_refused(
        signed_in,
        edit_url(case),
        case_details(case, title="Republic v. Later", record_version=opened),
        None,
        f"summary changed from — to Recruited in Busia. by Achieng Otieno on {local.day} {local:%b %Y} "
        f"at {local:%H:%M}",
        "prosecutions",
    )


# --- at the same moment ----------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_users_sending_the_same_form_at_once_save_exactly_one() -> None:
    """Both opened the form on the same version. The check runs under the case's row lock in the service's
    transaction, so the second waits for the first to commit and then sees its change: exactly one edit is
    saved and the other is refused with what the first changed — never both applied one over the other."""
    assert connection.vendor == "postgresql"
    lead = UserFactory.create(username="lead", first_name="Achieng", last_name="Otieno", roles=[Role.PROSECUTOR])
    colleague = UserFactory.create(username="team", first_name="Brian", last_name="Kiprotich", roles=[Role.PROSECUTOR])
    case = charged_case(lead, team=[colleague], opened_days_ago=200)
    clients = {}
    for user in (lead, colleague):
        clients[user.username] = FormClient()
        clients[user.username].force_login(user)
    opened = clients["lead"].version_shown(edit_url(case))
    assert opened == clients["team"].version_shown(edit_url(case))
    before = case.history.count()
    outcomes: list[tuple[str, int, str]] = []
    lock = threading.Lock()
    queue = ["lead", "team"]

    def send() -> None:
        with lock:
            who = queue.pop()
        response = clients[who].post(
            edit_url(case), case_details(case, title=f"Republic v. Mwangi ({who})", record_version=opened)
        )
        # The page, not response.context: template signals are not per thread.
        errors = response.content.decode() if response.status_code == 200 else ""
        with lock:
            outcomes.append((who, response.status_code, errors))

    run_at_once(send, 2, timeout=60)

    assert sorted(status for _, status, _ in outcomes) == [200, 302]
    saved = next(who for who, status, _ in outcomes if status == 302)
    refused_errors = next(errors for _, status, errors in outcomes if status == 200)
    assert (
        f"changed since you opened the form: title changed from Republic v. John Mwangi to Republic v. Mwangi ({saved})"
        in refused_errors
    )
    case.refresh_from_db()
    assert case.title == f"Republic v. Mwangi ({saved})"
    assert case.history.count() == before + 1
