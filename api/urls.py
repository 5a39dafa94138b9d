"""The API's URL map, versioned under /api/v1/. (The schema and its viewers are in config/urls.py.)"""

from django.urls import include, path, re_path

from api.views.fallback import ApiNotFoundView

app_name = "api"

urlpatterns = [
    path("v1/", include("api.urls_prosecutions")),
    path("v1/", include("api.urls_money")),
    # Last: whatever did not match above is a JSON 404, not the site's HTML page.
    re_path(r"^.*$", ApiNotFoundView.as_view()),
]
