"""Every model's and every field's label reads in Kiswahili (issue 19): the names history pages, the audit log,
filters and tables show for a record type ("Stage change") or a changed field ("Police station").

Each label is marked for translation, has a Kiswahili translation of its own in the tracker's catalogues (not
one borrowed from a Django catalogue that happens to hold the same English) and, like the English, starts
lower-case (Django capitalises it where it begins a heading or a cell)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from core.models import User
from core.translations import MARKED_APPS, catalogue_files, compile_catalogues
from prosecutions import services
from tests.prosecutions.factories import charged_case

# Labels that read the same in both languages (reviewed; keep it short).
SAME_IN_BOTH = frozenset(
    {
        "SHA-256",  # the name of a hash algorithm, as written
    }
)

# The fields a user inherits from Django's own user model: Django's catalogue translates their labels.
DJANGO_USER_FIELDS = frozenset(f.name for f in [*AbstractUser._meta.fields, *AbstractUser._meta.many_to_many])


@pytest.fixture(scope="module", autouse=True)
def _catalogues_compiled() -> None:
    """The .mo files are not committed: compile them (pure Python) before reading anything in Kiswahili."""
    compile_catalogues()


def tracked_models() -> Iterator[type[models.Model]]:
    """The models of the apps marked complete, without the history tables django-simple-history generates
    (those are named after their model and never shown by name)."""
    for app_label in MARKED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if not hasattr(model, "instance_type"):
                yield model


def labels() -> Iterator[tuple[str, Any, bool]]:
    """(where, label, the tracker's own) for every model's names and every concrete or many-to-many field."""
    for model in tracked_models():
        meta = model._meta
        yield f"{meta.label} (name)", meta.verbose_name, True
        yield f"{meta.label} (plural name)", meta.verbose_name_plural, True
        for field in [*meta.concrete_fields, *meta.many_to_many]:
            if field.auto_created and field.primary_key:
                continue  # the "ID" Django adds: never shown
            own = not (issubclass(model, AbstractUser) and field.name in DJANGO_USER_FIELDS)
            yield f"{meta.label}.{field.name}", field.verbose_name, own


def english(label: Any) -> str:
    with translation.override("en"):
        return str(label)


def kiswahili(label: Any) -> str:
    with translation.override("sw"):
        return str(label)


def tracker_translations() -> dict[str, str]:
    """English → Kiswahili, from the Kiswahili catalogues of the apps marked complete (no context, no plural)."""
    found: dict[str, str] = {}
    for po in catalogue_files():
        parts = po.relative_to(settings.BASE_DIR).parts
        if po.parent.parent.name != "sw" or parts[0] not in MARKED_APPS:
            continue
        with po.open("rb") as source:
            for message in read_po(source):
                if isinstance(message.id, str) and message.id and not message.context and message.string:
                    found.setdefault(message.id, str(message.string))
    return found


def test_every_model_and_field_label_is_marked_for_translation() -> None:
    unmarked = [f"{where}: {label!r}" for where, label, _own in labels() if not isinstance(label, Promise)]
    assert not unmarked, "labels not marked with gettext_lazy:\n" + "\n".join(unmarked)


def test_every_model_names_its_plural_itself() -> None:
    """Left to itself Django adds an "s" to the translated name: "tukio la kuingias"."""
    implicit = [
        model._meta.label for model in tracked_models() if "verbose_name_plural" not in model._meta.original_attrs
    ]
    assert not implicit, "models without a verbose_name_plural:\n" + "\n".join(implicit)


def test_every_label_reads_in_kiswahili() -> None:
    untranslated = [
        f"{where}: {english(label)!r}"
        for where, label, _own in labels()
        if kiswahili(label) == english(label) and english(label) not in SAME_IN_BOTH
    ]
    assert not untranslated, "labels still in English under Kiswahili:\n" + "\n".join(untranslated)


def test_every_label_shows_the_trackers_own_kiswahili_starting_lower_case() -> None:
    """A Django catalogue listed before the tracker's apps wins for the same English ("object id" would read
    "Kitambulisho cha kitu"); and a label begins lower-case in both languages, as Django expects."""
    ours = tracker_translations()
    problems = []
    for where, label, own in labels():
        source, shown = english(label), kiswahili(label)
        if own and source not in SAME_IN_BOTH and shown != ours.get(source):
            problems.append(f"{where}: {source!r} shows {shown!r}, the catalogues say {ours.get(source)!r}")
        if source[:1].islower() and not shown[:1].islower():
            problems.append(f"{where}: {source!r} → {shown!r} does not start lower-case")
    assert not problems, "\n".join(problems)


# --- the labels on the pages ----------------------------------------------------------------------------


def in_swahili(client: Client, url: str) -> str:
    """The page at ``url`` as a browser asking for Kiswahili gets it."""
    with translation.override("sw"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="sw")
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


@pytest.fixture
def edited_case(prosecutor: User) -> Any:
    """A case at pre-trial whose police station and forms of exploitation were then changed."""
    case = charged_case(prosecutor)
    services.update_case_details(
        case,
        prosecutor,
        reason="OB transferred to Kilimani",
        police_station="Kilimani Police Station",
        exploitation_types=["forced_labour"],
    )
    return case


def test_a_case_history_names_the_changed_fields_and_the_record_in_kiswahili(
    client: Client, prosecutor: User, edited_case: Any
) -> None:
    client.force_login(prosecutor)
    page = in_swahili(client, reverse("prosecutions:case_detail", args=[edited_case.pk]) + "?tab=history")
    assert "<td>Kituo cha polisi</td>" in page and "<td>Aina za unyonyaji</td>" in page
    assert "Police station" not in page and "Exploitation types" not in page
    assert "<td>Kilimani Police Station</td>" in page  # the value itself stays as recorded
    with translation.override("sw"):
        assert f"Kesi: {edited_case}" in page  # the record, named by its model's Kiswahili name
    assert "Case: " not in page


def test_the_audit_log_names_record_types_and_changed_fields_in_kiswahili(
    client: Client, auditor: User, edited_case: Any
) -> None:
    client.force_login(auditor)
    with translation.override("sw"):
        response = client.get(
            reverse("core:audit_log"), {"record_type": "prosecutions.stagechange"}, HTTP_ACCEPT_LANGUAGE="sw"
        )
        lines = response.context["object_list"]
        assert lines and {line.record_type_label for line in lines} == {"Mabadiliko ya hatua"}
        page = response.content.decode()
        # The filter offers the record types by their Kiswahili names. (The "Record" column is text the audit
        # chain stored when the change was made, so it is not checked here.)
        assert re.search(r'<option value="prosecutions\.stagechange"[^>]*>Mabadiliko ya hatua \(', page)
        assert not re.search(r"<option [^>]*>Stage change", page)

        response = client.get(
            reverse("core:audit_log"), {"record_type": "prosecutions.case"}, HTTP_ACCEPT_LANGUAGE="sw"
        )
        changed = {change.field for line in response.context["object_list"] for change in line.changes}
    assert {"Kituo cha polisi", "Aina za unyonyaji"} <= changed
    assert not changed & {"Police station", "Exploitation types"}
