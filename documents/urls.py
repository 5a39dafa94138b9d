"""The documents pages, one set per registered kind of record (``documents:case_upload``,
``documents:disbursement_download`` …): each kind answers with its own access."""

from django.urls import URLPattern, path

from documents import views
from documents.registry import record_kinds

app_name = "documents"


def _patterns() -> list[URLPattern]:
    found: list[URLPattern] = []
    for kind in sorted(record_kinds(), key=lambda k: k.slug):
        slug = kind.slug
        found += [
            path(f"{slug}/<int:pk>/attach/", views.UploadView.as_view(kind_slug=slug), name=f"{slug}_upload"),
            path(f"{slug}/document/<int:pk>/", views.DocumentDetailView.as_view(kind_slug=slug), name=f"{slug}_detail"),
            path(
                f"{slug}/document/<int:pk>/download/",
                views.DownloadView.as_view(kind_slug=slug),
                name=f"{slug}_download",
            ),
            path(
                f"{slug}/document/<int:pk>/new-version/",
                views.SupersedeView.as_view(kind_slug=slug),
                name=f"{slug}_supersede",
            ),
            path(
                f"{slug}/document/<int:pk>/withdraw/",
                views.WithdrawView.as_view(kind_slug=slug),
                name=f"{slug}_withdraw",
            ),
        ]
    return found


urlpatterns = _patterns()
