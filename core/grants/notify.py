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
from django.utils import translation
from django.utils.translation import gettext as _

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
    names = {
        "role": grant.get_role_display(),
        "user": grant.user,
        "person": f"{grant.user} ({grant.user.username})",
        "actor": f"{by} ({by.username})",
        "requested_by": grant.requested_by,
    }
    if event is Event.REQUESTED:
        subject = _("CTIP tracker: %(role)s requested for %(user)s") % names
        what = (
            _(
                "%(actor)s asked for the role %(role)s for %(person)s.\n"
                "It does not count until a second access administrator approves it."
            )
            % names
        )
    else:
        subject = _("CTIP tracker: %(role)s granted to %(user)s") % names
        if grant.requested_by:
            what = _("%(actor)s granted the role %(role)s to %(person)s (asked for by %(requested_by)s).") % names
        else:
            what = _("%(actor)s granted the role %(role)s to %(person)s (asked for at the console).") % names
    body = _(
        "%(what)s\n\nReason given: %(reason)s\n\nThe grant: %(link)s\n\n"
        "You are told because you hold this role or a role that oversees it, or you are an access "
        "administrator. If you did not expect it, tell the head of the unit and the auditors.\n"
    ) % {"what": what, "reason": grant.reason, "link": reverse("core:grant_detail", args=[grant.pk])}
    return subject, body


def tell(watchers: Sequence[User], grant: RoleGrant, event: Event, by: User) -> None:
    """Queue one e-mail per watcher, sent when the surrounding transaction commits."""
    if not watchers:
        return
    messages = []
    for watcher in watchers:
        # Each in their own language (``User.language``, when they chose one), else the current one.
        with translation.override(getattr(watcher, "language", "") or translation.get_language()):
            subject, body = message_for(grant, event, by)
        messages.append((subject, body, None, [watcher.email]))
    transaction.on_commit(lambda: send_mass_mail(messages), robust=True)
