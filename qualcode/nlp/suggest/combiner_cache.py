"""Per-user cache of fitted combiners under $QUALCODE_HOME/cache, so opening a project skips the folds."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qualcode.files import write_text
from qualcode.home import qualcode_home
from qualcode.nlp.suggest.protocol import CodeProfile
from qualcode.nlp.suggest.stacking import Combiner


def folder() -> Path:
    return qualcode_home() / "cache" / "suggest"


def key(project: str, coder: str | None, codes: Sequence[CodeProfile], config: Mapping[str, Any] | None) -> str:
    """Same project, coder, codebook and configuration: the same key. Nothing of the text goes into it."""
    material = json.dumps([project, coder, sorted(c.path for c in codes), config], sort_keys=True, default=str)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def load(name: str) -> Combiner | None:
    """The cached combiner, or None; an unreadable entry is no entry (a cache never stops a suggestion)."""
    try:
        return Combiner.from_dict(json.loads((folder() / f"{name}.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(name: str, combiner: Combiner) -> None:
    """Write atomically (a temporary file renamed over the entry); a failure leaves no cache, not an error."""
    try:
        write_text(folder() / f"{name}.json", json.dumps(combiner.to_dict()))
    except OSError:
        return
