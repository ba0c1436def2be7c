"""A codebook as read from a file, before it meets a project: a tree of CodeSpec."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.domain import Valence


@dataclass(slots=True)
class CodeSpec:
    name: str
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    colour: str | None = None
    valence: Valence = Valence.NONE
    guid: str | None = None
    children: list[CodeSpec] = field(default_factory=list)
    # Where it was defined, for error messages; provenance, so two equal codebooks compare equal wherever they sit.
    line: int | None = field(default=None, compare=False)

    def walk(self, prefix: str = ""):
        """Yield (path, spec) for this code and its descendants, depth first."""
        path = f"{prefix}/{self.name}" if prefix else self.name
        yield path, self
        for child in self.children:
            yield from child.walk(path)


@dataclass(slots=True)
class CodebookSpec:
    name: str
    version: int = 1
    description: str = ""
    codes: list[CodeSpec] = field(default_factory=list)
    source: str | None = field(default=None, compare=False)

    def walk(self):
        for code in self.codes:
            yield from code.walk()
