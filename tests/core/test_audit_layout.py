"""Adding a column to a tracked model must not break the audit chain's older links.

Links digest only the columns holding a value (content form 2), so a column added later — NULL or empty
on every row already written — changes no old digest. Links written before that (content form 1) cover
exactly the columns frozen in ``AuditLayout``. A migration that adds a column to a history table with a
non-empty default would still break old links; the last test holds every migration to that rule.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddField
from django.db.models import NOT_PROVIDED

from core.audit.chain_verify import verify_chain
from core.audit.content import CONTENT_LAYOUT, GENESIS, chained_models, compute_digest, row_content
from core.models import AuditLayout, AuditLink
from prosecutions.models import Case
from tests.core.audit_tampering import run_sql, table
from tests.factories import UserFactory
from tests.prosecutions.factories import charged_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def history() -> Case:
    prosecutor: Any = UserFactory(roles=["Prosecutor"])
    return charged_case(prosecutor)


def test_columns_without_a_value_are_left_out_of_the_digested_content(history: Case) -> None:
    row = Case.history.filter(id=history.pk).earliest("history_id")
    assert row.summary == "" and row.closed_on is None
    content = row_content(row)
    assert "summary" not in content and "closed_on" not in content
    assert content["title"] == history.title
    assert "summary" in row_content(row, ["summary", "title"])


def _rewrite_chain_as_form_one(layouts: dict[str, list[str]]) -> None:
    """What a database written before content form 2 looks like: every link digests its layout's columns."""
    models_by_source = {model._meta.label_lower: model for model in chained_models()}
    prev = GENESIS
    for link in AuditLink.objects.order_by("seq"):
        row = models_by_source[link.source]._base_manager.get(pk=link.row_id)
        content = row_content(row, layouts[link.source])
        digest = compute_digest(prev, link.seq, link.source, link.row_id, link.case_id, link.object_repr, content)
        run_sql(
            f"UPDATE {table(AuditLink)} SET digest = %s, content_form = %s WHERE id = %s",
            [digest, CONTENT_LAYOUT, link.pk],
        )
        prev = digest
    run_sql("UPDATE core_auditchainhead SET digest = %s", [prev])


def test_links_of_the_first_form_verify_against_their_frozen_layout(history: Case) -> None:
    sources = set(AuditLink.objects.values_list("source", flat=True))
    models_by_source = {model._meta.label_lower: model for model in chained_models()}
    layouts = {source: sorted(f.attname for f in models_by_source[source]._meta.concrete_fields) for source in sources}
    # As if the case's ``summary`` column had been added after these links were written.
    layouts["prosecutions.historicalcase"].remove("summary")
    for source, columns in layouts.items():
        AuditLayout.objects.create(source=source, columns=columns)
    _rewrite_chain_as_form_one(layouts)

    assert verify_chain().ok, verify_chain().problem

    row = Case.history.filter(id=history.pk).earliest("history_id")
    run_sql(f"UPDATE {table(Case.history.model)} SET title = %s WHERE history_id = %s", ["Republic v. X", row.pk])
    result = verify_chain()
    assert not result.ok and "altered" in result.problem


def test_a_first_form_link_without_its_layout_is_reported(history: Case) -> None:
    link = AuditLink.objects.order_by("seq").first()
    assert link is not None
    run_sql(f"UPDATE {table(AuditLink)} SET content_form = %s WHERE id = %s", [CONTENT_LAYOUT, link.pk])
    result = verify_chain()
    assert not result.ok and "layout" in result.problem


def _empty_default(field: Any) -> bool:
    """Whether the rows already in the table get NULL or "" for the new column. Without a default they do (a
    column that may be neither has its one-off default written into the migration as ``default``)."""
    if field.default is NOT_PROVIDED:
        return True
    value = field.default
    if callable(value):
        value = value()
    return value is None or value == ""


def test_every_column_added_to_a_history_table_starts_empty() -> None:
    """A migration adding a column to a history table with a non-empty default would re-digest old rows."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    offending = [
        f"{key[0]}.{key[1]}: {operation.model_name}.{operation.name}"
        for key, migration in loader.disk_migrations.items()
        for operation in migration.operations
        if isinstance(operation, AddField)
        and operation.model_name.startswith("historical")
        and not _empty_default(operation.field)
    ]
    assert offending == [], "history columns added with a value on old rows: " + ", ".join(offending)


def test_the_rule_catches_a_column_added_with_a_value() -> None:
    from django.db import models

    assert _empty_default(models.CharField(max_length=5, blank=True))
    assert _empty_default(models.CharField(max_length=5, blank=True, default=""))
    assert _empty_default(models.DateField(null=True))
    assert not _empty_default(models.CharField(max_length=5, default="open"))
    assert not _empty_default(models.BooleanField(default=False))
