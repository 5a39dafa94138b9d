from django.urls import path

from core.views import home, reference

app_name = "core"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("counties/", reference.CountyListView.as_view(), name="county_list"),
]
