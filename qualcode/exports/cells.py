"""Spreadsheet-safe cell values: text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Prefix text starting with = + - @ (or a tab/CR) with an apostrophe so it stays text (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
