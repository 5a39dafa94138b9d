"""The demo seed: witnesses on every case, victim-witnesses among them, about 15% flagged, some admitted
with measures, identities for the protected ones; idempotent and nothing dated ahead."""

from __future__ import annotations

import pytest
from django.utils import timezone

from prosecutions.demo import seed_prosecutions
from witnesses.choices import MeasureStatus, ProtectionStatus, WitnessRole
from witnesses.demo import seed_witnesses
from witnesses.models import Appearance, Identity, ProtectionMeasure, ProtectionStatusChange, Witness

pytestmark = pytest.mark.django_db


def test_no_cases_no_witnesses() -> None:
    lines: list[str] = []
    assert seed_witnesses({}, lines.append) == 0
    assert "no cases" in lines[0]


def test_the_seed_covers_the_protection_story_and_is_idempotent(liaison, prosecutor, unit_head) -> None:
    seed_prosecutions({"prosecutor": prosecutor, "unithead": unit_head, "liaison": liaison}, lambda line: None)
    created = seed_witnesses({"liaison": liaison}, lambda line: None)
    assert created == Witness.objects.count() > 0
    assert Appearance.objects.filter(role=WitnessRole.VICTIM_WITNESS, witness__victim__isnull=False).exists()
    flagged = Witness.objects.exclude(protection_status=ProtectionStatus.NONE).count()
    assert 0.10 <= flagged / created <= 0.20
    assert Witness.objects.filter(protection_status=ProtectionStatus.ADMITTED).exists()
    assert ProtectionMeasure.objects.filter(status=MeasureStatus.IN_FORCE, kind="screen").exists()
    assert Identity.objects.count() == flagged
    assert not ProtectionStatusChange.objects.filter(effective_on__gt=timezone.localdate()).exists()
    assert seed_witnesses({"liaison": liaison}, lambda line: None) == 0
    assert Witness.objects.count() == created
