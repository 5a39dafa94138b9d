"""Witnesses and their appearances: putting a witness on a case's witness list."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core import guards
from core.models import User
from core.numbering import calendar_year, next_reference
from prosecutions.models import Case
from prosecutions.services import open_locked_case
from victims.models import Victim
from witnesses import access
from witnesses.choices import WitnessRole
from witnesses.exceptions import InvalidWitnessDetails
from witnesses.models import Appearance, Witness
from witnesses.services.common import lock, require

WITNESS_SERIES = "witness"
WITNESS_TEMPLATE = "W-{period}-{number:04d}"


def _check_appearance(case: Case, role: str, number: str, witness: Witness | None, victim: Victim | None) -> None:
    if role not in WitnessRole.values:
        raise InvalidWitnessDetails(_("Choose the witness's role."), "role")
    if number and Appearance.objects.filter(case=case, witness_number=number).exists():
        raise InvalidWitnessDetails(
            _("%(number)s is already on this case's witness list.") % {"number": number}, "witness_number"
        )
    if victim is not None and victim.case_id != case.pk:
        raise InvalidWitnessDetails(_("Choose a victim of this case."), "victim")
    if role == WitnessRole.VICTIM_WITNESS and victim is None and witness is None:
        raise InvalidWitnessDetails(_("A victim-witness needs the victim record they correspond to."), "victim")


@transaction.atomic
def add_witness_to_case(
    case: Case,
    user: User,
    *,
    role: str,
    witness_number: str = "",
    witness: Witness | None = None,
    victim: Victim | None = None,
) -> Appearance:
    """Put a witness on a case's witness list: a new witness (issued a code) or one already known. A closed
    case takes none, whoever asks (``CaseClosed``), until the unit head reopens it."""
    open_locked_case(case)
    require(access.can_add_witness(user, case), _("You may not add witnesses to this case."))
    number = (witness_number or "").strip().upper()
    _check_appearance(case, role, number, witness, victim)
    if witness is None:
        witness = Witness(
            code=next_reference(WITNESS_SERIES, WITNESS_TEMPLATE, calendar_year(guards.today())),
            victim=victim,
        )
        witness.save_as(user, "Witness recorded")
    else:
        witness = lock(witness)
        if Appearance.objects.filter(witness=witness, case=case).exists():
            raise InvalidWitnessDetails(
                _("%(code)s is already a witness in this case.") % {"code": witness.code}, "witness_code"
            )
        if victim is not None and witness.victim_id is None:
            witness.victim = victim
            witness.save_as(user, "Victim record linked", update_fields=["victim", "updated_at"])
    appearance = Appearance(witness=witness, case=case, role=role, witness_number=number)
    appearance.save_as(user, "Witness added to the case")
    return appearance
