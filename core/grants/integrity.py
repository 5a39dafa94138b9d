"""The audit check for role grants: every membership of a role group matches an approved, unrevoked
grant, and every grant in force has its membership.

Group membership (``auth_user_groups``) is not a tracked record: the grants are. A membership written
behind the grant services' back (the admin before it was made read-only, raw SQL) gives no role —
``roles_of`` ignores it — and this check names it, so ``verify_audit`` fails until it is put right.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from core.choices import GrantStatus
from core.models import RoleGrant, User
from core.roles import ALL_ROLES

NAME = gettext_noop("role-group memberships match the grants in force")


def role_membership_problems() -> list[str]:
    """One sentence per mismatch between role-group memberships and grants in force; empty when none."""
    memberships = set(
        User.groups.through.objects.filter(group__name__in=ALL_ROLES).values_list("user_id", "group__name")
    )
    granted = set(RoleGrant.objects.filter(status=GrantStatus.APPROVED).values_list("user_id", "role"))
    wrong = sorted(memberships ^ granted, key=lambda pair: (pair[0], pair[1]))
    if not wrong:
        return []
    usernames = dict(User.objects.filter(pk__in={user_id for user_id, _ in wrong}).values_list("pk", "username"))
    problems = []
    for user_id, role in wrong:
        # The role is the group's name as stored (never translated), quoted as written.
        names = {"user": usernames.get(user_id, "?"), "id": user_id, "role": repr(role)}
        if (user_id, role) in memberships:
            problem = gettext(
                "user %(user)s (#%(id)s) is in the group %(role)s without an approved grant: the membership was "
                "added outside the grant services"
            )
        else:
            problem = gettext(
                "user %(user)s (#%(id)s) has an approved grant of %(role)s but is not in its group: the membership "
                "was removed outside the grant services"
            )
        problems.append(problem % names)
    return problems


def check_role_memberships() -> str:
    """The first problem, or "" when memberships and grants agree (for ``verify_audit``)."""
    problems = role_membership_problems()
    if not problems:
        return ""
    if len(problems) == 1:
        return problems[0]
    more = len(problems) - 1
    return gettext("%(problem)s (and %(more)s more)") % {
        "problem": problems[0],
        "more": more,
    }
