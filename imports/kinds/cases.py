"""The case register: one row per count — the case (OB and court numbers, court, county, dates, stage), the
accused (name, network role) and the count (offence, plea, outcome, sentence), with the prosecutor leading it.

Rows of one case are found by their OB number or court case number (either joins them). A case already in
the tracker with one of those numbers is reported, not imported again. A historic case is walked through
its stages in order, each move dated from the register: opened on the date reported, charged in court on
the date charged, tried from the last plea, judged on the first verdict, sentenced on the first sentence —
through the same services, and so the same guards, as the case pages.

The register in four modules, each depending only on those before it: ``case_columns`` (the headings and
how cells are read), ``case_drafts`` (rows grouped into cases and read against the tracker),
``case_walk`` (the dated stage walk) and this one (the kind: preview summaries and the save).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, cast

from django.utils.translation import gettext, gettext_lazy

from core.exceptions import DomainError
from core.roles import PROSECUTION_ROLES
from imports.kinds.base import Action, ImportKind, ParsedRow, RowError, RowPlan, RowSource, register
from imports.kinds.case_columns import COLUMNS
from imports.kinds.case_drafts import CaseDraft, Context, grouped, read_case, survey
from imports.kinds.case_walk import CaseWalk
from imports.kinds.common import (
    CourtCaseNumber,
    ReferenceLists,
    RowRefused,
    offence_label,
    refused,
    split_court_case,
    split_offence_code,
)
from prosecutions.choices import Disposition, HearingOutcome, HearingPurpose, Stage

if TYPE_CHECKING:
    from core.models import County, User
    from prosecutions.models import Accused, Case, Charge
    from victims.models import Victim

_ = cast("Callable[[str], str]", gettext_lazy)


def _summary(draft: CaseDraft, parsed: ParsedRow, ctx: Context) -> str:
    values_ = parsed.values
    count = next((count for count in draft.counts if count.row == parsed.row), None)
    name = str(values_.get("accused") or "")
    if count is not None:
        statute, section = split_offence_code(count.offence)
        what = gettext("accused %(name)s, count %(number)s — %(offence)s") % {
            "name": name,
            "number": count.number,
            "offence": offence_label(statute, section),
        }
        if count.outcome:
            what += f", {Disposition(count.outcome).label}"
    else:
        what = gettext("accused %(name)s, not yet charged") % {"name": name}
    if draft.duplicate_of is not None:
        return gettext("Already in the tracker as %(reference)s (%(case)s): not imported again") % {
            "reference": draft.duplicate_of.reference,
            "case": draft.named(),
        }
    if parsed.row == draft.first_row:
        where = draft.court.name if draft.court else (draft.county.name if draft.county else "")
        stage = Stage(draft.fields["stage"]).label if draft.fields.get("stage") else ""
        return gettext("New case at %(where)s (%(stage)s), %(what)s") % {"where": where, "stage": stage, "what": what}
    return gettext("Same case as row %(row)s: %(what)s") % {"row": draft.first_row, "what": what}


def _drafts(rows: RowSource, user: User) -> tuple[Context, Iterator[CaseDraft]]:
    """What the rows are read against, and each case's draft in turn, made once its last row is read and let
    go after: the file is read twice (which rows are one case, then the cases), and memory stays that of the
    cases being read, whatever the file's length."""
    found = survey(rows())
    ctx = Context.load(found, user)

    def drafts() -> Iterator[CaseDraft]:
        for group in grouped(rows(), found):
            draft = read_case(group, ctx)
            draft.steps = CaseWalk(draft).run()
            yield draft

    return ctx, drafts()


