"""What the fund's pages and home-page panels read, as plain data: the fund at a glance, the requests
awaiting an approver, the items not yet reconciled. Imported by the views and the registrations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import django_filters
from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import AnyUser, has_role, roles_of
from core.roles import Role
from trustfund import ledger, matching, reports
from trustfund.access import FUND_APPROVERS
from trustfund.choices import DisbursementStatus, ProposalStatus
from trustfund.filters import DisbursementFilter, ProposalFilter, StatementLineFilter
from trustfund.models import AdjustmentProposal, Disbursement, JournalEntry, JournalLine, StatementLine
from trustfund.reports.month_end import month_states
from trustfund.services.adjustments import line_actions

PANEL_LIMIT = 8


def fund_summary(today: dt.date | None = None) -> dict[str, Any]:
    """The fund at a glance: balance, this year in and out, awaiting approval, unreconciled items.

    Totals only, never a record: the unit head, who may open no fund record, sees them too.
    """
    today = today or timezone.localdate()
    year = reports.current_year(today)
    start, _end = reports.year_bounds(year)
    bank = ledger.bank_account()
    moves = JournalLine.objects.filter(
        account=bank, entry__entry_date__gte=start, entry__entry_date__lte=today
    ).aggregate(money_in=Sum("debit"), money_out=Sum("credit"))
    awaiting = Disbursement.objects.filter(status=DisbursementStatus.REQUESTED).aggregate(
        n=Count("id"), total=Sum("amount")
    )
    approved = Disbursement.objects.filter(status=DisbursementStatus.APPROVED).aggregate(
        n=Count("id"), total=Sum("amount")
    )
    return {
        "balance": ledger.bank_balance(),
        "year": year,
        "money_in": moves["money_in"] or ledger.ZERO,
        "money_out": moves["money_out"] or ledger.ZERO,
        "awaiting_count": awaiting["n"],
        "awaiting_total": awaiting["total"] or ledger.ZERO,
        "approved_count": approved["n"],
        "approved_total": approved["total"] or ledger.ZERO,
        "unmatched_lines": StatementLine.objects.filter(matched_entry__isnull=True).count(),
        "unmatched_entries": matching.unmatched_bank_entries().count(),
    }


def summary_panel(user: AnyUser) -> dict[str, Any]:
    """The fund summary and the year's balance chart."""
    return {"summary": fund_summary(), "chart": reports.fund_balance_chart()}


def awaiting_approval(user: AnyUser) -> dict[str, Any]:
    """Requests this approver may decide: raised by someone else, still requested (the first few, and
    how many more)."""
    waiting = (
        Disbursement.objects.visible_to(user)
        .filter(status=DisbursementStatus.REQUESTED)
        .exclude(requested_by_id=user.pk)
    )
    rows = list(waiting.select_related("victim").order_by("requested_on", "id")[: PANEL_LIMIT + 1])
    more = waiting.count() - PANEL_LIMIT if len(rows) > PANEL_LIMIT else 0
    return {"rows": rows[:PANEL_LIMIT], "more": more, "requested": DisbursementStatus.REQUESTED}


def unreconciled(user: AnyUser) -> dict[str, Any]:
    """How many statement lines and bank entries are not yet matched."""
    return {
        "lines": StatementLine.objects.visible_to(user).filter(matched_entry__isnull=True).count(),
        "entries": matching.unmatched_bank_entries(JournalEntry.objects.visible_to(user)).count(),
    }


# --------------------------------------------------------------------------------------------------
# The fund home: what waits for whom


@dataclass(frozen=True)
class Queue:
    """One kind of work waiting on the fund home: how many, for whom, and the filtered list that shows
    exactly those records (the count is that list's own count, so the two cannot disagree)."""

    key: str
    label: str
    waits_for: str  # the role that must act, e.g. "a fund approver"
    count: int
    url: str
    mine: bool  # the signed-in user holds that role (the queue is theirs)


@dataclass(frozen=True)
class _QueueSpec:
    key: str
    label: str
    role: str
    url_name: str
    filterset: type[django_filters.FilterSet]
    params: dict[str, str]
    records: Callable[[AnyUser], QuerySet[Any]]


def unpaid_alert_cutoff(today: dt.date | None = None) -> dt.date:
    """Approved before this day and still unpaid: overdue (``FUND_UNPAID_ALERT_DAYS``, default 14)."""
    return (today or timezone.localdate()) - dt.timedelta(days=settings.FUND_UNPAID_ALERT_DAYS)


