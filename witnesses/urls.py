from django.urls import URLPattern

app_name = "witnesses"

urlpatterns: list[URLPattern] = []
