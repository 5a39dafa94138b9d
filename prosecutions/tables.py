"""Column specs of the prosecutions lists, shared by the screen and the Excel export."""

from __future__ import annotations

from typing import Any

from core.tables import Column, ColumnKind
from prosecutions.diary import outcome_label


def _lead(case: Any) -> str:
    return str(case.lead_prosecutor) if case.lead_prosecutor_id else ""


CASE_COLUMNS: tuple[Column, ...] = (
    Column("reference", "ODPP file number", link=True),
    Column("title", "Title"),
    Column("stage", "Stage", "get_stage_display"),
    Column("county", "County", "county.name"),
    Column("court", "Court", "court.name"),
    Column("court_case_number", "Court case number"),
    Column("ob_number", "OB number"),
    Column("lead_prosecutor", "Lead prosecutor", _lead),
    Column("exploitation", "Exploitation", "exploitation_type_labels"),
    Column("accused_count", "Accused", kind=ColumnKind.INTEGER),
    Column("opened_on", "Opened on", kind=ColumnKind.DATE),
    Column("last_activity_on", "Last activity", kind=ColumnKind.DATE),
    Column("closure_reason", "Closure reason", "get_closure_reason_display"),
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
