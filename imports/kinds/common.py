"""What the three kinds of register share: the reference lists read from the database (offences, courts,
counties) as choice readers with did-you-mean, the court case number, the rule that every date has already
happened, and the error that stops an import when a service refuses a row at the last moment."""

from __future__ import annotations

import datetime as dt
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import DomainError
from core.guards import today
from imports import values
from imports.kinds.base import CellError, CellValue, Column, ImportKind, ParsedRow, RowError, RowPlan
from prosecutions.choices import Statute

if TYPE_CHECKING:
    from core.models import County
    from prosecutions.models import Case, Court, Offence

# How many values one ``__in`` lookup carries (SQLite allows 999 parameters per query).
LOOKUP_CHUNK = 500

# The short names of the statutes, as a charge sheet abbreviates them ("CTIP s.3(1)").
STATUTE_SHORT: dict[str, str] = {
    Statute.CTIP: "CTIP",
    Statute.SEXUAL_OFFENCES: "SOA",
    Statute.CHILDREN: "Children Act",
    Statute.IMMIGRATION: "Immigration Act",
    Statute.PENAL_CODE: "Penal Code",
}
# Other ways registers name a statute before its section.
STATUTE_ALIASES: dict[str, tuple[str, ...]] = {
    Statute.CTIP: ("CTIP Act", "Counter-Trafficking in Persons Act"),
    Statute.SEXUAL_OFFENCES: ("Sexual Offences Act",),
    Statute.CHILDREN: (),
    Statute.IMMIGRATION: ("KCIA",),
    Statute.PENAL_CODE: ("PC",),
}


class RowRefused(DomainError):
    """A service refused a row while the import was being saved (what the preview could not foresee, such as
    another officer's change in between): the whole import is undone, and the message names the row."""

    def __init__(self, row: int, message: str, column: str = "") -> None:
        self.row_error = RowError(row, column, message)
        super().__init__(str(self.row_error))


def refused(row: int, error: DomainError, column: str = "") -> RowRefused:
    """The service's refusal, said of the spreadsheet row it came from."""
    return RowRefused(row, error.message, column)


def offence_label(statute: str, section: str) -> str:
    """How a register writes an offence: "CTIP s.3(1)"."""
    return f"{STATUTE_SHORT.get(statute, statute)} s.{section}"


def offence_code(statute: str, section: str) -> str:
    return f"{statute}|{section}"


def split_offence_code(code: str) -> tuple[str, str]:
    statute, section = code.split("|")[:2]
    return statute, section


@dataclass
class ReferenceLists:
    """The database's reference lists an import reads against, each loaded once per preview or save."""

    offences: dict[str, list[Offence]]  # offence code → its versions, oldest first
    courts: dict[str, Court]  # name → court
    counties: dict[str, County]  # code → county

    @classmethod
    def load(cls) -> ReferenceLists:
        from core.models import County
        from prosecutions.models import Court, Offence

        offences: dict[str, list[Offence]] = {}
        statutes = list(Statute.values)
        ordered = sorted(
            Offence.objects.order_by("effective_from"),
            key=lambda o: (statutes.index(o.statute) if o.statute in statutes else 99, _natural(o.section)),
        )
        for offence in ordered:
            offences.setdefault(offence_code(offence.statute, offence.section), []).append(offence)
        courts = {court.name: court for court in Court.objects.filter(is_active=True).select_related("county")}
        counties = {county.code: county for county in County.objects.all()}
        return cls(offences=offences, courts=courts, counties=counties)

    def offence_reader(self) -> values.Parser:
        options: dict[str, str] = {}
        for code in self.offences:
            statute, section = split_offence_code(code)
            label = offence_label(statute, section)
            options[code] = label
            for number, alias in enumerate((STATUTE_SHORT.get(statute, statute), *STATUTE_ALIASES.get(statute, ()))):
                options[f"{code}|{number}a"] = f"{alias} s.{section}"
                options[f"{code}|{number}b"] = f"{alias} section {section}"
                options[f"{code}|{number}c"] = f"section {section} {alias}"
        reader = values.choice(options, _("a section of the Act"))

        def parse(value: CellValue) -> str:
            statute, section = split_offence_code(str(reader(value)))
            return offence_code(statute, section)

        return parse

    def court_reader(self) -> values.Parser:
        return values.choice({name: name for name in self.courts}, _("a court in the list"))

    def county_reader(self) -> values.Parser:
        options = {code: county.name for code, county in self.counties.items()}
        return values.choice(options, _("a county of Kenya"))

    def offence_in_force(self, code: str, on: dt.date) -> Offence | None:
        """The version of the offence that applied on ``on`` (as ``prosecutions.services.offence_in_force``)."""
        for version in reversed(self.offences.get(code, [])):
            if version.effective_from <= on and (version.effective_to is None or on <= version.effective_to):
                return version
        return None


