"""Forms for core's own pages, and what every domain form shares: the date picker, and the checks on
amounts and dates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit.checkpoints import parse_pasted
from core.labels import Label


class DateInput(forms.DateInput):
    """The browser's own date picker, exchanging ISO dates (YYYY-MM-DD) whatever the locale."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: Label, *, required: bool = True, help_text: Label = "") -> forms.DateField:
    """A date field with the date picker."""
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def money_field(label: Label | None = None, **kwargs: Any) -> forms.DecimalField:
    """An amount with the project-wide precision (18 digits, 2 places)."""
    return forms.DecimalField(
        label=label, max_digits=settings.MONEY_MAX_DIGITS, decimal_places=settings.MONEY_DECIMAL_PLACES, **kwargs
    )


class AmountsAndDatesForm(forms.Form):
    """Refuses the named amounts unless above zero and the named dates if they lie in the future."""

    amount_fields: tuple[str, ...] = ()
    date_fields: tuple[str, ...] = ()
    amount_message: Label = _("Enter an amount greater than zero.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.amount_fields:
            value = cleaned.get(name)
            if value is not None and value <= 0:
                self.add_error(name, self.amount_message)
        today = timezone.localdate()
        for name in self.date_fields:
            day = cleaned.get(name)
            if day is not None and day > today:
                self.add_error(name, _("This date cannot be in the future."))
        return cleaned


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That username and password do not match. Check both and try again; "
            "the account locks after repeated failures."
        ),
    }


class UnlockRequestForm(forms.Form):
    """Ask for a link to unlock an account locked after failed sign-ins (``core.lockout``)."""

    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )


class TwoFactorCodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code (``core.twofactor``)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}
        ),
    )


class CheckpointForm(forms.Form):
    """An audit checkpoint an auditor kept (the whole line, or its digest), to confirm against the chain."""

    checkpoint = forms.CharField(
        label=_("A checkpoint you kept (optional)"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "class": "font-monospace"}),
        help_text=_(
            "Paste the whole CTIP-AUDIT-CHECKPOINT line from the e-mail or your notes, or just its "
            "64-character digest. Leave it empty to verify the record only."
        ),
    )

    def clean_checkpoint(self) -> str:
        text = " ".join(str(self.cleaned_data.get("checkpoint") or "").split())
        if text and parse_pasted(text) is None:
            raise forms.ValidationError(
                _("That is not a checkpoint: paste the whole line, or its 64-character hexadecimal digest.")
            )
        return text
