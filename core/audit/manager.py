"""simple-history's manager for tracked models, with its bulk helper chained into the audit chain."""

from __future__ import annotations

from typing import Any

from simple_history.manager import HistoryManager


class ChainedHistoryManager(HistoryManager):
    """``bulk_create_with_history`` / ``bulk_update_with_history`` write history rows without the
    per-row signal; this manager links the rows they write, in the same transaction."""

    def bulk_history_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        from django.db import router, transaction

        from core.audit.chain import link_history_rows

        using = router.db_for_write(self.model)
        with transaction.atomic(using=using, savepoint=False):
            rows = super().bulk_history_create(objs, *args, **kwargs)
            if rows:
                link_history_rows(self.model, [row.pk for row in rows], using=using)
        return rows
