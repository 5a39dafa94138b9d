"""Helpers shared by several apps' tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from html import escape
from typing import Any

from django.apps import apps
from django.db import connections
from django.test import Client


def table_counts(app_label: str) -> dict[str, int]:
    """Row counts of every table of an app, its history tables included."""
    return {model.__name__: model._default_manager.count() for model in apps.get_app_config(app_label).get_models()}


def post_refused(client: Client, url: str, data: dict[str, Any], field: str | None, words: str, app_label: str) -> None:
    """POST ``data``: the form is shown again with ``words`` on ``field`` (None: the whole form), and no
    table of ``app_label`` (history included) changes."""
    before = table_counts(app_label)
    response = client.post(url, data)
    assert response.status_code == 200, "the form page must be shown again, not a redirect"
    form = response.context["form"]
    errors = form.non_field_errors() if field is None else form.errors.get(field, [])
    assert any(words in error for error in errors), f"{words!r} not in {form.errors!r}"
    assert escape(words) in response.content.decode()
    assert table_counts(app_label) == before


def run_at_once(work: Callable[[], None], threads: int, timeout: float = 120) -> None:
    """Run ``work`` in ``threads`` threads released at the same moment, each on its own database connection
    (closed when it ends). ``work`` records its own results and errors."""
    start = threading.Barrier(threads)

    def worker() -> None:
        try:
            start.wait(timeout=30)
            work()
        finally:
            connections.close_all()

    started = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=timeout)
