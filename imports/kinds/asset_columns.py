"""The columns of the assets register: each heading, how its cells are read, what the template says about it
and its drop-down words. ``COLUMN`` finds a column by key for the messages that name it; ``ASSET_KEYS`` are the
asset's own columns (read from its first row), ``VALUATION_KEYS`` and ``ORDER_KEYS`` those a row adds.

Nothing here knows of drafts or cases: ``imports.kinds.assets`` reads these tables."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import cast

from django.utils.translation import gettext, gettext_lazy

from assets import choices as asset_choices
from imports import values
from imports.kinds.base import CellError, CellValue, Column
from imports.kinds.common import court_case_number

_ = cast("Callable[[str], str]", gettext_lazy)


def _choice_parser(name: str, what: str) -> values.Parser:
    options = getattr(asset_choices, name).choices
    return values.choice({str(value): str(label) for value, label in options}, what)


def _labels(name: str) -> tuple[str, ...]:
    return tuple(str(label) for _value, label in getattr(asset_choices, name).choices)


def exchange_rate(value: CellValue) -> Decimal:
    """Shillings per unit of a foreign currency, more than zero: ``129.5``."""
    try:
        rate = Decimal(values.text(value).replace(",", ""))
    except InvalidOperation:
        rate = Decimal(0)
    if not rate.is_finite() or rate <= 0:
        raise CellError(
            gettext("'%(value)s' is not an exchange rate; write the shillings per unit, e.g. 129.50")
            % {"value": values.shown(value)}
        )
    return rate


COLUMNS: tuple[Column, ...] = (
    Column(
        "ob_number", "OB number", values.text_up_to(60), help=_("The case's OB number (or give its court case number).")
    ),
    Column("court_case", "Court case number", court_case_number, help=_("The case's court number, e.g. E123 of 2024.")),
    Column(
        "county",
        "County",
        values.text,
        help=_("The case's county: tells apart cases of two stations with the same OB number."),
    ),
    Column(
        "description",
        "Description",
        values.text_up_to(255),
        required=True,
        help=_("What was seized, e.g. Toyota Probox, white."),
    ),
    Column(
        "asset_type",
        "Type",
        _choice_parser("AssetType", _("a type of asset")),
        required=True,
        help=_("The kind of asset."),
        choices=_labels("AssetType"),
    ),
    Column(
        "identifier",
        "Identifier",
        values.text_up_to(100),
        help=_("Registration, account or parcel number. Rows with the same identifier on one case are one asset."),
    ),
    Column(
        "owner",
        "Owner (accused)",
        values.text_up_to(150),
        help=_("The accused of the case who owns it, by name as recorded."),
    ),
    Column("holder_company", "Holder (company)", values.text_up_to(150), help=_("A company that owns or holds it.")),
    Column("seized_on", "Date seized", values.date, required=True, help=_("The day of the seizure.")),
    Column(
        "seizing_agency",
        "Seizing agency",
        _choice_parser("SeizingAgency", _("a seizing agency")),
        required=True,
        help=_("Who seized it."),
        choices=_labels("SeizingAgency"),
    ),
    Column(
        "estimated_value",
        "Estimated value",
        values.money,
        required=True,
        help=_("The value when seized, in the currency."),
    ),
    Column(
        "currency",
        "Currency",
        _choice_parser("Currency", _("a currency")),
        help=_("KES when left empty."),
        choices=_labels("Currency"),
    ),
    Column("exchange_rate", "Exchange rate", exchange_rate, help=_("Shillings per unit, for an amount not in KES.")),
    Column("custodian", "Custodian", values.text_up_to(150), help=_("Who holds the asset now.")),
    Column("location", "Location", values.text_up_to(150), help=_("Where it is kept.")),
    Column("valued_on", "Valuation date", values.date, help=_("The day of a valuation.")),
    Column("valuation", "Valuation amount", values.money, help=_("The value found, in the currency of the row.")),
    Column("valuer", "Valued by", values.text_up_to(150), help=_("Who valued it.")),
    Column(
        "order_type",
        "Order type",
        _choice_parser("OrderType", _("a kind of court order")),
        help=_("A court order over the asset."),
        choices=_labels("OrderType"),
    ),
    Column(
        "legal_basis",
        "Legal basis",
        _choice_parser("LegalBasis", _("a legal basis of an order")),
        help=_("The law the order was made under."),
        choices=_labels("LegalBasis"),
    ),
    Column(
        "order_number", "Order number", values.text_up_to(80), help=_("e.g. HCACEC Misc. Application E012 of 2026.")
    ),
    Column("granted_on", "Order date", values.date, help=_("The day the order was granted.")),
    Column(
        "order_court",
        "Order court",
        values.text_up_to(150),
        help=_("The court that made it: one in the list, or its name."),
    ),
    Column("gazetted_on", "Gazette date", values.date, help=_("The day the order was published in the Kenya Gazette.")),
    Column("gazette_notice", "Gazette notice", values.text_up_to(40), help=_("e.g. Gazette Notice No. 1234.")),
    Column(
        "destination",
        "Destination",
        _choice_parser("Destination", _("a destination of proceeds")),
        help=_("Where the proceeds go (for a forfeiture or confiscation order)."),
        choices=_labels("Destination"),
    ),
)
COLUMN = {column.key: column for column in COLUMNS}
ASSET_KEYS = (
    "description",
    "asset_type",
    "identifier",
    "owner",
    "holder_company",
    "seized_on",
    "seizing_agency",
    "estimated_value",
    "currency",
    "exchange_rate",
    "custodian",
    "location",
)
VALUATION_KEYS = ("valued_on", "valuation", "valuer")
ORDER_KEYS = (
    "order_type",
    "legal_basis",
    "order_number",
    "granted_on",
    "order_court",
    "gazetted_on",
    "gazette_notice",
    "destination",
)