def _queue_specs(user: AnyUser, today: dt.date) -> list[_QueueSpec]:
    """The fund's queues as this user sees them: an approver's decisions exclude what they raised."""
    decides = has_role(user, FUND_APPROVERS)
    mine = {"awaiting_me": "true"} if decides else {}
    deciding = _("awaiting your decision") if decides else _("awaiting a fund approver")
    return [
        _QueueSpec(
            "proposals",
            (_("Adjusting entries %(deciding)s") % {"deciding": deciding}),
            Role.FUND_APPROVER,
            "trustfund:proposal_list",
            ProposalFilter,
            {"status": ProposalStatus.PROPOSED, **mine},
            AdjustmentProposal.objects.visible_to,
        ),
        _QueueSpec(
            "requests",
            (_("Disbursement requests %(deciding)s") % {"deciding": deciding}),
            Role.FUND_APPROVER,
            "trustfund:disbursement_list",
            DisbursementFilter,
            {"status": DisbursementStatus.REQUESTED, **mine},
            Disbursement.objects.visible_to,
        ),
        _QueueSpec(
            "unpaid",
            (
                _("Approved payments unpaid for more than %(FUND_UNPAID_ALERT_DAYS)s days")
                % {"FUND_UNPAID_ALERT_DAYS": settings.FUND_UNPAID_ALERT_DAYS}
            ),
            Role.FUND_ADMINISTRATOR,
            "trustfund:disbursement_list",
            DisbursementFilter,
            {"status": DisbursementStatus.APPROVED, "approved_before": unpaid_alert_cutoff(today).isoformat()},
            Disbursement.objects.visible_to,
        ),
        _QueueSpec(
            "lines",
            _("Bank statement lines not matched to the ledger"),
            Role.FUND_ADMINISTRATOR,
            "trustfund:line_list",
            StatementLineFilter,
            {"matched": "no"},
            StatementLine.objects.visible_to,
        ),
    ]


WAITS_FOR: dict[str, str] = {Role.FUND_APPROVER: "a fund approver", Role.FUND_ADMINISTRATOR: "the fund administrators"}


def fund_queues(request: HttpRequest, today: dt.date | None = None) -> list[Queue]:
    """What waits for whom, for a fund reader: each queue counted through the very filter its link applies
    (one query a queue), the signed-in user's own queues first."""
    user = request.user
    today = today or timezone.localdate()
    roles = roles_of(user)
    queues = []
    for spec in _queue_specs(user, today):
        query = QueryDict(mutable=True)
        query.update(spec.params)
        filtered = spec.filterset(query, queryset=spec.records(user), request=request)
        url = f"{reverse(spec.url_name)}?{urlencode(spec.params)}"
        mine = spec.role in roles
        waits_for = "you" if mine else WAITS_FOR[spec.role]
        queues.append(Queue(spec.key, spec.label, waits_for, filtered.qs.count(), url, mine))
    queues += _month_queues(roles, today)
    return sorted(queues, key=lambda queue: not queue.mine)


# The month-end page's ``?state=`` filters: the months each home-page queue counts.
MONTH_QUEUE_STATES: dict[str, frozenset[str]] = {
    "unreconciled": frozenset({"not_reconciled", "awaiting_statement"}),
    "unsigned": frozenset({"reconciled"}),
}


def _month_queues(roles: frozenset[str], today: dt.date) -> list[Queue]:
    """Months ended and not reconciled (the administrators match and adjust), and months reconciled but not
    signed off (an approver signs): counted from the month-end page's own states (a fixed number of queries)."""
    states = [month.state for month in month_states(today)]
    books = reverse("trustfund:books")
    return [
        Queue(
            key,
            label,
            "you" if role in roles else WAITS_FOR[role],
            sum(states.count(state) for state in MONTH_QUEUE_STATES[key]),
            f"{books}?{urlencode({'state': key})}",
            role in roles,
        )
        for key, label, role in (
            ("unreconciled", _("Months ended and not reconciled"), Role.FUND_ADMINISTRATOR),
            ("unsigned", _("Months reconciled and awaiting sign-off"), Role.FUND_APPROVER),
        )
    ]


def line_row_actions(user: AnyUser, lines: list[StatementLine]) -> dict[int, dict[str, Any]]:
    """For the statement lines list (an administrator's): each line's proposal awaiting a decision, if
    any, and the "Post as …" links an unmatched line without one offers (one query for the page)."""
    ids = [line.pk for line in lines if not line.matched_entry_id]
    waiting = (
        AdjustmentProposal.objects.visible_to(user)
        .filter(statement_line_id__in=ids, status=ProposalStatus.PROPOSED)
        .only("id", "reference", "statement_line_id")
    )
    proposals = {proposal.statement_line_id: proposal for proposal in waiting} if ids else {}
    return {
        line.pk: {
            "proposal": proposals.get(line.pk),
            "post_as": [] if line.matched_entry_id or line.pk in proposals else line_actions(line),
        }
        for line in lines
    }


def lines_with_totals(lines: QuerySet[Any]) -> dict[str, Any]:
    """The debit and credit lines of a journal entry or a proposed adjustment, with their totals (one query)."""
    rows = list(lines.select_related("account"))
    return {
        "lines": rows,
        "total_debit": sum((line.debit for line in rows), ledger.ZERO),
        "total_credit": sum((line.credit for line in rows), ledger.ZERO),
    }


def history_with_lines(record: Any, lines_field: str) -> list[Any]:
    """The history of a record with lines (a journal entry, a proposed adjustment) and of its lines, for the
    record's History tab: the lines are related to it through ``lines_field`` (e.g. ``"entry_id"``)."""
    model = type(record)
    line_model = model._meta.get_field("lines").related_model
    records: list[Any] = list(model.history.filter(id=record.pk).select_related("history_user"))
    records.extend(line_model.history.filter(**{lines_field: record.pk}).select_related("history_user"))
    return records
