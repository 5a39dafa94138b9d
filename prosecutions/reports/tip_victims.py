"""The victims tables of the TIP statistics: victims identified in a period by sex and age (the matrix the
US Trafficking in Persons report prints: adult women, adult men, girls, boys, not recorded), by form of
exploitation, Kenyan or foreign with a table per nationality (the register's country), and identified with
and without a prosecution, referred and receiving services (the victims register, named lazily: it sits
above this app).

One query: the victims identified in the period, grouped in the database by the fields counted; pandas
then sorts each group into its row. Every victim counts once in every table's total; a victim with several
forms of exploitation counts under each form. The rules are stated in ``prosecutions.reports.definitions``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.reports import PERCENT, ReportTable
from core.tables import Column
from prosecutions.choices import ExploitationType, Sex
from prosecutions.models import case_victim_model, victim_model
from prosecutions.reports.shared import count_column, frame, rate

# Group labels are kept in English in the figures and translated when a table is built (``_share_table``).
KENYAN, FOREIGN = gettext_noop("Kenyan"), gettext_noop("Foreign")
# Free-text spellings read as Kenyan (compared trimmed and case-folded). A country list replaces this when
# victims get their own register.
KENYAN_SPELLINGS = frozenset({"kenyan", "kenya", "ke", "ken", "mkenya"})
NOT_RECORDED = gettext_noop("Not recorded")
# Referral statuses (victims.choices.ReferralStatus) of a victim receiving or having received services.
SERVED_STATUSES = ("in_service", "completed")
ADULT_AGE = 18

ADULT, CHILD, AGE_UNKNOWN = "adult", "child", "age_unknown"
TIP_GROUPS: tuple[tuple[str, str], ...] = (
    ("adult_women", gettext_noop("Adult women")),
    ("adult_men", gettext_noop("Adult men")),
    ("girls", gettext_noop("Girls")),
    ("boys", gettext_noop("Boys")),
    ("not_recorded", gettext_noop("Not recorded (sex or age)")),
)
_TIP_GROUP_OF: dict[tuple[str, str], str] = {
    (Sex.FEMALE, ADULT): "adult_women",
    (Sex.MALE, ADULT): "adult_men",
    (Sex.FEMALE, CHILD): "girls",
    (Sex.MALE, CHILD): "boys",
}
SEX_ROWS: tuple[tuple[str, str], ...] = (
    (Sex.FEMALE, gettext_noop("Female")),
    (Sex.MALE, gettext_noop("Male")),
    (Sex.UNKNOWN, gettext_noop("Sex not recorded")),
)
NATIONALITY_GROUPS: tuple[tuple[str, str], ...] = (
    ("kenyan", KENYAN),
    ("foreign", FOREIGN),
    ("unknown", NOT_RECORDED),
)
FIELDS = [
    "sex",
    "age_at_exploitation",
    "age_band",
    "is_child",
    "exploitation_type",
    "exploitation_forms",
    "nationality",
    "country",
    "on_case",
    "referred_to_services",
    "served",
    "n",
]
# The register's age bands that are children (victims.choices.CHILD_BANDS; named here, the app sits above).
CHILD_AGE_BANDS = frozenset({"0-11", "12-17"})
KENYA = "KE"
NRM_ROWS: tuple[tuple[str, str], ...] = (
    ("with_case", gettext_noop("Identified, with a prosecution (linked to a case)")),
    ("without_case", gettext_noop("Identified, without a prosecution")),
    ("referred", gettext_noop("Referred to services")),
    ("served", gettext_noop("Receiving or having received services")),
)

SHARE = Column("share", _("Share"), kind=PERCENT)
MATRIX_COLUMNS = (
    Column("sex", _("Sex")),
    count_column(ADULT, _("Adults (18 and over)")),
    count_column(CHILD, _("Children (under 18)")),
    count_column(AGE_UNKNOWN, _("Age not recorded")),
    count_column("total", _("Total")),
)


def age_band(age: Any, is_child: bool, band: str = "") -> str:
    """Adult or child by the age recorded, else by the register's age band; a child when marked so without
    either; else not recorded."""
    if age is not None and not pd.isna(age):
        return CHILD if int(age) < ADULT_AGE else ADULT
    if band:
        return CHILD if band in CHILD_AGE_BANDS else ADULT
    return CHILD if is_child else AGE_UNKNOWN


def counted_country(code: str, text: str) -> str:
    """The nationality as counted: the register's country (Kenya as "Kenyan"), else the free text."""
    if code:
        return KENYAN if code == KENYA else str(countries.name(code) or code)
    return counted_nationality(text)


