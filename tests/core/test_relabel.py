"""``core.migrations_support.Relabel``: the label migrations' one operation per app. It changes labels in the
migration state at once (no SQL), and refuses anything that is not a label, so no real change can hide in a
label migration."""

from __future__ import annotations

import pytest
from django.db import models
from django.db.migrations.state import ModelState, ProjectState

from core.migrations_support import Relabel


class _NoSchemaChanges:
    """A schema editor that fails the test if it is used at all."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"a label migration used the schema editor ({name})")


def _state() -> ProjectState:
    state = ProjectState()
    state.add_model(
        ModelState(
            "shelf",
            "book",
            [("id", models.AutoField(primary_key=True)), ("title", models.CharField(max_length=40))],
            options={"ordering": ["title"]},
        )
    )
    return state


def test_labels_change_in_the_state_and_no_sql_is_written() -> None:
    state = _state()
    operation = Relabel(
        models={"book": {"ordering": ["title"], "verbose_name": "volume", "verbose_name_plural": "volumes"}},
        fields={"book": {"title": models.CharField(max_length=40, verbose_name="name on the spine")}},
    )
    new = state.clone()
    operation.state_forwards("shelf", new)
    book = new.apps.get_model("shelf", "book")
    assert book._meta.verbose_name == "volume" and book._meta.verbose_name_plural == "volumes"
    assert book._meta.get_field("title").verbose_name == "name on the spine"
    assert book._meta.ordering == ["title"]
    operation.database_forwards("shelf", _NoSchemaChanges(), state, new)  # would raise on any use
    operation.database_backwards("shelf", _NoSchemaChanges(), new, state)
    assert operation.describe() == "Relabel 1 model(s) and 1 field(s)"


def test_a_change_other_than_a_label_is_refused() -> None:
    wider = Relabel(fields={"book": {"title": models.CharField(max_length=80, verbose_name="title")}})
    with pytest.raises(ValueError, match=r"shelf\.book\.title changes more than its label"):
        wider.state_forwards("shelf", _state())
    reordered = Relabel(models={"book": {"ordering": ["-title"], "verbose_name": "volume"}})
    with pytest.raises(ValueError, match=r"shelf\.book changes more than its labels"):
        reordered.state_forwards("shelf", _state())


def test_it_deconstructs_for_the_migration_writer() -> None:
    operation = Relabel(models={"book": {"verbose_name": "volume"}})
    name, args, kwargs = operation.deconstruct()
    assert name == "Relabel" and args == []
    assert kwargs == {"models": {"book": {"verbose_name": "volume"}}, "fields": {}}
