"""What the search box finds in the victims register: victims, by their code only."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import AnyUser
from core.search import SearchHit, SearchSource, best_matches, register_search_source
from prosecutions.access import CASE_READERS
from victims.access import REGISTER_MANAGERS
from victims.models import Victim

VICTIM_FIELDS = ("code",)


def find_victims(user: AnyUser, text: str, limit: int) -> Sequence[SearchHit]:
    """Victims by their code only: no names are stored, and nothing else about them is matched."""
    victims = best_matches(Victim.objects.visible_to(user).select_related("case"), VICTIM_FIELDS, text)
    return [
        SearchHit(
            victim.code,
            _("%(reference)s — %(title)s") % {"reference": victim.case.reference, "title": victim.case.title}
            if victim.case is not None
            else _("Victims register"),
            reverse("victims:victim_detail", args=[victim.pk]),
        )
        for victim in victims[:limit]
    ]


register_search_source(
    SearchSource("victims", gettext_lazy("Victims (by code)"), CASE_READERS | REGISTER_MANAGERS, find_victims, order=30)
)
