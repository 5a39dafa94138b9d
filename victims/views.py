"""Pages of the victims register: the register, the victim's page, identifying a victim, linking a victim
to a case. Codes only: no page here shows a name."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.access import PageAccess
from core.exceptions import DomainError
from core.vault import VaultError, cipher
from core.versioning import Versioned
from core.views.generic import FilteredListView, RecordFormView, ServiceFormView, Tab, TabbedDetailView
from prosecutions.access import CASE_WRITERS, EVERY_CASE_WRITERS, can_edit_case
from prosecutions.models import Case
from victims.access import REGISTER_MANAGERS, VICTIM_READERS, can_read_identity, manages_register
from victims.filters import ProviderFilter, VictimFilter
from victims.forms import (
    IdentifyVictimForm,
    LinkCaseForm,
    MoveReferralForm,
    ProviderForm,
    ReferralForm,
    RevealForm,
    ServiceForm,
    VictimIdentityForm,
)
from victims.models import (
    CaseVictim,
    Referral,
    ServiceDelivered,
    ServiceProvider,
    Victim,
    VictimIdentity,
    VictimIdentityAccess,
)
from victims.tables import PROVIDER_COLUMNS, VICTIM_COLUMNS


def _visible_links(user: Any) -> Prefetch[Any]:
    links = CaseVictim.objects.visible_to(user).select_related("case").order_by("case__reference")
    return Prefetch("case_links", queryset=links, to_attr="visible_links")


class VictimListView(FilteredListView):
    """The victims register: every victim for the victim services officer and the fund roles (codes); the
    victims on cases for the case readers."""

    allowed_roles = VICTIM_READERS
    page_access = PageAccess(opens=VICTIM_READERS)
    filterset_class = VictimFilter
    columns = VICTIM_COLUMNS
    title = gettext_lazy("Victims register")
    export_name = "victims-register"

    def get_base_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        return Victim.objects.visible_to(user).prefetch_related(_visible_links(user)).order_by("-identified_on", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["extra_links"] = [(reverse("victims:provider_list"), _("Service providers"))]
        if manages_register(self.request.user):
            context.update(create_url=reverse("victims:victim_identify"), create_label=_("Identify a victim"))
        return context


class VictimDetailView(TabbedDetailView):
    """One victim: what was recorded at identification, the cases they are linked to, history."""

    allowed_roles = VICTIM_READERS
    # Every victim on a case is within a case reader's reach (they read every case); a victim on no case is
    # outside it and answers 404 (``victims.access``).
    page_access = PageAccess(opens=VICTIM_READERS, beyond=404)
    template_name = "victims/victim_detail.html"
    context_object_name = "victim"
    tabs: ClassVar[tuple[Tab, ...]] = (
        Tab("overview", gettext_lazy("Overview"), "victims/tabs/overview.html"),
        Tab("referrals", gettext_lazy("Referrals and services"), "victims/tabs/referrals.html"),
    )

    def get_queryset(self) -> QuerySet[Victim]:
        return Victim.objects.visible_to(self.request.user).select_related("identified_in", "exploited_in_county")

    identity_tab = Tab("identity", gettext_lazy("Identity"), "victims/tabs/identity.html")

    def get_tabs(self) -> list[Tab]:
        tabs = list(self.tabs)
        if can_read_identity(self.request.user):
            tabs.append(self.identity_tab)
        return [*tabs, self.history_tab]

    def get_referrals_context(self) -> dict[str, Any]:
        services = ServiceDelivered.objects.order_by("delivered_on", "id")
        referrals = (
            Referral.objects.visible_to(self.request.user)
            .filter(victim=self.object)
            .select_related("provider")
            .prefetch_related(Prefetch("services", queryset=services))
            .order_by("-referred_on", "-id")
        )
        return {"referrals": list(referrals), "manages": manages_register(self.request.user)}

    def get_identity_context(self) -> dict[str, Any]:
        identity = VictimIdentity.objects.visible_to(self.request.user).filter(victim=self.object).first()
        problem = ""
        try:
            cipher()
        except VaultError as error:
            problem = error.message
        accesses = VictimIdentityAccess.objects.visible_to(self.request.user).filter(victim=self.object)
        return {
            "identity": identity,
            "vault_problem": problem,
            "accesses": list(accesses.select_related("accessed_by").order_by("-accessed_at", "-id")),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.object.code
        return context

    def get_overview_context(self) -> dict[str, Any]:
        links = CaseVictim.objects.visible_to(self.request.user).filter(victim=self.object)
        return {"links": list(links.select_related("case").order_by("case__reference"))}

    def get_history_records(self) -> list[Any]:  # type: ignore[override]
        pk = self.object.pk
        records: list[Any] = list(Victim.history.filter(id=pk).select_related("history_user"))
        cases = Case.objects.visible_to(self.request.user).values("pk")
        records.extend(CaseVictim.history.filter(victim_id=pk, case_id__in=cases).select_related("history_user"))
        # The identity's changes show as "changed", never their values (masked fields).
        records.extend(VictimIdentity.history.filter(victim_id=pk).select_related("history_user"))
        referral_ids = Referral.objects.visible_to(self.request.user).filter(victim_id=pk).values("pk")
        records.extend(Referral.history.filter(id__in=referral_ids).select_related("history_user"))
        records.extend(ServiceDelivered.history.filter(referral_id__in=referral_ids).select_related("history_user"))
        if can_read_identity(self.request.user):
            records.extend(VictimIdentityAccess.history.filter(victim_id=pk).select_related("history_user"))
        return records


class IdentifyVictimView(ServiceFormView):
    """Identify a victim (the victim services officer): no case needed."""

    allowed_roles = REGISTER_MANAGERS
    page_access = PageAccess(opens=REGISTER_MANAGERS)
    form_class = IdentifyVictimForm
    title = gettext_lazy("Identify a victim")

    def get_cancel_url(self) -> str:
        return reverse("victims:victim_list")

    def get_success_message(self, result: Victim) -> str:
        return _("Victim %(code)s recorded.") % {"code": result.code}

    def get_success_url_for(self, result: Victim) -> str:
        return result.get_absolute_url()


class LinkCaseView(RecordFormView):
    """Link a victim from the register to a case (a prosecutor who may change the case, or the unit head)."""

    allowed_roles = CASE_WRITERS
    page_access = PageAccess(opens=CASE_WRITERS, everywhere=EVERY_CASE_WRITERS, beyond=403)
    record_kwarg = "case_pk"
    form_class = LinkCaseForm
    title = gettext_lazy("Link a victim to the case")

    @property
    def case(self) -> Case:
        case: Case = self.record
        return case

    def get_record_queryset(self) -> QuerySet[Case]:
        return Case.objects.visible_to(self.request.user)

    def permitted(self, record: Case) -> bool:
        return can_edit_case(self.request.user, record)

    def get_version_parts(self) -> list[Versioned]:
        return [
            Versioned.of(self.case, noun=_("case %(reference)s") % {"reference": self.case.reference}, watch={"stage"})
        ]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "case": self.case}

    def get_title(self) -> str:
        return _("%(title)s — %(code)s") % {"title": self.title, "code": self.case.reference}

    def get_cancel_url(self) -> str:
        return self.case.get_absolute_url() + "?tab=victims"

    def get_success_message(self, result: CaseVictim) -> str:
        return _("%(code)s linked to %(case)s (%(role)s).") % {
            "code": result.victim.code,
            "case": self.case.reference,
            "role": result.get_role_display(),
        }

    def get_success_url_for(self, result: CaseVictim) -> str:
        return self.get_cancel_url()


# --- The vault (the victim services officer only) -----------------------------------------------

NO_STORE = "no-store, no-cache, must-revalidate, max-age=0, private"
VAULT_PAGE = PageAccess(opens=REGISTER_MANAGERS)


def no_store(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = NO_STORE
    response["Pragma"] = "no-cache"
    return response


class VictimVaultView(RecordFormView):
    """A vault form on one victim: the victim services officer only."""

    allowed_roles = REGISTER_MANAGERS
    page_access = VAULT_PAGE

    @property
    def victim(self) -> Victim:
        victim: Victim = self.record
        return victim

    def get_record_queryset(self) -> QuerySet[Any]:
        return Victim.objects.visible_to(self.request.user)

    def permitted(self, record: Any) -> bool:
        return can_read_identity(self.request.user)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "victim": self.victim}

    def get_title(self) -> str:
        return _("%(title)s — %(code)s") % {"title": self.title, "code": self.victim.code}

    def victim_url(self) -> str:
        return reverse("victims:victim_detail", args=[self.victim.pk]) + "?tab=identity"

    def get_cancel_url(self) -> str:
        return self.victim_url()

    def get_success_url_for(self, result: Any) -> str:
        return self.victim_url()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return no_store(super().dispatch(request, *args, **kwargs))


class VictimIdentityView(VictimVaultView):
    """Enter or correct a victim's name and contact details."""

    form_class = VictimIdentityForm
    title = gettext_lazy("Name and contact details")
    success_message = gettext_lazy("Identity saved (encrypted).")

    def get_version_parts(self) -> list[Versioned]:
        identity = VictimIdentity.objects.visible_to(self.request.user).filter(victim=self.victim).first()
        noun = _("the identity of %(code)s") % {"code": self.victim.code}
        return [Versioned.maybe(VictimIdentity, identity, noun=noun, where={"victim_id": self.victim.pk})]


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class VictimRevealView(VictimVaultView):
    """Reveal a victim's identity: the officer states a purpose, the reading is recorded, then the values
    show on this response only — never stored in the session or messages, never cached."""

    form_class = RevealForm
    title = gettext_lazy("Reveal the identity")
    versioned = False  # records a reading, changes nothing

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            revealed = form.save(self.request.user)  # type: ignore[attr-defined]
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        return render(
            self.request,
            "victims/reveal.html",
            {
                "victim": self.victim,
                "revealed": revealed,
                "title": _("Identity of %(code)s") % {"code": self.victim.code},
            },
        )


