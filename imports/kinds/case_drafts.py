"""The case register's rows read into drafts: the rows of one case grouped (by OB or court case number), the
values they must agree on, the accused and their counts, each checked against the reference lists and the
cases already in the tracker — everything but the walk through the stages (``imports.kinds.case_walk``).

A draft is made for one case at a time and let go after, so memory is that of one case."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import numpy
from django.utils.translation import gettext

from core.exceptions import DomainError
from core.guards import today
from core.roles import PROSECUTION_ROLES, Role
from imports import values
from imports.kinds.base import ParsedRow, RowError
from imports.kinds.case_columns import CASE_KEYS, COLUMN, DATE_KEYS
from imports.kinds.common import (
    LOOKUP_CHUNK,
    CourtCaseNumber,
    KnownCases,
    ReferenceLists,
    not_after_today,
    number_hash,
    ob_key,
    offence_label,
    read_live,
    split_court_case,
    split_offence_code,
)
from prosecutions.choices import Disposition, FineRelation, NetworkRole, Plea

if TYPE_CHECKING:
    from core.models import County, User
    from prosecutions.models import Case, Court


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
    sentence: dict[str, Any]  # the parts given to ``record_sentence`` ({} when none), but the compensated victim
    sentence_date: dt.date | None
    victim: str = ""  # the compensated victim's key (their label in the register, folded), "" when none


@dataclass
class Step:
    """One call to a service, for the row it comes from."""

    row: int
    kind: str  # "open", "accused", "count", "move", "plea", "defence", "outcome", "victim", "sentence"
    day: dt.date | None = None
    target: Any = None  # the accused key, the count's index, the stage, or the compensated victim's key
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CaseDraft:
    """The rows of one case, read and checked together."""

    rows: list[ParsedRow]
    fields: dict[str, Any] = field(default_factory=dict)
    accused: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # key → (name, role, first row)
    # The victims compensated: key → (label, form of exploitation, first row).
    victims: dict[str, tuple[str, str, int]] = field(default_factory=dict)
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


def _numbers(got: dict[str, object]) -> tuple[str, CourtCaseNumber | None]:
    """What joins a row to its case: its OB number's key ("" for none) and its court case number."""
    ob = got.get("ob_number")
    return (ob_key(str(ob)) if ob else "", split_court_case(str(got["court_case"])) if got.get("court_case") else None)


class Survey:
    """What a first reading of the file keeps: which case each row belongs to — rows sharing an OB number or a
    court case number are one case (either joins them, transitively), a row with neither is a case of its
    own — and what the rows name that is already in the tracker. A few bytes a row, in typed arrays: never the
    rows, nor their numbers as text.

    Each row's two numbers are kept as 64-bit hashes (``number_hash``) and rows are joined by sorting them
    (``layout``). Two different numbers with one hash would join two cases: ``grouped`` compares the numbers
    of each case's rows in full and hands such cases on apart, so a collision costs memory, never a merge.
    The cases and users named are looked up ``LOOKUP_CHUNK`` at a time while the file is read, and only the
    matches are kept (``KnownCases``; users by name)."""

    def __init__(self) -> None:
        self.ob_of = array("q")  # row index → the hash of its OB key (0: none)
        self.court_of = array("q")  # row index → the hash of its court case key (0: none)
        self.known = KnownCases()
        self.users: dict[str, User] = {}  # username, folded → the active user of that name
        self._names: set[str] = set()  # prosecutors named, not yet looked up
        self._layout: tuple[array[int], bytearray] | None = None

    def add(self, parsed: ParsedRow) -> None:
        got = parsed.values
        ob, number = _numbers(got)
        self.ob_of.append(number_hash(ob) if ob else 0)
        self.court_of.append(number_hash(number.key) if number is not None else 0)
        self.known.note(str(got.get("ob_number") or ""), number)
        name = str(got.get("prosecutor") or "")
        if name and name.casefold() not in self.users:
            self._names.add(name)
            if len(self._names) >= LOOKUP_CHUNK:
                self._look_up_names()

    def finish(self) -> None:
        """Look up what is still waiting (once every row is added)."""
        self.known.finish()
        self._look_up_names()

    def _look_up_names(self) -> None:
        from core.models import User

        if not self._names:
            return
        chunk, self._names = sorted(self._names), set()
        for user in User.objects.filter(username__in=chunk, is_active=True):
            self.users[user.username.casefold()] = user

    def layout(self) -> tuple[array[int], bytearray]:
        """Each row's case (the index of the case's first row) and whether the row is its case's last (1);
        the hashes are let go. Rows of equal hash are next to each other once sorted by it: each is joined
        to the next, and the joins are followed to the first row (union–find in a typed array)."""
        if self._layout is not None:
            return self._layout
        count = len(self.ob_of)
        parent = array("i", range(count))  # row index → an earlier row of its case (itself for the first)

        def find(index: int) -> int:
            while parent[index] != index:
                parent[index] = parent[parent[index]]
                index = parent[index]
            return index

        for hashes in (self.ob_of, self.court_of):
            for a, b in _alike(hashes):
                first, other = find(a), find(b)
                if first != other:
                    parent[max(first, other)] = min(first, other)
        self.ob_of, self.court_of = array("q"), array("q")
        for index in range(count):  # each row's parent is earlier (or itself): its case is its parent's case
            parent[index] = parent[parent[index]]
        last, seen = bytearray(count), bytearray(count)
        for index in range(count - 1, -1, -1):
            if not seen[parent[index]]:
                seen[parent[index]] = last[index] = 1
        self._layout = parent, last
        return self._layout


