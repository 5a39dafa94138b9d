"""The six roles of the tracker, as Django groups. Role names are used nowhere else as literals."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    PROSECUTOR = "Prosecutor", "Prosecutor"
    UNIT_HEAD = "Unit head", "Unit head"
    WITNESS_LIAISON = "Witness protection liaison", "Witness protection liaison"
    FUND_ADMINISTRATOR = "Fund administrator", "Fund administrator"
    FUND_APPROVER = "Fund approver", "Fund approver"
    AUDITOR = "Auditor", "Auditor"


ALL_ROLES: frozenset[str] = frozenset(Role.values)
PROSECUTION_ROLES: frozenset[str] = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD})
FUND_ROLES: frozenset[str] = frozenset({Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER})
