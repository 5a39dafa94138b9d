"""The access administrators' forms. Each ``save(by)`` calls a grant service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.grants import services
from core.labels import Label
from core.models import RoleGrant, User
from core.roles import Role

# The largest id a database column holds: a bigger number is a wrong choice, not a crash.
MAX_ID = 2**63 - 1


class AccountChoiceField(forms.ModelChoiceField):
    """A person, by account id; anything that is not one of the offered accounts is a wrong choice."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not (str(value).isdigit() and int(str(value)) <= MAX_ID):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.username})"


def _reason_field(label: Label, *, required: bool = True, help_text: Label = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GrantRequestForm(forms.Form):
    """Ask for a role for someone. A sensitive role, or a role for oneself, then waits for a second
    access administrator; any other role is granted at once."""

    user = AccountChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    reason = _reason_field(
        _("Reason"), help_text=_("Why this person needs the role (their post, the task, the order).")
    )

    def __init__(self, *args: Any, accounts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts  # type: ignore[attr-defined]

    def save(self, by: User) -> RoleGrant:
        data = self.cleaned_data
        return services.request_grant(data["user"], data["role"], by, reason=data["reason"])


class GrantActionForm(forms.Form):
    def __init__(self, *args: Any, grant: RoleGrant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grant = grant


class ApproveGrantForm(GrantActionForm):
    note = _reason_field(_("Note"), required=False)

    def save(self, by: User) -> RoleGrant:
        return services.approve_grant(self.grant, by, note=self.cleaned_data["note"])


class RejectGrantForm(GrantActionForm):
    reason = _reason_field(_("Reason for rejecting"))

    def save(self, by: User) -> RoleGrant:
        return services.reject_grant(self.grant, by, reason=self.cleaned_data["reason"])


class RevokeGrantForm(GrantActionForm):
    reason = _reason_field(_("Reason for revoking"))

    def save(self, by: User) -> RoleGrant:
        return services.revoke_grant(self.grant, by, reason=self.cleaned_data["reason"])
