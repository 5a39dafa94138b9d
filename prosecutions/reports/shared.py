"""What the prosecution reports share: who reads them, when a case was charged, what became of each
accused, and the small sums (rates, medians) every table uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from django.db.models import Min, QuerySet
from django_stubs_ext import StrOrPromise

from core.roles import PROSECUTION_ROLES, Role
from core.tables import Column, ColumnKind
from prosecutions.choices import ACQUITTALS, CONVICTIONS, Stage
from prosecutions.models import Charge, StageChange

PROSECUTION_REPORT_READERS = frozenset({*PROSECUTION_ROLES, Role.AUDITOR})
ZERO = Decimal("0")
CTIP_SHORT = "CTIP Act"


def first_charged_on() -> QuerySet[Any]:
    """Per case, the date it first entered pre-trial (the charge sheet was filed in court)."""
    return (
        StageChange.objects.filter(to_stage=Stage.PRE_TRIAL)
        .order_by()
        .values("case_id")
        .annotate(charged_on=Min("effective_on"))
    )


def cases_charged_between(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Ids of cases first charged in ``start .. end`` (a subquery, not a list)."""
    return first_charged_on().filter(charged_on__gte=start, charged_on__lte=end).values("case_id")


def rate(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` to four places (a percentage to two), or None when nothing to divide."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def median(values: Iterable[Any]) -> Decimal | None:
    """The median of the values present, to one place, or None when there are none."""
    series = pd.Series(list(values), dtype="float64").dropna()
    if series.empty:
        return None
    return Decimal(str(series.median())).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def frame(rows: list[Any], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def accused_outcomes(start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per accused with a count disposed of in the period: whether they were convicted or
    acquitted in it (see the definitions). One query over the counts of those accused."""
    rows = list(
        Charge.objects.filter(
            accused_id__in=Charge.objects.filter(disposition_date__gte=start, disposition_date__lte=end)
            .order_by()
            .values("accused_id")
        )
        .order_by()
        .values("accused_id", "accused__network_role", "disposition", "disposition_date")
    )
    counts = frame(rows, ["accused_id", "accused__network_role", "disposition", "disposition_date"])
    if counts.empty:
        return pd.DataFrame(columns=["accused_id", "network_role", "convicted", "acquitted"])
    in_period = counts["disposition_date"].notna() & counts["disposition_date"].between(start, end)
    counts["conv_in"] = in_period & counts["disposition"].isin(list(CONVICTIONS))
    counts["acq_in"] = in_period & counts["disposition"].isin(list(ACQUITTALS))
    counts["conv_ever"] = counts["disposition"].isin(list(CONVICTIONS))
    per = counts.groupby("accused_id").agg(
        network_role=("accused__network_role", "first"),
        conv_in=("conv_in", "any"),
        acq_in=("acq_in", "any"),
        conv_ever=("conv_ever", "any"),
    )
    per["convicted"] = per["conv_in"]
    per["acquitted"] = per["acq_in"] & ~per["conv_ever"]
    return per.reset_index()[["accused_id", "network_role", "convicted", "acquitted"]]


def count_column(key: str, label: StrOrPromise) -> Column:
    return Column(key, label, kind=ColumnKind.INTEGER)
