"""A document: one paper attached to one record (a case, a count, a court order, a disbursement …)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import TrackedModel
from core.querysets import ScopedManager
from documents.choices import DocumentType
from documents.registry import kind_for_content_type, kind_of
from documents.storage import DocumentStorage


class Document(TrackedModel):
    """A paper of a case or of a payment — a charge sheet, a court order, an invoice — attached to one record,
    kept as uploaded and provably unchanged (its SHA-256). Never deleted: a new version supersedes it (both
    kept, the old one marked), or a unit head (a fund approver for the fund's records) withdraws it, saying
    why, and the file stays.

    The record it hangs on is any registered kind (``documents.registry``): a generic link, so the documents
    app knows no domain app.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("content type")
    )
    object_id = models.PositiveBigIntegerField(gettext_lazy("record id"))
    record = GenericForeignKey("content_type", "object_id")

    document_type = models.CharField(gettext_lazy("type"), max_length=30, choices=DocumentType.choices)
    title = models.CharField(gettext_lazy("title"), max_length=200)
    document_date = models.DateField(gettext_lazy("date of the document"))

    file = models.FileField(gettext_lazy("file"), storage=DocumentStorage(), max_length=255, editable=False)
    original_name = models.CharField(gettext_lazy("file name"), max_length=255)
    size = models.PositiveBigIntegerField(gettext_lazy("size (bytes)"))
    media_type = models.CharField(gettext_lazy("content type"), max_length=100)
    sha256 = models.CharField(gettext_lazy("SHA-256"), max_length=64, db_index=True)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("uploaded by")
    )
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded at"))

    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=gettext_lazy("supersedes"),
    )
    is_superseded = models.BooleanField(gettext_lazy("superseded"), default=False)

    withdrawn_at = models.DateTimeField(gettext_lazy("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("withdrawn by"),
    )
    withdrawal_reason = models.TextField(gettext_lazy("withdrawal reason"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = gettext_lazy("document")
        verbose_name_plural = gettext_lazy("documents")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="documents_document_record"),
            models.Index(fields=["document_type"], name="documents_document_type"),
        ]
        constraints = [
            # The same file twice on one record is refused (a withdrawn copy does not count).
            models.UniqueConstraint(
                fields=["content_type", "object_id", "sha256"],
                condition=Q(withdrawn_at__isnull=True),
                name="documents_document_one_live_copy_per_record",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="documents_document_not_empty"),
            models.CheckConstraint(condition=~Q(supersedes=F("id")), name="documents_document_not_own_version"),
            models.CheckConstraint(
                condition=(Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True) & Q(withdrawal_reason=""))
                | (Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False) & ~Q(withdrawal_reason="")),
                name="documents_document_withdrawn_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(document_type__in=DocumentType.values), name="documents_document_known_type"
            ),
        ]

    def __str__(self) -> str:
        # No related lookups: history lists and the audit log render many at once. A confidential kind's
        # title (a witness's papers) never leaves its readers' pages, so the name here is the number.
        loaded = self._state.fields_cache.get("content_type")
        kind = kind_for_content_type(loaded or self.content_type_id) if self.content_type_id else None
        if kind is None or kind.confidential:
            return _("Document #%(number)s (%(type)s)") % {
                "number": self.pk,
                "type": self.get_document_type_display().lower(),
            }
        return f"{self.get_document_type_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(f"documents:{kind_of(self).slug}_detail", args=[self.pk])

    @property
    def download_url(self) -> str:
        return reverse(f"documents:{kind_of(self).slug}_download", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_current(self) -> bool:
        """Neither superseded by a newer version nor withdrawn."""
        return not self.is_superseded and self.withdrawn_at is None

    @property
    def short_sha(self) -> str:
        return self.sha256[:12]
