"""Forms of the prosecutions pages. Each ``save(user)`` calls one service; a broken rule comes back as a
:class:`~core.exceptions.DomainError` that the generic form view shows as a form error."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.html import format_html_join

from core.access import AnyUser, has_role
from core.bounds import BoundedModelMultipleChoiceField
from core.forms import date_field
from core.guards import today
from core.models import County, User
from core.roles import Role
from prosecutions import services
from prosecutions.choices import (
    AdjournmentReason,
    ClosureReason,
    CustodyStatus,
    Disposition,
    ExploitationType,
    FineRelation,
    HearingOutcome,
    HearingPurpose,
    NetworkRole,
    Plea,
    Scope,
    SentenceOverrideGround,
    Sex,
    Stage,
)
from prosecutions.exceptions import OffenceNotInForce
from prosecutions.filters import offence_section_choices, prosecutor_queryset
from prosecutions.models import (
    Accused,
    Case,
    Charge,
    Correction,
    Court,
    Hearing,
    Offence,
    Sentence,
    StageChange,
    Victim,
)
from prosecutions.services import correcting, corrections, penalties
from prosecutions.services.hearings import COURTROOM_MAX_LENGTH

# The largest count number and term in months a form takes: within their columns, beyond any real charge
# sheet or sentence (life imprisonment is its own box).
MAX_COUNTS = 999
MAX_MONTHS = 1200


def blank_choice(choices: list[tuple[str, str]], label: str = "—") -> list[tuple[str, str]]:
    return [("", label), *choices]


class CaseFieldsMixin(forms.Form):
    title = forms.CharField(max_length=255, help_text="e.g. “Republic v. John Doe and 2 others”")
    county = forms.ModelChoiceField(queryset=County.objects.order_by("name"))
    court = forms.ModelChoiceField(
        queryset=Court.objects.filter(is_active=True).order_by("name"), required=False, help_text="Once charged."
    )
    court_case_type = forms.CharField(max_length=60, required=False, initial="Criminal Case")
    court_case_serial = forms.CharField(max_length=20, required=False, label="Court case serial", help_text="e.g. E123")
    court_case_year = forms.IntegerField(required=False, min_value=1963, max_value=2100)
    police_station = forms.CharField(max_length=100, required=False)
    ob_number = forms.CharField(max_length=60, required=False, label="OB number")
    ob_date = date_field("OB date", required=False)
    dci_reference = forms.CharField(max_length=60, required=False, label="DCI reference")
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.INTERNAL)
    exploitation_types = forms.MultipleChoiceField(
        choices=ExploitationType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    in_camera = forms.BooleanField(required=False, label="Proceedings held in camera (CTIP s.11)")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def case_details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.CASE_DETAIL_FIELDS}


class CaseOpenForm(CaseFieldsMixin):
    opened_on = date_field("Opened on")
    lead_prosecutor = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, help_text="Leave empty to lead it yourself."
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
    reason = forms.CharField(max_length=200, required=False, help_text="Why the details changed (kept in history).")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        kwargs["initial"] = {name: getattr(case, name) for name in services.CASE_DETAIL_FIELDS}
        super().__init__(*args, **kwargs)

    def save(self, user: User) -> Case:
        return services.update_case_details(self.case, user, self.cleaned_data["reason"], **self.case_details())


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move to")
    effective_on = date_field("Date of the move")
    closure_reason = forms.ChoiceField(
        choices=blank_choice(ClosureReason.choices), required=False, help_text="Only when closing the case."
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

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
            '<span class="d-block" data-testid="blocked-move">Not yet to {}: {}</span>',
            ((stage.label, why) for stage, why in blocked),
        )
        # A move not offered (a stale page, a crafted request) is refused in words, not "Select a valid choice".
        current = Stage(case.stage).label
        self.fields["to_stage"].error_messages["invalid_choice"] = (
            f"A case at {current} cannot make that move. "
            f"From {current} it can go to: {', '.join(str(s.label) for s in legal) or 'no other stage'}."
        )
        self.fields["effective_on"].initial = today()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_stage") == Stage.CLOSED and not data.get("closure_reason"):
            self.add_error("closure_reason", "Give the reason for closing the case.")
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
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), help_text="Recorded on the case history.")
    effective_on = date_field("Reopened on")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["effective_on"].initial = today()

    def save(self, user: User) -> StageChange:
        return services.reopen_case(
            self.case, user, reason=self.cleaned_data["reason"], effective_on=self.cleaned_data["effective_on"]
        )


class TeamForm(forms.Form):
    lead_prosecutor = forms.ModelChoiceField(queryset=User.objects.none())
    team = BoundedModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(max_length=200, required=False)

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


class AccusedForm(forms.Form):
    name = forms.CharField(max_length=150)
    aliases = forms.CharField(
        max_length=255, required=False, help_text="Other names the accused is known by, separated by commas."
    )
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN)
    date_of_birth = date_field("Date of birth", required=False)
    age = forms.IntegerField(required=False, min_value=0, max_value=120, help_text="If the date of birth is unknown.")
    nationality = forms.CharField(max_length=60, required=False, initial="Kenyan")
    id_number = forms.CharField(max_length=40, required=False, label="ID or passport number")
    network_role = forms.ChoiceField(
        choices=NetworkRole.choices, initial=NetworkRole.OTHER, help_text="The accused's place in the network."
    )
    custody_status = forms.ChoiceField(choices=CustodyStatus.choices, initial=CustodyStatus.REMANDED)
    bail_terms = forms.CharField(max_length=255, required=False)

    def __init__(self, *args: Any, case: Case, accused: Accused | None = None, **kwargs: Any) -> None:
        if accused is not None:
            kwargs["initial"] = {name: getattr(accused, name) for name in services.ACCUSED_FIELDS}
        super().__init__(*args, **kwargs)
        self.case = case
        self.accused = accused

    def save(self, user: User) -> Accused:
        data = dict(self.cleaned_data)
        if self.accused is not None:
            return services.update_accused(self.accused, user, **data)
        return services.add_accused(self.case, user, **data)


class ChargeForm(forms.Form):
    count_number = forms.IntegerField(min_value=1, max_value=MAX_COUNTS, label="Count number")
    offence = forms.ChoiceField(label="Offence", help_text="The penalty in force on the offence date is applied.")
    offence_date = date_field("Offence date")
    penalty_section = forms.CharField(
        max_length=20, required=False, label="As read with section", help_text="Leave empty for the usual one."
    )
    particulars = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, case: Case, accused: Accused, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.accused = accused
        self.fields["offence"].choices = blank_choice(offence_section_choices())  # type: ignore[attr-defined]
        self.fields["count_number"].initial = services.next_count_number(accused)

    def save(self, user: User) -> Charge:
        data = self.cleaned_data
        statute, _, section = data["offence"].partition(":")
        offence = Offence.objects.filter(statute=statute, section=section).order_by("-effective_from").first()
        if offence is None:
            raise OffenceNotInForce("Choose an offence from the list.")
        return services.add_charge(
            self.accused,
            user,
            count_number=data["count_number"],
            offence=offence,
            offence_date=data["offence_date"],
            particulars=data["particulars"],
            penalty_section=data["penalty_section"],
        )


class PleaForm(forms.Form):
    plea = forms.ChoiceField(choices=blank_choice([c for c in Plea.choices if c[0] != Plea.NOT_TAKEN]))
    plea_date = date_field("Plea taken on")

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.charge = case, charge
        self.fields["plea_date"].initial = today()

    def save(self, user: User) -> Charge:
        return services.record_plea(
            self.charge, user, plea=self.cleaned_data["plea"], plea_date=self.cleaned_data["plea_date"]
        )


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label="Outcome", choices=blank_choice([c for c in Disposition.choices if c[0] != Disposition.PENDING])
    )
    disposition_date = date_field("Date of the outcome")
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.charge = case, charge
        self.fields["disposition_date"].initial = today()

    def save(self, user: User) -> Charge:
        data = self.cleaned_data
        return services.record_disposition(
            self.charge,
            user,
            disposition=data["disposition"],
            disposition_date=data["disposition_date"],
            note=data["note"],
        )


class SentenceForm(forms.Form):
    sentenced_on = date_field("Sentenced on")
    custodial_months = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_MONTHS, label="Imprisonment (months)"
    )
    life_imprisonment = forms.BooleanField(required=False)
    fine_amount = forms.DecimalField(required=False, max_digits=18, decimal_places=2, label="Fine (KES)")
    fine_default_months = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_MONTHS, label="Months in default of the fine"
    )
    fine_relation = forms.ChoiceField(choices=FineRelation.choices, initial=FineRelation.NONE, label="Fine")
    compensation_amount = forms.DecimalField(
        required=False, max_digits=18, decimal_places=2, label="Compensation to a victim (KES)"
    )
    compensation_victim = forms.ModelChoiceField(queryset=Victim.objects.none(), required=False, label="Victim")
    deportation = forms.BooleanField(required=False, label="Deportation after sentence (CTIP s.26(1))")
    forfeiture_ordered = forms.BooleanField(required=False, label="Forfeiture of proceeds ordered (CTIP s.17)")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    override_ground = forms.ChoiceField(
        choices=blank_choice(SentenceOverrideGround.choices, "— (the sentence is within the statutory range)"),
        required=False,
        label="Ground for a sentence outside the statutory range",
        help_text="Only when the court departed from the minimum or maximum, e.g. a child offender or an "
        "appellate court's order.",
    )
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason for the override",
        help_text="Shown with the sentence and listed in the performance report.",
    )

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.charge = case, charge
        self.fields["sentenced_on"].initial = today()
        self.fields["compensation_victim"].queryset = case.victims.order_by("code")  # type: ignore[attr-defined]
        self.fields["custodial_months"].help_text = statutory_range_text(charge)

    def save(self, user: User) -> Sentence:
        return services.record_sentence(self.charge, user, **self.cleaned_data)


def statutory_range_text(charge: Charge) -> str:
    """The range a sentence on ``charge`` is held to, in words, for the sentence forms."""
    version = penalties.penalty_version(charge)
    parts = [text for text in (penalties.minimum_text(version), penalties.maximum_text(version)) if text]
    if not parts:
        return f"{penalties.offence_label(version)} sets no minimum or maximum here."
    return f"Statutory range for {penalties.offence_label(version)}: {'; '.join(parts)}."


class VictimForm(forms.Form):
    exploitation_type = forms.ChoiceField(choices=blank_choice(ExploitationType.choices))
    identified_on = date_field("Identified on")
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN)
    age_at_exploitation = forms.IntegerField(required=False, min_value=0, max_value=120)
    is_child = forms.BooleanField(required=False, label="Child (under 18)", help_text="If the age is not known.")
    nationality = forms.CharField(max_length=60, required=False, initial="Kenyan")
    referred_to_services = forms.BooleanField(required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def save(self, user: User) -> Victim:
        return services.add_victim(self.case, user, **self.cleaned_data)


def time_field(label: str, *, help_text: str = "") -> forms.TimeField:
    """An optional time of day (East Africa Time), with the browser's time picker."""
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=help_text,
    )


