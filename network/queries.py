"""What the case page's Network tab shows: how many persons, shared identifiers and other cases lie within two
steps of the case (for the user), and the link to the drawing."""

from __future__ import annotations

from typing import Any

from network.graph import neighbourhood
from prosecutions.models import Case


def case_network_context(case: Case, user: Any) -> dict[str, Any]:
    result = neighbourhood(user, case, 2)
    return {
        "network_persons": result.of_kind("person"),
        "network_identifiers": result.of_kind("identifier"),
        "network_cases": [n for n in result.of_kind("case") if n.key != result.start],
    }
