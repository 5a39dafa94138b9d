"""The fund's forms: receipts, disbursements and their moves, reversals, statements and matching
(``money``); adjusting entries (``adjustments``); month-end sign-off and period close (``books``)."""

from trustfund.forms.adjustments import (
    ProposalActionForm,
    ProposalForm,
    ProposalLineForm,
    ProposalPostForm,
    ProposalRejectForm,
    ProposalWithdrawForm,
)
from trustfund.forms.books import CloseMonthForm, CloseYearForm, ReopenForm, SignOffForm
from trustfund.forms.money import (
    ApproveForm,
    CancelForm,
    DisbursementActionForm,
    DisbursementForm,
    FundForm,
    MatchForm,
    PayForm,
    RealisationChoiceField,
    ReceiptForm,
    RejectForm,
    ReverseForm,
    StatementConfirmForm,
    StatementUploadForm,
    UnmatchForm,
)

__all__ = [
    "ApproveForm",
    "CancelForm",
    "CloseMonthForm",
    "CloseYearForm",
    "DisbursementActionForm",
    "DisbursementForm",
    "FundForm",
    "MatchForm",
    "PayForm",
    "ProposalActionForm",
    "ProposalForm",
    "ProposalLineForm",
    "ProposalPostForm",
    "ProposalRejectForm",
    "ProposalWithdrawForm",
    "RealisationChoiceField",
    "ReceiptForm",
    "RejectForm",
    "ReopenForm",
    "ReverseForm",
    "SignOffForm",
    "StatementConfirmForm",
    "StatementUploadForm",
    "UnmatchForm",
]
