"""Atomic file output: written beside the target, then renamed over it, so no reader ever sees half a file.

Every file qualcode writes outside a project database goes through here (reports, quote banks,
exports, REFI archives, settings, model caches). The temporary file is created readable by the user
alone (mkstemp), and the written file keeps that mode unless `mode` says otherwise.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from qualcode.errors import InvalidInput


def write_atomically(target: Path, write: Callable[[Path], None], *, mode: int | None = None,
                     make_folder: bool = True) -> Path:
    """Call `write(temporary_path)`, then move the result over `target`; a failure leaves no partial file.

    make_folder=False refuses, in one line, a target whose folder does not exist (a mistyped path).
    """
    target = Path(target)
    if make_folder:
        target.parent.mkdir(parents=True, exist_ok=True)
    elif not target.parent.is_dir():
        raise InvalidInput(f"folder {target.parent} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


def write_bytes(target: Path, data: bytes, **options) -> Path:
    return write_atomically(target, lambda path: path.write_bytes(data), **options)


def write_text(target: Path, text: str, **options) -> Path:
    return write_bytes(target, text.encode("utf-8"), **options)
