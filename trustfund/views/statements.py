"""Bank statements: the list, their lines (all, or one statement's), importing a statement (upload,
preview, import) and matching a line by hand or undoing its match."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.access import PageAccess, RoleRequiredMixin
from core.versioning import Versioned
from core.views.generic import FilteredListView, RecordFormView
from trustfund import matching, queries, statements
from trustfund.access import FUND_ADMINS, FUND_READERS, can_administer, can_propose
from trustfund.choices import ProposalStatus
from trustfund.exceptions import StatementFileError
from trustfund.filters import StatementFilter, StatementLineFilter
from trustfund.forms import MatchForm, StatementConfirmForm, StatementUploadForm, UnmatchForm
from trustfund.models import AdjustmentProposal, BankStatement, JournalEntry, StatementLine
from trustfund.services.adjustments import line_actions
from trustfund.tables import STATEMENT_COLUMNS, STATEMENT_LINE_COLUMNS

PENDING_DIR = "trustfund/pending"
IMPORT_TITLE = gettext_lazy("Import a bank statement")


class StatementListView(FilteredListView):
    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    filterset_class = StatementFilter
    columns = STATEMENT_COLUMNS
    title = gettext_lazy("Bank statements")
    export_name = "fund-bank-statements"
    template_name = "trustfund/list.html"

    def get_base_queryset(self) -> QuerySet[BankStatement]:
        return (
            BankStatement.objects.visible_to(self.request.user)
            .select_related("imported_by")
            .annotate(matched_count=Count("lines", filter=Q(lines__matched_entry__isnull=False)))
            .order_by("-period_end", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if can_administer(self.request.user):
            context["create_url"] = reverse("trustfund:statement_import")
            context["create_label"] = _("Import a statement")
        context["extra_links"] = [(reverse("trustfund:line_list") + "?matched=no", _("Unmatched lines"))]
        return context


class StatementLineListView(FilteredListView):
    """Statement lines — all of them, or one statement's (``pk``) — with match / undo for administrators."""

    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    filterset_class = StatementLineFilter
    columns = STATEMENT_LINE_COLUMNS
    title = gettext_lazy("Bank statement lines")
    export_name = "fund-statement-lines"
    template_name = "trustfund/list.html"
    paginate_by = 50

    def get_statement(self) -> BankStatement | None:
        """The statement named by the URL, from those the user may see (404 otherwise)."""
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_statement"):
            visible = BankStatement.objects.visible_to(self.request.user)
            self._statement = get_object_or_404(visible, pk=self.kwargs["pk"])
        return self._statement

    def get_base_queryset(self) -> QuerySet[StatementLine]:
        lines = StatementLine.objects.visible_to(self.request.user)
        statement = self.get_statement()
        if statement is not None:
            lines = lines.filter(statement=statement)
        return lines.select_related("statement", "matched_entry").order_by("date", "statement_id", "line_number")

    def get_title(self) -> str:
        statement = self.get_statement()
        return str(statement) if statement else str(self.title)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if can_administer(self.request.user):
            context["row_actions_template"] = "trustfund/rows/line_actions.html"
            context["row_actions"] = queries.line_row_actions(self.request.user, list(context["object_list"]))
        context["statement"] = self.get_statement()  # its documents show below the lines
        return context


