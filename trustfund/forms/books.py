"""Month-end forms: signing off a month's bank reconciliation, re-opening it with a reason, and closing a
month or a financial year. Each calls its service in ``trustfund.services.books``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import User
from trustfund import services
from trustfund.models import ClosedPeriod, ReconciliationSignOff


class MonthForm(forms.Form):
    """A form about one month (its first day), given by the page."""

    def __init__(self, *args: Any, month: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.month = month


class SignOffForm(MonthForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked the reconciliation statement above and sign it off"), required=True
    )

    def save(self, user: User) -> ReconciliationSignOff:
        return services.sign_off_month(user, month=self.month)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why the signed-off reconciliation must be done again (kept with the sign-off)."),
    )

    def __init__(self, *args: Any, sign_off: ReconciliationSignOff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sign_off = sign_off

    def save(self, user: User) -> ReconciliationSignOff:
        return services.reopen_month(self.sign_off, user, reason=self.cleaned_data["reason"])


class CloseNoteField(forms.CharField):
    def __init__(self) -> None:
        super().__init__(
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Optional: anything the auditors should know about this close."),
        )


class CloseMonthForm(MonthForm):
    note = CloseNoteField()

    def save(self, user: User) -> ClosedPeriod:
        return services.close_month(user, month=self.month, note=self.cleaned_data["note"])


class CloseYearForm(forms.Form):
    note = CloseNoteField()

    def __init__(self, *args: Any, year: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def save(self, user: User) -> ClosedPeriod:
        return services.close_year(user, year=self.year, note=self.cleaned_data["note"])
