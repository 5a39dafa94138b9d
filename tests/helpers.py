"""Helpers shared by several apps' tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from html import escape
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import connections
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict

from core.versioning import VERSION_FIELD
from core.views.generic import RecordFormView

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse


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


class FormClient(Client):
    """The test client, posting to a record's form page as a browser does: having opened the form first.

    A POST to a ``RecordFormView`` page whose data does not set ``record_version`` first GETs the page (as
    the same user) and sends back the version the form carried (``core.versioning``), so a test that means
    "the user fills in the form and sends it" says only what the user typed. A test about a missing,
    forged or out-of-date version sets ``record_version`` itself — an empty string for none.
    """

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> _MonkeyPatchedWSGIResponse:  # type: ignore[override]
        if data is None or isinstance(data, Mapping):
            wanted = data or {}
            if VERSION_FIELD not in wanted and (version := self.opened_version(path, **kwargs)) is not None:
                if isinstance(wanted, MultiValueDict):
                    data = wanted.copy()
                    data[VERSION_FIELD] = version
                else:
                    data = {**wanted, VERSION_FIELD: version}
        return super().post(path, data, *args, **kwargs)

    def version_shown(self, path: str) -> str:
        """Open the form page at ``path`` (GET) and return the version its form carries, as a user who
        opens the form and keeps it open while someone else changes the record."""
        version = self.opened_version(path)
        assert version is not None, f"{path} shows no versioned form to this user"
        return version

    def opened_version(self, path: str, **kwargs: Any) -> str | None:
        """The version the form page at ``path`` carries for this client's user; None when ``path`` is not
        a versioned record form, or the page does not open for them."""
        try:
            match = resolve(path.split("?", 1)[0])
        except Resolver404:
            return None
        view_class = getattr(match.func, "view_class", None)
        if not (isinstance(view_class, type) and issubclass(view_class, RecordFormView) and view_class.versioned):
            return None
        environ = {key: value for key, value in kwargs.items() if key.isupper()}
        page = self.get(path, headers=kwargs.get("headers"), secure=kwargs.get("secure", False), **environ)
        if page.status_code != 200 or page.context is None:
            return None
        try:
            form = page.context["form"]
        except KeyError:
            return None
        if VERSION_FIELD not in form.fields:
            return None
        version: str = form[VERSION_FIELD].value()
        return version
