"""Granting and removing roles. Each service locks, checks, writes the grant (with its chained history
row) and brings the person's group memberships in line with their grants, in one transaction.

A role that is not sensitive, asked for someone else, is granted at once by the access administrator
who asks. A sensitive role (``core.roles.SENSITIVE_ROLES``), or any role an access administrator asks
for themselves, waits for a second access administrator. Nobody decides a grant to themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import roles_of
from core.choices import GrantStatus
from core.exceptions import (
    AccessAdministratorExists,
    GrantNotAwaitingDecision,
    GrantNotInForce,
    InactiveAccount,
    LastAccessAdministrator,
    NotAnAccessAdministrator,
    OwnGrantDecision,
    ReasonRequired,
    RoleAlreadyHeld,
    UnknownRole,
)
from core.grants import notify
from core.models import RoleGrant, User
from core.roles import ALL_ROLES, SENSITIVE_ROLES, Role

LIVE = (GrantStatus.REQUESTED, GrantStatus.APPROVED)
GRANT_FIELDS = ["status", "decided_by", "decided_at", "decision_note", "revoked_by", "revoked_at", "revoke_reason"]


# --------------------------------------------------------------------------------------------------
# The four moves of an access administrator


@transaction.atomic
def request_grant(user: User, role: str, by: User, *, reason: str, now: dt.datetime | None = None) -> RoleGrant:
    """``by`` asks for ``role`` for ``user``, saying why. Granted at once when the role is not sensitive
    and ``user`` is someone else; otherwise it awaits a second access administrator's approval."""
    _require_access_administrator(by)
    role = _known_role(role)
    reason = _required(reason, _("Say why this person needs the role."))
    now = now or timezone.now()
    person = _lock_user(user)
    _refuse_if_live(person, role)
    at_once = role not in SENSITIVE_ROLES and person.pk != by.pk
    watchers = notify.watchers_of(role) if role in SENSITIVE_ROLES else []
    grant = RoleGrant(user=person, role=role, reason=reason, requested_by=by, requested_at=now)
    if at_once:
        grant.status, grant.decided_by, grant.decided_at = GrantStatus.APPROVED, by, now
    try:
        with transaction.atomic():
            grant.save_as(by, "Role granted" if at_once else "Role requested")
    except IntegrityError as error:  # a request for the same role saved at the same moment
        raise RoleAlreadyHeld(
            _("%(person)s already has a grant for %(role)s in force or awaiting approval.")
            % {"person": person, "role": _role_label(role)}
        ) from error
    if at_once:
        sync_memberships(person)
    notify.tell(watchers, grant, notify.Event.GRANTED if at_once else notify.Event.REQUESTED, by)
    _forget_roles(user, person)
    return grant


@transaction.atomic
def approve_grant(grant: RoleGrant, by: User, *, note: str = "", now: dt.datetime | None = None) -> RoleGrant:
    """A second access administrator approves a grant awaiting approval; the role is in force at once."""
    _require_access_administrator(by)
    locked = _lock_grant(grant)
    _expect_awaiting(locked)
    _refuse_own_decision(locked, by, approving=True)
    person = _lock_user(locked.user)
    watchers = notify.watchers_of(locked.role) if locked.is_sensitive else []
    locked.status, locked.decided_by, locked.decided_at = GrantStatus.APPROVED, by, now or timezone.now()
    locked.decision_note = note.strip()
    locked.save_as(by, "Role granted", update_fields=[*GRANT_FIELDS, "updated_at"])
    sync_memberships(person)
    notify.tell(watchers, locked, notify.Event.GRANTED, by)
    return _copy_back(grant, locked, person)


@transaction.atomic
def reject_grant(grant: RoleGrant, by: User, *, reason: str, now: dt.datetime | None = None) -> RoleGrant:
    """A second access administrator refuses a grant awaiting approval, saying why."""
    _require_access_administrator(by)
    reason = _required(reason, _("Say why the grant is rejected."))
    locked = _lock_grant(grant)
    _expect_awaiting(locked)
    _refuse_own_decision(locked, by, approving=False)
    person = _lock_user(locked.user, active=False)
    locked.status, locked.decided_by, locked.decided_at = GrantStatus.REJECTED, by, now or timezone.now()
    locked.decision_note = reason
    locked.save_as(by, "Grant rejected", update_fields=[*GRANT_FIELDS, "updated_at"])
    sync_memberships(person)  # a membership carried over from before grants goes with its refusal
    return _copy_back(grant, locked, person)


