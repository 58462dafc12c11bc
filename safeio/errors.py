"""The one error family of casebook: plain messages for people, with a hint saying what to do.

Every error names where the problem is (file, row, field) and, where it can, the command or
package that fixes it.  The CLI turns these into exit codes: 2 for input that cannot be used,
1 for work that ran but did not verify or partly failed.
"""

from __future__ import annotations

from os import PathLike


class CasebookError(Exception):
    """Base of all errors meant to be read by an investigator or analyst, not a programmer."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: str | PathLike | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.hint = hint
        self.path = None if path is None else str(path)
        self.row = row
        self.field = field
        super().__init__(str(self))

    @property
    def where(self) -> str:
        parts = []
        if self.path is not None:
            parts.append(self.path)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  What to do: {self.hint}"
        return text

    def to_dict(self) -> dict:
        """A JSON-ready form, for per-item errors in batch outputs."""
        return {
            "type": type(self).__name__,
            "message": self.message,
            "hint": self.hint,
            "path": self.path,
            "row": self.row,
            "field": self.field,
        }


class InputError(CasebookError):
    """The input cannot be used as given (missing file, bad row, wrong format)."""


class UnsafePathError(InputError):
    """A name would reach outside its folder (``../``), or is not a safe folder name."""


class MissingDependencyError(CasebookError):
    """A program, language pack or Python package that this step needs is not installed."""


class IntegrityError(CasebookError):
    """Evidence, a manifest or a custody log does not verify: something changed."""

    exit_code = 1

