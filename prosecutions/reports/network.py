"""Organisers versus small fish (financial year): accused by their role in the trafficking network —
charged, convicted, acquitted, sentenced, and the assets seized from them. Is the unit reaching the
organisers?"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core import charts
from core.access import AnyUser
from core.reports import (
    ASSETS_BY_ACCUSED_ROLE,
    PERCENT,
    ExcelChart,
    Figure,
    Period,
    PeriodKind,
    Report,
    ReportChart,
    ReportData,
    ReportTable,
    get_source,
    register_report,
)
from core.tables import Column, ColumnKind
from prosecutions.choices import NetworkRole
from prosecutions.models import Accused, Sentence
from prosecutions.reports.definitions import (
    DEF_ACQUITTAL,
    DEF_ASSETS_RECOVERED,
    DEF_ASSETS_SEIZED,
    DEF_BY_PERSON,
    DEF_CONVICTION,
    DEF_MEDIAN_TERM,
    DEF_PERIOD_FINANCIAL,
    DEF_PERSON_TERM,
    DEF_PERSONS_CONVICTED,
    DEF_PROSECUTION,
    DEF_REPEAT_ORGANISERS,
)
from prosecutions.reports.shared import (
    PROSECUTION_REPORT_READERS,
    ZERO,
    accused_outcomes,
    cases_charged_between,
    count_column,
    frame,
    median,
    rate,
)

ROLE_COLUMNS = (
    Column("role", _("Network role")),
    count_column("charged", _("Accused charged")),
    count_column("convicted", _("Convicted")),
    count_column("acquitted", _("Acquitted")),
    Column("median_months", _("Median custodial term (months)"), kind=ColumnKind.DECIMAL),
    count_column("life", _("Life sentences")),
    count_column("assets", _("Assets seized from them")),
    Column("assets_value", _("Value of assets seized"), kind=ColumnKind.MONEY),
)
ROLE_KEY = "charge__accused__network_role"
SENTENCE_FIELDS = [ROLE_KEY, "custodial_months", "life_imprisonment"]
NO_ASSETS_NOTE = _("Assets seized by network role are not available: the assets app has not registered them.")

# By person (the index of persons): registered by the assets app, read here.
ASSETS_RECOVERED_BY_PERSON_ROLE = "assets_recovered_by_person_role"
PERSON_COLUMNS = (
    Column("role", _("Network role")),
    count_column("persons", _("Persons charged")),
    count_column("convicted", _("Persons convicted")),
    Column("median_months", _("Median term per person (months)"), kind=ColumnKind.DECIMAL),
    count_column("life", _("Persons sentenced to life")),
    count_column("recovered", _("Assets recovered")),
    Column("recovered_value", _("Value of assets recovered"), kind=ColumnKind.MONEY),
)


# --- the steps -------------------------------------------------------------------------------------


def _charged_by_role(start: dt.date, end: dt.date) -> dict[str, int]:
    """Accused charged in the period (their case first charged in it), per network role."""
    return dict(
        Accused.objects.filter(case_id__in=cases_charged_between(start, end), charges__isnull=False)
        .order_by()
        .values_list("network_role")
        .annotate(n=Count("id", distinct=True))
    )


def _outcomes_by_role(start: dt.date, end: dt.date) -> tuple[dict[Any, int], dict[Any, int]]:
    """Accused convicted, and accused acquitted, in the period, per network role."""
    outcomes = accused_outcomes(start, end)
    if outcomes.empty:
        return {}, {}
    convicted = outcomes[outcomes["convicted"]].groupby("network_role").size().to_dict()
    acquitted = outcomes[outcomes["acquitted"]].groupby("network_role").size().to_dict()
    return convicted, acquitted


def _sentences(start: dt.date, end: dt.date) -> pd.DataFrame:
    """The sentences passed in the period: the role of the accused, the term in months, life or not."""
    rows = list(
        Sentence.objects.filter(sentenced_on__gte=start, sentenced_on__lte=end).order_by().values(*SENTENCE_FIELDS)
    )
    return frame(rows, SENTENCE_FIELDS)


def _median_term(sentences: pd.DataFrame) -> Decimal | None:
    """The median custodial term in months, leaving out life sentences and sentences with no term."""
    if sentences.empty:
        return None
    terms = sentences[(sentences["life_imprisonment"] == False) & sentences["custodial_months"].notna()]  # noqa: E712
    return median(terms["custodial_months"])


def _seized_by_role(start: dt.date, end: dt.date) -> tuple[dict[str, tuple[int, Decimal]], list[StrOrPromise]]:
    """Assets seized in the period from accused of each role (count, value), as the assets app reports
    them; a note instead when no app has registered that source."""
    source = get_source(ASSETS_BY_ACCUSED_ROLE)
    if source is None:
        return {}, [NO_ASSETS_NOTE]
    return dict(source(start, end)), []


def _role_rows(
    start: dt.date, end: dt.date, seized: dict[str, tuple[int, Decimal]]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One row per network role, and the row for all roles."""
    charged = _charged_by_role(start, end)
    convicted, acquitted = _outcomes_by_role(start, end)
    sentences = _sentences(start, end)
    rows: list[dict[str, Any]] = []
    for value, label in NetworkRole.choices:
        mine = sentences[sentences[ROLE_KEY] == value] if not sentences.empty else sentences
        count, worth = seized.get(value, (0, ZERO))
        rows.append(
            {
                "role": str(label),
                "charged": charged.get(value, 0),
                "convicted": int(convicted.get(value, 0)),
                "acquitted": int(acquitted.get(value, 0)),
                "median_months": _median_term(mine),
                "life": int(mine["life_imprisonment"].sum()) if not mine.empty else 0,
                "assets": count,
                "assets_value": worth,
            }
        )
    return rows, _total_row(rows, sentences)