@register
class CaseRegister(ImportKind):
    """The case register: one row per count, rows of one case joined by OB or court case number."""

    slug = "cases"
    title = _("Case register")
    columns = COLUMNS
    allowed_roles = PROSECUTION_ROLES  # who opens cases on the pages (prosecutions.access.CASE_WRITERS)
    list_url_name = "prosecutions:case_list"
    streams = True  # planned and saved case by case, the file read again for each pass (``_drafts``)

    @classmethod
    def live_choices(cls) -> dict[str, tuple[str, ...]]:
        """The drop-down words of the columns whose choices are the tracker's own reference lists."""
        lists = ReferenceLists.load()
        offences = tuple(offence_label(*split_offence_code(code)) for code in lists.offences)
        return {
            "court": tuple(lists.courts),
            "county": tuple(county.name for county in lists.counties.values()),
            "offence": offences,
        }

    def plan(self, rows: Sequence[ParsedRow], user: User) -> list[RowPlan]:
        plans = {plan.row: plan for plan in self.plan_rows(lambda: rows, user)}
        return [plans[parsed.row] for parsed in rows]

    def plan_rows(self, rows: RowSource, user: User) -> Iterator[RowPlan]:
        ctx, drafts = _drafts(rows, user)
        for draft in drafts:
            by_row: dict[int, list[RowError]] = {}
            for error in draft.errors:
                by_row.setdefault(error.row, []).append(error)
            action = Action.DUPLICATE if draft.duplicate_of is not None else Action.CREATE
            for parsed in draft.rows:
                errors = [*parsed.errors, *by_row.get(parsed.row, [])]
                yield RowPlan(parsed.row, parsed.values, action, _summary(draft, parsed, ctx), _unique(errors))

    def apply(self, plans: Sequence[RowPlan], user: User, *, file_name: str, progress: Callable[[int], None]) -> None:
        rows = [ParsedRow(plan.row, plan.values) for plan in plans]
        self.apply_rows(lambda: rows, user, file_name=file_name, progress=progress)

    def apply_rows(self, rows: RowSource, user: User, *, file_name: str, progress: Callable[[int], None]) -> None:
        """Save case by case. The stage moves of the walk are not told to the lead prosecutors one by one: once
        the import has committed, each lead other than the importer is told once how many of their cases came
        in (``notifications.events.cases_imported``)."""
        from django.db import transaction

        from notifications import events
        from notifications.receivers import case_moves_summarised

        ctx, drafts = _drafts(rows, user)
        done = 0
        led: dict[int, tuple[int, int]] = {}  # lead's id → (cases imported, the first one's id)
        with case_moves_summarised():
            for draft in drafts:
                if draft.errors:  # the tracker changed since the preview: nothing is saved
                    error = draft.errors[0]
                    raise RowRefused(error.row, error.message, error.column)
                if draft.duplicate_of is None:
                    case = _save(draft, ctx, user, file_name)
                    if case is not None:
                        number, first = led.get(case.lead_prosecutor_id, (0, case.pk))
                        led[case.lead_prosecutor_id] = (number + 1, first)
                done += len(draft.rows)
                progress(done)
        if any(lead != user.pk for lead in led):
            transaction.on_commit(partial(events.cases_imported, user.pk, file_name, led), robust=True)


def _unique(errors: list[RowError]) -> list[RowError]:
    return list(dict.fromkeys(errors))


def _save(draft: CaseDraft, ctx: Context, user: User, file_name: str) -> Case | None:
    """Walk the case through the services, each call noted with the row it comes from; the case opened (none
    for a draft with no walk, which has errors and is never saved)."""
    from core.channels import history_note
    from prosecutions import services

    fields = draft.fields
    number: CourtCaseNumber | None = split_court_case(str(fields["court_case"])) if fields.get("court_case") else None
    case: Case | None = None
    accused: dict[str, Accused] = {}
    charges: dict[int, Charge] = {}
    victims: dict[str, Victim] = {}
    for step in draft.steps:
        with history_note(f"imported from {file_name}, row {step.row}"):
            try:
                if step.kind == "open":
                    first = draft.rows[0].values.get("accused") or ""
                    title = fields.get("title") or f"Republic v. {' '.join(str(first).split())}" + (
                        " and others" if len(draft.accused) > 1 else ""
                    )
                    case = services.open_case(
                        user,
                        title=str(title)[:255],
                        county=cast("County", draft.county),
                        opened_on=cast(dt.date, step.day),
                        lead_prosecutor=draft.lead,
                        court=draft.court,
                        court_case_type=number.case_type if number else "Criminal Case",
                        court_case_serial=number.serial if number else "",
                        court_case_year=number.year if number else None,
                        ob_number=str(fields.get("ob_number") or ""),
                        ob_date=cast(dt.date, step.day),
                    )
                    continue
                assert case is not None
                if step.kind == "accused":
                    name, role, _row = draft.accused[step.target]
                    accused[step.target] = services.add_accused(case, user, name=name, network_role=role)
                elif step.kind == "count":
                    count = draft.counts[step.target]
                    charges[step.target] = services.add_charge(
                        accused[count.accused],
                        user,
                        count_number=cast(int, count.number),
                        offence=ctx.lists.offences[count.offence][-1],
                        offence_date=count.offence_date,
                    )
                elif step.kind == "move":
                    services.move_stage(
                        case,
                        user,
                        step.target,
                        effective_on=step.day,
                        closure_reason=step.extra.get("closure_reason", ""),
                    )
                elif step.kind == "plea":
                    count = draft.counts[step.target]
                    services.record_plea(charges[step.target], user, plea=count.plea, plea_date=step.day)
                elif step.kind == "defence":  # the accused put on their defence (s.211)
                    services.record_hearing(
                        case,
                        user,
                        date=cast(dt.date, step.day),
                        purpose=HearingPurpose.DEFENCE_HEARING,
                        outcome=HearingOutcome.PROCEEDED,
                    )
                elif step.kind == "victim":
                    victims[step.target] = services.add_victim(
                        case,
                        user,
                        exploitation_type=draft.victims[step.target][1],
                        identified_on=cast(dt.date, step.day),
                    )
                elif step.kind == "outcome":
                    count = draft.counts[step.target]
                    services.record_disposition(
                        charges[step.target], user, disposition=count.outcome, disposition_date=step.day
                    )
                elif step.kind == "sentence":
                    count = draft.counts[step.target]
                    services.record_sentence(
                        charges[step.target],
                        user,
                        sentenced_on=step.day,
                        compensation_victim=victims.get(count.victim),
                        **count.sentence,
                    )
            except DomainError as error:
                raise refused(step.row, error) from error
    return case
