"""The case register: one row per count — the case (OB and court numbers, court, county, dates, stage), the
accused (name, network role) and the count (offence, plea, outcome, sentence), with the prosecutor leading it.

Rows of one case are found by their OB number or court case number (either joins them). A case already in
the tracker with one of those numbers is reported, not imported again. A historic case is walked through
its stages in order, each move dated from the register (``_walk``): opened on the date reported, charged in
court on the date charged, tried from the last plea, judged on the first verdict, sentenced on the first
sentence — through the same services, and so the same guards, as the case pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.utils.translation import gettext, gettext_lazy

from core.exceptions import DomainError
from core.guards import today
from core.roles import PROSECUTION_ROLES, Role
from imports import values
from imports.kinds.base import Action, Column, ImportKind, ParsedRow, RowError, RowPlan, register
from imports.kinds.common import (
    CourtCaseNumber,
    ReferenceLists,
    RowRefused,
    cases_by_numbers,
    court_case_number,
    not_after_today,
    ob_key,
    offence_label,
    read_live,
    refused,
    split_court_case,
    split_offence_code,
)
from prosecutions.choices import (
    CONVICTIONS,
    ClosureReason,
    Disposition,
    FineRelation,
    NetworkRole,
    Plea,
    SentenceOverrideGround,
    Stage,
)

if TYPE_CHECKING:
    from core.models import County, User
    from prosecutions.models import Accused, Case, Charge, Court

_ = cast("Callable[[str], str]", gettext_lazy)

# Outcomes only a trial's end gives (recorded at Judgment, and resting on a plea).
VERDICTS = frozenset(
    {
        Disposition.CONVICTED_AFTER_TRIAL,
        Disposition.ACQUITTED_NO_CASE,
        Disposition.ACQUITTED_AFTER_DEFENCE,
        Disposition.ACQUITTED_WITHDRAWN,
    }
)
# Outcomes that rest on a defence hearing on record, which a register does not hold.
NEED_DEFENCE = frozenset({Disposition.ACQUITTED_AFTER_DEFENCE, Disposition.ACQUITTED_WITHDRAWN})
OWN_PLEA = {
    Disposition.CONVICTED_OWN_PLEA: Plea.GUILTY,
    Disposition.CONVICTED_PLEA_AGREEMENT: Plea.GUILTY_PLEA_AGREEMENT,
}
ADMISSIONS = frozenset({Plea.GUILTY, Plea.GUILTY_PLEA_AGREEMENT})
ORDER = (
    Stage.INVESTIGATION,
    Stage.CHARGING_DECISION,
    Stage.PRE_TRIAL,
    Stage.TRIAL,
    Stage.JUDGMENT,
    Stage.SENTENCING,
    Stage.APPEAL,
)


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
)
DATE_KEYS = ("reported_on", "charged_on", "stage_on", "offence_date", "plea_date", "outcome_date", "sentence_date")


@dataclass
class CountDraft:
    """One row: an accused (and a count against them, when an offence is given)."""

    row: int
    accused: str  # the accused's key (their name, folded)
    number: int | None
    offence: str  # offence code ("ctip|3(1)"), "" when the row charges nothing
    offence_date: dt.date | None
    plea: str
    plea_date: dt.date | None
    outcome: str
    outcome_date: dt.date | None
    sentence: dict[str, Any]  # the parts given to ``record_sentence`` ({} when none)
    sentence_date: dt.date | None


@dataclass
class Step:
    """One call to a service, for the row it comes from."""

    row: int
    kind: str  # "open", "accused", "count", "move", "plea", "outcome", "sentence"
    day: dt.date | None = None
    target: Any = None  # the accused key, the count's index, or the stage
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CaseDraft:
    """The rows of one case, read and checked together."""

    rows: list[ParsedRow]
    fields: dict[str, Any] = field(default_factory=dict)
    accused: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # key → (name, role, first row)
    counts: list[CountDraft] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    court: Court | None = None
    county: County | None = None
    lead: User | None = None
    duplicate_of: Case | None = None
    steps: list[Step] = field(default_factory=list)

    @property
    def first_row(self) -> int:
        return self.rows[0].row

    def err(self, row: int, key: str, message: str) -> None:
        self.errors.append(RowError(row, COLUMN[key].header if key else "", message))

    def named(self) -> str:
        ob, number = self.fields.get("ob_number"), self.fields.get("court_case")
        return f"OB {ob}" if ob else str(number or gettext("row %(row)s") % {"row": self.first_row})


def _accused_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _group(rows: Sequence[ParsedRow]) -> list[list[ParsedRow]]:
    """The rows of each case, in the order cases first appear: rows sharing an OB number or a court case
    number are one case (either joins them); a row with neither is a case of its own."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[tuple[str, Any], int] = {}
    for index, parsed in enumerate(rows):
        keys: list[tuple[str, Any]] = []
        ob = parsed.values.get("ob_number")
        if ob:
            keys.append(("ob", ob_key(str(ob))))
        number = split_court_case(str(parsed.values["court_case"])) if parsed.values.get("court_case") else None
        if number is not None:
            keys.append(("court", number.key))
        for key in keys:
            if key in first_of:
                a, b = find(first_of[key]), find(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first_of[key] = index
    groups: dict[int, list[ParsedRow]] = {}
    for index, parsed in enumerate(rows):
        groups.setdefault(find(index), []).append(parsed)
    return list(groups.values())


@dataclass
class Context:
    """What the rows are read against: the reference lists, the users named, the cases already recorded."""

    lists: ReferenceLists
    importer: User
    users: dict[str, User]
    by_ob: dict[str, Case]
    by_court: dict[tuple[str, int], Case]
    readers: dict[str, values.Parser]

    @classmethod
    def load(cls, rows: Sequence[ParsedRow], importer: User) -> Context:
        from core.models import User

        lists = ReferenceLists.load()
        names = {str(parsed.values["prosecutor"]) for parsed in rows if parsed.values.get("prosecutor")}
        users = {user.username.casefold(): user for user in User.objects.filter(username__in=names, is_active=True)}
        obs = [str(parsed.values["ob_number"]) for parsed in rows if parsed.values.get("ob_number")]
        numbers = [
            number
            for parsed in rows
            if parsed.values.get("court_case")
            and (number := split_court_case(str(parsed.values["court_case"]))) is not None
        ]
        by_ob, by_court = cases_by_numbers(obs, numbers)
        readers = {
            "court": lists.court_reader(),
            "county": lists.county_reader(),
            "offence": lists.offence_reader(),
        }
        return cls(lists, importer, users, by_ob, by_court, readers)


def _read_case(rows: list[ParsedRow], ctx: Context) -> CaseDraft:
    """The case-level values of a group's rows, once they agree; its court, county, lead and duplicate."""
    draft = CaseDraft(rows=rows)
    live: dict[int, dict[str, Any]] = {}
    for parsed in rows:
        live[parsed.row] = {
            key: read_live(parsed, draft.errors, COLUMN[key], ctx.readers[key])
            for key in ("court", "county", "offence")
        }
    for key in CASE_KEYS:
        seen: dict[str, list[int]] = {}
        for parsed in rows:
            value = live[parsed.row][key] if key in ("court", "county") else parsed.values.get(key)
            if value is None or value == "":
                continue
            shown = str(value) if not isinstance(value, dt.date) else f"{value:%d %b %Y}"
            if key == "county" and str(value) in ctx.lists.counties:
                shown = ctx.lists.counties[str(value)].name
            seen.setdefault(shown if key != "prosecutor" else shown.casefold(), []).append(parsed.row)
            draft.fields.setdefault(key, value)
        if len(seen) > 1:
            listed = "; ".join(
                gettext("'%(value)s' on row %(rows)s") % {"value": shown, "rows": ", ".join(map(str, found))}
                for shown, found in seen.items()
            )
            for found in seen.values():
                for row in found:
                    draft.err(
                        row,
                        key,
                        gettext("the rows of one case disagree on the %(column)s (%(listed)s): give one")
                        % {"column": COLUMN[key].header, "listed": listed},
                    )
    if "court" in draft.fields:
        draft.court = ctx.lists.courts[str(draft.fields["court"])]
    if "county" in draft.fields:
        draft.county = ctx.lists.counties[str(draft.fields["county"])]
    elif draft.court is not None:
        draft.county = draft.court.county
    else:
        draft.err(draft.first_row, "county", gettext("give the county (or the court) of the case"))
    _read_lead(draft, ctx)
    number = split_court_case(str(draft.fields["court_case"])) if draft.fields.get("court_case") else None
    ob = draft.fields.get("ob_number")
    draft.duplicate_of = (ctx.by_ob.get(ob_key(str(ob))) if ob else None) or (
        ctx.by_court.get(number.key) if number else None
    )
    _read_counts(draft, ctx, live)
    return draft


def _read_lead(draft: CaseDraft, ctx: Context) -> None:
    from core.access import has_role

    username = draft.fields.get("prosecutor")
    if not username:
        draft.lead = ctx.importer
        return
    lead = ctx.users.get(str(username).casefold())
    row = next(p.row for p in draft.rows if p.values.get("prosecutor"))
    if lead is None:
        draft.err(
            row, "prosecutor", gettext("'%(name)s' is not the username of anyone in the tracker") % {"name": username}
        )
    elif not has_role(lead, PROSECUTION_ROLES):
        draft.err(
            row, "prosecutor", gettext("%(name)s is not a prosecutor and cannot lead a case") % {"name": username}
        )
    elif lead.pk != ctx.importer.pk and not has_role(ctx.importer, [Role.UNIT_HEAD]):
        draft.err(
            row,
            "prosecutor",
            gettext("you may import only the cases you lead; the unit head imports the cases of other prosecutors"),
        )
    else:
        draft.lead = lead


def _sentence_parts(parsed: ParsedRow, draft: CaseDraft) -> dict[str, Any]:
    got = parsed.values
    months, life, fine = got.get("sentence_months"), bool(got.get("life")), got.get("fine")
    if months is None and not life and fine is None:
        for key in ("fine_relation", "override_ground", "override_reason", "sentence_date"):
            if got.get(key) is not None:
                draft.err(
                    parsed.row, key, gettext("give the sentence (a term in months, life or a fine) this goes with")
                )
        return {}
    relation = got.get("fine_relation")
    if fine is None:
        relation = relation or FineRelation.NONE
    elif months is None and not life:
        relation = relation or FineRelation.FINE_ONLY
    elif relation is None:
        draft.err(
            parsed.row,
            "fine_relation",
            gettext("with both a term and a fine, say whether the fine is in the alternative or cumulative"),
        )
        relation = FineRelation.CUMULATIVE
    return {
        "custodial_months": months,
        "life_imprisonment": life,
        "fine_amount": fine,
        "fine_relation": relation,
        "override_ground": got.get("override_ground") or "",
        "override_reason": got.get("override_reason") or "",
    }


def _read_counts(draft: CaseDraft, ctx: Context, live: dict[int, dict[str, Any]]) -> None:
    numbers: dict[str, set[int]] = {}
    for parsed in draft.rows:
        got = parsed.values
        for key in DATE_KEYS:
            not_after_today(parsed.row, COLUMN[key], got.get(key), draft.errors)
        name = str(got.get("accused") or "")
        key = _accused_key(name)
        role = str(got.get("network_role") or NetworkRole.OTHER)
        if key and key not in draft.accused:
            draft.accused[key] = (" ".join(name.split()), role, parsed.row)
        elif key and got.get("network_role") and draft.accused[key][1] != role:
            if draft.accused[key][1] == NetworkRole.OTHER:
                draft.accused[key] = (draft.accused[key][0], role, draft.accused[key][2])
            else:
                draft.err(
                    parsed.row,
                    "network_role",
                    gettext("%(name)s has another network role on row %(row)s: give one")
                    % {"name": name, "row": draft.accused[key][2]},
                )
        offence = live[parsed.row]["offence"]
        if not offence:
            for column in ("count_number", "plea", "outcome", "sentence_months", "life", "fine", "offence_date"):
                if got.get(column) is not None and got.get("offence") is None:
                    draft.err(parsed.row, "offence", gettext("give the offence of the count"))
                    break
            continue
        used = numbers.setdefault(key, set())
        number = got.get("count_number")
        if number is not None:
            if int(cast(int, number)) < 1:
                draft.err(parsed.row, "count_number", gettext("count numbers start at 1"))
            elif number in used:
                draft.err(
                    parsed.row,
                    "count_number",
                    gettext("%(name)s has a count %(number)s on another row of this case")
                    % {"name": name, "number": number},
                )
            used.add(int(cast(int, number)))
        plea = str(got.get("plea") or "")
        count = CountDraft(
            row=parsed.row,
            accused=key,
            number=cast("int | None", number),
            offence=str(offence),
            offence_date=cast("dt.date | None", got.get("offence_date")),
            plea="" if plea == Plea.NOT_TAKEN else plea,
            plea_date=cast("dt.date | None", got.get("plea_date")),
            outcome="" if got.get("outcome") == Disposition.PENDING else str(got.get("outcome") or ""),
            outcome_date=cast("dt.date | None", got.get("outcome_date")),
            sentence=_sentence_parts(parsed, draft),
            sentence_date=cast("dt.date | None", got.get("sentence_date")),
        )
        _check_offence_and_sentence(draft, ctx, count)
        draft.counts.append(count)
    for count in draft.counts:  # numbers left empty follow the ones given, in row order
        if count.number is None:
            used = numbers[count.accused]
            count.number = next(n for n in range(1, len(used) + 2) if n not in used)
            used.add(count.number)


def _check_offence_and_sentence(draft: CaseDraft, ctx: Context, count: CountDraft) -> None:
    from prosecutions.services.counts import check_sentence_parts
    from prosecutions.services.penalties import SentenceTerms, check_override

    day = count.offence_date or today()
    version = ctx.lists.offence_in_force(count.offence, day)
    if version is None:
        statute, section = split_offence_code(count.offence)
        draft.err(
            count.row,
            "offence",
            gettext("%(offence)s was not in force on %(day)s; check the offence date")
            % {"offence": offence_label(statute, section), "day": f"{day:%d %b %Y}"},
        )
        return
    if not count.sentence:
        return
    parts = count.sentence
    try:
        check_sentence_parts(
            cast("Case", None),
            relation=FineRelation(parts["fine_relation"]),
            custodial_months=parts["custodial_months"],
            life_imprisonment=parts["life_imprisonment"],
            fine_amount=parts["fine_amount"],
            compensation_amount=None,
            compensation_victim=None,
            deportation=False,
        )
        terms = SentenceTerms(
            None if parts["life_imprisonment"] else parts["custodial_months"],
            parts["life_imprisonment"],
            parts["fine_amount"],
            parts["fine_relation"],
        )
        check_override(version, terms, parts["override_ground"], parts["override_reason"])
    except DomainError as error:
        column = {"override_ground": "override_ground", "override_reason": "override_reason"}.get(
            str(error.field), "sentence_months"
        )
        draft.err(count.row, column, error.message)


# --- The walk through the stages ------------------------------------------------------------------


def _fmt(day: dt.date) -> str:
    return f"{day:%d %b %Y}"


class _Walk:
    """The services' calls that bring a case from its opening to where the register says it stands, each
    dated, and what in the rows makes that impossible (said before anything is saved)."""

    def __init__(self, draft: CaseDraft) -> None:
        self.draft = draft
        self.fields = draft.fields
        self.last: dt.date = cast(dt.date, self.fields.get("reported_on") or today())
        self.steps: list[Step] = []

    def err(self, row: int, key: str, message: str) -> None:
        self.draft.err(row, key, message)

    def move(self, stage: Stage, day: dt.date, row: int, key: str, **extra: Any) -> None:
        if day < self.last:
            self.err(
                row,
                key,
                gettext("the case reaches %(stage)s on %(day)s, before its previous step (%(last)s)")
                % {"stage": stage.label, "day": _fmt(day), "last": _fmt(self.last)},
            )
        self.last = max(self.last, day)
        self.steps.append(Step(row, "move", day, stage, extra))

    def record(self, kind: str, count: CountDraft, index: int) -> None:
        day = {"plea": count.plea_date, "outcome": count.outcome_date, "sentence": count.sentence_date}[kind]
        self.steps.append(Step(count.row, kind, day, index))

    def reached(self) -> Stage:
        """The stage the case got to (before closing, for a closed case)."""
        stage = Stage(self.fields["stage"])
        if stage != Stage.CLOSED:
            return stage
        counts = self.draft.counts
        if any(count.sentence for count in counts):
            return Stage.SENTENCING
        if any(count.outcome in VERDICTS for count in counts):
            return Stage.JUDGMENT
        in_court = self.fields.get("court_case") and self.fields.get("charged_on") and counts
        if any(count.plea or count.outcome for count in counts) or in_court:
            return Stage.PRE_TRIAL
        if self.fields.get("charged_on"):
            return Stage.CHARGING_DECISION
        return Stage.INVESTIGATION

    def run(self) -> list[Step]:
        draft, fields = self.draft, self.draft.fields
        first = draft.first_row
        reported = fields.get("reported_on")
        if reported is None or "stage" not in fields:
            return []
        self._check_counts(reported)
        stage, reached = Stage(fields["stage"]), self.reached()
        self.steps.append(Step(first, "open", reported))
        for key, (_name, _role, row) in draft.accused.items():
            self.steps.append(Step(row, "accused", None, key))
        for index, count in enumerate(draft.counts):
            self.steps.append(Step(count.row, "count", count.offence_date, index))
        level = ORDER.index(reached)
        charged = fields.get("charged_on")
        if level < ORDER.index(Stage.PRE_TRIAL):
            for count in draft.counts:
                if count.plea or count.outcome or count.sentence:
                    key = "plea" if count.plea else "outcome" if count.outcome else "sentence_months"
                    self.err(
                        count.row,
                        key,
                        gettext("pleas, outcomes and sentences come once the case is in court; it is at %(stage)s")
                        % {"stage": reached.label},
                    )
            if level >= ORDER.index(Stage.CHARGING_DECISION):
                day = charged or (fields.get("stage_on") if stage != Stage.CLOSED else None) or reported
                self.move(Stage.CHARGING_DECISION, day, first, "charged_on")
        else:
            self._in_court(reached, charged)
        if stage == Stage.APPEAL:
            self._final_move(Stage.APPEAL)
        if stage == Stage.CLOSED:
            self._close()
        return self.steps

    def _check_counts(self, reported: dt.date) -> None:
        for count in self.draft.counts:
            for key in ("offence_date", "plea_date", "outcome_date", "sentence_date"):
                day = getattr(count, key)
                if day is not None and key != "offence_date" and day < reported:
                    self.err(
                        count.row,
                        key,
                        gettext("%(day)s is before the case was reported (%(reported)s)")
                        % {"day": _fmt(day), "reported": _fmt(reported)},
                    )
            if count.outcome in NEED_DEFENCE:
                self.err(
                    count.row,
                    "outcome",
                    gettext(
                        "'%(outcome)s' rests on a defence hearing on record, which a register does not hold: import "
                        "the count without its outcome and record the outcome on the case page"
                    )
                    % {"outcome": Disposition(count.outcome).label},
                )
            if count.outcome and count.outcome_date is None:
                self.err(count.row, "outcome_date", gettext("give the date of the outcome"))
            if count.outcome in VERDICTS and not count.plea:
                self.err(
                    count.row, "plea", gettext("a verdict after trial rests on a plea: give the plea to the count")
                )
            if count.outcome in OWN_PLEA and count.plea != OWN_PLEA[Disposition(count.outcome)]:
                self.err(
                    count.row,
                    "plea",
                    gettext("'%(outcome)s' needs the plea '%(plea)s'")
                    % {
                        "outcome": Disposition(count.outcome).label,
                        "plea": Plea(OWN_PLEA[Disposition(count.outcome)]).label,
                    },
                )
            if count.outcome and count.plea_date and count.outcome_date and count.outcome_date < count.plea_date:
                self.err(count.row, "outcome_date", gettext("the outcome is dated before the plea"))
            if count.sentence:
                if count.outcome not in CONVICTIONS:
                    self.err(count.row, "sentence_months", gettext("a sentence is passed only on a conviction"))
                if count.sentence_date is None:
                    self.err(count.row, "sentence_date", gettext("give the date the sentence was passed"))
                elif count.outcome_date and count.sentence_date < count.outcome_date:
                    self.err(count.row, "sentence_date", gettext("the sentence is dated before the conviction"))

    def _in_court(self, reached: Stage, charged: dt.date | None) -> None:
        draft, fields, first = self.draft, self.fields, self.draft.first_row
        missing = [key for key in ("court", "court_case", "charged_on") if not fields.get(key)]
        for key in missing:
            self.err(
                first,
                key,
                gettext("a case at %(stage)s has been charged in court: give the %(column)s")
                % {"stage": reached.label, "column": COLUMN[key].header},
            )
        if not draft.counts:
            self.err(first, "offence", gettext("a case charged in court has at least one count: give the offence"))
        if missing or not draft.counts:
            return
        charged = cast(dt.date, charged)
        self.move(Stage.CHARGING_DECISION, charged, first, "charged_on")
        self.move(Stage.PRE_TRIAL, charged, first, "charged_on")
        for index, count in enumerate(draft.counts):
            if count.plea:
                count.plea_date = count.plea_date or charged
                if count.plea_date < charged:
                    self.err(count.row, "plea_date", gettext("the plea is dated before the case was charged in court"))
                self.record("plea", count, index)
        level = ORDER.index(reached)
        verdicts = [count for count in draft.counts if count.outcome in VERDICTS]
        own_plea_path = reached in (Stage.SENTENCING, Stage.APPEAL) and not verdicts
        if level <= ORDER.index(Stage.PRE_TRIAL) or own_plea_path:
            self._decided_at_plea(reached, verdicts, own_plea_path)
        else:
            self._tried(reached, charged, verdicts)

    def _decided_at_plea(self, reached: Stage, verdicts: list[CountDraft], own_plea_path: bool) -> None:
        draft, first = self.draft, self.draft.first_row
        for count in verdicts:
            self.err(
                count.row,
                "outcome",
                gettext(
                    "a verdict after trial is recorded once the trial has ended (Judgment); the case is at %(stage)s"
                )
                % {"stage": reached.label},
            )
        for index, count in enumerate(draft.counts):
            if count.outcome and count.outcome not in VERDICTS:
                self.record("outcome", count, index)
        if not own_plea_path:
            for count in draft.counts:
                if count.sentence:
                    self.err(
                        count.row,
                        "sentence_months",
                        gettext("sentences are recorded at Judgment or Sentencing; the case is at %(stage)s")
                        % {"stage": reached.label},
                    )
            return
        pending = [count for count in draft.counts if not count.outcome]
        for count in pending:
            self.err(
                count.row,
                "outcome",
                gettext("the case went from the plea straight to sentencing (no trial): every count needs its outcome"),
            )
        if not any(count.outcome in OWN_PLEA for count in draft.counts):
            self.err(
                first,
                "stage",
                gettext(
                    "a case reaches Sentencing with no trial only on a conviction on own plea or a plea agreement; "
                    "give the verdicts after trial, or the convictions on plea"
                ),
            )
        days = [count.outcome_date for count in draft.counts if count.outcome_date]
        self.move(Stage.SENTENCING, max([self.last, *days]), first, "outcome_date")
        self._sentences()

    def _tried(self, reached: Stage, charged: dt.date, verdicts: list[CountDraft]) -> None:
        draft, first = self.draft, self.draft.first_row
        trial_on = max([charged, *(count.plea_date for count in draft.counts if count.plea and count.plea_date)])
        if reached == Stage.TRIAL and self.fields.get("stage_on"):
            trial_on = max(trial_on, self.fields["stage_on"])
        pending = []
        for index, count in enumerate(draft.counts):
            if count.outcome and count.outcome not in VERDICTS and count.outcome_date and count.outcome_date < trial_on:
                self.record("outcome", count, index)
            elif count.outcome not in VERDICTS or not count.outcome:
                pending.append((index, count))
        at_trial = [count for _index, count in pending] + verdicts
        for count in at_trial:
            if not count.plea:
                self.err(count.row, "plea", gettext("the case went to trial: give the plea to this count"))
        if not at_trial:
            self.err(first, "stage", gettext("every count had its outcome before a trial: there was nothing to try"))
        elif all(count.plea in ADMISSIONS for count in at_trial):
            self.err(
                first,
                "stage",
                gettext(
                    "every count left for trial was admitted, so there was nothing to try: record the convictions "
                    "on own plea and the stage Sentencing"
                ),
            )
        self.move(Stage.TRIAL, trial_on, first, "plea_date")
        for index, count in pending:
            if count.outcome:
                self.record("outcome", count, index)
        if reached == Stage.TRIAL:
            for count in verdicts:
                self.err(
                    count.row,
                    "outcome",
                    gettext(
                        "a verdict after trial is recorded once the trial has ended (Judgment); the case is at Trial"
                    ),
                )
            for count in draft.counts:
                if count.sentence:
                    self.err(
                        count.row,
                        "sentence_months",
                        gettext("sentences are recorded at Judgment or Sentencing; the case is at Trial"),
                    )
            return
        days = [count.outcome_date for count in verdicts if count.outcome_date]
        judged_on = (
            min(days) if days else (self.fields.get("stage_on") if reached == Stage.JUDGMENT else None) or trial_on
        )
        row = next((count.row for count in verdicts if count.outcome_date == judged_on), first)
        self.move(Stage.JUDGMENT, judged_on, row, "outcome_date" if days else "stage_on")
        for count in verdicts:
            self.record("outcome", count, draft.counts.index(count))
        sentenced = [count for count in draft.counts if count.sentence]
        if reached == Stage.SENTENCING or (reached == Stage.APPEAL and sentenced):
            if not any(count.outcome in CONVICTIONS for count in draft.counts):
                self.err(first, "stage", gettext("sentencing needs a conviction on at least one count"))
            sentence_days = [count.sentence_date for count in sentenced if count.sentence_date]
            on = min(sentence_days) if sentence_days else self.fields.get("stage_on") or judged_on
            self.move(Stage.SENTENCING, on, first, "sentence_date" if sentence_days else "stage_on")
        self._sentences()

    def _sentences(self) -> None:
        for index, count in enumerate(self.draft.counts):
            if count.sentence and count.outcome in CONVICTIONS and count.sentence_date:
                self.record("sentence", count, index)

    def _final_move(self, stage: Stage, **extra: Any) -> None:
        first = self.draft.first_row
        day = self.fields.get("stage_on")
        if day is None:
            self.err(first, "stage_on", gettext("give the day the case reached %(stage)s") % {"stage": stage.label})
            return
        self.move(stage, day, first, "stage_on", **extra)

    def _close(self) -> None:
        first = self.draft.first_row
        reason = self.fields.get("closure_reason")
        if not reason:
            self.err(first, "closure_reason", gettext("give the reason the case was closed"))
            return
        if reason == ClosureReason.CONCLUDED:
            for count in self.draft.counts:
                if not count.outcome:
                    self.err(
                        count.row,
                        "outcome",
                        gettext("a case closes as concluded only when every count has an outcome"),
                    )
        self._final_move(Stage.CLOSED, closure_reason=reason)


def _summary(draft: CaseDraft, parsed: ParsedRow, ctx: Context) -> str:
    values_ = parsed.values
    count = next((count for count in draft.counts if count.row == parsed.row), None)
    name = str(values_.get("accused") or "")
    if count is not None:
        statute, section = split_offence_code(count.offence)
        what = gettext("accused %(name)s, count %(number)s — %(offence)s") % {
            "name": name,
            "number": count.number,
            "offence": offence_label(statute, section),
        }
        if count.outcome:
            what += f", {Disposition(count.outcome).label}"
    else:
        what = gettext("accused %(name)s, not yet charged") % {"name": name}
    if draft.duplicate_of is not None:
        return gettext("Already in the tracker as %(reference)s (%(case)s): not imported again") % {
            "reference": draft.duplicate_of.reference,
            "case": draft.named(),
        }
    if parsed.row == draft.first_row:
        where = draft.court.name if draft.court else (draft.county.name if draft.county else "")
        stage = Stage(draft.fields["stage"]).label if draft.fields.get("stage") else ""
        return gettext("New case at %(where)s (%(stage)s), %(what)s") % {"where": where, "stage": stage, "what": what}
    return gettext("Same case as row %(row)s: %(what)s") % {"row": draft.first_row, "what": what}


def _drafts(rows: Sequence[ParsedRow], ctx: Context) -> Iterator[CaseDraft]:
    """Each case's draft in turn, made as it is needed and let go after (memory stays that of one case)."""
    for group in _group(rows):
        draft = _read_case(group, ctx)
        draft.steps = _Walk(draft).run()
        yield draft


@register
class CaseRegister(ImportKind):
    """The case register: one row per count, rows of one case joined by OB or court case number."""

    slug = "cases"
    title = _("Case register")
    columns = COLUMNS
    allowed_roles = PROSECUTION_ROLES  # who opens cases on the pages (prosecutions.access.CASE_WRITERS)
    list_url_name = "prosecutions:case_list"

    @classmethod
    def live_choices(cls) -> dict[str, tuple[str, ...]]:
        """The drop-down words of the columns whose choices are the tracker's own reference lists."""
        lists = ReferenceLists.load()
        offences = tuple(offence_label(*split_offence_code(code)) for code in lists.offences)
        return {
            "court": tuple(lists.courts),
            "county": tuple(county.name for county in lists.counties.values()),
            "offence": offences,
        }

    def plan(self, rows: Sequence[ParsedRow], user: User) -> list[RowPlan]:
        ctx = Context.load(rows, user)
        plans: dict[int, RowPlan] = {}
        for draft in _drafts(rows, ctx):
            by_row: dict[int, list[RowError]] = {}
            for error in draft.errors:
                by_row.setdefault(error.row, []).append(error)
            action = Action.DUPLICATE if draft.duplicate_of is not None else Action.CREATE
            for parsed in draft.rows:
                errors = [*parsed.errors, *by_row.get(parsed.row, [])]
                plans[parsed.row] = RowPlan(
                    parsed.row, parsed.values, action, _summary(draft, parsed, ctx), _unique(errors)
                )
        return [plans[parsed.row] for parsed in rows]

    def apply(self, plans: Sequence[RowPlan], user: User, *, file_name: str, progress: Callable[[int], None]) -> None:
        rows = [ParsedRow(plan.row, plan.values) for plan in plans]
        ctx = Context.load(rows, user)
        done = 0
        for draft in _drafts(rows, ctx):
            if draft.errors:  # the tracker changed since the preview: nothing is saved
                error = draft.errors[0]
                raise RowRefused(error.row, error.message, error.column)
            if draft.duplicate_of is None:
                _save(draft, ctx, user, file_name)
            done += len(draft.rows)
            progress(done)


def _unique(errors: list[RowError]) -> list[RowError]:
    return list(dict.fromkeys(errors))


def _save(draft: CaseDraft, ctx: Context, user: User, file_name: str) -> None:
    """Walk the case through the services, each call noted with the row it comes from."""
    from core.channels import history_note
    from prosecutions import services

    fields = draft.fields
    number: CourtCaseNumber | None = split_court_case(str(fields["court_case"])) if fields.get("court_case") else None
    case: Case | None = None
    accused: dict[str, Accused] = {}
    charges: dict[int, Charge] = {}
    for step in draft.steps:
        with history_note(f"imported from {file_name}, row {step.row}"):
            try:
                if step.kind == "open":
                    first = draft.rows[0].values.get("accused") or ""
                    title = fields.get("title") or f"Republic v. {' '.join(str(first).split())}" + (
                        " and others" if len(draft.accused) > 1 else ""
                    )
                    case = services.open_case(
                        user,
                        title=str(title)[:255],
                        county=cast("County", draft.county),
                        opened_on=cast(dt.date, step.day),
                        lead_prosecutor=draft.lead,
                        court=draft.court,
                        court_case_type=number.case_type if number else "Criminal Case",
                        court_case_serial=number.serial if number else "",
                        court_case_year=number.year if number else None,
                        ob_number=str(fields.get("ob_number") or ""),
                        ob_date=cast(dt.date, step.day),
                    )
                    continue
                assert case is not None
                if step.kind == "accused":
                    name, role, _row = draft.accused[step.target]
                    accused[step.target] = services.add_accused(case, user, name=name, network_role=role)
                elif step.kind == "count":
                    count = draft.counts[step.target]
                    charges[step.target] = services.add_charge(
                        accused[count.accused],
                        user,
                        count_number=cast(int, count.number),
                        offence=ctx.lists.offences[count.offence][-1],
                        offence_date=count.offence_date,
                    )
                elif step.kind == "move":
                    services.move_stage(
                        case,
                        user,
                        step.target,
                        effective_on=step.day,
                        closure_reason=step.extra.get("closure_reason", ""),
                    )
                elif step.kind == "plea":
                    count = draft.counts[step.target]
                    services.record_plea(charges[step.target], user, plea=count.plea, plea_date=step.day)
                elif step.kind == "outcome":
                    count = draft.counts[step.target]
                    services.record_disposition(
                        charges[step.target], user, disposition=count.outcome, disposition_date=step.day
                    )
                elif step.kind == "sentence":
                    count = draft.counts[step.target]
                    services.record_sentence(charges[step.target], user, sentenced_on=step.day, **count.sentence)
            except DomainError as error:
                raise refused(step.row, error) from error
