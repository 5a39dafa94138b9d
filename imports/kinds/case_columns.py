"""The columns of the case register: each heading, how its cells are read, what the template says about it
and its drop-down words. ``COLUMN`` finds a column by key for the messages that name it; ``CASE_KEYS`` are the
columns every row of one case must agree on, ``DATE_KEYS`` the dates that cannot be in the future.

Nothing here knows of drafts or stages: the other modules of the case register read these tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.utils.translation import gettext_lazy

from imports import values
from imports.kinds.base import Column
from imports.kinds.common import court_case_number
from prosecutions.choices import (
    ClosureReason,
    Disposition,
    ExploitationType,
    FineRelation,
    NetworkRole,
    Plea,
    SentenceOverrideGround,
    Stage,
)

_ = cast("Callable[[str], str]", gettext_lazy)


def _choices(choices: Any, what: str) -> values.Parser:
    return values.choice({str(value): str(label) for value, label in choices.choices}, what)


def _labels(choices: Any, leave_out: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(str(label) for value, label in choices.choices if value not in leave_out)


COLUMNS: tuple[Column, ...] = (
    Column(
        "ob_number",
        "OB number",
        values.text_up_to(60),
        help=_("The police Occurrence Book number, e.g. OB 12/03/2024. Rows with the same OB number are one case."),
    ),
    Column(
        "court_case",
        "Court case number",
        court_case_number,
        help=_(
            "e.g. E123 of 2024 or Criminal Case E123 of 2024. Rows with the same court case number are one case. "
            "Needed from pre-trial on."
        ),
    ),
    Column("court", "Court", values.text, help=_("The court station, as in the list. Needed from pre-trial on.")),
    Column("county", "County", values.text, help=_("The county of the case; the court's county when left empty.")),
    Column(
        "reported_on",
        "Date reported",
        values.date,
        required=True,
        help=_("The OB date: the case file is opened on it."),
    ),
    Column(
        "charged_on",
        "Date charged",
        values.date,
        help=_("The day the accused were charged in court (pre-trial). Needed from pre-trial on."),
    ),
    Column(
        "stage",
        "Stage",
        _choices(Stage, _("a stage of a case")),
        required=True,
        help=_("Where the case stands today."),
        choices=_labels(Stage),
    ),
    Column(
        "stage_on",
        "Date of current stage",
        values.date,
        help=_(
            "The day the case reached its stage: needed for Appeal and Closed; otherwise read from the other dates."
        ),
    ),
    Column(
        "closure_reason",
        "Closure reason",
        _choices(ClosureReason, _("a reason for closing a case")),
        help=_("Why the case closed (only for Closed)."),
        choices=_labels(ClosureReason),
    ),
    Column(
        "title",
        "Case title",
        values.text_up_to(255),
        help=_("e.g. Republic v. Juma Ali; made from the first accused when left empty."),
    ),
    Column(
        "prosecutor",
        "Prosecutor",
        values.text_up_to(150),
        help=_("The username of the lead prosecutor; you when left empty."),
    ),
    Column(
        "accused",
        "Accused name",
        values.text_up_to(150),
        required=True,
        help=_("The accused's name as on the charge sheet."),
    ),
    Column(
        "network_role",
        "Network role",
        _choices(NetworkRole, _("a role in a trafficking network")),
        help=_("The accused's place in the network; Other when left empty."),
        choices=_labels(NetworkRole),
    ),
    Column(
        "count_number",
        "Count",
        values.integer,
        help=_("The count's number on the charge sheet; numbered in order when left empty."),
    ),
    Column(
        "offence",
        "Offence",
        values.text,
        help=_(
            "The section charged, e.g. CTIP s.3(1), SOA s.8(1), Penal Code s.264. Leave empty for an accused "
            "not yet charged."
        ),
    ),
    Column(
        "offence_date",
        "Offence date",
        values.date,
        help=_("When the offence was committed: the penalty in force that day applies."),
    ),
    Column(
        "plea",
        "Plea",
        _choices(Plea, _("a plea")),
        help=_("The plea entered to the count."),
        choices=_labels(Plea, (Plea.NOT_TAKEN,)),
    ),
    Column("plea_date", "Plea date", values.date, help=_("The day of the plea; the date charged when left empty.")),
    Column(
        "defence_on",
        "Defence hearing date",
        values.date,
        help=_(
            "The day the defence hearing was held: the accused were put on their defence (s.211). Needed for an "
            "acquittal after defence (s.215) or an acquittal on withdrawal after defence (s.87(b))."
        ),
    ),
    Column(
        "outcome",
        "Outcome",
        _choices(Disposition, _("an outcome of a count")),
        help=_("What became of the count (empty while pending)."),
        choices=_labels(Disposition, (Disposition.PENDING,)),
    ),
    Column("outcome_date", "Outcome date", values.date, help=_("The day of the outcome.")),
    Column(
        "sentence_months",
        "Sentence (months)",
        values.integer,
        help=_("The custodial term in months, e.g. 360 for 30 years."),
    ),
    Column(
        "life",
        "Life imprisonment",
        values.yes_no,
        help=_("Yes for a sentence of life imprisonment."),
        choices=("Yes", "No"),
    ),
    Column("fine", "Fine (KES)", values.money, help=_("The fine in shillings.")),
    Column(
        "fine_relation",
        "Fine relation",
        _choices(FineRelation, _("how a fine stands beside imprisonment")),
        help=_("With both a term and a fine: alternative or cumulative."),
        choices=_labels(FineRelation, (FineRelation.NONE,)),
    ),
    Column("sentence_date", "Sentence date", values.date, help=_("The day the sentence was passed.")),
    Column(
        "override_ground",
        "Override ground",
        _choices(SentenceOverrideGround, _("a ground for a sentence outside the statutory range")),
        help=_("Only for a sentence outside the statutory range of the offence."),
        choices=_labels(SentenceOverrideGround),
    ),
    Column(
        "override_reason",
        "Override reason",
        values.text,
        help=_("Why the statutory range did not apply (with the override ground)."),
    ),
    Column(
        "compensation",
        "Compensation (KES)",
        values.money,
        help=_("Compensation or restitution ordered to a victim (CTIP s.13), in shillings, with the victim."),
    ),
    Column(
        "compensated_victim",
        "Compensated victim",
        values.text_up_to(60),
        help=_(
            "How the register tells the compensated victim apart in this case, e.g. Victim 1 or PW2 — never a "
            "name. The victim is added to the case with a code of the tracker; rows naming the same victim "
            "compensate one victim."
        ),
    ),
    Column(
        "victim_exploitation",
        "Victim's exploitation",
        _choices(ExploitationType, _("a form of exploitation")),
        help=_(
            "The form of exploitation of the compensated victim; the victim is recorded as identified on the "
            "date reported."
        ),
        choices=_labels(ExploitationType),
    ),
    Column(
        "deportation",
        "Deportation",
        values.yes_no,
        help=_("Yes when the court ordered the accused deported after the sentence (CTIP s.26(1))."),
        choices=("Yes", "No"),
    ),
)
COLUMN = {column.key: column for column in COLUMNS}
CASE_KEYS = (
    "ob_number",
    "court_case",
    "court",
    "county",
    "reported_on",
    "charged_on",
    "stage",
    "stage_on",
    "closure_reason",
    "title",
    "prosecutor",
    "defence_on",
)
DATE_KEYS = (
    "reported_on",
    "charged_on",
    "stage_on",
    "offence_date",
    "plea_date",
    "defence_on",
    "outcome_date",
    "sentence_date",
)
