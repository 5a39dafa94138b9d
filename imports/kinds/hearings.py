"""The hearings register: one row per sitting of a case already in the tracker (found by its court case
number) — its date, time, court and courtroom, purpose, what happened and the next date given.

A sitting already recorded (same case, same date) is reported, not doubled — unless it is the one a
previous adjournment scheduled and the row now says what happened at it: that row records the outcome.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.utils.translation import gettext, gettext_lazy

from core.exceptions import DomainError
from core.roles import PROSECUTION_ROLES
from imports import values
from imports.kinds.base import Action, CellError, CellValue, Column, ImportKind, ParsedRow, RowError, RowPlan, register
from imports.kinds.common import (
    LOOKUP_CHUNK,
    ReferenceLists,
    RowRefused,
    court_case_number,
    not_after_today,
    read_live,
    refused,
    split_court_case,
)
from prosecutions.choices import AdjournmentReason, HearingOutcome, HearingPurpose

if TYPE_CHECKING:
    from core.models import User
    from prosecutions.models import Case, Court, Hearing

_ = cast("Callable[[str], str]", gettext_lazy)


def _choices(choices: Any, what: str, leave_out: tuple[str, ...] = ()) -> values.Parser:
    options = {str(value): str(label) for value, label in choices.choices if value not in leave_out}
    return values.choice(options, what)


def _labels(choices: Any, leave_out: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(str(label) for value, label in choices.choices if value not in leave_out)


_TIME = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.IGNORECASE)


def time_of_day(value: CellValue) -> dt.time:
    """A time: an Excel time cell, 09:30, 9.30, 2:30 pm."""
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time kept as a fraction of a day
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60)
    match = _TIME.match(str(value))
    if match is not None:
        hour, minute, half = int(match.group(1)), int(match.group(2)), (match.group(3) or "").lower()
        if half.startswith("p") and hour < 12:
            hour += 12
        if half.startswith("a") and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise CellError(
        gettext("'%(value)s' is not a time of day; write it as 09:30 or 2:30 pm") % {"value": values.shown(value)}
    )


COLUMNS: tuple[Column, ...] = (
    Column(
        "court_case",
        "Court case number",
        court_case_number,
        required=True,
        help=_("The case's court number, e.g. E123 of 2024: the case must already be in the tracker."),
    ),
    Column("date", "Date", values.date, required=True, help=_("The day of the sitting.")),
    Column("time", "Time", time_of_day, help=_("When the court sits, e.g. 09:30.")),
    Column(
        "court", "Court", values.text, help=_("The court station, as in the list; the case's court when left empty.")
    ),
    Column("courtroom", "Courtroom", values.text_up_to(40), help=_("e.g. Court 3.")),
    Column(
        "purpose",
        "Purpose",
        _choices(HearingPurpose, _("a purpose of a hearing")),
        required=True,
        help=_("What the sitting was for."),
        choices=_labels(HearingPurpose),
    ),
    Column(
        "outcome",
        "Outcome",
        _choices(HearingOutcome, _("an outcome of a hearing")),
        help=_("What happened; Scheduled (or empty) for a sitting still to come."),
        choices=_labels(HearingOutcome),
    ),
    Column(
        "adjournment_reason",
        "Adjournment reason",
        _choices(AdjournmentReason, _("a reason for an adjournment")),
        help=_("Why the sitting was adjourned (only for Adjourned)."),
        choices=_labels(AdjournmentReason),
    ),
    Column("next_date", "Next date", values.date, help=_("The next date given in court (needed when adjourned).")),
    Column("notes", "Notes", values.text, help=_("Anything else said in court worth keeping.")),
)
COLUMN = {column.key: column for column in COLUMNS}


@dataclass
class Context:
    """The cases the rows name and the sittings already recorded on them, the courts, read once."""

    lists: ReferenceLists
    cases: dict[tuple[str, int], Case]
    recorded: dict[tuple[int, dt.date], Hearing]
    court_reader: values.Parser
    scheduled: dict[tuple[int, dt.date], int] = field(default_factory=dict)  # next dates given by earlier rows
    editable: dict[int, bool] = field(default_factory=dict)  # case id → whether the importer may change it

    @classmethod
    def load(cls, rows: Sequence[ParsedRow], user: User) -> Context:
        from prosecutions.models import Case, Hearing

        lists = ReferenceLists.load()
        numbers = {
            number.key: number
            for parsed in rows
            if parsed.values.get("court_case")
            and (number := split_court_case(str(parsed.values["court_case"]))) is not None
        }
        serials = sorted({serial for serial, _year in numbers})
        cases: dict[tuple[str, int], Case] = {}
        visible = Case.objects.visible_to(user).select_related("court")
        for start in range(0, len(serials), LOOKUP_CHUNK):
            for case in visible.filter(court_case_serial__in=serials[start : start + LOOKUP_CHUNK]):
                if case.court_case_year:
                    cases.setdefault((case.court_case_serial.replace(" ", "").upper(), case.court_case_year), case)
        ids = sorted({case.pk for case in cases.values()})
        recorded: dict[tuple[int, dt.date], Hearing] = {}
        for start in range(0, len(ids), LOOKUP_CHUNK):
            for hearing in Hearing.objects.filter(case_id__in=ids[start : start + LOOKUP_CHUNK]):
                recorded.setdefault((hearing.case_id, hearing.date), hearing)
        return cls(lists, cases, recorded, lists.court_reader())


@dataclass
class Sitting:
    """One row read against the tracker: the case, the court, and the sitting already recorded, if any."""

    row: int
    case: Case | None
    court: Court | None
    existing: Hearing | None
    errors: list[RowError]
    action: Action


def _err(errors: list[RowError], row: int, key: str, message: str) -> None:
    errors.append(RowError(row, COLUMN[key].header if key else "", message))


def _read(parsed: ParsedRow, ctx: Context, user: User, seen: dict[tuple[int, dt.date], int]) -> Sitting:
    from prosecutions.services import hearing_refusal

    got, row = parsed.values, parsed.row
    errors = list(parsed.errors)
    if got.get("outcome") not in (None, HearingOutcome.SCHEDULED):  # a sitting still to come may lie ahead
        not_after_today(row, COLUMN["date"], got.get("date"), errors)
    court = read_live(parsed, errors, COLUMN["court"], ctx.court_reader)
    number = split_court_case(str(got["court_case"])) if got.get("court_case") else None
    case = ctx.cases.get(number.key) if number else None
    if number is not None and case is None:
        _err(
            errors,
            row,
            "court_case",
            gettext("no case in the tracker has the court number %(number)s") % {"number": number},
        )
    elif case is not None and not _editable(ctx, user, case):
        _err(
            errors,
            row,
            "court_case",
            gettext("you are not the lead prosecutor or on the team of %(case)s (or it is closed)")
            % {"case": case.reference},
        )
    elif case is not None and (refusal := hearing_refusal(case)) is not None:
        _err(errors, row, "court_case", refusal)
    chosen = ctx.lists.courts[str(court)] if court else (case.court if case else None)
    if case is not None and chosen is None:
        _err(errors, row, "court", gettext("give the court that sat: the case has none recorded"))
    outcome = str(got.get("outcome") or HearingOutcome.SCHEDULED)
    reason, next_date, day = got.get("adjournment_reason"), got.get("next_date"), got.get("date")
    if outcome == HearingOutcome.ADJOURNED:
        if not reason:
            _err(errors, row, "adjournment_reason", gettext("give the reason the hearing was adjourned"))
        if next_date is None:
            _err(errors, row, "next_date", gettext("give the date the hearing was adjourned to"))
    elif reason:
        _err(errors, row, "adjournment_reason", gettext("an adjournment reason goes only with an adjourned hearing"))
    if isinstance(day, dt.date) and isinstance(next_date, dt.date) and next_date <= day:
        _err(errors, row, "next_date", gettext("the next date must be after the hearing date"))
    if isinstance(day, dt.date) and case is not None and day < case.opened_on:
        _err(
            errors,
            row,
            "date",
            gettext("the hearing is dated before the case was opened (%(day)s)")
            % {"day": f"{case.opened_on:%d %b %Y}"},
        )
    existing, action = None, Action.CREATE
    if case is not None and isinstance(day, dt.date):
        key = (case.pk, day)
        if key in seen:
            _err(
                errors,
                row,
                "date",
                gettext("row %(row)s is a sitting of the same case on the same day") % {"row": seen[key]},
            )
        seen.setdefault(key, row)
        existing = ctx.recorded.get(key)
        if existing is not None:
            fills_in = existing.outcome == HearingOutcome.SCHEDULED and outcome != HearingOutcome.SCHEDULED
            action = Action.UPDATE if fills_in else Action.DUPLICATE
        elif key in ctx.scheduled:  # an earlier row's next date schedules this sitting; this row fills it in
            action = Action.UPDATE
        if isinstance(next_date, dt.date) and (case.pk, next_date) not in ctx.recorded:
            ctx.scheduled.setdefault((case.pk, next_date), row)
    return Sitting(row, case, chosen, existing, errors, action)


def _editable(ctx: Context, user: User, case: Case) -> bool:
    from prosecutions.access import can_edit_case

    if case.pk not in ctx.editable:
        ctx.editable[case.pk] = can_edit_case(user, case)
    return ctx.editable[case.pk]


def _summary(parsed: ParsedRow, sitting: Sitting) -> str:
    got = parsed.values
    day = got.get("date")
    when = f"{day:%d %b %Y}" if isinstance(day, dt.date) else ""
    case = sitting.case.reference if sitting.case else str(got.get("court_case") or "")
    purpose = HearingPurpose(str(got["purpose"])).label if got.get("purpose") else ""
    outcome = HearingOutcome(str(got.get("outcome") or HearingOutcome.SCHEDULED)).label
    if sitting.action == Action.DUPLICATE:
        return gettext("Already in the tracker: %(case)s, hearing on %(day)s: not imported again") % {
            "case": case,
            "day": when,
        }
    if sitting.action == Action.UPDATE:
        return gettext("Outcome of the hearing of %(case)s on %(day)s: %(outcome)s") % {
            "case": case,
            "day": when,
            "outcome": outcome,
        }
    return gettext("New hearing of %(case)s on %(day)s: %(purpose)s, %(outcome)s") % {
        "case": case,
        "day": when,
        "purpose": purpose,
        "outcome": outcome,
    }


@register
class HearingRegister(ImportKind):
    """The hearings register: sittings of cases already in the tracker."""

    slug = "hearings"
    title = _("Hearings register")
    columns = COLUMNS
    allowed_roles = PROSECUTION_ROLES  # who records hearings on the case pages (prosecutions.access.CASE_WRITERS)
    list_url_name = "prosecutions:hearing_list"

    @classmethod
    def live_choices(cls) -> dict[str, tuple[str, ...]]:
        return {"court": tuple(ReferenceLists.load().courts)}

    def _sittings(self, rows: Sequence[ParsedRow], user: User) -> list[Sitting]:
        ctx = Context.load(rows, user)
        seen: dict[tuple[int, dt.date], int] = {}
        return [_read(parsed, ctx, user, seen) for parsed in rows]

    def plan(self, rows: Sequence[ParsedRow], user: User) -> list[RowPlan]:
        plans = []
        for parsed, sitting in zip(rows, self._sittings(rows, user), strict=True):
            plans.append(RowPlan(parsed.row, parsed.values, sitting.action, _summary(parsed, sitting), sitting.errors))
        return plans

    def apply(self, plans: Sequence[RowPlan], user: User, *, file_name: str, progress: Callable[[int], None]) -> None:
        from core.channels import history_note
        from prosecutions import services

        rows = [ParsedRow(plan.row, plan.values) for plan in plans]
        for done, (parsed, sitting) in enumerate(zip(rows, self._sittings(rows, user), strict=True), start=1):
            if sitting.errors:  # the tracker changed since the preview: nothing is saved
                raise RowRefused(sitting.row, sitting.errors[0].message, sitting.errors[0].column)
            got = parsed.values
            outcome = str(got.get("outcome") or HearingOutcome.SCHEDULED)
            with history_note(f"imported from {file_name}, row {parsed.row}"):
                try:
                    action = sitting.action
                    if action == Action.UPDATE and sitting.existing is None:
                        sitting.existing = _scheduled_since(cast("Case", sitting.case), cast(dt.date, got["date"]))
                        if sitting.existing is None:
                            action = Action.CREATE
                        elif outcome == HearingOutcome.SCHEDULED:  # scheduled already by an earlier row
                            action = Action.DUPLICATE
                    if action == Action.CREATE:
                        services.record_hearing(
                            cast("Case", sitting.case),
                            user,
                            date=cast(dt.date, got["date"]),
                            purpose=str(got["purpose"]),
                            court=sitting.court,
                            time=cast("dt.time | None", got.get("time")),
                            courtroom=str(got.get("courtroom") or ""),
                            outcome=outcome,
                            adjournment_reason=str(got.get("adjournment_reason") or ""),
                            next_date=cast("dt.date | None", got.get("next_date")),
                            notes=str(got.get("notes") or ""),
                        )
                    elif action == Action.UPDATE:
                        services.record_hearing_outcome(
                            cast("Hearing", sitting.existing),
                            user,
                            outcome=outcome,
                            adjournment_reason=str(got.get("adjournment_reason") or ""),
                            next_date=cast("dt.date | None", got.get("next_date")),
                            notes=str(got.get("notes") or ""),
                        )
                except DomainError as error:
                    raise refused(parsed.row, error) from error
            progress(done)


def _scheduled_since(case: Case, day: dt.date) -> Hearing | None:
    """The sitting an earlier row of this import scheduled by giving its date as the next date."""
    from prosecutions.models import Hearing

    return Hearing.objects.filter(case=case, date=day, outcome=HearingOutcome.SCHEDULED).order_by("id").first()