def forms_of(forms: Any, legacy: str) -> list[str]:
    """The forms of exploitation of a victim: the register's list, else the one first recorded."""
    if isinstance(forms, str):  # a JSON column read back as text (grouped values on some backends)
        forms = json.loads(forms or "null")
    chosen = [str(form) for form in forms or []]
    return chosen or ([legacy] if legacy else [])


def tip_group(sex: str, band: str) -> str:
    """Adult women, adult men, girls or boys; not recorded when the sex or the age band is."""
    return _TIP_GROUP_OF.get((sex, band), "not_recorded")


def counted_nationality(text: str) -> str:
    """The nationality as counted: spaces trimmed and collapsed, and the spellings of Kenyan read as Kenyan;
    blank when none was recorded."""
    flat = " ".join((text or "").split())
    return KENYAN if flat.casefold() in KENYAN_SPELLINGS else flat


def _nationality_group(counted: str) -> str:
    if not counted:
        return "unknown"
    return "kenyan" if counted == KENYAN else "foreign"


@dataclass(frozen=True)
class VictimTables:
    """Victims identified in a period, counted five ways (the TIP groups, the sex × age matrix, the form of
    exploitation, Kenyan or foreign, per nationality); ``total`` is every victim, once."""

    total: int
    tip_groups: ReportTable
    sex_by_age: ReportTable
    by_exploitation: ReportTable
    by_nationality: ReportTable
    by_country: ReportTable
    nrm: ReportTable

    @property
    def children(self) -> int:
        """Victims under 18 when exploited (by age, or marked a child)."""
        return int((self.sex_by_age.total or {}).get(CHILD, 0))

    @property
    def foreign(self) -> int:
        """Victims of a nationality other than Kenyan."""
        return next(int(row["victims"]) for row in self.by_nationality.rows if row["group"] == gettext(FOREIGN))

    @property
    def tables(self) -> list[ReportTable]:
        return [self.tip_groups, self.sex_by_age, self.by_exploitation, self.by_nationality, self.by_country, self.nrm]


def victim_tables(start: dt.date, end: dt.date) -> VictimTables:
    """The victims identified in ``start .. end`` (inclusive), in one query."""
    links = case_victim_model().objects.filter(victim=OuterRef("pk"))
    served = apps.get_model("victims", "Referral").objects.filter(victim=OuterRef("pk"), status__in=SERVED_STATUSES)
    rows = list(
        victim_model()
        .objects.filter(identified_on__gte=start, identified_on__lte=end)
        .annotate(on_case=Q(case__isnull=False) | Exists(links), served=Exists(served))
        .order_by()
        .values(*FIELDS[:-1])
        .annotate(n=Count("id"))
    )
    victims = frame(rows, FIELDS)
    if not victims.empty:
        victims["band"] = [
            age_band(a, c, b)
            for a, c, b in zip(victims["age_at_exploitation"], victims["is_child"], victims["age_band"], strict=True)
        ]
        victims["tip"] = [tip_group(s, b) for s, b in zip(victims["sex"], victims["band"], strict=True)]
        victims["counted"] = [
            counted_country(code, text) for code, text in zip(victims["country"], victims["nationality"], strict=True)
        ]
        victims["group"] = victims["counted"].map(_nationality_group)
    total = int(victims["n"].sum()) if not victims.empty else 0
    return VictimTables(
        total=total,
        tip_groups=_share_table(
            "victims_tip",
            gettext("Victims identified: adult women, adult men, girls and boys"),
            gettext("Victims by sex and age"),
            _sums(victims, "tip", TIP_GROUPS),
            total,
        ),
        sex_by_age=_sex_by_age(victims),
        by_exploitation=_share_table(
            "victims_type",
            gettext("Victims identified, by form of exploitation"),
            gettext("Victims by exploitation"),
            _forms(victims),
            total,
        ),
        by_nationality=_share_table(
            "victims_nationality",
            gettext("Victims identified: Kenyan and foreign"),
            gettext("Victims by nationality"),
            _sums(victims, "group", NATIONALITY_GROUPS),
            total,
        ),
        by_country=_share_table(
            "victims_country",
            gettext("Victims identified, per nationality"),
            gettext("Victims per nationality"),
            _per_nationality(victims),
            total,
            label=gettext("Nationality"),
        ),
        nrm=_share_table(
            "victims_nrm",
            gettext("Victims identified: with and without a prosecution, referred, receiving services"),
            gettext("Victims NRM"),
            _nrm(victims),
            total,
        ),
    )