def _natural(section: str) -> tuple[int, str]:
    """A section as the Act orders it: 3(1) before 10."""
    match = re.match(r"\d+", section)
    return (int(match.group()) if match else 0, section)


def read_live(
    parsed: ParsedRow, errors: list[RowError], column: Column, reader: Callable[[CellValue], object]
) -> object | None:
    """A cell whose accepted values live in the database, read now: the engine kept it as text."""
    raw = parsed.values.get(column.key)
    if raw is None:
        return None
    try:
        return reader(raw)  # type: ignore[arg-type]
    except CellError as error:
        errors.append(RowError(parsed.row, column.header, error.message))
        return None


def not_after_today(row: int, column: Column, day: object, errors: list[RowError]) -> None:
    if isinstance(day, dt.date) and day > today():
        errors.append(
            RowError(
                row,
                column.header,
                _("%(day)s is in the future: record events once they have happened") % {"day": f"{day:%d %b %Y}"},
            )
        )


# --- The court case number ------------------------------------------------------------------------

_COURT_CASE = re.compile(
    r"^\s*(?:(?P<type>[A-Za-z][A-Za-z .']*[A-Za-z.])\s+)?(?:No\.?\s*)?(?P<serial>[A-Za-z]{0,3}\s?\d{1,8}[A-Za-z]?)"
    r"\s*(?:of|/|-)\s*(?P<year>(?:19|20)\d{2})\s*$",
    re.IGNORECASE,
)
_CASE_TYPES = {"cr": "Criminal Case", "crc": "Criminal Case", "criminal case": "Criminal Case"}
DEFAULT_CASE_TYPE = "Criminal Case"


@dataclass(frozen=True)
class CourtCaseNumber:
    """A court's case number: "Criminal Case E123 of 2024" (type, serial, year)."""

    case_type: str
    serial: str
    year: int

    def __str__(self) -> str:
        return f"{self.case_type} {self.serial} of {self.year}"

    @property
    def key(self) -> tuple[str, int]:
        """What makes two numbers the same case: the serial (ignoring case and spaces) and the year."""
        return (self.serial.replace(" ", "").upper(), self.year)


def split_court_case(text: str) -> CourtCaseNumber | None:
    match = _COURT_CASE.match(text)
    if match is None:
        return None
    words = (match.group("type") or "").split()
    if words and words[-1].rstrip(".").lower() == "no":  # "Criminal Case No. E5 of 2022"
        words.pop()
    serial = match.group("serial").replace(" ", "").upper()
    if words and len(words[-1]) == 1 and serial.isdigit():  # "Criminal Case E 99 of 2020": the E is the serial's
        serial = words.pop().upper() + serial
    raw_type = " ".join(words).strip(" .")
    case_type = _CASE_TYPES.get(raw_type.lower(), raw_type.title() if raw_type else DEFAULT_CASE_TYPE)
    return CourtCaseNumber(case_type[:60], serial, int(match.group("year")))


def court_case_number(value: CellValue) -> str:
    """A court case number such as "Criminal Case E123 of 2024", "E123/2024" or "CR 45 of 2019", written
    back in full."""
    written = values.text(value)
    number = split_court_case(written)
    if number is None:
        raise CellError(
            _("'%(value)s' is not a court case number; write it as E123 of 2024 or Criminal Case E123 of 2024")
            % {"value": values.shown(value)}
        )
    return str(number)


def number_hash(key: object) -> int:
    """A number's key (an OB key, a court case key) as a 64-bit integer for a typed array, never 0 (which
    stands for no number). Python's own ``hash``, salted afresh in each process, so the same for every
    reading of one import. Two keys may share one: whoever groups by it compares the keys themselves."""
    return hash(key) or 1


