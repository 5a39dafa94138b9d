"""API routes for assets, the trust fund, reports and the audit log."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