# --- Providers and referrals (the victim services officer) ---------------------------------------

REGISTER_PAGE = PageAccess(opens=REGISTER_MANAGERS)


class ProviderListView(FilteredListView):
    """The register of service providers (CTIP s.15)."""

    allowed_roles = VICTIM_READERS
    page_access = PageAccess(opens=VICTIM_READERS)
    filterset_class = ProviderFilter
    columns = PROVIDER_COLUMNS
    title = gettext_lazy("Service providers")
    export_name = "service-providers"

    def get_base_queryset(self) -> QuerySet[Any]:
        return ServiceProvider.objects.visible_to(self.request.user).select_related("county").order_by("name")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if manages_register(self.request.user):
            context.update(create_url=reverse("victims:provider_create"), create_label=_("Add a provider"))
        return context


class ProviderCreateView(ServiceFormView):
    allowed_roles = REGISTER_MANAGERS
    page_access = REGISTER_PAGE
    form_class = ProviderForm
    title = gettext_lazy("Add a service provider")

    def get_cancel_url(self) -> str:
        return reverse("victims:provider_list")

    def get_success_message(self, result: ServiceProvider) -> str:
        return _("%(name)s added.") % {"name": result.name}

    def get_success_url_for(self, result: ServiceProvider) -> str:
        return reverse("victims:provider_list")


