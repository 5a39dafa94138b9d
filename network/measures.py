"""Measures of each person's place in the whole cross-case network, with ``networkx``, and storing them.

Definitions (the persons-of-interest page prints them, ``DEFINITIONS``):

- **Links (degree)** — how many nodes the person touches directly: the cases they are accused in, plus the
  shared identifiers (a phone number, vehicle, bank account or parcel that appears on more than one record)
  they hold.
- **Betweenness** — the share of shortest paths between any two nodes of the network that pass through the
  person (0 to 1, networkx's normalised betweenness centrality). A broker joining otherwise separate cases
  scores high. Exact on a network of up to ``EXACT_LIMIT`` nodes; beyond that estimated from
  ``SAMPLE_SOURCES`` start nodes drawn at random with a fixed seed (so a rerun on the same data gives the
  same figures) — an estimate: small differences between persons mean nothing.
- **Cases connected** — the cases the person is accused in, plus the cases reached through an identifier they
  share (the lorry seized in another case, their phone number on another case's M-Pesa account).
- **Counties connected** — the counties of those cases.
- **Charged** — charged with at least one count in some case.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.labels import Label
from network.graph import WholeGraph, whole_graph
from network.models import NetworkRun, PersonMeasure, PersonMeasureCase

EXACT_LIMIT = 5000
SAMPLE_SOURCES = 200
SEED = 21
BATCH = 2000

DEFINITIONS: tuple[tuple[Label, Label], ...] = (
    (
        _("Links"),
        _(
            "How many nodes the person touches directly: the cases they are accused in, plus the shared "
            "identifiers (a phone number, vehicle, bank account or land parcel that appears on more than one "
            "record) they hold."
        ),
    ),
    (
        _("Betweenness"),
        _(
            "The share of shortest paths between any two points of the network that pass through the person (0 "
            "to 1). Someone who joins otherwise separate cases scores high. Estimated from a sample on a large "
            "network: small differences between persons mean nothing."
        ),
    ),
    (
        _("Cases connected"),
        _("The cases the person is accused in, plus the cases reached through an identifier they share."),
    ),
    (_("Counties"), _("The counties of the cases connected.")),
    (
        _("Charged"),
        _(
            "Charged with at least one count in some case. “Never charged” with several cases "
            "connected is exactly who the unit should look at."
        ),
    ),
)


@dataclass(frozen=True)
class Measure:
    person_id: int
    degree: int
    betweenness: float
    cases: frozenset[int]
    counties: int
    cases_accused: int
    charged: bool


def betweenness_of(graph: nx.Graph, samples: int | None = None) -> tuple[dict[str, float], int | None]:
    """Normalised betweenness of every node, exact on a small graph, sampled on a large one; and the number
    of sources sampled (``None`` when exact)."""
    if graph.number_of_nodes() == 0:
        return {}, None
    k = samples if samples is not None else (None if graph.number_of_nodes() <= EXACT_LIMIT else SAMPLE_SOURCES)
    if k is not None and k >= graph.number_of_nodes():
        k = None
    return nx.betweenness_centrality(graph, k=k, normalized=True, seed=SEED), k


def person_measures(whole: WholeGraph, betweenness: dict[str, float]) -> Iterator[Measure]:
    graph = whole.graph
    for node in graph.nodes:
        if not node.startswith("p:"):
            continue
        person_id = int(node[2:])
        cases: set[int] = set()
        for neighbour in graph.neighbors(node):
            if neighbour.startswith("c:"):
                cases.add(int(neighbour[2:]))
            elif neighbour.startswith("i:"):
                cases.update(int(far[2:]) for far in graph.neighbors(neighbour) if far.startswith("c:"))
        counties = {whole.county_of_case[c] for c in cases if c in whole.county_of_case}
        yield Measure(
            person_id=person_id,
            degree=graph.degree(node),
            betweenness=betweenness.get(node, 0.0),
            cases=frozenset(cases),
            counties=len(counties),
            cases_accused=len(whole.accused_in.get(person_id, ())),
            charged=person_id in whole.charged,
        )


def compute_network(samples: int | None = None) -> NetworkRun:
    """Measure the whole network and store the result as the current run (replacing the previous one)."""
    started = time.monotonic()
    whole = whole_graph()
    betweenness, sampled = betweenness_of(whole.graph, samples)
    measures = list(person_measures(whole, betweenness))
    graph = whole.graph
    with transaction.atomic():
        run = NetworkRun.objects.create(
            computed_at=timezone.now(),
            nodes=graph.number_of_nodes(),
            edges=graph.number_of_edges(),
            persons=len(measures),
            cases=sum(1 for node in graph.nodes if node.startswith("c:")),
            sampled_sources=sampled,
            seconds=0.0,
        )
        for start in range(0, len(measures), BATCH):
            chunk = measures[start : start + BATCH]
            stored = PersonMeasure.objects.bulk_create(
                [
                    PersonMeasure(
                        run=run,
                        person_id=m.person_id,
                        degree=m.degree,
                        betweenness=m.betweenness,
                        cases_connected=len(m.cases),
                        counties_connected=m.counties,
                        cases_accused=m.cases_accused,
                        charged=m.charged,
                    )
                    for m in chunk
                ]
            )
            by_person = {row.person_id: row.pk for row in stored}
            if None in by_person.values():  # a database that does not return ids from a bulk insert
                by_person = dict(
                    PersonMeasure.objects.filter(run=run, person_id__in=list(by_person)).values_list("person_id", "pk")
                )
            PersonMeasureCase.objects.bulk_create(
                [PersonMeasureCase(measure_id=by_person[m.person_id], case_id=c) for m in chunk for c in m.cases],
                batch_size=BATCH,
            )
        NetworkRun.objects.exclude(pk=run.pk).delete()
        run.seconds = round(time.monotonic() - started, 3)
        run.save(update_fields=["seconds"])
    return run
