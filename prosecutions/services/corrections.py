"""Corrections of facts already recorded on a case — a plea, a count's outcome, a sentence, a hearing's date
and outcome, an accused's details — always with a reason, never silently.

The case's prosecutors correct while the case is open; the unit head at any time, a closed case included
(``prosecutions.access.can_correct_case``). Each correction saves the record with the reason on its history
row (so the old value stays in the history) and writes a :class:`~prosecutions.models.Correction` saying what
changed, from what to what, and why — in one transaction. A correction is held to the same rules as
recording the fact, and one that would break a later fact (a sentence on a count corrected to an
acquittal, a conviction on own plea whose plea is corrected away from guilty …) is refused with what must be
undone first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from core.guards import not_in_future, today
from core.models import User
from prosecutions.choices import (
    CONVICTIONS,
    CorrectionKind,
    CustodyStatus,
    Disposition,
    HearingOutcome,
    HearingPurpose,
    NetworkRole,
    Plea,
    Sex,
    Stage,
)
from prosecutions.exceptions import (
    CorrectionNotAllowed,
    DateOutOfOrder,
    DispositionNotAllowed,
    HearingNotAllowed,
    InvalidDetails,
    PleaNotAllowed,
)
from prosecutions.models import Accused, Case, Charge, Correction, Hearing, Sentence
from prosecutions.services.accused import (
    ACCUSED_FIELDS,
    ACCUSED_ORDER,
    custody_after_outcome,
    custody_after_sentence,
)
from prosecutions.services.correcting import (
    REASON_PREFIX,
    REMOVED,
    changes_between,
    correctable_locked_case,
    correction_reason,
    count_label,
    record_correction,
    snapshot,
)
from prosecutions.services.counts import (
    DISPOSITION_STAGES,
    check_defence,
    check_outcome,
    check_sentence_date,
    parse_outcome,
    sentence_values,
)
from prosecutions.services.hearings import _apply_outcome as apply_hearing_outcome
from prosecutions.services.persons import record_accused_identifier, split_id_number
from prosecutions.services.shared import not_before_opening, stored_text

PLEA_FIELDS = ("plea", "plea_date")
OUTCOME_FIELDS = ("disposition", "disposition_date")
SENTENCE_FIELDS = (
    "sentenced_on",
    "custodial_months",
    "life_imprisonment",
    "fine_amount",
    "fine_default_months",
    "fine_relation",
    "compensation_amount",
    "compensation_victim",
    "deportation",
    "forfeiture_ordered",
    "notes",
    "override_ground",
    "override_reason",
)


def _locked_charge(charge: Charge) -> Charge:
    return Charge.objects.select_for_update().select_related("accused", "offence").get(pk=charge.pk)


# --- pleas ---------------------------------------------------------------------------------------------


def _check_plea_against_outcome(charge: Charge, plea: Plea, plea_date: dt.date) -> None:
    """The outcome recorded on the count rests on the plea: a conviction on own plea needs a plea of guilty,
    one on a plea agreement a guilty plea under it, and the outcome comes after the plea."""
    number = charge.count_number
    if charge.disposition == Disposition.CONVICTED_OWN_PLEA and plea != Plea.GUILTY:
        raise CorrectionNotAllowed(
            gettext("Count %(number)s was convicted on the accused's own plea of guilty: correct that outcome first.")
            % {"number": number},
            "plea",
        )
    if charge.disposition == Disposition.CONVICTED_PLEA_AGREEMENT and plea != Plea.GUILTY_PLEA_AGREEMENT:
        raise CorrectionNotAllowed(
            gettext("Count %(number)s was convicted on a plea agreement: correct that outcome first.")
            % {"number": number},
            "plea",
        )
    if charge.disposition_date and plea_date > charge.disposition_date:
        raise DateOutOfOrder(
            gettext(
                "The outcome of count %(number)s is dated %(day)s, before this plea date: "
                "correct the outcome's date first."
            )
            % {"number": number, "day": f"{charge.disposition_date:%d %b %Y}"},
            "plea_date",
        )


@transaction.atomic
def correct_plea(charge: Charge, user: User, *, plea: str, plea_date: dt.date, reason: str) -> Correction:
    """Correct the plea recorded on a count (and the date it was taken)."""
    case = correctable_locked_case(charge.accused.case, user)
    why = correction_reason(reason)
    charge = _locked_charge(charge)
    if charge.plea == Plea.NOT_TAKEN:
        raise CorrectionNotAllowed(
            gettext("No plea has been recorded on count %(number)s yet: record the plea instead of correcting it.")
            % {"number": charge.count_number}
        )
    if plea not in Plea.values or plea == Plea.NOT_TAKEN:
        raise PleaNotAllowed(gettext("Choose the plea the accused entered."), "plea")
    not_in_future(plea_date, gettext("plea date"), field="plea_date")
    not_before_opening(case, plea_date, gettext("plea date"), "plea_date")
    _check_plea_against_outcome(charge, Plea(plea), plea_date)
    before = snapshot(charge, PLEA_FIELDS)
    charge.plea, charge.plea_date = plea, plea_date
    changes = changes_between(before, snapshot(charge, PLEA_FIELDS))
    if not changes:
        raise CorrectionNotAllowed(gettext("Nothing to correct: the plea and its date are as already recorded."))
    charge.save_as(user, REASON_PREFIX + why, update_fields=["plea", "plea_date", "updated_at"])
    return record_correction(
        case, user, kind=CorrectionKind.PLEA, record=charge, label=count_label(charge), changes=changes, reason=why
    )


# --- count outcomes ------------------------------------------------------------------------------------


def stages_reached(case: Case) -> dict[Stage, dt.date]:
    """Each stage the case has been at, with the day it first got there."""
    reached: dict[Stage, dt.date] = {}
    for to_stage, effective_on in case.stage_changes.order_by("effective_on", "id").values_list(
        "to_stage", "effective_on"
    ):
        reached.setdefault(Stage(to_stage), effective_on)
    return reached


def _check_outcome_stage(case: Case, outcome: Disposition, day: dt.date) -> None:
    """A corrected outcome is one the case could have had on its date: it had reached a stage at which that
    outcome is recorded (a verdict after trial, Judgment; a conviction on own plea, pre-trial)."""
    allowed = DISPOSITION_STAGES[outcome]
    reached = stages_reached(case)
    if any(stage in reached and reached[stage] <= day for stage in allowed):
        return
    # Translators: joins the stages an outcome may be recorded at, e.g. "Judgment or Sentencing".
    where = gettext(" or ").join(str(stage.label) for stage in Stage if stage in allowed)
    got_there = [
        gettext("%(stage)s on %(day)s") % {"stage": stage.label, "day": f"{reached[stage]:%d %b %Y}"}
        for stage in Stage
        if stage in allowed and stage in reached
    ]
    if got_there:
        message = gettext(
            "“%(outcome)s” is recorded only once the case is at %(where)s: "
            "it reached %(reached)s, after the date given."
        ) % {"outcome": outcome.label, "where": where, "reached": ", ".join(got_there)}
    else:
        message = gettext(
            "“%(outcome)s” is recorded only once the case is at %(where)s: it never reached %(where)s."
        ) % {
            "outcome": outcome.label,
            "where": where,
        }
    raise CorrectionNotAllowed(message, "disposition")


def _check_outcome_against_later_facts(case: Case, charge: Charge, outcome: Disposition, day: dt.date) -> None:
    """The sentence passed on the count, and the case's stage, rest on its conviction."""
    number = charge.count_number
    sentence = Sentence.objects.filter(charge=charge).first()
    if sentence is not None and outcome not in CONVICTIONS:
        raise CorrectionNotAllowed(
            gettext(
                "Count %(number)s has a sentence (passed on %(day)s): remove the sentence on "
                "count %(number)s first (Correct sentence → recorded in error)."
            )
            % {"number": number, "day": f"{sentence.sentenced_on:%d %b %Y}"},
            "disposition",
        )
    if sentence is not None and sentence.sentenced_on < day:
        raise DateOutOfOrder(
            gettext(
                "The sentence on count %(number)s was passed on %(day)s, before this date: "
                "correct the sentence's date first."
            )
            % {"number": number, "day": f"{sentence.sentenced_on:%d %b %Y}"},
            "disposition_date",
        )
    if case.stage == Stage.SENTENCING and outcome not in CONVICTIONS:
        others = Charge.objects.filter(accused__case=case, disposition__in=CONVICTIONS).exclude(pk=charge.pk)
        if not others.exists():
            raise CorrectionNotAllowed(
                gettext(
                    "The case is at Sentencing, which rests on a conviction, and count %(number)s against "
                    "%(name)s is its only one: move the case on (appeal or closing) before correcting "
                    "this conviction to another outcome."
                )
                % {"number": number, "name": charge.accused.name},
                "disposition",
            )


