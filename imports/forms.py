"""The upload form of a register."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User
from imports.access import kinds_for


class UploadForm(forms.Form):
    """Which kind of register, and the file (.xlsx or .csv)."""

    kind = forms.ChoiceField(label=_("Kind of register"))
    file = forms.FileField(
        label=_("Register file"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, with the template's header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(kind.slug, kind.title) for kind in kinds_for(user)]