def _alike(hashes: array[int]) -> Iterator[tuple[int, int]]:
    """Pairs of rows with the same hash (0, no number, excepted): each row and the next in the hash's order."""
    values = numpy.frombuffer(hashes, dtype=numpy.int64)
    order = numpy.argsort(values, kind="stable")
    ranked = values[order]
    for at in numpy.flatnonzero((ranked[1:] == ranked[:-1]) & (ranked[1:] != 0)):
        yield int(order[at]), int(order[at + 1])


def survey(rows: Iterable[ParsedRow]) -> Survey:
    found = Survey()
    for parsed in rows:
        found.add(parsed)
    found.finish()
    return found


def grouped(rows: Iterable[ParsedRow], found: Survey) -> Iterator[list[ParsedRow]]:
    """The rows of each case (read again, in the order of ``found``), handed on as soon as the case's last row
    is read: only the rows of cases still being read are held (for a register kept case by case, one)."""
    cases, last = found.layout()
    reading: dict[int, list[ParsedRow]] = {}
    for index, parsed in enumerate(rows):
        case = cases[index]
        reading.setdefault(case, []).append(parsed)
        if last[index]:
            yield from apart(reading.pop(case))


def apart(rows: list[ParsedRow]) -> list[list[ParsedRow]]:
    """The rows the survey found one case, as the cases their numbers make when compared in full: one, unless
    two numbers shared a hash — then each case on its own, in the order of their last rows."""
    if len(rows) == 1:
        return [rows]
    parent = list(range(len(rows)))

    def find(index: int) -> int:
        while parent[index] != index:
            index = parent[index]
        return index

    first_of: dict[tuple[str, object], int] = {}
    read: dict[tuple[object, object], tuple[str, CourtCaseNumber | None]] = {}  # the rows of a case repeat them
    for index, parsed in enumerate(rows):
        written = (parsed.values.get("ob_number"), parsed.values.get("court_case"))
        ob, number = read[written] if written in read else read.setdefault(written, _numbers(parsed.values))
        for key in ((("ob", ob),) if ob else ()) + ((("court", number.key),) if number is not None else ()):
            if key in first_of:
                a, b = find(first_of[key]), find(index)
                parent[max(a, b)] = min(a, b)
            else:
                first_of[key] = index
    cases: dict[int, list[ParsedRow]] = {}
    for index, parsed in enumerate(rows):
        cases.setdefault(find(index), []).append(parsed)
    return sorted(cases.values(), key=lambda case: case[-1].row) if len(cases) > 1 else [rows]


