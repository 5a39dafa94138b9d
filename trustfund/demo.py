"""Demo money for ``manage.py seed_demo``, recorded through the services — a fund as it stands on any day.

The books open at the start of last financial year with the money brought over from the Fund's former
account and manual cash book (an opening-balance proposal the approver posts); then come last year's
appropriation and one payment, this year's donor grant, the net proceeds of the demo realisations destined
for the fund (one left partly outstanding) and disbursements in every state. The bank's statements — last
year's and this year's to date, generated here and imported through the import service — show every bank
entry a day later, plus the bank's own lines: its charges and the interest it credited, each proposed from
its line by the administrator and posted by the approver, so every month up to the last complete one
reconciles to zero. The approver has signed off and closed each month in order, and last year once all its
months are closed; the last complete month is signed off and still open. The current month shows honest
outstanding items: a payment made today that the bank has not yet shown, a charge on the statement whose
proposal awaits the approver, and a credit nobody has identified yet.

Idempotent: a fund with receipts is left alone. Nothing is dated in the future, whatever today is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from assets.choices import Destination
from assets.models import Realisation
from core.models import User
from documents.choices import DocumentType
from documents.demo import attach_demo_pdf
from trustfund import ledger, matching, periods, reports, services, statements
from trustfund.chart import ACCUMULATED_FUND, BANK
from trustfund.choices import AdjustmentKind, DisbursementPurpose, ReceiptSource
from trustfund.models import AdjustmentProposal, BankStatement, Disbursement, JournalEntry, Receipt, StatementLine
from victims.models import Victim

D = Decimal
OPENING_BALANCE = D("1850000.00")
# The bank's own lines: a monthly ledger fee, quarterly interest, and this month's alert charges and a
# credit whose remitter the bank did not give.
FEE, INTEREST, SMS_FEE, UNIDENTIFIED = D("-1250.00"), D("3412.50"), D("-150.00"), D("25000.00")

DISBURSEMENTS: tuple[tuple[str, str, str, str], ...] = (
    # (final state, purpose, amount, provider); the last one paid is paid today
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
LAST_PAID = max(index for index, row in enumerate(DISBURSEMENTS) if row[0] == "paid")


@dataclass(frozen=True)
class BankLine:
    """A line the bank prints: from one of our entries (``entry``) or the bank's own (``kind``: what the
    administrator proposes it as; ``post``: whether the approver has posted it yet)."""

    date: dt.date
    reference: str
    description: str
    amount: Decimal
    entry: JournalEntry | None = None
    kind: str = ""
    post: bool = True


def _user(users: dict[str, User], username: str) -> User:
    user = users.get(username) or User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, first_name=username.title())
    return user


# Used only when the paper could not be attached (demo users without their roles).
PAPER_FILE = "On the Board secretary's paper file."


# --------------------------------------------------------------------------------------------------
# The books' opening


def _opening_balance(admin: User, approver: User, opening: dt.date, today: dt.date) -> None:
    """The books' first entry: the Fund's money brought over from its former account and manual cash book
    (Dr bank / Cr accumulated fund), proposed by the administrator against the certified cash book and
    posted by the approver. The bank shows it as the transfer into the Fund's account."""
    bank, fund = ledger.account(BANK), ledger.account(ACCUMULATED_FUND)
    brought = opening - dt.timedelta(days=1)
    proposal = services.propose_adjustment(
        admin,
        kind=AdjustmentKind.OPENING_BALANCE,
        entry_date=opening,
        description=f"Opening balance: the cash book's balance at {brought:%d %B %Y}, moved to the Fund's account",
        reason="The Fund's books move into the tracker: the manual cash book's closing balance, certified by the "
        "Board secretary and transferred from the former account.",
        bank_reference="TRF-OPENING",
        lines=[
            ledger.Line(bank, debit=OPENING_BALANCE, memo="Bank balance brought over"),
            ledger.Line(fund, credit=OPENING_BALANCE, memo="Accumulated fund brought forward"),
        ],
        today=today,
    )
    attach_demo_pdf(
        proposal,
        admin,
        DocumentType.BOARD_RESOLUTION,
        "Certified cash book balance",
        f"Proposal {proposal.reference}",
        f"Balance at {brought:%d %B %Y}: KES {OPENING_BALANCE:,.2f}",
    )
    services.post_proposal(
        proposal, approver, note="Agreed to the certified cash book.", no_documents_reason=PAPER_FILE, today=today
    )


# --------------------------------------------------------------------------------------------------
# Receipts and payments


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


def _move_to(
    state: str, disbursement: Disbursement, admin: User, approver: User, paid_on: dt.date, today: dt.date
) -> int | None:
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
        paid_on=paid_on,
        payment_reference=f"EFT-{disbursement.reference.replace('/', '')}",
        today=today,
    )
    disbursement.refresh_from_db()
    return disbursement.payment_entry_id


