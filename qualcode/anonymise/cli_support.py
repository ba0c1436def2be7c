"""The body of `qualcode anonymise FILE... [--roster F] [--json]`: what the command prints."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from qualcode.errors import InvalidInput, NotFound

from .anonymiser import Anonymiser
from .pseudonyms import Policy, PseudonymKey
from .roster import Roster


def read_text(path: str | Path) -> str:
    """A UTF-8 text file, or standard input for '-'."""
    if str(path) == "-":
        data = sys.stdin.buffer.read()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"standard input is not UTF-8 text (byte {exc.start})") from exc
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and retry") from exc
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc


def policy_from_options(generalise: Sequence[str] = (), keep: Sequence[str] = ()) -> Policy:
    actions = {t.strip().upper(): "generalise" for item in generalise for t in item.split(",") if t.strip()}
    actions |= {t.strip().upper(): "keep" for item in keep for t in item.split(",") if t.strip()}
    return Policy.from_actions(actions)


def anonymise_files(
    paths: Sequence[str | Path],
    roster_path: str | Path | None = None,
    as_json: bool = False,
    policy: Policy | None = None,
) -> str:
    """Every input read first (so a bad one writes nothing), then masked in one pass of one pipeline.

    One pseudonym key serves all files, so a person is [PERSON 1] in each of them.
    """
    if not paths:
        raise InvalidInput("give at least one FILE, or - for standard input")
    if sum(str(p) == "-" for p in paths) > 1:
        raise InvalidInput("standard input (-) can be read only once")
    texts = [read_text(p) for p in paths]
    roster = Roster.from_file(roster_path) if roster_path is not None else None
    results = Anonymiser(roster=roster, policy=policy).mask_many(texts, PseudonymKey())
    if as_json:
        rows = [
            {
                "file": str(path),
                "spans": [span.to_dict() for span in result.spans],
                "masked_text": result.text,
            }
            for path, result in zip(paths, results)
        ]
        return json.dumps(rows[0] if len(rows) == 1 else rows, ensure_ascii=False, indent=2)
    if len(results) == 1:
        return results[0].text
    return "\n".join(f"==> {path} <==\n{result.text.rstrip(chr(10))}\n" for path, result in zip(paths, results))


def anonymise_file(path: str | Path, roster_path: str | Path | None = None, as_json: bool = False) -> str:
    """Masked text of one file, or JSON with the spans found and the masked text."""
    return anonymise_files([path], roster_path, as_json=as_json)
