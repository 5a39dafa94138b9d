"""The index of persons: the list, a person's page across the cases the user may see, and the unit head's
possible duplicates, merges and their undoing.

Every person, accused record and merge comes from its own ``visible_to(user)`` (``prosecutions.access``):
a prosecutor sees a person only through the cases they may see, and a case they may not see leaves no
trace on the page — not in the cases, the counts, the sentences nor the co-accused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.access import PageAccess, RoleRequiredMixin
from core.versioning import Versioned
from core.views.generic import FilteredListView, RecordFormView, Tab, TabbedDetailView
from prosecutions import services
from prosecutions.access import PERSON_MERGERS, PERSON_READERS, can_merge_persons
from prosecutions.choices import ACQUITTALS, CONVICTIONS, DISCHARGES, Disposition
from prosecutions.filters import PersonFilter
from prosecutions.forms.persons import MergeUndoForm, PersonMergeForm
from prosecutions.models import Accused, Case, Charge, Person, PersonIdentifier, PersonMerge
from prosecutions.tables import PERSON_COLUMNS

# The unit head, alone, merges persons and undoes merges — on any person.
MERGE_PAGE = PageAccess(opens=PERSON_MERGERS)
DUPLICATES_SHOWN = 50
MERGES_SHOWN = 25


def persons_listed(user: Any) -> QuerySet[Person]:
    """The persons of the index the user may see, merged ones left out, each with the number of cases the
    user may see them accused in."""
    seen_cases = Case.objects.visible_to(user).values("pk")
    return (
        Person.objects.visible_to(user)
        .filter(merged_into__isnull=True)
        .annotate(
            case_count=Count(
                "accused_records__case",
                filter=Q(accused_records__case__in=seen_cases),
                distinct=True,
            )
        )
    )


class PersonListView(FilteredListView):
    """Every person the user may see, searchable by name, alias, ID or phone number."""

    allowed_roles = PERSON_READERS
    page_access = PageAccess(opens=PERSON_READERS)
    filterset_class = PersonFilter
    columns = PERSON_COLUMNS
    title = _("Persons")
    export_name = "persons"
    template_name = "prosecutions/person_list.html"

    def get_base_queryset(self) -> QuerySet[Any]:
        return persons_listed(self.request.user).order_by("name", "id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_merge": can_merge_persons(self.request.user)}


@dataclass
class AccusedRow:
    """The person in one case: the accused record, its counts and what became of them."""

    accused: Accused
    charges: list[Charge]
    co_accused: list[Accused] = field(default_factory=list)

    @property
    def convicted(self) -> int:
        return sum(1 for charge in self.charges if charge.disposition in CONVICTIONS)

    @property
    def acquitted(self) -> int:
        return sum(1 for charge in self.charges if charge.disposition in ACQUITTALS | DISCHARGES)

    @property
    def pending(self) -> int:
        return sum(1 for charge in self.charges if charge.disposition == Disposition.PENDING)

    @property
    def sentences(self) -> list[Any]:
        return [charge.sentence for charge in self.charges if getattr(charge, "sentence", None) is not None]


PERSON_TABS: tuple[Tab, ...] = (Tab("cases", _("Cases"), "prosecutions/person_cases.html"),)


class PersonDetailView(TabbedDetailView):
    """A person across the cases the user may see: each case and role, counts and outcomes, sentences and
    co-accused, in a fixed number of queries whatever the number of cases."""

    allowed_roles = PERSON_READERS
    page_access = PageAccess(opens=PERSON_READERS)
    template_name = "prosecutions/person_detail.html"
    context_object_name = "person"
    tabs = PERSON_TABS

    def get_queryset(self) -> QuerySet[Person]:
        return Person.objects.visible_to(self.request.user).select_related("merged_into")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person: Person = self.object
        user = self.request.user
        identifiers = PersonIdentifier.objects.visible_to(user).filter(person=person).order_by("kind", "value")
        return {
            **super().get_context_data(**kwargs),
            "title": str(person),
            "identifiers": list(identifiers),
            "can_merge": can_merge_persons(user) and person.merged_into_id is None,
        }

    def get_cases_context(self) -> dict[str, Any]:
        person: Person = self.object
        user = self.request.user
        charges = Charge.objects.select_related("offence", "sentence").order_by("count_number")
        records = list(
            Accused.objects.visible_to(user)
            .filter(person=person, case__in=Case.objects.visible_to(user))
            .select_related("case", "case__court", "case__county")
            .prefetch_related(Prefetch("charges", queryset=charges))
            .order_by("-case__opened_on", "case_id", "id")
        )
        rows = [AccusedRow(record, list(record.charges.all())) for record in records]
        by_case = {row.accused.case_id: row for row in rows}
        others = (
            Accused.objects.visible_to(user)
            .filter(case_id__in=list(by_case))
            .exclude(pk__in=[row.accused.pk for row in rows])
            .select_related("person")
            .order_by("name", "id")
        )
        for other in others:
            by_case[other.case_id].co_accused.append(other)
        return {
            "rows": rows,
            "totals": {
                "cases": len(by_case),
                "counts": sum(len(row.charges) for row in rows),
                "convicted": sum(row.convicted for row in rows),
                "acquitted": sum(row.acquitted for row in rows),
                "pending": sum(row.pending for row in rows),
                "sentences": sum(len(row.sentences) for row in rows),
            },
            "merges": self._merges(person),
        }

    def _merges(self, person: Person) -> list[PersonMerge]:
        """The merges into and out of this person, for the unit head (who alone merges)."""
        if not can_merge_persons(self.request.user):
            return []
        merges = PersonMerge.objects.visible_to(self.request.user).filter(Q(kept=person) | Q(merged=person))
        return list(merges.select_related("kept", "merged", "by", "undoes", "undone_by").order_by("-at", "-id"))


class PersonDuplicatesView(RoleRequiredMixin, TemplateView):
    """The unit head's list of persons who may be one: each pair with why, and a merge either way."""

    allowed_roles = PERSON_MERGERS
    page_access = MERGE_PAGE
    template_name = "prosecutions/person_duplicates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        merges = PersonMerge.objects.visible_to(self.request.user).select_related(
            "kept", "merged", "by", "undoes", "undone_by"
        )
        return {
            **super().get_context_data(**kwargs),
            "title": gettext("Possible duplicate persons"),
            "pairs": services.possible_duplicates(limit=DUPLICATES_SHOWN),
            "merges": list(merges.order_by("-at", "-id")[:MERGES_SHOWN]),
        }


