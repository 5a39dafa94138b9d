"""Pages of the assets app: the register, the asset page, the deadline list and the service forms."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets.access import (
    ASSET_READERS,
    ASSET_WRITERS,
    ASSET_WRITERS_EVERYWHERE,
    DEADLINE_READERS,
    can_change_asset,
    can_record_seizure,
)
from assets.choices import AssetStatus, OrderType
from assets.deadlines import deadline_orders, latest_preservation_expiry, warning_days
from assets.filters import AssetFilter, DeadlineFilter
from assets.forms import (
    CourtOrderForm,
    GazettementForm,
    RealisationForm,
    ReleaseForm,
    SeizureForm,
    StatusMoveForm,
    ValuationForm,
)
from assets.models import Asset, AssetIdentifier, AssetStatusChange, CourtOrder, Realisation, Valuation
from assets.services import ALLOWED_MOVES, current_preservation_order
from assets.tables import ASSET_COLUMNS, DEADLINE_COLUMNS
from core import guards
from core.access import PageAccess
from core.history import history_entries
from core.querysets import require_scoped
from core.versioning import Versioned
from core.views.generic import FilteredListView, RecordFormView, Tab, TabbedDetailView
from documents.choices import ORDER_TYPES
from documents.queries import documents_by_record
from prosecutions.models import Case, Person

# A form on an asset (or a case, for a seizure): the unit head records on any; a prosecutor on the cases
# they lead or are on — another prosecutor sees the asset but may not record on it (403).
RECORD_ACCESS = PageAccess(opens=ASSET_WRITERS, everywhere=ASSET_WRITERS_EVERYWHERE, beyond=403)


class AssetListView(FilteredListView):
    """The asset register: every asset the user may see, filtered, with an Excel download."""

    allowed_roles = ASSET_READERS
    page_access = PageAccess(opens=ASSET_READERS)
    filterset_class = AssetFilter
    columns = ASSET_COLUMNS
    title = gettext_lazy("Asset register")
    export_name = "asset-register"

    def get_base_queryset(self) -> QuerySet[Any]:
        return (
            Asset.objects.visible_to(self.request.user)
            .select_related("case", "case__county", "owner")
            .annotate(preservation_expires_on=latest_preservation_expiry())
            .order_by("-seized_on", "-id")
        )


class DeadlineListView(FilteredListView):
    """Preservation orders expiring within N days, and expired ones with no forfeiture application."""

    allowed_roles = DEADLINE_READERS
    page_access = PageAccess(opens=DEADLINE_READERS)
    filterset_class = DeadlineFilter
    columns = DEADLINE_COLUMNS
    title = gettext_lazy("Preservation deadlines")
    export_name = "preservation-deadlines"

    def get_base_queryset(self) -> QuerySet[Any]:
        return deadline_orders(None).visible_to(self.request.user)

    def get_queryset(self) -> QuerySet[Any]:
        # The window applies even before the user touches the filters: N days by default.
        data = self.request.GET.copy()
        if not data.get("within"):
            data["within"] = str(warning_days())
        base = self.get_base_queryset()
        require_scoped(base, self.request.user)
        self.filterset = self.filterset_class(data, queryset=base, request=self.request)
        if not self.filterset.is_valid():
            empty: QuerySet[Any] = self.filterset.queryset.none()
            return empty
        filtered: QuerySet[Any] = self.filterset.qs
        return filtered

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Each order with its papers — the order and its gazette notice — to download at the deadline."""
        context = super().get_context_data(**kwargs)
        context["row_actions_template"] = "documents/_row_links.html"
        context["row_actions"] = documents_by_record(self.request.user, context["object_list"], ORDER_TYPES)
        return context


