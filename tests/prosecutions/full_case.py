"""A case with everything a case file prints: accused and counts with pleas, outcomes and a sentence with an
override, hearings with a time and courtroom, assets under court orders, and protected witnesses whose
identities carry searchable markers (``tests.witnesses.factories.markers``). Built through the services."""

from __future__ import annotations

import datetime as dt

from core.models import User
from prosecutions import services
from prosecutions.choices import SentenceOverrideGround
from prosecutions.models import Case, Charge
from tests.assets.factories import preserve, seize
from tests.prosecutions.factories import case_at_trial, days_ago, make_accused, make_charge
from tests.witnesses.factories import admitted, court_measures, victim_of, with_identity, witness_on


def build_case(
    prosecutor: User, liaison: User, tag: str, *, title: str = "Republic v. Juma Said and another", **more: int
) -> Case:
    """A case taken to judgment: John Mwangi convicted on two counts, count 1 sentenced with an override,
    plus what ``grow`` adds on the way (``more``: its sizes)."""
    case = case_at_trial(prosecutor, title=title)
    grow(case, prosecutor, liaison, tag, **more)
    services.move_stage(case, prosecutor, "judgment", effective_on=days_ago(100))
    counts = Charge.objects.filter(accused__case=case, accused__name="John Mwangi").select_related("offence")
    for charge in counts.order_by("count_number"):
        services.record_disposition(charge, prosecutor, disposition="convicted_trial", disposition_date=days_ago(100))
    first = counts.order_by("count_number").first()
    assert first is not None
    months = first.offence.min_custodial_months or 120
    sentence = services.record_sentence(first, prosecutor, sentenced_on=days_ago(90), custodial_months=months)
    sentence.override_ground = SentenceOverrideGround.APPELLATE_ORDER
    sentence.override_reason = "Court of Appeal Criminal Appeal E44 of 2026 substituted the term."
    sentence.save_as(prosecutor, "Override recorded for the test")
    return case


def grow(
    case: Case, prosecutor: User, liaison: User, tag: str, *, accused: int = 1, hearings: int = 1, others: int = 1
) -> None:
    """Add accused with two counts each (pleas taken), hearings with a time and courtroom, an asset under a
    preservation order and a protected witness whose identity carries searchable markers."""
    for i in range(accused):
        person = make_accused(case, prosecutor, name=f"Mercy Atieno {tag}{i}")
        person.aliases = f"Mama {tag}{i}"
        person.save_as(prosecutor, "Alias noted")
        for n in (1, 2):
            services.record_plea(
                make_charge(person, prosecutor, n), prosecutor, plea="not_guilty", plea_date=days_ago(150)
            )
    for i in range(hearings):
        services.record_hearing(
            case, prosecutor, date=days_ago(-10 - i), purpose="mention", time=dt.time(10, 30), courtroom="Court 3"
        )
    for i in range(others):  # assets under an order, protected witnesses
        preserve(seize(case, prosecutor, description=f"Toyota Probox {tag}{i or ''}"), prosecutor)
        witness = admitted(witness_on(case, prosecutor, number=f"PW{tag}{i or ''}", victim=victim_of(case)), liaison)
        court_measures(witness, liaison)
        with_identity(witness, liaison, f"{tag}{i or ''}")
