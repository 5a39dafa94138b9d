"""What the search box finds in the witnesses app: witnesses by their code, and by nothing else.

No identity field (held encrypted in the vault) and no protection detail (flag reasons, which only
liaisons and auditors read) is ever matched or shown: a search must not tell anyone whether a name
belongs to a protected witness.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import AnyUser
from core.search import SearchHit, SearchSource, best_matches, register_search_source
from witnesses.access import WITNESS_READERS
from witnesses.models import Witness

WITNESS_FIELDS = ("code",)


def find_witnesses(user: AnyUser, text: str, limit: int) -> Sequence[SearchHit]:
    witnesses = best_matches(Witness.objects.visible_to(user), WITNESS_FIELDS, text)
    return [
        SearchHit(
            witness.code,
            _("Protection: %(status)s") % {"status": witness.get_protection_status_display()},
            witness.get_absolute_url(),
        )
        for witness in witnesses[:limit]
    ]


register_search_source(
    SearchSource(
        "witnesses",
        gettext_lazy("Witnesses (by code)"),
        WITNESS_READERS,
        find_witnesses,
        "witnesses:witness_list",
        more_param="code",
        order=40,
    )
)
