"""A named set of documents and codes (REFI-QDA Sets; code sets are the analysis's code groups)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DocumentSet:
    id: int
    guid: str
    name: str
    description: str
    members: tuple[tuple[str, int], ...]  # ("document" | "code", id), in stored order
