"""Errors a user can act on (exit code 2) versus bugs (a traceback, exit code 3)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a document a user wrote (policy, waivers, claims, policy tests…), as data:
    tests compare these, people read `str(problem)` (`policies/x.yaml:12:5: what is wrong`, and
    the hint, what to write instead, on the next line)."""

    path: str
    line: int | None
    column: int | None
    message: str
    hint: str | None = None

    @property
    def where(self) -> str:
        return ":".join(str(p) for p in (self.path, self.line, self.column) if p is not None)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}\n    {self.hint}" if self.hint else text


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
        problems: list[Problem] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint
        self.problems = problems or []  # the details as data, where the raiser has them
        self.details = details if details is not None else [str(p) for p in self.problems]

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
