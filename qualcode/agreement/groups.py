"""Mutually exclusive code groups (semantic domains) as one multi-category nominal variable per unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qualcode.agreement.units import UnitTable

GROUP_RULE = (
    "For a group of mutually exclusive codes, a coder's value for a unit is the one code of the group "
    "they applied to it. A unit the coder applied none of the group's codes to is missing (the coder "
    "made no judgement within the domain), unless 'none' is counted as a category of its own. A unit "
    "the coder applied two or more of the group's codes to breaks exclusivity: it is missing too, and "
    "counted as a violation."
)


@dataclass(frozen=True, slots=True)
class GroupValues:
    values: np.ndarray  # (units, coders) int16: code position in group, len(group) for 'none', -1 missing
    n_categories: int
    violations: int  # unit-coder cells with two or more codes of the group


def group_values(table: UnitTable, code_ids: Sequence[int], none_as_category: bool = False) -> GroupValues:
    """Nominal values of one group on the table's units, following GROUP_RULE."""
    index = [table.code_ids.index(c) for c in code_ids]
    present = table.presence[index]  # (g, units, coders)
    n_applied = present.sum(axis=0)
    which = present.argmax(axis=0).astype(np.int16)
    values = np.where(n_applied == 1, which, np.int16(-1))
    if none_as_category:
        values = np.where(n_applied == 0, np.int16(len(index)), values)
    values = np.where(table.observed, values, np.int16(-1))
    violations = int(((n_applied >= 2) & table.observed).sum())
    return GroupValues(values, len(index) + (1 if none_as_category else 0), violations)
