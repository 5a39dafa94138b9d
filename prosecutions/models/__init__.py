"""Trafficking prosecutions: the case file, its accused and counts, victims, hearings and stages; the index of
persons accused; the offences and courts cases are written against; and the corrections made to a case's facts."""

from prosecutions.models.cases import OPEN_STAGES, Case, CaseQuerySet, StageChange, case_victim_model, victim_model
from prosecutions.models.charges import Accused, Charge, Sentence
from prosecutions.models.corrections import Correction
from prosecutions.models.hearings import CalendarFeed, Hearing, HearingQuerySet
from prosecutions.models.persons import Person, PersonIdentifier, PersonMerge
from prosecutions.models.reference import Court, Offence

__all__ = [
    "OPEN_STAGES",
    "Accused",
    "CalendarFeed",
    "Case",
    "CaseQuerySet",
    "Charge",
    "Correction",
    "Court",
    "Hearing",
    "HearingQuerySet",
    "Offence",
    "Person",
    "PersonIdentifier",
    "PersonMerge",
    "Sentence",
    "StageChange",
    "case_victim_model",
    "victim_model",
]
