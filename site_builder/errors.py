"""User-facing errors.

Every problem a user can fix (bad front matter, a broken template, two pages on one URL) is a
:class:`SiteError` that names the file, the line and the field, so the CLI can print one clear line
instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class SiteError(Exception):
    """A problem in the user's site, located as precisely as we know it."""

    message: str
    path: str | Path | None = None
    line: int | None = None
    field: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        location = ""
        if self.path is not None:
            location = str(self.path)
            if self.line is not None:
                location += f":{self.line}"
            location += ": "
        field = f"field '{self.field}': " if self.field else ""
        return f"{location}{field}{self.message}"

    def __reduce__(self):  # keep pickling (process pools) working with dataclass fields
        return (SiteError, (self.message, self.path, self.line, self.field))


class BuildLockedError(SiteError):
    """Another build of the same site is running."""
