"""How the tracker signs people in and finds the signed-in user of each request.

``SignedInUserBackend`` is Django's ``ModelBackend`` (username and password, active accounts only) except in
how it loads the user a session belongs to: in one query with what every page asks about them — their roles
in force (``UserQuerySet.with_roles``) and the figures apps register (``core.registry.register_user_figure``),
such as the number on the notification bell. Each is still read fresh on every request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from core.models import User
from core.registry import user_figures


class SignedInUserBackend(ModelBackend):
    """``ModelBackend`` loading the signed-in user with their roles and the registered figures."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.with_roles().annotate(**user_figures()).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
