"""Which models are history tables (the rows the audit chain links)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalChanges


def is_history_model(model: type[models.Model]) -> bool:
    """True for a simple-history table of a tracked model."""
    return issubclass(model, HistoricalChanges) and hasattr(model, "instance_type")
