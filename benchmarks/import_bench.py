"""Benchmark of the case register import (not a test): a generated register of 1,000 / 5,000 / 10,000 rows
imported through the engine — read (``imports.reading.parsed_rows``), planned and saved (the kind's
``plan`` and ``apply`` in one transaction, as ``imports.runner`` does) — beside the time of creating the
same records through the same services in a plain loop. Goal: the import within 1.3× the loop.

Run it against a THROWAWAY PostgreSQL database (it migrates it and adds thousands of cases):

    createdb -h 127.0.0.1 -U postgres ctip_impk_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_impk_bench \\
        .venv/bin/python benchmarks/import_bench.py --sizes 1000,5000,10000

The register: one row per count; cases in four shapes taken in turn — at pre-trial with two denied counts;
closed as concluded after a trial of two accused (verdicts, sentences on the convictions); at sentencing on a
guilty plea (no trial); in investigation, one accused charged on one count. 1.75 rows per case.

Per size it runs the import and the loop ``--rounds`` times each (2), taking turns to go first — whichever
runs first in a process was seen to run up to half as slow again, so one import followed by one loop said
nothing of the import — and prints the import's time and rows per second, the loop's time (each summed
over the rounds), their ratio, and the import's
peak Python memory (``tracemalloc``, in a second import of a fresh copy of the register so the timing is not
slowed by tracing) — with the peak per 1,000 rows, to show whether memory grows with the file. What the
import keeps through the file is a few bytes a row (each row's case in a typed array, ``case_drafts.Survey``),
so its peak should be that of a few hundred rows whatever the size; ``--loop-memory`` traces the plain loop
instead, whose own growth (a stage move's notification waiting for the commit) is not the import's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import os
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from benchmarks.reports_bench import refuse_shared_database


@dataclass
class Count:
    accused: str
    number: int
    offence: str
    plea: str = ""
    outcome: str = ""
    sentence_months: int | None = None


@dataclass
class CaseSpec:
    """One generated case: its numbers, dates, stage and counts."""

    ob: str
    court_case: str
    shape: str  # "pre_trial", "concluded", "own_plea", "investigation"
    reported: dt.date
    counts: list[Count] = field(default_factory=list)

    @property
    def charged(self) -> dt.date:
        return self.reported + dt.timedelta(days=20)

    @property
    def plea_on(self) -> dt.date:
        return self.charged + dt.timedelta(days=10)

    @property
    def decided(self) -> dt.date:
        return self.charged + dt.timedelta(days=300) if self.shape == "concluded" else self.plea_on

    @property
    def sentenced(self) -> dt.date:
        return self.decided + dt.timedelta(days=14)

    @property
    def closed(self) -> dt.date:
        return self.sentenced + dt.timedelta(days=30)


SHAPES = ("pre_trial", "concluded", "own_plea", "investigation")
STAGE_OF = {"pre_trial": "Pre-trial", "concluded": "Closed", "own_plea": "Sentencing", "investigation": "Investigation"}


def generate(rows: int, prefix: str) -> list[CaseSpec]:
    """Cases until ``rows`` counts: the four shapes in turn, dated between four and six years ago."""
    today = dt.date.today()
    cases: list[CaseSpec] = []
    made = 0
    n = 0
    while made < rows:
        shape = SHAPES[n % len(SHAPES)]
        spec = CaseSpec(
            ob=f"OB {prefix}/{n}",
            court_case=f"{prefix}{n} of 2020",
            shape=shape,
            reported=today - dt.timedelta(days=1500 + (n * 37) % 700),
        )
        if shape == "pre_trial":
            spec.counts = [
                Count("Juma Ali", 1, "CTIP s.7", "Not guilty"),
                Count("Juma Ali", 2, "CTIP s.8", "Not guilty"),
            ]
        elif shape == "concluded":
            spec.counts = [
                Count("Amina Said", 1, "CTIP s.7", "Not guilty", "Convicted after trial (s.215)", 400),
                Count("Amina Said", 2, "CTIP s.8", "Not guilty", "Acquitted — no case to answer (s.210)"),
                Count("Peter Otieno", 1, "CTIP s.7", "Not guilty", "Convicted after trial (s.215)", 380),
            ]
        elif shape == "own_plea":
            spec.counts = [Count("Hassan Omar", 1, "CTIP s.8", "Guilty", "Convicted on own plea of guilty", 130)]
        else:
            spec.counts = [Count("Grace Mutua", 1, "CTIP s.7")]
        spec.counts = spec.counts[: rows - made]
        spec.ob = f"OB {prefix}/{n}"
        made += len(spec.counts)
        cases.append(spec)
        n += 1
    return cases


def register(cases: list[CaseSpec]) -> bytes:
    """The cases as an .xlsx register (dates as Excel date cells), written in constant memory."""
    import xlsxwriter

    from imports.kinds.cases import CaseRegister

    headers = [column.header for column in CaseRegister.columns]
    position = {column.key: index for index, column in enumerate(CaseRegister.columns)}
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet("Register")
    for index, header in enumerate(headers):
        sheet.write_string(0, index, header)
    line = 1
    for spec in cases:
        for count in spec.counts:
            cells: dict[str, Any] = {
                "ob_number": spec.ob,
                "county": "Mombasa",
                "reported_on": spec.reported,
                "stage": STAGE_OF[spec.shape],
                "accused": count.accused,
                "network_role": "Recruiter",
                "count_number": count.number,
                "offence": count.offence,
                "offence_date": spec.reported - dt.timedelta(days=5),
            }
            if spec.shape != "investigation":
                cells |= {
                    "court_case": spec.court_case,
                    "court": "Mombasa Chief Magistrate's Court",
                    "charged_on": spec.charged,
                    "plea": count.plea,
                    "plea_date": spec.plea_on,
                }
            if count.outcome:
                cells |= {"outcome": count.outcome, "outcome_date": spec.decided}
            if count.sentence_months:
                cells |= {"sentence_months": count.sentence_months, "sentence_date": spec.sentenced}
            if spec.shape == "concluded":
                cells |= {"closure_reason": "Concluded", "stage_on": spec.closed}
            for key, value in cells.items():
                if isinstance(value, dt.date):
                    sheet.write_datetime(line, position[key], dt.datetime.combine(value, dt.time()), date_format)
                elif isinstance(value, int):
                    sheet.write_number(line, position[key], value)
                else:
                    sheet.write_string(line, position[key], value)
            line += 1
    book.close()
    return output.getvalue()


def import_register(content: bytes, user: Any, name: str) -> int:
    """What ``imports.runner.run_import`` does with a register, without the batch: read and plan (refused on
    any error), then save in one transaction — the runner's own ``check_rows`` and ``save_rows``."""
    from django.db import transaction

    from imports.kinds.cases import CaseRegister
    from imports.runner import check_rows, save_rows

    kind = CaseRegister()
    rows, plans = check_rows(kind, name, content, user)
    with transaction.atomic():
        save_rows(kind, name, content, user, plans, progress=lambda done: None)
    return rows


