from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("persons-of-interest/", views.PersonsOfInterestView.as_view(), name="persons_of_interest"),
    path("person/<int:pk>/", views.PersonNetworkView.as_view(), name="person_network"),
    path("case/<int:pk>/", views.CaseNetworkView.as_view(), name="case_network"),
]
