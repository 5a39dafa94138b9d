"""The Django admin writes nothing of the tracker's records (issue 13, item 1).

django-simple-history's revert form saved any POST without asking for the change permission: a staff
user holding only ``assets.view_asset`` rewrote an asset through ``/admin/assets/asset/<id>/history/<hid>/``
and a superuser put a case back to another stage with no stage change and no reason. Every domain record
is now read-only in the admin for everyone (``core.admin_base``).

The walk below builds the list of admin URLs from ``admin.site._registry`` — every named URL of every
registered model (changelist, add, change, delete, history, the history version "revert" form, and any
URL a future admin adds), each for a real row and its oldest history row — and POSTs to each a form that
would have been valid for an editable admin (the row's own values, changed), as a staff user holding
every view permission and nothing else, and as a superuser. Nothing may change: every table of the
project (history and audit links included) keeps its rows and their values. Before the fix the walk
failed on every history "revert" URL for both users, and on the change pages of the reference data for
the superuser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, models, transaction
from django.forms.models import modelform_factory
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from assets import services as asset_services
from assets.models import Asset
from core.admin_base import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReferenceDataAdmin
from core.models import TrackedModel, User
from core.roles import Role
from notifications.choices import Event
from notifications.services import Message, notify
from prosecutions import services as prosecution_services
from prosecutions.models import Case
from tests.assets.factories import preserve, seize
from tests.factories import UserFactory
from tests.prosecutions.factories import charged_case, days_ago
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import realisation, receive, request
from tests.witnesses.factories import witness_on
from trustfund import statements

# Registered models a superuser may change in the admin, and why. Everything else registered is read-only
# for superusers too; and a staff user with view permissions only changes nothing at all, these included.
# Reference data (DESIGN §1: superusers keep it in the admin) is added and changed there, with history,
# but never deleted or reverted: only its add and change pages are left out of the superuser's walk.
REFERENCE_DATA: dict[str, str] = {
    "prosecutions.offence": "offences and their penalty versions",
    "prosecutions.court": "courts",
}
SUPERUSER_MAY_CHANGE: dict[str, str] = {
    "core.user": "accounts (names, e-mail, active) are administered here; roles are not (core.grants)",
    "axes.accessattempt": "an administrator lifts a lockout here (docs/operations.md)",
    "axes.accesslog": "django-axes' sign-in log, kept by the operator",
    "axes.accessfailurelog": "django-axes' failure log, kept by the operator",
    "otp_totp.totpdevice": "an administrator removes a lost authenticator here (never adds or edits one)",
    "otp_static.staticdevice": "an administrator removes lost recovery codes here (never adds or edits them)",
}

# Tables a request may change without anything being written: the session (messages, expiry).
NOT_COMPARED = frozenset({Session._meta.label_lower})


@dataclass
class World:
    superuser: User
    viewer: User  # staff, holding every view permission of the registered models and nothing else


def _build_world() -> World:
    lead = UserFactory.create(username="admin-walk-lead", roles=[Role.PROSECUTOR])
    fund_admin = UserFactory.create(username="admin-walk-fund", roles=[Role.FUND_ADMINISTRATOR])
    case = charged_case(lead, title="Republic v. Admin Walk")
    prosecution_services.record_hearing(case, lead, date=days_ago(-5), purpose="mention")
    asset = seize(case, lead)
    asset_services.add_valuation(
        asset, lead, valued_on=days_ago(20), amount=Decimal("900000.00"), valuer="Regent Valuers"
    )
    preserve(asset, lead)
    realisation(case=case)
    witness_on(case, lead)
    receive(fund_admin, "500000.00", days_ago(10), payer_reference="EXCHQ-WALK")
    request(fund_admin, "20000.00", days_ago(5))
    statements.import_statement(
        fund_admin,
        name="walk.csv",
        content=statement_csv([(days_ago(9).isoformat(), "RTGS credit", "EXCHQ-WALK", "500000.00")]),
    )
    common = {"user_agent": "pytest", "ip_address": "192.0.2.7", "username": "someone", "http_accept": "*/*"}
    AccessAttempt.objects.create(
        **common, path_info="/accounts/login/", get_data="", post_data="", failures_since_start=2
    )
    AccessLog.objects.create(**common, path_info="/accounts/login/")
    AccessFailureLog.objects.create(**common, path_info="/accounts/login/")
    notify(
        [lead],  # in-app and e-mailed at once: a notification and its outbox e-mail
        Message(
            Event.CASE_MOVED, f"walk:{case.pk}", f"{case.reference} moved", case.reference, case.get_absolute_url()
        ),
    )
    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    StaticDevice.objects.create(user=lead, name="Recovery codes", confirmed=True)

    superuser = UserFactory.create(username="admin-walk-root", is_staff=True, is_superuser=True)
    viewer = UserFactory.create(username="admin-walk-viewer", is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.get(
            codename=f"view_{model._meta.model_name}", content_type=ContentType.objects.get_for_model(model)
        )
        for model in admin.site._registry
    )
    return World(superuser=superuser, viewer=viewer)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at its end."""
    media = override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TWO_FACTOR_REQUIRED=False,
    )
    media.enable()
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)
    media.disable()


