"""Forms about the case itself: opening it, its details, its stage, reopening it, its team, and the conviction
on own plea that takes it straight to sentencing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import AnyUser, has_role
from core.bounds import BoundedModelMultipleChoiceField
from core.forms import date_field
from core.guards import today
from core.models import County, User
from core.roles import Role
from prosecutions import services
from prosecutions.choices import (
    ClosureReason,
    ExploitationType,
    Scope,
    Stage,
)
from prosecutions.filters import prosecutor_queryset
from prosecutions.forms.base import (
    blank_choice,
)
from prosecutions.models import (
    Case,
    Court,
    StageChange,
)


class CaseFieldsMixin(forms.Form):
    title = forms.CharField(max_length=255, label=_("Title"), help_text=_("e.g. “Republic v. John Doe and 2 others”"))
    county = forms.ModelChoiceField(queryset=County.objects.order_by("name"), label=_("County"))
    court = forms.ModelChoiceField(
        queryset=Court.objects.filter(is_active=True).order_by("name"),
        required=False,
        label=_("Court"),
        help_text=_("Once charged."),
    )
    court_case_type = forms.CharField(
        max_length=60, required=False, initial="Criminal Case", label=_("Court case type")
    )
    court_case_serial = forms.CharField(
        max_length=20, required=False, label=_("Court case serial"), help_text=_("e.g. E123")
    )
    court_case_year = forms.IntegerField(required=False, min_value=1963, max_value=2100, label=_("Court case year"))
    police_station = forms.CharField(max_length=100, required=False, label=_("Police station"))
    ob_number = forms.CharField(max_length=60, required=False, label=_("OB number"))
    ob_date = date_field(_("OB date"), required=False)
    dci_reference = forms.CharField(max_length=60, required=False, label=_("DCI reference"))
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.INTERNAL, label=_("Scope"))
    exploitation_types = forms.MultipleChoiceField(
        choices=ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Forms of exploitation"),
    )
    in_camera = forms.BooleanField(required=False, label=_("Proceedings held in camera (CTIP s.11)"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Summary"))

    def case_details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.CASE_DETAIL_FIELDS}


class CaseOpenForm(CaseFieldsMixin):
    opened_on = date_field(_("Opened on"))
    lead_prosecutor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Lead prosecutor"),
        help_text=_("Leave empty to lead it yourself."),
    )

    field_order = ["title", "opened_on", "county", "lead_prosecutor"]

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opened_on"].initial = today()
        if has_role(user, [Role.UNIT_HEAD]):
            self.fields["lead_prosecutor"].queryset = prosecutor_queryset()  # type: ignore[attr-defined]
        else:
            del self.fields["lead_prosecutor"]

    def save(self, user: User) -> Case:
        details = self.case_details()
        return services.open_case(
            user,
            opened_on=self.cleaned_data["opened_on"],
            lead_prosecutor=self.cleaned_data.get("lead_prosecutor"),
            **details,
        )


class CaseDetailsForm(CaseFieldsMixin):
    reason = forms.CharField(
        max_length=200, required=False, label=_("Reason"), help_text=_("Why the details changed (kept in history).")
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        kwargs["initial"] = {name: getattr(case, name) for name in services.CASE_DETAIL_FIELDS}
        super().__init__(*args, **kwargs)

    def save(self, user: User) -> Case:
        return services.update_case_details(self.case, user, self.cleaned_data["reason"], **self.case_details())


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"))
    effective_on = date_field(_("Date of the move"))
    closure_reason = forms.ChoiceField(
        choices=blank_choice(ClosureReason.choices),
        required=False,
        label=_("Closure reason"),
        help_text=_("Only when closing the case."),
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Note"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        # Offered: the moves the case is ready for (``allowed_moves``, the guards ``move_stage`` applies).
        # Accepted by the field: any move in the table, so that a move the case is not ready for (a stale
        # page) reaches the service and is refused with what is missing; the moves not yet possible are
        # listed under the field with their reason.
        legal = services.allowed_next_stages(case)
        self.fields["to_stage"].choices = [(s.value, s.label) for s in legal]  # type: ignore[attr-defined]
        blocked = services.blocked_moves(case)
        offered = [s for s in legal if s not in dict(blocked)]
        self.fields["to_stage"].widget.choices = [(s.value, s.label) for s in offered]
        # Help texts are rendered as HTML: the reasons name accused, so they are escaped here.
        self.fields["to_stage"].help_text = format_html_join(
            " ",
            '<span class="d-block" data-testid="blocked-move">{}</span>',
            (
                (gettext("Not yet to %(stage)s: %(why)s") % {"stage": stage.label, "why": why},)
                for stage, why in blocked
            ),
        )
        # A move not offered (a stale page, a crafted request) is refused in words, not "Select a valid choice".
        current = Stage(case.stage).label
        self.fields["to_stage"].error_messages["invalid_choice"] = gettext(
            "A case at %(current)s cannot make that move. From %(current)s it can go to: %(stages)s."
        ) % {"current": current, "stages": ", ".join(str(s.label) for s in legal) or gettext("no other stage")}
        self.fields["effective_on"].initial = today()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_stage") == Stage.CLOSED and not data.get("closure_reason"):
            self.add_error("closure_reason", gettext("Give the reason for closing the case."))
        return data

    def save(self, user: User) -> StageChange:
        data = self.cleaned_data
        return services.move_stage(
            self.case,
            user,
            data["to_stage"],
            effective_on=data["effective_on"],
            closure_reason=data["closure_reason"],
            note=data["note"],
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"), help_text=_("Recorded on the case history.")
    )
    effective_on = date_field(_("Reopened on"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["effective_on"].initial = today()

    def save(self, user: User) -> StageChange:
        return services.reopen_case(
            self.case, user, reason=self.cleaned_data["reason"], effective_on=self.cleaned_data["effective_on"]
        )


class TeamForm(forms.Form):
    lead_prosecutor = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Lead prosecutor"))
    team = BoundedModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Team")
    )
    reason = forms.CharField(max_length=200, required=False, label=_("Reason"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "lead_prosecutor": case.lead_prosecutor_id,
            "team": list(case.team.values_list("pk", flat=True)),
        }
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["lead_prosecutor"].queryset = prosecutor_queryset()  # type: ignore[attr-defined]
        self.fields["team"].queryset = prosecutor_queryset()  # type: ignore[attr-defined]

    def save(self, user: User) -> Case:
        data = self.cleaned_data
        return services.assign_prosecutors(
            self.case, user, lead_prosecutor=data["lead_prosecutor"], team=data["team"], reason=data["reason"]
        )


class OwnPleaConvictionForm(forms.Form):
    """Convict every pending count on the accused's own plea (or plea agreement) and go to sentencing."""

    effective_on = date_field(_("Convicted on"), help_text=_("The day the court convicted on the pleas."))
    reason = forms.CharField(
        max_length=200,
        required=False,
        label=_("Note"),
        help_text=_("Kept in the history and on the timeline, e.g. “Plea agreement filed and recorded”."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["effective_on"].initial = today()

    def save(self, user: User) -> StageChange:
        data = self.cleaned_data
        return services.convict_on_own_plea(self.case, user, on=data["effective_on"], reason=data["reason"])
