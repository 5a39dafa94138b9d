"""The counts against an accused and what becomes of them: the charge, the plea, the outcome under the
CPC rules for the case's stage, and the sentence on a conviction (held to the statutory range of the
offence version in force, ``penalties``). A custodial sentence, or an acquittal or discharge on every
count, moves the accused's custody in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from core.guards import not_in_future, today
from core.models import User
from prosecutions.choices import (
    CONVICTIONS,
    Disposition,
    FineRelation,
    HearingOutcome,
    HearingPurpose,
    Plea,
    Stage,
)
from prosecutions.exceptions import (
    CaseNotEditable,
    DateOutOfOrder,
    DispositionNotAllowed,
    DuplicateCount,
    InvalidSentence,
    PleaNotAllowed,
    SentenceNotAllowed,
)
from prosecutions.models import Accused, Case, Charge, Offence, Sentence
from prosecutions.services.accused import custody_after_outcome, custody_after_sentence
from prosecutions.services.penalties import SentenceTerms, check_override, offence_in_force, penalty_version
from prosecutions.services.shared import editable_locked_case, not_before_opening, stored_text, touch

__all__ = [
    "CHARGED_STAGES",
    "DEFENCE_HEARD",
    "DISPOSITION_STAGES",
    "NEEDS_PLEA",
    "SENTENCE_PARTS",
    "VERDICT_STAGES",
    "add_charge",
    "check_defence",
    "check_outcome",
    "check_sentence_date",
    "check_sentence_parts",
    "next_count_number",
    "offence_in_force",
    "parse_outcome",
    "record_disposition",
    "record_plea",
    "record_sentence",
    "sentence_values",
]

# Where in the life of a case each count outcome may be recorded. A verdict after trial — a conviction or
# an acquittal (s.210, s.215, s.87(b)) — is recorded at Judgment: the trial has ended. A conviction on the
# accused's own plea or a plea agreement needs no trial, so it is recorded from pre-trial (plea) on.
CHARGED_STAGES = frozenset({Stage.PRE_TRIAL, Stage.TRIAL, Stage.JUDGMENT})
VERDICT_STAGES = frozenset({Stage.JUDGMENT})
DISPOSITION_STAGES: dict[Disposition, frozenset[Stage]] = {
    Disposition.CONVICTED_AFTER_TRIAL: VERDICT_STAGES,
    Disposition.CONVICTED_OWN_PLEA: CHARGED_STAGES,
    Disposition.CONVICTED_PLEA_AGREEMENT: CHARGED_STAGES,
    Disposition.ACQUITTED_NO_CASE: VERDICT_STAGES,
    Disposition.ACQUITTED_AFTER_DEFENCE: VERDICT_STAGES,
    Disposition.ACQUITTED_WITHDRAWN: VERDICT_STAGES,
    # The court may let the complainant withdraw at any time before its final order, and then acquits (s.204).
    Disposition.ACQUITTED_COMPLAINT_WITHDRAWN: CHARGED_STAGES,
    Disposition.DISCHARGED_WITHDRAWN: frozenset({Stage.PRE_TRIAL, Stage.TRIAL}),
    Disposition.DISCHARGED_NOLLE_PROSEQUI: frozenset({Stage.PRE_TRIAL, Stage.TRIAL, Stage.JUDGMENT}),
    Disposition.ABATED: frozenset({Stage.PRE_TRIAL, Stage.TRIAL, Stage.JUDGMENT, Stage.SENTENCING, Stage.APPEAL}),
}
NEEDS_PLEA = frozenset(
    {
        Disposition.CONVICTED_AFTER_TRIAL,
        Disposition.ACQUITTED_NO_CASE,
        Disposition.ACQUITTED_AFTER_DEFENCE,
        Disposition.ACQUITTED_WITHDRAWN,
    }
)
DEFENCE_HEARD = frozenset({HearingOutcome.PROCEEDED, HearingOutcome.PART_HEARD})


@transaction.atomic
def add_charge(
    accused: Accused,
    user: User,
    *,
    count_number: int,
    offence: Offence,
    offence_date: dt.date | None = None,
    particulars: str = "",
    penalty_section: str = "",
) -> Charge:
    """Add a count against ``accused``; the offence version is the one in force on the offence date."""
    case = editable_locked_case(accused.case, user)
    if not can_add_count(case):
        raise CaseNotEditable(
            gettext("Counts can be added up to the trial (CPC s.214); this case is at %(stage)s.")
            % {"stage": Stage(case.stage).label}
        )
    if count_number < 1:
        raise DuplicateCount(gettext("Count numbers start at 1."))
    if offence_date is not None:
        not_in_future(offence_date, gettext("offence date"), field="offence_date")
    if Charge.objects.filter(accused=accused, count_number=count_number).exists():
        raise DuplicateCount(
            gettext("%(name)s already has a count %(number)s. Use the next free count number.")
            % {"name": accused.name, "number": count_number}
        )
    version = offence_in_force(offence, offence_date or today())
    charge = Charge(
        accused=accused,
        count_number=count_number,
        offence=version,
        penalty_section=penalty_section or version.penalty_section,
        particulars=particulars,
        offence_date=offence_date,
    )
    charge.save_as(user, "Count added")
    return charge


# What the case page offers on its counts is decided by the same predicates the services below apply.
COUNT_STAGES = frozenset({Stage.INVESTIGATION, Stage.CHARGING_DECISION, Stage.PRE_TRIAL, Stage.TRIAL})
PLEA_STAGES = frozenset({Stage.PRE_TRIAL, Stage.TRIAL})
SENTENCE_STAGES = frozenset({Stage.JUDGMENT, Stage.SENTENCING})


def can_add_count(case: Case) -> bool:
    """Counts are added up to the trial (CPC s.214)."""
    return Stage(case.stage) in COUNT_STAGES


def can_take_plea(case: Case) -> bool:
    """Pleas are taken once the accused is charged in court."""
    return Stage(case.stage) in PLEA_STAGES


def can_record_outcome(case: Case) -> bool:
    """Some count outcome can be recorded at the case's stage (which one, the outcome form decides)."""
    return any(Stage(case.stage) in stages for stages in DISPOSITION_STAGES.values())


