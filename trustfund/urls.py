from django.urls import path

from core.views.reports import report_view
from trustfund.views import (
    adjustments,
    books,
    disbursements,
    home,
    journal,
    money_trail,
    receipts,
    reconciliation,
    statements,
)

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
    # "Where the money went" (the victims register's referrals; views/money_trail.py)
    path("trail/case/<int:pk>/", money_trail.CaseMoneyTrailView.as_view(), name="money_trail_case"),
    path("trail/victim/<int:pk>/", money_trail.VictimMoneyTrailView.as_view(), name="money_trail_victim"),
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
    # Adjusting entries under four eyes (views/adjustments.py)
    path("adjustments/", adjustments.ProposalListView.as_view(), name="proposal_list"),
    path("adjustments/new/", adjustments.ProposalCreateView.as_view(), name="proposal_create"),
    path("adjustments/<int:pk>/", adjustments.ProposalDetailView.as_view(), name="proposal_detail"),
    path("adjustments/<int:pk>/post/", adjustments.ProposalPostView.as_view(), name="proposal_post"),
    path("adjustments/<int:pk>/reject/", adjustments.ProposalRejectView.as_view(), name="proposal_reject"),
    path("adjustments/<int:pk>/withdraw/", adjustments.ProposalWithdrawView.as_view(), name="proposal_withdraw"),
    # Month-end: reconciliation statements, sign-off, period close (views/books.py)
    path("month-end/", books.BooksView.as_view(), name="books"),
    path("month-end/statement/", books.ReconciliationStatementView.as_view(), name="reconciliation_statement"),
    path("month-end/<str:month>/sign-off/", books.MonthSignOffView.as_view(), name="month_sign_off"),
    path("month-end/<str:month>/close/", books.MonthCloseView.as_view(), name="month_close"),
    path("month-end/sign-offs/<int:pk>/reopen/", books.MonthReopenView.as_view(), name="month_reopen"),
    path("month-end/years/<str:year>/close/", books.YearCloseView.as_view(), name="year_close"),
    # Queues and lists the fund home links to
]
