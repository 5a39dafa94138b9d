from django.urls import path

from core.views.reports import report_view
from trustfund.views import disbursements, home, journal, receipts, reconciliation, statements

app_name = "trustfund"

urlpatterns = [
    path("", home.FundHomeView.as_view(), name="home"),
    path("receipts/", receipts.ReceiptListView.as_view(), name="receipt_list"),
    path("receipts/new/", receipts.ReceiptCreateView.as_view(), name="receipt_create"),
    path("receipts/<int:pk>/", receipts.ReceiptDetailView.as_view(), name="receipt_detail"),
    path("disbursements/", disbursements.DisbursementListView.as_view(), name="disbursement_list"),
    path("disbursements/new/", disbursements.DisbursementCreateView.as_view(), name="disbursement_create"),
    path("disbursements/<int:pk>/", disbursements.DisbursementDetailView.as_view(), name="disbursement_detail"),
    path("disbursements/<int:pk>/approve/", disbursements.ApproveView.as_view(), name="disbursement_approve"),
    path("disbursements/<int:pk>/reject/", disbursements.RejectView.as_view(), name="disbursement_reject"),
    path("disbursements/<int:pk>/pay/", disbursements.PayView.as_view(), name="disbursement_pay"),
    path("disbursements/<int:pk>/cancel/", disbursements.CancelView.as_view(), name="disbursement_cancel"),
    path("journal/", journal.EntryListView.as_view(), name="entry_list"),
    path("journal/<int:pk>/", journal.EntryDetailView.as_view(), name="entry_detail"),
    path("journal/<int:pk>/reverse/", journal.EntryReverseView.as_view(), name="entry_reverse"),
    path("balances/", journal.AccountBalanceView.as_view(), name="balances"),
    path("bank/", statements.StatementListView.as_view(), name="statement_list"),
    path("bank/import/", statements.StatementImportView.as_view(), name="statement_import"),
    path("bank/lines/", statements.StatementLineListView.as_view(), name="line_list"),
    path("bank/<int:pk>/", statements.StatementLineListView.as_view(), name="statement_detail"),
    path("bank/lines/<int:pk>/match/", statements.LineMatchView.as_view(), name="line_match"),
    path("bank/lines/<int:pk>/unmatch/", statements.LineUnmatchView.as_view(), name="line_unmatch"),
    path("proceeds/", reconciliation.ProceedsListView.as_view(), name="proceeds"),
    path("reconcile/", reconciliation.ReconcileView.as_view(), name="reconcile"),
    path("reports/reconciliation/", report_view("fund_reconciliation"), name="reconciliation"),
    path("reports/statement/", report_view("fund_statement"), name="statement"),
]
