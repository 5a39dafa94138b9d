from django.urls import path

from victims import views

app_name = "victims"

urlpatterns = [
    path("", views.VictimListView.as_view(), name="victim_list"),
    path("identify/", views.IdentifyVictimView.as_view(), name="victim_identify"),
    path("<int:pk>/", views.VictimDetailView.as_view(), name="victim_detail"),
    path("<int:pk>/identity/", views.VictimIdentityView.as_view(), name="identity_edit"),
    path("<int:pk>/identity/reveal/", views.VictimRevealView.as_view(), name="identity_reveal"),
    path("<int:pk>/refer/", views.ReferView.as_view(), name="refer"),
    path("referrals/<int:pk>/move/", views.MoveReferralView.as_view(), name="referral_move"),
    path("referrals/<int:pk>/service/", views.RecordServiceView.as_view(), name="service_record"),
    path("providers/", views.ProviderListView.as_view(), name="provider_list"),
    path("providers/new/", views.ProviderCreateView.as_view(), name="provider_create"),
    path("case/<int:case_pk>/link/", views.LinkCaseView.as_view(), name="link_case"),
]
