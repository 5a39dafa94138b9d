from django.urls import path

from core.views import audit, home, reference, reports

app_name = "core"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("counties/", reference.CountyListView.as_view(), name="county_list"),
    path("audit/", audit.AuditLogView.as_view(), name="audit_log"),
    path("reports/", reports.ReportIndexView.as_view(), name="report_index"),
]
