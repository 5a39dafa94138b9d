"""Form pages that change a case. Each one fetches the case from ``Case.objects.visible_to(user)`` (404
outside it), checks the access helper (403), fetches the child record it is about from that record's own
``visible_to`` within the case, and lets its form call one service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import AnyUser, PageAccess
from core.versioning import Versioned
from core.views.generic import RecordFormView, ServiceFormView
from prosecutions import forms, services
from prosecutions.access import (
    CASE_CHANGE_PAGE,
    CASE_WRITERS,
    UNIT_HEAD_PAGE,
    can_assign_prosecutors,
    can_edit_case,
    can_reopen_case,
)
from prosecutions.choices import Disposition
from prosecutions.models import Accused, Case, Charge, Hearing, Sentence

# A case's last activity moves forward with every hearing, plea and outcome on it: not a change to the case
# that a form opened on it depends on.
CASE_BOOKKEEPING = frozenset({"last_activity_on"})
# What a form that adds to a case depends on: where the case stands (closed, reopened, moved on) — not
# its other details.
CASE_STAGE = frozenset({"stage"})


def count_noun(charge: Charge) -> str:
    """A count named in a sentence, e.g. "count 2 against John Doe"."""
    return gettext("count %(number)s against %(name)s") % {"number": charge.count_number, "name": charge.accused.name}


def sentence_noun(charge: Charge) -> str:
    """The sentence on a count, named in a sentence."""
    return gettext("the sentence on count %(number)s against %(name)s") % {
        "number": charge.count_number,
        "name": charge.accused.name,
    }


def hearing_name(hearing: Hearing) -> str:
    """A hearing by purpose and date, e.g. "Mention on 03 Mar 2026"."""
    # Translators: a hearing by its purpose and date, e.g. "Mention on 03 Mar 2026".
    return gettext("%(purpose)s on %(date)s") % {
        "purpose": hearing.get_purpose_display(),
        "date": f"{hearing.date:%d %b %Y}",
    }


def hearing_noun(hearing: Hearing) -> str:
    """A hearing named in a sentence, e.g. "the Mention on 03 Mar 2026"."""
    return gettext("the %(hearing)s") % {"hearing": hearing_name(hearing)}


@dataclass(frozen=True)
class CaseOffers:
    """The actions the case page offers a user now. Each is offered exactly when the service behind it would
    accept it — decided by the same predicate the service applies — so no button leads to a form that is
    then refused."""

    move_stage: bool = False
    add_accused: bool = False
    add_victim: bool = False
    hearing: bool = False
    edit: bool = False
    own_plea: bool = False
    add_count: bool = False
    plea: bool = False
    outcome: bool = False
    sentence: bool = False
    assign: bool = False
    reopen: bool = False


def case_offers(user: AnyUser, case: Case) -> CaseOffers:
    """What ``user`` may do to ``case`` now, action by action (a fixed number of queries per stage)."""
    assign, reopen = can_assign_prosecutors(user, case), can_reopen_case(user, case)
    if not can_edit_case(user, case):
        return CaseOffers(assign=assign, reopen=reopen)
    return CaseOffers(
        move_stage=bool(services.allowed_moves(case)),
        add_accused=True,
        add_victim=True,
        hearing=services.can_schedule_hearing(case),
        edit=True,
        own_plea=services.can_convict_on_own_plea(case),
        add_count=services.can_add_count(case),
        plea=services.can_take_plea(case),
        outcome=services.can_record_outcome(case),
        sentence=services.can_sentence(case),
        assign=assign,
        reopen=reopen,
    )


class CaseOpenView(ServiceFormView):
    allowed_roles = CASE_WRITERS
    page_access = PageAccess(opens=CASE_WRITERS)
    form_class = forms.CaseOpenForm
    title = _("Open a case")
    success_message = _("Case opened.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_cancel_url(self) -> str | None:
        return reverse("prosecutions:case_list")


class CaseActionView(RecordFormView):
    """A form about one case the user may change.

    The form carries the case's version (``core.versioning``): all of the case for a form that changes the
    case itself; only its stage for a form that adds a record to it (``case_fields``); a form about one
    accused, count or hearing carries that record's version instead. The case row is locked first on
    POST, as every prosecution service does.
    """

    allowed_roles = CASE_WRITERS
    page_access = CASE_CHANGE_PAGE
    success_tab: ClassVar[str] = "overview"
    case_fields: ClassVar[frozenset[str] | None] = None

    def get_record_queryset(self) -> QuerySet[Case]:
        return Case.objects.visible_to(self.request.user).select_related("court", "county", "lead_prosecutor")

    @property
    def case(self) -> Case:
        """The case the page is about (``self.record``)."""
        case: Case = self.record
        return case

    def permitted(self, record: Case) -> bool:
        return can_edit_case(self.request.user, record)

    def get_version_parts(self) -> list[Versioned]:
        return [
            Versioned.of(
                self.case,
                noun=gettext("case %(reference)s") % {"reference": self.case.reference},
                watch=self.case_fields,
                ignore=CASE_BOOKKEEPING,
            )
        ]

    def form_extra(self) -> dict[str, Any]:
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "case": self.case, **self.form_extra()}

    def get_title(self) -> str:
        return f"{self.title} — {self.case.reference}"

    def case_url(self) -> str:
        return reverse("prosecutions:case_detail", args=[self.case.pk]) + f"?tab={self.success_tab}"

    def get_cancel_url(self) -> str | None:
        return self.case_url()

    def get_success_url_for(self, result: Any) -> str:
        return self.case_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "case": self.case}


class CaseEditView(CaseActionView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.CaseDetailsForm
    title = _("Edit case details")
    success_message = _("Case details saved.")


class StageMoveView(CaseActionView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.StageMoveForm
    title = _("Move stage")
    success_tab = "timeline"

    def get_success_message(self, result: Any) -> str:
        return gettext("The case is now at %(stage)s.") % {"stage": result.get_to_stage_display()}


class OwnPleaView(CaseActionView):
    """Convict on own plea (CPC s.207) or plea agreement (s.137A–O): every pending count, then sentencing."""

    page_access = CASE_CHANGE_PAGE
    form_class = forms.OwnPleaConvictionForm
    template_name = "prosecutions/convict_on_own_plea.html"
    title = _("Convict on own plea and go to sentencing")
    success_tab = "timeline"
    success_message = _("Convicted on own plea: the case is now at Sentencing.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The counts the conviction covers, each with the plea it rests on, and why it cannot be done now."""
        pending = Charge.objects.filter(accused__case=self.case, disposition=Disposition.PENDING)
        counts = list(pending.select_related("accused", "offence").order_by("accused_id", "count_number"))
        return {
            **super().get_context_data(**kwargs),
            "counts": counts,
            "refusal": services.own_plea_refusal(self.case),
        }


