from django.urls import URLPattern, URLResolver, path

from imports import views

app_name = "imports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("batches/", views.BatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch_detail"),
    path("batches/<int:pk>/confirm/", views.ConfirmView.as_view(), name="batch_confirm"),
    path("batches/<int:pk>/cancel/", views.CancelView.as_view(), name="batch_cancel"),
    path("templates/<slug:kind>.xlsx", views.TemplateDownloadView.as_view(), name="template"),
]
