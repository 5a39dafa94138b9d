"""Helpers for data migrations that grant model permissions to role groups.

Permissions are normally created after migrations run (post_migrate); a data migration that grants
them must create them first, which ``grant`` does for the app it is given.
"""

from __future__ import annotations

from typing import Any


def grant(apps: Any, app_label: str, permissions_by_role: dict[str, list[str]]) -> None:
    """Give each role group the listed permission codenames of ``app_label``'s models."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in permissions_by_role.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.add(*permissions)
