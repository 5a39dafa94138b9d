"""``/favicon.ico``: browsers ask for it at the root of the site whenever a page names no icon of its own
(the Django admin, an error page); it sends them to the tracker's icon among the static files, so the
request neither fails nor asks the visitor to sign in. The tracker's own pages name their icons in
``base.html`` (the SVG, with this ICO as the fallback)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    response = HttpResponseRedirect(static("favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"  # a day: the icon's static name changes with it
    return response


favicon.two_factor_exempt = True  # type: ignore[attr-defined]
