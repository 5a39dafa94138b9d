"""ODPP's statistics by case: every charged case counted once, under the offence section of its lead count,
as registered, brought forward, concluded (with the outcome of the case) or pending in a period.

A count carries its own outcome (``Charge.disposition``); a case's outcome is derived from the outcomes of
all the counts of all its accused by a fixed precedence (``PRECEDENCE``), so that a case with two accused,
one convicted and one acquitted, is one conviction. Everything is read in two queries — the cases' charge
dates, and the counts of the cases charged by the end of the period and not closed before the earliest
period compared — and shaped with pandas, so the figures of the period and of the three before it cost
those two queries whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from prosecutions.choices import ACQUITTALS, CONVICTIONS, ClosureReason, Disposition, Statute
from prosecutions.models import Charge
from prosecutions.reports.shared import CTIP_SHORT, first_charged_on, rate

PREVIOUS_PERIODS = 3  # "the average of the last three"


@dataclass(frozen=True)
class Outcome:
    """What became of a concluded case, as ODPP reports it: the count outcomes that lead to it and, for counts
    left without an outcome when the case was closed, the closure reasons that do."""

    key: str
    label: StrOrPromise
    dispositions: frozenset[str]
    closures: frozenset[str] = frozenset()
    conviction: bool = False
    verdict: bool = False  # a conviction or an acquittal: in the conviction rate's denominator


# The precedence: the first outcome any count of the case has decides the case. A conviction beats
# everything; a conviction after trial beats one on a plea agreement, which beats one on own plea (the case
# needed a trial for the first); a verdict of acquittal beats a discharge; a discharge beats abatement.
PRECEDENCE: tuple[Outcome, ...] = (
    Outcome(
        "after_trial", _("Convicted after trial"), frozenset({Disposition.CONVICTED_AFTER_TRIAL}), conviction=True,
        verdict=True,
    ),
    Outcome(
        "plea_agreement", _("Convicted on plea agreement"), frozenset({Disposition.CONVICTED_PLEA_AGREEMENT}),
        conviction=True, verdict=True,
    ),
    Outcome(
        "own_plea", _("Convicted on own plea"), frozenset({Disposition.CONVICTED_OWN_PLEA}), conviction=True,
        verdict=True,
    ),
    Outcome(
        "acquitted", _("Acquitted (s.215, s.87(b))"),
        frozenset({Disposition.ACQUITTED_AFTER_DEFENCE, Disposition.ACQUITTED_WITHDRAWN}), verdict=True,
    ),
    Outcome("no_case", _("No case to answer (s.210)"), frozenset({Disposition.ACQUITTED_NO_CASE}), verdict=True),
    Outcome(
        "complainant_withdrew", _("Complainant withdrew (s.204)"),
        frozenset({Disposition.ACQUITTED_COMPLAINT_WITHDRAWN}), verdict=True,
    ),
    Outcome(
        "withdrawn", _("Withdrawn (s.87(a))"), frozenset({Disposition.DISCHARGED_WITHDRAWN}),
        frozenset({ClosureReason.WITHDRAWN}),
    ),
    Outcome(
        "nolle", _("Nolle prosequi (s.82)"), frozenset({Disposition.DISCHARGED_NOLLE_PROSEQUI}),
        frozenset({ClosureReason.NOLLE_PROSEQUI}),
    ),
    Outcome("abated", _("Abated"), frozenset({Disposition.ABATED}), frozenset({ClosureReason.ABATED})),
    Outcome(
        "other", _("Diverted or no further action"), frozenset(),
        frozenset({ClosureReason.DIVERTED, ClosureReason.NO_FURTHER_ACTION}),
    ),
)  # fmt: skip
OUTCOMES = {outcome.key: outcome for outcome in PRECEDENCE}
# The order of the columns: how convictions came, then the other outcomes in the order of precedence.
OUTCOME_ORDER: tuple[str, ...] = ("own_plea", "plea_agreement", "after_trial", *(o.key for o in PRECEDENCE[3:]))
_RANK_OF_DISPOSITION = {str(d): rank for rank, o in enumerate(PRECEDENCE) for d in o.dispositions}
_RANK_OF_CLOSURE = {str(c): rank for rank, o in enumerate(PRECEDENCE) for c in o.closures}

# The stock and flow of cases in a period; each charged case is in one section only.
FLOW_MEASURES: tuple[tuple[str, StrOrPromise], ...] = (
    ("registered", _("Registered")),
    ("brought_forward", _("Brought forward")),
    ("concluded", _("Concluded")),
)
PENDING_MEASURE = ("pending", _("Pending at the end"))
MEASURES: tuple[tuple[str, StrOrPromise], ...] = (
    *FLOW_MEASURES,
    *((key, OUTCOMES[key].label) for key in OUTCOME_ORDER),
    PENDING_MEASURE,
)

_COUNT_FIELDS = {
    "case_id": "accused__case_id",
    "accused_id": "accused_id",
    "count_number": "count_number",
    "statute": "offence__statute",
    "section": "offence__section",
    "disposition": "disposition",
    "disposition_date": "disposition_date",
    "closed_on": "accused__case__closed_on",
    "closure_reason": "accused__case__closure_reason",
}


def section_label(statute: Any, section: Any) -> str:
    """ "CTIP Act s.7", "SOA s.8(1)": the offence section a figure is counted under."""
    short = {
        Statute.CTIP: CTIP_SHORT,
        Statute.SEXUAL_OFFENCES: "SOA",
        Statute.CHILDREN: "Children Act",
        Statute.IMMIGRATION: "Immigration Act",
        Statute.PENAL_CODE: "Penal Code",
    }.get(Statute(statute), statute)
    return f"{short} s.{section}"


def section_sort_key(statute: Any, section: Any) -> tuple[int, str, tuple[int, str]]:
    """CTIP Act sections first, in the Act's numeric order (s.3(1) before s.10), then the other statutes."""
    digits = "".join(ch for ch in section if ch.isdigit()) or "0"
    leading = int("".join(ch for ch in section.split("(")[0] if ch.isdigit()) or digits)
    return (0 if statute == Statute.CTIP else 1, statute, (leading, section))


