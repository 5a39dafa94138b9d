from django.urls import path

from core.views.reports import report_view
from trustfund import views

app_name = "trustfund"

urlpatterns = [
    path("", views.FundHomeView.as_view(), name="home"),
    path("receipts/", views.ReceiptListView.as_view(), name="receipt_list"),
    path("receipts/new/", views.ReceiptCreateView.as_view(), name="receipt_create"),
    path("receipts/<int:pk>/", views.ReceiptDetailView.as_view(), name="receipt_detail"),
    path("disbursements/", views.DisbursementListView.as_view(), name="disbursement_list"),
    path("disbursements/new/", views.DisbursementCreateView.as_view(), name="disbursement_create"),
    path("disbursements/<int:pk>/", views.DisbursementDetailView.as_view(), name="disbursement_detail"),
    path("disbursements/<int:pk>/approve/", views.ApproveView.as_view(), name="disbursement_approve"),
    path("disbursements/<int:pk>/reject/", views.RejectView.as_view(), name="disbursement_reject"),
    path("disbursements/<int:pk>/pay/", views.PayView.as_view(), name="disbursement_pay"),
    path("disbursements/<int:pk>/cancel/", views.CancelView.as_view(), name="disbursement_cancel"),
    path("journal/", views.EntryListView.as_view(), name="entry_list"),
    path("journal/<int:pk>/", views.EntryDetailView.as_view(), name="entry_detail"),
    path("journal/<int:pk>/reverse/", views.EntryReverseView.as_view(), name="entry_reverse"),
    path("balances/", views.AccountBalanceView.as_view(), name="balances"),
    path("bank/", views.StatementListView.as_view(), name="statement_list"),
    path("bank/import/", views.StatementImportView.as_view(), name="statement_import"),
    path("bank/lines/", views.StatementLineListView.as_view(), name="line_list"),
    path("bank/<int:pk>/", views.StatementLineListView.as_view(), name="statement_detail"),
    path("bank/lines/<int:pk>/match/", views.LineMatchView.as_view(), name="line_match"),
    path("bank/lines/<int:pk>/unmatch/", views.LineUnmatchView.as_view(), name="line_unmatch"),
    path("proceeds/", views.ProceedsListView.as_view(), name="proceeds"),
    path("reconcile/", views.ReconcileView.as_view(), name="reconcile"),
    path("reports/reconciliation/", report_view("fund_reconciliation"), name="reconciliation"),
    path("reports/statement/", report_view("fund_statement"), name="statement"),
]
