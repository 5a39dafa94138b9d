"""Choices shared across apps."""

from django.db import models


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel workbook"


class GrantStatus(models.TextChoices):
    """Where a role grant stands: asked for, in force, refused, or taken away."""

    REQUESTED = "requested", "Awaiting approval"
    APPROVED = "approved", "Granted"
    REJECTED = "rejected", "Rejected"
    REVOKED = "revoked", "Revoked"
