from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification_list"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("delivery/", views.DeliveryView.as_view(), name="delivery"),
]
