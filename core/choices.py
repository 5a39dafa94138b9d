"""Choices shared across apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook")


class GrantStatus(models.TextChoices):
    """Where a role grant stands: asked for, in force, refused, or taken away."""

    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Granted")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")
