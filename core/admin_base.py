"""The admin's bases: the tracker's records are read in the Django admin, never written there.

Every record changes through its app's services, which check the rules, write the timeline rows
(stage changes, status changes) and record who and why; a write in the admin would skip all of it. So
the admin of a domain record is read-only for everyone, superusers included: no add, change or delete,
no actions, every field read-only, and any request that is not a read (POST, PUT, DELETE …) to any of
its pages is refused with 403 before a view runs.

django-simple-history's history pages show, but never revert: its revert form
(``SimpleHistoryAdmin.history_form_view``) saves a POSTed form with no change-permission check and with
every field editable, so a user who may only view a record could rewrite it (issue 13). Here that page
is read-only like the others, and ``SIMPLE_HISTORY_REVERT_DISABLED`` hides its button.

Reference data that superusers administer in the admin (offences and their penalty versions, courts)
uses ``ReferenceDataAdmin``: add and change as Django's permissions allow, each save with its history
row; never delete (retire a row instead) and never revert.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

if TYPE_CHECKING:
    from simple_history.models import HistoricalChanges

# The only methods the read-only admin answers; anything else could be a write.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

READ_ONLY_MESSAGE = _("Records are changed through the tracker's pages, never in the admin.")


def refuse_writes(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap an admin view so that only reads reach it: any other method is a 403."""

    @wraps(view)
    def read_only_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in READ_METHODS:
            raise PermissionDenied(READ_ONLY_MESSAGE)
        return view(request, *args, **kwargs)

    return read_only_view


def _read_only_urls(urls: list[URLPattern], names: Callable[[str | None], bool]) -> list[URLPattern]:
    """``urls`` with the views of the patterns whose name ``names`` accepts wrapped in ``refuse_writes``."""
    for url in urls:
        if names(url.name):
            url.callback = refuse_writes(url.callback)
    return urls


class ReadOnlyAdmin(admin.ModelAdmin):
    """The admin of a record the tracker changes only through its services: read-only for everyone.

    Declare ``list_display``, ``list_filter``, ``search_fields`` … as usual; ``fields`` (or ``fieldsets``)
    limits what the change page shows. ``tests/core/test_admin_readonly.py`` POSTs to every page of every
    registered model and checks that nothing changed.
    """

    actions = None

    def get_urls(self) -> list[URLPattern]:
        return _read_only_urls(super().get_urls(), lambda name: True)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        """Every field of the model (and whatever the subclass adds, such as computed columns)."""
        opts = self.model._meta
        fields = [field.name for field in opts.concrete_fields if not field.auto_created]
        fields += [field.name for field in opts.many_to_many]
        declared = [name for name in super().get_readonly_fields(request, obj) if name not in fields]
        return [*fields, *declared]

    # Belt and braces: should a write reach the admin by a path not known today, it saves nothing.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        raise PermissionDenied(READ_ONLY_MESSAGE)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        raise PermissionDenied(READ_ONLY_MESSAGE)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        raise PermissionDenied(READ_ONLY_MESSAGE)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        raise PermissionDenied(READ_ONLY_MESSAGE)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        raise PermissionDenied(READ_ONLY_MESSAGE)


class NoRevertHistoryMixin:
    """simple-history's pages for a record: its history list shows, its revert form never saves."""

    def has_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponseBase:
        # simple-history saves any POST here without asking for the change permission.
        if request.method not in READ_METHODS:
            raise PermissionDenied(READ_ONLY_MESSAGE)
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]


class ReadOnlyHistoryAdmin(NoRevertHistoryMixin, ReadOnlyAdmin, SimpleHistoryAdmin):
    """The admin of a tracked record (a ``TrackedModel``): read-only, with its history pages.

    The history list shows the changes of the fields the change page shows, and no other: an admin that
    limits ``fields`` limits what its history tells too.
    """

    def set_history_delta_changes(
        self,
        request: HttpRequest,
        historical_records: Sequence[HistoricalChanges],
        foreign_keys_are_objs: bool = True,
    ) -> None:
        shown = set(self.get_fields(request))
        previous = None
        for current in historical_records:
            if previous is not None:
                tracked = {field.name for field in previous.tracked_fields if field.editable}
                delta = previous.diff_against(
                    current, included_fields=tracked & shown, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


class ReferenceDataAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    """Reference data a superuser keeps (offences, courts): added and changed here with history, never
    deleted (other records point at it: retire it instead) and never reverted."""

    actions = None

    def get_urls(self) -> list[URLPattern]:
        return _read_only_urls(super().get_urls(), lambda name: bool(name and name.endswith("_simple_history")))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


__all__ = ["READ_ONLY_MESSAGE", "ReadOnlyAdmin", "ReadOnlyHistoryAdmin", "ReferenceDataAdmin", "refuse_writes"]