def can_sentence(case: Case) -> bool:
    """Sentences are recorded at judgment or sentencing."""
    return Stage(case.stage) in SENTENCE_STAGES


def next_count_number(accused: Accused) -> int:
    numbers = list(accused.charges.values_list("count_number", flat=True))
    return max(numbers, default=0) + 1


@transaction.atomic
def record_plea(charge: Charge, user: User, *, plea: str, plea_date: dt.date | None = None) -> Charge:
    """Record the accused's plea to one count (taken once the case is in court)."""
    case = editable_locked_case(charge.accused.case, user)
    plea_date = plea_date or today()
    if not can_take_plea(case):
        raise PleaNotAllowed(
            gettext(
                "Pleas are taken once the accused is charged in court (pre-trial or trial); this case is at %(stage)s."
            )
            % {"stage": Stage(case.stage).label}
        )
    if plea not in Plea.values or plea == Plea.NOT_TAKEN:
        raise PleaNotAllowed(gettext("Choose the plea the accused entered."), "plea")
    if charge.disposition != Disposition.PENDING:
        raise PleaNotAllowed(
            gettext("%(count)s already has an outcome; the plea can now only be corrected, with a reason.")
            % {"count": count_name(charge)}
        )
    not_in_future(plea_date, gettext("plea date"), field="plea_date")
    not_before_opening(case, plea_date, gettext("plea date"), "plea_date")
    charge.plea = plea
    charge.plea_date = plea_date
    charge.save_as(user, "Plea recorded", update_fields=["plea", "plea_date", "updated_at"])
    touch(case, plea_date, user)
    return charge


def _defence_opened(case: Case, on: dt.date) -> bool:
    """Whether the accused had been put on their defence by ``on`` (a defence hearing proceeded)."""
    return case.hearings.filter(
        purpose=HearingPurpose.DEFENCE_HEARING, outcome__in=DEFENCE_HEARD, date__lte=on
    ).exists()


