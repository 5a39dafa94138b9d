"""Upload, preview, confirm, import, cancel: the life of an import batch, the same for every kind.

- ``upload`` keeps the file privately (``IMPORT_ROOT``) and queues its preview; nothing is read during the
  request beyond the file's size and type.
- ``preview`` (a worker) reads every row and asks the kind what each will do; the batch keeps the plans'
  summaries and every error by row and column. Nothing of the register is saved.
- ``confirm`` (the uploader, a previewed batch with no error) queues the import.
- ``run_import`` (a worker) reads and plans the file again — the tracker may have changed since the
  preview — and then saves every row in one transaction through the kind's ``apply``: all or nothing. A kind
  that ``streams`` (the case register) lets each plan go once checked and reads the file once more to save
  it, so the long transaction holds no row but those of the case being saved.

Progress of a preview (rows read) and of an import (rows saved) is written where the page can read it while
the import's transaction is still open (``imports.progress``); the batch's own ``rows_done`` is set when the
preview or the import ends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import itertools
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.exceptions import DomainError, UploadRefused
from core.models import User
from imports import progress as progress_file
from imports.access import may_import
from imports.choices import BatchState
from imports.exceptions import BatchNotReady, DuplicateFile, UnknownKind
from imports.kinds.base import KINDS, Action, ImportKind, ParsedRow, RowError, RowPlan, RowSource
from imports.models import ImportBatch, ImportRow
from imports.reading import ReadNotes, check_file, parsed_rows
from jobs.outcome import Outcome

logger = logging.getLogger(__name__)

# The preview records how many rows it has read every this many rows.
READ_PROGRESS_EVERY = 500
# The preview's rows are saved this many at a time: one INSERT's rows, values and text are the largest thing a
# preview holds (its peak was 8.6 MiB at 5,000 rows with 2,000 at a time, 4.1 MiB at 1,000 in one INSERT).
ROWS_SAVED_AT_ONCE = 500
FAILED_MESSAGE = _lazy("The file could not be imported because of an error in the tracker; nothing was saved.")


def import_storage() -> FileSystemStorage:
    """Where uploaded registers are kept: private, never served by URL."""
    return FileSystemStorage(
        location=str(settings.IMPORT_ROOT),
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def kind_named(slug: str) -> ImportKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise UnknownKind(_("There is no register of that kind to import."))
    return kind()


# --- upload -------------------------------------------------------------------------------------------


def sha256_of(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _when(moment: Any) -> str:
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


def refuse_if_imported(sha256: str, exclude_pk: int = 0) -> None:
    """Refuse a file already imported (or being imported) by another batch, naming it, who and when."""
    earlier = (
        ImportBatch.objects.filter(sha256=sha256, state__in=[BatchState.IMPORTED, BatchState.IMPORTING])
        .exclude(pk=exclude_pk)
        .select_related("uploaded_by")
        .first()
    )
    if earlier is not None:
        raise DuplicateFile(
            _(
                "This file was already imported: batch #%(number)s, “%(name)s”, uploaded by %(who)s on "
                "%(when)s. The same file is never imported twice."
            )
            % {
                "number": earlier.pk,
                "name": earlier.file_name,
                "who": earlier.uploaded_by,
                "when": _when(earlier.finished_at or earlier.created_at),
            }
        )


def upload(kind_slug: str, file_name: str, chunks: Iterable[bytes], size: int, user: User) -> ImportBatch:
    """Keep an uploaded register and queue its preview. ``chunks`` is read once (the upload's chunks).

    Refuses (``DomainError``) a kind the user may not import, a file of the wrong type or size, and a file
    already imported."""
    kind = kind_named(kind_slug)
    if not may_import(user, type(kind)):
        raise UnknownKind(_("You may not import this kind of register."))
    file_name = os.path.basename(file_name.replace("\\", "/"))[:255] or "register"
    check_file(file_name, size)
    content = b"".join(chunks)  # at most IMPORT_MAX_BYTES (checked above); the worker reads it again
    check_file(file_name, len(content))
    sha256 = sha256_of([content])
    refuse_if_imported(sha256)
    stored_as = import_storage().save(
        f"{uuid.uuid4().hex}-{get_valid_filename(file_name)[-80:] or 'register'}", ContentFile(content)
    )
    batch = ImportBatch(
        kind=kind.slug,
        file_name=file_name,
        sha256=sha256,
        size=len(content),
        stored_as=stored_as,
        uploaded_by=user,
        state=BatchState.UPLOADED,
    )
    batch.save_as(user, _("uploaded"))
    from imports.tasks import preview_batch

    preview_batch.enqueue(batch.pk)
    return batch


# --- preview --------------------------------------------------------------------------------------------


def _content(batch: ImportBatch) -> bytes:
    with import_storage().open(batch.stored_as, "rb") as stored:
        data: bytes = stored.read()
    return data


def _counted(rows: Iterable[ParsedRow], batch_pk: int) -> Iterator[ParsedRow]:
    """``rows``, with the number read so far written for the page every ``READ_PROGRESS_EVERY`` rows."""
    for read, row in enumerate(rows, start=1):
        if read % READ_PROGRESS_EVERY == 0:
            progress_file.write_progress(batch_pk, read)
        yield row


def _read_and_plan(batch: ImportBatch, kind: ImportKind, notes: ReadNotes) -> Iterator[RowPlan]:
    """Every row's plan, reading progress shown. A kind that ``streams`` hands each on as soon as it is known
    (the file read again for each of its passes, the notes and progress taken from the first); any other kind
    reads every row before planning."""
    content = _content(batch)
    if not kind.streams:
        every_row = list(_counted(parsed_rows(batch.file_name, content, kind, notes), batch.pk))
        yield from kind.plan(every_row, batch.uploaded_by)
        return
    passes = 0

    def rows() -> Iterator[ParsedRow]:
        nonlocal passes
        passes += 1
        if passes == 1:
            return _counted(parsed_rows(batch.file_name, content, kind, notes), batch.pk)
        return parsed_rows(batch.file_name, content, kind)

    yield from kind.plan_rows(rows, batch.uploaded_by)


@dataclass
class PreviewSummary:
    """What a preview found, counted as the rows' plans are stored (none kept)."""

    counts: dict[str, int] = field(default_factory=lambda: {action.value: 0 for action in Action})
    rows: int = 0
    errors: int = 0


def _store_plans(batch: ImportBatch, plans: Iterable[RowPlan]) -> PreviewSummary:
    """Store each row's plan for the preview page, ``ROWS_SAVED_AT_ONCE`` at a time, and count them."""
    summary = PreviewSummary()
    pending = iter(plans)
    while chunk := list(itertools.islice(pending, ROWS_SAVED_AT_ONCE)):
        ImportRow.objects.bulk_create([_row_of(batch, plan) for plan in chunk])
        for plan in chunk:
            summary.counts[str(plan.action)] += 1
            summary.errors += len(plan.errors)
        summary.rows += len(chunk)
    return summary


def _row_of(batch: ImportBatch, plan: RowPlan) -> ImportRow:
    return ImportRow(
        batch=batch,
        row=plan.row,
        action=str(plan.action),
        summary=str(plan.summary),
        errors=[{"row": error.row, "column": error.column, "message": str(error.message)} for error in plan.errors],
        has_errors=bool(plan.errors),
    )


def _move(batch: ImportBatch, state: str, reason: str, **fields: Any) -> None:
    """Save the batch in a new state, with history."""
    batch.state = state
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save_as(batch.uploaded_by, reason)


def _start(batch_pk: int, expected: str, working: str) -> ImportBatch | None:
    """Move the batch from ``expected`` to ``working`` unless another worker (or a cancel) got there first."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("uploaded_by").filter(pk=batch_pk).first()
        if batch is None or batch.state != expected:
            return None
        _move(batch, working, _("started"), started_at=timezone.now(), rows_done=0)
    return batch


def preview(batch_pk: int) -> str:
    """Read an uploaded register and keep what each row will do (the worker's task)."""
    batch = _start(batch_pk, BatchState.UPLOADED, BatchState.PREVIEWING)
    if batch is None:
        return "not waiting for a preview"
    notes = ReadNotes()
    try:
        kind = kind_named(batch.kind)
        with transaction.atomic():
            ImportRow.objects.filter(batch=batch).delete()
            summary = _store_plans(batch, _read_and_plan(batch, kind, notes))
            progress_file.clear_progress(batch.pk)
            _move(
                batch,
                BatchState.PREVIEWED,
                _("previewed"),
                preview={"notes": notes.notes, "counts": summary.counts},
                rows_total=summary.rows,
                rows_done=summary.rows,
                error_count=summary.errors,
                finished_at=timezone.now(),
            )
    except UploadRefused as refusal:
        progress_file.clear_progress(batch.pk)
        _move(batch, BatchState.FAILED, _("file refused"), error_text=refusal.message, finished_at=timezone.now())
        return "refused"
    except Exception:
        logger.exception("Preview of import batch %s failed", batch.pk)
        progress_file.clear_progress(batch.pk)
        _move(batch, BatchState.FAILED, _("preview failed"), error_text=str(FAILED_MESSAGE), finished_at=timezone.now())
        raise
    return f"{summary.rows} rows, {summary.errors} errors"


# --- confirm, cancel ------------------------------------------------------------------------------------


def confirm(batch: ImportBatch, user: User) -> None:
    """Queue the import of a previewed batch with no errors; only its uploader confirms."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.uploaded_by_id != user.pk:
            raise BatchNotReady(_("Only the person who uploaded the file may confirm its import."))
        if not locked.is_ready:
            raise BatchNotReady(_("Only a previewed file with no errors can be imported."))
        refuse_if_imported(locked.sha256, exclude_pk=locked.pk)
        try:
            with transaction.atomic():
                _move(locked, BatchState.IMPORTING, _("import confirmed"), rows_done=0, finished_at=None)
        except IntegrityError as error:  # another batch of the same file was confirmed at the same moment
            raise DuplicateFile(_("This file is already being imported.")) from error
    progress_file.clear_progress(locked.pk)
    from imports.tasks import import_batch

    import_batch.enqueue(locked.pk)
    batch.refresh_from_db()


def cancel(batch: ImportBatch, user: User) -> None:
    """Cancel a batch not yet imported (waiting, or previewed); only its uploader cancels."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.uploaded_by_id != user.pk:
            raise BatchNotReady(_("Only the person who uploaded the file may cancel it."))
        if locked.state not in (BatchState.UPLOADED, BatchState.PREVIEWED):
            raise BatchNotReady(
                _("This file can no longer be cancelled: it is %(state)s.") % {"state": locked.get_state_display()}
            )
        _move(locked, BatchState.CANCELLED, _("cancelled"), finished_at=timezone.now())
    batch.refresh_from_db()


# --- import ---------------------------------------------------------------------------------------------


def _links(kind: ImportKind, plans: list[RowPlan], user: User) -> list[dict[str, str]]:
    links = [{"label": label, "url": url} for label, url in kind.links(plans, user)]
    if kind.list_url_name:
        with contextlib.suppress(NoReverseMatch):
            links.append({"label": str(kind.title), "url": reverse(kind.list_url_name)})
    return links


class Tally:
    """The errors of a file's plans, counted as they come and never kept (a file with an error on every row
    would keep them all): how many rows have one, and the first error of the earliest such row."""

    def __init__(self) -> None:
        self.rows = 0
        self.first: RowError | None = None

    def add(self, plan: RowPlan) -> None:
        self.rows += 1 if plan.errors else 0
        for error in plan.errors:
            if self.first is None or error.row < self.first.row:
                self.first = error

    def refuse_changed(self) -> None:
        """Refuse an import whose rows have errors now (the tracker changed since the preview)."""
        if self.first is not None:
            raise BatchNotReady(
                _(
                    "The tracker changed since the preview: %(count)s row(s) now have errors, e.g. %(first)s. "
                    "Upload the file again to see them."
                )
                % {"count": self.rows, "first": str(self.first)}
            )


def _rows_of(kind: ImportKind, file_name: str, content: bytes) -> RowSource:
    def rows() -> Iterator[ParsedRow]:
        return parsed_rows(file_name, content, kind)

    return rows


def check_rows(kind: ImportKind, file_name: str, content: bytes, user: User) -> tuple[int, list[RowPlan]]:
    """Read and plan the file again (the tracker may have changed since the preview) and refuse it if any row
    has an error now. The number of rows and their plans — kept only for a kind that does not stream: one that
    ``streams`` lets each plan go once counted, and its rows are read again to be saved."""
    tally = Tally()
    if not kind.streams:
        plans = kind.plan(list(parsed_rows(file_name, content, kind)), user)
        for plan in plans:
            tally.add(plan)
        tally.refuse_changed()
        return len(plans), plans
    total = 0
    for plan in kind.plan_rows(_rows_of(kind, file_name, content), user):
        total += 1
        tally.add(plan)
        if total % COLLECT_EVERY_ROWS == 0:
            gc.collect()  # as while saving (``collecting``): planning a case leaves cycles too
    tally.refuse_changed()
    return total, []


# Rows saved between two full garbage collections while a file is saved (``collecting``).
COLLECT_EVERY_ROWS = 500


def collecting(progress: Callable[[int], None], every: int = COLLECT_EVERY_ROWS) -> Callable[[int], None]:
    """``progress``, with a full garbage collection each time another ``every`` rows are saved. The records a
    row's walk makes refer to each other (cycles Python frees only in a full collection, which comes ever
    more rarely as the process grows), so without it a long file's peak memory grows with the file; with it,
    the peak stays that of a few hundred rows (a collection costs tens of milliseconds)."""
    collected = 0

    def report(done: int) -> None:
        nonlocal collected
        if done - collected >= every:
            gc.collect()
            collected = done
        progress(done)

    return report


def save_rows(
    kind: ImportKind,
    file_name: str,
    content: bytes,
    user: User,
    plans: list[RowPlan],
    progress: Callable[[int], None],
) -> None:
    """Save every row of a checked file through the kind, in the caller's transaction: from ``plans``, or
    read again from the file for a kind that streams."""
    progress = collecting(progress)
    if kind.streams:
        kind.apply_rows(_rows_of(kind, file_name, content), user, file_name=file_name, progress=progress)
    else:
        kind.apply(plans, user, file_name=file_name, progress=progress)


def run_import(batch_pk: int) -> str:
    """Save every row of a confirmed batch in one transaction, or none (the worker's task)."""
    batch = ImportBatch.objects.select_related("uploaded_by").filter(pk=batch_pk).first()
    if batch is None or batch.state != BatchState.IMPORTING:
        return "not confirmed"
    user = batch.uploaded_by
    progress = progress_file.Progress(batch.pk, batch.rows_total)
    progress_file.write_progress(batch.pk, 0)  # a sign of life: a worker has it
    try:
        kind = kind_named(batch.kind)
        content = _content(batch)
        total, plans = check_rows(kind, batch.file_name, content, user)
        progress.total = total
        with transaction.atomic():
            save_rows(kind, batch.file_name, content, user, plans, progress)
            # The batch says "imported" in the same transaction as the records: a batch still importing when
            # its worker died has saved nothing (``fail_interrupted``).
            _move(
                batch,
                BatchState.IMPORTED,
                _("imported"),
                rows_total=total,
                rows_done=total,
                result=_links(kind, plans, user),
                finished_at=timezone.now(),
            )
    except (DomainError, UploadRefused) as refusal:
        message = _("Nothing was imported: %(message)s (stopped after %(done)s of %(total)s rows).") % {
            "message": refusal.message,
            "done": progress.done,
            "total": progress.total,
        }
        _move(
            batch, BatchState.FAILED, _("import refused"), error_text=message, rows_done=0, finished_at=timezone.now()
        )
        progress_file.clear_progress(batch.pk)
        return "refused"
    except Exception:
        logger.exception("Import batch %s failed", batch.pk)
        _move(
            batch,
            BatchState.FAILED,
            _("import failed"),
            error_text=str(FAILED_MESSAGE),
            rows_done=0,
            finished_at=timezone.now(),
        )
        progress_file.clear_progress(batch.pk)
        raise
    progress_file.clear_progress(batch.pk)
    return f"{total} rows imported"


# --- batches whose worker stopped ---------------------------------------------------------------------------

# A batch being read or imported with no sign of life (no progress written) for this long lost its worker.
STALLED_AFTER = dt.timedelta(hours=1)
INTERRUPTED_MESSAGE = _lazy(
    "The worker stopped while working on this file; nothing was imported. Upload the file again."
)


def _last_sign_of_life(batch: ImportBatch) -> dt.datetime:
    moments = [batch.updated_at]  # the last save: the preview started, or the import was confirmed
    with contextlib.suppress(OSError):
        changed = progress_file.progress_path(batch.pk).stat().st_mtime
        moments.append(dt.datetime.fromtimestamp(changed, tz=dt.UTC))
    return max(moments)


def fail_interrupted(now: dt.datetime | None = None) -> Outcome:
    """Mark failed the batches whose worker stopped (killed, restarted) while reading or importing them. An
    import's records and its "imported" state commit together, so a batch still importing saved nothing."""
    now = now or timezone.now()
    failed = 0
    working = ImportBatch.objects.filter(state__in=[BatchState.PREVIEWING, BatchState.IMPORTING])
    for pk in working.values_list("pk", flat=True):
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().select_related("uploaded_by").get(pk=pk)
            if batch.state not in (BatchState.PREVIEWING, BatchState.IMPORTING):
                continue
            if now - _last_sign_of_life(batch) < STALLED_AFTER:
                continue
            _move(
                batch,
                BatchState.FAILED,
                _("worker stopped"),
                error_text=str(INTERRUPTED_MESSAGE),
                rows_done=0,
                finished_at=now,
            )
            failed += 1
        progress_file.clear_progress(pk)
    return Outcome.ngettext(
        "%(count)s interrupted import marked failed.",
        "%(count)s interrupted imports marked failed.",
        "count",
        count=failed,
    )