def plain_loop(cases: list[CaseSpec], user: Any) -> None:
    """The same records created through the services directly, as a script written for this data would."""
    from django.db import transaction

    from core.models import County
    from prosecutions import services
    from prosecutions.models import Court, Offence

    county = County.objects.get(name="Mombasa")
    court = Court.objects.get(name="Mombasa Chief Magistrate's Court")
    offences = {
        f"CTIP s.{section}": Offence.objects.filter(statute="ctip", section=section).latest("effective_from")
        for section in ("7", "8")
    }
    pleas = {"Not guilty": "not_guilty", "Guilty": "guilty"}
    outcomes = {
        "Convicted after trial (s.215)": "convicted_trial",
        "Acquitted — no case to answer (s.210)": "acquitted_s210",
        "Convicted on own plea of guilty": "convicted_plea",
    }
    with transaction.atomic():
        for spec in cases:
            in_court = spec.shape != "investigation"
            number = spec.court_case.split(" of ")[0]
            names = list(dict.fromkeys(count.accused for count in spec.counts))
            case = services.open_case(
                user,
                title=f"Republic v. {names[0]}" + (" and others" if len(names) > 1 else ""),
                county=county,
                opened_on=spec.reported,
                court=court if in_court else None,
                court_case_serial=number if in_court else "",
                court_case_year=2020 if in_court else None,
                ob_number=spec.ob,
                ob_date=spec.reported,
            )
            accused = {name: services.add_accused(case, user, name=name, network_role="recruiter") for name in names}
            charges = [
                services.add_charge(
                    accused[count.accused],
                    user,
                    count_number=count.number,
                    offence=offences[count.offence],
                    offence_date=spec.reported - dt.timedelta(days=5),
                )
                for count in spec.counts
            ]
            if not in_court:
                continue
            services.move_stage(case, user, "charging_decision", effective_on=spec.charged)
            services.move_stage(case, user, "pre_trial", effective_on=spec.charged)
            for charge, count in zip(charges, spec.counts, strict=True):
                services.record_plea(charge, user, plea=pleas[count.plea], plea_date=spec.plea_on)
            if spec.shape == "pre_trial":
                continue
            if spec.shape == "concluded":
                services.move_stage(case, user, "trial", effective_on=spec.plea_on)
                services.move_stage(case, user, "judgment", effective_on=spec.decided)
            for charge, count in zip(charges, spec.counts, strict=True):
                services.record_disposition(
                    charge, user, disposition=outcomes[count.outcome], disposition_date=spec.decided
                )
            services.move_stage(
                case, user, "sentencing", effective_on=spec.sentenced if spec.shape == "concluded" else spec.decided
            )
            for charge, count in zip(charges, spec.counts, strict=True):
                if count.sentence_months:
                    services.record_sentence(
                        charge, user, sentenced_on=spec.sentenced, custodial_months=count.sentence_months
                    )
            if spec.shape == "concluded":
                services.move_stage(case, user, "closed", effective_on=spec.closed, closure_reason="concluded")


