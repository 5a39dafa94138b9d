from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.ScheduleView.as_view(), name="schedule"),
    path("exports/<uuid:token>/", views.ExportStatusView.as_view(), name="export_status"),
    path("exports/<uuid:token>/download/", views.ExportDownloadView.as_view(), name="export_download"),
]