@transaction.atomic
def correct_outcome(
    charge: Charge, user: User, *, disposition: str, disposition_date: dt.date, reason: str
) -> Correction:
    """Correct the outcome recorded on a count (and its date). An accused now acquitted or discharged on
    every count is released."""
    case = correctable_locked_case(charge.accused.case, user)
    why = correction_reason(reason)
    charge = _locked_charge(charge)
    if charge.disposition == Disposition.PENDING:
        raise CorrectionNotAllowed(
            gettext("Count %(number)s has no outcome yet: record the outcome instead of correcting it.")
            % {"number": charge.count_number}
        )
    outcome = parse_outcome(disposition)
    _check_outcome_stage(case, outcome, disposition_date)
    _check_outcome_against_later_facts(case, charge, outcome, disposition_date)
    check_outcome(case, charge, outcome, disposition_date)
    before = snapshot(charge, OUTCOME_FIELDS)
    charge.disposition, charge.disposition_date = outcome, disposition_date
    changes = changes_between(before, snapshot(charge, OUTCOME_FIELDS))
    if not changes:
        raise CorrectionNotAllowed(gettext("Nothing to correct: the outcome and its date are as already recorded."))
    charge.save_as(user, REASON_PREFIX + why, update_fields=["disposition", "disposition_date", "updated_at"])
    custody_after_outcome(charge.accused, user)
    return record_correction(
        case, user, kind=CorrectionKind.OUTCOME, record=charge, label=count_label(charge), changes=changes, reason=why
    )


