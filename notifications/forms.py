"""The e-mail preference form; its ``save`` calls the service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User
from notifications import services
from notifications.choices import EmailMode
from notifications.models import NotificationPreference


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("E-mail me my notifications"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        help_text=_("You always see every notification in the tracker (the bell in the top bar)."),
    )

    def save(self, user: User) -> NotificationPreference:
        return services.set_email_mode(user, self.cleaned_data["email_mode"])
