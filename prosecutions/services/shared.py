"""The checks every prosecution service makes before it writes: the case locked, the user allowed to
change it, dates in order, and ``Case.last_activity_on`` kept current."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from core.models import User
from prosecutions.access import can_edit_case
from prosecutions.choices import Stage
from prosecutions.exceptions import CaseClosed, CaseNotEditable, DateOutOfOrder
from prosecutions.models import Case


def stored_text(text: Any) -> str:
    """A label as it is stored (history reasons, corrections): in the site's source language, whatever
    language the person acting reads — the pages translate it when they show it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def not_before_opening(case: Case, day: dt.date, what: str, field: str | None = None) -> None:
    if day < case.opened_on:
        raise DateOutOfOrder(
            gettext("The %(what)s (%(day)s) is before the case was opened (%(opened)s).")
            % {"what": what, "day": f"{day:%d %b %Y}", "opened": f"{case.opened_on:%d %b %Y}"},
            field,
        )


def lock_case(case: Case) -> Case:
    """The case row, locked for the rest of the transaction; the caller's instance is refreshed too."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    for field in ("stage", "closed_on", "closure_reason", "last_activity_on", "court_id", "lead_prosecutor_id"):
        setattr(case, field, getattr(locked, field))
    return locked


def require_open(case: Case) -> None:
    """A closed case is read-only for every module until the unit head reopens it."""
    if case.stage == Stage.CLOSED:
        raise CaseClosed(
            gettext("%(reference)s is closed and read-only. Ask the unit head to reopen it.")
            % {"reference": case.reference}
        )


def open_locked_case(case: Case) -> Case:
    """The case, locked, once it is known to be open: what a service of any app calls before it attaches
    a record to a case (a witness, a seizure …), whoever the user. Lock the case before the record's own
    rows, as the prosecution services do, so two services never wait on each other."""
    locked = lock_case(case)
    require_open(locked)
    return locked


def require_editable(case: Case, user: User) -> None:
    require_open(case)
    if not can_edit_case(user, case):
        raise CaseNotEditable(
            gettext("You are not the lead prosecutor or on the team of %(reference)s, so you cannot change it.")
            % {"reference": case.reference}
        )


def editable_locked_case(case: Case, user: User) -> Case:
    """The case, locked, once the user is known to be allowed to change it."""
    locked = lock_case(case)
    require_editable(locked, user)
    return locked


def touch(case: Case, day: dt.date, user: User) -> None:
    """Move ``last_activity_on`` forward to ``day`` (never back)."""
    if day > case.last_activity_on:
        case.last_activity_on = day
        case.save_as(user, f"Activity on {day:%d %b %Y}", update_fields=["last_activity_on", "updated_at"])
