"""The prosecution records that take documents — the case, an accused, a count (its sentence included), a
hearing — with the papers each takes and who sees, attaches and withdraws them; and the case page's
Documents tab. Whoever reads the case reads its documents; its prosecutors (the unit head on any case)
attach while it is open; the unit head withdraws one attached by mistake."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.views.generic import Tab
from documents.choices import DocumentType as T
from documents.queries import case_file_documents, case_tab_context
from documents.registry import RecordKind, register_record_kind
from prosecutions.access import CASE_READERS, CASE_WRITERS, EVERY_CASE_WRITERS, can_edit_case, can_read_cases
from prosecutions.models import Accused, Case, Charge, Hearing
from prosecutions.registry import CaseFileSection, CaseTab, register_case_file_section, register_case_tab


def _case_page(case_id: int, tab: str) -> str:
    return reverse("prosecutions:case_detail", args=[case_id]) + f"?tab={tab}"


def _case_parts(case: Case) -> list[Any]:
    """From the case's upload page a paper may go to one of its accused, counts or hearings."""
    accused = list(case.accused.order_by("id"))
    counts = list(
        Charge.objects.filter(accused__case=case).select_related("accused__case").order_by("accused_id", "count_number")
    )
    hearings = list(case.hearings.select_related("case").order_by("-date", "-id"))
    return [*accused, *counts, *hearings]


def _kind(**fields: Any) -> RecordKind:
    """A kind of this app's records, with the access its records share."""
    return RecordKind(
        readers=CASE_READERS,
        attachers=CASE_WRITERS,
        attachers_everywhere=EVERY_CASE_WRITERS,
        withdrawers=EVERY_CASE_WRITERS,
        **fields,
    )


register_record_kind(
    _kind(
        slug="case",
        model=Case,
        noun="case",
        types=(
            T.CHARGE_SHEET,
            T.OB_EXTRACT,
            T.WITNESS_STATEMENT,
            T.EXHIBIT_MEMO,
            T.COURT_ORDER,
            T.JUDGMENT,
            T.SENTENCE_RULING,
            T.APPEAL_FILING,
            T.OTHER,
        ),
        can_attach=can_edit_case,
        describe=lambda case: f"{case.reference} — {case.title}",
        record_url=lambda case: _case_page(case.pk, "documents"),
        case_path="pk",
        parts=_case_parts,
    )
)
register_record_kind(
    _kind(
        slug="accused",
        model=Accused,
        noun="accused",
        types=(T.CHARGE_SHEET, T.OB_EXTRACT, T.IDENTITY_DOCUMENT, T.COURT_ORDER, T.WITNESS_STATEMENT, T.OTHER),
        can_attach=lambda user, accused: can_edit_case(user, accused.case),
        describe=lambda accused: accused.name,
        record_url=lambda accused: _case_page(accused.case_id, "accused"),
        select_related=("case",),
        case_path="case",
    )
)
register_record_kind(
    _kind(
        slug="count",
        model=Charge,
        noun="count",
        types=(T.CHARGE_SHEET, T.JUDGMENT, T.SENTENCE_RULING, T.APPEAL_FILING, T.COURT_ORDER, T.OTHER),
        can_attach=lambda user, charge: can_edit_case(user, charge.accused.case),
        describe=lambda charge: (
            gettext("Count %(number)s against %(name)s") % {"number": charge.count_number, "name": charge.accused.name}
        ),
        record_url=lambda charge: _case_page(charge.accused.case_id, "accused"),
        select_related=("accused", "accused__case"),
        case_path="accused__case",
    )
)
register_record_kind(
    _kind(
        slug="hearing",
        model=Hearing,
        noun="hearing",
        types=(T.COURT_ORDER, T.JUDGMENT, T.SENTENCE_RULING, T.WITNESS_STATEMENT, T.EXHIBIT_MEMO, T.OTHER),
        can_attach=lambda user, hearing: can_edit_case(user, hearing.case),
        describe=lambda hearing: str(hearing),
        record_url=lambda hearing: hearing.get_absolute_url(),
        select_related=("case",),
        case_path="case",
    )
)

register_case_tab(
    CaseTab(
        Tab("documents", _("Documents"), "documents/case_tab.html"),
        get_context=lambda case, user: case_tab_context(case, user),
        get_query_context=case_tab_context,
        visible=can_read_cases,
        order=150,
    )
)


# The printable case file lists the case's documents (each reader sees those they may).
register_case_file_section(
    CaseFileSection(
        "documents",
        _("Documents"),
        "documents/_list.html",
        get_context=case_file_documents,
        visible=can_read_cases,
        order=500,
    )
)
