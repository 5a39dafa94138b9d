"""What the API shows of cases, counts, hearings, victims and witnesses. Victims and witnesses appear by
code only: no serializer here has a field that could carry a name, a contact or an identity."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.fields import LocalTimeField, label
from prosecutions.choices import AdjournmentReason, Disposition, HearingOutcome, HearingPurpose, Plea
from prosecutions.models import Accused, Case, Charge, Court, Hearing, Sentence, StageChange
from victims.models import Victim
from witnesses.models import Appearance, Witness


class CourtSerializer(serializers.ModelSerializer[Court]):
    level_label = label("level")

    class Meta:
        model = Court
        fields = ["id", "name", "level", "level_label", "station"]


class SentenceSerializer(serializers.ModelSerializer[Sentence]):
    fine_relation_label = label("fine_relation")
    compensation_victim_code = serializers.CharField(
        source="compensation_victim.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Sentence
        fields = [
            "sentenced_on",
            "custodial_months",
            "life_imprisonment",
            "fine_amount",
            "fine_default_months",
            "fine_relation",
            "fine_relation_label",
            "compensation_amount",
            "compensation_victim_code",
            "deportation",
            "forfeiture_ordered",
        ]


class OffenceRefSerializer(serializers.Serializer[Any]):
    statute = serializers.CharField()
    section = serializers.CharField()
    title = serializers.CharField()


class CountSerializer(serializers.ModelSerializer[Charge]):
    """One count against one accused, with the plea, the outcome and the sentence."""

    offence = OffenceRefSerializer(read_only=True)
    plea_label = label("plea")
    disposition_label = label("disposition")
    sentence = serializers.SerializerMethodField()

    class Meta:
        model = Charge
        fields = [
            "id",
            "count_number",
            "offence",
            "penalty_section",
            "offence_date",
            "plea",
            "plea_label",
            "plea_date",
            "disposition",
            "disposition_label",
            "disposition_date",
            "sentence",
        ]

    @extend_schema_field(SentenceSerializer(allow_null=True))
    def get_sentence(self, charge: Charge) -> dict[str, Any] | None:
        sentence = getattr(charge, "sentence", None)
        return SentenceSerializer(sentence).data if sentence is not None else None


class AccusedSerializer(serializers.ModelSerializer[Accused]):
    sex_label = label("sex")
    network_role_label = label("network_role")
    custody_status_label = label("custody_status")
    counts = CountSerializer(source="charges", many=True, read_only=True)

    class Meta:
        model = Accused
        fields = [
            "id",
            "name",
            "aliases",
            "sex",
            "sex_label",
            "age",
            "nationality",
            "network_role",
            "network_role_label",
            "custody_status",
            "custody_status_label",
            "counts",
        ]


class HearingSerializer(serializers.ModelSerializer[Hearing]):
    """A sitting of the court: when, where, why, what happened and the next date."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    court = CourtSerializer(read_only=True)
    time = LocalTimeField(read_only=True, allow_null=True)
    purpose_label = label("purpose")
    outcome_label = label("outcome")
    adjournment_reason_label = label("adjournment_reason")

    class Meta:
        model = Hearing
        fields = [
            "id",
            "case",
            "case_reference",
            "date",
            "time",
            "court",
            "courtroom",
            "purpose",
            "purpose_label",
            "outcome",
            "outcome_label",
            "adjournment_reason",
            "adjournment_reason_label",
            "next_date",
            "adjournment_clear_days",
            "exceeds_adjournment_limit",
        ]


class CaseHearingSerializer(HearingSerializer):
    class Meta(HearingSerializer.Meta):
        fields = [name for name in HearingSerializer.Meta.fields if name not in ("case", "case_reference")]


class StageChangeSerializer(serializers.ModelSerializer[StageChange]):
    from_stage_label = label("from_stage")
    to_stage_label = label("to_stage")
    closure_reason_label = label("closure_reason")
    changed_by = serializers.CharField(source="changed_by.get_full_name", read_only=True)

    class Meta:
        model = StageChange
        fields = [
            "from_stage",
            "from_stage_label",
            "to_stage",
            "to_stage_label",
            "effective_on",
            "changed_by",
            "closure_reason",
            "closure_reason_label",
        ]


class CaseSerializer(serializers.ModelSerializer[Case]):
    """A case file as the case list shows it."""

    court = CourtSerializer(read_only=True, allow_null=True)
    court_case_number = serializers.CharField(read_only=True)
    county = serializers.CharField(source="county.name", read_only=True)
    stage_label = label("stage")
    scope_label = label("scope")
    closure_reason_label = label("closure_reason")
    lead_prosecutor = serializers.CharField(source="lead_prosecutor.get_full_name", read_only=True)
    exploitation_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    accused_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "title",
            "court",
            "court_case_number",
            "county",
            "stage",
            "stage_label",
            "scope",
            "scope_label",
            "exploitation_types",
            "lead_prosecutor",
            "opened_on",
            "closed_on",
            "closure_reason",
            "closure_reason_label",
            "last_activity_on",
            "in_camera",
            "accused_count",
        ]


