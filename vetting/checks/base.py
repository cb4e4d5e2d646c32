"""The anatomy every check kind has, and what the engine hands it.

A check kind is one module in `vetting/checks/` with one class, registered in
`checks/__init__.py` under the rule key that selects it (`when`, `expect`, `same_person`,
`relatives`, `facts`). Its parameters are that key's model in `policy/model.py`; the class
compiles them once (`__init__(rule, ctx)`) and turns an evaluated roster into findings. What a
policy's loading and the rule listings need of the kind (its parameters' validation, with
positions, and how a rule of it reads in words) is its `rules` object, one module of
`policy/kinds/`: the policy is validated before any check exists, and the reporters, which
never import the checks, describe rules.

The engine knows checks only through this Protocol. It evaluates in three phases, so that work
is shared across rules:

- `rows`:    `row_exprs()` of every such check are evaluated together in one pass over the
             roster; `findings` reads them from `batch.rows` (person rules). They are booleans,
             a row where none holds has no finding: `findings` gets only the rows where one
             does (the frame and `batch.rows` filtered alike). Such a check may have
             `queries(frame, batch)` (its polars work, as lazy queries) and `prepared(results)`:
             the engine collects every row check's queries at once, before the other phases
             start, and hands each its results; its Python work is in `findings`;
- `groups`:  `aggregations(prefix)` of every such check are computed in one group-by per
             level; `findings` reads them from `batch.groups[level]` (group targets);
- `frame`:   the check works on the whole frame itself (joins, duplicates across rows).

Row checks spend their time in Python (a message per finding); the other two in polars, so the
engine runs them side by side on large rosters. To add a check kind: a params model on `Rule`,
its `KindRules` (validation and description) in `policy/kinds/`, a module here implementing
`Check`, an entry in `CHECKS`, and policy tests using it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol, runtime_checkable

import polars as pl

from ..policy.kinds import KindRules

if TYPE_CHECKING:
    from ..findings import Finding
    from ..policy.resolve import EffectiveRule
    from .context import Context

Phase = Literal["rows", "groups", "frame"]


@dataclass
class Batch:
    """What the engine evaluated for all checks of a run together."""

    rows: pl.DataFrame | None = None  # every row check's expressions, by name
    groups: dict[str, pl.DataFrame] = field(default_factory=dict)  # level -> group-by of all aggregations
    prefix: str = ""  # this check's prefix in `groups` columns


class Check(Protocol):
    kind: ClassVar[str]  # the rule key that selects it
    rules: ClassVar[KindRules]  # its validation and description (policy/kinds/)
    phase: ClassVar[Phase]
    er: EffectiveRule

    def row_exprs(self) -> dict[str, pl.Expr]:
        """Expressions evaluated with all row checks' in one pass (phase `rows`)."""
        ...

    def aggregations(self, prefix: str) -> dict[str, list[pl.Expr]]:
        """Per level, aggregations computed with all group checks' (phase `groups`)."""
        ...

    def findings(self, frame: pl.DataFrame, batch: Batch) -> list[Finding]:
        ...


@runtime_checkable
class Queried(Protocol):
    """A row check whose polars work the engine collects with the others' (phase `rows`)."""

    def queries(self, frame: pl.DataFrame, batch: Batch) -> list[pl.LazyFrame | None]:
        """Its polars work as lazy queries (None: nothing to ask)."""
        ...

    def prepared(self, results: list[pl.DataFrame | None]) -> None:
        """The collected `queries`, in their order (None where a query was None)."""
        ...


CheckClass = Callable[["EffectiveRule", "Context"], Check]  # a kind's class: compiles one rule


class NoSharedWork:
    """For kinds that share no work with others: no row expressions, no aggregations."""

    def row_exprs(self) -> dict[str, pl.Expr]:
        return {}

    def aggregations(self, prefix: str) -> dict[str, list[pl.Expr]]:
        return {}


__all__ = ["Batch", "Check", "CheckClass", "Context", "NoSharedWork", "Phase"]
