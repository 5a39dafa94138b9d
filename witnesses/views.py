"""Pages of the witnesses app: the register, the witness page, and the forms of the protection services
and the identity vault. No page but the liaison's reveal page ever shows an identity."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from django import forms
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.access import PageAccess
from core.exceptions import DomainError
from core.history import HistoryEntry, history_entries
from core.versioning import Versioned
from core.views.generic import FilteredListView, RecordFormView, Tab, TabbedDetailView
from prosecutions.models import Case
from witnesses import services
from witnesses.access import (
    LIAISONS,
    PROTECTION_REQUESTERS,
    PROTECTION_REQUESTERS_EVERYWHERE,
    WITNESS_ADDERS,
    WITNESS_ADDERS_EVERYWHERE,
    WITNESS_READERS,
    can_add_witness,
    can_manage_protection,
    can_read_identity,
    can_request_protection,
    is_liaison,
    sees_protection_details,
)
from witnesses.choices import MeasureCategory, MeasureStatus, ProtectionStatus
from witnesses.exceptions import VaultError
from witnesses.filters import WitnessFilter
from witnesses.forms import (
    AddWitnessForm,
    DecisionForm,
    EndMeasureForm,
    FlagForm,
    IdentityForm,
    MeasureForm,
    RequestProtectionForm,
    RevealForm,
)
from witnesses.models import (
    Appearance,
    Identity,
    IdentityAccess,
    ProtectionMeasure,
    ProtectionStatusChange,
    Witness,
)
from witnesses.tables import LIAISON_WITNESS_COLUMNS, WITNESS_COLUMNS
from witnesses.vault import cipher

NO_STORE = "no-store, no-cache, must-revalidate, max-age=0, private"

# The liaison's pages (protection and the vault): every witness, for a liaison only.
LIAISON_PAGE = PageAccess(opens=LIAISONS)


def no_store(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = NO_STORE
    response["Pragma"] = "no-cache"
    return response


class WitnessListView(FilteredListView):
    """The witness register: every witness for a liaison; the other readers, those on the cases they see
    (codes, roles and status only)."""

    allowed_roles = WITNESS_READERS
    page_access = PageAccess(opens=WITNESS_READERS)
    filterset_class = WitnessFilter
    columns = WITNESS_COLUMNS
    title = gettext_lazy("Witness register")
    export_name = "witness-register"

    def get_base_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        self.columns = LIAISON_WITNESS_COLUMNS if is_liaison(user) else WITNESS_COLUMNS  # type: ignore[misc]  # per user
        appearances = Appearance.objects.visible_to(user).select_related("case").order_by("case__reference", "id")
        return (
            Witness.objects.visible_to(user)
            .select_related("flagged_by")
            .prefetch_related(Prefetch("appearances", queryset=appearances, to_attr="visible_appearances"))
            .order_by("-id")
        )


@method_decorator(never_cache, name="dispatch")
class WitnessDetailView(TabbedDetailView):
    """One witness: cases and roles, protection history and measures, the identity panel (liaisons), history."""

    allowed_roles = WITNESS_READERS
    # The readers other than liaisons see the witnesses of the cases they can see — every case.
    page_access = PageAccess(opens=WITNESS_READERS)
    template_name = "witnesses/witness_detail.html"
    context_object_name = "witness"
    base_tabs: ClassVar[tuple[Tab, ...]] = (
        Tab("overview", gettext_lazy("Overview"), "witnesses/tabs/overview.html"),
        Tab("protection", gettext_lazy("Protection"), "witnesses/tabs/protection.html"),
    )
    identity_tab = Tab("identity", gettext_lazy("Identity"), "witnesses/tabs/identity.html")

    def get_queryset(self) -> QuerySet[Witness]:
        return Witness.objects.visible_to(self.request.user).select_related("victim", "flagged_by")

    def get_tabs(self) -> list[Tab]:
        tabs = list(self.base_tabs)
        if can_read_identity(self.request.user):
            tabs.append(self.identity_tab)
        return [*tabs, self.history_tab]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        witness: Witness = self.object
        context.update(
            title=witness.code,
            details=sees_protection_details(user),
            manages=can_manage_protection(user),
            can_request=witness.protection_status == ProtectionStatus.NONE and can_request_protection(user, witness),
            can_flag=witness.protection_status == ProtectionStatus.NONE and can_manage_protection(user),
            can_decide=can_manage_protection(user)
            and bool(services.ALLOWED_MOVES[witness.protection_status] & services.DECISION_MOVES),
            can_record_measure=can_manage_protection(user)
            and witness.protection_status
            not in (ProtectionStatus.NONE, ProtectionStatus.DECLINED, ProtectionStatus.TERMINATED),
        )
        return context

    def get_overview_context(self) -> dict[str, Any]:
        appearances = Appearance.objects.visible_to(self.request.user).filter(witness=self.object)
        return {"appearances": list(appearances.select_related("case").order_by("case__reference"))}

    def get_protection_context(self) -> dict[str, Any]:
        # Programme measures only for those who see the protection details (the measures' scope rule).
        measures = ProtectionMeasure.objects.visible_to(self.request.user).filter(witness=self.object)
        witness: Witness = self.object
        changes = witness.status_changes.select_related("changed_by")
        return {
            "changes": list(changes.order_by("effective_on", "id")),
            "measures": list(measures.select_related("case").order_by("category", "kind", "starts_on", "id")),
            "statuses": MeasureStatus,
        }

    def get_identity_context(self) -> dict[str, Any]:
        identity = Identity.objects.visible_to(self.request.user).filter(witness=self.object).first()
        problem = ""
        try:
            cipher()
        except VaultError as error:
            problem = error.message
        if identity is not None and not problem and not services.identity_readable(identity):
            problem = _("This identity cannot be decrypted with the configured keys (FIELD_ENCRYPTION_KEYS).")
        witness: Witness = self.object
        accesses = witness.identity_accesses.select_related("accessed_by")
        return {
            "identity": identity,
            "vault_problem": problem,
            "reveal_form": RevealForm(witness=self.object),
            "accesses": list(accesses.order_by("-accessed_at", "-id")),
        }

    def get_tab_context(self, tab: Tab) -> dict[str, Any]:
        if tab.slug == "history":
            entries = history_entries(self.witness_history_records())
            if not sees_protection_details(self.request.user):
                entries = [_without_protection_details(entry) for entry in entries]
            return {"history": entries}
        return super().get_tab_context(tab)

    def witness_history_records(self) -> list[Any]:
        """The witness's history and that of its appearances, moves, measures and identity (values never
        shown), plus identity readings for liaisons and auditors — one query per record type."""
        pk = self.object.pk
        user = self.request.user
        records: list[Any] = list(Witness.history.filter(id=pk).select_related("history_user"))
        appearance_cases = Appearance.objects.visible_to(user).filter(witness_id=pk).values("case_id")
        records.extend(
            Appearance.history.filter(witness_id=pk, case_id__in=appearance_cases).select_related("history_user")
        )
        if sees_protection_details(user):
            records.extend(ProtectionStatusChange.history.filter(witness_id=pk).select_related("history_user"))
        measures = ProtectionMeasure.history.filter(witness_id=pk)
        if not sees_protection_details(user):
            measures = measures.filter(category=MeasureCategory.COURT)
        records.extend(measures.select_related("history_user"))
        records.extend(Identity.history.filter(witness_id=pk).select_related("history_user"))
        if sees_protection_details(user):
            records.extend(IdentityAccess.history.filter(witness_id=pk).select_related("history_user"))
        return records


#: The witness fields that say why and how much a witness is at risk: shown on the Protection tab to
#: liaisons and auditors only, so their History tab hides them from everyone else too.
PROTECTION_DETAIL_FIELDS = ("flag_reason", "risk_level")


def protection_detail_labels() -> frozenset[str]:
    """The labels of those fields as the History tab prints them — in the reader's language, so computed
    per request (a set built at import would hold the English labels and let the Kiswahili ones through)."""
    fields = [Witness._meta.get_field(name) for name in PROTECTION_DETAIL_FIELDS]
    return frozenset(capfirst(str(field.verbose_name)) for field in fields if isinstance(field, models.Field))


def _without_protection_details(entry: HistoryEntry) -> HistoryEntry:
    """A history entry without the flag reason, risk level and the reason typed for the change."""
    hidden = protection_detail_labels()
    changes = [change for change in entry.changes if change.field not in hidden]
    return replace(entry, reason="", changes=changes)


# --------------------------------------------------------------------------------------------------
# Forms


class AddWitnessView(RecordFormView):
    """Put a witness on a case's witness list (a prosecutor who may change the case, or a liaison)."""

    allowed_roles = WITNESS_ADDERS
    # A prosecutor not on the case sees it but may not add to it (403).
    page_access = PageAccess(opens=WITNESS_ADDERS, everywhere=WITNESS_ADDERS_EVERYWHERE, beyond=403)
    record_kwarg = "case_pk"
    form_class = AddWitnessForm
    title = gettext_lazy("Add a witness")

    @property
    def case(self) -> Case:
        case: Case = self.record
        return case

    def get_record_queryset(self) -> QuerySet[Case]:
        return Case.objects.visible_to(self.request.user)

    def permitted(self, record: Case) -> bool:
        return can_add_witness(self.request.user, record)

    def get_version_parts(self) -> list[Versioned]:
        # Adding to the witness list depends on where the case stands (closed, reopened), not its details.
        return [
            Versioned.of(self.case, noun=_("case %(reference)s") % {"reference": self.case.reference}, watch={"stage"})
        ]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "case": self.case}

    def get_title(self) -> str:
        return _("Add a witness — %(case)s") % {"case": self.case.reference}

    def get_cancel_url(self) -> str:
        return self.case.get_absolute_url() + "?tab=witnesses"

    def get_success_message(self, result: Appearance) -> str:
        return _("%(code)s added to the witness list.") % {"code": result.witness.code}

    def get_success_url_for(self, result: Any) -> str:
        return self.get_cancel_url()