def parse_outcome(disposition: str) -> Disposition:
    """The count outcome chosen (never "pending": an outcome is what became of the count)."""
    try:
        outcome = Disposition(disposition)
    except ValueError:
        raise DispositionNotAllowed(
            gettext("“%(outcome)s” is not a count outcome.") % {"outcome": disposition}
        ) from None
    if outcome == Disposition.PENDING:
        raise DispositionNotAllowed(gettext("Choose the outcome of the count."))
    return outcome


def check_outcome(case: Case, charge: Charge, outcome: Disposition, day: dt.date) -> None:
    """What an outcome needs whatever the stage: a date in order, the plea it rests on, and — for withdrawals
    and acquittals — the defence opened (or not) by its date."""
    not_in_future(day, gettext("date of the outcome"), field="disposition_date")
    not_before_opening(case, day, gettext("date of the outcome"), "disposition_date")
    if charge.plea_date and day < charge.plea_date:
        raise DateOutOfOrder(gettext("The outcome is dated before the plea was taken."), "disposition_date")
    if outcome in NEEDS_PLEA and charge.plea == Plea.NOT_TAKEN:
        raise DispositionNotAllowed(gettext("Record the accused's plea to this count before a verdict."))
    if outcome == Disposition.CONVICTED_OWN_PLEA and charge.plea != Plea.GUILTY:
        raise DispositionNotAllowed(gettext("A conviction on own plea needs a plea of guilty on this count."))
    if outcome == Disposition.CONVICTED_PLEA_AGREEMENT and charge.plea != Plea.GUILTY_PLEA_AGREEMENT:
        raise DispositionNotAllowed(
            gettext("A conviction on a plea agreement needs a guilty plea under a plea agreement.")
        )
    check_defence(case, outcome, day)


def count_name(charge: Charge) -> str:
    """A count named in a message, e.g. "Count 2"."""
    return gettext("Count %(number)s") % {"number": charge.count_number}


def _stage_refusal(outcome: Disposition, stage: Stage) -> str:
    allowed = ", ".join(str(s.label) for s in Stage if s in DISPOSITION_STAGES[outcome])
    refusal = gettext("“%(outcome)s” cannot be recorded while the case is at %(stage)s (only at: %(allowed)s).") % {
        "outcome": outcome.label,
        "stage": stage.label,
        "allowed": allowed,
    }
    if outcome == Disposition.ACQUITTED_NO_CASE:
        return (
            refusal
            + " "
            + gettext(
                "No case to answer (s.210) is ruled only at the close of the prosecution case, which ends the trial:"
                " move the case to Judgment first."
            )
        )
    if outcome in NEEDS_PLEA:
        return (
            refusal + " " + gettext("A verdict is recorded once the trial has ended: move the case to Judgment first.")
        )
    return refusal


@transaction.atomic
def record_disposition(
    charge: Charge, user: User, *, disposition: str, disposition_date: dt.date | None = None, note: str = ""
) -> Charge:
    """Record the outcome of one count, under the CPC rules for the case's stage. An accused acquitted or
    discharged on every count is released."""
    case = editable_locked_case(charge.accused.case, user)
    day = disposition_date or today()
    outcome = parse_outcome(disposition)
    stage = Stage(case.stage)
    if stage not in DISPOSITION_STAGES[outcome]:
        raise DispositionNotAllowed(_stage_refusal(outcome, stage))
    if charge.disposition != Disposition.PENDING and not _retried_since(case, charge):
        raise DispositionNotAllowed(
            gettext("%(count)s already has an outcome: %(outcome)s.")
            % {"count": count_name(charge), "outcome": charge.get_disposition_display()}
        )
    check_outcome(case, charge, outcome, day)
    charge.disposition = outcome
    charge.disposition_date = day
    charge.save_as(
        user,
        note or f"Outcome: {stored_text(outcome.label)}",
        update_fields=["disposition", "disposition_date", "updated_at"],
    )
    custody_after_outcome(charge.accused, user)
    touch(case, day, user)
    return charge