class CaseDetailSerializer(CaseSerializer):
    """A case file with its accused and their counts (plea, outcome, sentence), its hearings, its stage
    history and its victims' codes."""

    team = serializers.SerializerMethodField()
    accused = AccusedSerializer(many=True, read_only=True)
    hearings = CaseHearingSerializer(many=True, read_only=True)
    stage_history = StageChangeSerializer(source="stage_changes", many=True, read_only=True)
    victim_codes = serializers.SerializerMethodField(help_text=_("The codes of the victims linked to the case."))

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "police_station",
            "ob_number",
            "ob_date",
            "dci_reference",
            "summary",
            "team",
            "accused",
            "hearings",
            "stage_history",
            "victim_codes",
        ]

    def get_team(self, case: Case) -> list[str]:
        return [user.get_full_name() for user in case.team.all()]

    def get_victim_codes(self, case: Case) -> list[str]:
        codes = {link.victim.code for link in case.victim_links.all()}
        codes.update(victim.code for victim in case.victims.all())
        return sorted(codes)


class AppearanceSerializer(serializers.ModelSerializer[Appearance]):
    case = serializers.IntegerField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    role_label = label("role")

    class Meta:
        model = Appearance
        fields = ["case", "case_reference", "role", "role_label", "witness_number"]


class WitnessSerializer(serializers.ModelSerializer[Witness]):
    """A witness by code: the cases they appear in and the state of their protection. Never a name."""

    protection_status_label = label("protection_status")
    appearances = AppearanceSerializer(many=True, read_only=True)

    class Meta:
        model = Witness
        fields = ["id", "code", "protection_status", "protection_status_label", "appearances"]


class VictimSerializer(serializers.ModelSerializer[Victim]):
    """A victim by code: what the register counts. Never a name, a contact or an identity."""

    sex_label = label("sex")
    age_band_label = label("age_band")
    identified_by_label = label("identified_by")
    child = serializers.BooleanField(read_only=True, allow_null=True)
    country = serializers.CharField(read_only=True)
    exploitation_forms = serializers.ListField(source="forms", child=serializers.CharField(), read_only=True)
    identified_in = serializers.CharField(source="identified_in.name", read_only=True, allow_null=True, default=None)
    case_references = serializers.SerializerMethodField()

    class Meta:
        model = Victim
        fields = [
            "id",
            "code",
            "sex",
            "sex_label",
            "age_at_exploitation",
            "age_band",
            "age_band_label",
            "child",
            "country",
            "exploitation_forms",
            "identified_on",
            "identified_by",
            "identified_by_label",
            "identified_in",
            "referred_to_services",
            "case_references",
        ]

    def get_case_references(self, victim: Victim) -> list[str]:
        references = {link.case.reference for link in victim.case_links.all()}
        if victim.case is not None:
            references.add(victim.case.reference)
        return sorted(references)


# --- Writes: what another system sends ----------------------------------------------------------------


# The choices a write accepts (named here so the schema names their enums: SPECTACULAR_SETTINGS).
RECORDED_OUTCOMES = [c for c in HearingOutcome.choices if c[0] != HearingOutcome.SCHEDULED]
PLEAS_ENTERED = [c for c in Plea.choices if c[0] != Plea.NOT_TAKEN]
COUNT_OUTCOMES = [c for c in Disposition.choices if c[0] != Disposition.PENDING]


def _choices_with_blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *[(value, label) for value, label in choices if value]]


class ScheduleHearingSerializer(serializers.Serializer[Any]):
    """A hearing to schedule on a case (or one that took place, with its outcome)."""

    date = serializers.DateField()
    purpose = serializers.ChoiceField(choices=HearingPurpose.choices)
    court = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Court id; the case's court if left out.")
    )
    time = LocalTimeField(required=False, allow_null=True)
    courtroom = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class HearingOutcomeSerializer(serializers.Serializer[Any]):
    """What happened at a scheduled hearing, and the next date given."""

    outcome = serializers.ChoiceField(choices=RECORDED_OUTCOMES)
    adjournment_reason = serializers.ChoiceField(
        choices=_choices_with_blank(AdjournmentReason.choices), required=False, default=""
    )
    next_date = serializers.DateField(required=False, allow_null=True)
    next_time = LocalTimeField(required=False, allow_null=True)
    next_courtroom = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class PleaSerializer(serializers.Serializer[Any]):
    plea = serializers.ChoiceField(choices=PLEAS_ENTERED)
    plea_date = serializers.DateField(required=False, allow_null=True)


class DispositionSerializer(serializers.Serializer[Any]):
    disposition = serializers.ChoiceField(choices=COUNT_OUTCOMES)
    disposition_date = serializers.DateField(required=False, allow_null=True)
