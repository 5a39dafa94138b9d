"""Seal every history row as it is written (and link it right after the commit), record sign-ins,
sign-outs and failed sign-ins, and give history to the rows a migration creates."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import router
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver
from django.http import HttpRequest
from simple_history.signals import post_create_historical_record

from core.audit.baseline import note_before_migrate, record_history_after_migrate
from core.audit.chain import link_history_rows, record_auth_event, seal_history_row
from core.audit.linking import link_pending
from core.audit.manager import history_rows_bulk_created
from core.audit.stored import install_returning_inserts
from core.models import AuditAction, User


@receiver(post_create_historical_record, dispatch_uid="core.audit.chain_history_row")
def chain_history_row(
    sender: Any, history_instance: Any, instance: Any = None, using: str | None = None, **kwargs: Any
) -> None:
    """simple-history sends this right after saving the history row, inside the save's transaction: the
    row as its INSERT returned it is sealed into the queue, and linked right after the commit."""
    seal_history_row(sender, history_instance, using=using or router.db_for_write(sender), record=instance)


@receiver(history_rows_bulk_created, dispatch_uid="core.audit.chain_bulk_history_rows")
def chain_bulk_history_rows(sender: Any, row_ids: list[int], using: str, **kwargs: Any) -> None:
    """The rows ``bulk_create_with_history`` wrote, linked inside its transaction."""
    link_history_rows(sender, row_ids, using=using)


def _ip(request: Any) -> str | None:
    address = getattr(request, "META", {}).get("REMOTE_ADDR") if request is not None else None
    return address or None


@receiver(user_logged_in, dispatch_uid="core.audit.signed_in")
def signed_in(sender: Any, request: HttpRequest | None = None, user: User | None = None, **kwargs: Any) -> None:
    record_auth_event(AuditAction.LOGIN, user=user, ip_address=_ip(request))


@receiver(user_logged_out, dispatch_uid="core.audit.signed_out")
def signed_out(sender: Any, request: HttpRequest | None = None, user: User | None = None, **kwargs: Any) -> None:
    if user is not None:
        record_auth_event(AuditAction.LOGOUT, user=user, ip_address=_ip(request))


@receiver(user_login_failed, dispatch_uid="core.audit.sign_in_failed")
def sign_in_failed(sender: Any, credentials: dict[str, Any] | None = None, request: Any = None, **kwargs: Any) -> None:
    """Only the username tried is kept: Django has already masked the password, and it is never stored."""
    username = str((credentials or {}).get("username") or "")
    record_auth_event(AuditAction.LOGIN_FAILED, username=username, ip_address=_ip(request))


install_returning_inserts()


# ``migrate`` sends these once per installed app; core's is enough (all migrations run between them).


@receiver(pre_migrate, dispatch_uid="core.audit.before_migrate")
def before_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if getattr(sender, "label", None) == "core":
        note_before_migrate(using)


@receiver(post_migrate, dispatch_uid="core.audit.after_migrate")
def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if getattr(sender, "label", None) == "core":
        record_history_after_migrate(using)
        link_pending(using)  # a migration leaves no queue behind, worker or not
