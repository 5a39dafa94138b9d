"""simple-history's manager for tracked models, whose bulk helper announces the history rows it wrote.

``bulk_create_with_history`` / ``bulk_update_with_history`` write history rows without simple-history's
per-row signal; this manager sends ``history_rows_bulk_created`` for them inside the same transaction,
and the audit chain (``core.audit.signals``) links them. The manager knows nothing of the chain, so
``core.models`` imports nothing that imports it back.
"""

from __future__ import annotations

from typing import Any

from django.db import router, transaction
from django.dispatch import Signal
from simple_history.manager import HistoryManager

# Sent with ``sender`` = the history model, ``row_ids`` = the new rows' ids, ``using`` = the database.
history_rows_bulk_created = Signal()


class ChainedHistoryManager(HistoryManager):
    """History manager whose bulk writes are chained like single saves."""

    def bulk_history_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        using = router.db_for_write(self.model)
        with transaction.atomic(using=using, savepoint=False):
            rows = super().bulk_history_create(objs, *args, **kwargs)
            if rows:
                history_rows_bulk_created.send(sender=self.model, row_ids=[row.pk for row in rows], using=using)
        return rows