# --- sentences -----------------------------------------------------------------------------------------


def _locked_sentence(charge: Charge) -> Sentence:
    sentence = Sentence.objects.select_for_update().filter(charge=charge).first()
    if sentence is None:
        raise CorrectionNotAllowed(
            gettext("Count %(number)s has no sentence to correct: record the sentence instead.")
            % {"number": charge.count_number}
        )
    sentence.charge = charge
    return sentence


@transaction.atomic
def correct_sentence(charge: Charge, user: User, *, reason: str, sentenced_on: dt.date, **parts: Any) -> Correction:
    """Correct the sentence passed on a count (``parts`` as :func:`~prosecutions.services.counts.record_sentence`
    takes them), held to the statutory range as when it was recorded: outside it only with an override ground
    and reason. A custodial sentence puts the accused in custody serving it."""
    case = correctable_locked_case(charge.accused.case, user)
    why = correction_reason(reason)
    charge = _locked_charge(charge)
    sentence = _locked_sentence(charge)
    check_sentence_date(charge, sentenced_on)
    values = sentence_values(case, charge, parts)
    before = snapshot(sentence, SENTENCE_FIELDS)
    for name, value in {"sentenced_on": sentenced_on, **values}.items():
        setattr(sentence, name, value)
    changes = changes_between(before, snapshot(sentence, SENTENCE_FIELDS))
    if not changes:
        raise CorrectionNotAllowed(gettext("Nothing to correct: the sentence is as already recorded."))
    sentence.save_as(user, REASON_PREFIX + why)
    custody_after_sentence(sentence, user)
    label = f"Sentence on {count_label(charge).replace('Count', 'count', 1)}"
    return record_correction(
        case, user, kind=CorrectionKind.SENTENCE, record=sentence, label=label, changes=changes, reason=why
    )


