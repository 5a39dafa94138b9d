"""Forms for documents: attach, supersede with a new version, withdraw. Each ``save(user)`` calls a service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import date_field
from core.labels import Label
from core.models import User
from documents import services
from documents.choices import DocumentType
from documents.files import ACCEPTED
from documents.models import Document
from documents.registry import RecordKind

ACCEPT = ",".join(sorted({ext for t in ACCEPTED.values() for ext in t.extensions} | set(ACCEPTED)))


def file_field(label: Label | None = None) -> forms.FileField:
    """The file chooser the upload script turns into a drop zone with a progress bar."""
    return forms.FileField(
        label=label if label is not None else _("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "data-document-file": "true"}),
        error_messages={"empty": _("The file is empty."), "required": _("Choose the file to upload.")},
        help_text=_("PDF, JPEG, PNG, TIFF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods) or plain text."),
    )


class Target:
    """A record a document may be attached to from an upload page, as the form offers it."""

    def __init__(self, kind: RecordKind, record: Any, label: str) -> None:
        self.kind, self.record, self.label = kind, record, label
        self.value = f"{kind.slug}:{record.pk}"


class UploadForm(forms.Form):
    attach_to = forms.CharField(label=_("Attach to"), widget=forms.Select)
    document_type = forms.ChoiceField(label=_("Type of document"))
    title = forms.CharField(
        label=pgettext_lazy("document", "Title"),
        max_length=200,
        help_text=_("What it is, as it would be cited: “Charge sheet (amended)”."),
    )
    document_date = date_field(_("Date of the document"), help_text=_("The date the paper bears."))
    file = file_field()

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {target.value: target for target in targets}
        attach_to = self.fields["attach_to"]
        attach_to.widget = (
            forms.Select(choices=[(t.value, t.label) for t in targets]) if len(targets) > 1 else forms.HiddenInput()
        )
        attach_to.initial = targets[0].value
        allowed = {value for target in targets for value in target.kind.types}
        document_type = self.fields["document_type"]
        assert isinstance(document_type, forms.ChoiceField)
        document_type.choices = [("", "—")] + [(v, label) for v, label in DocumentType.choices if v in allowed]
        self.fields["document_date"].initial = timezone.localdate()

    def clean_attach_to(self) -> Target:
        """A record not offered on this page (a tampered form pointing at another record) is out of sight:
        the answer is 404, as for a guessed address."""
        target = self.targets.get(str(self.cleaned_data["attach_to"]))
        if target is None:
            raise Http404("No such record on this page.")
        return target

    def save(self, user: User) -> Document:
        data = self.cleaned_data
        target: Target = data["attach_to"]
        return services.upload_document(
            target.record,
            user,
            document_type=data["document_type"],
            title=data["title"],
            document_date=data["document_date"],
            upload=data["file"],
        )


class SupersedeForm(forms.Form):
    file = file_field(_("The new version"))
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=200)
    document_date = date_field(_("Date of the new version"))

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(title=document.title, document_date=timezone.localdate())
        super().__init__(*args, **kwargs)
        self.document = document

    def save(self, user: User) -> Document:
        data = self.cleaned_data
        return services.supersede_document(
            self.document, user, upload=data["file"], title=data["title"], document_date=data["document_date"]
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. “Attached to the wrong case: belongs to ODPP/CTIP/2026/0012”. The file is kept."),
    )

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document = document

    def save(self, user: User) -> Document:
        return services.withdraw_document(self.document, user, reason=self.cleaned_data["reason"])
