"""Navigation, home-page panels, reports, the demo seed step and the audit scope of the prosecutions app.

Only registrations: the panels' data comes from ``prosecutions.queries``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.audit.scopes import AuditScope, register_audit_scope
from core.models import User
from core.registry import DemoSeed, NavItem, Panel, register_demo_seed, register_nav, register_panel
from core.roles import Role
from prosecutions import documents, reports, search  # noqa: F401  (they register document kinds, reports, search)
from prosecutions.access import CASE_READERS, CASE_WRITERS, PERSON_READERS
from prosecutions.correction_log import correction_events
from prosecutions.queries import (
    IDLE_DAYS,
    cases_by_stage_context,
    hearings_without_outcome_context,
    idle_cases_context,
    next_hearings_context,
)
from prosecutions.registry import register_timeline_source


def _idle_title() -> str:
    """The idle-cases panel's title in the language of the page (``IDLE_DAYS`` in words)."""
    return ngettext("Cases idle for more than %(days)s day", "Cases idle for more than %(days)s days", IDLE_DAYS) % {
        "days": IDLE_DAYS
    }


# Lazy: the panel is registered at start-up and titled when a page shows it.
IDLE_TITLE = lazy(_idle_title, str)()

register_nav(NavItem("cases", _("Cases"), "prosecutions:case_list", CASE_READERS, order=10))
register_nav(NavItem("my_cases", _("My cases"), "prosecutions:my_cases", CASE_WRITERS, order=11))
register_nav(NavItem("hearings", _("Hearings"), "prosecutions:hearing_list", CASE_WRITERS, order=12))
register_nav(
    NavItem("persons", _("Index of persons"), "prosecutions:person_list", PERSON_READERS, order=13, menu="persons")
)

register_panel(
    Panel(
        "cases_by_stage",
        _("Cases by stage"),
        "prosecutions/panels/cases_by_stage.html",
        CASE_WRITERS,
        cases_by_stage_context,
        order=10,
        width=4,
        has_chart=True,
    )
)
register_panel(
    Panel(
        "next_hearings",
        _("My next hearings"),
        "prosecutions/panels/next_hearings.html",
        CASE_WRITERS,
        next_hearings_context,
        order=11,
        width=4,
        has_chart=True,
    )
)
register_panel(
    Panel(
        "hearings_without_outcome",
        _("Hearings without an outcome"),
        "prosecutions/panels/hearings_without_outcome.html",
        CASE_WRITERS,
        hearings_without_outcome_context,
        order=11,
        width=4,
    )
)
register_panel(
    Panel(
        "idle_cases",
        IDLE_TITLE,
        "prosecutions/panels/idle_cases.html",
        CASE_WRITERS,
        idle_cases_context,
        order=12,
        width=4,
    )
)


def _seed(users: dict[str, User], out: Callable[[str], None]) -> None:
    from prosecutions.demo import seed_prosecutions  # the demo is loaded only when seeding

    seed_prosecutions(users, out)


register_demo_seed(DemoSeed("prosecutions", _seed, order=20))

# The unit head reads the history of every case and what hangs on it.
register_audit_scope(AuditScope("prosecutions", frozenset({Role.UNIT_HEAD}), frozenset({"prosecutions"})))

# Corrections show on the case timeline as corrections, with their reason.
register_timeline_source("corrections", correction_events)
