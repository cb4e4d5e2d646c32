"""Errors a user can act on (exit code 2) versus bugs (a traceback, exit code 3)."""

from __future__ import annotations


class UserError(Exception):
    """Something in the user's input or options stops the tool from doing its job.

    Shown as a short panel naming the file (and line/row/column where known), what is wrong and
    what to do; the process exits with code 2. Never used for bugs.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
        details: list[str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint
        self.details = details or []

    @property
    def where(self) -> str:
        if not self.path:
            return ""
        s = str(self.path)
        if self.line is not None:
            s += f":{self.line}"
            if self.column is not None:
                s += f":{self.column}"
        return s

    def __str__(self) -> str:  # used in plain-text output and tests
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        parts += [f"  - {d}" for d in self.details]
        if self.hint:
            parts.append(self.hint)
        return "\n".join(parts)
