"""Benchmark of the trust fund's reports (not a test): the fund statement, the reconciliation report
and the fund summary's balance chart on generated fund data over the 10,000-case dataset.

Run it against a THROWAWAY database — it migrates it and inserts tens of thousands of rows:

    DATABASE_URL=sqlite:////tmp/ctip-reports-bench.sqlite3 .venv/bin/python benchmarks/fund_reports_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_bench .venv/bin/python benchmarks/fund_reports_bench.py

Without ``--reuse-cases`` it first generates the cases and assets of ``benchmarks/reports_bench.py``
(``--cases``); then it adds ``--receipts`` receipts and ``--disbursements`` paid disbursements spread over
the financial years 2019/20 to today, each with its balanced journal entry, forfeited-proceeds receipts
citing the generated realisations destined for the fund, and bank statement lines for about 85 % of the
bank entries (matched) plus a few bank charges (unmatched). Plain ``bulk_create`` (no history rows: this is
a benchmark, not app code; the app itself only ever posts through its services).

For each report it prints the SQL queries and the median time (of ``--repeat`` runs) to compute the
figures, to render the page and to build the Excel workbook; and the fund administrator's home page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_2FA_REQUIRED", "0")  # the bench signs in with force_login: no second step

from reports_bench import (  # this folder is on sys.path when run as a script
    BATCH,
    _day,
    _timed,
    generate,
    get_ok,
    refuse_shared_database,
)

FUND_START = dt.date(2019, 7, 1)


def generate_fund(receipts: int, disbursements: int, seed: int = 2027) -> dict[str, int]:
    """Insert the fund's receipts, paid disbursements, their journal entries and a bank statement."""
    from django.utils import timezone

    from assets.choices import Destination
    from assets.models import Realisation
    from core.models import User
    from core.numbering import financial_year
    from core.roles import Role
    from core.services import ensure_demo_users, ensure_roles
    from trustfund.chart import BANK, PURPOSE_ACCOUNTS, SOURCE_ACCOUNTS
    from trustfund.choices import DisbursementPurpose, DisbursementStatus, EntryKind, ReceiptSource
    from trustfund.models import (
        Account,
        BankStatement,
        Disbursement,
        JournalEntry,
        JournalLine,
        Receipt,
        StatementLine,
    )

    rng = random.Random(seed)
    today = timezone.localdate()
    run = str(time.time_ns())[-6:]
    demo = ensure_demo_users()  # the access administrators who grant the bench users their roles
    bench_users = {}
    for username, role in (
        ("bench-fund-admin", Role.FUND_ADMINISTRATOR),
        ("bench-fund-approver", Role.FUND_APPROVER),
        ("bench-auditor", Role.AUDITOR),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": "Bench"})
        ensure_roles(user, [role], asked_by=demo["accessadmin"], approved_by=demo["accessadmin2"], reason="Benchmark")
        bench_users[role] = user
    admin, approver = bench_users[Role.FUND_ADMINISTRATOR], bench_users[Role.FUND_APPROVER]
    accounts = {a.code: a for a in Account.objects.all()}
    sales = list(
        Realisation.objects.filter(destination=Destination.TRUST_FUND, realised_on__gte=FUND_START).values_list(
            "pk", "realised_on", "net_proceeds_kes"
        )
    )
    rng.shuffle(sales)

    # Receipts first (the money in), then payments that never take the balance below zero.
    plans: list[dict[str, Any]] = []
    for n in range(receipts):
        source = rng.choices(list(SOURCE_ACCOUNTS), [3, 2, 1, 1])[0]
        sale = sales.pop() if source == ReceiptSource.FORFEITED_PROCEEDS and sales else None
        if source == ReceiptSource.FORFEITED_PROCEEDS and sale is None:
            source = ReceiptSource.APPROPRIATION
        day = _day(rng, sale[1], today) if sale else _day(rng, FUND_START, today)
        amount = sale[2] if sale else Decimal(rng.randint(100_000, 5_000_000)) + Decimal(rng.randint(0, 99)) / 100
        plans.append({"kind": "receipt", "n": n, "day": day, "amount": amount, "source": source, "sale": sale})
    for n in range(disbursements):
        day = _day(rng, FUND_START + dt.timedelta(days=60), today)
        amount = Decimal(rng.randint(10_000, 400_000)) + Decimal(rng.randint(0, 99)) / 100
        purpose = rng.choice(list(PURPOSE_ACCOUNTS))
        plans.append({"kind": "payment", "n": n, "day": day, "amount": amount, "purpose": purpose})
    plans.sort(key=lambda p: (p["day"], p["kind"] != "receipt"))

    entries: list[Any] = []
    for plan in plans:
        fy = financial_year(plan["day"])
        if plan["kind"] == "receipt":
            plan["reference"] = f"RCT/{fy}/B{run}{plan['n']:05d}"
            description = f"Receipt {ReceiptSource(plan['source']).label}"
        else:
            plan["reference"] = f"DSB/{fy}/B{run}{plan['n']:05d}"
            description = f"Payment {DisbursementPurpose(plan['purpose']).label}"
        entries.append(
            JournalEntry(
                reference=f"JE/{fy}/{run}{len(entries):06d}",
                entry_date=plan["day"],
                kind=EntryKind.RECEIPT if plan["kind"] == "receipt" else EntryKind.DISBURSEMENT,
                description=description,
                document_reference=plan["reference"],
                posted_by=admin,
            )
        )
    entries = JournalEntry.objects.bulk_create(entries, batch_size=BATCH)

    lines, receipt_rows, payment_rows = [], [], []
    statement_rows: list[tuple[dt.date, str, Decimal, Any]] = []
    bank = accounts[BANK]
    for entry, plan in zip(entries, plans, strict=True):
        amount = plan["amount"]
        if plan["kind"] == "receipt":
            lines.append(JournalLine(entry=entry, account=bank, debit=amount))
            lines.append(JournalLine(entry=entry, account=accounts[SOURCE_ACCOUNTS[plan["source"]]], credit=amount))
            receipt_rows.append(
                Receipt(
                    reference=plan["reference"],
                    received_on=plan["day"],
                    source=plan["source"],
                    amount=amount,
                    payer="Bench payer",
                    realisation_id=plan["sale"][0] if plan["sale"] else None,
                    entry=entry,
                    recorded_by=admin,
                )
            )
        else:
            lines.append(JournalLine(entry=entry, account=accounts[PURPOSE_ACCOUNTS[plan["purpose"]]], debit=amount))
            lines.append(JournalLine(entry=entry, account=bank, credit=amount))
            payment_rows.append(
                Disbursement(
                    reference=plan["reference"],
                    service_provider="Bench provider",
                    purpose=plan["purpose"],
                    amount=amount,
                    resolution_reference="BOT/BENCH",
                    status=DisbursementStatus.PAID,
                    requested_on=plan["day"],
                    requested_by=admin,
                    decided_by=approver,
                    decided_at=timezone.now(),
                    paid_on=plan["day"],
                    payment_reference=f"EFT-{plan['n']}",
                    payment_entry=entry,
                )
            )
        if rng.random() < 0.85:
            signed = amount if plan["kind"] == "receipt" else -amount
            statement_rows.append(
                (plan["day"] + dt.timedelta(days=rng.randint(0, 2)), plan["reference"], signed, entry)
            )
    JournalLine.objects.bulk_create(lines, batch_size=BATCH)
    Receipt.objects.bulk_create(receipt_rows, batch_size=BATCH)
    Disbursement.objects.bulk_create(payment_rows, batch_size=BATCH)

    for month in range(0, (today.year - FUND_START.year) * 12 + today.month - FUND_START.month):
        first = dt.date(
            FUND_START.year + (FUND_START.month - 1 + month) // 12, (FUND_START.month - 1 + month) % 12 + 1, 1
        )
        statement_rows.append((first + dt.timedelta(days=27), f"CHG-{month}", Decimal("-250.00"), None))
    statement_rows = [row for row in statement_rows if row[0] <= today]
    statement_rows.sort(key=lambda row: row[0])
    statement = BankStatement(
        original_name=f"bench-{run}.csv",
        file=f"statements/bench-{run}.csv",
        file_hash=f"bench{run}".ljust(64, "0"),
        period_start=statement_rows[0][0],
        period_end=statement_rows[-1][0],
        line_count=len(statement_rows),
        imported_by=admin,
    )
    statement.save()  # benchmark data only; no history wanted
    StatementLine.objects.bulk_create(
        [
            StatementLine(
                statement=statement,
                line_number=number,
                date=day,
                description="Bench",
                reference=reference,
                amount=amount,
                matched_entry=entry,
                match_method="automatic" if entry else "",
                matched_by=admin if entry else None,
                matched_at=timezone.now() if entry else None,
            )
            for number, (day, reference, amount, entry) in enumerate(statement_rows, start=2)
        ],
        batch_size=BATCH,
    )
    return {
        "receipts": len(receipt_rows),
        "citing realisations": sum(1 for r in receipt_rows if r.realisation_id),
        "paid disbursements": len(payment_rows),
        "journal lines": len(lines),
        "statement lines": len(statement_rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--receipts", type=int, default=3_000)
    parser.add_argument("--disbursements", type=int, default=4_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reuse-cases", action="store_true", help="keep the cases a previous run generated")
    parser.add_argument("--reuse", action="store_true", help="time the data a previous run generated")
    args = parser.parse_args()
    refuse_shared_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from core.models import User
    from core.reports import Period, get_report
    from trustfund import reports as fund_reports

    call_command("migrate", verbosity=0)
    if not args.reuse:
        started = time.perf_counter()
        counts = {} if args.reuse_cases else generate(args.cases)
        counts.update(generate_fund(args.receipts, args.disbursements))
        summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
        print(f"Generated in {time.perf_counter() - started:.1f} s: {summary}")
    with django.db.connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    auditor = User.objects.get(username="bench-auditor")
    client = Client()
    client.force_login(auditor)
    today = timezone.localdate()
    print(f"\nDatabase: {django.db.connection.vendor}; median of {args.repeat} runs; times in milliseconds.\n")
    print("| Report | Period | Queries | Compute | Page | Excel |")
    print("|---|---|---|---|---|---|")
    for key in ("fund_statement", "fund_reconciliation"):
        report = get_report(key)
        period = Period.containing(report.period_kind, today).shifted(-1)
        url = reverse(report.url_name)
        compute_ms, queries = _timed(lambda r=report, p=period: r.compute(p, auditor), args.repeat)
        page_ms, _ = _timed(lambda u=url, p=period: get_ok(client, u, {"period": p.param}), args.repeat)

        def excel(u: str = url, p: Period = period) -> None:
            response: Any = get_ok(client, u, {"period": p.param, "export": "xlsx"})
            b"".join(response.streaming_content)

        excel_ms, _ = _timed(excel, args.repeat)
        print(f"| {report.title} | {period.param} | {queries} | {compute_ms:.0f} | {page_ms:.0f} | {excel_ms:.0f} |")
    chart_ms, chart_queries = _timed(fund_reports.fund_balance_chart, args.repeat)
    year = fund_reports.current_year(today)
    print(f"| Fund balance chart (1 Jul to today) | {year} | {chart_queries} | {chart_ms:.0f} | — | — |")
    admin = Client()
    admin.force_login(User.objects.get(username="bench-fund-admin"))
    home_ms, home_queries = _timed(lambda: get_ok(admin, reverse("core:home")), args.repeat)
    print(f"| Home page of a fund administrator | — | {home_queries} | — | {home_ms:.0f} | — |")


if __name__ == "__main__":
    main()
