"""The background tasks of imports (django-tasks, database backend): run by ``manage.py run_worker``, which
``make run`` starts beside the server. Each runs in the uploader's language, so the preview's messages they
keep read in the language of the person who will act on them."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from core.translations import supported_language
from imports import runner
from imports.models import ImportBatch


def _uploaders_language(batch_pk: int) -> str:
    chosen = ImportBatch.objects.filter(pk=batch_pk).values_list("uploaded_by__language", flat=True).first()
    return supported_language(chosen or None)


@task()
def preview_batch(batch_pk: int) -> str:
    """Read an uploaded register and keep what each row will do."""
    with translation.override(_uploaders_language(batch_pk)):
        return runner.preview(batch_pk)


@task()
def import_batch(batch_pk: int) -> str:
    """Import a confirmed register: every row, or none."""
    with translation.override(_uploaders_language(batch_pk)):
        return runner.run_import(batch_pk)