@dataclass
class Context:
    """What the rows are read against: the reference lists, the users named, the cases already recorded."""

    lists: ReferenceLists
    importer: User
    users: dict[str, User]
    known: KnownCases
    readers: dict[str, values.Parser]

    @classmethod
    def load(cls, found: Survey, importer: User) -> Context:
        lists = ReferenceLists.load()
        readers = {
            "court": lists.court_reader(),
            "county": lists.county_reader(),
            "offence": lists.offence_reader(),
        }
        return cls(lists, importer, found.users, found.known, readers)


def read_case(rows: list[ParsedRow], ctx: Context) -> CaseDraft:
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
    draft.duplicate_of = ctx.known.case_for(str(draft.fields.get("ob_number") or ""), number)
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
    compensation, deportation = got.get("compensation"), bool(got.get("deportation"))
    if months is None and not life and fine is None and compensation is None and not deportation:
        for key in ("fine_relation", "override_ground", "override_reason", "sentence_date"):
            if got.get(key) is not None:
                draft.err(
                    parsed.row,
                    key,
                    gettext(
                        "give the sentence (a term in months, life, a fine, compensation or deportation) this goes with"
                    ),
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
        "compensation_amount": compensation,
        "deportation": deportation,
    }


def _victim_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def _read_victim(parsed: ParsedRow, draft: CaseDraft) -> str:
    """The key of the victim a row's compensation is ordered to ("" for none), checked against the other rows
    of the case. The label only tells victims apart within the file: it is never saved."""
    got = parsed.values
    label, exploitation = str(got.get("compensated_victim") or ""), str(got.get("victim_exploitation") or "")
    if got.get("compensation") is None:
        for key in ("compensated_victim", "victim_exploitation"):
            if got.get(key) is not None:
                draft.err(parsed.row, key, gettext("give the compensation ordered to the victim"))
        return ""
    if not label:
        draft.err(parsed.row, "compensated_victim", gettext("name the victim the compensation is ordered to"))
        return ""
    key = _victim_key(label)
    if key not in draft.victims:
        draft.victims[key] = (label, exploitation, parsed.row)
    elif exploitation and exploitation != draft.victims[key][1]:
        known, earlier, first = draft.victims[key]
        if earlier:
            draft.err(
                parsed.row,
                "victim_exploitation",
                gettext("%(victim)s has another form of exploitation on row %(row)s: give one")
                % {"victim": label, "row": first},
            )
        else:
            draft.victims[key] = (known, exploitation, first)
    return key


def _check_victims(draft: CaseDraft) -> None:
    """Each compensated victim is added to the case: the form of exploitation is needed (on one of its rows)."""
    for label, exploitation, row in draft.victims.values():
        if not exploitation:
            draft.err(
                row,
                "victim_exploitation",
                gettext("give the form of exploitation of %(victim)s, who is added to the case") % {"victim": label},
            )


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
            for column in (
                "count_number",
                "plea",
                "outcome",
                "sentence_months",
                "life",
                "fine",
                "compensation",
                "deportation",
                "offence_date",
            ):
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
            victim=_read_victim(parsed, draft),
        )
        _check_offence_and_sentence(draft, ctx, count)
        draft.counts.append(count)
    _check_victims(draft)
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
    # The compensated victim is added to the case as it is imported: a victim of this case (read as such here).
    this_case = SimpleNamespace(pk=0)
    victim = SimpleNamespace(case_id=0) if parts["compensation_amount"] is not None else None
    try:
        check_sentence_parts(
            cast("Case", this_case),
            relation=FineRelation(parts["fine_relation"]),
            custodial_months=parts["custodial_months"],
            life_imprisonment=parts["life_imprisonment"],
            fine_amount=parts["fine_amount"],
            compensation_amount=parts["compensation_amount"],
            compensation_victim=victim,
            deportation=parts["deportation"],
        )
        terms = SentenceTerms(
            None if parts["life_imprisonment"] else parts["custodial_months"],
            parts["life_imprisonment"],
            parts["fine_amount"],
            parts["fine_relation"],
        )
        check_override(version, terms, parts["override_ground"], parts["override_reason"])
    except DomainError as error:
        column = {
            "override_ground": "override_ground",
            "override_reason": "override_reason",
            "compensation_amount": "compensation",
        }.get(str(error.field), "sentence_months")
        draft.err(count.row, column, error.message)
