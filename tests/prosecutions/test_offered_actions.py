"""Offering an action is decided by the same rule that accepts it.

For a case at every stage (and at the points within pre-trial where the procedure forks) this walks the
case-level actions the case page offers — each button of the case header, the hearing button of the
Hearings tab, and each stage in the stage form's list — and sends the form with valid input: an action is
offered exactly when the POST succeeds. Each attempt runs in a savepoint rolled back afterwards, so every
action is tried on the same case. The per-count links of the Accused & charges tab — plea, outcome,
sentence, add a count — are walked the same way, on the first count they could apply to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from core.models import User
from prosecutions import services
from prosecutions.choices import ClosureReason, Disposition, Plea, Stage
from prosecutions.models import Case, Charge
from tests.helpers import FormClient
from tests.prosecutions.factories import (
    case_at_judgment,
    case_at_trial,
    charged_case,
    court,
    days_ago,
    make_accused,
    make_case,
    make_charge,
)

pytestmark = pytest.mark.django_db

TODAY = days_ago(0).isoformat()


def _counts(case: Case) -> list[Charge]:
    return list(Charge.objects.filter(accused__case=case).order_by("count_number"))


def _plead(case: Case, user: User, plea: str) -> Case:
    for charge in _counts(case):
        services.record_plea(charge, user, plea=plea, plea_date=days_ago(20))
    return case


def _investigation(user: User) -> Case:
    case = make_case(user, court_case_serial="E7", court_case_year=2026)
    make_charge(make_accused(case, user), user)
    return case


def _charging_decision(user: User, *, registered: bool) -> Case:
    case = make_case(user, court_case_serial="E8" if registered else "", court_case_year=2026)
    make_charge(make_accused(case, user), user)
    services.move_stage(case, user, Stage.CHARGING_DECISION, effective_on=days_ago(190))
    return case


def _convicted_on_plea(user: User) -> Case:
    case = _plead(charged_case(user), user, Plea.GUILTY)
    for charge in _counts(case):
        services.record_disposition(
            charge, user, disposition=Disposition.CONVICTED_OWN_PLEA, disposition_date=days_ago(15)
        )
    return case


def _moved(build: Callable[[User], Case], stage: Stage, **kwargs: Any) -> Callable[[User], Case]:
    def builder(user: User) -> Case:
        case = build(user)
        services.move_stage(case, user, stage, effective_on=days_ago(50), **kwargs)
        return case

    return builder


CASES: dict[str, Callable[[User], Case]] = {
    "investigation": _investigation,
    "charging-decision-not-registered-in-court": lambda u: _charging_decision(u, registered=False),
    "charging-decision-registered-in-court": lambda u: _charging_decision(u, registered=True),
    "pre-trial-no-pleas": charged_case,
    "pre-trial-not-guilty": lambda u: _plead(charged_case(u), u, Plea.NOT_GUILTY),
    "pre-trial-guilty-to-every-count": lambda u: _plead(charged_case(u), u, Plea.GUILTY),
    "pre-trial-plea-agreement": lambda u: _plead(charged_case(u), u, Plea.GUILTY_PLEA_AGREEMENT),
    "pre-trial-convicted-on-plea": _convicted_on_plea,
    "trial": case_at_trial,
    "judgment-convicted": case_at_judgment,
    "judgment-acquitted": lambda u: case_at_judgment(u, convict=False),
    "sentencing": _moved(case_at_judgment, Stage.SENTENCING),
    "appeal": _moved(case_at_judgment, Stage.APPEAL),
    "closed": _moved(case_at_trial, Stage.CLOSED, closure_reason=ClosureReason.WITHDRAWN),
}


def _case_details(case: Case) -> dict[str, Any]:
    return {
        "title": case.title,
        "county": case.county_id,
        "court": case.court_id or "",
        "court_case_type": case.court_case_type,
        "court_case_serial": case.court_case_serial,
        "court_case_year": case.court_case_year or "",
        "scope": case.scope,
        "reason": "Checked",
    }


def _actions(case: Case) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Each action button: the page it is on (a tab), the form it leads to, and valid input for it."""
    pk = case.pk
    lead = case.lead_prosecutor_id
    return {
        "add-accused": ("", reverse("prosecutions:accused_create", args=[pk]), {
            "name": "Peter Otieno", "sex": "male", "network_role": "recruiter", "custody_status": "remanded",
        }),
        "add-victim": ("", reverse("prosecutions:victim_create", args=[pk]), {
            "exploitation_type": "forced_labour", "identified_on": TODAY, "sex": "female",
        }),
        "add-hearing": ("", reverse("prosecutions:hearing_create", args=[pk]), {
            "date": days_ago(-3).isoformat(), "court": court().pk, "purpose": "mention", "outcome": "scheduled",
        }),
        "tab-add-hearing": ("hearings", reverse("prosecutions:hearing_create", args=[pk]), {
            "date": days_ago(-3).isoformat(), "court": court().pk, "purpose": "mention", "outcome": "scheduled",
        }),
        "edit-case": ("", reverse("prosecutions:case_edit", args=[pk]), _case_details(case)),
        "convict-own-plea": ("", reverse("prosecutions:case_own_plea", args=[pk]), {"effective_on": TODAY}),
        "assign-prosecutors": ("", reverse("prosecutions:case_team", args=[pk]), {"lead_prosecutor": lead}),
        "reopen-case": ("", reverse("prosecutions:case_reopen", args=[pk]), {
            "reason": "Fresh evidence", "effective_on": TODAY,
        }),
    }  # fmt: skip