# ---------------------------------------------------------------------------------------------------------
# What "nothing changed" means: every table, every row, every value.


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the project (history, audit links, admin log … included)."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:  # plain SQL: the walk takes hundreds of snapshots
        for model in apps.get_models(include_auto_created=True):
            if model._meta.label_lower in NOT_COMPARED:
                continue
            table, pk = (
                connection.ops.quote_name(model._meta.db_table),
                connection.ops.quote_name(model._meta.pk.column),
            )
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")
            tables[model._meta.label_lower] = cursor.fetchall()
    return tables


def changed_tables(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


# ---------------------------------------------------------------------------------------------------------
# The POST an editable admin would have accepted: the row's own values, changed.


def _editable_form(model: type[models.Model], instance: models.Model, superuser: User) -> forms.ModelForm[Any]:
    """The form a plain ``ModelAdmin`` (every field editable, the admin's widgets) shows for ``instance``."""
    plain = admin.ModelAdmin(model, admin.site)
    request = RequestFactory().get("/")
    request.user = superuser
    callback: Any = partial(plain.formfield_for_dbfield, request=request)
    form_class = modelform_factory(model, fields="__all__", formfield_callback=callback)
    return form_class(instance=instance)


def _changed(field: forms.Field, value: Any) -> Any:
    """A different value the field would still accept, where there is an obvious one."""
    if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField | forms.BooleanField):
        return value
    if isinstance(field, forms.ChoiceField):
        choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
        others = [key for key, label in choices if key not in ("", value) and not isinstance(label, list | tuple)]
        return others[0] if others else value
    if isinstance(field, forms.DecimalField | forms.IntegerField) and value not in (None, ""):
        return Decimal(str(value)) + 1
    if isinstance(field, forms.CharField) and not isinstance(field, forms.EmailField | forms.URLField):
        limit = getattr(field, "max_length", None) or 8
        return "Tampered"[:limit]
    return value


def form_payload(
    model: type[models.Model], instance: models.Model, superuser: User, *, change: bool = True
) -> dict[str, Any]:
    """The POST data of the editable form for ``instance``: its own values, or (``change``) changed ones."""
    form = _editable_form(model, instance, superuser)
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = field.prepare_value(form[name].value())
        if change:
            value = _changed(field, value)
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            parts: list[Any] = value if isinstance(value, list) else list(widget.decompress(value) or [])
            for index, (sub, part) in enumerate(zip(widget.widgets, parts, strict=False)):
                data[f"{name}_{index}"] = sub.format_value(part) or ""
        elif isinstance(field, forms.ModelMultipleChoiceField):
            data[name] = [str(pk) for pk in value or []]
        elif isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


# ---------------------------------------------------------------------------------------------------------
# Every admin URL of every registered model, for a real row.


