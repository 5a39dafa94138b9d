"""Which case a history row belongs to, for the audit log's case filter.

core knows no domain app. The case model is whatever model the tracked models' ``case`` foreign keys
point at; a record with no ``case`` field of its own reaches one through its required foreign keys
(a count through its accused, a valuation through its asset). An app can register its own path with
``register_case_path`` when the guess would be wrong.
"""

from __future__ import annotations

from collections import deque
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models

from core.audit.tracked import is_history_model

CASE_FIELD = "case"
MAX_DEPTH = 4

_registered_paths: dict[str, tuple[str, ...]] = {}


def register_case_path(model_label: str, path: str) -> None:
    """``path``: the foreign keys from the model to its case, e.g. ``"charge__accused__case"``."""
    _registered_paths[model_label.lower()] = tuple(path.split("__"))
    case_path.cache_clear()


def _tracked_models() -> list[type[models.Model]]:
    return [m.instance_type for m in apps.get_models() if is_history_model(m)]  # type: ignore[attr-defined]


@cache
def case_model() -> type[models.Model] | None:
    """The model that ``case`` foreign keys point at (the prosecution case), if any app has one."""
    for model in _tracked_models():
        try:
            field = model._meta.get_field(CASE_FIELD)
        except Exception:  # noqa: BLE001 - a model without a case field
            continue
        if isinstance(field, models.ForeignKey):
            return field.related_model  # type: ignore[return-value]
    return None


def _forward_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    keys = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    return sorted(keys, key=lambda f: (f.null, f.name))  # required keys first


@cache
def case_path(model: type[models.Model]) -> tuple[str, ...] | None:
    """The foreign keys from ``model`` to its case: () for the case itself, None when it has none.

    Breadth first over required keys only, then (failing that) over optional ones too, so a sentence
    reaches its case through its count and accused rather than through an optional victim.
    """
    if model._meta.label_lower in _registered_paths:
        return _registered_paths[model._meta.label_lower]
    target = case_model()
    if target is None:
        return None
    if model is target:
        return ()
    return _search(model, target, required_only=True) or _search(model, target, required_only=False)


def _search(model: type[models.Model], target: type[models.Model], required_only: bool) -> tuple[str, ...] | None:
    queue: deque[tuple[type[models.Model], tuple[str, ...]]] = deque([(model, ())])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if len(path) >= MAX_DEPTH:
            continue
        for key in _forward_keys(current):
            if required_only and key.null:
                continue
            related: type[models.Model] = key.related_model  # type: ignore[assignment]
            if related is target and key.name == CASE_FIELD:
                return (*path, key.name)
            if related not in seen and related is not target:
                seen.add(related)
                queue.append((related, (*path, key.name)))
    return None


def case_ids_for(history_model: type[models.Model], rows: list[Any], using: str) -> dict[Any, int | None]:
    """The case of each history row (by history id): at most one query per call."""
    tracked: type[models.Model] = history_model.instance_type  # type: ignore[attr-defined]
    path = case_path(tracked)
    if path is None:
        return {}
    if not path:
        return {row.pk: getattr(row, tracked._meta.pk.attname) for row in rows}
    first = tracked._meta.get_field(path[0])
    attname = first.attname  # type: ignore[union-attr]
    if len(path) == 1:
        return {row.pk: getattr(row, attname) for row in rows}
    related: type[models.Model] = first.related_model  # type: ignore[assignment]
    keys = {getattr(row, attname) for row in rows} - {None}
    lookup = "__".join(path[1:])
    found = dict(related._base_manager.using(using).filter(pk__in=keys).values_list("pk", lookup)) if keys else {}
    return {row.pk: found.get(getattr(row, attname)) for row in rows}
