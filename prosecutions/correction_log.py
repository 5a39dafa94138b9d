"""The corrections of a case as its pages show them: listed with their reason on the History tab and the
overview, and as dated "Correction" lines on the case timeline (a timeline source registered in
``registrations``). Reading only; the corrections are made by ``prosecutions.services.corrections``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from prosecutions.models import Case, Correction
from prosecutions.registry import TimelineEvent

TIMELINE_KIND = gettext_noop("Correction")


def case_corrections(case: Case, limit: int | None = None) -> list[Correction]:
    """The case's corrections, newest first (one query)."""
    corrections = Correction.objects.filter(case=case).select_related("corrected_by").order_by("-corrected_on", "-id")
    return list(corrections[:limit] if limit else corrections)


def shown_text(text: Any) -> Any:
    """A label or value stored in the source language (``services.shared.stored_text``), in the language
    of the page when the catalogues know it ("Plea", "Guilty"); names, dates and amounts as stored."""
    return gettext(text) if isinstance(text, str) and text.strip() else text


def changes_text(correction: Correction) -> str:
    """ "Plea: Guilty → Not guilty; Plea date: 02 Mar 2026 → 03 Mar 2026"."""
    parts = []
    for label, change in (correction.changes or {}).items():
        if isinstance(change, dict):
            parts.append(
                f"{shown_text(label)}: {shown_text(change.get('from', '—'))} → {shown_text(change.get('to', '—'))}"
            )
    return "; ".join(parts)


def correction_events(case: Case) -> list[TimelineEvent]:
    """Each correction on the case timeline, on the day it was made: what changed, by whom, and why."""
    url = reverse("prosecutions:case_detail", args=[case.pk]) + "?tab=history"
    return [
        TimelineEvent(
            correction.corrected_on,
            TIMELINE_KIND,
            gettext("%(record)s corrected by %(user)s: %(changes)s — reason: %(reason)s")
            % {
                "record": correction.record_label,
                "user": correction.corrected_by,
                "changes": changes_text(correction),
                "reason": correction.reason,
            },
            url,
        )
        for correction in reversed(case_corrections(case))
    ]
