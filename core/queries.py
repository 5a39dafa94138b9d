"""Read-only questions core's own pages and panels ask of the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.access import AnyUser
from core.models import AuditLink


@dataclass(frozen=True)
class AuditSummary:
    """How much of the audit log a user reads, and when its last line was written."""

    links: int
    last: dt.datetime | None


def audit_summary(user: AnyUser) -> AuditSummary:
    lines = AuditLink.objects.visible_to(user)
    return AuditSummary(links=lines.count(), last=lines.order_by("-seq").values_list("at", flat=True).first())