class ReopenView(CaseActionView):
    page_access = UNIT_HEAD_PAGE
    form_class = forms.ReopenForm
    title = _("Reopen case")
    success_message = _("Case reopened.")
    success_tab = "timeline"

    def permitted(self, record: Case) -> bool:
        return can_reopen_case(self.request.user, record)


class TeamView(CaseActionView):
    page_access = UNIT_HEAD_PAGE
    form_class = forms.TeamForm
    title = _("Assign prosecutors")
    success_message = _("Prosecutors assigned.")

    def permitted(self, record: Case) -> bool:
        return can_assign_prosecutors(self.request.user, record)


class AccusedCreateView(CaseActionView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.AccusedForm
    title = _("Add an accused")
    case_fields = CASE_STAGE
    success_message = _("Accused added.")
    success_tab = "accused"

    def form_extra(self) -> dict[str, Any]:
        # The user, for the persons of the index the form offers (only those they may see).
        return {"user": self.request.user}


class AccusedScopedView(CaseActionView):
    """A form about one accused of the case."""

    success_tab = "accused"

    def load_related(self, **kwargs: Any) -> None:
        accused = Accused.objects.visible_to(self.request.user).filter(case=self.case)
        self.accused = get_object_or_404(accused, pk=kwargs["accused_pk"])

    def form_extra(self) -> dict[str, Any]:
        return {"accused": self.accused}


class AccusedEditView(AccusedScopedView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.AccusedForm
    title = _("Edit accused")
    success_message = _("Accused updated.")

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.accused, noun=gettext("the accused %(name)s") % {"name": self.accused.name})]