def courtroom_field(label: str, *, help_text: str = "") -> forms.CharField:
    """An optional courtroom or court number, one short line."""
    return forms.CharField(
        label=label, max_length=COURTROOM_MAX_LENGTH, required=False, help_text=help_text or "e.g. “Court 3”."
    )


class NextSittingMixin(forms.Form):
    """The next date given in court, with the time and courtroom given for it."""

    next_date = date_field("Next date", required=False, help_text="The date given in court.")
    next_time = time_field("Next time", help_text="When the court sits on the next date, if given.")
    next_courtroom = courtroom_field("Next courtroom", help_text="Leave blank for the same courtroom.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("next_date") is None:
            if data.get("next_time") is not None:
                self.add_error("next_time", "Give the next date the next time goes with.")
            if data.get("next_courtroom"):
                self.add_error("next_courtroom", "Give the next date the next courtroom goes with.")
        return data


class HearingForm(NextSittingMixin):
    date = date_field("Date")
    time = time_field("Time", help_text="When the court sits (East Africa Time), if known.")
    court = forms.ModelChoiceField(queryset=Court.objects.order_by("name"))
    courtroom = courtroom_field("Courtroom")
    purpose = forms.ChoiceField(choices=HearingPurpose.choices)
    outcome = forms.ChoiceField(
        choices=HearingOutcome.choices, initial=HearingOutcome.SCHEDULED, help_text="“Scheduled” for a future date."
    )
    adjournment_reason = forms.ChoiceField(choices=blank_choice(AdjournmentReason.choices), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    field_order = [
        "date",
        "time",
        "court",
        "courtroom",
        "purpose",
        "outcome",
        "adjournment_reason",
        "next_date",
        "next_time",
        "next_courtroom",
        "notes",
    ]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["court"].initial = case.court_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date: dt.date | None = data.get("date")
        next_date: dt.date | None = data.get("next_date")
        if date and next_date and next_date <= date:
            self.add_error("next_date", "The next date must be after the hearing date.")
        return data

    def save(self, user: User) -> Hearing:
        return services.record_hearing(self.case, user, **self.cleaned_data)


class HearingOutcomeForm(NextSittingMixin):
    outcome = forms.ChoiceField(
        choices=blank_choice([c for c in HearingOutcome.choices if c[0] != HearingOutcome.SCHEDULED])
    )
    adjournment_reason = forms.ChoiceField(choices=blank_choice(AdjournmentReason.choices), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    field_order = ["outcome", "adjournment_reason", "next_date", "next_time", "next_courtroom", "notes"]

    def __init__(self, *args: Any, case: Case, hearing: Hearing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.hearing = case, hearing

    def save(self, user: User) -> Hearing:
        return services.record_hearing_outcome(self.hearing, user, **self.cleaned_data)


class OwnPleaConvictionForm(forms.Form):
    """Convict every pending count on the accused's own plea (or plea agreement) and go to sentencing."""

    effective_on = date_field("Convicted on", help_text="The day the court convicted on the pleas.")
    reason = forms.CharField(
        max_length=200,
        required=False,
        label="Note",
        help_text="Kept in the history and on the timeline, e.g. “Plea agreement filed and recorded”.",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["effective_on"].initial = today()

    def save(self, user: User) -> StageChange:
        data = self.cleaned_data
        return services.convict_on_own_plea(self.case, user, on=data["effective_on"], reason=data["reason"])


# --- corrections: a recorded fact changed, with a reason (``prosecutions.services.corrections``) ---------


def correction_reason_field() -> forms.CharField:
    return forms.CharField(
        label="Reason for the correction",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the record was wrong. Kept in the case history beside the old and the new value.",
        error_messages={"required": correcting.REASON_MISSING},
    )


class PleaCorrectionForm(forms.Form):
    plea = forms.ChoiceField(choices=blank_choice([c for c in Plea.choices if c[0] != Plea.NOT_TAKEN]))
    plea_date = date_field("Plea taken on")
    reason = correction_reason_field()

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "plea": "" if charge.plea == Plea.NOT_TAKEN else charge.plea,
            "plea_date": charge.plea_date,
        }
        super().__init__(*args, **kwargs)
        self.case, self.charge = case, charge

    def save(self, user: User) -> Correction:
        return corrections.correct_plea(self.charge, user, **self.cleaned_data)


class OutcomeCorrectionForm(forms.Form):
    disposition = forms.ChoiceField(
        label="Outcome", choices=blank_choice([c for c in Disposition.choices if c[0] != Disposition.PENDING])
    )
    disposition_date = date_field("Date of the outcome")
    reason = correction_reason_field()

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        pending = charge.disposition == Disposition.PENDING
        kwargs["initial"] = {
            "disposition": "" if pending else charge.disposition,
            "disposition_date": charge.disposition_date,
        }
        super().__init__(*args, **kwargs)
        self.case, self.charge = case, charge

    def save(self, user: User) -> Correction:
        return corrections.correct_outcome(self.charge, user, **self.cleaned_data)


class SentenceCorrectionForm(SentenceForm):
    remove = forms.BooleanField(
        required=False,
        label="The sentence was recorded in error: remove it",
        help_text="Its history keeps every value it had. The other fields are then ignored.",
    )
    reason = correction_reason_field()

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        sentence = Sentence.objects.filter(charge=charge).first()
        if sentence is not None:
            kwargs["initial"] = {name: getattr(sentence, name) for name in corrections.SENTENCE_FIELDS}
            kwargs["initial"]["compensation_victim"] = sentence.compensation_victim_id
        super().__init__(*args, case=case, charge=charge, **kwargs)
        self.fields["sentenced_on"].required = False
        if sentence is not None:
            self.fields["sentenced_on"].initial = sentence.sentenced_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("remove") and data.get("sentenced_on") is None and "sentenced_on" not in self.errors:
            self.add_error("sentenced_on", "Give the date the sentence was passed.")
        return data

    def save(self, user: User) -> Correction:  # type: ignore[override]
        data = dict(self.cleaned_data)
        reason = data.pop("reason")
        if data.pop("remove"):
            return corrections.remove_sentence(self.charge, user, reason=reason)
        return corrections.correct_sentence(self.charge, user, reason=reason, **data)


class HearingCorrectionForm(forms.Form):
    date = date_field("Date")
    outcome = forms.ChoiceField(choices=HearingOutcome.choices, help_text="“Scheduled” if it has not sat yet.")
    adjournment_reason = forms.ChoiceField(choices=blank_choice(AdjournmentReason.choices), required=False)
    next_date = date_field("Next date", required=False, help_text="The date given in court.")
    reason = correction_reason_field()

    def __init__(self, *args: Any, case: Case, hearing: Hearing, **kwargs: Any) -> None:
        kwargs["initial"] = {name: getattr(hearing, name) for name in corrections.HEARING_FIELDS}
        super().__init__(*args, **kwargs)
        self.case, self.hearing = case, hearing

    def save(self, user: User) -> Correction:
        return corrections.correct_hearing(self.hearing, user, **self.cleaned_data)


class AccusedCorrectionForm(AccusedForm):
    reason = correction_reason_field()

    def save(self, user: User) -> Correction:  # type: ignore[override]
        data = dict(self.cleaned_data)
        reason = data.pop("reason")
        assert self.accused is not None
        return corrections.correct_accused(self.accused, user, reason=reason, **data)
