"""The trust fund in the Django admin: read-only, with history. Money moves only through the services."""

from __future__ import annotations

from django.contrib import admin

from core.admin_base import ReadOnlyHistoryAdmin
from trustfund.models import Account, BankStatement, Disbursement, JournalEntry, Receipt


@admin.register(Account)
class AccountAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "name", "account_type", "is_active")


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyHistoryAdmin):
    list_display = ("reference", "entry_date", "kind", "description")
    search_fields = ("reference", "document_reference")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyHistoryAdmin):
    list_display = ("reference", "received_on", "source", "amount", "payer")


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyHistoryAdmin):
    list_display = ("reference", "requested_on", "purpose", "amount", "status")


@admin.register(BankStatement)
class BankStatementAdmin(ReadOnlyHistoryAdmin):
    list_display = ("original_name", "period_start", "period_end", "line_count")
