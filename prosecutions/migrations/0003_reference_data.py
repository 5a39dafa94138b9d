"""Reference data: the CTIP Act offences with their penalties per effective date, the usual companion
offences, and a starter list of court stations. Both lists stay editable in the admin.

CTIP Act s.3(1) and s.3(6): the 15-year / KSh 5M minimum before the 2023 amendment is taken from US TIP
reports and is UNCONFIRMED (DOMAIN §1.3); the 30-year / KSh 30M minimum is the current revised text,
in force from 11 Dec 2023 (Statute Law (Misc. Amendment) Act No. 19 of 2023).
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

CTIP_COMMENCED = dt.date(2012, 10, 1)
AMENDED_2023 = dt.date(2023, 12, 11)
UNCONFIRMED_2012 = (
    "UNCONFIRMED: the pre-2023 minimum (15 years or KSh 5M) comes from US TIP reports 2014–2019; "
    "which amendment changed it, and when, is not confirmed. Check the official text."
)

# (statute, section, title, penalty section, min months, life, min fine, subsequent, from, to, notes)
OFFENCES = [
    ("ctip", "3(1)", "Trafficking in persons", "3(5)", 180, False, "5000000", "Life imprisonment",
     CTIP_COMMENCED, AMENDED_2023 - dt.timedelta(days=1), UNCONFIRMED_2012),
    ("ctip", "3(1)", "Trafficking in persons", "3(5)", 360, False, "30000000", "Life imprisonment",
     AMENDED_2023, None, "Current revised text: at least 30 years or a fine of at least KSh 30M, or both."),
    ("ctip", "3(6)", "Financing, controlling, aiding or abetting trafficking in persons", "3(6)", 180, False,
     "5000000", "Life imprisonment", CTIP_COMMENCED, AMENDED_2023 - dt.timedelta(days=1), UNCONFIRMED_2012),
    ("ctip", "3(6)", "Financing, controlling, aiding or abetting trafficking in persons", "3(6)", 360, False,
     "30000000", "Life imprisonment", AMENDED_2023, None,
     "Current revised text: at least 30 years or a fine of at least KSh 30M, or both."),
    ("ctip", "4", "Acts that promote child trafficking", "4", 360, False, "20000000", "Life imprisonment",
     CTIP_COMMENCED, None, "Adoption, fostering or guardianship for trafficking, including starting such proceedings."),
    ("ctip", "5", "Promotion of trafficking in persons", "5", 240, False, "20000000", "Life imprisonment",
     CTIP_COMMENCED, None, "Premises, publishing or import/export of material, recruitment agencies, other means."),
    ("ctip", "6", "Acquisition of travel documents by fraud or misrepresentation", "6", 120, False, "10000000",
     "At least 10 years, no fine option", CTIP_COMMENCED, None, ""),
    ("ctip", "7", "Facilitating entry into or exit out of the country for trafficking", "7", 360, False,
     "30000000", "At least 30 years, no fine option", CTIP_COMMENCED, None,
     "Airports, border points and seaports. The section most ODPP trafficking cases are charged under."),
    ("ctip", "8", "Interfering with travel documents or personal effects", "8", 120, False, "10000000",
     "At least 10 years, no fine option", CTIP_COMMENCED, None, ""),
    ("ctip", "9", "Trafficking in life-threatening circumstances or causing the death of the victim", "9", None,
     True, None, "", CTIP_COMMENCED, None, "Aggravation: life imprisonment."),
    ("ctip", "10", "Trafficking in persons for organised crime", "10", None, True, None, "", CTIP_COMMENCED, None,
     "Aggravation: life imprisonment."),
    ("ctip", "11(3)", "Breach of confidentiality: disclosing a victim's identity or publishing in-camera proceedings",
     "11(5)", 60, False, "5000000", "", CTIP_COMMENCED, None, "A body corporate: a fine of at least KSh 10M."),
    ("ctip", "26(2)", "Official knowingly issuing documents or ignoring procedure to facilitate an offence", "26(2)",
     None, False, None, "", CTIP_COMMENCED, None, "Penalty UNCONFIRMED: the source text is garbled."),
    # Companion offences: minimum penalties are not captured here; read the statute.
    ("soa", "8(1)", "Defilement", "8(2)–(4)", None, False, None, "", dt.date(2006, 7, 21), None,
     "Penalty depends on the child's age (s.8(2)–(4))."),
    ("soa", "13", "Child trafficking (for sexual purposes)", "13", None, False, None, "", dt.date(2006, 7, 21), None, ""),
    ("soa", "15", "Child prostitution", "15", None, False, None, "", dt.date(2006, 7, 21), None, ""),
    ("soa", "17", "Exploitation of prostitution", "17", None, False, None, "", dt.date(2006, 7, 21), None, ""),
    ("soa", "18", "Trafficking for sexual exploitation", "18", None, False, None, "", dt.date(2006, 7, 21), None, ""),
    ("children", "22", "Child abuse and exploitation (including child labour)", "", None, False, None, "",
     dt.date(2022, 7, 26), None, "Section reference UNCONFIRMED against the Children Act, 2022."),
    ("immigration", "53(1)", "General immigration offences (e.g. aiding unlawful entry or presence)", "53(2)", None,
     False, None, "", dt.date(2011, 8, 30), None, "Charge the paragraph of s.53(1) in the particulars."),
    ("penal_code", "264", "Buying or disposing of any person as a slave", "264", None, False, None, "",
     dt.date(1930, 8, 1), None, ""),
    ("penal_code", "266", "Unlawful compulsory labour", "266", None, False, None, "", dt.date(1930, 8, 1), None, ""),
    ("penal_code", "393", "Conspiracy to commit a felony", "393", None, False, None, "", dt.date(1930, 8, 1), None, ""),
]

# (name, level, station, county code)
COURTS = [
    ("Milimani Chief Magistrate's Court", "cm", "Milimani", "047"),
    ("JKIA Principal Magistrate's Court", "pm", "JKIA", "047"),
    ("Kibera Chief Magistrate's Court", "cm", "Kibera", "047"),
    ("Makadara Chief Magistrate's Court", "cm", "Makadara", "047"),
    ("Mombasa Chief Magistrate's Court", "cm", "Mombasa", "001"),
    ("Malindi Chief Magistrate's Court", "cm", "Malindi", "003"),
    ("Nakuru Chief Magistrate's Court", "cm", "Nakuru", "032"),
    ("Kisumu Chief Magistrate's Court", "cm", "Kisumu", "042"),
    ("Eldoret Chief Magistrate's Court", "cm", "Eldoret", "027"),
    ("Busia Chief Magistrate's Court", "cm", "Busia", "040"),
    ("Garissa Chief Magistrate's Court", "cm", "Garissa", "007"),
    ("Kakamega Chief Magistrate's Court", "cm", "Kakamega", "037"),
    ("Mavoko Senior Principal Magistrate's Court", "spm", "Mavoko", "016"),
    ("High Court at Nairobi (Milimani), Criminal Division", "hc", "Milimani", "047"),
]


def forwards(apps, schema_editor):
    Offence = apps.get_model("prosecutions", "Offence")
    Court = apps.get_model("prosecutions", "Court")
    County = apps.get_model("core", "County")
    for statute, section, title, penalty, months, life, fine, subsequent, start, end, notes in OFFENCES:
        Offence.objects.update_or_create(
            statute=statute,
            section=section,
            effective_from=start,
            defaults={
                "title": title,
                "penalty_section": penalty,
                "min_custodial_months": months,
                "life_imprisonment": life,
                "min_fine": Decimal(fine) if fine else None,
                "subsequent_conviction_penalty": subsequent,
                "effective_to": end,
                "notes": notes,
            },
        )
    counties = {county.code: county for county in County.objects.all()}
    for name, level, station, county_code in COURTS:
        Court.objects.update_or_create(
            name=name, defaults={"level": level, "station": station, "county": counties[county_code]}
        )


def backwards(apps, schema_editor):
    apps.get_model("prosecutions", "Court").objects.filter(name__in=[c[0] for c in COURTS], cases=None).delete()


class Migration(migrations.Migration):
    dependencies = [("prosecutions", "0002_indexes"), ("core", "0003_counties")]

    operations = [migrations.RunPython(forwards, backwards)]
