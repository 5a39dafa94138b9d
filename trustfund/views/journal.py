"""The journal (entries, one entry, reversing it) and the account balances with the trial balance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet, Sum
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import PageAccess
from core.history import history_entries
from core.versioning import Versioned
from core.views.generic import FilteredListView, RecordFormView, Tab, TabbedDetailView
from trustfund import ledger
from trustfund.access import FUND_ADMINS, FUND_READERS, can_administer
from trustfund.filters import AccountBalanceFilter, EntryFilter
from trustfund.forms import ReverseForm
from trustfund.models import Account, JournalEntry
from trustfund.queries import history_with_lines, lines_with_totals
from trustfund.tables import ACCOUNT_COLUMNS, ENTRY_COLUMNS


class EntryListView(FilteredListView):
    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    filterset_class = EntryFilter
    columns = ENTRY_COLUMNS
    title = gettext_lazy("Journal")
    export_name = "fund-journal"

    def get_base_queryset(self) -> QuerySet[JournalEntry]:
        return (
            JournalEntry.objects.visible_to(self.request.user)
            .select_related("reverses", "posted_by")
            .annotate(total=Sum("lines__debit"), reversal_reference=F("reversed_by__reference"))
            .order_by("-entry_date", "-id")
        )


class EntryDetailView(TabbedDetailView):
    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    template_name = "trustfund/entry_detail.html"
    tabs = (Tab("lines", gettext_lazy("Lines"), "trustfund/tabs/entry_lines.html"),)

    def get_queryset(self) -> QuerySet[JournalEntry]:
        return JournalEntry.objects.visible_to(self.request.user).select_related("reverses", "reversed_by", "posted_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entry: JournalEntry = self.object
        reversed_by = getattr(entry, "reversed_by", None)  # selected with the entry; None when not reversed
        context.update(
            reversed_by=reversed_by,
            can_reverse=can_administer(self.request.user) and reversed_by is None and entry.reverses_id is None,
        )
        return context

    def get_lines_context(self) -> dict[str, Any]:
        return lines_with_totals(self.object.lines.all())

    def get_history_records(self) -> Any:
        return history_with_lines(self.object, "entry_id")

    def get_tab_context(self, tab: Tab) -> dict[str, Any]:
        if tab.slug == "history":
            return {"history": history_entries(self.get_history_records())}
        return super().get_tab_context(tab)


class EntryReverseView(RecordFormView):
    allowed_roles = FUND_ADMINS
    page_access = PageAccess(opens=FUND_ADMINS)
    form_class = ReverseForm
    title = gettext_lazy("Reverse the entry")
    success_message = gettext_lazy("Reversing entry posted.")
    record: JournalEntry

    def get_record_queryset(self) -> QuerySet[JournalEntry]:
        return JournalEntry.objects.visible_to(self.request.user)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "entry": self.record}

    def lock_record(self) -> None:
        # As the reversal service does: the bank account first, then the entry.
        ledger.lock_bank()
        super().lock_record()

    def get_version_parts(self) -> list[Versioned]:
        """A posted entry never changes; what changes under the form is its reversal, once posted."""
        entry = self.record
        reversal = JournalEntry.objects.visible_to(self.request.user).filter(reverses=entry).first()
        noun = _("the reversal of %(reference)s") % {"reference": entry.reference}
        return [
            Versioned.of(entry, noun=_("entry %(reference)s") % {"reference": entry.reference}),
            Versioned.maybe(JournalEntry, reversal, noun=noun, where={"reverses_id": entry.pk}),
        ]

    def get_title(self) -> str:
        return _("Reverse %(reference)s — %(description)s") % {
            "reference": self.record.reference,
            "description": self.record.description,
        }

    def get_cancel_url(self) -> str:
        return self.record.get_absolute_url()


class AccountBalanceView(FilteredListView):
    """Account balances and the trial balance as at a date (end of day); the totals row must agree."""

    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    filterset_class = AccountBalanceFilter
    columns = ACCOUNT_COLUMNS
    title = gettext_lazy("Account balances and trial balance")
    export_name = "fund-trial-balance"
    template_name = "trustfund/balances.html"
    paginate_by = 100

    def as_at(self) -> dt.date | None:
        """The ``as_at`` date asked for; None when none was, or when it is not a date."""
        try:
            return parse_date(self.request.GET.get("as_at", "") or "") if self.request.GET.get("as_at") else None
        except ValueError:
            return None

    def get_base_queryset(self) -> QuerySet[Account]:
        accounts = Account.objects.visible_to(self.request.user)
        return ledger.accounts_with_totals(self.as_at(), accounts=accounts)

    def get_title(self) -> str:
        as_at = self.as_at()
        return (
            (_("%(title)s as at %(as_at)s") % {"title": self.title, "as_at": date_format(as_at, "d M Y")})
            if as_at
            else (_("%(title)s (all postings)") % {"title": self.title})
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        context["total_debit"] = sum((max(r.total_debit - r.total_credit, 0) for r in rows), ledger.ZERO)
        context["total_credit"] = sum((max(r.total_credit - r.total_debit, 0) for r in rows), ledger.ZERO)
        return context
