"""The auditors' Verify page: verify the audit record from the app, and confirm a checkpoint they kept.

It runs what ``manage.py verify_audit`` runs (``core.audit.verification``) — a few seconds on a large
record — and, like the command, writes a checkpoint when everything holds. It changes no record.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.access import PageAccess, RoleRequiredMixin
from core.audit.checkpoints import checkpoint_dir, last_checkpoint
from core.audit.verification import confirm_checkpoint, verify_record
from core.forms import CheckpointForm
from core.roles import Role

AUDITORS: frozenset[str] = frozenset({Role.AUDITOR})


class AuditVerifyView(RoleRequiredMixin, FormView):
    """A form: an optional checkpoint line; the answer is shown on the same page."""

    page_access = PageAccess(opens=AUDITORS)
    allowed_roles = AUDITORS
    form_class = CheckpointForm
    template_name = "core/audit_verify.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=_("Verify the audit record"), last=last_checkpoint(), folder=checkpoint_dir())
        return context

    def form_valid(self, form: CheckpointForm) -> HttpResponse:
        report = verify_record(written_by=self.request.user)  # type: ignore[arg-type]
        pasted = form.cleaned_data["checkpoint"]
        confirmation = confirm_checkpoint(pasted, report.chain.links) if pasted and report.ok else None
        return self.render_to_response(
            self.get_context_data(form=form, report=report, pasted=pasted, confirmation=confirmation)
        )
