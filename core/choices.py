"""Choices shared across apps."""

from django.db import models


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel workbook"
