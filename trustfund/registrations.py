"""The trust fund's panels (placeholders until the trust fund module lands)."""

from core.registry import Panel, register_panel
from core.roles import FUND_ROLES

register_panel(
    Panel(
        "fund_placeholder",
        "National Assistance Trust Fund",
        "core/panels/placeholder.html",
        FUND_ROLES,
        lambda user: {
            "message": "Receipts, disbursements, the fund balance and reconciliation arrive with the trust fund module."
        },
        order=300,
    )
)