@dataclass(frozen=True)
class AdminUrl:
    label: str  # the model, e.g. "assets.asset"
    name: str  # the URL name, e.g. "assets_asset_simple_history"
    url: str
    payloads: tuple[dict[str, Any], ...]


def _oldest_history(model: type[models.Model], pk: Any) -> Any:
    history = getattr(model, "history", None)
    if history is None:
        return None
    return history.filter(**{model._meta.pk.attname: pk}).order_by("history_date", "history_id").first()


def admin_urls(superuser: User) -> list[AdminUrl]:
    urls: list[AdminUrl] = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        row = model._base_manager.order_by("pk").first()
        assert row is not None, f"the world has no {label}: add one so the admin walk can try it"
        old = _oldest_history(model, row.pk)
        for pattern in model_admin.get_urls():
            assert isinstance(pattern, URLPattern)
            if pattern.name is None:
                continue  # Django's "<pk>/" redirect to the change page, which has a name of its own
            groups = pattern.pattern.regex.groups
            args: list[Any] = [row.pk] if groups else []
            shown: models.Model = row
            if pattern.name.endswith("_simple_history"):
                assert old is not None, f"{label} has no history row to revert to"
                args, shown = [row.pk, old.history_id], old.instance
            # A form as it stands (a revert, or a save that writes a history row) and the same form changed.
            payloads: tuple[dict[str, Any], ...] = (
                form_payload(model, shown, superuser, change=False),
                form_payload(model, shown, superuser),
            )
            if pattern.name.endswith("_changelist"):
                payloads = (
                    {"action": "delete_selected", "_selected_action": [str(row.pk)], "index": "0", "post": "yes"},
                )
            elif pattern.name.endswith("_delete"):
                payloads = ({"post": "yes"},)
            urls.append(AdminUrl(label, pattern.name, reverse(f"admin:{pattern.name}", args=args), payloads))
    return urls


def _superuser_may(target: AdminUrl) -> bool:
    """Whether the superuser may write through this URL (see ``SUPERUSER_MAY_CHANGE``, ``REFERENCE_DATA``)."""
    if target.label in SUPERUSER_MAY_CHANGE:
        return True
    return target.label in REFERENCE_DATA and target.name.endswith(("_add", "_change"))


def walk(client: Client, user: User) -> list[str]:
    """POST to every admin URL as ``user``; what changed, one line per URL that changed something."""
    client.force_login(user)
    found: list[str] = []
    before = snapshot()
    for target in admin_urls(user if user.is_superuser else User.objects.get(is_superuser=True)):
        if user.is_superuser and _superuser_may(target):
            continue
        for payload in target.payloads:
            response = client.post(target.url, payload)
            assert response.status_code < 500, f"POST {target.url} answered {response.status_code}"
        after = snapshot()
        if changed := changed_tables(before, after):
            found.append(f"POST {target.url} ({target.name}) changed {', '.join(changed)}")
        before = after
    return found


@pytest.mark.django_db
def test_a_view_only_staff_user_changes_nothing_through_any_admin_url(client: Client, world: World) -> None:
    changes = walk(client, world.viewer)
    assert not changes, "\n".join(changes)


@pytest.mark.django_db
def test_a_superuser_changes_no_record_through_any_admin_url(client: Client, world: World) -> None:
    changes = walk(client, world.superuser)
    assert not changes, "\n".join(changes)


@pytest.mark.django_db
def test_the_walk_reaches_every_page_a_registered_model_has(client: Client, world: World) -> None:
    """The list is built from the registry: each domain admin's change page and history pages are in it,
    and every page still opens (GET) for the superuser — history shows, it only cannot be reverted."""
    urls = admin_urls(world.superuser)
    names = {target.name for target in urls}
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        assert {f"{info}_changelist", f"{info}_change", f"{info}_history"} <= names
        if isinstance(model_admin, ReadOnlyHistoryAdmin | ReferenceDataAdmin):
            assert f"{info}_simple_history" in names
    client.force_login(world.superuser)
    for target in urls:
        response = client.get(target.url)
        assert response.status_code in (200, 302, 403), f"GET {target.url} answered {response.status_code}"
        if target.name.endswith(("_history", "_simple_history", "_change", "_changelist")):
            assert response.status_code == 200, f"GET {target.url} answered {response.status_code}"
        if target.name.endswith("_simple_history"):
            assert b'name="_save"' not in response.content, f"{target.url} still offers to revert"


