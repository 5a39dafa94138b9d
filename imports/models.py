"""The record of one uploaded register and what became of it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.querysets import ScopedManager
from imports.choices import FINAL_STATES, WORKING_STATES, BatchState


class ImportBatch(TrackedModel):
    """A register file (a case, asset or hearing register kept in Excel before the tracker) that someone
    uploaded: the file itself, kept privately, its SHA-256 (the same file is never imported twice), what the
    preview found row by row, and how the import went. Nothing of the register reaches the tracker until
    its uploader confirms a preview without errors; then every row is saved, or none."""

    kind = models.CharField(_("kind of register"), max_length=30)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("sha256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    stored_as = models.CharField(_("stored as"), max_length=300, help_text=_("The file's name in the imports storage."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    state = models.CharField(_("state"), max_length=20, choices=BatchState.choices, default=BatchState.UPLOADED)
    rows_total = models.PositiveIntegerField(_("rows total"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    error_count = models.PositiveIntegerField(
        _("error count"), default=0, help_text=_("Errors the preview found, by row and column.")
    )
    # {"notes": [...], "counts": {"create": n, "update": n, "duplicate": n}}; the rows are ``ImportRow``s.
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    # [{"label", "url"}]: the records the import made or changed, as the kind lists them.
    result = models.JSONField(_("result"), default=list, blank=True)
    error_text = models.TextField(
        _("error text"), blank=True, help_text=_("Why the file could not be read or imported.")
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="imports_batch_uploader")]
        constraints = [
            # One file (by its SHA-256) is imported once: at most one batch of it importing or imported.
            models.UniqueConstraint(
                fields=["sha256"],
                condition=models.Q(state__in=["importing", "imported"]),
                name="imports_batch_file_imported_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind}, #{self.pk})"

    @property
    def is_working(self) -> bool:
        return self.state in WORKING_STATES

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def is_ready(self) -> bool:
        """Previewed with no error and something to import: its uploader may confirm it."""
        return self.state == BatchState.PREVIEWED and not self.error_count and self.rows_total > 0

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    def plans(self) -> list[dict[str, Any]]:
        """The preview's rows, in order, as plain values."""
        return [
            {"row": row.row, "action": row.action, "summary": row.summary, "errors": row.errors}
            for row in self.rows.order_by("row")
        ]


class ImportRow(models.Model):
    """One row of an uploaded register as its preview found it: what it will do and what is wrong with it.

    The working record of a preview, not a record of the unit's work: written once by the worker that reads
    the file (in bulk), never changed, and kept out of the history and the audit chain (the batch's own
    history says who uploaded, previewed, confirmed and imported it). Seen through its batch only."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows", verbose_name=_("batch"))
    row = models.PositiveIntegerField(_("row"), help_text=_("The spreadsheet's row number (the header is row 1)."))
    action = models.CharField(_("action"), max_length=20)
    summary = models.TextField(_("summary"), blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{"row", "column", "message"}]
    has_errors = models.BooleanField(_("has errors"), default=False)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["batch", "row"]
        indexes = [models.Index(fields=["batch", "has_errors", "row"], name="imports_row_batch_errors")]
        constraints = [models.UniqueConstraint(fields=["batch", "row"], name="imports_row_once_per_batch")]

    def __str__(self) -> str:
        return f"row {self.row} of batch #{self.batch_id}"