def _accepted(client: FormClient, url: str, data: dict[str, Any]) -> bool:
    """Whether the form at ``url`` accepts ``data`` (a redirect after saving); nothing is kept."""
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    assert response.status_code in (200, 302, 403), (url, response.status_code)
    return response.status_code == 302


def _buttons(client: FormClient, case: Case, tab: str) -> set[str]:
    url = reverse("prosecutions:case_detail", args=[case.pk]) + (f"?tab={tab}" if tab else "")
    return set(re.findall(r'<a [^>]*data-testid="([a-z-]+)"', client.get(url).content.decode()))


def _count_actions(case: Case) -> dict[str, tuple[str, dict[str, Any]]]:
    """The links of the Accused & charges tab, each on the first count it could apply to, with valid input."""
    counts = _counts(case)
    pending = next((c for c in counts if c.disposition == Disposition.PENDING), None)
    convicted = next((c for c in counts if c.is_conviction and not hasattr(c, "sentence")), None)
    actions: dict[str, tuple[str, dict[str, Any]]] = {}
    if counts:
        first = counts[0]
        actions["add-count"] = (
            reverse("prosecutions:charge_create", args=[case.pk, first.accused_id]),
            {
                "count_number": len(counts) + 1,
                "offence": f"{first.offence.statute}:{first.offence.section}",
                "offence_date": days_ago(250).isoformat(),
            },
        )
    if pending is not None:
        url = reverse("prosecutions:charge_plea", args=[case.pk, pending.pk])
        actions["record-plea"] = (url, {"plea": Plea.NOT_GUILTY, "plea_date": TODAY})
        url = reverse("prosecutions:charge_disposition", args=[case.pk, pending.pk])
        actions["record-outcome"] = (url, {"disposition": Disposition.ABATED, "disposition_date": TODAY})
    if convicted is not None:
        url = reverse("prosecutions:charge_sentence", args=[case.pk, convicted.pk])
        actions["record-sentence"] = (url, {"sentenced_on": TODAY, "life_imprisonment": "on", "fine_relation": "none"})
    return actions


def count_walk(client: FormClient, case: Case) -> tuple[list[str], set[str]]:
    """The per-count links: offered on the tab exactly when the form accepts valid input."""
    buttons = _buttons(client, case, "accused")
    mismatches: list[str] = []
    offered_all: set[str] = set()
    for action, (url, data) in _count_actions(case).items():
        offered, accepted = action in buttons, _accepted(client, url, data)
        offered_all |= {action} if offered else set()
        if offered != accepted:
            mismatches.append(f"{action}: offered={offered} accepted={accepted}")
    return mismatches, offered_all


def _offered_moves(client: FormClient, case: Case, buttons: set[str]) -> set[str]:
    if "move-stage" not in buttons:
        return set()
    page = client.get(reverse("prosecutions:case_stage", args=[case.pk])).content.decode()
    select = re.search(r'<select name="to_stage".*?</select>', page, re.S)
    assert select is not None
    return set(re.findall(r'<option value="([a-z_]+)"', select.group(0)))


