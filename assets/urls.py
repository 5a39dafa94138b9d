from django.urls import path

from assets import views
from core.views.reports import report_view

app_name = "assets"

urlpatterns = [
    path("", views.AssetListView.as_view(), name="asset_list"),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadline_list"),
    path("reports/recovery/", report_view("asset_recovery"), name="recovery"),
    path("case/<int:case_pk>/new/", views.SeizureCreateView.as_view(), name="asset_create"),
    path("<int:pk>/", views.AssetDetailView.as_view(), name="asset_detail"),
    path("<int:pk>/valuations/new/", views.ValuationCreateView.as_view(), name="valuation_create"),
    path("<int:pk>/orders/new/", views.CourtOrderCreateView.as_view(), name="order_create"),
    path("orders/<int:pk>/gazette/", views.GazettementView.as_view(), name="order_gazette"),
    path("<int:pk>/status/", views.StatusMoveView.as_view(), name="asset_move"),
    path("<int:pk>/realisation/new/", views.RealisationCreateView.as_view(), name="realisation_create"),
    path("<int:pk>/release/", views.ReleaseView.as_view(), name="asset_release"),
]
