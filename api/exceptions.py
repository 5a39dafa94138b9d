"""How the API answers an error: one envelope for every refusal.

``{"error": {"code": "<snake_case>", "message": "<for a person>", "field": <field or null>}}``

A domain rule broken in a service (``core.exceptions.DomainError``) keeps the service's message; its code is
the exception class's name in snake_case (``DuplicateCount`` → ``duplicate_count``). The status says what
kind of refusal it is:

- **409 Conflict** — the request is well formed but clashes with the record's present state: a stale
  version, a duplicate, a move the record's state does not allow, a closed case or period, something already
  done (:data:`CONFLICT_ERRORS`, matched along the exception's class ancestry, so subclasses follow);
- **403 Forbidden** — the user may not do this to this record, whatever its state: a prosecutor not on the
  case, someone approving their own request (:data:`PERMISSION_ERRORS`);
- **400 Bad Request** — every other domain refusal (a date out of order, a sentence out of range, …).

The most specific class decides: ``CaseClosed`` (a ``CaseNotEditable``) is a 409, ``CaseNotEditable`` a 403.

DRF's own errors (401, 403, 404, 405, 415, 429, validation) get the same envelope; a validation error also
carries ``fields``: each field's messages.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from core.exceptions import DomainError

# Domain errors that answer 409: the request clashes with the record's present state. Names, not classes,
# so the API imports no domain app's exceptions to decide; a subclass of one of these answers 409 too.
CONFLICT_ERRORS: frozenset[str] = frozenset(
    {
        "StaleRecord",
        "DuplicateCount",
        "DuplicateStatement",
        "DuplicateDocument",
        "CaseClosed",
        "PeriodClosed",
        "AlreadyReversed",
        "PostedEntryImmutable",
        "IllegalStageMove",
        "IllegalAssetMove",
        "IllegalDisbursementMove",
        "IllegalProposalMove",
        "IllegalProtectionMove",
        "GrantNotAwaitingDecision",
        "GrantNotInForce",
        "RoleAlreadyHeld",
        "DocumentNotCurrent",
        "OverReceipt",
    }
)

# Domain errors that answer 403: this user may not do this to this record.
PERMISSION_ERRORS: frozenset[str] = frozenset(
    {
        "CaseNotEditable",
        "NotAllowed",
        "NotAnAccessAdministrator",
        "OwnGrantDecision",
        "SelfApproval",
        "NotAllowedToAttach",
        "NotAllowedToWithdraw",
    }
)


class IdempotencyKeyReused(exceptions.APIException):
    """The same Idempotency-Key came back with a different request."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_reused"


def snake_case(name: str) -> str:
    """``DuplicateCount`` → ``duplicate_count``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def error_code(exc: DomainError) -> str:
    return snake_case(type(exc).__name__)


def domain_status(exc: DomainError) -> int:
    """409 for a conflict with the record's state, 403 for a user who may not, 400 for any other broken rule;
    the most specific class along the exception's ancestry decides."""
    for klass in type(exc).__mro__:
        if klass.__name__ in CONFLICT_ERRORS:
            return status.HTTP_409_CONFLICT
        if klass.__name__ in PERMISSION_ERRORS:
            return status.HTTP_403_FORBIDDEN
    return status.HTTP_400_BAD_REQUEST


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    """The error envelope."""
    return {"error": {"code": code, "message": message, "field": field, **extra}}


def domain_error_response(exc: DomainError) -> Response:
    return Response(error_body(error_code(exc), exc.message, exc.field), status=domain_status(exc))


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        return _first_message(next(iter(detail.values())))
    return str(detail)


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    detail = exc.detail
    if isinstance(detail, dict):
        fields = {name: value for name, value in detail.items() if name != "non_field_errors"}
        field = next(iter(fields), None)
        message = _first_message(detail.get(field) if field else detail)
        return error_body("invalid", message, field, fields=detail)
    return error_body("invalid", _first_message(detail), None, fields={"non_field_errors": detail})


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every error in the envelope, domain errors by :func:`domain_status`."""
    if isinstance(exc, DomainError):
        set_rollback()
        return domain_error_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not yours to see."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("Your roles do not give access to this."))
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_body(str(code), _first_message(exc.detail))
    return response
