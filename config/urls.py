"""URL map: each app owns its own ``urls.py`` under a namespace."""

from django.contrib import admin
from django.urls import include, path

from api.views import docs as api_docs
from core.views import auth
from jobs import views as jobs_views
from prosecutions.urls import feed_urlpatterns

urlpatterns = [
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    path("cases/", include("prosecutions.urls")),
    path("assets/", include("assets.urls")),
    path("fund/", include("trustfund.urls")),
    path("witnesses/", include("witnesses.urls")),
    path("victims/", include("victims.urls")),
    path("documents/", include("documents.urls")),
    path("calendar/", include(feed_urlpatterns)),
    path("jobs/", include("jobs.urls")),
    path("health/", jobs_views.health, name="health"),
    path("notifications/", include("notifications.urls")),
    path("network/", include("network.urls")),
    path("api/schema/", api_docs.SchemaView.as_view(), name="api-schema"),
    path("api/docs/", api_docs.SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", api_docs.RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/", include("api.urls")),
    path("imports/", include("imports.urls")),
]

handler403 = "core.views.errors.permission_denied"
handler404 = "core.views.errors.page_not_found"
handler500 = "core.views.errors.server_error"