def _total_row(rows: list[dict[str, Any]], sentences: pd.DataFrame) -> dict[str, Any]:
    return {
        "role": gettext("All roles"),
        "charged": sum(r["charged"] for r in rows),
        "convicted": sum(r["convicted"] for r in rows),
        "acquitted": sum(r["acquitted"] for r in rows),
        "median_months": _median_term(sentences),
        "life": sum(r["life"] for r in rows),
        "assets": sum(r["assets"] for r in rows),
        "assets_value": sum((r["assets_value"] for r in rows), ZERO),
    }


# --- by person -------------------------------------------------------------------------------------


def _person_roles(start: dt.date, end: dt.date) -> pd.DataFrame:
    """(person, role) pairs of the accused charged in the period (their case first charged in it)."""
    rows = list(
        Accused.objects.filter(
            case_id__in=cases_charged_between(start, end), charges__isnull=False, person__isnull=False
        )
        .order_by()
        .values("person_id", "network_role")
        .distinct()
    )
    return frame(rows, ["person_id", "network_role"])


def _persons_convicted(start: dt.date, end: dt.date) -> pd.DataFrame:
    outcomes = accused_outcomes(start, end)
    if outcomes.empty:
        return frame([], ["person_id", "network_role"])
    convicted = outcomes[outcomes["convicted"]]
    persons = dict(
        Accused.objects.filter(pk__in=[int(pk) for pk in convicted["accused_id"]]).values_list("pk", "person_id")
    )
    rows = [
        {"person_id": persons.get(int(accused_id)), "network_role": role}
        for accused_id, role in zip(convicted["accused_id"].tolist(), convicted["network_role"].tolist(), strict=True)
    ]
    return frame([r for r in rows if r["person_id"] is not None], ["person_id", "network_role"]).drop_duplicates()


def _person_sentences(start: dt.date, end: dt.date) -> pd.DataFrame:
    fields = ["charge__accused__person_id", ROLE_KEY, "custodial_months", "life_imprisonment"]
    rows = list(
        Sentence.objects.filter(sentenced_on__gte=start, sentenced_on__lte=end, charge__accused__person__isnull=False)
        .order_by()
        .values(*fields)
    )
    return frame(rows, fields)


def _repeat_organisers(start: dt.date, end: dt.date) -> int:
    organisers = (
        Accused.objects.filter(
            case_id__in=cases_charged_between(start, end),
            charges__isnull=False,
            network_role=NetworkRole.ORGANISER,
            person__isnull=False,
        )
        .order_by()
        .values("person_id")
    )
    return (
        Accused.objects.filter(person_id__in=organisers)
        .order_by()
        .values("person_id")
        .annotate(cases=Count("case_id", distinct=True))
        .filter(cases__gt=1)
        .count()
    )


def _person_rows(start: dt.date, end: dt.date) -> tuple[list[dict[str, Any]], dict[str, Any], list[StrOrPromise]]:
    """One row per network role counting persons (not accused records), the total row, and notes."""
    charged = _person_roles(start, end)
    convicted = _persons_convicted(start, end)
    sentences = _person_sentences(start, end)
    source = get_source(ASSETS_RECOVERED_BY_PERSON_ROLE)
    recovered: dict[str, tuple[int, Decimal]] = dict(source(start, end)) if source is not None else {}
    notes: list[StrOrPromise] = (
        [] if source is not None else [gettext("Assets recovered by person are not available: no app registers them.")]
    )
    person_key = "charge__accused__person_id"

    def longest_terms(rows: pd.DataFrame) -> Decimal | None:
        terms = rows[(rows["life_imprisonment"] == False) & rows["custodial_months"].notna()]  # noqa: E712
        if terms.empty:
            return None
        return median(terms.groupby(person_key)["custodial_months"].max())

    def count(data: pd.DataFrame, role: str | None) -> int:
        if data.empty:
            return 0
        mine = data if role is None else data[data["network_role"] == role]
        return int(mine["person_id"].nunique())

    rows: list[dict[str, Any]] = []
    for value, label in NetworkRole.choices:
        mine = sentences[sentences[ROLE_KEY] == value] if not sentences.empty else sentences
        n, worth = recovered.get(value, (0, ZERO))
        rows.append(
            {
                "role": str(label),
                "persons": count(charged, value),
                "convicted": count(convicted, value),
                "median_months": longest_terms(mine) if not mine.empty else None,
                "life": int(mine[mine["life_imprisonment"] == True][person_key].nunique()) if not mine.empty else 0,  # noqa: E712
                "recovered": n,
                "recovered_value": worth,
            }
        )
    total = {
        "role": gettext("All roles (each person once)"),
        "persons": count(charged, None),
        "convicted": count(convicted, None),
        "median_months": longest_terms(sentences) if not sentences.empty else None,
        "life": int(sentences[sentences["life_imprisonment"] == True][person_key].nunique())  # noqa: E712
        if not sentences.empty
        else 0,
        "recovered": sum(r["recovered"] for r in rows),
        "recovered_value": sum((r["recovered_value"] for r in rows), ZERO),
    }
    return rows, total, notes