def check_defence(case: Case, outcome: Disposition, day: dt.date) -> None:
    """Withdrawals and acquittals depend on whether the accused had been put on their defence by ``day``."""
    defence = _defence_opened(case, day)
    if outcome == Disposition.DISCHARGED_WITHDRAWN and defence:
        raise DispositionNotAllowed(
            gettext(
                "The accused has been put on their defence: a withdrawal now is an acquittal under s.87(b), "
                "not a discharge under s.87(a)."
            )
        )
    if outcome == Disposition.ACQUITTED_WITHDRAWN and not defence:
        raise DispositionNotAllowed(
            gettext(
                "The accused has not been put on their defence: a withdrawal now is a discharge under s.87(a), "
                "not an acquittal under s.87(b)."
            )
        )
    if outcome == Disposition.ACQUITTED_AFTER_DEFENCE and not defence:
        raise DispositionNotAllowed(
            gettext(
                "An acquittal after defence (s.215) needs a defence hearing on record; "
                "at the close of the prosecution case it is no case to answer (s.210)."
            )
        )


def _retried_since(case: Case, charge: Charge) -> bool:
    """A retrial ordered on appeal after the count's outcome lets the outcome be recorded again."""
    return (
        charge.disposition_date is not None
        and case.stage == Stage.TRIAL
        and case.stage_changes.filter(
            from_stage=Stage.APPEAL, to_stage=Stage.TRIAL, effective_on__gte=charge.disposition_date
        ).exists()
    )


def _check_sentence_allowed(case: Case, charge: Charge, day: dt.date) -> None:
    """A sentence is passed once, on a convicted count, at judgment or sentencing, after the conviction."""
    if charge.disposition not in CONVICTIONS:
        raise SentenceNotAllowed(
            gettext("%(count)s is %(outcome)s: a sentence is passed only on a conviction.")
            % {"count": count_name(charge), "outcome": charge.get_disposition_display().lower()}
        )
    if Sentence.objects.filter(charge=charge).exists():
        raise SentenceNotAllowed(gettext("%(count)s has already been sentenced.") % {"count": count_name(charge)})
    if not can_sentence(case):
        raise SentenceNotAllowed(
            gettext("Sentences are recorded at judgment or sentencing; this case is at %(stage)s.")
            % {"stage": Stage(case.stage).label}
        )
    check_sentence_date(charge, day)


def check_sentence_date(charge: Charge, day: dt.date) -> None:
    """A sentence is passed after the conviction, and not in the future."""
    not_in_future(day, gettext("sentence date"), field="sentenced_on")
    if charge.disposition_date and day < charge.disposition_date:
        raise DateOutOfOrder(gettext("The sentence is dated before the conviction."), "sentenced_on")


def check_sentence_parts(
    case: Case,
    *,
    relation: FineRelation,
    custodial_months: int | None,
    life_imprisonment: bool,
    fine_amount: Decimal | None,
    compensation_amount: Decimal | None,
    compensation_victim: Any,
    deportation: bool,
) -> None:
    """The term, the fine and the compensation fit together and name a victim of this case."""
    if life_imprisonment and custodial_months:
        raise InvalidSentence(
            gettext("Give either a term in months or life imprisonment, not both."), "custodial_months"
        )
    custodial = life_imprisonment or bool(custodial_months)
    if relation == FineRelation.NONE and fine_amount:
        raise InvalidSentence(gettext("Say how the fine stands beside imprisonment."), "fine_relation")
    if relation != FineRelation.NONE and not fine_amount:
        raise InvalidSentence(gettext("Give the amount of the fine."), "fine_amount")
    if fine_amount is not None and fine_amount <= 0:
        raise InvalidSentence(gettext("The fine must be more than zero."), "fine_amount")
    if relation in (FineRelation.ALTERNATIVE, FineRelation.CUMULATIVE) and not custodial:
        raise InvalidSentence(gettext("A fine alongside imprisonment needs the custodial term."), "custodial_months")
    if relation == FineRelation.FINE_ONLY and custodial:
        raise InvalidSentence(gettext("A fine-only sentence has no custodial term."), "fine_relation")
    if not custodial and not fine_amount and not compensation_amount and not deportation:
        raise InvalidSentence(gettext("The sentence has no term, fine, compensation or deportation."))
    if compensation_amount is not None and compensation_amount <= 0:
        raise InvalidSentence(gettext("Compensation must be more than zero."), "compensation_amount")
    if compensation_amount and compensation_victim is None:
        raise InvalidSentence(
            gettext("Name the victim (by code) the compensation is ordered to."), "compensation_victim"
        )
    if compensation_victim is not None and compensation_victim.case_id != case.pk:
        raise InvalidSentence(gettext("The compensated victim must be a victim in this case."), "compensation_victim")