@transaction.atomic
def revoke_grant(grant: RoleGrant, by: User, *, reason: str, now: dt.datetime | None = None) -> RoleGrant:
    """An access administrator takes a role away, saying why; it stops counting at once."""
    _require_access_administrator(by)
    reason = _required(reason, _("Say why the role is taken away."))
    locked = _lock_grant(grant)
    if locked.status != GrantStatus.APPROVED:
        raise GrantNotInForce(
            _("This grant is %(status)s: only a grant in force is revoked.")
            % {"status": locked.get_status_display().lower()}
        )
    person = _lock_user(locked.user, active=False)
    if locked.role == Role.ACCESS_ADMINISTRATOR:
        others = User.objects.holding([Role.ACCESS_ADMINISTRATOR]).exclude(pk=person.pk)
        if not others.exists():
            raise LastAccessAdministrator(
                _("%(person)s is the last access administrator: grant the role to someone else first.")
                % {"person": person}
            )
    locked.status, locked.revoked_by, locked.revoked_at = GrantStatus.REVOKED, by, now or timezone.now()
    locked.revoke_reason = reason
    locked.save_as(by, "Role revoked", update_fields=[*GRANT_FIELDS, "updated_at"])
    sync_memberships(person)
    return _copy_back(grant, locked, person)


# --------------------------------------------------------------------------------------------------
# At the console (management commands): the first access administrator, and the carry-over


@transaction.atomic
def grant_first_access_administrator(user: User, *, reason: str, now: dt.datetime | None = None) -> RoleGrant:
    """Make ``user`` the first access administrator. Refused once anyone holds the role: from then on
    roles are granted through the access administrators' pages."""
    reason = _required(reason, _("Say why this person is the first access administrator."))
    person = _lock_user(user)
    if User.objects.holding([Role.ACCESS_ADMINISTRATOR]).exists():
        raise AccessAdministratorExists(
            _("There is already an access administrator: ask them to grant the role instead.")
        )
    _refuse_if_live(person, Role.ACCESS_ADMINISTRATOR)
    now = now or timezone.now()
    grant = RoleGrant(
        user=person,
        role=Role.ACCESS_ADMINISTRATOR,
        reason=reason,
        requested_at=now,
        status=GrantStatus.APPROVED,
        decided_at=now,
        decision_note="Granted at the console: the first access administrator.",
    )
    grant.save_as(None, "First access administrator, granted at the console")
    sync_memberships(person)
    _forget_roles(user, person)
    return grant


@dataclass
class CarryOver:
    """What ``carry_over_memberships`` did (or would do): (username, role) pairs, and the accounts whose
    history starts now."""

    granted: list[tuple[str, str]] = field(default_factory=list)
    awaiting_approval: list[tuple[str, str]] = field(default_factory=list)
    history_started: list[str] = field(default_factory=list)


@transaction.atomic
def carry_over_memberships(*, reason: str, dry_run: bool = False, now: dt.datetime | None = None) -> CarryOver:
    """Carry over what was there before users had history and roles had grants: each account without
    history gets its first history row, and each role-group membership without a grant gets one — a
    role that is not sensitive is granted at the console; a sensitive one becomes a request an access
    administrator must approve, and does not count until then."""
    reason = _required(reason, _("Say why these memberships are carried over."))
    now = now or timezone.now()
    done = CarryOver()
    # Accounts made before users had history get their first history row (chained like any other).
    without_history = list(User.objects.exclude(pk__in=User.history.values("id")).order_by("pk"))
    done.history_started = [account.username for account in without_history]
    if without_history and not dry_run:
        User.history.bulk_history_create(without_history, default_change_reason="History starts (carried over)")
    live = set(RoleGrant.objects.filter(status__in=LIVE).values_list("user_id", "role"))
    memberships = (
        User.groups.through.objects.filter(group__name__in=ALL_ROLES)
        .select_related("user", "group")
        .order_by("user__username", "group__name")
    )
    for membership in memberships:
        person, role = membership.user, membership.group.name
        if (person.pk, role) in live:
            continue
        sensitive = role in SENSITIVE_ROLES
        (done.awaiting_approval if sensitive else done.granted).append((person.username, role))
        if dry_run:
            continue
        grant = RoleGrant(user=person, role=role, reason=reason, requested_at=now)
        if not sensitive:
            grant.status, grant.decided_at = GrantStatus.APPROVED, now
            grant.decision_note = "Carried over at the console: held before grants were recorded."
        grant.save_as(None, "Membership carried over at the console")
    return done


