"""core's services: user and role administration used by the demo seed and the admin."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from core.models import User


@transaction.atomic
def ensure_user(
    username: str,
    *,
    first_name: str,
    last_name: str,
    email: str,
    roles: Iterable[str],
    password: str | None = None,
) -> User:
    """Create or update a user and set exactly ``roles``. Idempotent."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name, "email": email}
    )
    if not created:
        user.first_name, user.last_name, user.email = first_name, last_name, email
    if password is not None and (created or not user.check_password(password)):
        user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=list(roles)))
    return user


def ensure_demo_users() -> dict[str, User]:
    """The demo logins of ``core.demo``, each with exactly its roles and the demo password, by username."""
    from core.demo import DEMO_PASSWORD, DEMO_USERS

    return {
        demo.username: ensure_user(
            demo.username,
            first_name=demo.first_name,
            last_name=demo.last_name,
            email=f"{demo.username}@demo.ctip.local",
            roles=demo.roles,
            password=DEMO_PASSWORD,
        )
        for demo in DEMO_USERS
    }
