"""Demo money for ``manage.py seed_demo``, recorded through the services.

An opening appropriation (last financial year), a donor grant, the net proceeds of the demo
realisations destined for the fund (one left partly outstanding), disbursements in every state, and a
bank statement for this financial year — generated here and imported through the import service —
with a few lines that match nothing (bank charges, an unexplained credit) and one payment the bank
has not yet shown. Idempotent: a fund with receipts is left alone. Nothing is dated in the future.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from assets.choices import Destination
from assets.models import Realisation
from core.models import User
from documents.choices import DocumentType
from documents.demo import attach_demo_pdf
from prosecutions.models import Victim
from trustfund import ledger, reports, services, statements
from trustfund.chart import BANK
from trustfund.choices import DisbursementPurpose, ReceiptSource
from trustfund.models import Disbursement, JournalEntry, Receipt

D = Decimal

DISBURSEMENTS: tuple[tuple[str, str, str, str], ...] = (
    # (final state, purpose, amount, provider)
    ("paid", DisbursementPurpose.SHELTER_BASIC_NEEDS, "180000.00", "Trace Kenya shelter, Mombasa"),
    ("paid", DisbursementPurpose.MEDICAL, "64500.00", "Coast General Teaching and Referral Hospital"),
    ("paid", DisbursementPurpose.RETURN_REPATRIATION, "212750.00", "IOM Kenya (travel)"),
    ("paid", DisbursementPurpose.PSYCHOSOCIAL, "45000.00", "HAART Kenya counselling"),
    ("approved", DisbursementPurpose.REINTEGRATION, "150000.00", ""),
    ("requested", DisbursementPurpose.LEGAL_ASSISTANCE, "85000.00", "Kituo cha Sheria"),
    ("requested", DisbursementPurpose.DAMAGES_BALANCE, "300000.00", ""),
    ("rejected", DisbursementPurpose.ADVISORY_COMMITTEE, "950000.00", "Awareness campaign contractor"),
    ("cancelled", DisbursementPurpose.RESETTLEMENT, "60000.00", "County resettlement office"),
)


def _user(users: dict[str, User], username: str) -> User:
    user = users.get(username) or User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, first_name=username.title())
    return user


def _statement_csv(today: dt.date, skip: set[int]) -> tuple[str, bytes]:
    """This financial year's statement as the bank would send it: every bank entry (but those in
    ``skip``) a day later, plus two lines the ledger does not know."""
    start, _ = reports.year_bounds(reports.current_year(today))
    balance = ledger.bank_balance(start - dt.timedelta(days=1))
    rows: list[tuple[dt.date, str, str, Decimal]] = []
    entries = (
        JournalEntry.objects.filter(entry_date__gte=start, lines__account__code=BANK)
        .distinct()
        .order_by("entry_date", "id")
    )
    for entry in entries:
        if entry.pk in skip:
            continue
        amount = ledger.bank_effect(entry)
        day = min(entry.entry_date + dt.timedelta(days=1), today)
        words = "RTGS CREDIT" if amount > 0 else "EFT DEBIT"
        rows.append(
            (day, entry.bank_reference or entry.document_reference, f"{words} {entry.description}"[:120], amount)
        )
    rows.append((min(start + dt.timedelta(days=62), today), "CHG-0925", "LEDGER FEES AND COMMISSION", D("-1250.00")))
    rows.append((min(start + dt.timedelta(days=95), today), "INT-Q1", "INTEREST CREDIT", D("3412.50")))
    rows.sort(key=lambda row: row[0])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Description", "Reference", "Amount", "Balance"])
    for day, reference, description, amount in rows:
        balance += amount
        writer.writerow([day.strftime("%d/%m/%Y"), description, reference, f"{amount:.2f}", f"{balance:.2f}"])
    name = f"natf-statement-{reports.current_year(today)}-to-{today:%Y%m%d}.csv"
    return name, out.getvalue().encode()


def _opening_appropriation(admin: User, last_start: dt.date, today: dt.date) -> Receipt:
    """Last financial year's appropriation from the Treasury."""
    return services.record_receipt(
        admin,
        source=ReceiptSource.APPROPRIATION,
        amount=D("8000000.00"),
        payer="The National Treasury",
        payer_reference="EXCHQ/2025/0711",
        received_on=last_start + dt.timedelta(days=14),
        today=today,
    )


def _last_years_payment(admin: User, approver: User, last_start: dt.date, today: dt.date) -> None:
    """Last year's one payment, so this year opens on last year's closing balance."""
    first = services.request_disbursement(
        admin,
        purpose=DisbursementPurpose.SHELTER_BASIC_NEEDS,
        amount=D("420000.00"),
        service_provider="Trace Kenya shelter, Mombasa",
        resolution_reference="BOT/RES/03/2025",
        requested_on=last_start + dt.timedelta(days=60),
        today=today,
    )
    _invoice(first, admin)
    services.approve_disbursement(first, approver, no_documents_reason=PAPER_FILE)
    services.pay_disbursement(
        first, admin, paid_on=last_start + dt.timedelta(days=70), payment_reference="EFT-250908", today=today
    )


def _donor_grant(admin: User, this_start: dt.date, today: dt.date) -> Receipt:
    return services.record_receipt(
        admin,
        source=ReceiptSource.DONATION,
        amount=D("2500000.00"),
        payer="Donor grant — IOM Kenya (counter-trafficking programme)",
        payer_reference="IOM-GRANT-2026-07",
        received_on=min(this_start + dt.timedelta(days=20), today),
        today=today,
    )


