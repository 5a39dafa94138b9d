"""The Fund's chart of accounts (DESIGN §3), seeded by a data migration and by ``ensure_chart``.

Codes are fixed: the services find the bank account, the income account of a receipt's source and the
expense account of a disbursement's purpose by code, never by name.
"""

from __future__ import annotations

from typing import Any

from trustfund.choices import AccountType, DisbursementPurpose, ReceiptSource

BANK = "1000"
ACCUMULATED_FUND = "3000"
BANK_CHARGES = "6100"
SUSPENSE = "2100"
INTEREST_INCOME = "4310"

SOURCE_ACCOUNTS: dict[str, str] = {
    ReceiptSource.APPROPRIATION: "4100",
    ReceiptSource.FORFEITED_PROCEEDS: "4200",
    ReceiptSource.INVESTMENT_INCOME: "4300",
    ReceiptSource.DONATION: "4400",
}

PURPOSE_ACCOUNTS: dict[str, str] = {
    DisbursementPurpose.RETURN_REPATRIATION: "5100",
    DisbursementPurpose.RESETTLEMENT: "5110",
    DisbursementPurpose.REINTEGRATION: "5120",
    DisbursementPurpose.SHELTER_BASIC_NEEDS: "5130",
    DisbursementPurpose.PSYCHOSOCIAL: "5140",
    DisbursementPurpose.MEDICAL: "5150",
    DisbursementPurpose.LEGAL_ASSISTANCE: "5160",
    DisbursementPurpose.OTHER_ASSISTANCE: "5170",
    DisbursementPurpose.DAMAGES_BALANCE: "5200",
    DisbursementPurpose.ADVISORY_COMMITTEE: "5300",
}

# (code, name, type)
CHART: tuple[tuple[str, str, str], ...] = (
    (BANK, "Bank — National Assistance Trust Fund account", AccountType.ASSET),
    (SUSPENSE, "Suspense — unidentified receipts (cleared before a period closes)", AccountType.LIABILITY),
    (ACCUMULATED_FUND, "Accumulated fund", AccountType.EQUITY),
    *(
        (code, f"Income — {ReceiptSource(source).label}", AccountType.INCOME)
        for source, code in SOURCE_ACCOUNTS.items()
    ),
    *(
        (code, f"Assistance — {DisbursementPurpose(purpose).label}", AccountType.EXPENSE)
        for purpose, code in PURPOSE_ACCOUNTS.items()
    ),
    (INTEREST_INCOME, "Income — Interest on the Fund's bank account (s.23(1)(c))", AccountType.INCOME),
    (BANK_CHARGES, "Bank charges", AccountType.EXPENSE),
)


def ensure_chart(account_model: Any) -> int:
    """Create the accounts of the chart that are missing (``account_model`` may be a migration's
    historical model); returns how many were created. Existing accounts are left as they are."""
    created = 0
    for code, name, account_type in CHART:
        _, made = account_model.objects.get_or_create(code=code, defaults={"name": name, "account_type": account_type})
        created += int(made)
    return created