def _forms(victims: pd.DataFrame) -> list[tuple[str, int]]:
    """Victims per form of exploitation: a victim with several forms counts under each (the rows may add up
    to more than the total), once in the total; a victim with none counts as not recorded."""
    sums: dict[str, int] = {}
    if not victims.empty:
        for forms, legacy, n in zip(
            victims["exploitation_forms"], victims["exploitation_type"], victims["n"], strict=True
        ):
            for form in forms_of(forms, legacy) or [""]:
                sums[form] = sums.get(form, 0) + int(n)
    return [(str(label), sums.get(str(key), 0)) for key, label in [*ExploitationType.choices, ("", NOT_RECORDED)]]


def _nrm(victims: pd.DataFrame) -> list[tuple[str, int]]:
    """With / without a prosecution (these two add up to the total), referred, receiving services."""
    if victims.empty:
        return [(label, 0) for _, label in NRM_ROWS]
    counts = {
        "with_case": int(victims.loc[victims["on_case"].astype(bool), "n"].sum()),
        "without_case": int(victims.loc[~victims["on_case"].astype(bool), "n"].sum()),
        "referred": int(victims.loc[victims["referred_to_services"].astype(bool), "n"].sum()),
        "served": int(victims.loc[victims["served"].astype(bool), "n"].sum()),
    }
    return [(label, counts[key]) for key, label in NRM_ROWS]


def _sums(victims: pd.DataFrame, column: str, groups: Iterable[tuple[str, str]]) -> list[tuple[str, int]]:
    """(label, victims) for each group in order; a value outside the groups counts under the last one
    (the "not recorded" row), so the rows always add up to the total."""
    groups = list(groups)
    sums = victims.groupby(column)["n"].sum().to_dict() if not victims.empty else {}
    known = {key for key, _ in groups}
    stray = sum(int(n) for key, n in sums.items() if key not in known)
    counted = [(label, int(sums.get(key, 0))) for key, label in groups]
    label, last = counted[-1]
    return [*counted[:-1], (label, last + stray)]


def _per_nationality(victims: pd.DataFrame) -> list[tuple[str, int]]:
    """Victims per nationality as counted (Kenyan first, then by number, then by name); each nationality
    is labelled by its most frequent spelling; blank ones last, as not recorded."""
    if victims.empty:
        return []
    recorded = victims[victims["counted"] != ""].copy()
    recorded["key"] = recorded["counted"].str.casefold()
    spellings = recorded.groupby(["key", "counted"])["n"].sum().reset_index()
    spellings = spellings.sort_values(["key", "n", "counted"], ascending=[True, False, True])
    labels = spellings.drop_duplicates("key").set_index("key")["counted"].to_dict()
    sums = recorded.groupby("key")["n"].sum()
    order = sorted(sums.index, key=lambda key: (labels[key] != KENYAN, -int(sums[key]), labels[key].casefold()))
    rows = [(labels[key], int(sums[key])) for key in order]
    unknown = int(victims.loc[victims["counted"] == "", "n"].sum())
    return [*rows, (NOT_RECORDED, unknown)] if unknown else rows


def _share_table(
    key: str, title: str, sheet: str, counts: list[tuple[str, int]], total: int, label: str = ""
) -> ReportTable:
    """A table of victims per group with each group's share of all victims, and a total row."""
    return ReportTable(
        key,
        title,
        (Column("group", label or gettext("Group")), count_column("victims", gettext("Victims")), SHARE),
        [{"group": gettext(group) if group else group, "victims": n, "share": rate(n, total)} for group, n in counts],
        total={"group": gettext("Total"), "victims": total, "share": rate(total, total)},
        sheet=sheet,
    )


def _sex_by_age(victims: pd.DataFrame) -> ReportTable:
    """The sex × age matrix: one row per sex, one column per age band, totals both ways."""
    cells: dict[tuple[str, str], int] = {}
    if not victims.empty:
        sexes = victims["sex"].where(victims["sex"].isin([Sex.FEMALE, Sex.MALE]), Sex.UNKNOWN)
        grouped = victims.assign(sex=sexes).groupby(["sex", "band"])["n"].sum().reset_index()
        cells = {(sex, band): int(n) for sex, band, n in grouped.itertuples(index=False)}
    bands = (ADULT, CHILD, AGE_UNKNOWN)
    rows = []
    for sex, label in SEX_ROWS:
        row: dict[str, Any] = {"sex": gettext(label), **{band: cells.get((sex, band), 0) for band in bands}}
        row["total"] = sum(row[band] for band in bands)
        rows.append(row)
    total = {"sex": gettext("Total"), **{column: sum(row[column] for row in rows) for column in (*bands, "total")}}
    return ReportTable(
        "victims_sex_age",
        gettext("Victims identified, by sex and age"),
        MATRIX_COLUMNS,
        rows,
        total=total,
        sheet=gettext("Victims sex x age"),
    )