def counts_of_cases(first: dt.date, last: dt.date) -> pd.DataFrame:
    """Every count of every case charged by ``last`` and not closed before ``first``, with its case's charge
    date (the first move to pre-trial), closing date and closure reason: two queries (the charge dates, then
    the counts), joined by pandas. Dates are Timestamps."""
    charged = first_charged_on().filter(charged_on__lte=last)
    charge_dates = pd.DataFrame(list(charged.values_list("case_id", "charged_on")), columns=["case_id", "charged_on"])
    rows = list(
        Charge.objects.filter(accused__case_id__in=charged.values("case_id"))
        .filter(Q(accused__case__closed_on__isnull=True) | Q(accused__case__closed_on__gte=first))
        .order_by()
        .values_list(*_COUNT_FIELDS.values())
    )
    counts = pd.DataFrame(rows, columns=list(_COUNT_FIELDS)).merge(charge_dates, on="case_id", how="left")
    for column in ("disposition_date", "closed_on", "charged_on"):
        counts[column] = pd.to_datetime(counts[column])
    return counts


def case_outcomes(counts: pd.DataFrame) -> pd.DataFrame:
    """One row per case: its lead count's section, when it was charged and concluded, and its outcome.

    The lead count is the lowest-numbered count of the accused first added to the case (of those with a
    count). A case is concluded on the day its last count received an outcome, or — if it was closed first,
    with counts still pending — on the day it was closed; a count left pending in a closed case takes the
    outcome of the closure reason. The case's outcome is the first in ``PRECEDENCE`` that any count has."""
    columns = ["case_id", "statute", "section", "charged_on", "concluded_on", "outcome"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    counts = counts.sort_values(["case_id", "accused_id", "count_number"])
    decided = counts["disposition"] != Disposition.PENDING
    # A count's rank in the precedence: by its own outcome, or — left pending in a closed case — by the
    # closure reason; none while it is pending in an open case.
    by_closure = counts["closure_reason"].map(_RANK_OF_CLOSURE).where(counts["closed_on"].notna())
    counts = counts.assign(
        rank=counts["disposition"].map(_RANK_OF_DISPOSITION).where(decided, by_closure), decided=decided
    )
    per_case = counts.groupby("case_id", sort=False).agg(
        statute=("statute", "first"),
        section=("section", "first"),
        charged_on=("charged_on", "first"),
        closed_on=("closed_on", "first"),
        all_decided=("decided", "all"),
        last_outcome_on=("disposition_date", "max"),
        rank=("rank", "min"),
    )
    by_counts = per_case["last_outcome_on"].where(per_case["all_decided"])
    concluded_on = by_counts.fillna(per_case["closed_on"])
    # An outcome dated before the charge (a data-entry slip) cannot conclude the case before it began.
    too_early = concluded_on.notna() & (concluded_on < per_case["charged_on"])
    per_case["concluded_on"] = concluded_on.mask(too_early, per_case["charged_on"])
    per_case["outcome"] = [
        PRECEDENCE[int(rank)].key if pd.notna(rank) and pd.notna(day) else None
        for rank, day in zip(per_case["rank"], per_case["concluded_on"], strict=True)
    ]
    return per_case.reset_index()[columns]


def dated_between(series: pd.Series, first: dt.date, last: dt.date) -> pd.Series:
    """Which of the dates (Timestamps, NaT for none) fall in ``first .. last``, both days included."""
    return series.notna() & (series >= pd.Timestamp(first)) & (series <= pd.Timestamp(last))


def flows(cases: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """The cases with, for the period ``first .. last``, a 0/1 column per measure (``MEASURES``)."""
    start, end = pd.Timestamp(first), pd.Timestamp(last)
    concluded_on = cases["concluded_on"]
    marked = pd.DataFrame(
        {
            "statute": cases["statute"],
            "section": cases["section"],
            "registered": dated_between(cases["charged_on"], first, last),
            "brought_forward": (cases["charged_on"] < start) & (concluded_on.isna() | (concluded_on >= start)),
            "concluded": dated_between(concluded_on, first, last),
            "pending": (cases["charged_on"] <= end) & (concluded_on.isna() | (concluded_on > end)),
        }
    )
    for key in OUTCOME_ORDER:
        marked[key] = marked["concluded"] & (cases["outcome"] == key)
    return marked


@dataclass(frozen=True)
class CaseFigures:
    """The figures of one period (or the average of several): cases per measure, and the rates."""

    values: Mapping[str, Decimal | int | None]
    case_rate: Decimal | None
    count_rate: Decimal | None


def _case_rate(cases: Mapping[str, int | None]) -> Decimal | None:
    """Cases convicted ÷ cases concluded with a verdict (``Outcome.verdict``)."""
    convicted = sum(cases[o.key] or 0 for o in PRECEDENCE if o.conviction)
    verdicts = sum(cases[o.key] or 0 for o in PRECEDENCE if o.verdict)
    return rate(convicted, verdicts)


def _summed(marked: pd.DataFrame) -> dict[str, int | None]:
    return {key: int(marked[key].sum()) for key, _ in MEASURES}


def figures_of(cases: pd.DataFrame, counts: pd.DataFrame, first: dt.date, last: dt.date) -> CaseFigures:
    """The period's totals over every section, its conviction rate by case and by count."""
    values = _summed(flows(cases, first, last))
    return CaseFigures(values, _case_rate(values), count_rate(counts, first, last))


def count_rate(counts: pd.DataFrame, first: dt.date, last: dt.date) -> Decimal | None:
    """Convicted counts ÷ (convicted + acquitted counts), of the counts with an outcome dated in the period."""
    convicted, acquitted = _count_verdicts(counts, first, last)
    return rate(convicted, convicted + acquitted)


def _count_verdicts(counts: pd.DataFrame, first: dt.date, last: dt.date) -> tuple[int, int]:
    in_period = counts[dated_between(counts["disposition_date"], first, last)]
    return (
        int(in_period["disposition"].isin(list(CONVICTIONS)).sum()),
        int(in_period["disposition"].isin(list(ACQUITTALS)).sum()),
    )


def average_of(cases: pd.DataFrame, counts: pd.DataFrame, periods: Sequence[tuple[dt.date, dt.date]]) -> CaseFigures:
    """The average of the periods' figures: each measure's mean to two places; each rate from the summed
    numerators and denominators of those periods (the rate of the average cases, not a mean of rates)."""
    totals = [_summed(flows(cases, first, last)) for first, last in periods]
    n = Decimal(len(periods))
    values: dict[str, Decimal | None] = {
        key: (sum(Decimal(t[key] or 0) for t in totals) / n).quantize(Decimal("0.01")) for key, _ in MEASURES
    }
    verdicts = [_count_verdicts(counts, first, last) for first, last in periods]
    convicted, acquitted = sum(v[0] for v in verdicts), sum(v[1] for v in verdicts)
    summed: dict[str, int | None] = {key: sum(t[key] or 0 for t in totals) for key, _ in MEASURES}
    return CaseFigures(values, _case_rate(summed), rate(convicted, convicted + acquitted))


def section_rows(cases: pd.DataFrame, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Per lead-count section with any case registered, brought forward, concluded or pending in the period
    (sections whose cases are all pending included), the cases per measure and the conviction rate by case."""
    marked = flows(cases, first, last)
    active = marked[marked[[key for key, _ in (*FLOW_MEASURES, PENDING_MEASURE)]].any(axis=1)]
    rows = []
    for (statute, section), group in sorted(
        active.groupby(["statute", "section"]), key=lambda item: section_sort_key(*item[0])
    ):
        values = _summed(group)
        rows.append({"section": section_label(statute, section), **values, "rate": _case_rate(values)})
    return rows
