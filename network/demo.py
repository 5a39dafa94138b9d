"""The demo step of the network: the organiser's shared assets (``assets.demo``), then the measures."""

from __future__ import annotations

from collections.abc import Callable

from assets.demo import seed_shared_assets
from core.models import User
from network.measures import compute_network


def seed_network(users: dict[str, User], out: Callable[[str], None]) -> None:
    seed_shared_assets(users, out)
    run = compute_network()
    out(f"Network: {run.persons} persons measured over {run.cases} cases ({run.nodes} nodes, {run.edges} links).")
