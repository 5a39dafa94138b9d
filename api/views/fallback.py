"""Any other address under /api/: a JSON 404 in the error envelope (never the site's HTML page), after
authentication like every endpoint (anonymous: 401)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.views import APIView


class ApiNotFoundView(APIView):
    schema = None  # not an operation of the API

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return login_not_required(super().as_view(**initkwargs))

    def _not_found(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        raise NotFound(_("There is no such address in the API: see /api/docs/."))

    get = post = put = patch = delete = head = _not_found
