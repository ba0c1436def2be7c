"""One error hierarchy for user-facing failures; the CLI and TUI each render it as one line."""


class QualcodeError(Exception):
    """A problem the user can fix: bad input, unknown name, refused operation."""

    exit_code = 1


class NotFound(QualcodeError):
    """A document, code, coder or other item named by the user does not exist."""


class Ambiguous(QualcodeError):
    """A name matches more than one item."""


class InvalidInput(QualcodeError):
    """A file or value cannot be used as given."""


class ImportRefused(InvalidInput):
    """A file could not be imported; nothing was written."""


class CodebookInvalid(InvalidInput):
    """A codebook file fails validation (the message names file, line and field)."""


class Conflict(QualcodeError):
    """The operation would break a rule of the project (duplicate name, cycle, other coder's work)."""


class PermissionDenied(QualcodeError):
    """The connection's coder may not do this (team mode identity enforcement)."""
