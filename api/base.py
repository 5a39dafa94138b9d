"""The two kinds of API view everything else declares: read-only lists and details scoped by the same rules
as the pages, and writes that call a service.

- :class:`ScopedReadOnlyViewSet` — ``queryset``, ``allowed_roles``, optionally ``filterset_class`` (a list
  page's FilterSet) and ``narrow()``; every record comes from ``Model.objects.visible_to(user)``, so a record
  outside the user's reach is a 404 and never appears in a list.
- :class:`ServiceWriteView` — POST only; validates with ``serializer_class``, then ``perform()`` calls the
  service inside one transaction and ``history_note("via API")``. A service's ``DomainError`` becomes a
  400/409 (``api.exceptions``); an ``Idempotency-Key`` makes a retried POST replay the first answer.

Both are exempt from Django's ``LoginRequiredMiddleware`` (it would redirect a token request to the sign-in
page): DRF authenticates instead, and anonymous requests get a 401 JSON answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from rest_framework import status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from api.exceptions import IdempotencyKeyReused
from api.models import IdempotencyRecord
from core.access import require_role
from core.channels import history_note

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
API_NOTE = "via API"


class ApiAccessMixin:
    """Signed in (token or session; DRF's ``IsAuthenticated``), then one of ``allowed_roles`` (403 for the
    rest). Exempt from ``LoginRequiredMiddleware`` so an anonymous request gets a 401 rather than a redirect."""

    allowed_roles: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        view = super().as_view(*args, **kwargs)  # type: ignore[misc]
        return login_not_required(view)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]  # authenticates, permissions, throttles
        require_role(request.user, self.allowed_roles)


class ScopedReadOnlyViewSet(ApiAccessMixin, viewsets.ReadOnlyModelViewSet):
    """List and detail of one model, only what the user may see (``visible_to``); out of scope is 404.

    Declare ``queryset`` (the model's default manager queryset, e.g. ``Case.objects.all()``),
    ``allowed_roles``, ``serializer_class``, optionally ``filterset_class`` and ``ordering`` (the cursor's
    order; newest first by default), and override :meth:`narrow` to add ``select_related`` /
    ``prefetch_related`` / annotations.
    """

    queryset: models.QuerySet[Any]

    def get_queryset(self) -> models.QuerySet[Any]:
        model = self.queryset.model
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return model.objects.none()
        return self.narrow(model.objects.visible_to(self.request.user))

    def narrow(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """Hook: joins, prefetches and annotations for the serializer. Must only narrow, never widen."""
        return queryset


def _fingerprint(request: Request) -> str:
    """What makes two requests "the same": method, path and body (keys sorted)."""
    try:
        body = json.dumps(request.data, sort_keys=True, default=str)
    except TypeError:
        body = repr(request.data)
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _as_json(body: Any) -> Any:
    """The body as plain JSON values, the way the client receives it (dates as strings, decimals as …)."""
    return json.loads(JSONRenderer().render(body))


class ServiceWriteView(ApiAccessMixin, GenericAPIView[Any]):
    """A write another system pushes: POST a body, a service does the work.

    Subclasses declare ``allowed_roles`` and ``serializer_class`` (the input) and implement
    :meth:`perform`, which calls the service with the validated data and returns ``(status, body)``. It runs
    in one transaction with ``history_note("via API")``; a ``DomainError`` rolls everything back and answers
    400/409 with the service's message.

    ``Idempotency-Key``: the first request with a key does the work and its answer is stored with the key
    (per user); the same request again gets that answer back with ``Idempotent-Replayed: true``; the same key
    with a different method, path or body is refused (409 ``idempotency_key_reused``). Of two copies sent at
    once, the unique constraint lets one do the work; the other waits for it and replays its answer.
    Refusals are not stored (nothing was done), so a retry of a refused request is checked afresh.
    """

    http_method_names = ["post", "options"]

    def perform(self, request: Request, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if len(key) > MAX_KEY_LENGTH:
            return Response(
                {
                    "error": {
                        "code": "invalid_idempotency_key",
                        "message": _("The Idempotency-Key header is longer than %(max)d characters.")
                        % {"max": MAX_KEY_LENGTH},
                        "field": None,
                    }
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        fingerprint = _fingerprint(request)
        if key:
            stored = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
            if stored is not None and stored.status_code is not None:
                return self._replay(stored, fingerprint)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic(), history_note(API_NOTE):
                record = None
                if key:
                    with transaction.atomic():  # a savepoint: a concurrent twin's row makes this fail alone
                        record = IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=fingerprint)
                code, body = self.perform(request, dict(serializer.validated_data))
                body = _as_json(body)
                if record is not None:
                    record.status_code, record.body = code, body
                    record.save(update_fields=["status_code", "body"])
        except IntegrityError:
            stored = IdempotencyRecord.objects.filter(user=request.user, key=key).first() if key else None
            if stored is None or stored.status_code is None:
                raise
            return self._replay(stored, fingerprint)
        return Response(body, status=code)

    @staticmethod
    def _replay(stored: IdempotencyRecord, fingerprint: str) -> Response:
        if stored.fingerprint != fingerprint:
            raise IdempotencyKeyReused(
                _("This Idempotency-Key was already used for a different request; use a new key for a new request.")
            )
        assert stored.status_code is not None
        return Response(stored.body, status=stored.status_code, headers={REPLAYED_HEADER: "true"})
