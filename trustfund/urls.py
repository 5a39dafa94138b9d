from django.urls import URLPattern

app_name = "trustfund"

urlpatterns: list[URLPattern] = []
