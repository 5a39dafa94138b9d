"""What the three kinds of register share: the reference lists read from the database (offences, courts,
counties) as choice readers with did-you-mean, the court case number, the rule that every date has already
happened, and the error that stops an import when a service refuses a row at the last moment."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
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


def cases_by_numbers(
    ob_numbers: Iterable[str], court_serials: Iterable[str]
) -> tuple[dict[str, Case], dict[tuple[str, int], Case]]:
    """The cases already in the tracker with one of these OB numbers (compared ignoring case and spaces) or
    court case serials (the cases found keyed by serial and year), read in a few queries whatever the file's
    size."""
    from prosecutions.models import Case

    by_ob: dict[str, Case] = {}
    obs = sorted({ob.strip() for ob in ob_numbers if ob.strip()})
    for start in range(0, len(obs), LOOKUP_CHUNK):
        chunk = obs[start : start + LOOKUP_CHUNK]
        query = Q(ob_number__in=chunk)
        for case in Case.objects.filter(query).only("id", "reference", "ob_number", "court_case_serial"):
            by_ob.setdefault(ob_key(case.ob_number), case)
    by_court: dict[tuple[str, int], Case] = {}
    serials = sorted(set(court_serials))
    for start in range(0, len(serials), LOOKUP_CHUNK):
        chunk = serials[start : start + LOOKUP_CHUNK]
        cases = Case.objects.filter(court_case_serial__in=chunk).only(
            "id", "reference", "ob_number", "court_case_serial", "court_case_year", "court_case_type"
        )
        for case in cases:
            if case.court_case_year:
                by_court.setdefault((case.court_case_serial.replace(" ", "").upper(), case.court_case_year), case)
    return by_ob, by_court


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
