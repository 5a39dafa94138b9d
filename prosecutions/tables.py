"""Column specs of the prosecutions lists, shared by the screen and the Excel export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import catalog

from core.tables import Column, ColumnKind, DetailUrl
from prosecutions.choices import ClosureReason, ExploitationType, Stage
from prosecutions.diary import outcome_label


def _lead(case: Any) -> str:
    return str(case.lead_prosecutor) if case.lead_prosecutor_id else ""


def _user_name(first_name: str, last_name: str, username: str) -> str:
    """``str(user)`` from its columns (``User.__str__``: the full name, or else the username)."""
    return f"{first_name} {last_name}".strip() or username


class _Wording:
    """What every row of one export says alike — each choice's label, the court case number's wording — in
    the language of one translation catalogue, translated once rather than per cell (an export converts
    100,000 rows). Combinations of exploitation types are remembered as they come (at most
    ``COMBINATIONS``)."""

    COMBINATIONS = 4096

    def __init__(self) -> None:
        # Translators: a court case number, e.g. "Criminal Case E123 of 2024".
        self.court_case_number = gettext("%(type)s %(serial)s of %(year)s")
        self.choices: dict[type[models.Choices], dict[Any, str]] = {}
        self.exploitation: dict[tuple[Any, ...], str] = {}

    def labels(self, choices: type[models.Choices]) -> dict[Any, str]:
        labels = self.choices.get(choices)
        if labels is None:
            labels = self.choices[choices] = {value: str(label) for value, label in choices.choices}
        return labels


# The active catalogue and its wording; a new catalogue (another language, or catalogues reloaded after
# ``compile_translations``) gets its own.
_wording: tuple[object, _Wording] | None = None


def _now() -> _Wording:
    """The wording in the active language."""
    global _wording
    active = catalog()
    cached = _wording
    if cached is None or cached[0] is not active:
        cached = _wording = (active, _Wording())
    return cached[1]


def _court_case_number(court_case_type: str, serial: str, year: int | None) -> str:
    """``Case.court_case_number`` from its columns."""
    if not serial:
        return ""
    if not year:
        return f"{court_case_type} {serial}".strip()
    return _now().court_case_number % {"type": court_case_type, "serial": serial, "year": year}


def choice_labels(choices: type[models.Choices]) -> Callable[[Any], str]:
    """A converter from a stored choice to its label in the language active when the cell is written."""

    def label(value: Any) -> str:
        found = _now().labels(choices).get(value)
        return str(value) if found is None else found

    return label


def _exploitation_labels(values: list[str]) -> str:
    """``Case.exploitation_type_labels`` from the stored list, in the active language."""
    if not values:
        return ""
    wording = _now()
    key = tuple(values)
    try:
        text = wording.exploitation.get(key)
    except TypeError:  # something other than a list of codes: labelled as it comes, not remembered
        return ", ".join(str(wording.labels(ExploitationType).get(value, value)) for value in values)
    if text is None:
        labels = wording.labels(ExploitationType)
        text = ", ".join(str(labels.get(value, value)) for value in values)
        if len(wording.exploitation) >= wording.COMBINATIONS:
            wording.exploitation.clear()
        wording.exploitation[key] = text
    return text


# The screen's cells of a case, read from the same attributes the export reads (``source``) and worded by
# the same converters, translated once per catalogue: the model's ``get_stage_display``,
# ``court_case_number`` and ``exploitation_type_labels`` answer the same, translating on every row.
_stage_label = choice_labels(Stage)
_closure_label = choice_labels(ClosureReason)


def _stage(case: Any) -> str:
    return _stage_label(case.stage)


def _closure_reason(case: Any) -> str:
    return _closure_label(case.closure_reason)


def _county(case: Any) -> str | None:
    county = case.county
    return None if county is None else str(county.name)


def _court(case: Any) -> str | None:
    court = case.court
    return None if court is None else str(court.name)


def _case_court_case_number(case: Any) -> str:
    return _court_case_number(case.court_case_type, case.court_case_serial, case.court_case_year)


def _exploitation(case: Any) -> str:
    return _exploitation_labels(case.exploitation_types)


# A case's page (``Case.get_absolute_url``), reversed once per URL configuration and language.
case_url = DetailUrl("prosecutions:case_detail")

# The screen reads each column from the case (``accessor``); the Excel export reads the same cells from
# ``values_list(*source)`` through ``convert`` (core.tables.values_plan) — tests/prosecutions hold them equal.
CASE_COLUMNS: tuple[Column, ...] = (
    Column("reference", _("ODPP file number"), link=True, source=("reference",), href=case_url),
    Column("title", _("Title"), source=("title",)),
    Column("stage", _("Stage"), _stage, source=("stage",), convert=_stage_label),
    Column("county", _("County"), _county, source=("county__name",)),
    Column("court", _("Court"), _court, source=("court__name",)),
    Column(
        "court_case_number",
        _("Court case number"),
        _case_court_case_number,
        source=("court_case_type", "court_case_serial", "court_case_year"),
        convert=_court_case_number,
    ),
    Column("ob_number", _("OB number"), source=("ob_number",)),
    Column(
        "lead_prosecutor",
        _("Lead prosecutor"),
        _lead,
        source=("lead_prosecutor__first_name", "lead_prosecutor__last_name", "lead_prosecutor__username"),
        convert=_user_name,
    ),
    Column(
        "exploitation",
        _("Exploitation"),
        _exploitation,
        source=("exploitation_types",),
        convert=_exploitation_labels,
    ),
    Column("accused_count", _("Accused"), kind=ColumnKind.INTEGER, source=("accused_count",)),
    Column("opened_on", _("Opened on"), kind=ColumnKind.DATE, source=("opened_on",)),
    Column("last_activity_on", _("Last activity"), kind=ColumnKind.DATE, source=("last_activity_on",)),
    Column("closure_reason", _("Closure reason"), _closure_reason, source=("closure_reason",), convert=_closure_label),
)


def _flag(hearing: Any) -> str:
    if hearing.exceeds_adjournment_limit:
        return gettext("Over s.205 limit (%(days)s clear days)") % {"days": hearing.adjournment_clear_days}
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
    Column("date", _("Date"), kind=ColumnKind.DATE),
    Column("case", _("ODPP file number"), "case.reference", link=True),
    Column("case_title", _("Case"), "case.title"),
    Column("time", _("Time (EAT)"), _time),
    Column("court", _("Court"), "court.name"),
    Column("courtroom", _("Courtroom"), "courtroom"),
    Column("purpose", _("Purpose"), "get_purpose_display"),
    Column("stage", _("Case stage"), "case.get_stage_display"),
    Column("lead_prosecutor", _("Lead prosecutor"), _case_lead),
    Column("outcome", _("Outcome"), outcome_label),
    Column("next_date", _("Next date"), kind=ColumnKind.DATE),
    Column("s205", _("Adjournment flag (CPC s.205)"), _flag),
    Column("notes", _("Witness protection measures"), _annotations),
)


def _born(person: Any) -> str:
    if person.date_of_birth:
        return f"{person.date_of_birth:%d %b %Y}"
    return str(person.birth_year or "")


# The person list (screen and Excel): ``case_count`` counts only the cases the user may see
# (``prosecutions.views.persons.persons_listed``).
PERSON_COLUMNS: tuple[Column, ...] = (
    Column("reference", _("Reference"), link=True),
    Column("name", _("Name")),
    Column("aliases", _("Also known as")),
    Column("sex", _("Sex"), "get_sex_display"),
    Column("born", _("Born"), _born),
    Column("nationality", _("Nationality")),
    Column("case_count", _("Cases"), kind=ColumnKind.INTEGER),
)
