"""The proportions of the demo caseload (DOMAIN §5) and the names it draws from."""

from __future__ import annotations

import random
from typing import Any

from prosecutions.choices import AdjournmentReason, ExploitationType, NetworkRole, Statute

DEMO_MARK = "DCI/AHTCPU/DEMO"
CASE_COUNT = 150
YEARS = 5

# How the demo caseload is spread over stages (and, for closed cases, how they ended).
TARGETS: list[tuple[str, int]] = [
    ("investigation", 14),
    ("charging_decision", 10),
    ("pre_trial", 18),
    ("trial", 34),
    ("judgment", 6),
    ("sentencing", 8),
    ("appeal", 7),
    ("closed_concluded", 30),
    ("closed_withdrawn", 8),
    ("closed_nfa", 6),
    ("closed_nolle", 4),
    ("closed_diverted", 3),
    ("closed_abated", 2),
]
# Typical age of a case at each target, in days (min, max).
AGE_DAYS: dict[str, tuple[int, int]] = {
    "investigation": (5, 300),
    "charging_decision": (20, 400),
    "pre_trial": (40, 500),
    "trial": (120, 1500),
    "judgment": (300, 1600),
    "sentencing": (300, 1600),
    "appeal": (400, 1800),
    "closed_concluded": (300, 1820),
    "closed_withdrawn": (150, 1700),
    "closed_nfa": (60, 1500),
    "closed_nolle": (150, 1700),
    "closed_diverted": (60, 1200),
    "closed_abated": (200, 1600),
}

COURT_WEIGHTS = {
    "JKIA": 22,
    "Milimani": 16,
    "Mombasa": 14,
    "Busia": 9,
    "Malindi": 8,
    "Kibera": 5,
    "Makadara": 5,
    "Mavoko": 5,
    "Nakuru": 4,
    "Kisumu": 4,
    "Eldoret": 3,
    "Garissa": 3,
    "Kakamega": 2,
}
SECTION_WEIGHTS: list[tuple[tuple[str, str], int]] = [
    ((Statute.CTIP, "7"), 46),
    ((Statute.CTIP, "3(1)"), 24),
    ((Statute.CTIP, "6"), 9),
    ((Statute.CTIP, "3(6)"), 5),
    ((Statute.CTIP, "4"), 4),
    ((Statute.CTIP, "5"), 3),
    ((Statute.CTIP, "8"), 3),
    ((Statute.SEXUAL_OFFENCES, "18"), 2),
    ((Statute.IMMIGRATION, "53(1)"), 2),
    ((Statute.PENAL_CODE, "266"), 1),
    ((Statute.CTIP, "10"), 1),
]
ROLE_WEIGHTS = [
    (NetworkRole.RECRUITER, 30),
    (NetworkRole.TRANSPORTER, 25),
    (NetworkRole.HARBOURER, 20),
    (NetworkRole.OTHER, 9),
    (NetworkRole.ORGANISER, 10),
    (NetworkRole.FACILITATING_OFFICIAL, 6),
]
EXPLOITATION_WEIGHTS = [
    (ExploitationType.FORCED_LABOUR, 34),
    (ExploitationType.SEXUAL_EXPLOITATION, 30),
    (ExploitationType.CHILD_LABOUR, 14),
    (ExploitationType.INVOLUNTARY_SERVITUDE, 8),
    (ExploitationType.CHILD_MARRIAGE, 4),
    (ExploitationType.FORCED_MARRIAGE, 3),
    (ExploitationType.PRACTICES_SIMILAR_TO_SLAVERY, 3),
    (ExploitationType.SLAVERY, 2),
    (ExploitationType.ORGAN_REMOVAL, 1),
    (ExploitationType.ARMED_CONFLICT, 1),
]
NATIONALITIES = [
    ("Kenyan", 74),
    ("Ugandan", 7),
    ("Tanzanian", 5),
    ("Ethiopian", 5),
    ("Somali", 3),
    ("Burundian", 2),
    ("South Sudanese", 2),
    ("Rwandan", 1),
    ("Congolese", 1),
]
FIRST_NAMES = [
    "John",
    "Peter",
    "Mary",
    "Joseph",
    "Grace",
    "James",
    "Esther",
    "David",
    "Lucy",
    "Samuel",
    "Ann",
    "Paul",
    "Hassan",
    "Amina",
    "Mohamed",
    "Fatuma",
    "Kevin",
    "Faith",
    "Brian",
    "Mercy",
    "Dennis",
    "Ruth",
    "Collins",
    "Joyce",
    "Abdi",
    "Halima",
    "Tom",
    "Janet",
    "Wycliffe",
    "Beatrice",
]
LAST_NAMES = [
    "Mwangi",
    "Otieno",
    "Kamau",
    "Wanjiku",
    "Ochieng",
    "Kiprop",
    "Mutua",
    "Njoroge",
    "Omondi",
    "Wafula",
    "Kariuki",
    "Cheruiyot",
    "Achieng",
    "Mohamed",
    "Abdullahi",
    "Barasa",
    "Kimani",
    "Onyango",
    "Rotich",
    "Wekesa",
    "Nyaga",
    "Korir",
    "Maina",
    "Odhiambo",
    "Juma",
    "Said",
    "Mugo",
    "Were",
    "Keter",
    "Ndungu",
]
POLICE_STATIONS = {
    "JKIA": "JKIA Police Station",
    "Milimani": "Central Police Station",
    "Mombasa": "Port Police Station",
    "Busia": "Busia Police Station",
    "Malindi": "Malindi Police Station",
    "Kibera": "Kilimani Police Station",
    "Makadara": "Industrial Area Police Station",
    "Mavoko": "Athi River Police Station",
    "Nakuru": "Nakuru Central Police Station",
    "Kisumu": "Kisumu Central Police Station",
    "Eldoret": "Eldoret Police Station",
    "Garissa": "Garissa Police Station",
    "Kakamega": "Kakamega Police Station",
}

ADJOURNMENT_WEIGHTS = [
    (AdjournmentReason.WITNESS_ABSENT, 30),
    (AdjournmentReason.PROSECUTION_NOT_READY, 15),
    (AdjournmentReason.DEFENCE_APPLICATION, 20),
    (AdjournmentReason.ACCUSED_ABSENT, 10),
    (AdjournmentReason.COURT_NOT_SITTING, 10),
    (AdjournmentReason.INTERPRETER, 5),
    (AdjournmentReason.NEW_MAGISTRATE, 5),
    (AdjournmentReason.FILE_MISSING, 5),
]


def pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    """One value drawn from (value, weight) pairs."""
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]