def _forfeited_proceeds(admin: User, today: dt.date) -> list[Receipt]:
    """The net proceeds of every demo realisation bound for the fund; the last one only half received."""
    realisations = list(
        Realisation.objects.filter(destination=Destination.TRUST_FUND)
        .select_related("asset")
        .order_by("realised_on", "id")
    )
    receipts = []
    for index, realisation in enumerate(realisations):
        net = realisation.net_proceeds_kes
        if net <= 0:
            continue
        partial = index == len(realisations) - 1 and len(realisations) > 1
        amount = (net / 2).quantize(D("0.01")) if partial else net
        receipts.append(
            services.record_receipt(
                admin,
                source=ReceiptSource.FORFEITED_PROCEEDS,
                amount=amount,
                payer="Assets Recovery Agency",
                payer_reference=f"ARA-{realisation.asset.reference.replace('/', '')}",
                realisation=realisation,
                received_on=min(realisation.realised_on + dt.timedelta(days=7), today),
                notes="First instalment; the balance is expected after the auctioneer's final account."
                if partial
                else "",
                today=today,
            )
        )
    return receipts


# Used only when the invoice could not be attached (demo users without their roles).
PAPER_FILE = "Invoice on the Board secretary's paper file."


def _invoice(disbursement: Disbursement, admin: User) -> None:
    """The provider's invoice, attached before the approver decides (a generated one-page PDF)."""
    payee = disbursement.service_provider or "Victim support"
    attach_demo_pdf(
        disbursement,
        admin,
        DocumentType.INVOICE,
        f"Invoice — {payee}",
        f"Disbursement {disbursement.reference}",
        f"Amount: KES {disbursement.amount:,.2f}",
        f"Board resolution {disbursement.resolution_reference}",
    )


def _move_to(state: str, disbursement: Disbursement, admin: User, approver: User, today: dt.date) -> int | None:
    """Take a requested disbursement to its demo state; the payment entry's id when it is paid."""
    if state == "rejected":
        services.reject_disbursement(disbursement, approver, reason="Not a purpose the Advisory Committee approved.")
    elif state == "cancelled":
        services.cancel_disbursement(disbursement, admin, reason="The county met the cost.")
    elif state in ("approved", "paid"):
        _invoice(disbursement, admin)
        services.approve_disbursement(
            disbursement, approver, note="Within the Board resolution.", no_documents_reason=PAPER_FILE
        )
    if state != "paid":
        return None
    services.pay_disbursement(
        disbursement,
        admin,
        paid_on=min(disbursement.requested_on + dt.timedelta(days=4), today),
        payment_reference=f"EFT-{disbursement.reference.replace('/', '')}",
        today=today,
    )
    disbursement.refresh_from_db()
    return disbursement.payment_entry_id


def _this_years_disbursements(admin: User, approver: User, this_start: dt.date, today: dt.date) -> list[int]:
    """One request per row of ``DISBURSEMENTS``, each taken to its state; returns the paid entries' ids."""
    victims = list(Victim.objects.order_by("code")[:6])
    paid_entries: list[int] = []
    for index, (state, purpose, amount, provider) in enumerate(DISBURSEMENTS):
        victim = victims[index % len(victims)] if victims else None
        requested_on = min(this_start + dt.timedelta(days=25 + index * 9), today)
        disbursement = services.request_disbursement(
            admin,
            purpose=purpose,
            amount=D(amount),
            victim=victim,
            service_provider=provider or ("" if victim else "Victim support (by code)"),
            resolution_reference=f"BOT/RES/{10 + index:02d}/{requested_on.year}",
            description="Demo disbursement.",
            requested_on=requested_on,
            today=today,
        )
        entry_id = _move_to(state, disbursement, admin, approver, today)
        if entry_id:
            paid_entries.append(entry_id)
    return paid_entries


def seed_fund(users: dict[str, User], out: Callable[[str], None], today: dt.date | None = None) -> int:
    """Seed the fund; returns how many receipts were recorded (0 when the fund already has some)."""
    today = today or timezone.localdate()
    if Receipt.objects.exists():
        out("Trust fund: already has receipts, left alone.")
        return 0
    admin, approver = _user(users, "fundadmin"), _user(users, "approver")
    this_start, _ = reports.year_bounds(reports.current_year(today))
    last_start = this_start.replace(year=this_start.year - 1)

    receipts = [_opening_appropriation(admin, last_start, today)]
    _last_years_payment(admin, approver, last_start, today)
    receipts.append(_donor_grant(admin, this_start, today))
    receipts += _forfeited_proceeds(admin, today)
    paid_entries = _this_years_disbursements(admin, approver, this_start, today)

    name, content = _statement_csv(today, skip=set(paid_entries[-1:]))
    statement = statements.import_statement(admin, name=name, content=content)
    matched = statement.lines.filter(matched_entry__isnull=False).count()
    out(
        f"Trust fund: {len(receipts)} receipts, {len(DISBURSEMENTS) + 1} disbursements, a statement of "
        f"{statement.line_count} lines ({matched} matched); balance KES {ledger.bank_balance():,.2f}."
    )
    return len(receipts)
