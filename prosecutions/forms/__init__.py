"""Forms of the prosecutions pages. Each ``save(user)`` calls one service; a broken rule comes back as a
:class:`~core.exceptions.DomainError` that the generic form view shows as a form error.

One module per section of the pages; everything is importable from here."""

from __future__ import annotations

from prosecutions.forms.base import (
    MAX_COUNTS,
    MAX_MONTHS,
    blank_choice,
    correction_reason_field,
    courtroom_field,
    time_field,
)
from prosecutions.forms.cases import (
    CaseDetailsForm,
    CaseFieldsMixin,
    CaseOpenForm,
    OwnPleaConvictionForm,
    ReopenForm,
    StageMoveForm,
    TeamForm,
)
from prosecutions.forms.corrections import (
    AccusedCorrectionForm,
    HearingCorrectionForm,
    OutcomeCorrectionForm,
    PleaCorrectionForm,
    SentenceCorrectionForm,
)
from prosecutions.forms.counts import (
    AccusedForm,
    ChargeForm,
    DispositionForm,
    PleaForm,
    SentenceForm,
    VictimForm,
    statutory_range_text,
)
from prosecutions.forms.hearings import (
    HearingForm,
    HearingOutcomeForm,
    NextSittingMixin,
)

__all__ = [
    "MAX_COUNTS",
    "MAX_MONTHS",
    "AccusedCorrectionForm",
    "AccusedForm",
    "CaseDetailsForm",
    "CaseFieldsMixin",
    "CaseOpenForm",
    "ChargeForm",
    "DispositionForm",
    "HearingCorrectionForm",
    "HearingForm",
    "HearingOutcomeForm",
    "NextSittingMixin",
    "OutcomeCorrectionForm",
    "OwnPleaConvictionForm",
    "PleaCorrectionForm",
    "PleaForm",
    "ReopenForm",
    "SentenceCorrectionForm",
    "SentenceForm",
    "StageMoveForm",
    "TeamForm",
    "VictimForm",
    "blank_choice",
    "correction_reason_field",
    "courtroom_field",
    "statutory_range_text",
    "time_field",
]
