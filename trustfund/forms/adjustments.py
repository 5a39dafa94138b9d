"""Forms of adjusting entries: the proposal with its lines, and the approver's and proposer's moves on it
(post, reject, withdraw). Each ``save(user)`` calls one service; the service has the last word."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import date_field, money_field
from core.models import User
from trustfund import ledger, services
from trustfund.choices import AdjustmentKind
from trustfund.forms.money import FundForm
from trustfund.models import Account, AdjustmentProposal, StatementLine

MAX_LINES = 20
TEXT = forms.Textarea(attrs={"rows": 2})


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class ProposalLineForm(forms.Form):
    """One line of a proposed entry: an active account and a debit or a credit."""

    account = AccountChoiceField(queryset=Account.objects.none())
    debit = money_field(gettext_lazy("Debit (KES)"), required=False)
    credit = money_field(gettext_lazy("Credit (KES)"), required=False)
    memo = forms.CharField(label=gettext_lazy("Memo"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(is_active=True).order_by("code")  # type: ignore[attr-defined]
        # The lines are drawn as a table (templates/trustfund/proposal_form.html), not by crispy.
        self.fields["account"].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("debit", "credit"):
            self.fields[name].widget.attrs.update(
                {"class": "form-control form-control-sm text-end", "inputmode": "decimal"}
            )
        self.fields["memo"].widget.attrs["class"] = "form-control form-control-sm"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        debit, credit = cleaned.get("debit") or ledger.ZERO, cleaned.get("credit") or ledger.ZERO
        if debit < 0 or credit < 0:
            raise forms.ValidationError(_("An amount cannot be negative: put it in the other column."))
        if debit and credit:
            raise forms.ValidationError(_("Enter a debit or a credit on a line, not both."))
        if not debit and not credit and "debit" not in self.errors and "credit" not in self.errors:
            raise forms.ValidationError(_("Enter a debit or a credit on the line."))
        return cleaned

    def as_line(self) -> ledger.Line:
        data = self.cleaned_data
        return ledger.Line(
            data["account"], debit=data["debit"] or ledger.ZERO, credit=data["credit"] or ledger.ZERO, memo=data["memo"]
        )


class BaseProposalLineFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": gettext_lazy("A journal entry needs at least one debit and one credit line."),
        "too_many_forms": format_lazy(gettext_lazy("An adjusting entry has at most {lines} lines."), lines=MAX_LINES),
    }


ProposalLineFormSet = forms.formset_factory(
    ProposalLineForm,
    formset=BaseProposalLineFormSet,
    extra=2,
    min_num=2,
    validate_min=True,
    max_num=MAX_LINES,
    validate_max=True,
)


class ProposalForm(FundForm):
    """A proposed adjusting entry and its lines (a formset, ``lines``); a hidden ``statement_line`` when
    it explains a line of the bank statement."""

    date_fields = ("entry_date",)

    kind = forms.ChoiceField(label=gettext_lazy("What the adjustment records"), choices=AdjustmentKind.choices)
    entry_date = date_field(
        gettext_lazy("Entry date"), help_text=gettext_lazy("The date the entry will carry in the ledger.")
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=255,
        help_text=gettext_lazy("What the journal will show, e.g. “Ledger fees, July”."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=TEXT,
        help_text=gettext_lazy("Why the adjustment is needed: what the approver checks it against."),
    )
    bank_reference = forms.CharField(
        label=gettext_lazy("Bank reference"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("The bank's reference, if any."),
    )
    statement_line = forms.ModelChoiceField(
        label=gettext_lazy("Statement line"),
        queryset=StatementLine.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(
        self,
        *args: Any,
        statement_lines: QuerySet[StatementLine],
        initial_lines: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("entry_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["statement_line"].queryset = statement_lines  # type: ignore[attr-defined]
        self.lines = ProposalLineFormSet(self.data if self.is_bound else None, prefix="lines", initial=initial_lines)

    def is_valid(self) -> bool:
        lines_valid = self.lines.is_valid()
        return super().is_valid() and lines_valid

    def totals(self) -> tuple[Decimal, Decimal]:
        """The debits and the credits as the form stands (what was typed, or what was prefilled)."""
        debit = credit = ledger.ZERO
        for form in self.lines.forms:
            values = getattr(form, "cleaned_data", None) if self.is_bound else form.initial
            debit += (values or {}).get("debit") or ledger.ZERO
            credit += (values or {}).get("credit") or ledger.ZERO
        return debit, credit

    def save(self, user: User) -> AdjustmentProposal:
        data = self.cleaned_data
        return services.propose_adjustment(
            user,
            kind=data["kind"],
            entry_date=data["entry_date"],
            description=data["description"],
            reason=data["reason"],
            bank_reference=data["bank_reference"],
            statement_line=data["statement_line"],
            lines=[form.as_line() for form in self.lines.forms if getattr(form, "cleaned_data", None)],
        )


class ProposalActionForm(forms.Form):
    """A move on one proposal; the view adds the proposal's version (``RecordFormView``)."""

    def __init__(self, *args: Any, proposal: AdjustmentProposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal


class ProposalPostForm(ProposalActionForm):
    note = forms.CharField(label=gettext_lazy("Note"), widget=TEXT, required=False)
    no_documents_reason = forms.CharField(
        label=gettext_lazy("Reason for posting without a supporting document"),
        widget=TEXT,
        required=False,
        help_text=gettext_lazy("Only when no document is attached and the proposal explains no bank statement line."),
    )

    def save(self, user: User) -> AdjustmentProposal:
        data = self.cleaned_data
        return services.post_proposal(
            self.proposal, user, note=data["note"], no_documents_reason=data["no_documents_reason"]
        )


class ProposalRejectForm(ProposalActionForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=TEXT)

    def save(self, user: User) -> AdjustmentProposal:
        return services.reject_proposal(self.proposal, user, reason=self.cleaned_data["reason"])


class ProposalWithdrawForm(ProposalActionForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=TEXT)

    def save(self, user: User) -> AdjustmentProposal:
        return services.withdraw_proposal(self.proposal, user, reason=self.cleaned_data["reason"])
