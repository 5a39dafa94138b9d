"""``manage.py compute_network``: measure the whole cross-case network and store the result (the persons of
interest page reads it). Cron may run it nightly; it replaces the previous run in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from network.measures import compute_network


class Command(BaseCommand):
    help = "Measure the cross-case network (degree, betweenness, cases and counties connected) and store it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--samples",
            type=int,
            default=None,
            help="Estimate betweenness from this many sampled nodes (default: exact up to 5,000 nodes, else 200).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        samples = options["samples"]
        if samples is not None and samples < 1:
            self.stderr.write("--samples must be at least 1.")
            raise SystemExit(2)
        run = compute_network(samples=samples)
        how = f"estimated from {run.sampled_sources} sampled nodes" if run.sampled_sources else "exact"
        self.stdout.write(
            f"Measured {run.persons} persons over {run.cases} cases: {run.nodes} nodes, {run.edges} links, "
            f"betweenness {how}, in {run.seconds:.1f} s."
        )
