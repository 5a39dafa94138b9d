"""History tabs: each change with its field-by-field difference, who made it and why, in plain words."""

from __future__ import annotations

import pytest

from core.history import history_entries
from core.models import County, User
from prosecutions.choices import CourtLevel
from prosecutions.models import Court

pytestmark = pytest.mark.django_db


def test_changes_read_as_words_with_who_and_why(prosecutor: User) -> None:
    court = Court(name="Voi Law Courts", level=CourtLevel.RESIDENT_MAGISTRATE, station="Voi")
    court.county = County.objects.get(code="006")
    court.save_as(prosecutor)
    court.is_active = False
    court.level = CourtLevel.PRINCIPAL_MAGISTRATE
    court.save_as(prosecutor, "Station upgraded and closed for renovation")

    newest, created = history_entries(court.history.select_related("history_user"))

    assert created.kind == "Created" and created.changes == []
    assert newest.kind == "Changed"
    assert newest.who == "Achieng Otieno"
    assert newest.reason == "Station upgraded and closed for renovation"
    changes = {change.field: (change.old, change.new) for change in newest.changes}
    assert changes["Is active"] == ("Yes", "No")
    assert changes["Level"] == ("Resident Magistrate's Court", "Principal Magistrate's Court")
    assert "Updated at" not in changes


def test_a_changed_foreign_key_shows_the_names_not_the_ids(prosecutor: User) -> None:
    court = Court(name="Taveta Law Courts", level=CourtLevel.RESIDENT_MAGISTRATE, station="Taveta")
    court.county = County.objects.get(code="006")
    court.save_as(prosecutor)
    court.county = County.objects.get(code="001")
    court.save_as(prosecutor, "Station moved")

    newest = history_entries(court.history.select_related("history_user"))[0]

    assert [(c.field, c.old, c.new) for c in newest.changes] == [("County", "Taita-Taveta", "Mombasa")]
