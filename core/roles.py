"""The roles of the tracker, as Django groups. Role names are used nowhere else as literals.

A role counts only while its holder has an approved, unrevoked grant for it (``core.models.RoleGrant``)
and the matching group membership, which only the grant services (``core.grants``) write.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.labels import Label


class Role(models.TextChoices):
    """The roles a person can hold. The value is the group's name in the database (never translated); the
    label is what people read."""

    PROSECUTOR = "Prosecutor", _("Prosecutor")
    UNIT_HEAD = "Unit head", _("Unit head")
    WITNESS_LIAISON = "Witness protection liaison", _("Witness protection liaison")
    FUND_ADMINISTRATOR = "Fund administrator", _("Fund administrator")
    FUND_APPROVER = "Fund approver", _("Fund approver")
    AUDITOR = "Auditor", _("Auditor")
    ACCESS_ADMINISTRATOR = "Access administrator", _("Access administrator")
    VICTIM_SERVICES_OFFICER = "Victim services officer", _("Victim services officer")


ALL_ROLES: frozenset[str] = frozenset(Role.values)
PROSECUTION_ROLES: frozenset[str] = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD})
FUND_ROLES: frozenset[str] = frozenset({Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER})

# Roles that open protected identities or move the fund's money: granting one needs a second access
# administrator's approval (the one who asked cannot approve), and the holders are told.
SENSITIVE_ROLES: frozenset[str] = frozenset(
    {Role.WITNESS_LIAISON, Role.VICTIM_SERVICES_OFFICER, Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER}
)

# Who is told when a sensitive role is requested or granted, besides the access administrators: the
# people who already hold the power it gives (liaisons for a liaison, approvers for either fund role).
SENSITIVE_ROLE_WATCHERS: dict[str, str] = {
    Role.WITNESS_LIAISON: Role.WITNESS_LIAISON,
    Role.VICTIM_SERVICES_OFFICER: Role.VICTIM_SERVICES_OFFICER,
    Role.FUND_ADMINISTRATOR: Role.FUND_APPROVER,
    Role.FUND_APPROVER: Role.FUND_APPROVER,
}

# What a sensitive role lets its holder do, said on the page that approves it.
SENSITIVE_ROLE_POWERS: dict[str, Label] = {
    Role.WITNESS_LIAISON: _("read protected witness identities"),
    Role.VICTIM_SERVICES_OFFICER: _("work with victims' records and, once it exists, the victims' vault"),
    Role.FUND_ADMINISTRATOR: _("record receipts and pay approved disbursements from the fund"),
    Role.FUND_APPROVER: _("approve payments from the fund"),
}
