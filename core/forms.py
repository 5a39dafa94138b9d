"""Forms for core's own pages."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username and password do not match. Check both and try again; "
        "the account locks after repeated failures.",
    }
