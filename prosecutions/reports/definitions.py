"""What each figure of the prosecution reports counts, printed in the reports' footers and workbooks.

Each definition is a (term, meaning) pair; the reports list the ones they use.
"""

from __future__ import annotations

DEF_PERIOD_CALENDAR = (
    "Period",
    "A calendar year, 1 January – 31 December; each event counts in the year of its own date.",
)
DEF_PERIOD_FINANCIAL = (
    "Period",
    "Kenya's financial year, 1 July – 30 June; each event counts in the year of its own date.",
)
DEF_INVESTIGATION = ("Investigation", "A case file opened in the tracker (dated by its opening date).")
DEF_PROSECUTION = (
    "Prosecution",
    "An accused person facing at least one count, counted in the year their case was first charged in court "
    "(the date it entered the pre-trial stage).",
)
DEF_CONVICTION = (
    "Conviction",
    "A count disposed of as convicted after trial, on own plea or on a plea agreement, in the year of the "
    "disposition date. An accused is convicted in a year when at least one of their counts was.",
)
DEF_ACQUITTAL = (
    "Acquittal",
    "A count acquitted (no case to answer s.210, after defence s.215, or withdrawn after defence s.87(b)). "
    "An accused is acquitted in a year when a count of theirs was acquitted then and none of their counts "
    "has ever been a conviction. Discharges (s.87(a), s.82) and abatements are neither.",
)
DEF_CONCLUDED = (
    "Concluded case",
    "A charged case closed during the year, whatever the closure reason (judgment on every count, withdrawal, "
    "nolle prosequi, abatement, diversion). Cases closed without ever being charged are not counted.",
)
DEF_REGISTERED = ("Case registered", "A case first charged in court (entered pre-trial) during the year.")
DEF_PENDING = ("Pending case", "A case charged by the end of the year and not closed by then.")
DEF_RATE = (
    "Conviction rate",
    "Convicted counts ÷ (convicted + acquitted counts) with a verdict in the year; withdrawals, discharges and "
    "abatements are not verdicts and are left out.",
)
DEF_MEDIAN_DAYS = (
    "Days from charge to judgment",
    "For each count with a verdict in the year, the days from the date its case was charged in court to the "
    "verdict; the median of those.",
)
DEF_SENTENCE = (
    "Sentence",
    "One sentence per convicted count, counted in the year it was passed. Bands are by the custodial term; "
    "a fine with imprisonment in the alternative counts by its term.",
)
DEF_VICTIM = (
    "Victim identified",
    "A victim recorded on a case, counted in the year identified. Victims are recorded by code only; "
    "a child was under 18 when exploited; Kenyan means nationality recorded as Kenyan, foreign any other, "
    "not recorded when blank.",
)
DEF_ADJOURNMENT = ("Adjournment", "A hearing dated in the year whose outcome was recorded as adjourned.")
DEF_MEDIAN_TERM = (
    "Median custodial term",
    "Over the sentences passed in the year on counts of accused of that role, excluding life "
    "imprisonment (counted on its own) and sentences with no custodial term.",
)
DEF_ASSETS_SEIZED = (
    "Assets seized from them",
    "Assets whose recorded owner is an accused of that role, seized in the year, at their estimated value in KES.",
)
DEF_OVERRIDE = (
    "Sentence override",
    "A sentence passed in the year outside the statutory range of the offence version in force on the offence "
    "date (below the mandatory minimum or above the maximum), recorded with the ground and the reason the "
    "court departed from it.",
)
