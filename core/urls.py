from django.urls import path

from core.views import (
    access_admin,
    audit,
    auth,
    favicon,
    home,
    language,
    profile,
    reference,
    reports,
    search,
    twofactor,
    verify,
)

app_name = "core"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("language/", language.set_language, name="set_language"),
    path("accounts/unlock/", auth.UnlockView.as_view(), name="unlock"),
    path("accounts/profile/", profile.ProfileView.as_view(), name="profile"),
    path("accounts/two-factor/", twofactor.TwoFactorView.as_view(), name="two_factor"),
    path("accounts/two-factor/code/", twofactor.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("accounts/two-factor/enrol/", twofactor.TwoFactorEnrolView.as_view(), name="two_factor_enrol"),
    path("counties/", reference.CountyListView.as_view(), name="county_list"),
    path("audit/", audit.AuditLogView.as_view(), name="audit_log"),
    path("audit/verify/", verify.AuditVerifyView.as_view(), name="audit_verify"),
    path("reports/", reports.ReportIndexView.as_view(), name="report_index"),
    path("access/", access_admin.UserListView.as_view(), name="user_list"),
    path("access/people/<int:pk>/", access_admin.UserDetailView.as_view(), name="user_detail"),
    path("access/grants/", access_admin.GrantListView.as_view(), name="grant_list"),
    path("access/grants/new/", access_admin.GrantRequestView.as_view(), name="grant_request"),
    path("access/grants/<int:pk>/", access_admin.GrantDetailView.as_view(), name="grant_detail"),
    path("access/grants/<int:pk>/approve/", access_admin.GrantApproveView.as_view(), name="grant_approve"),
    path("access/grants/<int:pk>/reject/", access_admin.GrantRejectView.as_view(), name="grant_reject"),
    path("access/grants/<int:pk>/revoke/", access_admin.GrantRevokeView.as_view(), name="grant_revoke"),
]
