"""The navigation entry of imports, and the kinds of register (each registers itself when imported)."""

from __future__ import annotations

import importlib

from django.utils.translation import gettext_lazy as _

from core.registry import NavItem, register_nav
from imports.views import IMPORT_READERS

# The kinds of register, each a module of imports.kinds that registers itself (``@register``).
KIND_MODULES = ("imports.kinds.cases", "imports.kinds.assets", "imports.kinds.hearings")

for _module in KIND_MODULES:
    try:
        importlib.import_module(_module)
    except ModuleNotFoundError as error:  # a kind not written yet
        if error.name != _module:
            raise

register_nav(NavItem("imports", _("Import registers"), "imports:index", IMPORT_READERS, order=910, menu="reference"))