# --- the report ------------------------------------------------------------------------------------


def network_roles(period: Period, user: AnyUser) -> ReportData:
    start, end = period.start, period.end
    seized, notes = _seized_by_role(start, end)
    rows, total = _role_rows(start, end, seized)
    organisers = next(r for r in rows if r["role"] == str(NetworkRole.ORGANISER.label))
    figures = [
        Figure("organisers_charged", gettext("Organisers / financiers charged"), organisers["charged"]),
        Figure("organisers_convicted", gettext("Organisers / financiers convicted"), organisers["convicted"]),
        Figure(
            "organiser_share",
            gettext("Organisers' share of convictions"),
            rate(organisers["convicted"], total["convicted"]),
            PERCENT,
        ),
        Figure("charged", gettext("Accused charged"), total["charged"]),
        Figure("convicted", gettext("Accused convicted"), total["convicted"]),
        Figure("assets_value", gettext("Assets seized from accused"), total["assets_value"], ColumnKind.MONEY),
    ]
    table = ReportTable(
        "roles", gettext("Accused by network role"), ROLE_COLUMNS, rows, total=total, sheet=gettext("By network role")
    )
    person_rows, person_total, person_notes = _person_rows(start, end)
    figures.append(
        Figure("repeat_organisers", gettext("Organisers in more than one case"), _repeat_organisers(start, end)),
    )
    figures.append(Figure("persons_convicted", gettext("Persons convicted"), person_total["convicted"]))
    by_person = ReportTable(
        "persons",
        gettext("Persons by network role"),
        PERSON_COLUMNS,
        person_rows,
        total=person_total,
        sheet=gettext("By person"),
        note=gettext("Each real person once per role, however many cases they were accused in (the index of persons)."),
    )
    return ReportData(
        figures=figures,
        tables=[table, by_person],
        charts=_network_charts(pd.DataFrame(rows)),
        notes=notes + person_notes,
    )


def _network_charts(roles: pd.DataFrame) -> list[ReportChart]:
    return [
        ReportChart(
            "outcomes",
            gettext("Charged, convicted and acquitted, by network role"),
            charts.grouped_bar(
                roles,
                "role",
                {"charged": gettext("Charged"), "convicted": gettext("Convicted"), "acquitted": gettext("Acquitted")},
                category_title=gettext("Network role"),
                value_title=gettext("Accused"),
            ),
            excel=ExcelChart("roles", "role", ("charged", "convicted", "acquitted")),
        ),
        ReportChart(
            "sentences",
            gettext("Median custodial term by role (months)"),
            charts.bar(
                roles.assign(median_months=roles["median_months"].map(lambda v: float(v) if v is not None else 0.0)),
                "role",
                "median_months",
                category_title=gettext("Network role"),
                value_title=gettext("Months"),
            ),
            excel=ExcelChart("roles", "role", ("median_months",)),
        ),
        ReportChart(
            "assets",
            gettext("Value of assets seized, by role of the owner (KES)"),
            charts.bar(
                roles,
                "role",
                "assets_value",
                category_title=gettext("Network role"),
                value_title=gettext("KES"),
                money=True,
                horizontal=True,
            ),
            excel=ExcelChart("roles", "role", ("assets_value",), chart_type="bar"),
        ),
    ]


register_report(
    Report(
        key="network_roles",
        title=_("Organisers versus small fish"),
        url_name="prosecutions:network_roles",
        roles=PROSECUTION_REPORT_READERS,
        app="prosecutions",
        period_kind=PeriodKind.FINANCIAL_YEAR,
        compute=network_roles,
        description=_("Accused by their role in the trafficking network: is the unit reaching the organisers?"),
        definitions=(
            DEF_PERIOD_FINANCIAL,
            DEF_PROSECUTION,
            DEF_CONVICTION,
            DEF_ACQUITTAL,
            DEF_MEDIAN_TERM,
            DEF_ASSETS_SEIZED,
            DEF_BY_PERSON,
            DEF_PERSONS_CONVICTED,
            DEF_PERSON_TERM,
            DEF_ASSETS_RECOVERED,
            DEF_REPEAT_ORGANISERS,
        ),
        order=30,
    )
)
