"""Who may see and record assets — decided here and nowhere else.

Prosecutors, the unit head, the fund roles and auditors read every asset; witness protection
liaisons see none. Prosecutors record seizures on the cases they may change (lead or team, case
open); the unit head on any open case. Asset proceedings outlive the criminal case — forfeiture and
sale often follow the conviction and the closure of the file — so on an asset already recorded the
case's lead prosecutor and team (and the unit head) keep recording orders, moves and the sale after
the case is closed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from assets.models import Asset
from core.access import has_role
from core.roles import FUND_ROLES, Role
from prosecutions.access import can_edit_case, cases_editable_by
from prosecutions.choices import Stage
from prosecutions.models import Case

ASSET_READERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.AUDITOR, *FUND_ROLES})
ASSET_WRITERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD})
DEADLINE_READERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.AUDITOR})


def can_read_assets(user: Any) -> bool:
    return has_role(user, ASSET_READERS)


def assets_visible_to(user: Any) -> QuerySet[Asset]:
    """Every asset the user may open (all of them for the reading roles, none otherwise)."""
    if can_read_assets(user):
        return Asset.objects.all()
    return Asset.objects.none()


def can_record_seizure(user: Any, case: Case) -> bool:
    """A new seizure goes on a case the user may change now."""
    return can_edit_case(user, case)


def _closed_case_in_reach(user: Any, case: Case) -> bool:
    if not case.is_closed:
        return False
    if has_role(user, [Role.UNIT_HEAD]):
        return True
    if not has_role(user, [Role.PROSECUTOR]):
        return False
    return case.lead_prosecutor_id == user.pk or case.team.filter(pk=user.pk).exists()


def can_change_asset(user: Any, asset: Asset) -> bool:
    """Record valuations, orders, moves and the sale of this asset."""
    return can_edit_case(user, asset.case) or _closed_case_in_reach(user, asset.case)


def assets_editable_by(user: Any) -> QuerySet[Asset]:
    """The assets the user may record on (see ``can_change_asset``)."""
    if has_role(user, [Role.UNIT_HEAD]):
        return Asset.objects.all()
    if has_role(user, [Role.PROSECUTOR]):
        return Asset.objects.filter(
            Q(case__in=cases_editable_by(user))
            | Q(case__stage=Stage.CLOSED, case__lead_prosecutor=user)
            | Q(case__stage=Stage.CLOSED, case__team=user)
        ).distinct()
    return Asset.objects.none()
