"""Writing a shareable file: render, read the bytes back, scan them, withhold what leaks, then rename.

A hit inside a quote withholds that quote (the file is rendered again without it); a hit no
quote explains withholds the whole file. The file's frame (headings, code names, counts: the file
rendered with every quote withheld) explains its own capitalised words, but a roster name in it
still withholds the file. Nothing reaches the target name until the scan passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.anonymise.leaks import words_of
from qualcode.anonymise.lexicon import NAME_WORDS
from qualcode.anonymise.ordinary import is_ordinary
from qualcode.anonymise.share import SharePolicy
from qualcode.errors import QualcodeError

from .files import write_atomically
from .readback import exported_text

MAX_PASSES = 4


class Withheld(QualcodeError):
    """A file was not written: the final scan found a name outside any quote."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One quote (or memo) of a file: how warnings name it, what it shows, how to accept it."""

    ref: str
    texts: tuple[str, ...]
    accepted: bool = False
    accept_hint: str = ""


@dataclass(slots=True)
class Guarded:
    path: Path
    withheld: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _holds(item: Outgoing, hit: str) -> bool:
    pattern = re.compile(rf"(?<!\w){re.escape(hit)}(?!\w)", re.IGNORECASE)
    return any(pattern.search(t or "") for t in item.texts)


def _a_word_in_the_frame(hit: str) -> bool:
    """A roster name-word written lowercase in the team's own text ("faith groups" in a code definition).

    Quotes count a roster string in any case; the file's frame is the team's own writing, where a
    lowercase "faith" is the word, so only a capitalised one withholds the whole file there.
    """
    return hit.islower() and (hit in NAME_WORDS or is_ordinary(hit))


def _warn(target: Path, item: Outgoing, hits: list[str]) -> str:
    # The warning never repeats the words found: it is printed and logged where the file is not.
    hint = f"; {item.accept_hint}" if item.accept_hint else ""
    return f"{target}: quote {item.ref} withheld: {len(hits)} possible name(s) the final scan cannot explain{hint}"


def write_shareable(
    target: Path, fmt: str, items: list[Outgoing], render: Callable[[set[str], Path], None], policy: SharePolicy,
) -> Guarded:
    """Write `render(withheld refs, temporary path)` to `target` once its scan is clean."""
    target = Path(target)
    result = Guarded(target)
    withheld: set[str] = set()
    for item in items:
        hits = [] if item.accepted else policy.leaks(*item.texts)
        if hits:
            withheld.add(item.ref)
            result.warnings.append(_warn(target, item, hits))

    def write(path: Path) -> None:
        render({i.ref for i in items}, path)
        frame = frozenset(words_of([exported_text(path, fmt)]))
        for _ in range(MAX_PASSES):
            render(withheld, path)
            hits = policy.leaks(exported_text(path, fmt), known=frame)
            fresh, outside = [], []
            for hit in hits:
                holders = [i for i in items if i.ref not in withheld and _holds(i, hit)]
                if any(not i.accepted for i in holders):
                    fresh += [i for i in holders if not i.accepted]
                elif not holders and not _a_word_in_the_frame(hit):
                    outside.append(hit)
            if outside:
                raise Withheld(f"{target} not written: {len(outside)} possible name(s) outside any quote "
                               "(in a title, theme, description or label); rename or mask them and export again")
            if not fresh:
                return
            for item in dict.fromkeys(fresh):
                withheld.add(item.ref)
                result.warnings.append(_warn(target, item, [h for h in hits if _holds(item, h)]))
        raise Withheld(f"{target} not written: the final scan kept finding names")

    write_atomically(target, write)
    result.withheld = [i.ref for i in items if i.ref in withheld]
    return result
