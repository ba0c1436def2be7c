"""Messages the workbench's screens post to the app: small dataclasses, handled with @on."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class DocumentRequested(Message):
    """Open a document in the reader, optionally with [start, end) selected."""

    document_id: int
    start: int = 0
    end: int | None = None


@dataclass
class CodingsChanged(Message):
    """Codings or codes changed; screens showing counts reload when they are next shown."""

    document_id: int | None = None
