"""Correction pages: a plea, a count's outcome, a sentence, a hearing or an accused's details corrected with a
reason. The case's prosecutors open them while the case is open, the unit head at any time (a closed case
included); every other role gets 403. Each page carries the version of the record it corrects, so a form
opened before someone else changed the record is refused with what changed."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.versioning import Versioned
from prosecutions import forms
from prosecutions.access import CASE_CORRECTION_PAGE, can_correct_case
from prosecutions.models import Case, Correction, Hearing, Sentence
from prosecutions.views.actions import (
    AccusedScopedView,
    CaseActionView,
    ChargeActionView,
    hearing_name,
    hearing_noun,
    sentence_noun,
)


class CorrectionMixin:
    """What every correction page shares: who may correct the case, and what it says once saved."""

    request: Any

    def permitted(self, record: Case) -> bool:
        return can_correct_case(self.request.user, record)

    def get_success_message(self, result: Correction) -> str:
        return gettext("%(kind)s corrected. The correction and its reason are on the History tab.") % {
            "kind": result.get_kind_display()
        }


class PleaCorrectionView(CorrectionMixin, ChargeActionView):
    page_access = CASE_CORRECTION_PAGE
    form_class = forms.PleaCorrectionForm
    title = _("Correct plea")


class OutcomeCorrectionView(CorrectionMixin, ChargeActionView):
    page_access = CASE_CORRECTION_PAGE
    form_class = forms.OutcomeCorrectionForm
    title = _("Correct outcome")


class SentenceCorrectionView(CorrectionMixin, ChargeActionView):
    page_access = CASE_CORRECTION_PAGE
    form_class = forms.SentenceCorrectionForm
    title = _("Correct sentence")

    def get_version_parts(self) -> list[Versioned]:
        """The count, and its sentence (which may have been removed since the form was opened)."""
        charge = self.charge
        sentence = Sentence.objects.filter(charge=charge).first()
        noun = sentence_noun(charge)
        return [self.charge_version(), Versioned.maybe(Sentence, sentence, noun=noun, where={"charge_id": charge.pk})]


class HearingCorrectionView(CorrectionMixin, CaseActionView):
    page_access = CASE_CORRECTION_PAGE
    form_class = forms.HearingCorrectionForm
    title = _("Correct hearing")
    success_tab = "hearings"

    def load_related(self, **kwargs: Any) -> None:
        hearings = Hearing.objects.visible_to(self.request.user).filter(case=self.case).select_related("court")
        self.hearing: Hearing = get_object_or_404(hearings, pk=kwargs["hearing_pk"])

    def form_extra(self) -> dict[str, Any]:
        return {"hearing": self.hearing}

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.hearing, noun=hearing_noun(self.hearing))]

    def get_title(self) -> str:
        return gettext("Correct the %(hearing)s — %(reference)s") % {
            "hearing": hearing_name(self.hearing),
            "reference": self.case.reference,
        }


class AccusedCorrectionView(CorrectionMixin, AccusedScopedView):
    page_access = CASE_CORRECTION_PAGE
    form_class = forms.AccusedCorrectionForm
    title = _("Correct accused details")

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.accused, noun=gettext("the accused %(name)s") % {"name": self.accused.name})]

    def get_title(self) -> str:
        return gettext("Correct the details of %(name)s — %(reference)s") % {
            "name": self.accused.name,
            "reference": self.case.reference,
        }
