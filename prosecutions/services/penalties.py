"""The statutory range of a sentence: the minimum and the maximum penalty of the offence version in force on
the offence date (penalties changed over time), and whether a sentence lies within it.

A sentence below a mandatory minimum or above a maximum (term or fine) is accepted only with an override
ground (a child offender, an appellate court's order …) and the reason for it; a sentence within the range
takes no override, so that the reports' list of overrides holds only real departures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy, ngettext

from prosecutions.choices import FineRelation, SentenceOverrideGround
from prosecutions.exceptions import InvalidSentence, OffenceNotInForce, SentenceOutOfRange
from prosecutions.models import Charge, Offence

OVERRIDE_HINT = gettext_lazy(
    "Correct the sentence, or choose the ground on which the court departed from the statutory range "
    "(e.g. a child offender, an appellate court's order) and give the reason."
)


def offence_in_force(offence: Offence, on: dt.date) -> Offence:
    """The version of ``offence`` (same statute and section) that applied on ``on``."""
    version = (
        Offence.objects.filter(statute=offence.statute, section=offence.section, effective_from__lte=on)
        .exclude(effective_to__lt=on)
        .order_by("-effective_from")
        .first()
    )
    if version is None:
        raise OffenceNotInForce(
            gettext("%(offence)s was not in force on %(day)s; check the offence date.")
            % {"offence": f"{offence.short_statute} s.{offence.section}", "day": f"{on:%d %b %Y}"}
        )
    return version


def penalty_version(charge: Charge) -> Offence:
    """The offence version whose penalty a sentence on ``charge`` is held to: the one in force on the offence
    date (the count's own offence when no date is recorded or no version covers it)."""
    if charge.offence_date is None:
        return charge.offence
    try:
        return offence_in_force(charge.offence, charge.offence_date)
    except OffenceNotInForce:
        return charge.offence


@dataclass(frozen=True)
class SentenceTerms:
    """The parts of a sentence the statutory range is about."""

    custodial_months: int | None = None
    life_imprisonment: bool = False
    fine_amount: Decimal | None = None
    fine_relation: str = FineRelation.NONE

    @property
    def has_term(self) -> bool:
        return self.life_imprisonment or bool(self.custodial_months)


def months_text(months: int) -> str:
    """ "360 months (30 years)", "18 months (1 year 6 months)", "6 months"."""
    years, rest = divmod(months, 12)
    if not years:
        return ngettext("%(months)s month", "%(months)s months", months) % {"months": months}
    parts = [ngettext("%(years)s year", "%(years)s years", years) % {"years": years}]
    if rest:
        parts.append(ngettext("%(months)s month", "%(months)s months", rest) % {"months": rest})
    # Translators: a term in months with its years, e.g. "18 months (1 year 6 months)".
    return gettext("%(months)s months (%(parts)s)") % {"months": months, "parts": " ".join(parts)}


def money_text(amount: Decimal) -> str:
    return f"KES {amount:,.2f}"


def offence_label(offence: Offence) -> str:
    return f"{offence.short_statute} s.{offence.section}"


def minimum_text(offence: Offence) -> str:
    """The minimum penalty in words ("" when the section sets none)."""
    if offence.life_imprisonment:
        return gettext("imprisonment for life")
    term = (
        gettext("at least %(term)s imprisonment") % {"term": months_text(offence.min_custodial_months)}
        if offence.min_custodial_months
        else ""
    )
    fine = (
        gettext("a fine of at least %(amount)s") % {"amount": money_text(offence.min_fine)} if offence.min_fine else ""
    )
    if term and fine:
        return gettext("%(term)s, or %(fine)s (or both)") % {"term": term, "fine": fine}
    return term or fine


def maximum_text(offence: Offence) -> str:
    """The maximum penalty in words ("" when the section sets none)."""
    term = (
        gettext("at most %(term)s imprisonment") % {"term": months_text(offence.max_custodial_months)}
        if offence.max_custodial_months
        else ""
    )
    fine = (
        gettext("a fine of at most %(amount)s") % {"amount": money_text(offence.max_fine)} if offence.max_fine else ""
    )
    if term and fine:
        return gettext("%(term)s and %(fine)s") % {"term": term, "fine": fine}
    return term or fine


def _meets_minimum(offence: Offence, terms: SentenceTerms) -> bool:
    """Whether the lightest way of serving the sentence still reaches the minimum. Where the section allows a
    fine instead of imprisonment, a fine of at least the minimum fine also reaches it; a fine in the
    alternative lets the accused pay instead of serving, so it must reach the minimum fine itself."""
    if offence.life_imprisonment:
        return terms.life_imprisonment
    min_months, min_fine = offence.min_custodial_months, offence.min_fine
    if min_months is None and min_fine is None:
        return True
    term_ok = terms.life_imprisonment or (
        bool(terms.custodial_months) and (min_months is None or (terms.custodial_months or 0) >= min_months)
    )
    fine_ok = terms.fine_amount is not None and min_fine is not None and terms.fine_amount >= min_fine
    relation = FineRelation(terms.fine_relation or FineRelation.NONE)
    if relation == FineRelation.FINE_ONLY:
        return fine_ok
    if relation == FineRelation.ALTERNATIVE:
        return term_ok and fine_ok
    if relation == FineRelation.CUMULATIVE:
        return term_ok or fine_ok
    return term_ok


def _above_maximum(offence: Offence, terms: SentenceTerms) -> bool:
    max_months, max_fine = offence.max_custodial_months, offence.max_fine
    if max_months is not None and (terms.life_imprisonment or (terms.custodial_months or 0) > max_months):
        return True
    return max_fine is not None and terms.fine_amount is not None and terms.fine_amount > max_fine


def range_problem(offence: Offence, terms: SentenceTerms) -> str | None:
    """Why the sentence lies outside the statutory range of ``offence`` (None when it lies within)."""
    label = offence_label(offence)
    if not _meets_minimum(offence, terms):
        if offence.life_imprisonment:
            return gettext(
                "%(offence)s carries imprisonment for life: the sentence is below the mandatory minimum."
            ) % {"offence": label}
        below = gettext("The sentence is below the minimum for %(offence)s: %(minimum)s.") % {
            "offence": label,
            "minimum": minimum_text(offence),
        }
        if FineRelation(terms.fine_relation or FineRelation.NONE) == FineRelation.ALTERNATIVE:
            return (
                below
                + " "
                + gettext(
                    "A fine in the alternative lets the accused pay instead of serving, so it must reach the minimum"
                    " fine too."
                )
            )
        return below
    if _above_maximum(offence, terms):
        return gettext("The sentence is above the maximum for %(offence)s: %(maximum)s.") % {
            "offence": label,
            "maximum": maximum_text(offence),
        }
    return None


def check_override(offence: Offence, terms: SentenceTerms, ground: str, reason: str) -> tuple[str, str]:
    """The override ground and reason the sentence keeps: both when it lies outside the range (refused
    without them), neither when it lies within. Raises :class:`SentenceOutOfRange` or :class:`InvalidSentence`."""
    reason = reason.strip()
    problem = range_problem(offence, terms)
    if problem is None:
        if ground or reason:
            raise InvalidSentence(
                gettext(
                    "The sentence lies within the statutory range for %(offence)s: "
                    "leave the override ground and reason empty."
                )
                % {"offence": offence_label(offence)},
                "override_ground",
            )
        return "", ""
    if not ground:
        raise SentenceOutOfRange(f"{problem} {OVERRIDE_HINT}")
    if ground not in SentenceOverrideGround.values:
        raise InvalidSentence(gettext("Choose the ground for the override from the list."), "override_ground")
    if not reason:
        raise InvalidSentence(
            problem
            + " "
            + gettext(
                "Give the reason for the override (%(ground)s): it is shown with the sentence and in the reports."
            )
            % {"ground": SentenceOverrideGround(ground).label},
            "override_reason",
        )
    return ground, reason
