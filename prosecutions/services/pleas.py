"""A plea of guilty to every count (CPC s.207) or under a plea agreement (s.137A–O): the court convicts on
the accused's own plea and the case goes from pre-trial (plea) straight to sentencing — no trial and no
judgment, so the timeline shows none."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from core.guards import not_in_future, today
from core.models import User
from prosecutions.choices import Disposition, Plea, Stage
from prosecutions.exceptions import DateOutOfOrder, PleaNotAllowed
from prosecutions.models import Case, Charge, StageChange
from prosecutions.services.counts import record_disposition
from prosecutions.services.shared import editable_locked_case, not_before_opening, stored_text
from prosecutions.services.stages import move_stage

# The conviction each admitting plea leads to.
CONVICTION_ON_PLEA: dict[Plea, Disposition] = {
    Plea.GUILTY: Disposition.CONVICTED_OWN_PLEA,
    Plea.GUILTY_PLEA_AGREEMENT: Disposition.CONVICTED_PLEA_AGREEMENT,
}
DEFAULT_NOTE = "Convicted on own plea (CPC s.207) or plea agreement (s.137A–O): no trial"


def _admitted_counts(case: Case) -> list[Charge]:
    charges = Charge.objects.filter(accused__case=case, disposition=Disposition.PENDING)
    return list(charges.select_related("accused").order_by("accused_id", "count_number"))


def own_plea_refusal(case: Case) -> str | None:
    """Why the case cannot be convicted on own plea now (``None`` when it can): at pre-trial, with every
    count still pending admitted by a plea of guilty or a guilty plea under a plea agreement."""
    if Stage(case.stage) != Stage.PRE_TRIAL:
        return gettext(
            "A conviction on own plea goes straight to sentencing from pre-trial (plea); this case is at %(stage)s."
        ) % {"stage": Stage(case.stage).label}
    pending = _admitted_counts(case)
    if not pending:
        return gettext("No count is pending: there is nothing left to convict on a plea.")
    denied = [charge for charge in pending if charge.plea not in CONVICTION_ON_PLEA]
    if denied:
        listed = ", ".join(
            gettext("%(name)s count %(number)s") % {"name": charge.accused.name, "number": charge.count_number}
            for charge in denied[:6]
        )
        if len(denied) > 6:
            listed = gettext("%(listed)s and %(more)s more") % {"listed": listed, "more": len(denied) - 6}
        return gettext(
            "Every count still pending must be admitted (a plea of guilty, or guilty under a plea agreement) "
            "before a conviction on own plea; not admitted: %(counts)s. With mixed pleas the case goes to "
            "trial on the counts denied."
        ) % {"counts": listed}
    return None


def can_convict_on_own_plea(case: Case) -> bool:
    """Whether the case page offers "Convict on own plea" (the rule :func:`convict_on_own_plea` applies)."""
    return own_plea_refusal(case) is None


@transaction.atomic
def convict_on_own_plea(case: Case, user: User, *, on: dt.date | None = None, reason: str = "") -> StageChange:
    """Convict every pending count on the accused's own plea (or the plea agreement) and move the case from
    pre-trial to sentencing, dated ``on``: one conviction per count, one stage move, all or nothing."""
    locked = editable_locked_case(case, user)
    day = on or today()
    refusal = own_plea_refusal(locked)
    if refusal is not None:
        raise PleaNotAllowed(refusal)
    counts = _admitted_counts(locked)
    not_in_future(day, gettext("date of the conviction"), field="effective_on")
    not_before_opening(locked, day, gettext("date of the conviction"), "effective_on")
    last_move = locked.stage_changes.order_by("-effective_on", "-id").first()
    if last_move is not None and day < last_move.effective_on:
        raise DateOutOfOrder(
            gettext("The date of the conviction (%(day)s) is before the case came to pre-trial (%(moved)s).")
            % {"day": f"{day:%d %b %Y}", "moved": f"{last_move.effective_on:%d %b %Y}"},
            "effective_on",
        )
    latest_plea = max((charge.plea_date for charge in counts if charge.plea_date), default=None)
    if latest_plea is not None and day < latest_plea:
        raise DateOutOfOrder(
            gettext("The date of the conviction (%(day)s) is before the last plea was taken (%(plea)s).")
            % {"day": f"{day:%d %b %Y}", "plea": f"{latest_plea:%d %b %Y}"},
            "effective_on",
        )
    note = reason.strip() or DEFAULT_NOTE
    for charge in counts:
        outcome = CONVICTION_ON_PLEA[Plea(charge.plea)]
        record_disposition(charge, user, disposition=outcome, disposition_date=day, note=stored_text(outcome.label))
    change = move_stage(locked, user, Stage.SENTENCING, effective_on=day, note=note)
    case.stage, case.last_activity_on = locked.stage, locked.last_activity_on
    return change
