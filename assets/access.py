"""Who may see and record assets — decided here and nowhere else.

Prosecutors, the unit head, the fund roles and auditors read every asset; witness protection
liaisons see none. Prosecutors record seizures on the cases they may change (lead or team, case
open); the unit head on any open case. Asset proceedings outlive the criminal case — forfeiture and
sale often follow the conviction and the closure of the file — so on an asset already recorded the
case's lead prosecutor and team (and the unit head) keep recording orders, moves and the sale after
the case is closed.

What a user may see is asked of the model (``Asset.objects.visible_to(user)``): the scope rules below
say it once per model; a valuation, court order, realisation or status change is seen by whoever sees
its asset.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from assets.models import Asset, AssetIdentifier, AssetStatusChange, CourtOrder, Realisation, Valuation
from core.access import AnyUser, has_role
from core.models import User
from core.querysets import scope_rule
from core.roles import FUND_ROLES, Role
from prosecutions.access import can_edit_case, cases_editable_by
from prosecutions.choices import Stage
from prosecutions.models import Case

ASSET_READERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.AUDITOR, *FUND_ROLES})
ASSET_WRITERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD})
DEADLINE_READERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.AUDITOR})
# Who records on any asset, wherever the case (the others of ASSET_WRITERS only on the cases they are on).
ASSET_WRITERS_EVERYWHERE = frozenset({Role.UNIT_HEAD})


def can_read_assets(user: AnyUser) -> bool:
    return has_role(user, ASSET_READERS)


@scope_rule(Asset)
def _visible_assets(assets: QuerySet[Asset], user: AnyUser) -> QuerySet[Asset]:
    """Every asset for the reading roles, none otherwise."""
    return assets if can_read_assets(user) else assets.none()


@scope_rule(Valuation)
def _visible_valuations(valuations: QuerySet[Valuation], user: AnyUser) -> QuerySet[Valuation]:
    return valuations.filter(asset__in=Asset.objects.visible_to(user))


@scope_rule(CourtOrder)
def _visible_orders(orders: QuerySet[CourtOrder], user: AnyUser) -> QuerySet[CourtOrder]:
    return orders.filter(asset__in=Asset.objects.visible_to(user))


@scope_rule(Realisation)
def _visible_realisations(realisations: QuerySet[Realisation], user: AnyUser) -> QuerySet[Realisation]:
    return realisations.filter(asset__in=Asset.objects.visible_to(user))


@scope_rule(AssetIdentifier)
def _visible_identifiers(identifiers: QuerySet[AssetIdentifier], user: AnyUser) -> QuerySet[AssetIdentifier]:
    return identifiers.filter(asset__in=Asset.objects.visible_to(user))


@scope_rule(AssetStatusChange)
def _visible_status_changes(changes: QuerySet[AssetStatusChange], user: AnyUser) -> QuerySet[AssetStatusChange]:
    return changes.filter(asset__in=Asset.objects.visible_to(user))


def can_record_seizure(user: AnyUser, case: Case) -> bool:
    """A new seizure goes on a case the user may change now."""
    return can_edit_case(user, case)


def _closed_case_in_reach(user: AnyUser, case: Case) -> bool:
    if not case.is_closed:
        return False
    if has_role(user, [Role.UNIT_HEAD]):
        return True
    if not isinstance(user, User) or not has_role(user, [Role.PROSECUTOR]):
        return False
    return case.lead_prosecutor_id == user.pk or case.team.filter(pk=user.pk).exists()


def can_change_asset(user: AnyUser, asset: Asset) -> bool:
    """Record valuations, orders, moves and the sale of this asset."""
    return can_edit_case(user, asset.case) or _closed_case_in_reach(user, asset.case)


def assets_editable_by(user: AnyUser) -> QuerySet[Asset]:
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
