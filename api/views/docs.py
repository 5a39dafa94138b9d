"""The OpenAPI schema and its two viewers, Swagger UI and Redoc, served from the ``drf-spectacular-sidecar``
package (no CDN).

The schema answers a token too (a system fetching it to generate a client): like every DRF view it is
exempt from the sign-in redirect and DRF authenticates instead (anonymous: 401). The viewers are pages for
people: anonymous visitors are sent to sign in. Both viewer templates load only the tracker's own files:
no inline script (Swagger's initialisation is fetched as a script, ``?script``), no web fonts.
"""

from __future__ import annotations

from typing import Any, ClassVar

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from core.access import SIGNED_IN, PageAccess


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema (YAML, or JSON with ``?format=json``), for any signed-in user or token."""

    page_access: ClassVar[PageAccess] = PageAccess(opens=frozenset({SIGNED_IN}))


def _page_for_people(view: Any) -> Any:
    """DRF exempts its views from ``LoginRequiredMiddleware``; a viewer is a page: anonymous visitors are
    sent to sign in."""
    view.login_required = True
    return view


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI, to read the API and try it with the signed-in session."""

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return _page_for_people(super().as_view(**initkwargs))

    template_name = "api/swagger_ui.html"
    page_access: ClassVar[PageAccess] = PageAccess(opens=frozenset({SIGNED_IN}))


# Redoc builds its search index in a web worker it starts from a blob: URL, and styles itself by writing
# <style> elements (styled-components): on this page only, workers from blob: and inline styles (never
# inline script).
@method_decorator(csp_update({"worker-src": ["'self'", "blob:"], "style-src": ["'unsafe-inline'"]}), name="dispatch")
class RedocView(SpectacularRedocView):
    """Redoc: the API's reference, one page."""

    template_name = "api/redoc.html"
    page_access: ClassVar[PageAccess] = PageAccess(opens=frozenset({SIGNED_IN}))

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return _page_for_people(super().as_view(**initkwargs))
