"""Where the page reads an import's progress while the worker is at it: a small file per batch beside the
registers in ``IMPORT_ROOT`` (shared by every web server and worker, since workers read the registers from
there), written by the worker and atomically replaced — the import's own transaction is still open, so its
writes are invisible to other connections until it commits, and on SQLite no other connection may write.
The batch's ``rows_done`` takes over when the preview or the import ends."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from imports.choices import BatchState
from imports.models import ImportBatch


def progress_path(batch_pk: int) -> Path:
    return Path(settings.IMPORT_ROOT) / "progress" / f"{batch_pk}.txt"


def write_progress(batch_pk: int, done: int) -> None:
    """Record rows done outside the database (whose import transaction is still open): atomically replaced."""
    path = progress_path(batch_pk)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(str(done))
    os.replace(partial, path)


def read_progress(batch: ImportBatch) -> int:
    """Rows read (previewing) or saved (importing): from the progress file while a worker is at it, else the
    batch's own count."""
    if batch.state not in (BatchState.PREVIEWING, BatchState.IMPORTING):
        return batch.rows_done
    try:
        return max(batch.rows_done, int(progress_path(batch.pk).read_text() or 0))
    except (OSError, ValueError):
        return batch.rows_done


def clear_progress(batch_pk: int) -> None:
    progress_path(batch_pk).unlink(missing_ok=True)


class Progress:
    """The ``progress(n)`` callback handed to a kind's ``apply``: records about a hundred steps in all."""

    def __init__(self, batch_pk: int, total: int) -> None:
        self.batch_pk = batch_pk
        self.total = total
        self.every = max(1, total // 100)
        self.done = 0
        self.recorded = 0

    def __call__(self, done: int) -> None:
        self.done = done
        if done - self.recorded >= self.every or done >= self.total:
            write_progress(self.batch_pk, done)
            self.recorded = done