def test_every_registered_domain_model_is_read_only_in_the_admin() -> None:
    """Every tracked record (and anything not a named exception) is registered with the read-only base."""
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label in SUPERUSER_MAY_CHANGE:
            continue
        if label in REFERENCE_DATA:
            assert isinstance(model_admin, ReferenceDataAdmin), f"{label} is reference data: ReferenceDataAdmin"
            continue
        assert isinstance(model_admin, ReadOnlyAdmin), f"{label}'s admin must derive from core.admin_base.ReadOnlyAdmin"
        if issubclass(model, TrackedModel):
            assert isinstance(model_admin, ReadOnlyHistoryAdmin) or label == "witnesses.witness", label


# ---------------------------------------------------------------------------------------------------------
# The two writes the issue reproduced.


@pytest.mark.django_db
def test_a_staff_user_who_may_only_view_assets_cannot_rewrite_one_through_its_history(
    client: Client, world: World
) -> None:
    asset = Asset.objects.order_by("pk").first()
    assert asset is not None
    version = _oldest_history(Asset, asset.pk)
    staff = UserFactory.create(username="asset-viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_asset", content_type__app_label="assets"))
    client.force_login(staff)
    url = reverse("admin:assets_asset_simple_history", args=[asset.pk, version.history_id])
    payload = form_payload(Asset, asset, world.superuser) | {"description": "Rewritten", "estimated_value": "1.00"}
    before = snapshot()

    response = client.post(url, payload)

    assert response.status_code == 403
    assert changed_tables(before, snapshot()) == []
    asset.refresh_from_db()
    assert asset.description != "Rewritten"
    assert client.get(url).status_code == 200, "the version still shows"


@pytest.mark.django_db
def test_a_superuser_cannot_revert_a_case_to_another_stage(client: Client, world: World) -> None:
    case = Case.objects.exclude(stage="investigation").order_by("pk").first()
    assert case is not None
    first = _oldest_history(Case, case.pk)
    assert first.stage != case.stage
    client.force_login(world.superuser)
    url = reverse("admin:prosecutions_case_simple_history", args=[case.pk, first.history_id])
    before = snapshot()

    response = client.post(url, form_payload(Case, first.instance, world.superuser) | {"stage": first.stage})

    assert response.status_code == 403
    assert changed_tables(before, snapshot()) == []
    case.refresh_from_db()
    assert case.stage != first.stage


@pytest.mark.django_db
def test_a_superuser_cannot_plant_or_edit_a_second_factor_on_someone_elses_account(
    client: Client, world: World
) -> None:
    """A device added in the admin with a key the superuser chose would pass that account's second step."""
    lead = User.objects.get(username="admin-walk-lead")
    device = TOTPDevice.objects.get(user=lead)
    client.force_login(world.superuser)
    before = snapshot()

    add = client.post(
        reverse("admin:otp_totp_totpdevice_add"),
        {
            "user": lead.pk,
            "name": "Planted",
            "key": "3132333435363738393031323334353637383930",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "confirmed": "on",
        },
    )
    change = client.post(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]), {"user": world.superuser.pk, "name": "Mine"}
    )
    static_add = client.post(reverse("admin:otp_static_staticdevice_add"), {"user": lead.pk, "name": "Codes"})

    assert (add.status_code, change.status_code, static_add.status_code) == (403, 403, 403)
    assert changed_tables(before, snapshot()) == []
    # Removing a lost device is what the admin is for.
    assert client.get(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])).status_code == 200
