"""What the documents app adds elsewhere: its step of the demo seed, run after every app's own. The kinds of
record that take documents are registered by the apps that own them (``<app>/documents.py``)."""

from __future__ import annotations

from collections.abc import Callable

from core.models import User
from core.registry import DemoSeed, register_demo_seed


def _run_demo_seed(users: dict[str, User], out: Callable[[str], None]) -> None:
    from documents.demo import seed_documents  # the demo's services load only when the seed runs

    seed_documents(users, out)


register_demo_seed(DemoSeed("documents", _run_demo_seed, order=900))
