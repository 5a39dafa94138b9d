"""Forms of the index of persons: merging two persons and undoing a merge (the unit head), each with a
reason; and the choice, on adding an accused, between the persons who match and a new person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import User
from prosecutions import services
from prosecutions.exceptions import InvalidIdentifier
from prosecutions.models import Person, PersonMerge

# The radio's value for "none of these: a new person".
NEW_PERSON = "new"
REASON_HELP = _("Why — kept in the history of both persons.")


def reason_field(label: Any) -> forms.CharField:
    # Not required here: a missing reason is refused by the service, with its own message.
    return forms.CharField(
        label=label, max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=REASON_HELP
    )


class PersonMergeForm(forms.Form):
    """Merge the page's person into the one kept, named by its reference (``PER/2026/00012``)."""

    kept = forms.CharField(
        label=_("Keep this person (reference)"),
        max_length=20,
        help_text=_("The person the accused records move to, e.g. PER/2026/00012."),
    )
    reason = reason_field(_("Reason for the merge"))

    def __init__(self, *args: Any, merged: Person, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.merged, self.user = merged, user

    def clean_kept(self) -> Person:
        reference = " ".join(self.cleaned_data["kept"].split()).upper()
        kept = Person.objects.visible_to(self.user).filter(reference=reference).first()
        if kept is None:
            raise forms.ValidationError(
                gettext("No person has the reference %(reference)s: copy it from the person's page.")
                % {"reference": reference}
            )
        return kept

    def save(self, user: User) -> PersonMerge:
        data = self.cleaned_data
        return services.merge_persons(user, kept=data["kept"], merged=self.merged, reason=data["reason"])


class MergeUndoForm(forms.Form):
    reason = reason_field(_("Reason for undoing the merge"))

    def __init__(self, *args: Any, merge: PersonMerge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.merge = merge

    def save(self, user: User) -> PersonMerge:
        return services.undo_merge(user, self.merge, reason=self.cleaned_data["reason"])


class PersonChoiceMixin(forms.Form):
    """On adding an accused: when persons of the index match the name or ID number, the form is shown again
    with them, and the user chooses one of them or "a new person" before anything is saved."""

    user: User | None = None
    offers_persons: bool = False

    def add_person_field(self, user: User) -> None:
        self.user = user
        self.fields["person"] = forms.CharField(
            label=_("Who is this accused?"), required=False, widget=forms.HiddenInput
        )

    def offer_persons(self, data: dict[str, Any]) -> Person | None:
        """The person chosen (None: a new person); adds a form error, and the choices, when there are
        matches and none was chosen."""
        if self.user is None or "person" not in self.fields or not data.get("name"):
            return None
        try:
            national_ids, passports = services.split_id_number(data.get("id_number") or "")
        except InvalidIdentifier as error:
            self.add_error("id_number" if "id_number" in self.fields else None, error.message)
            return None
        matches = services.person_matches(
            name=data["name"], national_ids=national_ids, passports=passports, user=self.user
        )
        if not matches:
            return None
        choices = [
            (
                str(match.person.pk),
                f"{match.person} — {', '.join(match.reasons)}" if match.reasons else str(match.person),
            )
            for match in matches
        ]
        field = self.fields["person"]
        field.widget = forms.RadioSelect(choices=[*choices, (NEW_PERSON, gettext("A new person"))])
        field.help_text = gettext("Persons already in the index who may be this accused: choose one, or a new person.")
        self.offers_persons = True
        chosen = str(data.get("person") or "")
        if chosen == NEW_PERSON:
            return None
        for match in matches:
            if chosen == str(match.person.pk):
                return match.person
        message = (
            gettext("This accused may be a person already in the index: choose one of them, or “A new person”.")
            if not chosen
            else gettext("Choose one of the persons listed, or “A new person”.")
        )
        self.add_error("person", message)
        return None
