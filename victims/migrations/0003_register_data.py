# Written by hand: the victims recorded before the register get its fields.
"""For each existing victim:
- ``country`` from the free-text nationality: the spellings of Kenyan ("Kenyan ", "KE", "Mkenya", "Kenya")
  read as KE; other values by English name, demonym (the table below) or ISO code; a value that reads as
  no single country (e.g. "Congolese": DR Congo or Congo?) stays blank and is listed in the output, for a
  victim services officer to settle;
- ``exploitation_forms`` = the one form first recorded;
- a ``CaseVictim`` link to the case it was recorded on, in the role "named in a count".

The free text and the single form stay in their columns (the audit chain digests them). The victims are
changed, not created, so this migration writes their "changed" history row itself, as
prosecutions.0009 does, and chains it; the links it creates get their history when ``migrate`` finishes
(core.audit.baseline). The mapping is copied here as it was when this was written: a migration must not
change meaning when the code does.
"""

from django.apps import apps as live_apps
from django.db import migrations
from django.utils import timezone

REASON = "Victims register: nationality read as a country, forms of exploitation, case link (migration)"
BATCH = 500
KENYAN = frozenset({"kenyan", "kenya", "ke", "ken", "mkenya", "mkenya/kenyan"})
DEMONYMS = {
    "ugandan": "UG", "tanzanian": "TZ", "ethiopian": "ET", "somali": "SO", "somalian": "SO", "rwandan": "RW",
    "burundian": "BI", "south sudanese": "SS", "sudanese": "SD", "eritrean": "ER", "nigerian": "NG",
    "indian": "IN", "pakistani": "PK", "bangladeshi": "BD", "nepalese": "NP", "nepali": "NP", "chinese": "CN",
    "malawian": "MW", "zambian": "ZM", "mozambican": "MZ", "zimbabwean": "ZW", "south african": "ZA",
    "saudi": "SA", "emirati": "AE", "omani": "OM", "qatari": "QA", "lebanese": "LB", "yemeni": "YE",
    "ghanaian": "GH", "cameroonian": "CM", "djiboutian": "DJ", "filipino": "PH", "thai": "TH",
}
NAMED_IN_COUNT = "named_in_count"


def country_of(text):
    """An ISO code for the free text, or "" when it names no single country."""
    from django_countries import countries

    flat = " ".join((text or "").split()).casefold()
    if not flat:
        return ""
    if flat in KENYAN:
        return "KE"
    if flat in DEMONYMS:
        return DEMONYMS[flat]
    if len(flat) in (2, 3) and countries.alpha2(flat.upper()):
        return countries.alpha2(flat.upper())
    code = countries.by_name(flat, insensitive=True)
    return code or ""


def register_fields(apps, schema_editor):
    Victim = apps.get_model("victims", "Victim")
    HistoricalVictim = apps.get_model("victims", "HistoricalVictim")
    CaseVictim = apps.get_model("victims", "CaseVictim")
    using = schema_editor.connection.alias
    changed, unknown = [], {}
    for victim in Victim.objects.using(using).order_by("pk").iterator(chunk_size=BATCH):
        updates = {}
        if not victim.country and victim.nationality.strip():
            code = country_of(victim.nationality)
            if code:
                updates["country"] = code
            else:
                unknown.setdefault(victim.nationality.strip(), []).append(victim.code)
        if victim.exploitation_forms is None and victim.exploitation_type:
            updates["exploitation_forms"] = [victim.exploitation_type]
        if updates:
            Victim.objects.using(using).filter(pk=victim.pk).update(**updates)
            changed.append(victim.pk)
        if victim.case_id and not CaseVictim.objects.using(using).filter(victim=victim, case_id=victim.case_id).exists():
            CaseVictim.objects.using(using).create(victim=victim, case_id=victim.case_id, role=NAMED_IN_COUNT)
    _record_history(Victim, HistoricalVictim, changed, using)
    if unknown:
        print("\n  Victims whose nationality names no single country (left blank; set it on the victim's page):")
        for text, codes in sorted(unknown.items()):
            print(f"    {text!r}: {len(codes)} — {', '.join(codes[:20])}{' …' if len(codes) > 20 else ''}")


def _record_history(Victim, HistoricalVictim, pks, using):
    """A "changed" history row for each victim updated, chained like a save's."""
    if not pks:
        return
    from core.audit.chain import link_history_rows

    fields = [f.attname for f in Victim._meta.concrete_fields]
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    for start in range(0, len(pks), BATCH):
        rows = Victim.objects.using(using).filter(pk__in=pks[start : start + BATCH]).order_by("pk")
        history = HistoricalVictim.objects.using(using).bulk_create(
            [
                HistoricalVictim(
                    **{name: getattr(row, name) for name in fields},
                    history_date=now,
                    history_type="~",
                    history_change_reason=REASON,
                    history_user_id=None,
                )
                for row in rows
            ]
        )
        link_history_rows(live_apps.get_model("victims", "HistoricalVictim"), [h.pk for h in history], using)


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0002_register"),
    ]

    operations = [
        migrations.RunPython(register_fields, migrations.RunPython.noop),
    ]