class WitnessFormView(RecordFormView):
    """A form on one witness the user can see: out of sight → 404, out of reach → 403."""

    allowed_roles = LIAISONS
    page_access = LIAISON_PAGE
    tab: ClassVar[str] = "protection"

    @property
    def witness(self) -> Witness:
        witness: Witness = self.record
        return witness

    def get_record_queryset(self) -> QuerySet[Any]:
        return Witness.objects.visible_to(self.request.user)

    def permitted(self, record: Any) -> bool:
        return can_manage_protection(self.request.user)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "witness": self.witness}

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.witness, noun=self.witness_noun())]

    def get_title(self) -> str:
        return _("%(title)s — %(code)s") % {"title": self.title, "code": self.witness.code}

    def witness_noun(self) -> str:
        return _("witness %(code)s") % {"code": self.witness.code}

    def witness_url(self) -> str:
        return reverse("witnesses:witness_detail", args=[self.witness.pk]) + f"?tab={self.tab}"

    def get_cancel_url(self) -> str:
        return self.witness_url()

    def get_success_url_for(self, result: Any) -> str:
        return self.witness_url()


class RequestProtectionView(WitnessFormView):
    allowed_roles = PROTECTION_REQUESTERS
    # A prosecutor not on the witness's cases sees the witness but may not ask (403).
    page_access = PageAccess(opens=PROTECTION_REQUESTERS, everywhere=PROTECTION_REQUESTERS_EVERYWHERE, beyond=403)
    form_class = RequestProtectionForm
    title = gettext_lazy("Request protection")
    success_message = gettext_lazy("Protection requested: the witness is flagged for the liaisons to assess.")

    def permitted(self, record: Witness) -> bool:
        return can_request_protection(self.request.user, record)

    def get_version_parts(self) -> list[Versioned]:
        # Only the protection status: the prosecutor asking may not see the risk level or the flag reason.
        return [Versioned.of(self.witness, noun=self.witness_noun(), watch={"protection_status"})]


