"""The account page's form for a new API token."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.tokens import NAME_LENGTH

DEFAULT_LIFETIME_DAYS = 90


def default_expiry() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=DEFAULT_LIFETIME_DAYS)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_LENGTH,
        help_text=_("The system that will use it, e.g. “Judiciary CTS sync”."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        initial=default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most a year from today. The token stops working at the end of that day."),
    )
