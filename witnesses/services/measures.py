"""Protection measures: programme measures of the Agency and court measures in the witness's cases."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from core.models import User
from prosecutions.models import Case
from prosecutions.services import open_locked_case
from witnesses import access
from witnesses.choices import COURT_MEASURES, MeasureCategory, MeasureKind, MeasureStatus, ProtectionStatus, category_of
from witnesses.exceptions import InvalidWitnessDetails, MeasureNotAllowed
from witnesses.models import Appearance, ProtectionMeasure, Witness
from witnesses.services.common import lock, reason_given, require

S = ProtectionStatus


def _check_measure(
    witness: Witness,
    kind: str,
    status: str,
    reference: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    case: Case | None,
) -> None:
    """The measure fits the witness's protection status, its own kind, and the witness's cases."""
    if kind not in MeasureKind.values:
        raise InvalidWitnessDetails(_("Choose the measure."), "kind")
    if status not in MeasureStatus.values:
        raise InvalidWitnessDetails(_("Choose the status of the measure."), "status")
    category = category_of(kind)
    if category == MeasureCategory.PROGRAMME and witness.protection_status != S.ADMITTED:
        raise MeasureNotAllowed(_("Programme measures are for witnesses admitted to the programme."), "kind")
    if witness.protection_status in (S.NONE, S.DECLINED, S.TERMINATED):
        raise MeasureNotAllowed(
            _("A witness whose protection is %(status)s gets no measures.")
            % {"status": witness.get_protection_status_display().lower()},
            "kind",
        )
    if kind in COURT_MEASURES and status == MeasureStatus.IN_FORCE and not reference:
        raise MeasureNotAllowed(_("A court measure in force needs the court order reference."), "court_order_reference")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidWitnessDetails(_("The end date cannot be before the start date."), "ends_on")
    if case is not None and not Appearance.objects.filter(witness=witness, case=case).exists():
        raise InvalidWitnessDetails(_("Choose one of the witness's cases."), "case")
    if case is not None and category == MeasureCategory.PROGRAMME:
        raise InvalidWitnessDetails(_("A programme measure is not tied to one case."), "case")


@transaction.atomic
def record_measure(
    witness: Witness,
    user: User,
    *,
    kind: str,
    status: str = MeasureStatus.IN_FORCE,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    court_order_reference: str = "",
    case: Case | None = None,
) -> ProtectionMeasure:
    """Record a programme measure (admitted witnesses only) or a court measure (a witness whose
    protection is being dealt with; in force needs the court order reference)."""
    require(access.can_manage_protection(user), _("Only a witness protection liaison may record measures."))
    if case is not None:
        open_locked_case(case)  # a court measure in a closed case: refused (CaseClosed) until it is reopened
    locked = lock(witness)
    reference = (court_order_reference or "").strip()
    _check_measure(locked, kind, status, reference, starts_on, ends_on, case)
    measure = ProtectionMeasure(
        witness=locked,
        case=case,
        kind=kind,
        category=category_of(kind),
        status=status,
        court_order_reference=reference,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=user,
    )
    measure.save_as(user, "Measure recorded")
    return measure


@transaction.atomic
def end_measure(measure: ProtectionMeasure, user: User, *, ends_on: dt.date, reason: str) -> ProtectionMeasure:
    require(access.can_manage_protection(user), _("Only a witness protection liaison may end measures."))
    locked = ProtectionMeasure.objects.select_for_update().get(pk=measure.pk)
    if locked.status not in (MeasureStatus.IN_FORCE, MeasureStatus.REQUESTED):
        raise MeasureNotAllowed(_("This measure is not in force."))
    if ends_on < locked.starts_on:
        raise InvalidWitnessDetails(_("The end date cannot be before the start date."), "ends_on")
    locked.status = MeasureStatus.ENDED
    locked.ends_on = ends_on
    locked.save_as(user, reason_given(reason), update_fields=["status", "ends_on", "updated_at"])
    return locked
