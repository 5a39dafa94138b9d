"""What the victims app adds elsewhere: navigation, the search source for victims (by code), the demo.
The case's Victims tab is the prosecutions app's own; it reads the register's links lazily."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from core.models import User
from core.registry import DemoSeed, NavItem, register_demo_seed, register_nav
from victims import search  # noqa: F401  (registers the search source)
from victims.access import VICTIM_READERS

register_nav(NavItem("victims", _("Victims"), "victims:victim_list", VICTIM_READERS, order=360))


def _run_demo_seed(users: dict[str, User], out: Callable[[str], None]) -> None:
    from victims.demo import seed_victims

    seed_victims(users, out)


# After the cases (their victims get referrals too), before the fund pays for some referrals (trustfund).
register_demo_seed(DemoSeed("victims", _run_demo_seed, order=260))