def sentence_summary(sentence: Sentence) -> str:
    """The sentence in one line, as the case page shows it (in the source language: it is stored)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _sentence_summary(sentence)


def _sentence_summary(sentence: Sentence) -> str:
    parts = [sentence.custodial_label]
    if sentence.fine_amount:
        parts.append(f"fine KES {sentence.fine_amount:,.2f} ({sentence.get_fine_relation_display().lower()})")
    if sentence.compensation_amount:
        parts.append(f"compensation KES {sentence.compensation_amount:,.2f}")
    if sentence.deportation:
        parts.append("deportation")
    text = "; ".join(part for part in parts if part) or "—"
    return f"{text}, passed on {sentence.sentenced_on:%d %b %Y}"


@transaction.atomic
def remove_sentence(charge: Charge, user: User, *, reason: str) -> Correction:
    """Remove a sentence recorded in error (on the wrong count, or before a conviction corrected since).
    Its history keeps every value it had; the accused's custody is left for the user to correct."""
    case = correctable_locked_case(charge.accused.case, user)
    why = correction_reason(reason)
    charge = _locked_charge(charge)
    sentence = _locked_sentence(charge)
    changes = {"Sentence": {"from": sentence_summary(sentence), "to": REMOVED}}
    label = f"Sentence on {count_label(charge).replace('Count', 'count', 1)}"
    sentence_id = sentence.pk
    sentence._history_user = user
    sentence._change_reason = REASON_PREFIX + why
    sentence.delete()
    sentence.pk = sentence_id
    return record_correction(
        case, user, kind=CorrectionKind.SENTENCE, record=sentence, label=label, changes=changes, reason=why
    )


# --- hearings ------------------------------------------------------------------------------------------

HEARING_FIELDS = ("date", "outcome", "adjournment_reason", "next_date")
# Outcomes of a count that rest on whether the accused had been put on their defence by its date.
DEFENCE_DEPENDENT = frozenset(
    {Disposition.DISCHARGED_WITHDRAWN, Disposition.ACQUITTED_WITHDRAWN, Disposition.ACQUITTED_AFTER_DEFENCE}
)
HELD = frozenset({HearingOutcome.PROCEEDED, HearingOutcome.PART_HEARD, HearingOutcome.ADJOURNED})


def _check_hearing_date(case: Case, hearing: Hearing, date: dt.date) -> None:
    """A hearing still to sit that is the next date given at an earlier hearing moves with that next date."""
    if date == hearing.date or hearing.outcome != HearingOutcome.SCHEDULED:
        return
    earlier = case.hearings.filter(next_date=hearing.date).exclude(pk=hearing.pk).order_by("date", "id").first()
    if earlier is not None:
        raise CorrectionNotAllowed(
            gettext(
                "This hearing is the next date given at the hearing of %(day)s: correct that hearing's "
                "next date instead — the hearing scheduled for it moves with it."
            )
            % {"day": f"{earlier.date:%d %b %Y}"},
            "date",
        )


