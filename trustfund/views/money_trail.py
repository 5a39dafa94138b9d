"""Where the money went: for a case or a victim, the chain case → asset → realisation → receipt →
disbursement → service → victim, each link to its own page, and each part only for the roles that may see
it (every query goes through ``visible_to``). The fund pools its money, so the chain is shown as two
halves that meet in the fund: what the case's assets brought in, and what was paid out for its victims."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from assets.models import Asset
from core.access import PageAccess, RoleRequiredMixin
from prosecutions.access import CASE_READERS
from prosecutions.models import Case
from trustfund.models import Disbursement, Receipt
from victims.access import VICTIM_READERS
from victims.models import CaseVictim, ServiceDelivered, Victim

TRAIL_READERS = VICTIM_READERS | CASE_READERS


def _payments(user: Any, victims: QuerySet[Victim]) -> list[Disbursement]:
    services = ServiceDelivered.objects.visible_to(user).order_by("delivered_on", "id")
    return list(
        Disbursement.objects.visible_to(user)
        .filter(victim__in=victims)
        .select_related("victim", "referral", "referral__provider")
        .prefetch_related(Prefetch("referral__services", queryset=services))
        .order_by("requested_on", "id")
    )


class CaseMoneyTrailView(RoleRequiredMixin, TemplateView):
    allowed_roles = CASE_READERS
    page_access = PageAccess(opens=CASE_READERS)
    template_name = "trustfund/money_trail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        case = get_object_or_404(Case.objects.visible_to(user), pk=self.kwargs["pk"])
        assets = (
            Asset.objects.visible_to(user)
            .filter(case=case)
            .select_related("realisation")
            .prefetch_related(
                Prefetch(
                    "realisation__fund_receipts", queryset=Receipt.objects.visible_to(user).order_by("received_on")
                )
            )
            .order_by("reference")
        )
        linked = CaseVictim.objects.visible_to(user).filter(case=case).values("victim_id")
        victims = Victim.objects.visible_to(user).filter(pk__in=linked)
        return {
            **super().get_context_data(**kwargs),
            "title": (_("Where the money went — %(reference)s") % {"reference": case.reference}),
            "case": case,
            "assets": list(assets),
            "payments": _payments(user, victims),
        }


class VictimMoneyTrailView(RoleRequiredMixin, TemplateView):
    allowed_roles = TRAIL_READERS
    page_access = PageAccess(opens=TRAIL_READERS, beyond=404)
    template_name = "trustfund/money_trail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        victims = Victim.objects.visible_to(user)
        victim = victims.filter(pk=self.kwargs["pk"]).first()
        if victim is None:
            raise Http404
        return {
            **super().get_context_data(**kwargs),
            "title": (_("Where the money went — %(code)s") % {"code": victim.code}),
            "victim": victim,
            "payments": _payments(user, victims.filter(pk=victim.pk)),
        }
