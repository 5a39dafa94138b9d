"""The assets register: assets seized in cases already in the tracker (found by OB or court case number),
with their valuations and the court orders made over them.

One row per asset, or several rows for one asset (the same identifier on the same case), each adding a
valuation or an order: the asset's own columns are read from its first row. An asset whose identifier is
already recorded on the case is reported, not seized twice. Orders are recorded in the order they were
granted, as the asset's status follows them (seized → preserved → forfeited).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.utils.translation import gettext, gettext_lazy

from core.exceptions import DomainError
from core.roles import PROSECUTION_ROLES
from imports import values
from imports.kinds.asset_columns import ASSET_KEYS, COLUMN, COLUMNS, ORDER_KEYS, VALUATION_KEYS
from imports.kinds.base import Action, CellError, ImportKind, ParsedRow, RowError, RowPlan, register
from imports.kinds.common import (
    LOOKUP_CHUNK,
    ReferenceLists,
    RowRefused,
    not_after_today,
    ob_key,
    read_live,
    refused,
    split_court_case,
)

if TYPE_CHECKING:
    from assets.models import Asset
    from core.models import User
    from prosecutions.models import Accused, Case, Court

_ = cast("Callable[[str], str]", gettext_lazy)


@dataclass
class AssetDraft:
    """The rows of one asset, read against the tracker."""

    rows: list[ParsedRow]
    case: Case | None = None
    owner: Accused | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    duplicate_of: Asset | None = None
    orders: list[tuple[ParsedRow, Court | None]] = field(default_factory=list)  # in the order granted
    errors: list[RowError] = field(default_factory=list)

    @property
    def first(self) -> ParsedRow:
        return self.rows[0]

    def err(self, row: int, key: str, message: str) -> None:
        self.errors.append(RowError(row, COLUMN[key].header if key else "", message))


@dataclass
class Context:
    """The cases the rows name (by OB or court number), their accused and assets, and the courts."""

    lists: ReferenceLists
    by_ob: dict[str, list[Case]]
    by_court: dict[tuple[str, int], Case]
    accused: dict[int, dict[str, Accused]]
    held: dict[tuple[int, str, str], Asset]  # (case, identifier kind, normalised value) → asset
    texts: dict[tuple[int, str], Asset]  # (case, identifier text folded) → asset
    editable: dict[int, bool] = field(default_factory=dict)

    @classmethod
    def load(cls, rows: Sequence[ParsedRow], user: User) -> Context:
        from assets.models import Asset, AssetIdentifier
        from prosecutions.models import Accused, Case

        visible = Case.objects.visible_to(user)
        obs = sorted({str(p.values["ob_number"]).strip() for p in rows if p.values.get("ob_number")})
        by_ob: dict[str, list[Case]] = {}
        for start in range(0, len(obs), LOOKUP_CHUNK):
            for case in visible.filter(ob_number__in=obs[start : start + LOOKUP_CHUNK]).select_related("county"):
                by_ob.setdefault(ob_key(case.ob_number), []).append(case)
        numbers = [
            n for p in rows if p.values.get("court_case") and (n := split_court_case(str(p.values["court_case"])))
        ]
        serials = sorted({number.serial for number in numbers})
        by_court: dict[tuple[str, int], Case] = {}
        for start in range(0, len(serials), LOOKUP_CHUNK):
            for case in visible.filter(court_case_serial__in=serials[start : start + LOOKUP_CHUNK]):
                if case.court_case_year:
                    by_court.setdefault((case.court_case_serial.replace(" ", "").upper(), case.court_case_year), case)
        ids = sorted({case.pk for cases in by_ob.values() for case in cases} | {case.pk for case in by_court.values()})
        accused: dict[int, dict[str, Accused]] = {}
        held: dict[tuple[int, str, str], Asset] = {}
        texts: dict[tuple[int, str], Asset] = {}
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[start : start + LOOKUP_CHUNK]
            for person in Accused.objects.filter(case_id__in=chunk):
                accused.setdefault(person.case_id, {}).setdefault(_folded(person.name), person)
            for identifier in AssetIdentifier.objects.filter(asset__case_id__in=chunk).select_related("asset"):
                held.setdefault((identifier.asset.case_id, identifier.kind, identifier.value), identifier.asset)
            for asset in Asset.objects.filter(case_id__in=chunk).exclude(identifier=""):
                texts.setdefault((asset.case_id, _folded(asset.identifier)), asset)
        return cls(ReferenceLists.load(), by_ob, by_court, accused, held, texts)


def _folded(text: str) -> str:
    """Text as names and identifiers are compared: "KDA-123A" and "kda 123a" are one registration."""
    return values.normalised(text)


def _find_case(parsed: ParsedRow, ctx: Context, draft: AssetDraft, county: str | None) -> Case | None:
    got, row = parsed.values, parsed.row
    ob, number = got.get("ob_number"), got.get("court_case")
    court_number = split_court_case(str(number)) if number else None
    if not ob and court_number is None:
        draft.err(row, "ob_number", gettext("give the case's OB number or court case number"))
        return None
    by_court = ctx.by_court.get(court_number.key) if court_number else None
    candidates = ctx.by_ob.get(ob_key(str(ob)), []) if ob else []
    if county:
        candidates = [case for case in candidates if case.county.code == county]
    if court_number is not None and by_court is None:
        draft.err(
            row, "court_case", gettext("no case in the tracker has the court number %(number)s") % {"number": number}
        )
        return None
    if ob and not candidates and by_court is None:
        draft.err(row, "ob_number", gettext("no case in the tracker has the OB number %(ob)s") % {"ob": ob})
        return None
    if by_court is not None:
        if ob and candidates and by_court not in candidates:
            draft.err(row, "ob_number", gettext("the OB number and the court case number name two different cases"))
        return by_court
    if len(candidates) > 1:
        draft.err(
            row,
            "county",
            gettext("%(count)s cases have the OB number %(ob)s: give the county or the court case number")
            % {"count": len(candidates), "ob": ob},
        )
        return None
    return candidates[0]


def _group(rows: Sequence[ParsedRow], ctx: Context, user: User) -> list[AssetDraft]:
    """One draft per asset: rows naming the same case and the same identifier are one asset."""
    from assets.access import can_record_seizure
    from assets.services.identifiers import identifiers_from_text

    drafts: list[AssetDraft] = []
    by_key: dict[tuple[int, str], AssetDraft] = {}
    county_reader = ctx.lists.county_reader()
    for parsed in rows:
        probe = AssetDraft(rows=[parsed])
        county = read_live(parsed, probe.errors, COLUMN["county"], county_reader)
        case = _find_case(parsed, ctx, probe, cast("str | None", county))
        identifier = str(parsed.values.get("identifier") or "")
        key = (case.pk, _folded(identifier)) if case is not None and identifier else None
        if key is not None and key in by_key:
            draft = by_key[key]
            draft.rows.append(parsed)
            draft.errors.extend(probe.errors)
            continue
        probe.case = case
        drafts.append(probe)
        if key is not None:
            by_key[key] = probe
        if case is None:
            continue
        if case.pk not in ctx.editable:
            ctx.editable[case.pk] = can_record_seizure(user, case)
        if not ctx.editable[case.pk]:
            probe.err(
                parsed.row,
                "ob_number" if parsed.values.get("ob_number") else "court_case",
                gettext("you are not the lead prosecutor or on the team of %(case)s (or it is closed)")
                % {"case": case.reference},
            )
        asset_type = str(parsed.values.get("asset_type") or "")
        probe.identifiers = identifiers_from_text(asset_type, identifier) if asset_type else []
        probe.duplicate_of = ctx.texts.get((case.pk, _folded(identifier))) if identifier else None
        for kind, text in probe.identifiers:
            from assets.services.identifiers import normalise_asset_identifier

            probe.duplicate_of = probe.duplicate_of or ctx.held.get(
                (case.pk, kind, normalise_asset_identifier(kind, text))
            )
    return drafts


def _check(draft: AssetDraft, ctx: Context) -> None:
    from assets.choices import FORFEITING_ORDERS, AssetStatus, Currency, OrderType
    from assets.services.orders import FORFEITABLE, PRESERVABLE

    first = draft.first
    got = first.values
    for key in ASSET_KEYS:  # the asset's own columns come from its first row: later rows may repeat them
        for parsed in draft.rows[1:]:
            later = parsed.values.get(key)
            earlier = got.get(key)
            if key in ("identifier", "owner") and later is not None and earlier is not None:
                later, earlier = _folded(str(later)), _folded(str(earlier))
            if later is not None and earlier is not None and later != earlier:
                draft.err(
                    parsed.row,
                    key,
                    gettext("row %(row)s says otherwise of the same asset: give one %(column)s")
                    % {"row": first.row, "column": COLUMN[key].header},
                )
    for parsed in draft.rows:
        for key in ("seized_on", "valued_on", "granted_on", "gazetted_on"):
            not_after_today(parsed.row, COLUMN[key], parsed.values.get(key), draft.errors)
    if got.get("currency") not in (None, Currency.KES) and got.get("exchange_rate") is None:
        draft.err(
            first.row, "exchange_rate", gettext("an amount not in KES needs the exchange rate (shillings per unit)")
        )
    if draft.case is not None and got.get("owner"):
        draft.owner = ctx.accused.get(draft.case.pk, {}).get(_folded(str(got["owner"])))
        if draft.owner is None:
            draft.err(
                first.row,
                "owner",
                gettext("%(name)s is not an accused in %(case)s")
                % {"name": got["owner"], "case": draft.case.reference},
            )
    court_reader = ctx.lists.court_reader()
    status = AssetStatus.SEIZED
    dated = []
    for parsed in draft.rows:
        here = parsed.values
        valuation = [here.get(key) for key in VALUATION_KEYS]
        if any(part is not None for part in valuation) and not all(part is not None for part in valuation):
            missing = [key for key, part in zip(VALUATION_KEYS, valuation, strict=True) if part is None]
            for key in missing:
                draft.err(parsed.row, key, gettext("a valuation needs its date, amount and valuer"))
        if here.get("valuation") == 0:
            draft.err(parsed.row, "valuation", gettext("the valuation must be more than zero"))
        if all(here.get(key) is None for key in ORDER_KEYS):
            continue
        for key in ("order_type", "legal_basis", "order_number", "granted_on"):
            if here.get(key) is None:
                draft.err(parsed.row, key, gettext("a court order needs its type, legal basis, number and date"))
        court = None
        if here.get("order_court"):
            try:
                court = ctx.lists.courts[str(court_reader(here["order_court"]))]  # type: ignore[arg-type]
            except CellError:
                court = None  # a court not in the list is kept by its name
        elif draft.case is not None:
            draft.err(parsed.row, "order_court", gettext("give the court that made the order"))
        gazetted, granted = here.get("gazetted_on"), here.get("granted_on")
        if isinstance(gazetted, dt.date) and isinstance(granted, dt.date) and gazetted < granted:
            draft.err(parsed.row, "gazetted_on", gettext("an order cannot be gazetted before it was granted"))
        if here.get("order_type") in FORFEITING_ORDERS and not here.get("destination"):
            draft.err(parsed.row, "destination", gettext("say where the proceeds of a forfeited asset go"))
        dated.append((granted if isinstance(granted, dt.date) else dt.date.max, parsed.row, parsed, court))
    for _day, _row, parsed, court in sorted(dated, key=lambda item: (item[0], item[1])):
        kind = parsed.values.get("order_type")
        if kind == OrderType.PRESERVATION:
            if status not in PRESERVABLE:
                draft.err(
                    parsed.row,
                    "order_type",
                    gettext("a preservation order cannot follow a forfeiture of the same asset (order dates)"),
                )
            status = AssetStatus.PRESERVED
        elif kind in FORFEITING_ORDERS:
            if status not in FORFEITABLE:
                draft.err(parsed.row, "order_type", gettext("the asset was already forfeited by an earlier order"))
            status = AssetStatus.FORFEITED
        draft.orders.append((parsed, court))
    seized = got.get("seized_on")
    for parsed in draft.rows:
        for key in ("valued_on", "granted_on"):
            day = parsed.values.get(key)
            if isinstance(day, dt.date) and isinstance(seized, dt.date) and day < seized:
                draft.err(parsed.row, key, gettext("this is dated before the asset was seized"))


def _summary(draft: AssetDraft, parsed: ParsedRow) -> str:
    got = parsed.values
    case = draft.case.reference if draft.case is not None else ""
    parts = []
    if got.get("valuation") is not None:
        parts.append(gettext("valuation of %(amount)s") % {"amount": f"{got['valuation']:,}"})
    if got.get("order_type"):
        from assets.choices import OrderType

        parts.append(str(OrderType(str(got["order_type"])).label))
    extra = (": " + ", ".join(parts)) if parts else ""
    if draft.duplicate_of is not None:
        return gettext("Already in the tracker as %(reference)s on %(case)s: not imported again") % {
            "reference": draft.duplicate_of.reference,
            "case": case,
        }
    if parsed is draft.first:
        return gettext("New asset on %(case)s: %(description)s%(extra)s") % {
            "case": case,
            "description": got.get("description") or "",
            "extra": extra,
        }
    return gettext("Same asset as row %(row)s%(extra)s") % {"row": draft.first.row, "extra": extra}


def _drafts(rows: Sequence[ParsedRow], user: User) -> list[AssetDraft]:
    ctx = Context.load(rows, user)
    drafts = _group(rows, ctx, user)
    for draft in drafts:
        _check(draft, ctx)
    return drafts


@register
class AssetRegister(ImportKind):
    """The assets register: seizures in cases already in the tracker, their valuations and court orders."""

    slug = "assets"
    title = _("Assets register")
    columns = COLUMNS
    allowed_roles = PROSECUTION_ROLES  # who records seizures on the pages (assets.access.ASSET_WRITERS)
    list_url_name = "assets:asset_list"

    @classmethod
    def live_choices(cls) -> dict[str, tuple[str, ...]]:
        lists = ReferenceLists.load()
        return {
            "county": tuple(county.name for county in lists.counties.values()),
            "order_court": tuple(lists.courts),
        }

    def plan(self, rows: Sequence[ParsedRow], user: User) -> list[RowPlan]:
        plans: dict[int, RowPlan] = {}
        for draft in _drafts(rows, user):
            action = Action.DUPLICATE if draft.duplicate_of is not None else Action.CREATE
            for parsed in draft.rows:
                errors = [*parsed.errors, *(error for error in draft.errors if error.row == parsed.row)]
                plans[parsed.row] = RowPlan(
                    parsed.row, parsed.values, action, _summary(draft, parsed), list(dict.fromkeys(errors))
                )
        return [plans[parsed.row] for parsed in rows]

    def apply(self, plans: Sequence[RowPlan], user: User, *, file_name: str, progress: Callable[[int], None]) -> None:
        rows = [ParsedRow(plan.row, plan.values) for plan in plans]
        done = 0
        for draft in _drafts(rows, user):
            if draft.errors:  # the tracker changed since the preview: nothing is saved
                error = draft.errors[0]
                raise RowRefused(error.row, error.message, error.column)
            if draft.duplicate_of is None:
                _save(draft, user, file_name)
            done += len(draft.rows)
            progress(done)


def _save(draft: AssetDraft, user: User, file_name: str) -> None:
    from assets import services
    from assets.choices import Currency
    from core.channels import history_note

    got = draft.first.values
    currency = str(got.get("currency") or Currency.KES)
    rate = cast("Decimal | None", got.get("exchange_rate"))
    with history_note(f"imported from {file_name}, row {draft.first.row}"):
        try:
            asset = services.record_seizure(
                cast("Case", draft.case),
                user,
                asset_type=str(got["asset_type"]),
                description=str(got["description"]),
                seized_on=cast(dt.date, got["seized_on"]),
                seizing_agency=str(got["seizing_agency"]),
                estimated_value=cast(Decimal, got["estimated_value"]),
                currency=currency,
                exchange_rate=rate,
                owner=draft.owner,
                identifier=str(got.get("identifier") or ""),
                custodian=str(got.get("custodian") or ""),
                location=str(got.get("location") or ""),
                holder_company=str(got.get("holder_company") or ""),
                identifiers=draft.identifiers,
            )
        except DomainError as error:
            raise refused(draft.first.row, error) from error
    steps: list[tuple[dt.date, int, str, ParsedRow, Court | None]] = []
    for parsed in draft.rows:
        if parsed.values.get("valuation") is not None:
            steps.append((cast(dt.date, parsed.values["valued_on"]), parsed.row, "valuation", parsed, None))
    for parsed, court in draft.orders:
        steps.append((cast(dt.date, parsed.values["granted_on"]), parsed.row, "order", parsed, court))
    for _day, row, kind, parsed, court in sorted(steps, key=lambda step: (step[0], step[1], step[2])):
        here = parsed.values
        with history_note(f"imported from {file_name}, row {row}"):
            try:
                if kind == "valuation":
                    services.add_valuation(
                        asset,
                        user,
                        valued_on=cast(dt.date, here["valued_on"]),
                        amount=cast(Decimal, here["valuation"]),
                        valuer=str(here["valuer"]),
                        currency=currency,
                        exchange_rate=rate,
                    )
                else:
                    services.record_court_order(
                        asset,
                        user,
                        order_type=str(here["order_type"]),
                        legal_basis=str(here["legal_basis"]),
                        order_number=str(here["order_number"]),
                        granted_on=cast(dt.date, here["granted_on"]),
                        court=court,
                        court_name="" if court is not None else str(here.get("order_court") or ""),
                        gazetted_on=cast("dt.date | None", here.get("gazetted_on")),
                        gazette_notice=str(here.get("gazette_notice") or ""),
                        destination=str(here.get("destination") or ""),
                    )
            except DomainError as error:
                raise refused(row, error) from error
