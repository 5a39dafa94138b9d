"""What the witnesses app shows on other pages, as plain data: the liaison's queue of flags on the home
page, the Witnesses tab and the witness events (by code) of the case page, and the court measures noted
on hearings. ``registrations`` registers these; no view runs here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.access import AnyUser
from prosecutions.models import Case
from prosecutions.registry import TimelineEvent
from witnesses.access import can_add_witness, is_liaison
from witnesses.choices import AWAITING_ASSESSMENT, MeasureCategory, MeasureKind, MeasureStatus
from witnesses.models import Appearance, ProtectionMeasure, ProtectionStatusChange, Witness

QUEUE_ROWS = 10


def flag_queue_context(user: AnyUser) -> dict[str, Any]:
    """Witnesses flagged or under assessment, oldest flag first."""
    waiting = (
        Witness.objects.visible_to(user).filter(protection_status__in=AWAITING_ASSESSMENT).select_related("flagged_by")
    )
    rows = list(waiting.order_by("flagged_on", "id")[:QUEUE_ROWS])
    return {"witnesses": rows, "total": waiting.count()}


def _court_measures_in_force(case_ids: set[int]) -> list[tuple[int, str, str, dt.date, dt.date | None]]:
    """(case id, witness code, measure kind, from, to) of court measures in force in these cases — one query."""
    return list(
        ProtectionMeasure.objects.filter(
            category=MeasureCategory.COURT,
            status=MeasureStatus.IN_FORCE,
            witness__appearances__case_id__in=case_ids,
        )
        .filter(Q(case__isnull=True) | Q(case_id=F("witness__appearances__case_id")))
        .order_by("witness__code", "kind")
        .values_list("witness__appearances__case_id", "witness__code", "kind", "starts_on", "ends_on")
    )


def _describe(measures: dict[str, list[str]]) -> list[str]:
    labels = dict(MeasureKind.choices)
    return [
        _("%(code)s: %(measures)s") % {"code": code, "measures": ", ".join(str(labels[kind]).lower() for kind in kinds)}
        for code, kinds in sorted(measures.items())
    ]


def hearing_measures(hearings: list[Any]) -> dict[int, list[str]]:
    """For each hearing, the court measures in force on its date for the witnesses of its case, by code
    ("W-2026-0019: screen, voice distortion"), so the prosecutor asks the court for them. One query."""
    rows = _court_measures_in_force({hearing.case_id for hearing in hearings})
    found: dict[int, list[str]] = {}
    for hearing in hearings:
        by_code: dict[str, list[str]] = {}
        for case_id, code, kind, starts_on, ends_on in rows:
            if case_id != hearing.case_id or starts_on > hearing.date or (ends_on and ends_on < hearing.date):
                continue
            kinds = by_code.setdefault(code, [])
            if kind not in kinds:
                kinds.append(kind)
        if by_code:
            found[hearing.pk] = _describe(by_code)
    return found


def case_witnesses_context(case: Case, user: AnyUser) -> dict[str, Any]:
    """The Witnesses tab of a case: its witness list by code and the court measures in force."""
    appearances = list(
        Appearance.objects.visible_to(user)
        .filter(case=case)
        .select_related("witness", "witness__victim")
        .order_by("witness_number", "id")
    )
    measures: dict[str, list[str]] = {}
    for _case_id, code, kind, _starts, _ends in _court_measures_in_force({case.pk}):
        measures.setdefault(code, [])
        if kind not in measures[code]:
            measures[code].append(kind)
    labels = dict(MeasureKind.choices)
    can_add = can_add_witness(user, case)
    return {
        "case_witnesses": {
            "appearances": [
                (a, ", ".join(str(labels[k]).lower() for k in measures.get(a.witness.code, []))) for a in appearances
            ],
            "can_add": can_add,
            "add_url": reverse("witnesses:witness_add", args=[case.pk]) if can_add else "",
            "is_liaison": is_liaison(user),
        }
    }


def witness_timeline(case: Case) -> list[TimelineEvent]:
    """Protection moves of the case's witnesses, by code only (one query)."""
    changes = (
        ProtectionStatusChange.objects.filter(witness__appearances__case=case)
        .select_related("witness")
        .order_by("effective_on", "id")
    )
    return [
        TimelineEvent(
            date=change.effective_on,
            # Translators: the kind of a line on the case timeline (translated where it is shown).
            kind=gettext_noop("Witness"),
            text=_("%(code)s: protection %(from_status)s → %(to_status)s")
            % {
                "code": change.witness.code,
                "from_status": change.get_from_status_display().lower(),
                "to_status": change.get_to_status_display().lower(),
            },
            url=change.witness.get_absolute_url(),
        )
        for change in changes
    ]


def case_file_witnesses_context(case: Case, user: AnyUser) -> dict[str, Any]:
    """The witnesses of a case for its printable file — by code only, never an identity: witness number,
    code, role (and the victim code it corresponds to), protection status and court measures in force."""
    return {"appearances": case_witnesses_context(case, user)["case_witnesses"]["appearances"]}
