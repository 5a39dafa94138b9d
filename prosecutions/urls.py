from django.urls import URLPattern

app_name = "prosecutions"

urlpatterns: list[URLPattern] = []
