"""Prosecution test data built through the services, so every record is as the app would make it."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from core.models import County, User
from prosecutions import services
from prosecutions.choices import CustodyStatus, NetworkRole, Statute
from prosecutions.models import Accused, Case, Charge, Court, Offence

DAY = dt.timedelta(days=1)


def days_ago(n: int) -> dt.date:
    return services.today() - dt.timedelta(days=n)


def court(station: str = "JKIA") -> Court:
    return Court.objects.get(station=station, level__in=["pm", "cm", "spm"])


def offence(section: str = "7", statute: str = Statute.CTIP) -> Offence:
    return Offence.objects.filter(statute=statute, section=section).order_by("-effective_from").first()  # type: ignore[return-value]


def make_case(user: User, *, opened_days_ago: int = 200, title: str = "Republic v. John Mwangi", **kwargs: Any) -> Case:
    kwargs.setdefault("county", County.objects.get(code="047"))
    kwargs.setdefault("court", court())
    return services.open_case(user, title=title, opened_on=days_ago(opened_days_ago), **kwargs)


def make_accused(case: Case, user: User, name: str = "John Mwangi", **kwargs: Any) -> Accused:
    kwargs.setdefault("network_role", NetworkRole.RECRUITER)
    kwargs.setdefault("custody_status", CustodyStatus.ON_BAIL)
    return services.add_accused(case, user, name=name, **kwargs)


def make_charge(accused: Accused, user: User, count: int = 1, section: str = "7", days: int = 250) -> Charge:
    return services.add_charge(accused, user, count_number=count, offence=offence(section), offence_date=days_ago(days))


_court_serials = itertools.count(101)


def charged_case(user: User, *, counts: int = 2, opened_days_ago: int = 200, **kwargs: Any) -> Case:
    """A case at pre-trial with one accused and ``counts`` counts, registered in court (a court station and
    a court case number, as pre-trial requires)."""
    kwargs.setdefault("court_case_serial", f"E{next(_court_serials)}")
    kwargs.setdefault("court_case_year", days_ago(opened_days_ago).year)
    case = make_case(user, opened_days_ago=opened_days_ago, **kwargs)
    accused = make_accused(case, user)
    for n in range(1, counts + 1):
        make_charge(accused, user, n)
    services.move_stage(case, user, "charging_decision", effective_on=days_ago(opened_days_ago - 10))
    services.move_stage(case, user, "pre_trial", effective_on=days_ago(opened_days_ago - 20))
    return case


def case_at_trial(user: User, **kwargs: Any) -> Case:
    case = charged_case(user, **kwargs)
    for charge in Charge.objects.filter(accused__case=case):
        services.record_plea(charge, user, plea="not_guilty", plea_date=days_ago(170))
    services.move_stage(case, user, "trial", effective_on=days_ago(160))
    return case


def case_at_judgment(user: User, *, convict: bool = True, **kwargs: Any) -> Case:
    case = case_at_trial(user, **kwargs)
    services.move_stage(case, user, "judgment", effective_on=days_ago(100))
    for charge in Charge.objects.filter(accused__case=case):
        services.record_disposition(
            charge,
            user,
            disposition="convicted_trial" if convict else "acquitted_s210",
            disposition_date=days_ago(100),
        )
    return case
