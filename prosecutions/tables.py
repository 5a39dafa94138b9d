"""Column specs of the prosecutions lists, shared by the screen and the Excel export."""

from __future__ import annotations

from typing import Any

from core.tables import Column, ColumnKind, choice_labels
from prosecutions.choices import ClosureReason, ExploitationType, Stage
from prosecutions.diary import outcome_label


def _lead(case: Any) -> str:
    return str(case.lead_prosecutor) if case.lead_prosecutor_id else ""


def _user_name(first_name: str, last_name: str, username: str) -> str:
    """``str(user)`` from its columns (``User.__str__``: the full name, or else the username)."""
    return f"{first_name} {last_name}".strip() or username


def _court_case_number(court_case_type: str, serial: str, year: int | None) -> str:
    """``Case.court_case_number`` from its columns."""
    if not serial:
        return ""
    return f"{court_case_type} {serial}{f' of {year}' if year else ''}".strip()


_EXPLOITATION_LABELS = {value: str(label) for value, label in ExploitationType.choices}


def _exploitation_labels(values: list[str]) -> str:
    """``Case.exploitation_type_labels`` from the stored list."""
    return ", ".join(_EXPLOITATION_LABELS.get(value, value) for value in values or ())


# The screen reads each column from the case (``accessor``); the Excel export reads the same cells from
# ``values_list(*source)`` through ``convert`` (core.tables.values_plan) — tests/prosecutions hold them equal.
CASE_COLUMNS: tuple[Column, ...] = (
    Column("reference", "ODPP file number", link=True, source=("reference",)),
    Column("title", "Title", source=("title",)),
    Column("stage", "Stage", "get_stage_display", source=("stage",), convert=choice_labels(Stage)),
    Column("county", "County", "county.name", source=("county__name",)),
    Column("court", "Court", "court.name", source=("court__name",)),
    Column(
        "court_case_number",
        "Court case number",
        source=("court_case_type", "court_case_serial", "court_case_year"),
        convert=_court_case_number,
    ),
    Column("ob_number", "OB number", source=("ob_number",)),
    Column(
        "lead_prosecutor",
        "Lead prosecutor",
        _lead,
        source=("lead_prosecutor__first_name", "lead_prosecutor__last_name", "lead_prosecutor__username"),
        convert=_user_name,
    ),
    Column(
        "exploitation",
        "Exploitation",
        "exploitation_type_labels",
        source=("exploitation_types",),
        convert=_exploitation_labels,
    ),
    Column("accused_count", "Accused", kind=ColumnKind.INTEGER, source=("accused_count",)),
    Column("opened_on", "Opened on", kind=ColumnKind.DATE, source=("opened_on",)),
    Column("last_activity_on", "Last activity", kind=ColumnKind.DATE, source=("last_activity_on",)),
    Column(
        "closure_reason",
        "Closure reason",
        "get_closure_reason_display",
        source=("closure_reason",),
        convert=choice_labels(ClosureReason),
    ),
)


def _flag(hearing: Any) -> str:
    if hearing.exceeds_adjournment_limit:
        return f"Over s.205 limit ({hearing.adjournment_clear_days} clear days)"
    return ""


def _annotations(hearing: Any) -> str:
    """Notes other apps attach (``prosecutions.registry.annotate_hearings``), e.g. court measures in force."""
    return "; ".join(getattr(hearing, "annotations", ()))


def _time(hearing: Any) -> str:
    return f"{hearing.time:%H:%M}" if hearing.time else ""


def _case_lead(hearing: Any) -> str:
    return _lead(hearing.case)


# The diary's columns (screen and Excel). The file number links to the case (its Hearings tab); the outcome
# of a hearing whose date has passed without one reads "Outcome not recorded" (``diary.with_outcome_missing``).
HEARING_COLUMNS: tuple[Column, ...] = (
    Column("date", "Date", kind=ColumnKind.DATE),
    Column("case", "ODPP file number", "case.reference", link=True),
    Column("case_title", "Case", "case.title"),
    Column("time", "Time (EAT)", _time),
    Column("court", "Court", "court.name"),
    Column("courtroom", "Courtroom", "courtroom"),
    Column("purpose", "Purpose", "get_purpose_display"),
    Column("stage", "Case stage", "case.get_stage_display"),
    Column("lead_prosecutor", "Lead prosecutor", _case_lead),
    Column("outcome", "Outcome", outcome_label),
    Column("next_date", "Next date", kind=ColumnKind.DATE),
    Column("s205", "Adjournment flag (CPC s.205)", _flag),
    Column("notes", "Witness protection measures", _annotations),
)


def _born(person: Any) -> str:
    if person.date_of_birth:
        return f"{person.date_of_birth:%d %b %Y}"
    return str(person.birth_year or "")


# The person list (screen and Excel): ``case_count`` counts only the cases the user may see
# (``prosecutions.views.persons.persons_listed``).
PERSON_COLUMNS: tuple[Column, ...] = (
    Column("reference", "Reference", link=True),
    Column("name", "Name"),
    Column("aliases", "Also known as"),
    Column("sex", "Sex", "get_sex_display"),
    Column("born", "Born", _born),
    Column("nationality", "Nationality"),
    Column("case_count", "Cases", kind=ColumnKind.INTEGER),
)
