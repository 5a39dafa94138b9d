"""What every correction does (``prosecutions.services.corrections``): the user allowed to correct the case,
the reason given, the values before and after as the case page shows them, and the correction row."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

from core.guards import today
from core.models import User
from prosecutions.access import can_correct_case
from prosecutions.choices import CorrectionKind, Stage
from prosecutions.exceptions import CaseClosed, CaseNotEditable, CorrectionNotAllowed, CorrectionReasonMissing
from prosecutions.models import Case, Charge, Correction
from prosecutions.services.shared import lock_case

REASON_PREFIX = "Correction: "
REMOVED = "— (removed: recorded in error)"


# English (the catalogue's key); translated where it is shown (``gettext(REASON_MISSING)``).
REASON_MISSING = gettext_noop(
    "Give the reason for the correction: it is kept in the case history beside the old and the new value."
)


def correction_reason(reason: str) -> str:
    """The reason given, or a refusal: a correction without a reason is never saved."""
    text = (reason or "").strip()
    if not text:
        raise CorrectionReasonMissing(gettext(REASON_MISSING))
    return text


def correctable_locked_case(case: Case, user: User) -> Case:
    """The case, locked, once the user is known to be allowed to correct it."""
    locked = lock_case(case)
    if not can_correct_case(user, locked):
        if locked.stage == Stage.CLOSED:
            raise CaseClosed(
                gettext("%(reference)s is closed: only the unit head corrects a closed case.")
                % {"reference": locked.reference}
            )
        raise CaseNotEditable(
            gettext("You are not the lead prosecutor or on the team of %(reference)s, so you cannot correct it.")
            % {"reference": locked.reference}
        )
    return locked


def shown(instance: models.Model, name: str) -> str:
    """A field's value as the case page shows it ("—" when empty)."""
    field = instance._meta.get_field(name)
    value = getattr(instance, field.attname)  # type: ignore[union-attr]
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))  # type: ignore[union-attr]
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.ForeignKey):
        return str(getattr(instance, field.name))
    if isinstance(field, models.DateField):
        return f"{value:%d %b %Y}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, str]:
    """The fields' labels and values as displayed, in order."""
    # Stored in the source language (``stored_text``); the pages translate labels and values they know.
    with translation.override(settings.LANGUAGE_CODE):
        return {
            capfirst(str(getattr(instance._meta.get_field(name), "verbose_name", name))): shown(instance, name)
            for name in fields
        }


def changes_between(before: dict[str, str], after: dict[str, str]) -> dict[str, dict[str, str]]:
    """``{label: {"from": old, "to": new}}`` for the values that differ."""
    return {label: {"from": before[label], "to": after[label]} for label in after if before.get(label) != after[label]}


def count_label(charge: Charge) -> str:
    offence = charge.offence
    return f"Count {charge.count_number} against {charge.accused.name} ({offence.short_statute} s.{offence.section})"


def record_correction(
    case: Case,
    user: User,
    *,
    kind: CorrectionKind,
    record: models.Model,
    label: str,
    changes: dict[str, dict[str, str]],
    reason: str,
) -> Correction:
    """Write the correction row (after the corrected record was saved with the reason)."""
    if not changes:
        raise CorrectionNotAllowed(gettext("Nothing to correct: every value is as already recorded."))
    correction = Correction(
        case=case,
        kind=kind,
        record_type=record._meta.label_lower,
        record_id=record.pk,
        record_label=label[:255],
        changes=changes,
        reason=reason,
        corrected_on=today(),
        corrected_by=user,
    )
    correction.save_as(user, reason)
    return correction