# The parts of a sentence a prosecutor records: every field of ``Sentence`` but its count and date.
SENTENCE_PARTS: dict[str, Any] = {
    "custodial_months": None,
    "life_imprisonment": False,
    "fine_amount": None,
    "fine_default_months": None,
    "fine_relation": FineRelation.NONE,
    "compensation_amount": None,
    "compensation_victim": None,
    "deportation": False,
    "forfeiture_ordered": False,
    "notes": "",
    "override_ground": "",
    "override_reason": "",
}


def sentence_values(case: Case, charge: Charge, parts: Mapping[str, Any]) -> dict[str, Any]:
    """The sentence's parts as they will be saved, once they fit together and the sentence lies within the
    statutory range of the offence version in force on the offence date — or carries an override ground and
    its reason (refused without them). Parts not given take their defaults (no term, no fine …)."""
    unknown = set(parts) - set(SENTENCE_PARTS)
    if unknown:
        raise ValueError(f"Not parts of a sentence: {', '.join(sorted(unknown))}")
    values = {**SENTENCE_PARTS, **parts}
    try:
        relation = FineRelation(values["fine_relation"] or FineRelation.NONE)
    except ValueError:
        raise InvalidSentence(gettext("Say how the fine stands beside imprisonment."), "fine_relation") from None
    life = bool(values["life_imprisonment"])
    check_sentence_parts(
        case,
        relation=relation,
        custodial_months=values["custodial_months"],
        life_imprisonment=life,
        fine_amount=values["fine_amount"],
        compensation_amount=values["compensation_amount"],
        compensation_victim=values["compensation_victim"],
        deportation=bool(values["deportation"]),
    )
    terms = SentenceTerms(None if life else values["custodial_months"], life, values["fine_amount"], relation)
    ground, why = check_override(
        penalty_version(charge), terms, values["override_ground"] or "", values["override_reason"] or ""
    )
    values.update(
        custodial_months=terms.custodial_months,
        life_imprisonment=life,
        fine_relation=relation,
        deportation=bool(values["deportation"]),
        forfeiture_ordered=bool(values["forfeiture_ordered"]),
        notes=values["notes"] or "",
        override_ground=ground,
        override_reason=why,
    )
    return values


@transaction.atomic
def record_sentence(
    charge: Charge,
    user: User,
    *,
    sentenced_on: dt.date | None = None,
    custodial_months: int | None = None,
    life_imprisonment: bool = False,
    fine_amount: Decimal | None = None,
    fine_default_months: int | None = None,
    fine_relation: str = FineRelation.NONE,
    compensation_amount: Decimal | None = None,
    compensation_victim: Any = None,
    deportation: bool = False,
    forfeiture_ordered: bool = False,
    notes: str = "",
    override_ground: str = "",
    override_reason: str = "",
) -> Sentence:
    """Record the sentence passed on a convicted count, within the statutory range unless an override ground
    and reason are given. A custodial sentence puts the accused in custody serving it."""
    case = editable_locked_case(charge.accused.case, user)
    day = sentenced_on or today()
    _check_sentence_allowed(case, charge, day)
    parts = {
        "custodial_months": custodial_months,
        "life_imprisonment": life_imprisonment,
        "fine_amount": fine_amount,
        "fine_default_months": fine_default_months,
        "fine_relation": fine_relation,
        "compensation_amount": compensation_amount,
        "compensation_victim": compensation_victim,
        "deportation": deportation,
        "forfeiture_ordered": forfeiture_ordered,
        "notes": notes,
        "override_ground": override_ground,
        "override_reason": override_reason,
    }
    sentence = Sentence(charge=charge, sentenced_on=day, **sentence_values(case, charge, parts))
    outside = " (outside the statutory range: override)" if sentence.override_ground else ""
    sentence.save_as(user, f"Sentence recorded{outside}")
    custody_after_sentence(sentence, user)
    touch(case, day, user)
    return sentence
