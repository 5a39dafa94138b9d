"""TIP statistics (a calendar year, or any dates): the figures the US Trafficking in Persons report and
UNODC ask for — investigations, prosecutions, convictions, sentences and victims identified (adult women,
adult men, girls and boys; by form of exploitation; Kenyan and foreign, per nationality: ``tip_victims``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import Case as Switch
from django.db.models import Count, Max, Min, Value, When
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from core import charts
from core.access import AnyUser
from core.reports import (
    ExcelChart,
    Figure,
    Period,
    PeriodKind,
    Report,
    ReportChart,
    ReportData,
    ReportTable,
    register_report,
)
from core.tables import Column
from prosecutions.choices import ACQUITTALS, CONVICTIONS, DISCHARGES, Scope
from prosecutions.models import Accused, Case, Charge, Sentence
from prosecutions.reports.definitions import (
    DEF_ACQUITTAL,
    DEF_CONVICTION,
    DEF_INVESTIGATION,
    DEF_PERIOD_CALENDAR_OR_DATES,
    DEF_PROSECUTION,
    DEF_SENTENCE,
    DEF_SHARE,
    DEF_VICTIM_EXPLOITATION,
    DEF_VICTIM_IDENTIFIED,
    DEF_VICTIM_NATIONALITY,
    DEF_VICTIM_NRM,
    DEF_VICTIM_SEX_AGE,
)
from prosecutions.reports.shared import (
    PROSECUTION_REPORT_READERS,
    accused_outcomes,
    cases_charged_between,
    count_column,
)
from prosecutions.reports.tip_victims import VictimTables, victim_tables

SENTENCE_BANDS = (
    ("life", _("Life imprisonment")),
    ("30y", _("30 years or more")),
    ("15y", _("15 to under 30 years")),
    ("5y", _("5 to under 15 years")),
    ("under5", _("Under 5 years")),
    ("none", _("No custodial term (fine, compensation or deportation only)")),
)


def _band() -> Switch:
    return Switch(
        When(life_imprisonment=True, then=Value("life")),
        When(custodial_months__gte=360, then=Value("30y")),
        When(custodial_months__gte=180, then=Value("15y")),
        When(custodial_months__gte=60, then=Value("5y")),
        When(custodial_months__gte=1, then=Value("under5")),
        default=Value("none"),
    )


# --- the steps: one figure family each --------------------------------------------------------------


def _investigations(start: dt.date, end: dt.date) -> tuple[ReportTable, int]:
    """Case files opened in the period, by scope, and how many in all."""
    by_scope = dict(
        Case.objects.filter(opened_on__gte=start, opened_on__lte=end)
        .order_by()
        .values_list("scope")
        .annotate(n=Count("id"))
    )
    opened = sum(by_scope.values())
    table = ReportTable(
        "investigations",
        gettext("Investigations opened, by scope"),
        (Column("group", gettext("Scope")), count_column("cases", gettext("Cases"))),
        [{"group": str(label), "cases": by_scope.get(value, 0)} for value, label in Scope.choices],
        total={"group": gettext("Total"), "cases": opened},
        sheet=gettext("Investigations"),
    )
    return table, opened


@dataclass(frozen=True)
class _Outcomes:
    """Accused and counts prosecuted, convicted, acquitted and discharged in the period."""

    charged_accused: int
    charged_counts: int
    convicted_accused: int
    convicted_counts: int
    acquitted_accused: int
    acquitted_counts: int
    discharged_counts: int

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "measure": gettext("Prosecuted (charged)"),
                "accused": self.charged_accused,
                "counts": self.charged_counts,
            },
            {"measure": gettext("Convicted"), "accused": self.convicted_accused, "counts": self.convicted_counts},
            {"measure": gettext("Acquitted"), "accused": self.acquitted_accused, "counts": self.acquitted_counts},
            {
                "measure": gettext("Discharged (withdrawn s.87(a), nolle prosequi s.82)"),
                "accused": None,
                "counts": self.discharged_counts,
            },
        ]


def _outcomes(start: dt.date, end: dt.date) -> _Outcomes:
    charged = Accused.objects.filter(case_id__in=cases_charged_between(start, end), charges__isnull=False).aggregate(
        accused=Count("id", distinct=True), counts=Count("charges", distinct=True)
    )
    per_accused = accused_outcomes(start, end)
    by_outcome = dict(
        Charge.objects.filter(disposition_date__gte=start, disposition_date__lte=end)
        .order_by()
        .values_list("disposition")
        .annotate(n=Count("id"))
    )

    def counts_in(dispositions: Iterable[str]) -> int:
        return sum(by_outcome.get(d, 0) for d in dispositions)

    def accused_where(column: str) -> int:
        return int(per_accused[column].sum()) if not per_accused.empty else 0

    return _Outcomes(
        charged_accused=charged["accused"],
        charged_counts=charged["counts"],
        convicted_accused=accused_where("convicted"),
        convicted_counts=counts_in(CONVICTIONS),
        acquitted_accused=accused_where("acquitted"),
        acquitted_counts=counts_in(ACQUITTALS),
        discharged_counts=counts_in(DISCHARGES),
    )


def _sentences(start: dt.date, end: dt.date) -> ReportTable:
    """Sentences passed in the period, by custodial term, with the range of terms as a note."""
    sentences = Sentence.objects.filter(sentenced_on__gte=start, sentenced_on__lte=end)
    bands = dict(sentences.annotate(band=_band()).order_by().values_list("band").annotate(n=Count("id")))
    terms = sentences.aggregate(shortest=Min("custodial_months"), longest=Max("custodial_months"))
    return ReportTable(
        "sentences",
        gettext("Sentences passed, by custodial term"),
        (Column("band", gettext("Term")), count_column("sentences", gettext("Sentences"))),
        [{"band": str(label), "sentences": bands.get(key, 0)} for key, label in SENTENCE_BANDS],
        total={"band": gettext("Total"), "sentences": sum(bands.values())},
        note=_term_note(terms["shortest"], terms["longest"]),
        sheet=gettext("Sentences"),
    )


# --- the report ------------------------------------------------------------------------------------


def tip_statistics(period: Period, user: AnyUser) -> ReportData:
    start, end = period.start, period.end
    investigations, opened = _investigations(start, end)
    outcomes = _outcomes(start, end)
    sentences = _sentences(start, end)
    victims = victim_tables(start, end)
    prosecutions = ReportTable(
        "prosecutions",
        gettext("Prosecutions, convictions and acquittals"),
        (
            Column("measure", gettext("Measure")),
            count_column("accused", gettext("Accused")),
            count_column("counts", gettext("Counts")),
        ),
        outcomes.rows(),
        sheet=gettext("Prosecutions"),
    )
    figures = [
        Figure("investigations", gettext("Investigations opened"), opened),
        Figure("prosecuted", gettext("Accused prosecuted"), outcomes.charged_accused),
        Figure("convicted", gettext("Accused convicted"), outcomes.convicted_accused),
        Figure("acquitted", gettext("Accused acquitted"), outcomes.acquitted_accused),
        Figure("convicted_counts", gettext("Counts convicted"), outcomes.convicted_counts),
        Figure("victims", gettext("Victims identified"), victims.total),
        Figure("child_victims", gettext("Child victims"), victims.children),
        Figure("foreign_victims", gettext("Foreign victims"), victims.foreign),
    ]
    return ReportData(
        figures=figures,
        tables=[investigations, prosecutions, sentences, *victims.tables],
        charts=_tip_charts(investigations, prosecutions, sentences, victims),
    )


def _tip_charts(
    investigations: ReportTable, prosecutions: ReportTable, sentences: ReportTable, victims: VictimTables
) -> list[ReportChart]:
    return [
        ReportChart(
            "outcomes",
            gettext("Accused prosecuted, convicted and acquitted"),
            charts.grouped_bar(
                pd.DataFrame(list(prosecutions.rows[:3])),
                "measure",
                {"accused": gettext("Accused"), "counts": gettext("Counts")},
                category_title=gettext("Measure"),
                value_title=pgettext("quantity", "Number"),
            ),
            excel=ExcelChart("prosecutions", "measure", ("accused", "counts")),
        ),
        ReportChart(
            "sentences",
            gettext("Sentences by custodial term"),
            charts.bar(
                pd.DataFrame(sentences.rows),
                "band",
                "sentences",
                category_title=gettext("Term"),
                value_title=gettext("Sentences"),
                horizontal=True,
            ),
            excel=ExcelChart("sentences", "band", ("sentences",), chart_type="bar"),
        ),
        ReportChart(
            "victims_tip",
            gettext("Victims: adult women, adult men, girls and boys"),
            charts.bar(
                pd.DataFrame(victims.tip_groups.rows),
                "group",
                "victims",
                category_title=gettext("Group"),
                value_title=gettext("Victims"),
            ),
            excel=ExcelChart("victims_tip", "group", ("victims",)),
        ),
        ReportChart(
            "victims_type",
            gettext("Victims by form of exploitation"),
            charts.bar(
                pd.DataFrame(victims.by_exploitation.rows),
                "group",
                "victims",
                category_title=gettext("Form of exploitation"),
                value_title=gettext("Victims"),
                horizontal=True,
            ),
            excel=ExcelChart("victims_type", "group", ("victims",), chart_type="bar"),
        ),
        ReportChart(
            "victims_nationality",
            gettext("Victims: Kenyan and foreign"),
            charts.donut(pd.DataFrame(victims.by_nationality.rows), "group", "victims"),
            excel=ExcelChart("victims_nationality", "group", ("victims",), chart_type="pie"),
        ),
        ReportChart(
            "scope",
            gettext("Investigations by scope"),
            charts.bar(
                pd.DataFrame(investigations.rows),
                "group",
                "cases",
                category_title=gettext("Scope"),
                value_title=gettext("Cases"),
            ),
            excel=ExcelChart("investigations", "group", ("cases",)),
        ),
    ]


def _term_note(shortest: int | None, longest: int | None) -> str:
    if shortest is None:
        return ""
    return gettext("Custodial terms (excluding life) ranged from %(shortest)s to %(longest)s.") % {
        "shortest": _months(shortest),
        "longest": _months(longest or shortest),
    }


def _months(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(years)s year", "%(years)s years", years) % {"years": years})
    if rest or not years:
        parts.append(ngettext("%(months)s month", "%(months)s months", rest) % {"months": rest})
    return " ".join(parts)


register_report(
    Report(
        key="tip_statistics",
        title=_("TIP statistics"),
        url_name="prosecutions:tip_statistics",
        roles=PROSECUTION_REPORT_READERS,
        app="prosecutions",
        period_kind=PeriodKind.CALENDAR_YEAR,
        any_dates=True,
        compute=tip_statistics,
        description=(
            _(
                "The figures the US Trafficking in Persons report and UNODC ask for: investigations, prosecutions, "
                "convictions, sentences and victims identified (adult women, adult men, girls and boys; by form of "
                "exploitation; Kenyan and foreign). A calendar year, or any dates."
            )
        ),
        definitions=(
            DEF_PERIOD_CALENDAR_OR_DATES,
            DEF_INVESTIGATION,
            DEF_PROSECUTION,
            DEF_CONVICTION,
            DEF_ACQUITTAL,
            DEF_SENTENCE,
            DEF_VICTIM_IDENTIFIED,
            DEF_VICTIM_SEX_AGE,
            DEF_VICTIM_EXPLOITATION,
            DEF_VICTIM_NATIONALITY,
            DEF_VICTIM_NRM,
            DEF_SHARE,
        ),
        order=10,
    )
)
