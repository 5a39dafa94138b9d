"""Victim moved from prosecutions to the victims register: its history links keep their source label, the
audit index names the new model, and the chain verifies."""

from __future__ import annotations

import importlib

import pytest

from core.audit.chain_verify import verify_chain
from core.audit.content import source_label
from core.models import AuditLink
from prosecutions import services as prosecution_services
from tests.victims.factories import days_ago, identified
from victims.models import VICTIM_AUDIT_SOURCE, CaseVictim, Victim

pytestmark = pytest.mark.django_db

register_data = importlib.import_module("victims.migrations.0003_register_data")


def test_the_moved_history_keeps_the_label_its_links_were_written_under() -> None:
    assert source_label(Victim.history.model) == VICTIM_AUDIT_SOURCE == "prosecutions.historicalvictim"
    assert Victim._meta.db_table == "victims_victim"
    assert source_label(CaseVictim.history.model) == "victims.historicalcasevictim"


def test_a_victim_added_on_a_case_is_chained_under_the_old_label_and_verifies(case, prosecutor) -> None:
    victim = prosecution_services.add_victim(case, prosecutor, exploitation_type="servitude", identified_on=days_ago(5))
    link = AuditLink.objects.filter(source=VICTIM_AUDIT_SOURCE, object_id=str(victim.pk)).get()
    assert link.record_type == "victims.victim"
    assert CaseVictim.objects.filter(victim=victim, case=case, role="named_in_count").exists()
    assert verify_chain().ok


def test_a_victim_of_the_register_verifies_too(victim_services_officer) -> None:
    identified(victim_services_officer)
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kenyan ", "KE"),
        ("KE", "KE"),
        ("Mkenya", "KE"),
        ("Kenya", "KE"),
        ("Ugandan", "UG"),
        ("Tanzania", "TZ"),
        ("ETH", "ET"),
        ("Congolese", ""),
        ("Atlantis", ""),
        ("", ""),
    ],
)
def test_the_migration_reads_free_text_nationalities(text: str, code: str) -> None:
    assert register_data.country_of(text) == code
