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


class ValueRefused(InvalidInput):
    """The database refused a value the checks let through (its type names why, never the value)."""


class ImportRefused(InvalidInput):
    """A file could not be imported; nothing was written."""


class CodebookInvalid(InvalidInput):
    """A codebook file fails validation (the message names file, line and field)."""


class Conflict(QualcodeError):
    """The operation would break a rule of the project (duplicate name, cycle, other coder's work)."""


class BackupNeeded(QualcodeError):
    """A PostgreSQL project's schema needs an upgrade, made only once its owner says a backup exists.

    The message says what and why; each front end adds how to say so (the CLI's flag).
    """


class PermissionDenied(QualcodeError):
    """The connection's coder may not do this (team mode identity enforcement)."""


class ProjectExists(Conflict):
    """A new project was asked for where one already is; a front end may offer to merge into it instead."""

    def __init__(self, where: str, *, appeared: bool = False):
        self.where = where
        self.appeared = appeared  # True: it appeared while the new project was being built
        super().__init__(
            f"{where} appeared while importing; nothing was written to it" if appeared else f"{where} already holds a project"
        )


class NeedsConfirmation(Conflict):
    """The operation would also remove other work (`count` items); it runs only once the user confirms."""

    def __init__(self, message: str, *, count: int):
        self.count = count
        super().__init__(message)
