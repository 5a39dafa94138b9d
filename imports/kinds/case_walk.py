"""The walk of one case through its stages: the services' calls, each dated from the register, that bring a
case from its opening to where the register says it stands — opened on the date reported, charged in court
on the date charged, tried from the last plea, judged on the first verdict, sentenced on the first sentence —
and what in the rows makes that impossible, said on the row and column before anything is saved."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils.translation import gettext

from core.guards import today
from imports.kinds.case_columns import COLUMN
from imports.kinds.case_drafts import CaseDraft, CountDraft, Step
from prosecutions.choices import CONVICTIONS, ClosureReason, Disposition, Plea, Stage

# Outcomes only a trial's end gives (recorded at Judgment, and resting on a plea).
VERDICTS = frozenset(
    {
        Disposition.CONVICTED_AFTER_TRIAL,
        Disposition.ACQUITTED_NO_CASE,
        Disposition.ACQUITTED_AFTER_DEFENCE,
        Disposition.ACQUITTED_WITHDRAWN,
    }
)
# Outcomes that rest on a defence hearing on record (s.211): the register gives its day (Defence hearing date) and
# the import records it, at trial, before the verdict.
NEED_DEFENCE = frozenset({Disposition.ACQUITTED_AFTER_DEFENCE, Disposition.ACQUITTED_WITHDRAWN})
OWN_PLEA = {
    Disposition.CONVICTED_OWN_PLEA: Plea.GUILTY,
    Disposition.CONVICTED_PLEA_AGREEMENT: Plea.GUILTY_PLEA_AGREEMENT,
}
ADMISSIONS = frozenset({Plea.GUILTY, Plea.GUILTY_PLEA_AGREEMENT})
ORDER = (
    Stage.INVESTIGATION,
    Stage.CHARGING_DECISION,
    Stage.PRE_TRIAL,
    Stage.TRIAL,
    Stage.JUDGMENT,
    Stage.SENTENCING,
    Stage.APPEAL,
)


def _fmt(day: dt.date) -> str:
    return f"{day:%d %b %Y}"


class CaseWalk:
    """The services' calls that bring a case from its opening to where the register says it stands, each
    dated, and what in the rows makes that impossible (said before anything is saved)."""

    def __init__(self, draft: CaseDraft) -> None:
        self.draft = draft
        self.fields = draft.fields
        self.last: dt.date = cast(dt.date, self.fields.get("reported_on") or today())
        self.steps: list[Step] = []

    def err(self, row: int, key: str, message: str) -> None:
        self.draft.err(row, key, message)

    def move(self, stage: Stage, day: dt.date, row: int, key: str, **extra: Any) -> None:
        if day < self.last:
            self.err(
                row,
                key,
                gettext("the case reaches %(stage)s on %(day)s, before its previous step (%(last)s)")
                % {"stage": stage.label, "day": _fmt(day), "last": _fmt(self.last)},
            )
        self.last = max(self.last, day)
        self.steps.append(Step(row, "move", day, stage, extra))

    def record(self, kind: str, count: CountDraft, index: int) -> None:
        day = {"plea": count.plea_date, "outcome": count.outcome_date, "sentence": count.sentence_date}[kind]
        self.steps.append(Step(count.row, kind, day, index))

    def reached(self) -> Stage:
        """The stage the case got to (before closing, for a closed case)."""
        stage = Stage(self.fields["stage"])
        if stage != Stage.CLOSED:
            return stage
        counts = self.draft.counts
        if any(count.sentence for count in counts):
            return Stage.SENTENCING
        if any(count.outcome in VERDICTS for count in counts):
            return Stage.JUDGMENT
        in_court = self.fields.get("court_case") and self.fields.get("charged_on") and counts
        if any(count.plea or count.outcome for count in counts) or in_court:
            return Stage.PRE_TRIAL
        if self.fields.get("charged_on"):
            return Stage.CHARGING_DECISION
        return Stage.INVESTIGATION

    def run(self) -> list[Step]:
        draft, fields = self.draft, self.draft.fields
        first = draft.first_row
        reported = fields.get("reported_on")
        if reported is None or "stage" not in fields:
            return []
        self._check_counts(reported)
        stage, reached = Stage(fields["stage"]), self.reached()
        self.steps.append(Step(first, "open", reported))
        for key, (_name, _role, row) in draft.accused.items():
            self.steps.append(Step(row, "accused", None, key))
        for index, count in enumerate(draft.counts):
            self.steps.append(Step(count.row, "count", count.offence_date, index))
        level = ORDER.index(reached)
        charged = fields.get("charged_on")
        if level < ORDER.index(Stage.PRE_TRIAL):
            for count in draft.counts:
                if count.plea or count.outcome or count.sentence:
                    key = "plea" if count.plea else "outcome" if count.outcome else "sentence_months"
                    self.err(
                        count.row,
                        key,
                        gettext("pleas, outcomes and sentences come once the case is in court; it is at %(stage)s")
                        % {"stage": reached.label},
                    )
            if level >= ORDER.index(Stage.CHARGING_DECISION):
                day = charged or (fields.get("stage_on") if stage != Stage.CLOSED else None) or reported
                self.move(Stage.CHARGING_DECISION, day, first, "charged_on")
        else:
            self._in_court(reached, charged)
        if stage == Stage.APPEAL:
            self._final_move(Stage.APPEAL)
        if stage == Stage.CLOSED:
            self._close()
        if fields.get("defence_on") and not draft.errors and not any(step.kind == "defence" for step in self.steps):
            self.err(
                first,
                "defence_on",
                gettext("a defence hearing is held during a trial; the case did not go to trial (it is at %(stage)s)")
                % {"stage": reached.label},
            )
        return self.steps

    def _check_counts(self, reported: dt.date) -> None:
        for count in self.draft.counts:
            for key in ("offence_date", "plea_date", "outcome_date", "sentence_date"):
                day = getattr(count, key)
                if day is not None and key != "offence_date" and day < reported:
                    self.err(
                        count.row,
                        key,
                        gettext("%(day)s is before the case was reported (%(reported)s)")
                        % {"day": _fmt(day), "reported": _fmt(reported)},
                    )
            self._check_defence(count)
            if count.outcome and count.outcome_date is None:
                self.err(count.row, "outcome_date", gettext("give the date of the outcome"))
            if count.outcome in VERDICTS and not count.plea:
                self.err(
                    count.row, "plea", gettext("a verdict after trial rests on a plea: give the plea to the count")
                )
            if count.outcome in OWN_PLEA and count.plea != OWN_PLEA[Disposition(count.outcome)]:
                self.err(
                    count.row,
                    "plea",
                    gettext("'%(outcome)s' needs the plea '%(plea)s'")
                    % {
                        "outcome": Disposition(count.outcome).label,
                        "plea": Plea(OWN_PLEA[Disposition(count.outcome)]).label,
                    },
                )
            if count.outcome and count.plea_date and count.outcome_date and count.outcome_date < count.plea_date:
                self.err(count.row, "outcome_date", gettext("the outcome is dated before the plea"))
            if count.sentence:
                if count.outcome not in CONVICTIONS:
                    self.err(count.row, "sentence_months", gettext("a sentence is passed only on a conviction"))
                if count.sentence_date is None:
                    self.err(count.row, "sentence_date", gettext("give the date the sentence was passed"))
                elif count.outcome_date and count.sentence_date < count.outcome_date:
                    self.err(count.row, "sentence_date", gettext("the sentence is dated before the conviction"))

    def _check_defence(self, count: CountDraft) -> None:
        """Acquittals after defence and withdrawals rest on whether the accused had been put on their defence
        by the outcome's date — as ``prosecutions.services.counts.check_defence`` will ask when it is saved."""
        defence: dt.date | None = self.fields.get("defence_on")
        outcome, day = count.outcome, count.outcome_date
        if outcome in NEED_DEFENCE and defence is None:
            self.err(
                count.row,
                "outcome",
                gettext(
                    "'%(outcome)s' rests on a defence hearing on record: give the day it was held (Defence hearing "
                    "date)"
                )
                % {"outcome": Disposition(outcome).label},
            )
        elif outcome in NEED_DEFENCE and defence is not None and day is not None and day < defence:
            self.err(
                count.row,
                "outcome_date",
                gettext("'%(outcome)s' is dated before the defence hearing (%(day)s)")
                % {"outcome": Disposition(outcome).label, "day": _fmt(defence)},
            )
        elif outcome == Disposition.DISCHARGED_WITHDRAWN and defence is not None and day is not None and day >= defence:
            self.err(
                count.row,
                "outcome",
                gettext(
                    "the accused were put on their defence on %(day)s: a withdrawal after that is an acquittal "
                    "under s.87(b), not a discharge under s.87(a)"
                )
                % {"day": _fmt(defence)},
            )

    def _defence_hearing(self, trial_on: dt.date) -> None:
        """The defence hearing the register dates, recorded at trial (after it began)."""
        defence: dt.date | None = self.fields.get("defence_on")
        if defence is None:
            return
        first = self.draft.first_row
        if defence < trial_on:
            self.err(
                first,
                "defence_on",
                gettext("the defence hearing is dated before the trial began (%(day)s)") % {"day": _fmt(trial_on)},
            )
        self.last = max(self.last, defence)
        self.steps.append(Step(first, "defence", defence))

    def _in_court(self, reached: Stage, charged: dt.date | None) -> None:
        draft, fields, first = self.draft, self.fields, self.draft.first_row
        missing = [key for key in ("court", "court_case", "charged_on") if not fields.get(key)]
        for key in missing:
            self.err(
                first,
                key,
                gettext("a case at %(stage)s has been charged in court: give the %(column)s")
                % {"stage": reached.label, "column": COLUMN[key].header},
            )
        if not draft.counts:
            self.err(first, "offence", gettext("a case charged in court has at least one count: give the offence"))
        if missing or not draft.counts:
            return
        charged = cast(dt.date, charged)
        self.move(Stage.CHARGING_DECISION, charged, first, "charged_on")
        self.move(Stage.PRE_TRIAL, charged, first, "charged_on")
        for index, count in enumerate(draft.counts):
            if count.plea:
                count.plea_date = count.plea_date or charged
                if count.plea_date < charged:
                    self.err(count.row, "plea_date", gettext("the plea is dated before the case was charged in court"))
                self.record("plea", count, index)
        level = ORDER.index(reached)
        verdicts = [count for count in draft.counts if count.outcome in VERDICTS]
        own_plea_path = reached in (Stage.SENTENCING, Stage.APPEAL) and not verdicts
        if level <= ORDER.index(Stage.PRE_TRIAL) or own_plea_path:
            self._decided_at_plea(reached, verdicts, own_plea_path)
        else:
            self._tried(reached, charged, verdicts)

    def _decided_at_plea(self, reached: Stage, verdicts: list[CountDraft], own_plea_path: bool) -> None:
        draft, first = self.draft, self.draft.first_row
        for count in verdicts:
            self.err(
                count.row,
                "outcome",
                gettext(
                    "a verdict after trial is recorded once the trial has ended (Judgment); the case is at %(stage)s"
                )
                % {"stage": reached.label},
            )
        for index, count in enumerate(draft.counts):
            if count.outcome and count.outcome not in VERDICTS:
                self.record("outcome", count, index)
        if not own_plea_path:
            for count in draft.counts:
                if count.sentence:
                    self.err(
                        count.row,
                        "sentence_months",
                        gettext("sentences are recorded at Judgment or Sentencing; the case is at %(stage)s")
                        % {"stage": reached.label},
                    )
            return
        pending = [count for count in draft.counts if not count.outcome]
        for count in pending:
            self.err(
                count.row,
                "outcome",
                gettext("the case went from the plea straight to sentencing (no trial): every count needs its outcome"),
            )
        if not any(count.outcome in OWN_PLEA for count in draft.counts):
            self.err(
                first,
                "stage",
                gettext(
                    "a case reaches Sentencing with no trial only on a conviction on own plea or a plea agreement; "
                    "give the verdicts after trial, or the convictions on plea"
                ),
            )
        days = [count.outcome_date for count in draft.counts if count.outcome_date]
        self.move(Stage.SENTENCING, max([self.last, *days]), first, "outcome_date")
        self._sentences()

    def _tried(self, reached: Stage, charged: dt.date, verdicts: list[CountDraft]) -> None:
        draft, first = self.draft, self.draft.first_row
        trial_on = max([charged, *(count.plea_date for count in draft.counts if count.plea and count.plea_date)])
        if reached == Stage.TRIAL and self.fields.get("stage_on"):
            trial_on = max(trial_on, self.fields["stage_on"])
        pending = []
        for index, count in enumerate(draft.counts):
            if count.outcome and count.outcome not in VERDICTS and count.outcome_date and count.outcome_date < trial_on:
                self.record("outcome", count, index)
            elif count.outcome not in VERDICTS or not count.outcome:
                pending.append((index, count))
        at_trial = [count for _index, count in pending] + verdicts
        for count in at_trial:
            if not count.plea:
                self.err(count.row, "plea", gettext("the case went to trial: give the plea to this count"))
        if not at_trial:
            self.err(first, "stage", gettext("every count had its outcome before a trial: there was nothing to try"))
        elif all(count.plea in ADMISSIONS for count in at_trial):
            self.err(
                first,
                "stage",
                gettext(
                    "every count left for trial was admitted, so there was nothing to try: record the convictions "
                    "on own plea and the stage Sentencing"
                ),
            )
        self.move(Stage.TRIAL, trial_on, first, "plea_date")
        self._defence_hearing(trial_on)
        for index, count in pending:
            if count.outcome:
                self.record("outcome", count, index)
        if reached == Stage.TRIAL:
            for count in verdicts:
                self.err(
                    count.row,
                    "outcome",
                    gettext(
                        "a verdict after trial is recorded once the trial has ended (Judgment); the case is at Trial"
                    ),
                )
            for count in draft.counts:
                if count.sentence:
                    self.err(
                        count.row,
                        "sentence_months",
                        gettext("sentences are recorded at Judgment or Sentencing; the case is at Trial"),
                    )
            return
        days = [count.outcome_date for count in verdicts if count.outcome_date]
        judged_on = (
            min(days) if days else (self.fields.get("stage_on") if reached == Stage.JUDGMENT else None) or trial_on
        )
        row = next((count.row for count in verdicts if count.outcome_date == judged_on), first)
        self.move(Stage.JUDGMENT, judged_on, row, "outcome_date" if days else "stage_on")
        for count in verdicts:
            self.record("outcome", count, draft.counts.index(count))
        sentenced = [count for count in draft.counts if count.sentence]
        if reached == Stage.SENTENCING or (reached == Stage.APPEAL and sentenced):
            if not any(count.outcome in CONVICTIONS for count in draft.counts):
                self.err(first, "stage", gettext("sentencing needs a conviction on at least one count"))
            sentence_days = [count.sentence_date for count in sentenced if count.sentence_date]
            on = min(sentence_days) if sentence_days else self.fields.get("stage_on") or judged_on
            self.move(Stage.SENTENCING, on, first, "sentence_date" if sentence_days else "stage_on")
        self._sentences()

    def _sentences(self) -> None:
        added: set[str] = set()
        for index, count in enumerate(self.draft.counts):
            if count.sentence and count.outcome in CONVICTIONS and count.sentence_date:
                if count.victim and count.victim not in added:  # the compensated victim, added to the case first
                    added.add(count.victim)
                    self.steps.append(Step(count.row, "victim", self.fields.get("reported_on"), count.victim))
                self.record("sentence", count, index)

    def _final_move(self, stage: Stage, **extra: Any) -> None:
        first = self.draft.first_row
        day = self.fields.get("stage_on")
        if day is None:
            self.err(first, "stage_on", gettext("give the day the case reached %(stage)s") % {"stage": stage.label})
            return
        self.move(stage, day, first, "stage_on", **extra)

    def _close(self) -> None:
        first = self.draft.first_row
        reason = self.fields.get("closure_reason")
        if not reason:
            self.err(first, "closure_reason", gettext("give the reason the case was closed"))
            return
        if reason == ClosureReason.CONCLUDED:
            for count in self.draft.counts:
                if not count.outcome:
                    self.err(
                        count.row,
                        "outcome",
                        gettext("a case closes as concluded only when every count has an outcome"),
                    )
        self._final_move(Stage.CLOSED, closure_reason=reason)
