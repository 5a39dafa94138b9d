# Written by hand: every accused recorded before the index of persons gets a person.
"""One person per existing accused record; accused records whose ID or passport number is the same
(normalised) share one person, whose aliases gain the other spellings of the name.

History: the persons and identifiers created here get theirs when ``migrate`` finishes (core.audit.baseline,
as for every row a migration creates). The accused rows are changed, not created, so this migration writes
their "changed" history row itself — a copy of the row as it now stands, with the reason below — and
chains it like any other history row.

The identifier rules are copied from ``prosecutions.services.persons`` as they were when this was written:
a migration must not change meaning when the service does.
"""

import re

from django.apps import apps as live_apps
from django.db import migrations
from django.utils import timezone

SERIES = "person"
TEMPLATE = "PER/{period}/{number:05d}"
REASON = "Linked to a person of the new index (migration)"
BATCH = 500

_SEPARATORS = re.compile(r"[\s\-./]+")
_ID_DIGITS = re.compile(r"\d{7,8}")
_PASSPORT = re.compile(r"[A-Z0-9]{6,9}")


def identifier_of(id_number):
    """(kind, value) for an accused's "ID or passport number", or None if it reads as neither."""
    value = _SEPARATORS.sub("", (id_number or "").strip()).upper()
    if _ID_DIGITS.fullmatch(value):
        return ("national_id", value)
    if _PASSPORT.fullmatch(value) and any(c.isdigit() for c in value):
        return ("passport", value)
    return None


def _next_number(NumberSequence, period):
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        series=SERIES, period=period, defaults={"last_value": 0}
    )
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value


def _with_alias(aliases, name):
    known = [a.strip() for a in aliases.split(",") if a.strip()]
    if name.strip() and name.strip().lower() not in {k.lower() for k in known}:
        known.append(name.strip())
    joined = ", ".join(known)
    return joined if len(joined) <= 255 else aliases


def persons_for_accused(apps, schema_editor):
    Accused = apps.get_model("prosecutions", "Accused")
    HistoricalAccused = apps.get_model("prosecutions", "HistoricalAccused")
    Person = apps.get_model("prosecutions", "Person")
    PersonIdentifier = apps.get_model("prosecutions", "PersonIdentifier")
    NumberSequence = apps.get_model("core", "NumberSequence")
    using = schema_editor.connection.alias
    period = f"{timezone.localdate().year}"

    by_identifier = {}
    changed = []
    pending = Accused.objects.using(using).filter(person__isnull=True).order_by("pk")
    for accused in pending.iterator(chunk_size=BATCH):
        identifier = identifier_of(accused.id_number)
        person = by_identifier.get(identifier) if identifier else None
        if person is None and identifier:
            found = PersonIdentifier.objects.using(using).filter(kind=identifier[0], value=identifier[1]).first()
            person = found.person if found else None
        if person is None:
            person = Person.objects.using(using).create(
                reference=TEMPLATE.format(period=period, number=_next_number(NumberSequence, period)),
                name=accused.name,
                aliases=accused.aliases,
                sex=accused.sex,
                date_of_birth=accused.date_of_birth,
                birth_year=accused.date_of_birth.year if accused.date_of_birth else None,
                nationality=accused.nationality,
            )
            if identifier:
                PersonIdentifier.objects.using(using).create(person=person, kind=identifier[0], value=identifier[1])
        elif accused.name.strip().lower() != person.name.strip().lower():
            aliases = _with_alias(person.aliases, accused.name)
            if aliases != person.aliases:
                person.aliases = aliases
                person.save(update_fields=["aliases"])
        if identifier:
            by_identifier[identifier] = person
        Accused.objects.using(using).filter(pk=accused.pk).update(person=person)
        changed.append(accused.pk)

    _record_history(Accused, HistoricalAccused, changed, using)


def _record_history(Accused, HistoricalAccused, pks, using):
    """A "changed" history row for each accused linked, chained like a save's."""
    if not pks:
        return
    from core.audit.chain import link_history_rows

    fields = [f.attname for f in Accused._meta.concrete_fields]
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    for start in range(0, len(pks), BATCH):
        rows = Accused.objects.using(using).filter(pk__in=pks[start : start + BATCH]).order_by("pk")
        history = HistoricalAccused.objects.using(using).bulk_create(
            [
                HistoricalAccused(
                    **{name: getattr(row, name) for name in fields},
                    history_date=now,
                    history_type="~",
                    history_change_reason=REASON,
                    history_user_id=None,
                )
                for row in rows
            ]
        )
        # The chain reads the rows back through the installed history model, as for any history row.
        link_history_rows(live_apps.get_model("prosecutions", "HistoricalAccused"), [h.pk for h in history], using)


class Migration(migrations.Migration):
    dependencies = [
        # link_history_rows is the live chain, which queues links in core_auditpending when the head is busy.
        ("core", "0010_audit_pending"),
        ("prosecutions", "0008_person_index"),
    ]

    operations = [
        migrations.RunPython(persons_for_accused, migrations.RunPython.noop),
    ]
