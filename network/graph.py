"""The network behind the cases, read from the database: persons, cases, the identifiers they share (vehicle
registrations, bank accounts, phone and M-Pesa numbers, land parcels) and victims, by code only.

Two readings:

- ``whole_graph()`` — every case, for the measures (``network.measures``): read in a fixed number of
  streamed queries (values only, no model instances), identifiers and victims kept only when shared.
- ``neighbourhood(user, start, steps)`` — the graph around one person or case, ``steps`` links out
  (at most ``MAX_STEPS``, at most ``MAX_NODES`` nodes), every row read through the user's own scope
  rules: a case the user may not see, and whatever is reached only through it, leaves no trace.

Nodes are keyed ``"p:<id>"`` (person), ``"c:<id>"`` (case), ``"i:<kind>:<value>"`` (identifier) and
``"v:<code>"`` (victim). A phone number is one node whether it is a person's phone or an asset's M-Pesa line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets.models import AssetIdentifier
from core.access import AnyUser
from core.labels import Label
from prosecutions.choices import IdentifierKind, NetworkRole
from prosecutions.models import Accused, Case, Charge, Person, PersonIdentifier

DEFAULT_STEPS = 2
MAX_STEPS = 4
MAX_NODES = 250
STREAM_CHUNK = 5000

PHONE = "phone"  # the asset identifier kind and the person identifier kind share the value


class TooManySteps(ValueError):
    """A network asked for more steps than ``MAX_STEPS`` (or fewer than one)."""


def person_key(pk: int) -> str:
    return f"p:{pk}"


def case_key(pk: int) -> str:
    return f"c:{pk}"


def identifier_key(kind: str, value: str) -> str:
    return f"i:{kind}:{value}"


def victim_key(code: str) -> str:
    return f"v:{code}"


def parse_steps(text: str | None) -> int:
    """The ``steps`` asked for in a request, checked: 1 to ``MAX_STEPS``; blank means ``DEFAULT_STEPS``."""
    if text is None or not str(text).strip():
        return DEFAULT_STEPS
    try:
        steps = int(str(text).strip())
    except ValueError:
        raise TooManySteps(
            _("“%(text)s” is not a number of steps: give a whole number from 1 to %(most)s.")
            % {"text": text, "most": MAX_STEPS}
        ) from None
    if not 1 <= steps <= MAX_STEPS:
        raise TooManySteps(
            _(
                "A network is drawn from 1 to %(most)s steps out, not %(steps)s: beyond that it takes in most "
                "of the register and says nothing about this record."
            )
            % {"most": MAX_STEPS, "steps": steps}
        )
    return steps


# --- Victims (one function, so that it follows the victims register wherever it lives) ---------------


def victim_links(
    cases: QuerySet[Case] | None = None, case_ids: Iterable[int] = (), codes: Iterable[str] = (), every: bool = False
) -> QuerySet[Any]:
    """(case id, victim code) pairs of victims on ``cases`` (a queryset: the cases a user sees) who are on
    one of ``case_ids`` or carry one of ``codes`` — or, with ``every``, all of them. Victims are read by code
    only: nothing else of a victim enters the network. The one place that knows where victims live."""
    from victims.models import CaseVictim  # the register links a victim to any number of cases

    rows = CaseVictim.objects.all()
    if cases is not None:
        rows = rows.filter(case__in=cases)
    if not every:
        rows = rows.filter(Q(case_id__in=list(case_ids)) | Q(victim__code__in=list(codes)))
    return rows.values_list("case_id", "victim__code")


# --- The whole graph ---------------------------------------------------------------------------------


@dataclass
class WholeGraph:
    """The cross-case graph with what the measures need beside it."""

    graph: nx.Graph
    county_of_case: dict[int, int]
    charged: set[int]
    accused_in: dict[int, set[int]]


def whole_graph() -> WholeGraph:
    """Every person, case and shared identifier, in a fixed number of streamed queries."""
    graph = nx.Graph()
    county_of_case = dict(Case.objects.values_list("pk", "county_id").iterator(chunk_size=STREAM_CHUNK))
    graph.add_nodes_from(case_key(pk) for pk in county_of_case)

    accused_in: dict[int, set[int]] = defaultdict(set)
    rows = Accused.objects.filter(person__isnull=False).values_list("person_id", "case_id")
    for person_id, case_id in rows.iterator(chunk_size=STREAM_CHUNK):
        accused_in[person_id].add(case_id)
        graph.add_edge(person_key(person_id), case_key(case_id))
    live = Person.objects.filter(merged_into__isnull=True).values_list("pk", flat=True)
    graph.add_nodes_from(person_key(pk) for pk in live.iterator(chunk_size=STREAM_CHUNK))

    charged = set(
        Charge.objects.values_list("accused__person_id", flat=True).distinct().iterator(chunk_size=STREAM_CHUNK)
    )
    charged.discard(None)  # type: ignore[arg-type]

    # Identifiers: neighbours gathered first, and only those shared by two or more records enter the graph.
    neighbours: dict[str, set[str]] = defaultdict(set)
    assets = AssetIdentifier.objects.values_list(
        "kind", "value", "asset__case_id", "asset__holder_person_id", "asset__owner__person_id"
    )
    for kind, value, case_id, holder_id, owner_person_id in assets.iterator(chunk_size=STREAM_CHUNK):
        key = identifier_key(kind, value)
        neighbours[key].add(case_key(case_id))
        for person_id in {holder_id, owner_person_id} - {None}:
            neighbours[key].add(person_key(person_id))
    phones = PersonIdentifier.objects.filter(kind=IdentifierKind.PHONE, person__merged_into__isnull=True)
    for person_id, value in phones.values_list("person_id", "value").iterator(chunk_size=STREAM_CHUNK):
        neighbours[identifier_key(PHONE, value)].add(person_key(person_id))
    for case_id, code in victim_links(every=True).iterator(chunk_size=STREAM_CHUNK):
        neighbours[victim_key(code)].add(case_key(case_id))
    for key, linked in neighbours.items():
        if len(linked) > 1:
            graph.add_edges_from((key, other) for other in linked)
    return WholeGraph(graph, county_of_case, charged, dict(accused_in))


# --- A neighbourhood, seen by one user ---------------------------------------------------------------


@dataclass
class Node:
    key: str
    kind: str  # person | case | identifier | victim
    label: str
    url: str = ""
    detail: str = ""
    step: int = 0


@dataclass
class Neighbourhood:
    """The graph around a start node as one user may see it."""

    start: str
    steps: int
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str], str] = field(default_factory=dict)
    truncated: bool = False

    def add_edge(self, one: str, other: str, label: str) -> None:
        pair = (one, other) if one < other else (other, one)
        self.edges.setdefault(pair, label)

    def of_kind(self, kind: str) -> list[Node]:
        return sorted((n for n in self.nodes.values() if n.kind == kind), key=lambda n: (n.step, n.label))


IDENTIFIER_LABELS: dict[str, Label] = {
    "vehicle_registration": gettext_lazy("Vehicle"),
    "bank_account": gettext_lazy("Bank account"),
    "phone": gettext_lazy("Phone"),
    "land_parcel": gettext_lazy("Land parcel"),
}


def _identifier_filter(pairs: Iterable[tuple[str, str]], kind_field: str, value_field: str) -> Q:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, value in pairs:
        by_kind[kind].append(value)
    condition = Q(pk__in=[])
    for kind, values in by_kind.items():
        condition |= Q(**{kind_field: kind, f"{value_field}__in": values})
    return condition


class _Walker:
    """One breadth-first walk; each step runs the same handful of scoped queries."""

    def __init__(self, user: AnyUser, result: Neighbourhood) -> None:
        self.user = user
        self.result = result
        self.cases = Case.objects.visible_to(user)
        self.persons = Person.objects.visible_to(user).filter(merged_into__isnull=True)

    def add(self, key: str, kind: str, step: int) -> bool:
        if key in self.result.nodes:
            return False
        if len(self.result.nodes) >= MAX_NODES:
            self.result.truncated = True
            return False
        self.result.nodes[key] = Node(key, kind, key, step=step)
        return True

    def link(self, one: str, other: str, kind: str, label: str, step: int, found: set[str]) -> None:
        if other not in self.result.nodes and not self.add(other, kind, step):
            return
        self.result.add_edge(one, other, label)
        if self.result.nodes[other].step == step:
            found.add(other)

    def step(self, frontier: set[str], step: int) -> set[str]:
        found: set[str] = set()
        person_ids = [int(k[2:]) for k in frontier if k.startswith("p:")]
        case_ids = [int(k[2:]) for k in frontier if k.startswith("c:")]
        identifiers: list[tuple[str, str]] = []
        for k in frontier:
            if k.startswith("i:"):
                kind, value = k[2:].split(":", 1)
                identifiers.append((kind, value))
        codes = [k[2:] for k in frontier if k.startswith("v:")]
        seen_persons = self.persons.values("pk")

        # Persons and cases, through accused records on cases the user sees.
        accused = Accused.objects.visible_to(self.user).filter(case__in=self.cases, person__in=seen_persons)
        accused = accused.filter(Q(person_id__in=person_ids) | Q(case_id__in=case_ids))
        for person_id, case_id, role in accused.values_list("person_id", "case_id", "network_role"):
            role_label = NetworkRole(role).label if role in NetworkRole.values else role.replace("_", " ")
            # Translators: a link between a person and a case, with the accused's role ("accused (Recruiter)").
            label = _("accused (%(role)s)") % {"role": role_label}
            if person_key(person_id) in frontier:
                self.link(person_key(person_id), case_key(case_id), "case", label, step, found)
            if case_key(case_id) in frontier:
                self.link(case_key(case_id), person_key(person_id), "person", label, step, found)

        # Asset identifiers on cases the user sees: of the frontier's cases, held by its persons, or equal
        # to the frontier's identifiers.
        held = Q(asset__holder_person_id__in=person_ids) | Q(asset__owner__person_id__in=person_ids)
        wanted = Q(asset__case_id__in=case_ids) | held | _identifier_filter(identifiers, "kind", "value")
        scoped = AssetIdentifier.objects.visible_to(self.user).filter(wanted, asset__case__in=self.cases)
        asset_rows: list[tuple[str, str, int, int | None, int | None]] = list(
            scoped.values_list("kind", "value", "asset__case_id", "asset__holder_person_id", "asset__owner__person_id")
        )
        holder_ids = {pk for row in asset_rows for pk in row[3:] if pk is not None}
        # One query whatever was found (an empty ``pk__in`` alone would skip it): the page's query count holds.
        holders_seen = self.persons.filter(Q(pk__in=holder_ids) | Q(pk=0)).values_list("pk", flat=True)
        visible_holders: set[int] = set(holders_seen)
        for kind, value, case_id, holder_id, owner_person_id in asset_rows:
            key = identifier_key(kind, value)
            holders = {pk for pk in (holder_id, owner_person_id) if pk in visible_holders}
            if case_key(case_id) in frontier:
                self.link(case_key(case_id), key, "identifier", _("asset seized in"), step, found)
            for holder in holders:
                if person_key(holder) in frontier:
                    self.link(person_key(holder), key, "identifier", _("holds"), step, found)
            if key in frontier:
                self.link(key, case_key(case_id), "case", _("asset seized in"), step, found)
                for holder in holders:
                    self.link(key, person_key(holder), "person", _("holds"), step, found)

        # Persons' phone numbers (a person the user sees).
        phones = PersonIdentifier.objects.visible_to(self.user).filter(
            kind=IdentifierKind.PHONE, person__in=seen_persons
        )
        phone_values = [value for kind, value in identifiers if kind == PHONE]
        phones = phones.filter(Q(person_id__in=person_ids) | Q(value__in=phone_values))
        for person_id, value in phones.values_list("person_id", "value"):
            key = identifier_key(PHONE, value)
            if person_key(person_id) in frontier:
                self.link(person_key(person_id), key, "identifier", _("phone"), step, found)
            if key in frontier:
                self.link(key, person_key(person_id), "person", _("phone"), step, found)

        # Victims, by code, on cases the user sees.
        victims = victim_links(self.cases, case_ids=case_ids, codes=codes)
        for case_id, code in victims:
            if case_key(case_id) in frontier:
                self.link(case_key(case_id), victim_key(code), "victim", _("victim in"), step, found)
            if victim_key(code) in frontier:
                self.link(victim_key(code), case_key(case_id), "case", _("victim in"), step, found)
        return found

    def label(self) -> None:
        """Names, references and links for the nodes found, in two queries."""
        nodes = self.result.nodes
        person_ids = [int(k[2:]) for k in nodes if k.startswith("p:")]
        case_ids = [int(k[2:]) for k in nodes if k.startswith("c:")]
        for person in self.persons.filter(pk__in=person_ids).only("pk", "reference", "name"):
            node = nodes[person_key(person.pk)]
            node.label, node.detail, node.url = person.name, person.reference, person.get_absolute_url()
        for case in (
            self.cases.filter(pk__in=case_ids).select_related("county").only("pk", "reference", "title", "county__name")
        ):
            node = nodes[case_key(case.pk)]
            node.label, node.detail, node.url = (
                case.reference,
                f"{case.title} ({case.county.name})",
                case.get_absolute_url(),
            )
        for key, node in nodes.items():
            if node.kind == "identifier":
                kind, value = key[2:].split(":", 1)
                node.label, node.detail = value, str(IDENTIFIER_LABELS.get(kind, kind))
            elif node.kind == "victim":
                node.label, node.detail = key[2:], _("Victim (code)")


def neighbourhood(user: AnyUser, start: Person | Case, steps: int = DEFAULT_STEPS) -> Neighbourhood:
    """The graph around ``start`` (a person or case the caller has already fetched through the user's
    scope), ``steps`` links out, as ``user`` may see it."""
    if not 1 <= steps <= MAX_STEPS:
        raise TooManySteps(_("A network is drawn from 1 to %(most)s steps out.") % {"most": MAX_STEPS})
    key = person_key(start.pk) if isinstance(start, Person) else case_key(start.pk)
    result = Neighbourhood(start=key, steps=steps)
    walker = _Walker(user, result)
    walker.add(key, "person" if isinstance(start, Person) else "case", 0)
    frontier = {key}
    for step in range(1, steps + 1):
        if not frontier:
            break
        frontier = walker.step(frontier, step)
    walker.label()
    return result
