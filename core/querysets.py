"""Records a user may see, asked of the model itself: ``Case.objects.visible_to(user)``.

Each app declares, in its ``access.py``, one scope rule per model it owns (``@scope_rule(Case)``); the
rule narrows a queryset to what the user may open. ``visible_to`` applies it and marks the queryset as
scoped for that user, and the generic views refuse a queryset without that mark, so a view cannot fetch a
record without asking who may see it (in the spirit of NetBox's ``RestrictedQuerySet.restrict()``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:
    from core.access import AnyUser

_M = TypeVar("_M", bound=models.Model)
ScopeRule = Callable[[models.QuerySet[Any], "AnyUser"], models.QuerySet[Any]]

_rules: dict[type[models.Model], ScopeRule] = {}


def scope_rule(model: type[models.Model]) -> Callable[[ScopeRule], ScopeRule]:
    """Register the decorated function as the rule of what of ``model`` a user may see."""

    def register(rule: ScopeRule) -> ScopeRule:
        _rules[model] = rule
        return rule

    return register


def rule_for(model: type[models.Model]) -> ScopeRule:
    for klass in model.__mro__:
        if klass in _rules:
            return _rules[klass]
    raise ImproperlyConfigured(f"{model._meta.label} has no scope rule: declare one with @scope_rule in access.py.")


def scoped_models() -> frozenset[type[models.Model]]:
    """Every model with a declared scope rule."""
    return frozenset(_rules)


def _viewer_key(user: AnyUser) -> tuple[str, Any]:
    return ("user", user.pk)


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset that knows whether it has been narrowed to what one user may see."""

    _scoped_for: tuple[str, Any] | None = None

    def visible_to(self, user: AnyUser) -> Self:
        """Only the records ``user`` may see, by the model's scope rule."""
        scoped: Self = rule_for(self.model)(self, user)  # type: ignore[assignment]
        scoped = scoped._chain()  # type: ignore[attr-defined]  # Django's clone-for-chaining
        scoped._scoped_for = _viewer_key(user)
        return scoped

    def is_scoped_for(self, user: AnyUser) -> bool:
        return self._scoped_for == _viewer_key(user)

    def _clone(self) -> Self:
        """Every queryset chained from a scoped one stays scoped for the same user."""
        clone: Self = super()._clone()  # type: ignore[misc]
        clone._scoped_for = self._scoped_for
        return clone


# The default manager of a model whose records are seen through a scope rule.
ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def require_scoped(queryset: models.QuerySet[Any], user: AnyUser) -> None:
    """Refuse (as a programming error) a queryset that was not narrowed by ``visible_to(user)``."""
    if not (isinstance(queryset, ScopedQuerySet) and queryset.is_scoped_for(user)):
        raise ImproperlyConfigured(
            f"A view fetched {queryset.model._meta.label} records without Model.objects.visible_to(user)."
        )
