"""The organisers-versus-small-fish report's section by person, on the prosecution reports' worked example
(tests/prosecutions/test_reports.py) with one change: the organiser A1 turns up again, as organiser, in case
E (charged in 2025-26), and the cash seized from him is forfeited.

By hand, for 2025-26: persons charged — E1 (official) and A1 (organiser, through case E): one of each role.
Persons convicted — A1 (1 Sep 2025), organiser. Sentences — A1 life (organiser), A2 60 months (recruiter).
Assets recovered — A1's KES 1,000,000, forfeited, organiser. Organisers in more than one case — A1.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from assets.choices import AssetStatus
from assets.models import Asset
from prosecutions.choices import NetworkRole
from prosecutions.models import Accused
from tests.assets.factories import forfeit
from tests.prosecutions.factories import make_accused, make_charge
from tests.prosecutions.test_reports import build_worked_example, page, sheet_rows, summary, workbook

pytestmark = pytest.mark.django_db

URL = "prosecutions:network_roles"


def test_the_section_by_person_counts_each_person_once(client: Client, unit_head: Any) -> None:
    cases = build_worked_example(unit_head)
    a1 = Accused.objects.get(name="Organiser A1")
    again = make_accused(cases["e"], unit_head, name="A. One", network_role=NetworkRole.ORGANISER, person=a1.person)
    make_charge(again, unit_head, days=200)
    asset = Asset.objects.get(owner=a1)
    forfeit(asset, unit_head)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.FORFEITED

    data = page(client, unit_head, URL, "2025-26")
    rows = {r["role"]: r for r in data.table("persons").rows}
    organisers = rows["Organiser / financier"]
    assert (organisers["persons"], organisers["convicted"], organisers["life"]) == (1, 1, 1)
    assert (organisers["recovered"], organisers["recovered_value"]) == (1, Decimal("1000000.00"))
    assert rows["Facilitating official"]["persons"] == 1
    assert rows["Recruiter"]["median_months"] == Decimal("60.0")
    assert rows["Transporter"]["recovered"] == 0  # B1's asset was not forfeited
    figures = {f.key: f.value for f in data.figures}
    assert figures["repeat_organisers"] == 1
    assert figures["persons_convicted"] == 1

    book = workbook(client, unit_head, URL, "2025-26")
    sheet = {row[0]: row[1:] for row in sheet_rows(book, "By person")}
    assert sheet["Organiser / financier"][:2] == (1, 1)
    assert sheet["Organiser / financier"][5] == 1000000
    assert summary(book)["Organisers in more than one case"] == 1
    about = " ".join(str(v) for row in book["Summary"].iter_rows(values_only=True) for v in row if v)
    assert "Organisers in more than one case" in about and "each real person once" in about.lower()
