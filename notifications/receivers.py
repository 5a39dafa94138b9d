"""Where events are heard. The domain services already record every move they make as a row of its own
(``StageChange``, ``DisbursementEvent``, ``ProtectionStatusChange``): when such a row is created, the
notification is made once the service's transaction has committed — never for a move that was rolled back,
and a failure to notify never undoes the move (``robust``: it is logged). A failed audit verification is
announced by ``verify_audit`` (``core.management.commands.verify_audit.audit_verification_failed``).

What waits for the commit is never the row's model instance: of a stage move, the few values its notification
reads (``events.CaseMove``); of the rarer moves of a disbursement or a protection, the id, the record read
again once committed. A long transaction (thousands of moves) holds a few dozen bytes per move.

Inside ``case_moves_summarised()`` (an import of a register) a case's stage moves are not told one by one:
the import walks each historic case through its stages, and its lead prosecutors are told once, by a summary
(``events.cases_imported``), instead of once per move of every case.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from core.management.commands.verify_audit import audit_verification_failed
from notifications import events
from prosecutions.models import StageChange
from trustfund.models import DisbursementEvent
from witnesses.models import ProtectionStatusChange

logger = logging.getLogger(__name__)

# True inside ``case_moves_summarised()``: stage moves are told by the caller's summary, not one by one.
_summarised: ContextVar[bool] = ContextVar("case_moves_summarised", default=False)


@contextmanager
def case_moves_summarised() -> Iterator[None]:
    """Within the block, no stage move is told to its case's lead one by one: the caller tells them once (an
    import: ``events.cases_imported`` after its commit)."""
    token = _summarised.set(True)
    try:
        yield
    finally:
        _summarised.reset(token)


def _tell(model: type[models.Model], func: Callable[[Any], object], pk: int) -> None:
    """Read the committed record again and tell whom ``func`` tells (nothing if it is gone)."""
    record = model._default_manager.filter(pk=pk).first()
    if record is not None:
        func(record)


def _after_commit(model: type[models.Model], func: Callable[[Any], object], pk: int) -> None:
    transaction.on_commit(partial(_tell, model, func, pk), robust=True)


@receiver(post_save, sender=StageChange, dispatch_uid="notifications.case_moved")
def _case_moved(sender: Any, instance: StageChange, created: bool, **kwargs: Any) -> None:
    if created and not _summarised.get():
        transaction.on_commit(partial(events.case_moved, events.CaseMove.of(instance)), robust=True)


@receiver(post_save, sender=DisbursementEvent, dispatch_uid="notifications.disbursement_moved")
def _disbursement_moved(sender: Any, instance: DisbursementEvent, created: bool, **kwargs: Any) -> None:
    if created:
        _after_commit(DisbursementEvent, events.disbursement_moved, instance.pk)


@receiver(post_save, sender=ProtectionStatusChange, dispatch_uid="notifications.protection_moved")
def _protection_moved(sender: Any, instance: ProtectionStatusChange, created: bool, **kwargs: Any) -> None:
    if created:
        _after_commit(ProtectionStatusChange, events.protection_moved, instance.pk)


@receiver(audit_verification_failed, dispatch_uid="notifications.audit_failed")
def _audit_failed(sender: Any, problems: list[str], **kwargs: Any) -> None:
    events.audit_failed(problems)
