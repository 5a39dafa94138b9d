"""What the notifications app adds elsewhere: its step of the demo seed (after every domain app's), and the
bell's unread count, read with the signed-in user of each request."""

from __future__ import annotations

from collections.abc import Callable

from core.models import User
from core.registry import DemoSeed, register_demo_seed, register_user_figure
from notifications.queries import UNREAD_ON_USER, unread_count_expression


def _run_demo_seed(users: dict[str, User], out: Callable[[str], None]) -> None:
    from notifications.demo import seed_notifications  # the services load only when the seed runs

    seed_notifications(users, out)


register_demo_seed(DemoSeed("notifications", _run_demo_seed, order=950))
register_user_figure(UNREAD_ON_USER, unread_count_expression)