class ChargeCreateView(AccusedScopedView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.ChargeForm
    title = _("Add a count")
    success_message = _("Count added.")
    case_fields = CASE_STAGE

    def get_title(self) -> str:
        return gettext("Add a count against %(name)s — %(reference)s") % {
            "name": self.accused.name,
            "reference": self.case.reference,
        }


class ChargeActionView(CaseActionView):
    success_tab = "accused"

    def load_related(self, **kwargs: Any) -> None:
        charges = Charge.objects.visible_to(self.request.user).filter(accused__case=self.case)
        self.charge = get_object_or_404(charges.select_related("accused", "offence"), pk=kwargs["charge_pk"])

    def form_extra(self) -> dict[str, Any]:
        return {"charge": self.charge}

    def charge_version(self) -> Versioned:
        charge = self.charge
        return Versioned.of(charge, noun=count_noun(charge))

    def get_version_parts(self) -> list[Versioned]:
        return [self.charge_version()]

    def get_title(self) -> str:
        description = gettext("Count %(number)s: %(offence)s") % {
            "number": self.charge.count_number,
            "offence": f"{self.charge.offence.short_statute} s.{self.charge.offence.section}",
        }
        return f"{self.title}: {self.charge.accused.name}, {description} — {self.case.reference}"


class PleaView(ChargeActionView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.PleaForm
    title = _("Record plea")
    success_message = _("Plea recorded.")


class DispositionView(ChargeActionView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.DispositionForm
    title = _("Record outcome")
    success_message = _("Outcome recorded.")


class SentenceView(ChargeActionView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.SentenceForm
    title = _("Record sentence")
    success_message = _("Sentence recorded.")

    def get_version_parts(self) -> list[Versioned]:
        """The count, and the sentence on it if one has been passed since (one sentence per count)."""
        charge = self.charge
        sentence = Sentence.objects.filter(charge=charge).first()
        noun = sentence_noun(charge)
        return [self.charge_version(), Versioned.maybe(Sentence, sentence, noun=noun, where={"charge_id": charge.pk})]


class VictimCreateView(CaseActionView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.VictimForm
    title = _("Add a victim")
    success_tab = "victims"
    case_fields = CASE_STAGE

    def get_success_message(self, result: Any) -> str:
        return gettext("Victim %(code)s added.") % {"code": result.code}


class HearingCreateView(CaseActionView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.HearingForm
    title = _("Record or schedule a hearing")
    success_message = _("Hearing saved.")
    success_tab = "hearings"
    case_fields = CASE_STAGE


class HearingOutcomeView(CaseActionView):
    page_access = CASE_CHANGE_PAGE
    form_class = forms.HearingOutcomeForm
    title = _("Record hearing outcome")
    success_message = _("Hearing outcome recorded.")
    success_tab = "hearings"

    def load_related(self, **kwargs: Any) -> None:
        hearings = Hearing.objects.visible_to(self.request.user).filter(case=self.case).select_related("court")
        self.hearing: Hearing = get_object_or_404(hearings, pk=kwargs["hearing_pk"])

    def form_extra(self) -> dict[str, Any]:
        return {"hearing": self.hearing}

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.hearing, noun=hearing_noun(self.hearing))]

    def get_title(self) -> str:
        return gettext("Outcome of the %(hearing)s — %(reference)s") % {
            "hearing": hearing_name(self.hearing),
            "reference": self.case.reference,
        }