def _this_years_disbursements(admin: User, approver: User, this_start: dt.date, today: dt.date) -> list[int]:
    """One request per row of ``DISBURSEMENTS``, each taken to its state; returns the paid entries' ids, the
    last one paid today (so the bank has not shown it yet)."""
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
        paid_on = today if index == LAST_PAID else min(requested_on + dt.timedelta(days=4), today)
        entry_id = _move_to(state, disbursement, admin, approver, paid_on, today)
        if entry_id:
            paid_entries.append(entry_id)
    return paid_entries


# --------------------------------------------------------------------------------------------------
# The bank's statements


def _month_before(day: dt.date) -> dt.date:
    """The first day of the month before the one ``day`` falls in."""
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The last day of each month from ``first``'s to the one ending on or before ``last``."""
    ends, month_end = [], periods.month_bounds(first)[1]
    while month_end <= last:
        ends.append(month_end)
        month_end = periods.month_bounds(month_end + dt.timedelta(days=1))[1]
    return ends


def _bank_lines(opening: dt.date, today: dt.date, unpresented: set[int]) -> list[BankLine]:
    """What the bank shows up to today: each of our bank entries a day later — the opening balance as the
    transfer from the former account — but the payment made today; its ledger fees at the end of every
    complete month and the interest it credits at each quarter's end, all posted; and this month a charge
    whose proposal awaits the approver and a credit nobody has identified yet."""
    rows: list[BankLine] = []
    entries = JournalEntry.objects.filter(lines__account__code=BANK).distinct().order_by("entry_date", "id")
    for entry in entries:
        if entry.pk in unpresented:
            continue
        amount = ledger.bank_effect(entry)
        words = "RTGS CREDIT" if amount > 0 else "EFT DEBIT"
        reference = entry.bank_reference or entry.document_reference
        description = f"{words} {entry.description}"[:120]
        rows.append(
            BankLine(min(entry.entry_date + dt.timedelta(days=1), today), reference, description, amount, entry)
        )
    for end in _month_ends(opening, today.replace(day=1) - dt.timedelta(days=1)):
        rows.append(
            BankLine(end, f"CHG-{end:%m%y}", "LEDGER FEES AND COMMISSION", FEE, kind=AdjustmentKind.BANK_CHARGES)
        )
        if end.month % 3 == 0:
            rows.append(BankLine(end, f"INT-{end:%m%y}", "INTEREST CREDIT", INTEREST, kind=AdjustmentKind.INTEREST))
    rows += [
        BankLine(
            today, f"SMS-{today:%m%y}", "SMS ALERT CHARGES", SMS_FEE, kind=AdjustmentKind.BANK_CHARGES, post=False
        ),
        BankLine(today, "RTGS-UNKNOWN", "RTGS CREDIT — REMITTER NOT GIVEN", UNIDENTIFIED),
    ]
    return sorted(rows, key=lambda row: row.date)


def _statement_files(rows: Sequence[BankLine]) -> list[tuple[str, bytes, list[BankLine]]]:
    """One statement file per financial year, as the bank sends them: its lines and their running balance."""
    by_year: dict[str, list[BankLine]] = {}
    for row in rows:
        by_year.setdefault(reports.current_year(row.date), []).append(row)
    balance = ledger.ZERO
    files = []
    for year, lines in by_year.items():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["Date", "Description", "Reference", "Amount", "Balance"])
        for row in lines:
            balance += row.amount
            writer.writerow(
                [f"{row.date:%d/%m/%Y}", row.description, row.reference, f"{row.amount:.2f}", f"{balance:.2f}"]
            )
        files.append((f"natf-statement-{year}-to-{lines[-1].date:%Y%m%d}.csv", out.getvalue().encode(), lines))
    return files


def _propose_from_line(line: StatementLine, kind: str, admin: User, today: dt.date) -> AdjustmentProposal:
    """The administrator's "Post as …" on a statement line: the proposal it prefills, as it stands."""
    initial = services.line_proposal_initial(line, kind)
    lines = [
        ledger.Line(
            row["account"], debit=row["debit"] or ledger.ZERO, credit=row["credit"] or ledger.ZERO, memo=row["memo"]
        )
        for row in initial.pop("lines")
    ]
    return services.propose_adjustment(
        admin, lines=lines, reason=f"Shown on the bank statement of {line.date:%d %b %Y}.", today=today, **initial
    )


def _explain(statement: BankStatement, rows: Sequence[BankLine], admin: User, approver: User, today: dt.date) -> None:
    """Match by hand what the import could not, and propose the bank's own lines from the statement; the
    approver posts those the month-end needs."""
    by_row = {line.line_number: line for line in statement.lines.all()}
    for number, row in enumerate(rows, start=2):  # the header is row 1
        line = by_row[number]
        if row.entry is not None:
            if not line.matched_entry_id:
                matching.match_line(line, row.entry, admin)
        elif row.kind:
            proposal = _propose_from_line(line, row.kind, admin, today)
            if row.post:
                services.post_proposal(proposal, approver, note="Agreed to the bank's statement.", today=today)


