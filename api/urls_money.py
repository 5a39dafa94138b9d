"""API routes for assets, the trust fund, reports and the audit log."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from api.views import money_assets, money_audit, money_fund, money_reports

router = SimpleRouter()
router.register("assets", money_assets.AssetViewSet, basename="asset")
router.register("fund/receipts", money_fund.ReceiptViewSet, basename="fund-receipt")
router.register("fund/disbursements", money_fund.DisbursementViewSet, basename="fund-disbursement")

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "assets/deadlines/",
        money_assets.DeadlineViewSet.as_view({"get": "list"}),
        name="asset-deadlines",
    ),
    *router.urls,
    path("assets/<int:pk>/court-orders/", money_assets.CourtOrderCreateView.as_view(), name="asset-court-order"),
    path("assets/<int:pk>/realisation/", money_assets.RealisationCreateView.as_view(), name="asset-realisation"),
    path("fund/balances/", money_fund.BalancesView.as_view(), name="fund-balances"),
    path("fund/statement/", money_fund.FundStatementView.as_view(), name="fund-statement"),
    path("reports/", money_reports.ReportListView.as_view(), name="report-list"),
    path("reports/<str:key>/", money_reports.ReportFiguresView.as_view(), name="report-figures"),
    path("audit-log/", money_audit.AuditLogViewSet.as_view({"get": "list"}), name="audit-log"),
]
