"""Validating a document against its pydantic model: every error at once, as `Problem`s at the
line and column of the user's file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import Problem, UserError
from .explain import explain_errors
from .source import LoadedYaml, Pos

if TYPE_CHECKING:  # imported by `validate` itself: a run that validates nothing does not import pydantic
    from pydantic import BaseModel, ValidationError

__all__ = ["as_problems", "at", "problems_of", "raise_problems", "validate"]


def at(pos: Pos, message: str, hint: str | None = None) -> Problem:
    """A problem at a position of a document."""
    return Problem(pos.path, pos.line, pos.col, message, hint)


def as_problems(e: UserError) -> list[Problem]:
    """The problems an error holds, or the error itself as one (a syntax error at its line)."""
    if e.problems:
        return list(e.problems)
    return [Problem(e.path or "", e.line, e.column, e.message, e.hint)]


def problems_of(
    error: ValidationError, loaded: LoadedYaml, model: type[BaseModel], data: Any, base: tuple[Any, ...] = ()
) -> list[Problem]:
    """The errors of validating `data` (found at `base` in `loaded`) as problems, in the order
    of the file."""
    explained = explain_errors([dict(e) for e in error.errors()], data, model, base)
    problems = [at(loaded.pos(x.loc), x.message, x.hint) for x in explained]
    return sorted(dict.fromkeys(problems), key=lambda p: (p.line or 0, p.column or 0))


def raise_problems(problems: list[Problem], what: str, path: str | None) -> None:
    """One `UserError` holding every problem (nothing when there are none)."""
    if problems:
        raise UserError(f"{what}有 {len(problems)} 处错误 / {len(problems)} error(s) in the file", path=path, problems=problems)


def validate(model: type[BaseModel], loaded: LoadedYaml, *, what: str = "政策文件") -> Any:
    """Validate a loaded YAML tree against a model; all errors at once with positions. `what`
    names the document in the message (政策文件, 豁免清单 …)."""
    from pydantic import ValidationError

    data = loaded.plain()
    try:
        return model.model_validate(data)
    except ValidationError as e:
        problems = problems_of(e, loaded, model, data)
        raise UserError(
            f"{what}有 {len(problems)} 处错误 / {len(problems)} error(s) in the file",
            path=loaded.path,
            problems=problems,
        ) from None