class AssetDetailView(TabbedDetailView):
    """One asset: overview, valuations, orders with their expiry countdown, realisation, timeline, history."""

    allowed_roles = ASSET_READERS
    page_access = PageAccess(opens=ASSET_READERS)
    template_name = "assets/asset_detail.html"
    tabs = (
        Tab("overview", gettext_lazy("Overview"), "assets/tabs/overview.html"),
        Tab("valuations", gettext_lazy("Valuations"), "assets/tabs/valuations.html"),
        Tab("orders", gettext_lazy("Court orders"), "assets/tabs/orders.html"),
        Tab("realisation", gettext_lazy("Realisation"), "assets/tabs/realisation.html"),
        Tab("timeline", gettext_lazy("Timeline"), "assets/tabs/timeline.html"),
    )

    def get_queryset(self) -> QuerySet[Asset]:
        return Asset.objects.visible_to(self.request.user).select_related(
            "case", "case__county", "case__lead_prosecutor", "owner"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        asset: Asset = self.object
        today = guards.today()
        preservation = current_preservation_order(asset)
        days_left = preservation.days_to_expiry(today) if preservation else None
        context.update(
            asset=asset,
            today=today,
            can_change=can_change_asset(self.request.user, asset),
            preservation=preservation,
            days_left=days_left,
            deadline_warning=(
                asset.status == AssetStatus.PRESERVED and days_left is not None and days_left <= warning_days()
            ),
            can_realise=asset.status == AssetStatus.FORFEITED,
            identifiers=list(AssetIdentifier.objects.visible_to(self.request.user).filter(asset=asset)),
            # The holder shows only to those who read the index of persons (fund roles read assets, not persons).
            holder_person=(
                Person.objects.visible_to(self.request.user).filter(pk=asset.holder_person_id).first()
                if asset.holder_person_id
                else None
            ),
            can_move=bool(ALLOWED_MOVES[asset.status] - {AssetStatus.TRANSFERRED}),
        )
        return context

    def get_overview_context(self) -> dict[str, Any]:
        return {}

    # The tabs read the asset's own records, through the asset the user was allowed to open.

    def get_valuations_context(self) -> dict[str, Any]:
        asset: Asset = self.object
        return {"valuations": list(asset.valuations.order_by("-valued_on", "-id"))}

    def get_orders_context(self) -> dict[str, Any]:
        asset: Asset = self.object
        today = guards.today()
        orders = list(asset.orders.select_related("court").order_by("-granted_on", "-id"))
        rows = [(order, order.days_to_expiry(today)) for order in orders]
        # Each order with its papers (the order itself, its gazette notice): one query for all of them.
        papers = documents_by_record(self.request.user, orders, ORDER_TYPES)
        return {"order_rows": rows, "preservation_type": OrderType.PRESERVATION, "order_papers": papers}

    def get_realisation_context(self) -> dict[str, Any]:
        return {"realisation": Realisation.objects.visible_to(self.request.user).filter(asset=self.object).first()}

    def get_timeline_context(self) -> dict[str, Any]:
        asset: Asset = self.object
        changes = asset.status_changes.select_related("changed_by", "order")
        return {"changes": list(changes.order_by("effective_on", "id"))}

    def get_tab_context(self, tab: Tab) -> dict[str, Any]:
        if tab.slug == "history":
            return {"history": history_entries(self.asset_history_records())}
        return super().get_tab_context(tab)

    def asset_history_records(self) -> list[Any]:
        """The asset's history and that of its valuations, orders, realisation and status changes."""
        pk = self.object.pk
        records: list[Any] = list(Asset.history.filter(id=pk).select_related("history_user"))
        for model in (Valuation, CourtOrder, Realisation, AssetStatusChange):
            records.extend(model.history.filter(asset_id=pk).select_related("history_user"))
        return records


# --------------------------------------------------------------------------------------------------
# Forms


class SeizureCreateView(RecordFormView):
    """Record a seizure on a case the user may change. The form depends on where the case stands (its
    stage: closed, reopened, moved on), not on its other details."""

    allowed_roles = ASSET_WRITERS
    page_access = RECORD_ACCESS
    record_kwarg = "case_pk"
    form_class = SeizureForm
    title = gettext_lazy("Record a seizure")
    success_message = gettext_lazy("Seizure recorded.")

    @property
    def case(self) -> Case:
        case: Case = self.record
        return case

    def get_record_queryset(self) -> QuerySet[Case]:
        return Case.objects.visible_to(self.request.user)

    def permitted(self, record: Case) -> bool:
        return can_record_seizure(self.request.user, record)

    def get_version_parts(self) -> list[Versioned]:
        return [
            Versioned.of(self.case, noun=_("case %(reference)s") % {"reference": self.case.reference}, watch={"stage"})
        ]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "case": self.case, "user": self.request.user}

    def get_title(self) -> str:
        return _("Record a seizure — %(case)s") % {"case": self.case.reference}

    def get_cancel_url(self) -> str:
        return self.case.get_absolute_url() + "?tab=assets"

    def get_success_message(self, result: Asset) -> str:
        return _("Seizure recorded as %(reference)s.") % {"reference": result.reference}