def walk(client: FormClient, case: Case) -> tuple[list[str], set[str]]:
    """Every action with whether it was offered and accepted; the mismatches and what was offered."""
    mismatches: list[str] = []
    offered_all: set[str] = set()
    pages: dict[str, set[str]] = {}
    for action, (tab, url, data) in _actions(case).items():
        buttons = pages.setdefault(tab, _buttons(client, case, tab))
        offered, accepted = action in buttons, _accepted(client, url, data)
        offered_all |= {action} if offered else set()
        if offered != accepted:
            mismatches.append(f"{action}: offered={offered} accepted={accepted}")
    moves = _offered_moves(client, case, pages[""])
    stage_url = reverse("prosecutions:case_stage", args=[case.pk])
    for stage in Stage:
        data = {"to_stage": stage.value, "effective_on": TODAY}
        if stage == Stage.CLOSED:
            data["closure_reason"] = ClosureReason.WITHDRAWN
        offered, accepted = stage.value in moves, _accepted(client, stage_url, data)
        offered_all |= {f"move:{stage.value}"} if offered else set()
        if offered != accepted:
            mismatches.append(f"move to {stage.value}: offered={offered} accepted={accepted}")
    return mismatches, offered_all


# What each case offers its lead prosecutor: the walk checks offered ⇔ accepted; this pins that the walk
# meets the cases where the procedure says yes and no (so that it cannot pass by offering nothing).
ALWAYS_WHILE_OPEN = {"add-accused", "add-victim", "edit-case", "move:closed"}
HEARINGS = {"add-hearing", "tab-add-hearing"}
EXPECTED: dict[str, set[str]] = {
    "investigation": ALWAYS_WHILE_OPEN | {"move:charging_decision"},
    "charging-decision-not-registered-in-court": ALWAYS_WHILE_OPEN | {"move:investigation"},
    "charging-decision-registered-in-court": ALWAYS_WHILE_OPEN | {"move:investigation", "move:pre_trial"},
    "pre-trial-no-pleas": ALWAYS_WHILE_OPEN | HEARINGS,
    "pre-trial-not-guilty": ALWAYS_WHILE_OPEN | HEARINGS | {"move:trial"},
    "pre-trial-guilty-to-every-count": ALWAYS_WHILE_OPEN | HEARINGS | {"convict-own-plea"},
    "pre-trial-plea-agreement": ALWAYS_WHILE_OPEN | HEARINGS | {"convict-own-plea"},
    "pre-trial-convicted-on-plea": ALWAYS_WHILE_OPEN | HEARINGS | {"move:sentencing"},
    "trial": ALWAYS_WHILE_OPEN | HEARINGS | {"move:judgment"},
    "judgment-convicted": ALWAYS_WHILE_OPEN | HEARINGS | {"move:sentencing", "move:appeal"},
    "judgment-acquitted": ALWAYS_WHILE_OPEN | HEARINGS | {"move:appeal"},
    "sentencing": ALWAYS_WHILE_OPEN | HEARINGS | {"move:appeal"},
    "appeal": ALWAYS_WHILE_OPEN | HEARINGS | {"move:trial"},
    "closed": set(),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_lead_prosecutor_is_offered_exactly_what_is_accepted(client: FormClient, prosecutor: User, name: str):
    case = CASES[name](prosecutor)
    client.force_login(prosecutor)
    mismatches, offered = walk(client, case)
    assert mismatches == []
    assert offered == EXPECTED[name]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("trial", EXPECTED["trial"] | {"assign-prosecutors"}),
        ("pre-trial-guilty-to-every-count", EXPECTED["pre-trial-guilty-to-every-count"] | {"assign-prosecutors"}),
        ("closed", {"reopen-case"}),
    ],
)
def test_the_unit_head_is_offered_exactly_what_is_accepted(
    client: FormClient, prosecutor: User, unit_head: User, name: str, expected: set[str]
):
    case = CASES[name](prosecutor)
    client.force_login(unit_head)
    mismatches, offered = walk(client, case)
    assert mismatches == []
    assert offered == expected


def test_a_prosecutor_off_the_case_is_offered_nothing_and_nothing_is_accepted(
    client: FormClient, prosecutor: User, other_prosecutor: User
):
    case = CASES["pre-trial-guilty-to-every-count"](prosecutor)
    client.force_login(other_prosecutor)
    mismatches, offered = walk(client, case)
    assert mismatches == [] and offered == set()


COUNT_LINKS: dict[str, set[str]] = {
    "investigation": {"add-count"},
    "pre-trial-no-pleas": {"add-count", "record-plea", "record-outcome"},
    "trial": {"add-count", "record-plea", "record-outcome"},
    "judgment-convicted": {"record-sentence"},
    "sentencing": {"record-sentence"},
    "appeal": set(),
    "closed": set(),
}


@pytest.mark.parametrize("name", list(COUNT_LINKS))
def test_the_count_links_are_offered_exactly_when_accepted(client: FormClient, prosecutor: User, name: str):
    case = CASES[name](prosecutor)
    client.force_login(prosecutor)
    mismatches, offered = count_walk(client, case)
    assert mismatches == []
    assert offered == COUNT_LINKS[name]
