"""What each figure of the prosecution reports counts, printed in the reports' footers and workbooks.

Each definition is a (term, meaning) pair; the reports list the ones they use.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DEF_PERIOD_CALENDAR = (
    _("Period"),
    _("A calendar year, 1 January – 31 December; each event counts in the year of its own date."),
)
DEF_PERIOD_FINANCIAL = (
    _("Period"),
    _("Kenya's financial year, 1 July – 30 June; each event counts in the year of its own date."),
)
DEF_INVESTIGATION = (_("Investigation"), _("A case file opened in the tracker (dated by its opening date)."))
DEF_PROSECUTION = (
    _("Prosecution"),
    _(
        "An accused person facing at least one count, counted in the year their case was first charged in court "
        "(the date it entered the pre-trial stage)."
    ),
)
DEF_CONVICTION = (
    _("Conviction"),
    _(
        "A count disposed of as convicted after trial, on own plea or on a plea agreement, in the year of the "
        "disposition date. An accused is convicted in a year when at least one of their counts was."
    ),
)
DEF_ACQUITTAL = (
    _("Acquittal"),
    _(
        "A count acquitted (no case to answer s.210, after defence s.215, or withdrawn after defence s.87(b)). "
        "An accused is acquitted in a year when a count of theirs was acquitted then and none of their counts "
        "has ever been a conviction. Discharges (s.87(a), s.82) and abatements are neither."
    ),
)
DEF_CONCLUDED = (
    _("Concluded case"),
    _(
        "A charged case closed during the year, whatever the closure reason (judgment on every count, withdrawal, "
        "nolle prosequi, abatement, diversion). Cases closed without ever being charged are not counted."
    ),
)
DEF_REGISTERED = (_("Case registered"), _("A case first charged in court (entered pre-trial) during the year."))
DEF_PENDING = (_("Pending case"), _("A case charged by the end of the year and not closed by then."))
DEF_RATE = (
    _("Conviction rate"),
    _(
        "Convicted counts ÷ (convicted + acquitted counts) with a verdict in the year; withdrawals, discharges and "
        "abatements are not verdicts and are left out."
    ),
)
DEF_MEDIAN_DAYS = (
    _("Days from charge to judgment"),
    _(
        "For each count with a verdict in the year, the days from the date its case was charged in court to the "
        "verdict; the median of those."
    ),
)
DEF_SENTENCE = (
    _("Sentence"),
    _(
        "One sentence per convicted count, counted in the year it was passed. Bands are by the custodial term; "
        "a fine with imprisonment in the alternative counts by its term."
    ),
)
DEF_VICTIM = (
    _("Victim identified"),
    _(
        "A victim recorded on a case, counted in the year identified. Victims are recorded by code only; "
        "a child was under 18 when exploited; Kenyan means nationality recorded as Kenyan, foreign any other, "
        "not recorded when blank."
    ),
)
DEF_ADJOURNMENT = (_("Adjournment"), _("A hearing dated in the year whose outcome was recorded as adjourned."))
DEF_MEDIAN_TERM = (
    _("Median custodial term"),
    _(
        "Over the sentences passed in the year on counts of accused of that role, excluding life "
        "imprisonment (counted on its own) and sentences with no custodial term."
    ),
)
DEF_ASSETS_SEIZED = (
    _("Assets seized from them"),
    _("Assets whose recorded owner is an accused of that role, seized in the year, at their estimated value in KES."),
)
DEF_OVERRIDE = (
    _("Sentence override"),
    _(
        "A sentence passed in the year outside the statutory range of the offence version in force on the offence "
        "date (below the mandatory minimum or above the maximum), recorded with the ground and the reason the "
        "court departed from it."
    ),
)

# --- ODPP statistics by case (the performance report) ---------------------------------------------------
DEF_PERIOD_FINANCIAL_OR_DATES = (
    _("Period"),
    _(
        "Kenya's financial year, 1 July – 30 June, unless other dates were chosen (both days included); each event "
        "counts in the period of its own date."
    ),
)
DEF_LEAD_COUNT = (
    _("Section of a case (lead count)"),
    _(
        "Each case is counted once, under the offence section of its lead count: the lowest-numbered count on the "
        "charge sheet of the accused first added to the case (of the accused with a count). Totals count each case "
        "once, whatever the number of accused or counts."
    ),
)
DEF_CASE_REGISTERED = (
    _("Registered"),
    _("A case first charged in court (its first move to pre-trial) within the period."),
)
DEF_BROUGHT_FORWARD = (
    _("Brought forward"),
    _(
        "A case charged before the period began and not concluded before it began. Brought forward + registered = "
        "concluded + pending at the end."
    ),
)
DEF_CASE_CONCLUDED = (
    _("Concluded"),
    _(
        "A charged case is concluded on the day the last of its counts (of every accused) received an outcome — or, if "
        "it was closed first with counts still pending, on the day it was closed (withdrawn, nolle prosequi, abated, "
        "diverted, no further action). Sentence and appeal do not keep a case pending."
    ),
)
DEF_CASE_PENDING = (
    _("Pending at the end"),
    _("A case charged by the last day of the period and not concluded by then."),
)
DEF_CASE_OUTCOME = (
    _("Outcome of a case (precedence)"),
    _(
        "Outcomes are recorded per count; a concluded case takes the first of these that any count of any of its "
        "accused has: convicted after trial (s.215) → convicted on a plea agreement (s.137H) → convicted on own plea "
        "(s.207) → acquitted after defence (s.215) or withdrawn after defence (s.87(b)) → no case to answer (s.210) → "
        "complainant withdrew (s.204) → withdrawn (s.87(a)) → nolle prosequi (s.82) → abated → diverted or no further "
        "action. How a conviction came is the count's recorded outcome (the court convicts on own plea or on a plea "
        "agreement only on that plea). A count left pending when the case was closed takes the closure reason: "
        "withdrawn → s.87(a), nolle prosequi → s.82, abated → abated, diverted or no further action → the last."
    ),
)
DEF_COMPLAINANT_WITHDREW = (
    _("Complainant withdrew (s.204)"),
    _(
        "A count on which the court let the complainant withdraw the complaint before its final order and acquitted "
        "the accused (Criminal Procedure Code s.204), recorded as the count's outcome \"Acquitted — complaint "
        'withdrawn with leave (s.204)". It is an acquittal, so it counts as a verdict in the conviction rates.'
    ),
)
DEF_CASE_RATE = (
    _("Conviction rate by case"),
    _(
        "Cases concluded in the period as convicted (a case is a conviction when any accused is convicted on any "
        "count) ÷ cases concluded with a verdict (convicted, acquitted, no case to answer, complainant withdrew). "
        "Withdrawals, nolle prosequi, abatements and diversions are not verdicts and are left out. Shown to two "
        "decimals."
    ),
)
DEF_COUNT_RATE = (
    _("Conviction rate by count"),
    _(
        "Convicted counts ÷ (convicted + acquitted counts) with an outcome dated in the period, each count under its "
        "own offence section; withdrawals, discharges and abatements are left out. Shown to two decimals."
    ),
)
DEF_PREVIOUS = (
    _("Previous periods"),
    _(
        "The previous period is the same dates one year earlier; the average is over the three periods before this "
        "one: each measure is the mean of their cases (to two decimals), each rate is computed from their summed "
        "numerators and denominators."
    ),
)
DEF_MEDIAN_DAYS_PERIOD = (
    _("Days from charge to judgment"),
    _(
        "For each count with a verdict in the period, the days from the date its case was charged in court to the "
        "verdict; the median of those."
    ),
)
DEF_ADJOURNMENT_PERIOD = (_("Adjournment"), _("A hearing dated in the period whose outcome was recorded as adjourned."))
DEF_OVERRIDE_PERIOD = (
    _("Sentence override"),
    _(
        "A sentence passed in the period outside the statutory range of the offence version in force on the offence "
        "date (below the mandatory minimum or above the maximum), recorded with the ground and the reason the court "
        "departed from it."
    ),
)
DEF_PERIOD_CALENDAR_OR_DATES = (
    _("Period"),
    _(
        "A calendar year, 1 January – 31 December, unless other dates are chosen (from … to …, both days included); "
        "each event counts in the period of its own date."
    ),
)
DEF_VICTIM_IDENTIFIED = (
    _("Victim identified"),
    _(
        "A victim in the victims register (the National Referral Mechanism), counted in the period of the date "
        "identified, once in every total — whether or not the victim is on any case file. Victims are counted by "
        "code only."
    ),
)
DEF_VICTIM_SEX_AGE = (
    _("Adult women, adult men, girls, boys"),
    _(
        "By the victim's recorded sex and age (or age band) at identification: a child was under 18 (by the age or "
        "band recorded, or marked a child when neither is), an adult 18 or over. Not recorded: the sex is not "
        "recorded, or the age is not recorded and the victim is not marked a child."
    ),
)
DEF_VICTIM_EXPLOITATION = (
    _("Form of exploitation"),
    _(
        "The forms of exploitation (CTIP Act s.2) recorded for the victim. A victim with several forms counts under "
        "each of them, so the rows may add up to more than the victims identified; the total counts each victim "
        "once. Not recorded: no form was recorded."
    ),
)
DEF_VICTIM_NATIONALITY = (
    _("Kenyan, foreign"),
    _(
        "Nationality from the register's country list (ISO 3166); Kenya counts as Kenyan, every other country as "
        "foreign, per country by its name. Victims recorded before the country list keep their nationality as "
        "written, read for counting with spaces trimmed and Kenyan, Kenya, KE, KEN and Mkenya read as Kenyan. Not "
        "recorded when neither is given."
    ),
)
DEF_VICTIM_NRM = (
    _("With and without a prosecution, referred, receiving services"),
    _(
        "With a prosecution: the victim is linked to at least one case file (in any role, at any stage); without: "
        "linked to none — the two add up to the victims identified. Referred: referred to services at least once. "
        "Receiving services: at least one referral is in service or completed. Counted as the register stands "
        "today, for the victims identified in the period."
    ),
)
DEF_SHARE = (
    _("Share"),
    _("The row's victims ÷ all victims identified in the period, as a percentage to two decimals."),
)

DEF_BY_PERSON = (
    _("By person"),
    _(
        "The index of persons counts each real person once, however many accused records (cases) they have; a "
        "person is counted under every network role they held in the cases counted."
    ),
)
DEF_PERSONS_CONVICTED = (
    _("Persons convicted"),
    _("Persons with at least one accused record convicted in the year (see Conviction)."),
)
DEF_PERSON_TERM = (
    _("Median term per person"),
    _(
        "Over the persons of that role sentenced in the year: the longest custodial term each received in the "
        "year, excluding life imprisonment and sentences with no custodial term."
    ),
)
DEF_ASSETS_RECOVERED = (
    _("Assets recovered"),
    _(
        "Assets forfeited to the state (forfeited, realised or proceeds transferred) whose holder or recorded owner "
        "is a person of that role, seized in the year, at their estimated value in KES. The role is the owner's in "
        "the asset's case, else the holder's in their most recent case."
    ),
)
DEF_REPEAT_ORGANISERS = (
    _("Organisers in more than one case"),
    _(
        "Persons accused as organiser / financier in a case charged in the year who are accused in two or more "
        "cases in all (any year, any role)."
    ),
)