class FlagView(WitnessFormView):
    page_access = LIAISON_PAGE
    form_class = FlagForm
    title = gettext_lazy("Flag for protection")
    success_message = gettext_lazy("Witness flagged for protection.")


class DecisionView(WitnessFormView):
    page_access = LIAISON_PAGE
    form_class = DecisionForm
    title = gettext_lazy("Protection decision")
    success_message = gettext_lazy("Protection status changed.")


class MeasureCreateView(WitnessFormView):
    page_access = LIAISON_PAGE
    form_class = MeasureForm
    title = gettext_lazy("Record a protection measure")
    success_message = gettext_lazy("Measure recorded.")


class EndMeasureView(WitnessFormView):
    page_access = LIAISON_PAGE
    form_class = EndMeasureForm
    title = gettext_lazy("End a protection measure")
    success_message = gettext_lazy("Measure ended.")

    @property
    def measure(self) -> ProtectionMeasure:
        measure: ProtectionMeasure = self.record
        return measure

    @property
    def witness(self) -> Witness:
        return self.measure.witness

    def get_record_queryset(self) -> QuerySet[Any]:
        return ProtectionMeasure.objects.visible_to(self.request.user).select_related("witness")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("witness")
        return {**kwargs, "measure": self.measure}

    def get_version_parts(self) -> list[Versioned]:
        measure = self.measure
        noun = _("the %(measure)s measure for %(code)s") % {
            "measure": measure.get_kind_display().lower(),
            "code": self.witness.code,
        }
        return [Versioned.of(measure, noun=noun)]


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class IdentityView(WitnessFormView):
    """Enter or correct the identity (liaisons). The form is never pre-filled with the stored values."""

    page_access = LIAISON_PAGE
    form_class = IdentityForm
    title = gettext_lazy("Identity")
    success_message = gettext_lazy("Identity saved (encrypted).")
    tab = "identity"

    def permitted(self, record: Witness) -> bool:
        return can_read_identity(self.request.user)

    def get_version_parts(self) -> list[Versioned]:
        """The identity on file, if any (entered or corrected only under the witness's lock). Its values
        are masked in history, so a refusal says only which details changed."""
        identity = Identity.objects.visible_to(self.request.user).filter(witness=self.witness).first()
        noun = _("the identity of %(code)s") % {"code": self.witness.code}
        return [Versioned.maybe(Identity, identity, noun=noun, where={"witness_id": self.witness.pk})]

    def get_title(self) -> str:
        on_file = Identity.objects.visible_to(self.request.user).filter(witness=self.witness).exists()
        if on_file:
            return _("Correct the identity — %(code)s") % {"code": self.witness.code}
        return _("Enter the identity — %(code)s") % {"code": self.witness.code}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return no_store(super().dispatch(request, *args, **kwargs))


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class RevealView(WitnessFormView):
    """Reveal an identity: the liaison states a purpose, the reading is recorded, then the values are shown
    on this response only — never stored in the session or messages, never cached."""

    page_access = LIAISON_PAGE
    form_class = RevealForm
    title = gettext_lazy("Reveal the identity")
    tab = "identity"
    versioned = False  # records a reading, changes nothing; also sent from the Identity tab's own form

    def permitted(self, record: Witness) -> bool:
        return can_read_identity(self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return no_store(super().dispatch(request, *args, **kwargs))

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            revealed = form.save(self.request.user)  # type: ignore[attr-defined]
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        return render(
            self.request,
            "witnesses/reveal.html",
            {
                "witness": self.witness,
                "revealed": revealed,
                "title": _("Identity of %(code)s") % {"code": self.witness.code},
            },
        )
