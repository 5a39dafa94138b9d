from django.urls import path

from witnesses import views

app_name = "witnesses"

urlpatterns = [
    path("", views.WitnessListView.as_view(), name="witness_list"),
    path("case/<int:case_pk>/add/", views.AddWitnessView.as_view(), name="witness_add"),
    path("<int:pk>/", views.WitnessDetailView.as_view(), name="witness_detail"),
    path("<int:pk>/request-protection/", views.RequestProtectionView.as_view(), name="witness_request"),
    path("<int:pk>/flag/", views.FlagView.as_view(), name="witness_flag"),
    path("<int:pk>/decision/", views.DecisionView.as_view(), name="witness_decide"),
    path("<int:pk>/measures/new/", views.MeasureCreateView.as_view(), name="measure_create"),
    path("measures/<int:pk>/end/", views.EndMeasureView.as_view(), name="measure_end"),
    path("<int:pk>/identity/", views.IdentityView.as_view(), name="identity_edit"),
    path("<int:pk>/identity/reveal/", views.RevealView.as_view(), name="identity_reveal"),
]
