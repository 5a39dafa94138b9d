"""Where events are heard. The domain services already record every move they make as a row of its own
(``StageChange``, ``DisbursementEvent``, ``ProtectionStatusChange``): when such a row is created, the
notification is made once the service's transaction has committed — never for a move that was rolled back,
and a failure to notify never undoes the move (``robust``: it is logged). A failed audit verification is
announced by ``verify_audit`` (``core.management.commands.verify_audit.audit_verification_failed``).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from core.management.commands.verify_audit import audit_verification_failed
from notifications import events
from prosecutions.models import StageChange
from trustfund.models import DisbursementEvent
from witnesses.models import ProtectionStatusChange

logger = logging.getLogger(__name__)


def _after_commit(func: Any, record: Any) -> None:
    transaction.on_commit(partial(func, record), robust=True)


@receiver(post_save, sender=StageChange, dispatch_uid="notifications.case_moved")
def _case_moved(sender: Any, instance: StageChange, created: bool, **kwargs: Any) -> None:
    if created:
        _after_commit(events.case_moved, instance)


@receiver(post_save, sender=DisbursementEvent, dispatch_uid="notifications.disbursement_moved")
def _disbursement_moved(sender: Any, instance: DisbursementEvent, created: bool, **kwargs: Any) -> None:
    if created:
        _after_commit(events.disbursement_moved, instance)


@receiver(post_save, sender=ProtectionStatusChange, dispatch_uid="notifications.protection_moved")
def _protection_moved(sender: Any, instance: ProtectionStatusChange, created: bool, **kwargs: Any) -> None:
    if created:
        _after_commit(events.protection_moved, instance)


@receiver(audit_verification_failed, dispatch_uid="notifications.audit_failed")
def _audit_failed(sender: Any, problems: list[str], **kwargs: Any) -> None:
    events.audit_failed(problems)