class AssetFormView(RecordFormView):
    """A form on one asset the user may change: out of sight → 404, out of reach → 403. It carries the
    asset's version: a status move, an order, a valuation or a sale recorded by someone else since the form
    was opened refuses it."""

    allowed_roles = ASSET_WRITERS
    page_access = RECORD_ACCESS
    tab: ClassVar[str] = "overview"

    @property
    def asset(self) -> Asset:
        asset: Asset = self.record
        return asset

    def get_record_queryset(self) -> QuerySet[Any]:
        return Asset.objects.visible_to(self.request.user).select_related("case")

    def permitted(self, record: Any) -> bool:
        return can_change_asset(self.request.user, self.asset)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "asset": self.asset}

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.asset, noun=_("asset %(reference)s") % {"reference": self.asset.reference})]

    def get_title(self) -> str:
        return _("%(title)s — %(reference)s %(description)s") % {
            "title": self.title,
            "reference": self.asset.reference,
            "description": self.asset.description,
        }

    def asset_url(self) -> str:
        return reverse("assets:asset_detail", args=[self.asset.pk]) + f"?tab={self.tab}"

    def get_cancel_url(self) -> str:
        return self.asset_url()

    def get_success_url_for(self, result: Any) -> str:
        return self.asset_url()


class ValuationCreateView(AssetFormView):
    page_access = RECORD_ACCESS
    form_class = ValuationForm
    title = gettext_lazy("Add a valuation")
    success_message = gettext_lazy("Valuation added.")
    tab = "valuations"


class CourtOrderCreateView(AssetFormView):
    page_access = RECORD_ACCESS
    form_class = CourtOrderForm
    title = gettext_lazy("Record a court order")
    tab = "orders"

    def get_success_message(self, result: CourtOrder) -> str:
        if result.expires_on:
            return _("%(order_type)s recorded; it expires on %(date)s.") % {
                "order_type": result.get_order_type_display(),
                "date": date_format(result.expires_on, "d M Y"),
            }
        return _("%(order_type)s recorded.") % {"order_type": result.get_order_type_display()}


class GazettementView(AssetFormView):
    """The gazettement of one court order: the record is the order, seen through its asset."""

    page_access = RECORD_ACCESS
    form_class = GazettementForm
    title = gettext_lazy("Record the gazettement")
    tab = "orders"

    @property
    def order(self) -> CourtOrder:
        order: CourtOrder = self.record
        return order

    @property
    def asset(self) -> Asset:
        return self.order.asset

    def get_record_queryset(self) -> QuerySet[Any]:
        return CourtOrder.objects.visible_to(self.request.user).select_related("asset__case")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("asset")
        return {**kwargs, "order": self.order}

    def get_version_parts(self) -> list[Versioned]:
        order = self.order
        noun = _("the %(order_type)s %(number)s on asset %(reference)s") % {
            "order_type": order.get_order_type_display().lower(),
            "number": order.order_number,
            "reference": self.asset.reference,
        }
        return [Versioned.of(order, noun=noun)]

    def get_success_message(self, result: CourtOrder) -> str:
        if result.order_type == OrderType.PRESERVATION:
            return _("Gazettement recorded; the order now expires on %(date)s.") % {
                "date": date_format(result.expires_on, "d M Y") if result.expires_on else ""
            }
        return _("Gazettement recorded.")


class StatusMoveView(AssetFormView):
    page_access = RECORD_ACCESS
    form_class = StatusMoveForm
    title = gettext_lazy("Change the status")
    success_message = gettext_lazy("Status changed.")
    tab = "timeline"


class RealisationCreateView(AssetFormView):
    page_access = RECORD_ACCESS
    form_class = RealisationForm
    title = gettext_lazy("Record the sale or conversion")
    success_message = gettext_lazy("Realisation recorded.")
    tab = "realisation"


class ReleaseView(AssetFormView):
    page_access = RECORD_ACCESS
    form_class = ReleaseForm
    title = gettext_lazy("Release to the owner")
    success_message = gettext_lazy("Asset released to its owner.")
    tab = "timeline"
