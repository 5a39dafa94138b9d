"""Navigation, the case page's Network tab and the demo step of the network app. Only registrations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.registry import DemoSeed, NavItem, register_demo_seed, register_nav
from core.views.generic import Tab
from network.access import NETWORK_READERS, can_read_network
from network.demo import seed_network
from network.queries import case_network_context
from prosecutions.registry import CaseTab, register_case_tab

register_nav(
    NavItem(
        "persons_of_interest",
        _("Persons of interest"),
        "network:persons_of_interest",
        NETWORK_READERS,
        order=14,
        menu="persons",
    )
)

register_case_tab(
    CaseTab(
        Tab("network", _("Network"), "network/case_tab.html"),
        get_context=case_network_context,
        visible=can_read_network,
        order=250,
    )
)

register_demo_seed(DemoSeed("network", seed_network, order=900))
