"""The case list, "My cases" and the case page with its tabs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.access import PageAccess
from core.guards import today
from core.views.generic import FilteredListView, Tab, TabbedDetailView
from prosecutions.access import (
    CASE_READERS,
    CASE_WRITERS,
    can_assign_prosecutors,
    can_edit_case,
    can_open_cases,
    can_read_persons,
    can_reopen_case,
    own_cases,
)
from prosecutions.choices import CONVICTIONS, Disposition, HearingOutcome, Plea
from prosecutions.filters import CaseFilter
from prosecutions.models import (
    Accused,
    Case,
    Charge,
    Hearing,
    Sentence,
    StageChange,
    case_victim_model,
    victim_model,
)
from prosecutions.registry import TimelineEvent, annotate_hearings, case_tabs_for, timeline_sources
from prosecutions.services import allowed_next_stages
from prosecutions.tables import CASE_COLUMNS
from prosecutions.views.actions import case_offers


def accused_count() -> Coalesce:
    """Each case's number of accused, as a subquery evaluated for the rows fetched only: on a page of 25 of
    100,000 cases PostgreSQL counts 25 cases' accused, where a join + GROUP BY counted every case's first.
    ``COUNT()`` of the page (the paginator's) leaves it out altogether, the annotation being unused there."""
    per_case = (
        Accused._base_manager.filter(case_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_case, output_field=IntegerField()), Value(0))


# The columns the case list reads: each column's ``source`` (what the export reads), less the annotation.
# A page of 25 cases then loads some 16 columns rather than every column of the case, its court, county and
# lead prosecutor (the user's password hash and sign-in dates among them).
CASE_LIST_FIELDS: tuple[str, ...] = tuple(
    path for column in CASE_COLUMNS for path in column.source if path != "accused_count"
)


def case_list_queryset(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What the case columns read (and only that), in a fixed number of queries."""
    return (
        cases.select_related("court", "county", "lead_prosecutor")
        .only(*CASE_LIST_FIELDS)
        .annotate(accused_count=accused_count())
    )


class CaseListView(FilteredListView):
    """Every case the user may read, filtered, paginated and downloadable."""

    allowed_roles = CASE_READERS
    page_access = PageAccess(opens=CASE_READERS)
    filterset_class = CaseFilter
    columns = CASE_COLUMNS
    title = _("Cases")
    export_name = "cases"
    template_name = "prosecutions/case_list.html"
    filter_form_cacheable = True  # every choice of CaseFilter is static or reference data (core.filters)

    def get_base_queryset(self) -> QuerySet[Any]:
        return case_list_queryset(Case.objects.visible_to(self.request.user)).order_by("-opened_on", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_open_case": can_open_cases(self.request.user)}


class MyCasesView(CaseListView):
    """The cases the prosecutor leads or is on the team of."""

    allowed_roles = CASE_WRITERS
    page_access = PageAccess(opens=CASE_WRITERS)
    title = _("My cases")
    export_name = "my-cases"

    def get_base_queryset(self) -> QuerySet[Any]:
        mine = own_cases(Case.objects.visible_to(self.request.user), self.request.user)
        return case_list_queryset(mine).order_by("-opened_on", "-id")


CASE_TABS: tuple[Tab, ...] = (
    Tab("overview", _("Overview"), "prosecutions/tabs/overview.html"),
    Tab("accused", _("Accused & charges"), "prosecutions/tabs/accused.html"),
    Tab("victims", _("Victims"), "prosecutions/tabs/victims.html"),
    Tab("hearings", _("Hearings"), "prosecutions/tabs/hearings.html"),
    Tab("timeline", _("Timeline"), "prosecutions/tabs/timeline.html"),
)


class CaseDetailView(TabbedDetailView):
    """The case page: each tab runs a fixed number of queries, whatever the size of the case."""

    allowed_roles = CASE_READERS
    page_access = PageAccess(opens=CASE_READERS)
    template_name = "prosecutions/case_detail.html"
    context_object_name = "case"
    # The case's History tab lists its corrections, with their reasons, above every change.
    history_tab = Tab("history", _("History"), "prosecutions/tabs/history.html")

    def get_queryset(self) -> QuerySet[Case]:
        return Case.objects.visible_to(self.request.user).select_related("court", "county", "lead_prosecutor")

    def get_tabs(self) -> list[Tab]:
        extra = [case_tab.tab for case_tab in case_tabs_for(self.request.user)]
        return [*CASE_TABS, *extra, self.history_tab]

    def get_tab_context(self, tab: Tab) -> dict[str, Any]:
        registered = {case_tab.tab.slug: case_tab for case_tab in case_tabs_for(self.request.user)}
        if tab.slug in registered:
            return registered[tab.slug].context(self.object, self.request.user, self.request.GET)
        return super().get_tab_context(tab)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        case: Case = self.object
        user = self.request.user
        can_edit = can_edit_case(user, case)
        context = super().get_context_data(**kwargs)
        context.update(
            can_edit=can_edit,
            can_reopen=can_reopen_case(user, case),
            can_assign=can_assign_prosecutors(user, case),
            next_stages=allowed_next_stages(case) if can_edit else [],
            offers=case_offers(user, case),
            title=case.reference,
        )
        return context

    # --- tabs ------------------------------------------------------------------------------------

    def get_overview_context(self) -> dict[str, Any]:
        case: Case = self.object
        charges = Charge.objects.filter(accused__case=case)
        counts = charges.aggregate(
            total=Count("id"),
            convicted=Count("id", filter=_q_disposition_in(CONVICTIONS)),
            pending=Count("id", filter=_q_disposition_in({Disposition.PENDING})),
        )
        upcoming = (
            case.hearings.filter(date__gte=today(), outcome=HearingOutcome.SCHEDULED)
            .select_related("court")
            .order_by("date")
            .first()
        )
        if upcoming is not None:
            annotate_hearings([upcoming])
        return {
            "team": list(case.team.order_by("last_name", "first_name")),
            "accused_total": case.accused.count(),
            "victims_total": case.victim_links.count(),
            "count_totals": counts,
            "next_hearing": upcoming,
        }

    def get_accused_context(self) -> dict[str, Any]:
        charges = Charge.objects.select_related("offence", "sentence", "sentence__compensation_victim").order_by(
            "count_number"
        )
        accused = list(self.object.accused.order_by("id").prefetch_related(Prefetch("charges", queryset=charges)))
        return {
            "accused_list": accused,
            "plea_not_taken": Plea.NOT_TAKEN,
            "pending": Disposition.PENDING,
            "can_read_persons": can_read_persons(self.request.user),
        }

    def get_victims_context(self) -> dict[str, Any]:
        links = case_victim_model().objects.visible_to(self.request.user).filter(case=self.object)
        return {"victim_links": list(links.select_related("victim").order_by("victim__code"))}

    def get_hearings_context(self) -> dict[str, Any]:
        hearings = annotate_hearings(self.object.hearings.select_related("court").order_by("-date", "-id"))
        upcoming = [h for h in hearings if h.date >= today() and h.outcome == HearingOutcome.SCHEDULED]
        return {
            "hearings": hearings,
            "next_hearing": min(upcoming, key=lambda h: h.date) if upcoming else None,
            "flagged_count": sum(1 for h in hearings if h.exceeds_adjournment_limit),
            "today": today(),
            "outcomes": HearingOutcome,
        }

    def get_timeline_context(self) -> dict[str, Any]:
        return {"events": case_timeline(self.object)}

    def get_history_records(self) -> list[Any]:  # type: ignore[override]
        """The case's own changes and those of its stage moves, accused, counts, sentences, victims and
        hearings — one query per record type."""
        case: Case = self.object
        accused_ids = Accused.history.filter(case_id=case.pk).values("id")
        charge_ids = Charge.history.filter(accused_id__in=accused_ids).values("id")
        sources: list[QuerySet[Any]] = [
            case.history.all(),
            StageChange.history.filter(case_id=case.pk),
            Accused.history.filter(case_id=case.pk),
            Charge.history.filter(accused_id__in=accused_ids),
            Sentence.history.filter(charge_id__in=charge_ids),
            victim_model().history.filter(case_id=case.pk),
            case_victim_model().history.filter(case_id=case.pk),
            Hearing.history.filter(case_id=case.pk),
        ]
        records: list[Any] = []
        for source in sources:
            records.extend(source.select_related("history_user"))
        return records


def _q_disposition_in(values: Iterable[str]) -> Q:
    return Q(disposition__in=list(values))


# The kinds of timeline event (stored in English, shown translated by the timeline template).
STAGE_EVENT = gettext_noop("Stage")
HEARING_EVENT = gettext_noop("Hearing")
PLEA_EVENT = gettext_noop("Plea")
DISPOSITION_EVENT = gettext_noop("Disposition")
SENTENCE_EVENT = gettext_noop("Sentence")


def case_timeline(case: Case) -> list[TimelineEvent]:
    """Stage moves, hearings, pleas, count outcomes and sentences, plus what other apps register,
    in date order. A fixed number of queries."""
    events: list[TimelineEvent] = []
    for change in case.stage_changes.select_related("changed_by").order_by("effective_on", "id"):
        if not change.from_stage:
            text = gettext("Case opened by %(user)s") % {"user": change.changed_by}
        else:
            move = f"{change.get_from_stage_display()} → {change.get_to_stage_display()}"
            if change.closure_reason:
                move += f" ({change.get_closure_reason_display()})"
            # Translators: a stage move on the case timeline, e.g. "Trial → Judgment by Jane Wanjiru".
            text = gettext("%(move)s by %(user)s") % {"move": move, "user": change.changed_by}
        if change.note and change.from_stage:
            text += f" — {change.note}"
        events.append(TimelineEvent(change.effective_on, STAGE_EVENT, text))
    for hearing in case.hearings.select_related("court").order_by("date", "id"):
        text = gettext("%(purpose)s at %(court)s: %(outcome)s") % {
            "purpose": hearing.get_purpose_display(),
            "court": hearing.court,
            "outcome": hearing.get_outcome_display(),
        }
        if hearing.adjournment_reason:
            text += f" ({hearing.get_adjournment_reason_display()})"
        if hearing.next_date:
            text += "; " + gettext("next date %(date)s") % {"date": f"{hearing.next_date:%d %b %Y}"}
        if hearing.exceeds_adjournment_limit:
            text += " — " + gettext("adjournment of %(days)s clear days exceeds CPC s.205") % {
                "days": hearing.adjournment_clear_days
            }
        events.append(TimelineEvent(hearing.date, HEARING_EVENT, text, hearing.get_absolute_url()))
    charges = Charge.objects.filter(accused__case=case).select_related("accused", "offence").order_by("count_number")
    accused_url = reverse("prosecutions:case_detail", args=[case.pk]) + "?tab=accused"
    for charge in charges:
        offence = f"{charge.offence.short_statute} s.{charge.offence.section}"
        label = gettext("%(name)s, count %(number)s (%(offence)s)") % {
            "name": charge.accused.name,
            "number": charge.count_number,
            "offence": offence,
        }
        if charge.plea_date:
            events.append(
                TimelineEvent(charge.plea_date, PLEA_EVENT, f"{label}: {charge.get_plea_display()}", accused_url)
            )
        if charge.disposition_date:
            events.append(
                TimelineEvent(
                    charge.disposition_date,
                    DISPOSITION_EVENT,
                    f"{label}: {charge.get_disposition_display()}",
                    accused_url,
                )
            )
    sentences = Sentence.objects.filter(charge__accused__case=case).select_related("charge__accused")
    for sentence in sentences:
        parts = [sentence.custodial_label]
        if sentence.fine_amount:
            parts.append(
                gettext("fine KES %(amount)s (%(relation)s)")
                % {"amount": f"{sentence.fine_amount:,.2f}", "relation": sentence.get_fine_relation_display().lower()}
            )
        if sentence.deportation:
            parts.append(gettext("deportation"))
        text = gettext("%(name)s, count %(number)s sentenced: %(parts)s") % {
            "name": sentence.charge.accused.name,
            "number": sentence.charge.count_number,
            "parts": ", ".join(p for p in parts if p),
        }
        events.append(TimelineEvent(sentence.sentenced_on, SENTENCE_EVENT, text, accused_url))
    for source in timeline_sources():
        events.extend(source(case))
    order = {STAGE_EVENT: 0, HEARING_EVENT: 1, PLEA_EVENT: 2, DISPOSITION_EVENT: 3, SENTENCE_EVENT: 4}
    events.sort(key=lambda e: (e.date, order.get(e.kind, 5)))
    return events