# --------------------------------------------------------------------------------------------------
# The one writer of role-group memberships


def sync_memberships(user: User) -> None:
    """Make ``user``'s role-group memberships exactly their grants in force (other groups untouched).

    Called by every service above inside its transaction; nothing else writes ``user.groups``.
    """
    wanted = set(RoleGrant.objects.filter(user=user, status=GrantStatus.APPROVED).values_list("role", flat=True))
    current = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    user.forget_roles()


# --------------------------------------------------------------------------------------------------
# Checks


def _require_access_administrator(by: User) -> None:
    if Role.ACCESS_ADMINISTRATOR not in roles_of(by):
        raise NotAnAccessAdministrator(_("Only an access administrator may grant or remove roles."))


def _known_role(role: str) -> str:
    if role not in ALL_ROLES:
        raise UnknownRole(_("“%(role)s” is not a role of the tracker.") % {"role": role})
    return str(Role(role))


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ReasonRequired(message)
    return text


def _lock_user(user: User, *, active: bool = True) -> User:
    """The person's row, locked: grants to one person are decided one at a time. Roles are given only to
    an account in use (``active``); they can always be taken away."""
    person = User.objects.select_for_update().get(pk=user.pk)
    if active and not person.is_active:
        raise InactiveAccount(
            _("The account of %(person)s is switched off: roles are not given to it.") % {"person": person}
        )
    return person


def _lock_grant(grant: RoleGrant) -> RoleGrant:
    return RoleGrant.objects.select_for_update(of=("self",)).select_related("user", "requested_by").get(pk=grant.pk)


def _refuse_if_live(person: User, role: str) -> None:
    live = RoleGrant.objects.filter(user=person, role=role, status__in=LIVE).first()
    if live is None:
        return
    if live.status == GrantStatus.APPROVED:
        raise RoleAlreadyHeld(
            _("%(person)s already holds the role %(role)s.") % {"person": person, "role": _role_label(role)}
        )
    raise RoleAlreadyHeld(
        _("A grant of %(role)s to %(person)s already awaits approval.") % {"person": person, "role": _role_label(role)}
    )


def _expect_awaiting(grant: RoleGrant) -> None:
    if grant.status != GrantStatus.REQUESTED:
        raise GrantNotAwaitingDecision(
            _("This grant is %(status)s: only a grant awaiting approval can be decided.")
            % {"status": grant.get_status_display().lower()}
        )


def _refuse_own_decision(grant: RoleGrant, by: User, *, approving: bool) -> None:
    if grant.user_id == by.pk:
        raise OwnGrantDecision(
            _("This grant is for you: another access administrator must approve it.")
            if approving
            else _("This grant is for you: another access administrator must reject it.")
        )
    if grant.requested_by_id == by.pk:
        raise OwnGrantDecision(
            _("You asked for this grant: another access administrator must approve it.")
            if approving
            else _("You asked for this grant: another access administrator must reject it.")
        )


def _role_label(role: str) -> str:
    """The role as people read it, in the reader's language."""
    return str(Role(role).label) if role in ALL_ROLES else role


def _forget_roles(*users: User) -> None:
    for user in users:
        user.forget_roles()


def _copy_back(grant: RoleGrant, locked: RoleGrant, person: User) -> RoleGrant:
    """The caller's instance shows what was saved; the person's cached roles are read again."""
    if grant is not locked:
        for name in [*GRANT_FIELDS, "updated_at"]:
            setattr(grant, name, getattr(locked, name))
    _forget_roles(person, grant.user)
    return locked
