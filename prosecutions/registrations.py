"""Navigation, home-page panels and the demo seed step of the prosecutions app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from core.access import has_role
from core.audit.scopes import AuditScope, register_audit_scope
from core.registry import DemoSeed, NavItem, Panel, register_demo_seed, register_nav, register_panel
from core.roles import Role
from prosecutions import reports  # registers the prosecution reports; draws the panels' charts
from prosecutions.access import CASE_READERS, CASE_WRITERS, cases_of, hearings_scope
from prosecutions.choices import HearingOutcome, Stage
from prosecutions.models import Case, Hearing
from prosecutions.registry import annotate_hearings
from prosecutions.services import today

IDLE_DAYS = 90
PANEL_ROWS = 8

register_nav(NavItem("cases", "Cases", "prosecutions:case_list", CASE_READERS, order=10))
register_nav(NavItem("my_cases", "My cases", "prosecutions:my_cases", CASE_WRITERS, order=11))
register_nav(NavItem("hearings", "Hearings", "prosecutions:hearing_list", CASE_WRITERS, order=12))


def _scope(user: Any) -> tuple[Any, str, str]:
    """The unit head's panels cover every case; a prosecutor's their own."""
    if has_role(user, [Role.UNIT_HEAD]):
        return Case.objects.all(), "All cases of the unit.", "prosecutions:case_list"
    return cases_of(user), "Cases you lead or are on the team of.", "prosecutions:my_cases"


def cases_by_stage_context(user: Any) -> dict[str, Any]:
    cases, scope, url_name = _scope(user)
    counts = dict(cases.order_by().values_list("stage").annotate(n=Count("id")))
    rows = [{"stage": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in Stage]
    chart = reports.stage_pipeline_chart(rows)
    return {"rows": rows if any(counts.values()) else [], "scope": scope, "url_name": url_name, "chart": chart}


def next_hearings_context(user: Any) -> dict[str, Any]:
    hearings = (
        Hearing.objects.filter(case__in=hearings_scope(user), date__gte=today(), outcome=HearingOutcome.SCHEDULED)
        .select_related("case", "court")
        .order_by("date", "id")[:PANEL_ROWS]
    )
    return {
        "hearings": annotate_hearings(hearings),
        "chart": reports.hearings_by_week_chart(hearings_scope(user), today()),
    }


def idle_cases_context(user: Any) -> dict[str, Any]:
    cases, _, _ = _scope(user)
    cutoff = today() - dt.timedelta(days=IDLE_DAYS)
    idle = cases.open().filter(last_activity_on__lt=cutoff).order_by("last_activity_on", "id")
    return {"cases": list(idle[:PANEL_ROWS]), "total": idle.count(), "days": IDLE_DAYS}


register_panel(
    Panel(
        "cases_by_stage",
        "Cases by stage",
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
        "My next hearings",
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
        "idle_cases",
        f"Cases idle for more than {IDLE_DAYS} days",
        "prosecutions/panels/idle_cases.html",
        CASE_WRITERS,
        idle_cases_context,
        order=12,
        width=4,
    )
)


def _seed(users: dict[str, Any], out: Any) -> None:
    from prosecutions.demo import seed_prosecutions

    seed_prosecutions(users, out)


register_demo_seed(DemoSeed("prosecutions", _seed, order=20))

# The unit head reads the history of every case and what hangs on it.
register_audit_scope(AuditScope("prosecutions", frozenset({Role.UNIT_HEAD}), frozenset({"prosecutions"})))