class ReferView(VictimVaultView):
    """Refer the victim to a provider (the victim services officer)."""

    form_class = ReferralForm
    title = gettext_lazy("Refer to a service provider")

    def get_version_parts(self) -> list[Versioned]:
        return [
            Versioned.of(
                self.victim, noun=_("victim %(code)s") % {"code": self.victim.code}, watch={"referred_to_services"}
            )
        ]

    def victim_url(self) -> str:
        return reverse("victims:victim_detail", args=[self.victim.pk]) + "?tab=referrals"

    def get_success_message(self, result: Referral) -> str:
        return _("%(reference)s: %(code)s referred to %(provider)s.") % {
            "reference": result.reference,
            "code": self.victim.code,
            "provider": result.provider.name,
        }


class ReferralFormView(RecordFormView):
    """A form on one referral: the victim services officer only."""

    allowed_roles = REGISTER_MANAGERS
    page_access = REGISTER_PAGE

    @property
    def referral(self) -> Referral:
        referral: Referral = self.record
        return referral

    def get_record_queryset(self) -> QuerySet[Any]:
        return Referral.objects.visible_to(self.request.user).select_related("victim", "provider")

    def permitted(self, record: Any) -> bool:
        return manages_register(self.request.user)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "referral": self.referral}

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.referral, noun=_("referral %(reference)s") % {"reference": self.referral.reference})]

    def get_title(self) -> str:
        return _("%(title)s — %(reference)s (%(code)s)") % {
            "title": self.title,
            "reference": self.referral.reference,
            "code": self.referral.victim.code,
        }

    def get_cancel_url(self) -> str:
        return self.referral.get_absolute_url()

    def get_success_url_for(self, result: Any) -> str:
        return self.referral.get_absolute_url()


class MoveReferralView(ReferralFormView):
    form_class = MoveReferralForm
    title = gettext_lazy("Move the referral on")
    success_message = gettext_lazy("Referral updated.")


class RecordServiceView(ReferralFormView):
    form_class = ServiceForm
    title = gettext_lazy("Record a service delivered")
    success_message = gettext_lazy("Service recorded.")
