"""What the witnesses app adds elsewhere: navigation, the liaison's queue of flags on the home page, the
Witnesses tab and witness events (by code) on the case page, court measures on hearings, the demo seed.
Only registrations: the queries behind them are in ``witnesses.queries``."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from core.models import User
from core.registry import DemoSeed, NavItem, Panel, register_demo_seed, register_nav, register_panel
from core.roles import Role
from core.views.generic import Tab
from prosecutions.registry import (
    CaseFileSection,
    CaseTab,
    register_case_file_section,
    register_case_tab,
    register_hearing_annotation,
    register_timeline_source,
)
from witnesses import documents, search  # noqa: F401  (registers document kinds and search)
from witnesses.access import WITNESS_READERS, can_read_witnesses
from witnesses.queries import (
    case_file_witnesses_context,
    case_witnesses_context,
    flag_queue_context,
    hearing_measures,
    witness_timeline,
)

register_nav(NavItem("witnesses", _("Witnesses"), "witnesses:witness_list", WITNESS_READERS, order=350))

register_panel(
    Panel(
        "witness_flag_queue",
        _("Protection flags awaiting assessment"),
        "witnesses/panels/flag_queue.html",
        frozenset({Role.WITNESS_LIAISON}),
        flag_queue_context,
        order=30,
    )
)

register_hearing_annotation("witness_court_measures", hearing_measures)

register_case_tab(
    CaseTab(
        Tab("witnesses", _("Witnesses"), "witnesses/case_tab.html"),
        get_context=case_witnesses_context,
        visible=can_read_witnesses,
        order=400,
    )
)

register_timeline_source("witnesses", witness_timeline)

# The printable case file: the case's witnesses, by code only.
register_case_file_section(
    CaseFileSection(
        "witnesses",
        _("Witnesses (by code)"),
        "witnesses/print/case_file_section.html",
        get_context=case_file_witnesses_context,
        visible=can_read_witnesses,
        order=400,
    )
)


def _run_demo_seed(users: dict[str, User], out: Callable[[str], None]) -> None:
    from witnesses.demo import seed_witnesses

    seed_witnesses(users, out)


register_demo_seed(DemoSeed("witnesses", _run_demo_seed, order=250))