class PersonMergeView(RecordFormView):
    """Merge this person into another (the one kept), with a reason: the unit head only."""

    allowed_roles = PERSON_MERGERS
    page_access = MERGE_PAGE
    form_class = PersonMergeForm
    title = _("Merge persons")
    template_name = "prosecutions/person_merge.html"

    def get_record_queryset(self) -> QuerySet[Person]:
        return Person.objects.visible_to(self.request.user)

    def get_version_parts(self) -> list[Versioned]:
        return [
            Versioned.of(self.record, noun=gettext("the person %(reference)s") % {"reference": self.record.reference})
        ]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = {**super().get_form_kwargs(), "merged": self.record, "user": self.request.user}
        into = self.request.GET.get("into", "")
        if into.isdigit() and self.request.method != "POST":
            kept = Person.objects.visible_to(self.request.user).filter(pk=int(into)).first()
            if kept is not None:
                kwargs["initial"] = {**kwargs.get("initial", {}), "kept": kept.reference}
        return kwargs

    def get_title(self) -> str:
        return gettext("Merge %(person)s into another person") % {"person": self.record}

    def get_cancel_url(self) -> str | None:
        return reverse("prosecutions:person_duplicates")

    def get_success_message(self, result: Any) -> str:
        return gettext("%(merged)s merged into %(kept)s.") % {"merged": result.merged, "kept": result.kept}

    def get_success_url_for(self, result: Any) -> str:
        return str(result.kept.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "person": self.record}


class MergeUndoView(RecordFormView):
    """Undo a merge with a reason — by a second merge record, never by deleting the first."""

    allowed_roles = PERSON_MERGERS
    page_access = MERGE_PAGE
    form_class = MergeUndoForm
    title = _("Undo a merge")
    template_name = "prosecutions/person_merge.html"

    def get_record_queryset(self) -> QuerySet[PersonMerge]:
        return PersonMerge.objects.visible_to(self.request.user).select_related("kept", "merged")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "merge": self.record}

    def get_title(self) -> str:
        return gettext("Undo the merge of %(merged)s into %(kept)s") % {
            "merged": self.record.merged,
            "kept": self.record.kept,
        }

    def get_cancel_url(self) -> str | None:
        return str(self.record.kept.get_absolute_url())

    def get_success_message(self, result: Any) -> str:
        return gettext("Merge undone: %(merged)s is a person of their own again.") % {"merged": self.record.merged}

    def get_success_url_for(self, result: Any) -> str:
        return str(self.record.merged.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "merge": self.record}
