"""A change made through the API or an import says so in its history reason, within the column's 100 characters."""

from __future__ import annotations

from core.channels import REASON_LENGTH, history_note, noted_reason
from core.models import RoleGrant, User


def test_outside_a_note_the_reason_is_unchanged() -> None:
    assert noted_reason("corrected the OB number") == "corrected the OB number"


def test_the_note_joins_the_reason_once_and_alone_stands_for_an_empty_reason() -> None:
    with history_note("via API"):
        assert noted_reason("") == "via API"
        assert noted_reason("hearing adjourned") == "hearing adjourned (via API)"
        assert noted_reason("hearing adjourned (via API)") == "hearing adjourned (via API)"
    assert noted_reason("") == ""


def test_a_long_reason_gives_way_to_the_note() -> None:
    with history_note("imported from registers-2021.xlsx, row 1432"):
        reason = noted_reason("x" * 300)
    assert len(reason) == REASON_LENGTH
    assert reason.endswith("… (imported from registers-2021.xlsx, row 1432)")


def test_a_tracked_save_inside_a_note_records_it_in_history(prosecutor: User) -> None:
    grant = RoleGrant.objects.filter(user=prosecutor).first()
    assert grant is not None
    with history_note("via API"):
        grant.save_as(prosecutor, reason="reworded")
    assert grant.history.order_by("-history_id").first().history_change_reason == "reworded (via API)"
    grant.save_as(prosecutor, reason="reworded again")
    assert grant.history.order_by("-history_id").first().history_change_reason == "reworded again"