def bench_user() -> Any:
    from core.models import User
    from core.roles import Role
    from core.services import ensure_demo_users, ensure_roles

    demo = ensure_demo_users()
    user, _created = User.objects.get_or_create(username="bench-impk", defaults={"first_name": "Bench"})
    ensure_roles(
        user, [Role.PROSECUTOR], asked_by=demo["accessadmin"], approved_by=demo["accessadmin2"], reason="Benchmark"
    )
    return user


def measure_memory(size: int, user: Any) -> dict[str, float]:
    """Only the traced import: its peak Python memory."""
    stamp = time.time_ns() // 1000
    run = "".join(chr(ord("A") + (stamp // 26**k) % 26) for k in range(2))
    content = register(generate(size, f"{run}M"))
    gc.collect()
    tracemalloc.start()
    rows = import_register(content, user, f"bench-mem-{run}.xlsx")
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"rows": rows, "peak": peak}


def measure_preview_memory(size: int, user: Any) -> dict[str, float]:
    """Only the traced preview of an uploaded register (``imports.runner.preview``, as the worker runs it): its
    peak Python memory."""
    from imports.runner import preview, upload

    run = _run_letters()
    content = register(generate(size, f"{run}V"))
    batch = upload("cases", f"bench-preview-{run}.xlsx", [content], len(content), user)
    gc.collect()
    tracemalloc.start()
    outcome = preview(batch.pk)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    batch.refresh_from_db()
    if batch.rows_total != size or batch.error_count:
        raise SystemExit(f"The preview went wrong: {outcome}")
    return {"rows": batch.rows_total, "peak": peak}


def _run_letters() -> str:
    """Two letters for one round's numbers (court serials take three letters at most: these and the kind's)."""
    stamp = time.time_ns() // 1000
    return "".join(chr(ord("A") + (stamp // 26**k) % 26) for k in range(2))


def _timed_import(size: int, user: Any) -> tuple[int, float, int]:
    """One timed import of a fresh register: rows imported, seconds, the file's size in bytes."""
    run = _run_letters()
    content = register(generate(size, f"{run}I"))
    gc.collect()
    started = time.perf_counter()
    rows = import_register(content, user, f"bench-{run}.xlsx")
    return rows, time.perf_counter() - started, len(content)


def _timed_loop(size: int, user: Any) -> float:
    """One timed plain loop over fresh cases: seconds."""
    cases = generate(size, f"{_run_letters()}L")
    gc.collect()
    started = time.perf_counter()
    plain_loop(cases, user)
    return time.perf_counter() - started


def measure(size: int, user: Any, memory: bool, rounds: int = 2) -> dict[str, float]:
    """The import and the loop, ``rounds`` times each, taking turns to go first (import–loop, loop–import, …)
    so that neither gains from going second (a warmed process and database) nor loses to a drift in the
    machine's load; the times are summed over the rounds."""
    engine = loop = 0.0
    rows = file_bytes = 0
    for round_ in range(rounds):
        for step in ("import", "loop") if round_ % 2 == 0 else ("loop", "import"):
            if step == "import":
                rows, seconds, file_bytes = _timed_import(size, user)
                engine += seconds
            else:
                loop += _timed_loop(size, user)

    peak = float("nan")
    if memory:
        peak = measure_memory(size, user)["peak"]
    return {
        "rows": rows * rounds,
        "engine": engine,
        "loop": loop,
        "peak": peak,
        "per_file_rows": rows,
        "file_kib": file_bytes / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000", help="register sizes in rows, comma-separated")
    parser.add_argument("--no-memory", action="store_true", help="skip the traced import (it doubles the run)")
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds of each, taking turns to go first")
    parser.add_argument("--memory-only", action="store_true", help="only the traced import, for its peak memory")
    parser.add_argument("--loop-memory", action="store_true", help="only the traced plain loop, for comparison")
    parser.add_argument("--preview-memory", action="store_true", help="only the traced preview, for its peak memory")
    args = parser.parse_args()
    refuse_shared_database()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in production: development mode keeps the last 9,000 SQL queries in memory, which would be counted
    # in the import's peak.
    settings.DEBUG = False

    call_command("migrate", verbosity=0)
    user = bench_user()
    headings = ("rows", "import s", "rows/s", "loop s", "ratio", "goal", "peak MiB", "MiB/1k")
    print(" ".join(f"{text:>9}" for text in headings))
    for size in (int(text) for text in args.sizes.split(",") if text.strip()):
        if args.loop_memory:
            cases = generate(size, f"{chr(ord('A') + time.time_ns() % 26)}{chr(ord('A') + time.time_ns() // 7 % 26)}P")
            gc.collect()
            tracemalloc.start()
            plain_loop(cases, user)
            print(f"{size:>9,} loop peak {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB", flush=True)
            tracemalloc.stop()
            continue
        if args.preview_memory:
            traced = measure_preview_memory(size, user)
            print(f"{int(traced['rows']):>9,} preview peak {traced['peak']:.1f} MiB", flush=True)
            continue
        if args.memory_only:
            traced = measure_memory(size, user)
            print(f"{int(traced['rows']):>9,} peak {traced['peak']:.1f} MiB", flush=True)
            continue
        result = measure(size, user, memory=not args.no_memory, rounds=args.rounds)
        ratio = result["engine"] / result["loop"]
        print(
            f"{int(result['per_file_rows']):>9,} {result['engine']:>9.1f} {result['rows'] / result['engine']:>9.1f} "
            f"{result['loop']:>9.1f} {ratio:>9.2f} {'met' if ratio <= 1.3 else 'MISS':>9} "
            f"{result['peak']:>9.1f} {result['peak'] / result['per_file_rows'] * 1000:>9.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