def _follow_next_date(
    case: Case, hearing: Hearing, old_next: dt.date | None, user: User, why: str
) -> dict[str, dict[str, str]]:
    """The hearing scheduled for the next date given moves with a corrected next date (or is vacated when
    the next date is withdrawn); a new next date gets its hearing. Refused when the hearing of the old next
    date has taken place. Returns the changes made to that hearing, for the correction."""
    new_next = hearing.next_date
    if old_next == new_next:
        return {}
    label = "Hearing scheduled for the next date"
    follow = case.hearings.filter(date=old_next).exclude(pk=hearing.pk).order_by("id").first() if old_next else None
    if follow is not None and follow.outcome in HELD:
        raise CorrectionNotAllowed(
            gettext(
                "The hearing of %(day)s, the next date given here, has taken place "
                "(%(outcome)s): correct that hearing's date first."
            )
            % {"day": f"{old_next:%d %b %Y}", "outcome": follow.get_outcome_display().lower()},
            "next_date",
        )
    taken = new_next is not None and case.hearings.filter(date=new_next).exclude(pk=hearing.pk).exists()
    if follow is not None and follow.outcome == HearingOutcome.SCHEDULED:
        if new_next is not None and not taken:
            follow.date = new_next
            follow.save_as(user, f"{REASON_PREFIX}next date given on {hearing.date:%d %b %Y} corrected — {why}")
            return {label: {"from": f"{old_next:%d %b %Y}", "to": f"{new_next:%d %b %Y}"}}
        follow.outcome = HearingOutcome.VACATED
        follow.save_as(user, f"{REASON_PREFIX}next date given on {hearing.date:%d %b %Y} withdrawn — {why}")
        return {label: {"from": f"{old_next:%d %b %Y}", "to": "Vacated"}}
    if new_next is not None and not taken:
        Hearing(
            case=case, date=new_next, court=hearing.court, courtroom=hearing.courtroom, purpose=hearing.purpose
        ).save_as(user, f"Next date given on {hearing.date:%d %b %Y} (correction)")
        return {label: {"from": "—", "to": f"{new_next:%d %b %Y}"}}
    return {}


def _check_defence_outcomes(case: Case) -> None:
    """Withdrawals and acquittals after defence rest on the defence hearings: after a defence hearing is
    corrected, each must still hold on its date."""
    dependent = Charge.objects.filter(accused__case=case, disposition__in=DEFENCE_DEPENDENT).select_related("accused")
    for charge in dependent.order_by("accused_id", "count_number"):
        try:
            check_defence(case, Disposition(charge.disposition), charge.disposition_date or today())
        except DispositionNotAllowed:
            raise CorrectionNotAllowed(
                gettext(
                    "Count %(number)s against %(name)s is recorded as "
                    "“%(outcome)s”, which rests on whether the defence had been heard by "
                    "%(day)s: correct that outcome first."
                )
                % {
                    "number": charge.count_number,
                    "name": charge.accused.name,
                    "outcome": charge.get_disposition_display(),
                    "day": f"{charge.disposition_date:%d %b %Y}",
                }
            ) from None


@transaction.atomic
def correct_hearing(
    hearing: Hearing,
    user: User,
    *,
    date: dt.date,
    outcome: str,
    reason: str,
    adjournment_reason: str = "",
    next_date: dt.date | None = None,
) -> Correction:
    """Correct a hearing's date and what happened at it (outcome, adjournment reason, next date given)."""
    case = correctable_locked_case(hearing.case, user)
    why = correction_reason(reason)
    hearing = Hearing.objects.select_for_update().select_related("court").get(pk=hearing.pk)
    if outcome not in HearingOutcome.values:
        raise HearingNotAllowed(gettext("Choose what happened at the hearing."), "outcome")
    not_before_opening(case, date, gettext("hearing date"), "date")
    if next_date is not None and next_date <= date:
        raise HearingNotAllowed(
            gettext("The next date (%(next)s) must be after the hearing date (%(date)s): correct the next date too.")
            % {"next": f"{next_date:%d %b %Y}", "date": f"{date:%d %b %Y}"},
            "next_date",
        )
    if outcome == HearingOutcome.SCHEDULED and next_date is not None:
        raise HearingNotAllowed(gettext("A hearing still to sit has no next date given yet."), "next_date")
    _check_hearing_date(case, hearing, date)
    before = snapshot(hearing, HEARING_FIELDS)
    old_next = hearing.next_date
    hearing.date = date
    apply_hearing_outcome(case, hearing, outcome=outcome, adjournment_reason=adjournment_reason, next_date=next_date)
    changes = changes_between(before, snapshot(hearing, HEARING_FIELDS))
    if not changes:
        raise CorrectionNotAllowed(
            gettext("Nothing to correct: the hearing's date and outcome are as already recorded.")
        )
    hearing.save_as(user, REASON_PREFIX + why)
    changes.update(_follow_next_date(case, hearing, old_next, user, why))
    if hearing.purpose == HearingPurpose.DEFENCE_HEARING:
        _check_defence_outcomes(case)
    label = f"{stored_text(hearing.get_purpose_display())} hearing at {hearing.court} ({before['Date']})"
    return record_correction(
        case, user, kind=CorrectionKind.HEARING, record=hearing, label=label, changes=changes, reason=why
    )