class StatementImportView(RoleRequiredMixin, TemplateView):
    """Upload → preview (parsed lines, row errors, a duplicate refused) → import, all or nothing.

    The uploaded bytes wait in Django's storage under their SHA-256 between the preview and the import,
    so any app server can finish what another began.
    """

    allowed_roles = FUND_ADMINS
    page_access = PageAccess(opens=FUND_ADMINS)
    template_name = "trustfund/statement_import.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, self.template_name, {"form": StatementUploadForm(), "title": IMPORT_TITLE})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "token" in request.POST:
            return self.confirm(request)
        return self.preview(request)

    def preview(self, request: HttpRequest) -> HttpResponse:
        """Parse the upload and show what would be imported; keep the bytes when it can be."""
        form = StatementUploadForm(request.POST, request.FILES)
        context: dict[str, Any] = {"form": form, "title": IMPORT_TITLE}
        if not form.is_valid():
            return render(request, self.template_name, context)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            parsed = statements.parse_statement(upload.name, content)
        except StatementFileError as error:
            form.add_error("file", error.message)
            return render(request, self.template_name, context)
        if parsed.ok:
            path = f"{PENDING_DIR}/{parsed.file_hash}"
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(content))
            context["confirm"] = StatementConfirmForm(initial={"token": parsed.file_hash, "name": upload.name})
        context["parsed"] = parsed
        return render(request, self.template_name, context)

    def confirm(self, request: HttpRequest) -> HttpResponseBase:
        """Import the previewed file, read back from storage by its SHA-256."""
        form = StatementConfirmForm(request.POST)
        if not form.is_valid() or not all(c in "0123456789abcdef" for c in form.cleaned_data["token"]):
            raise Http404
        path = f"{PENDING_DIR}/{form.cleaned_data['token']}"
        if not default_storage.exists(path):
            messages.error(request, _("That upload has expired; choose the file again."))
            return HttpResponseRedirect(reverse("trustfund:statement_import"))
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
        if statements.file_hash(content) != form.cleaned_data["token"]:
            raise Http404
        try:
            statement = statements.import_statement(request.user, name=form.cleaned_data["name"], content=content)  # type: ignore[arg-type]
        except StatementFileError as error:
            # An unbound form takes no errors (add_error would fail): the refusal and its lines show above it.
            problems = [error.message, *error.problems]
            context = {"form": StatementUploadForm(), "title": IMPORT_TITLE, "problems": problems}
            return render(request, self.template_name, context)
        default_storage.delete(path)
        matched = statement.lines.filter(matched_entry__isnull=False).count()
        messages.success(
            request,
            _(
                "Statement imported: %(line_count)s lines, %(matched)s matched automatically, %(value)s to "
                "match by hand."
            )
            % {"line_count": statement.line_count, "matched": matched, "value": statement.line_count - matched},
        )
        return HttpResponseRedirect(statement.get_absolute_url())


class LineFormView(RecordFormView):
    """A form about one statement line, fetched from the lines the user may see (404 otherwise)."""

    allowed_roles = FUND_ADMINS
    page_access = PageAccess(opens=FUND_ADMINS)
    record: StatementLine

    def get_record_queryset(self) -> QuerySet[StatementLine]:
        return StatementLine.objects.visible_to(self.request.user).select_related("statement", "matched_entry")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "line": self.record}

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.record, noun=_("the statement line %(record)s") % {"record": self.record})]

    def get_title(self) -> str:
        line = self.record
        return _("%(title)s — %(date)s %(value)s KES %(amount)s") % {
            "title": self.title,
            "date": date_format(line.date, "d M Y"),
            "value": line.reference or line.description,
            "amount": format(line.amount, ",.2f"),
        }

    def get_cancel_url(self) -> str:
        return self.record.get_absolute_url()

    def get_success_url_for(self, result: Any) -> str:
        return self.record.get_absolute_url()


class LineMatchView(LineFormView):
    """Match a line by hand, choosing among the best few unmatched entries for it, ranked with reasons."""

    form_class = MatchForm
    template_name = "trustfund/line_match.html"
    title = gettext_lazy("Match to a ledger entry")
    success_message = gettext_lazy("Line matched.")

    def get_form_kwargs(self) -> dict[str, Any]:
        visible = JournalEntry.objects.visible_to(self.request.user)
        ranked = matching.ranked_candidates(self.record, limit=matching.MATCH_CHOICES, entries=visible)
        return {**super().get_form_kwargs(), "candidates": ranked}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Beside the ranked entries, the other ways to explain the line: the proposal already awaiting
        approval for it, or the adjustments a fund administrator may propose from it."""
        line, user = self.record, self.request.user
        pending = (
            AdjustmentProposal.objects.visible_to(user)
            .filter(statement_line=line, status=ProposalStatus.PROPOSED)
            .first()
        )
        post_as = line_actions(line) if can_propose(user) and pending is None else []
        return {**super().get_context_data(**kwargs), "line": line, "pending": pending, "post_as": post_as}


class LineUnmatchView(LineFormView):
    form_class = UnmatchForm
    title = gettext_lazy("Undo the match")
    success_message = gettext_lazy("Match undone.")
