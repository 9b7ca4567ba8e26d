"""One exception family for user errors: bad file, bad config, bad sheet, source failure."""

from __future__ import annotations


class ReviewflowError(Exception):
    """A user's mistake or a failed input; the CLI prints `location: message` and exits 2."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 column: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(str(self.line))
        if self.column:
            parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        return f"{loc}: {self.message}" if loc else self.message


class InputFileError(ReviewflowError):
    """An export file that cannot be read at all."""


class ConfigError(ReviewflowError):
    """The review's config is invalid."""


class SheetError(ReviewflowError):
    """A filled-in sheet has a bad value; `line` is the sheet row, `column` its column."""


class SourceError(ReviewflowError):
    """A search API failed in a way retries cannot fix."""