# --- accused -------------------------------------------------------------------------------------------


def _clean_accused_details(accused: Accused, changes: dict[str, Any]) -> dict[str, Any]:
    """The details as given, checked: known fields and choices, a name, a date of birth not in the future,
    and custody "serving sentence" only with a custodial sentence on record."""
    unknown = set(changes) - ACCUSED_FIELDS
    if unknown:
        raise ValueError(f"Not accused details: {', '.join(sorted(unknown))}")
    details = dict(changes)
    if "name" in details:
        details["name"] = str(details["name"] or "").strip()
        if not details["name"]:
            raise InvalidDetails(gettext("Give the accused's name."), "name")
    for name, choices in (("sex", Sex), ("network_role", NetworkRole), ("custody_status", CustodyStatus)):
        if name in details and details[name] not in choices.values:
            raise InvalidDetails(gettext("Choose from the list."), name)
    if details.get("date_of_birth"):
        not_in_future(details["date_of_birth"], gettext("date of birth"), field="date_of_birth")
    serving = CustodyStatus.SERVING_SENTENCE
    if details.get("custody_status") == serving and accused.custody_status != serving:
        custodial = Sentence.objects.filter(charge__accused=accused).filter(
            Q(life_imprisonment=True) | Q(custodial_months__gt=0)
        )
        if not custodial.exists():
            raise CorrectionNotAllowed(
                gettext(
                    "%(name)s has no custodial sentence on record: record or correct the sentence before "
                    "setting custody to serving sentence."
                )
                % {"name": accused.name},
                "custody_status",
            )
    return details


@transaction.atomic
def correct_accused(accused: Accused, user: User, *, reason: str, **changes: Any) -> Correction:
    """Correct an accused's details: name, aliases, sex, date of birth or age, nationality, ID or passport
    number, network role, custody and bail terms."""
    case = correctable_locked_case(accused.case, user)
    why = correction_reason(reason)
    accused = Accused.objects.select_for_update().get(pk=accused.pk)
    details = _clean_accused_details(accused, changes)
    fields = sorted(details, key=list(ACCUSED_ORDER).index)
    before = snapshot(accused, fields)
    label = f"Accused {accused.name}"
    old_id_number = accused.id_number
    for name, value in details.items():
        setattr(accused, name, value)
    found = changes_between(before, snapshot(accused, fields))
    if not found:
        raise CorrectionNotAllowed(gettext("Nothing to correct: the accused's details are as already recorded."))
    new_id_number = "id_number" in details and accused.id_number != old_id_number
    if new_id_number:
        split_id_number(accused.id_number)  # a number in the wrong format is refused before anything is saved
    accused.save_as(user, REASON_PREFIX + why)
    if new_id_number:
        record_accused_identifier(user, accused)
    return record_correction(
        case, user, kind=CorrectionKind.ACCUSED, record=accused, label=label, changes=found, reason=why
    )