def _import_statements(
    admin: User, approver: User, opening: dt.date, today: dt.date, unpresented: set[int]
) -> list[BankStatement]:
    imported = []
    for name, content, rows in _statement_files(_bank_lines(opening, today, unpresented)):
        statement = statements.import_statement(admin, name=name, content=content)
        _explain(statement, rows, admin, approver, today)
        imported.append(statement)
    return imported


# --------------------------------------------------------------------------------------------------
# Month-end


def _close_books(approver: User, opening: dt.date, today: dt.date) -> int:
    """Each month from the opening signed off and closed in order; the last complete month signed off and
    left open; last year closed once all its months are. Returns how many months were closed."""
    last_month = _month_before(today)
    month, closed = opening.replace(day=1), 0
    while month < last_month:
        services.sign_off_month(approver, month=month, today=today)
        services.close_month(approver, month=month, note="Reconciled and signed; suspense clear.", today=today)
        month = periods.month_bounds(month)[1] + dt.timedelta(days=1)
        closed += 1
    services.sign_off_month(approver, month=last_month, today=today)
    last_year = reports.current_year(opening)
    if reports.year_bounds(last_year)[1] < last_month:
        services.close_year(
            approver, year=last_year, note="Every month closed; the year's statement is final.", today=today
        )
    return closed


def seed_fund(users: dict[str, User], out: Callable[[str], None], today: dt.date | None = None) -> int:
    """Seed the fund; returns how many receipts were recorded (0 when the fund already has some)."""
    today = today or timezone.localdate()
    if Receipt.objects.exists():
        out("Trust fund: already has receipts, left alone.")
        return 0
    admin, approver = _user(users, "fundadmin"), _user(users, "approver")
    this_start, _ = reports.year_bounds(reports.current_year(today))
    last_start = this_start.replace(year=this_start.year - 1)

    _opening_balance(admin, approver, last_start, today)
    receipts = [_opening_appropriation(admin, last_start, today)]
    _last_years_payment(admin, approver, last_start, today)
    receipts.append(_donor_grant(admin, this_start, today))
    receipts += _forfeited_proceeds(admin, today)
    paid_entries = _this_years_disbursements(admin, approver, this_start, today)

    imported = _import_statements(admin, approver, last_start, today, unpresented=set(paid_entries[-1:]))
    closed = _close_books(approver, last_start, today)
    lines = sum(statement.line_count for statement in imported)
    out(
        f"Trust fund: {len(receipts)} receipts, {len(DISBURSEMENTS) + 1} disbursements, {len(imported)} statements "
        f"of {lines} lines; {closed} months closed, {_month_before(today):%B %Y} signed off; "
        f"balance KES {ledger.bank_balance():,.2f}."
    )
    return len(receipts)


def pay_for_referrals(users: dict[str, User], out: Callable[[str], None], today: dt.date | None = None) -> int:
    """Pay some providers for the victims register's referrals in service or completed, each payment citing
    its referral, so "Where the money went" leads from the fund to the service and the victim."""
    from victims.choices import ReferralStatus, ServiceKind
    from victims.models import Referral

    today = today or timezone.localdate()
    if Disbursement.objects.filter(referral__isnull=False).exists():
        return 0
    admin, approver = _user(users, "fundadmin"), _user(users, "approver")
    purposes = {
        ServiceKind.SHELTER: DisbursementPurpose.SHELTER_BASIC_NEEDS,
        ServiceKind.MEDICAL: DisbursementPurpose.MEDICAL,
        ServiceKind.PSYCHOSOCIAL: DisbursementPurpose.PSYCHOSOCIAL,
        ServiceKind.LEGAL_AID: DisbursementPurpose.LEGAL_ASSISTANCE,
        ServiceKind.REPATRIATION: DisbursementPurpose.RETURN_REPATRIATION,
        ServiceKind.REINTEGRATION: DisbursementPurpose.REINTEGRATION,
        ServiceKind.EDUCATION: DisbursementPurpose.OTHER_ASSISTANCE,
    }
    served = Referral.objects.filter(status__in=[ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED])
    paid = 0
    for n, referral in enumerate(served.select_related("victim", "provider").order_by("reference")[:6]):
        disbursement = services.request_disbursement(
            admin,
            purpose=purposes[ServiceKind(referral.kind)],
            amount=D(12000 + 1500 * n),
            resolution_reference=f"BOT/RES/{30 + n}/{today.year}",
            referral=referral,
            description=f"{referral.get_kind_display()} for {referral.victim.code} ({referral.reference})",
            requested_on=today,
        )
        services.approve_disbursement(disbursement, approver, no_documents_reason="Provider's invoice on file")
        if n % 3 != 2:  # two in three paid; the rest wait, approved
            services.pay_disbursement(disbursement, admin, paid_on=today, payment_reference=f"EFT-NRM-{n + 1}")
            paid += 1
    out(f"Trust fund: {paid} payments to service providers citing the victims register's referrals.")
    return paid
