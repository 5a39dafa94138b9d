"""The queue of background tasks is not browsed in the admin: django-tasks-db registers an admin for its task
results that could edit or delete them, and the Scheduled jobs page (jobs.views) shows what the unit head and
auditors need. Imported by the admin's autodiscovery after django_tasks_db's own admin module."""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
