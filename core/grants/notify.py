"""Who is told when a sensitive role is asked for or granted, and the e-mail they get.

The access administrators, and the people who already hold the power the role gives (liaisons for a
liaison, victim services officers for one of theirs, approvers for either fund role), each get their
own e-mail (nobody sees the others' addresses), sent once the grant is committed: a refused or
rolled-back grant tells no one.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

from core.models import RoleGrant, User
from core.roles import SENSITIVE_ROLE_WATCHERS, Role


class Event(enum.Enum):
    REQUESTED = "requested"
    GRANTED = "granted"


def watchers_of(role: str) -> list[User]:
    """The people told about a grant of ``role``: its watchers' holders and the access administrators,
    as they are now (read before the grant changes anyone's roles). Accounts without e-mail are skipped."""
    roles = {Role.ACCESS_ADMINISTRATOR}
    if role in SENSITIVE_ROLE_WATCHERS:
        roles.add(Role(SENSITIVE_ROLE_WATCHERS[role]))
    return list(User.objects.holding(roles).exclude(email="").order_by("username"))


def message_for(grant: RoleGrant, event: Event, by: User) -> tuple[str, str]:
    """Subject and body of the e-mail about ``grant``."""
    person = f"{grant.user} ({grant.user.username})"
    actor = f"{by} ({by.username})"
    if event is Event.REQUESTED:
        subject = f"CTIP tracker: {grant.role} requested for {grant.user}"
        what = (
            f"{actor} asked for the role {grant.role} for {person}.\n"
            "It does not count until a second access administrator approves it."
        )
    else:
        subject = f"CTIP tracker: {grant.role} granted to {grant.user}"
        asked = f"asked for by {grant.requested_by}" if grant.requested_by else "asked for at the console"
        what = f"{actor} granted the role {grant.role} to {person} ({asked})."
    body = (
        f"{what}\n\nReason given: {grant.reason}\n\nThe grant: {reverse('core:grant_detail', args=[grant.pk])}\n\n"
        "You are told because you hold this role or a role that oversees it, or you are an access "
        "administrator. If you did not expect it, tell the head of the unit and the auditors.\n"
    )
    return subject, body


def tell(watchers: Sequence[User], grant: RoleGrant, event: Event, by: User) -> None:
    """Queue one e-mail per watcher, sent when the surrounding transaction commits."""
    if not watchers:
        return
    subject, body = message_for(grant, event, by)
    messages = [(subject, body, None, [watcher.email]) for watcher in watchers]
    transaction.on_commit(lambda: send_mass_mail(messages), robust=True)
