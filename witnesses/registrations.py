"""The witness-protection panels (placeholders until the witnesses module lands)."""

from core.registry import Panel, register_panel
from core.roles import Role

register_panel(
    Panel(
        "witness_placeholder",
        "Witness protection",
        "core/panels/placeholder.html",
        frozenset({Role.WITNESS_LIAISON}),
        lambda user: {
            "message": "Protection flags, risk assessments and the identity vault arrive with the witnesses module."
        },
        order=300,
    )
)
