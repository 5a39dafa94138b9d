"""Forms of the trust fund. Each ``save(user)`` calls one service; the service has the last word."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets.choices import Destination
from assets.models import Realisation
from core.exceptions import UploadRefused
from core.forms import AmountsAndDatesForm, date_field, money_field
from core.models import User
from core.uploads import check_size
from trustfund import ledger, matching, services
from trustfund.choices import DisbursementPurpose, ReceiptSource
from trustfund.models import Disbursement, JournalEntry, Receipt, StatementLine
from victims.models import Referral, Victim


class RealisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.asset.reference} {obj.asset.description} — net KES {obj.net_proceeds_kes:,.2f}"


class FundForm(AmountsAndDatesForm):
    amount_message = gettext_lazy("The amount must be more than zero.")  # the posting service's own words


class ReceiptForm(FundForm):
    amount_fields = ("amount",)
    date_fields = ("received_on",)

    source = forms.ChoiceField(label=gettext_lazy("Source (CTIP s.23(1))"), choices=ReceiptSource.choices)
    realisation = RealisationChoiceField(
        queryset=Realisation.objects.none(),
        required=False,
        label=gettext_lazy("Realisation (forfeited proceeds only)"),
        help_text=gettext_lazy("The sale of a forfeited asset whose proceeds go to the trust fund."),
    )
    amount = money_field(gettext_lazy("Amount (KES)"))
    received_on = date_field(gettext_lazy("Received on"))
    payer = forms.CharField(
        label=gettext_lazy("Payer"),
        max_length=150,
        help_text=gettext_lazy("e.g. The National Treasury, Assets Recovery Agency, IOM Kenya."),
    )
    payer_reference = forms.CharField(
        label=gettext_lazy("Bank reference"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("The reference on the bank credit."),
    )
    over_receipt_reason = forms.CharField(
        label=gettext_lazy("Reason for receiving more than the net proceeds"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("Only when this receipt takes the total above the realisation's net proceeds."),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["realisation"].queryset = (  # type: ignore[attr-defined]
            Realisation.objects.filter(destination=Destination.TRUST_FUND)
            .select_related("asset")
            .order_by("-realised_on", "-id")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        forfeited = cleaned.get("source") == ReceiptSource.FORFEITED_PROCEEDS
        if forfeited and not cleaned.get("realisation"):
            self.add_error("realisation", _("Forfeited proceeds must cite the realisation (sale) they come from."))
        if not forfeited and cleaned.get("realisation"):
            self.add_error("realisation", _("Only forfeited proceeds cite a realisation."))
        return cleaned

    def save(self, user: User) -> Receipt:
        data = self.cleaned_data
        return services.record_receipt(
            user,
            source=data["source"],
            amount=data["amount"],
            payer=data["payer"],
            received_on=data["received_on"],
            payer_reference=data["payer_reference"],
            realisation=data["realisation"],
            over_receipt_reason=data["over_receipt_reason"],
            notes=data["notes"],
        )


class DisbursementForm(FundForm):
    amount_fields = ("amount",)
    date_fields = ("requested_on",)

    victim_code = forms.CharField(
        label=gettext_lazy("Beneficiary victim (code)"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("e.g. V-2026-0044. Codes only."),
    )
    service_provider = forms.CharField(
        label=gettext_lazy("Service provider"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Shelter, clinic, counsellor …"),
    )
    referral_reference = forms.CharField(
        label=gettext_lazy("Referral paid for"),
        max_length=20,
        required=False,
        help_text=gettext_lazy(
            "The victims register's referral, e.g. REF-2026-0003: the payment must be for that victim."
        ),
    )
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=DisbursementPurpose.choices)
    amount = money_field(gettext_lazy("Amount (KES)"))
    resolution_reference = forms.CharField(
        label=gettext_lazy("Board resolution"),
        max_length=60,
        help_text=gettext_lazy('The Board of Trustees resolution, e.g. "BOT/RES/14/2026".'),
    )
    requested_on = date_field(gettext_lazy("Requested on"))
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("requested_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.victim: Victim | None = None
        self.referral: Referral | None = None

    def clean_referral_reference(self) -> str:
        reference = self.cleaned_data["referral_reference"].strip().upper()
        if reference:
            self.referral = Referral.objects.filter(reference=reference).select_related("provider").first()
            if self.referral is None:
                raise forms.ValidationError(
                    _("No referral has the reference %(reference)s.") % {"reference": reference}
                )
        return reference

    def clean_victim_code(self) -> str:
        code = self.cleaned_data["victim_code"].strip().upper()
        if code:
            self.victim = Victim.objects.filter(code=code).first()
            if self.victim is None:
                raise forms.ValidationError(_("No victim has the code %(code)s.") % {"code": code})
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        no_payee = (
            not cleaned.get("victim_code")
            and not (cleaned.get("service_provider") or "").strip()
            and not cleaned.get("referral_reference")
        )
        if no_payee and "victim_code" not in self.errors:
            self.add_error("victim_code", _("Name the beneficiary victim or the service provider (or both)."))
        return cleaned

    def save(self, user: User) -> Disbursement:
        data = self.cleaned_data
        return services.request_disbursement(
            user,
            purpose=data["purpose"],
            amount=data["amount"],
            resolution_reference=data["resolution_reference"],
            victim=self.victim,
            service_provider=data["service_provider"],
            description=data["description"],
            requested_on=data["requested_on"],
            referral=self.referral,
        )


class DisbursementActionForm(forms.Form):
    def __init__(self, *args: Any, disbursement: Disbursement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disbursement = disbursement


class ApproveForm(DisbursementActionForm):
    note = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    no_documents_reason = forms.CharField(
        label=gettext_lazy("Reason for approving without a supporting document"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("Only when no invoice, quotation or Board resolution is attached to the request."),
    )

    def save(self, user: User) -> Disbursement:
        data = self.cleaned_data
        return services.approve_disbursement(
            self.disbursement, user, note=data["note"], no_documents_reason=data["no_documents_reason"]
        )


class RejectForm(DisbursementActionForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def save(self, user: User) -> Disbursement:
        return services.reject_disbursement(self.disbursement, user, reason=self.cleaned_data["reason"])


class CancelForm(DisbursementActionForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def save(self, user: User) -> Disbursement:
        return services.cancel_disbursement(self.disbursement, user, reason=self.cleaned_data["reason"])


class PayForm(DisbursementActionForm, FundForm):
    date_fields = ("paid_on",)

    paid_on = date_field(gettext_lazy("Paid on"))
    payment_reference = forms.CharField(
        label=gettext_lazy("Payment reference"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("The EFT / RTGS / cheque reference the bank will show."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("paid_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def save(self, user: User) -> Disbursement:
        data = self.cleaned_data
        return services.pay_disbursement(
            self.disbursement, user, paid_on=data["paid_on"], payment_reference=data["payment_reference"]
        )


class ReverseForm(FundForm):
    date_fields = ("reversed_on",)

    reversed_on = date_field(gettext_lazy("Reversal date"))
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, entry: JournalEntry, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("reversed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.entry = entry

    def save(self, user: User) -> JournalEntry:
        data = self.cleaned_data
        return services.reverse_entry(self.entry, user, reversed_on=data["reversed_on"], reason=data["reason"])


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bank statement (CSV or Excel)"),
        help_text=gettext_lazy(
            "Columns: Date, Description, Reference, Amount (money in positive, out negative) — or Money in "
            "and Money out — and optionally Balance."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except UploadRefused as refused:
            raise forms.ValidationError(
                _("%(refused)s Split the statement by month.") % {"refused": refused}
            ) from refused
        if not upload.name.lower().endswith((".csv", ".xlsx", ".xlsm", ".txt")):
            raise forms.ValidationError(_("Upload the statement as a CSV (.csv) or Excel (.xlsx) file."))
        return upload


class StatementConfirmForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("Token"), widget=forms.HiddenInput, max_length=64)
    name = forms.CharField(label=gettext_lazy("Name"), widget=forms.HiddenInput, max_length=255)


class MatchForm(forms.Form):
    """Match a statement line by hand: the best few unmatched entries for it are offered, ranked
    (``matching.ranked_candidates``); any unmatched entry is accepted and the service checks the pair."""

    entry = forms.ModelChoiceField(
        queryset=JournalEntry.objects.none(), label=gettext_lazy("Ledger entry"), widget=forms.RadioSelect
    )

    def __init__(
        self, *args: Any, line: StatementLine, candidates: list[matching.RankedCandidate] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        if candidates is None:
            candidates = matching.ranked_candidates(line, limit=matching.MATCH_CHOICES)
        self.candidates = candidates
        field = self.fields["entry"]
        field.queryset = matching.unmatched_bank_entries()  # type: ignore[attr-defined]
        field.widget.choices = [
            (c.entry.pk, f"{c.entry.reference} — {ledger.kes(c.bank_amount)} — {', '.join(c.reasons)}")
            for c in candidates
        ]
        field.help_text = _(
            "The unmatched entries closest to the line (KES %(amount)s on %(date)s), best first; the amounts "
            "must agree."
        ) % {"amount": format(line.amount, ",.2f"), "date": date_format(line.date, "d M Y")}

    def save(self, user: User) -> StatementLine:
        return matching.match_line(self.line, self.cleaned_data["entry"], user)


class UnmatchForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, line: StatementLine, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = line

    def save(self, user: User) -> StatementLine:
        return matching.unmatch_line(self.line, user, reason=self.cleaned_data["reason"])
