"""A list row's cells in one call: ``{% row_cells row columns %}``.

It writes, for each column, exactly what ``core/list.html`` wrote with a ``cell`` and a ``cell_class`` tag
and four variable lookups per cell — the same ``<td>`` elements, the same escaping — in Python, once per
row: on a page of 25 rows and 13 columns that is 25 calls instead of some 2,000 template nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.tables import Column
from core.templatetags.core_tags import cell
from core.templatetags.ui import cell_class

register = template.Library()


@register.simple_tag(takes_context=True)
def row_cells(context: template.Context, row: Any, columns: Sequence[Column]) -> SafeString:
    parts: list[str] = []
    url: str | None = None
    for column in columns:
        text = cell(context, row, column)
        shown: str = conditional_escape(text)
        if column.link:
            if url is None:
                url = conditional_escape(row.get_absolute_url())
            shown = f'<a href="{url}">{shown}</a>'
        label, classes = conditional_escape(column.label), conditional_escape(cell_class(column, text))
        parts.append(f'<td data-label="{label}" class="{classes}">{shown}</td>')
    return mark_safe("".join(parts))
