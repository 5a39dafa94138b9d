"""The template a register is filled in: an Excel workbook with the kind's header row (required headings
marked ``*``), an Instructions sheet saying what each column takes, and drop-down lists on the columns
whose words are fixed — stage, offence section, county, court, plea, outcome …

Excel keeps a drop-down written out in the cell rule only up to 255 characters; longer lists (the courts,
the counties, the offences) are written on a hidden "Lists" sheet and the rule points at their range.
Written with XlsxWriter in constant-memory mode, row by row.
"""

from __future__ import annotations

import io

import xlsxwriter
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name

from imports.kinds.base import Column, ImportKind
from imports.kinds.common import live_choices

# Rows of the register sheet the drop-downs cover (the header is row 1).
VALIDATED_ROWS = 10_000
# Excel's limit on a list written out in a validation rule (its items joined by commas).
INLINE_LIST_LIMIT = 255
REGISTER_SHEET = "Register"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
REQUIRED_MARK = " *"


def inline_list_fits(words: tuple[str, ...]) -> bool:
    """Whether a drop-down's words may be written out in its rule: short enough, and no word holding the
    comma that separates them."""
    return len(",".join(words)) <= INLINE_LIST_LIMIT and not any("," in word or '"' in word for word in words)


def _choices_of(kind: type[ImportKind]) -> dict[str, tuple[str, ...]]:
    """Every column's drop-down words: the column's own, or the tracker's reference list for it."""
    live = live_choices(kind)
    return {column.key: live.get(column.key) or column.choices for column in kind.columns}


def build_template(kind: type[ImportKind]) -> bytes:
    """The .xlsx template of ``kind``."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": True})
    heading = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    bold = workbook.add_format({"bold": True, "valign": "top"})
    register = workbook.add_worksheet(REGISTER_SHEET)
    instructions = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    lists = workbook.add_worksheet(LISTS_SHEET)
    choices = _choices_of(kind)

    register.freeze_panes(1, 0)
    for position, column in enumerate(kind.columns):
        text = column.header + (REQUIRED_MARK if column.required else "")
        register.write_string(0, position, text, required if column.required else heading)
        register.set_column(position, position, max(14, min(len(text) + 4, 40)))

    _write_lists(lists, kind, choices)
    lists.hide()
    long_lists = [
        column for column in kind.columns if choices[column.key] and not inline_list_fits(choices[column.key])
    ]
    list_column = {column.key: index for index, column in enumerate(long_lists)}
    for position, column in enumerate(kind.columns):
        words = choices[column.key]
        if not words:
            continue
        if column.key in list_column:
            letter = xl_col_to_name(list_column[column.key])
            source: object = f"={LISTS_SHEET}!${letter}$2:${letter}${len(words) + 1}"
        else:
            source = list(words)
        register.data_validation(
            1,
            position,
            VALIDATED_ROWS,
            position,
            {
                "validate": "list",
                "source": source,
                "ignore_blank": True,
                "error_type": "warning",  # a word not in the list is allowed; the preview says what it means
                "error_title": column.header[:32],
                "error_message": _("Choose from the list, or the import will say what it does not recognise.")[:255],
                "input_title": column.header[:32],
                "input_message": (column.help or "")[:255],
            },
        )

    _write_instructions(instructions, kind, choices, bold, wrap, heading)
    register.activate()
    workbook.close()
    return output.getvalue()


def _write_lists(
    sheet: xlsxwriter.worksheet.Worksheet, kind: type[ImportKind], choices: dict[str, tuple[str, ...]]
) -> None:
    """The long lists, one per column of the hidden sheet, headed by their column's heading. In
    constant-memory mode rows are written in order, so the lists are written row by row."""
    columns = [column for column in kind.columns if choices[column.key] and not inline_list_fits(choices[column.key])]
    if not columns:
        sheet.write_string(0, 0, "")
        return
    depth = max(len(choices[column.key]) for column in columns)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.header)
    for row in range(depth):
        for index, column in enumerate(columns):
            words = choices[column.key]
            if row < len(words):
                sheet.write_string(row + 1, index, words[row])


def _write_instructions(
    sheet: xlsxwriter.worksheet.Worksheet,
    kind: type[ImportKind],
    choices: dict[str, tuple[str, ...]],
    bold: object,
    wrap: object,
    heading: object,
) -> None:
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 60)
    sheet.set_column(3, 3, 70)
    sheet.write_string(
        0,
        0,
        _("%(kind)s: fill one row per record on the Register sheet, from row 2. Headings marked * must be filled.")
        % {"kind": kind.title},
        bold,
    )
    titles = (_("Column"), _("Required"), _("What to write"), _("Accepted values"))
    for position, title in enumerate(titles):
        sheet.write_string(2, position, title, heading)
    for offset, column in enumerate(kind.columns, start=3):
        sheet.write_string(offset, 0, column.header, bold)
        sheet.write_string(offset, 1, _("Yes") if column.required else _("No"), wrap)
        sheet.write_string(offset, 2, str(column.help or ""), wrap)
        sheet.write_string(offset, 3, _accepted(column, choices[column.key]), wrap)


def _accepted(column: Column, words: tuple[str, ...]) -> str:
    if words and inline_list_fits(words):
        return ", ".join(words)
    if words:
        return _("One of the %(count)s in the drop-down list (sheet Lists, column %(column)s), e.g. %(example)s.") % {
            "count": len(words),
            "column": column.header,
            "example": words[0],
        }
    parse_name = getattr(column.parse, "__name__", "")
    if parse_name == "date":
        return _("A date: an Excel date, or 01/03/2024 (day first), 2024-03-01, 1-Mar-2024 or 1 March 2024.")
    if parse_name == "money":
        return _("An amount, e.g. 1200000 or 1,200,000.50 (KES and commas are ignored).")
    if parse_name == "integer":
        return _("A whole number.")
    if parse_name == "yes_no":
        return _("Yes or No.")
    return _("Text.")
