"""Spreadsheet-safe cell values: text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

from qualcode.sanitise import xml_safe

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Prefix text starting with = + - @ (or a tab/CR) with an apostrophe so it stays text (OWASP CSV injection).

    Characters a workbook's XML cannot hold (openpyxl raises IllegalCharacterError) become U+FFFD:
    a project imported before the import rule may hold them.
    """
    if isinstance(value, str):
        value = xml_safe(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