class KnownCases:
    """The cases already in the tracker with an OB number or court case number a file gives, looked up
    ``LOOKUP_CHUNK`` numbers at a time as the file is read (``note``, then ``finish``). Only the matches are
    kept, each as its case's id under its number's hash (16 bytes a match, nothing for a number new to the
    tracker); ``case_for`` reads a matching case again and compares its number in full, so a hash shared by
    two numbers never makes a case a duplicate of another."""

    def __init__(self) -> None:
        self._obs: set[str] = set()  # OB numbers as written, not yet looked up
        self._courts: set[tuple[str, int]] = set()  # court case keys (serial, year), not yet looked up
        self._ob_hashes, self._ob_ids = array("q"), array("q")
        self._court_hashes, self._court_ids = array("q"), array("q")

    def note(self, ob_number: str, number: CourtCaseNumber | None) -> None:
        """A row's numbers ("" and None for none), looked up once ``LOOKUP_CHUNK`` of a kind are waiting."""
        if ob_number.strip():
            self._obs.add(ob_number.strip())
            if len(self._obs) >= LOOKUP_CHUNK:
                self._look_up_obs()
        if number is not None:
            self._courts.add(number.key)
            if len(self._courts) >= LOOKUP_CHUNK:
                self._look_up_courts()

    def finish(self) -> None:
        """Look up the numbers still waiting, and order the matches by hash for ``case_for``."""
        self._look_up_obs()
        self._look_up_courts()
        self._ob_hashes, self._ob_ids = _by_hash(self._ob_hashes, self._ob_ids)
        self._court_hashes, self._court_ids = _by_hash(self._court_hashes, self._court_ids)

    def _look_up_obs(self) -> None:
        from prosecutions.models import Case

        if not self._obs:
            return
        chunk, self._obs = sorted(self._obs), set()
        for ob_number, pk in Case.objects.filter(ob_number__in=chunk).values_list("ob_number", "id"):
            self._ob_hashes.append(number_hash(ob_key(ob_number)))
            self._ob_ids.append(pk)

    def _look_up_courts(self) -> None:
        from prosecutions.models import Case

        if not self._courts:
            return
        keys, self._courts = self._courts, set()
        serials = sorted({serial for serial, _year in keys})
        found = Case.objects.filter(court_case_serial__in=serials).values_list(
            "court_case_serial", "court_case_year", "id"
        )
        for serial, year, pk in found:
            key = (serial.replace(" ", "").upper(), year)
            if year and key in keys:  # another year's case: looked up with that year's chunk, if the file has it
                self._court_hashes.append(number_hash(key))
                self._court_ids.append(pk)

    def case_for(self, ob_number: str, number: CourtCaseNumber | None) -> Case | None:
        """The case already in the tracker with this OB number (compared ignoring case and spaces) or, failing
        that, this court case number (serial and year); the first recorded when several have it."""
        if ob_number:
            key = ob_key(ob_number)
            for case in self._candidates(self._ob_hashes, self._ob_ids, number_hash(key)):
                if ob_key(case.ob_number) == key:
                    return case
        if number is not None:
            for case in self._candidates(self._court_hashes, self._court_ids, number_hash(number.key)):
                if (case.court_case_serial.replace(" ", "").upper(), case.court_case_year) == number.key:
                    return case
        return None

    @staticmethod
    def _candidates(hashes: array[int], ids: array[int], wanted: int) -> list[Case]:
        from prosecutions.models import Case

        start, end = bisect_left(hashes, wanted), bisect_right(hashes, wanted)
        if start == end:
            return []
        fields = ("id", "reference", "ob_number", "court_case_serial", "court_case_year", "court_case_type")
        return list(Case.objects.filter(pk__in=list(ids[start:end])).only(*fields).order_by("pk"))


def _by_hash(hashes: array[int], ids: array[int]) -> tuple[array[int], array[int]]:
    """Matches ordered by hash (then id), each once."""
    pairs = sorted(set(zip(hashes, ids, strict=True)))
    return array("q", (hash_ for hash_, _pk in pairs)), array("q", (pk for _hash, pk in pairs))


def ob_key(ob_number: str) -> str:
    return " ".join(ob_number.split()).upper()


# --- Helpers for the kinds' summaries and templates -----------------------------------------------


def first_error_free(plans: Sequence[RowPlan]) -> bool:
    return all(not plan.errors for plan in plans)


def live_choices(kind: type[ImportKind] | ImportKind) -> dict[str, tuple[str, ...]]:
    """The template's drop-down words for columns whose choices live in the database (``Column.choices`` is
    fixed when the code loads): the kind's ``live_choices()`` if it has one."""
    method: Any = getattr(kind, "live_choices", None)
    return dict(method()) if callable(method) else {}


def choice_words(options: Mapping[str, object]) -> tuple[str, ...]:
    """The labels of a set of choices, as a template's drop-down offers them."""
    return tuple(str(label) for label in options.values())


LIVE_NOTE = gettext_lazy("The list is read from the tracker when the template is downloaded.")
