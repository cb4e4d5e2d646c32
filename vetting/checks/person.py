"""`when:` rules: a condition on each person. Fires where the condition is true for a person
the rule applies to (`who:`); where it cannot be decided, DQ010 says why."""

from __future__ import annotations

import functools
from typing import Any, ClassVar

import polars as pl

from ..derive import basis_of, is_ranged
from ..findings import Finding
from ..messages import pick
from ..policy.kinds import WHEN, KindRules
from ..policy.objects import Leaf
from ..policy.resolve import EffectiveRule
from ..policy.texts import placeholders
from .base import Batch, Phase
from .condition import compile_condition, fields_of, leaves
from .context import Context, render


class PersonCheck:
    """Compiled once; `findings` runs on a frame that has the derived columns."""

    kind: ClassVar[str] = "when"
    rules: ClassVar[KindRules] = WHEN  # its validation and description (policy/kinds/person.py)
    phase: ClassVar[Phase] = "rows"

    def __init__(self, er: EffectiveRule, ctx: Context):
        self.er = er
        self.ctx = ctx
        rule = er.rule
        self.who = compile_condition(rule.who, ctx).fill_null(False) if rule.who else pl.lit(True)
        self.when = compile_condition(rule.when, ctx)
        self.leaves: list[Leaf] = list(leaves(rule.when))
        self.leaf_exprs = [compile_condition(leaf, ctx) for leaf in self.leaves]
        self.fields = fields_of(rule.when) | fields_of(rule.who)

    def aggregations(self, prefix: str) -> dict[str, list[pl.Expr]]:
        return {}

    def row_exprs(self) -> dict[str, pl.Expr]:
        """The expressions evaluated together with every other person rule, in one pass."""
        code = self.er.rule.code
        return {
            f"{code}:fires": (self.who & self.when).fill_null(False),
            f"{code}:undecided": self.who & self.when.is_null(),
        }

    def queries(self, frame: pl.DataFrame, batch: Batch) -> list[pl.LazyFrame | None]:
        """The polars part of `findings`, as lazy queries (the rows where the rule fires, those
        where it is undecided; None where there are none), which the engine collects together
        with every other person rule's, before the group checks start: their large queries
        would hold up these small ones in polars' thread pool, and one collection of all of
        them costs half of collecting each (checks/base.py)."""
        code = self.er.rule.code
        results = batch.rows
        assert results is not None, "the engine evaluates row expressions first"
        fires = results[f"{code}:fires"]
        undecided = results[f"{code}:undecided"]
        tests = [e.alias(f"\0test{i}") for i, e in enumerate(self.leaf_exprs)]

        def rows(mask: pl.Series, keys: set[str]) -> pl.LazyFrame | None:
            # each row with the columns of `Context.rows` of the keys its messages read and each
            # test's outcome (lazily: only the columns read)
            if not mask.any():
                return None
            return frame.lazy().filter(pl.lit(mask)).select([*self.ctx.row_columns(frame, keys), *tests])

        return [rows(fires, self._template_keys), rows(undecided, self.fields)]

    def prepared(self, results: list[pl.DataFrame | None]) -> None:
        """The collected `queries`, in their order, kept for `findings`."""
        self._prepared = (results[0], results[1])

    def findings(self, frame: pl.DataFrame, batch: Batch) -> list[Finding]:
        prepared = self.__dict__.pop("_prepared", None)
        assert prepared is not None, "the engine collects `queries` first (checks/base.py)"
        fired, undecided = prepared
        out: list[Finding] = []
        if fired is not None:
            out += self._fired(*self._rows_and_states(fired))
        if undecided is not None:
            out += self._undecided(*self._rows_and_states(undecided))
        return out

    @functools.cached_property
    def _template_keys(self) -> set[str]:
        """Fields the rule reads or its messages name (the rule's and each test's `says`); the
        same for every finding: worked out once."""
        return self._find_template_keys()

    def _find_template_keys(self) -> set[str]:
        rule = self.er.rule
        keys = set(self.fields)
        templates = [rule.message, rule.message_en]
        for leaf in self.leaves:
            templates += [leaf.says, leaf.says_en]
        for tmpl in templates:
            if tmpl:
                keys |= {k for k in self.ctx.fields if "{" + k + "}" in tmpl}
        return keys

    def _rows_and_states(self, got: pl.DataFrame) -> tuple[list[dict[str, Any]], list[tuple[bool | None, ...]]]:
        """The rows of a collected query as dicts (as `Context.rows`) and a tuple per row of each test's
        outcome: from its rows as tuples, without a polars query (which waits for polars'
        thread pool while the group checks use it)."""
        k = got.width - len(self.leaf_exprs)
        cols = got.columns[:k]
        rows, states = [], []
        for t in got.rows():
            rows.append(dict(zip(cols, t[:k], strict=True)))
            states.append(t[k:])
        return rows, states

    def _fired(self, rows: list[dict[str, Any]], states: list[tuple[bool | None, ...]]) -> list[Finding]:
        ctx, rule, er = self.ctx, self.er.rule, self.er
        params = ctx.param_values
        # what is the same for every row, worked out once
        leaves = list(enumerate(self.leaves))
        says = [ctx.template(leaf.says, leaf.says_en) for leaf in self.leaves]
        message = ctx.template(rule.message, rule.message_en)
        tmpl_said = message or "{fired}"
        tmpl_silent = message or ctx.title(er)
        join = "; ".join if ctx.en else "；".join
        fallback_key = next(iter(self.fields), None)
        make = ctx.row_finder(er)
        out: list[Finding] = []
        for row, state in zip(rows, states, strict=True):
            parts: list[str] = []
            first_key: str | None = None  # the cell of the first test that says why it fired
            values_ = self._values(row, None, params)  # worked out once per row, shared by the tests
            for i, leaf in leaves:
                if state[i] is not True:
                    continue
                said = says[i]
                if said:
                    first_key = first_key or leaf.field
                    parts.append(render(said, {**values_, **self._leaf_values(row, leaf, params)}))
            if first_key is None:
                first_key = next((leaf.field for i, leaf in leaves if state[i] is True), None)
            values_["fired"] = join(dict.fromkeys(parts))
            text = render(tmpl_said if parts else tmpl_silent, values_)
            out.append(make(text, row, first_key or fallback_key))
        return out

    @functools.cached_property
    def _placeholders(self) -> set[str]:
        """The names the rule's messages, tests' `says` and title use: only those are worked
        out for each finding (`render` ignores the rest)."""
        rule = self.er.rule
        texts = [rule.message, rule.message_en, rule.title, rule.title_en]
        for leaf in self.leaves:
            texts += [leaf.says, leaf.says_en]
        return {name for t in texts if t for name in placeholders(t)}

    @functools.cached_property
    def _operands(self) -> dict[int, Any]:
        """Each test's operand by the test's id (a pydantic property: worked out once)."""
        return {id(lf): lf.operand for lf in self.leaves}

    @functools.cached_property
    def _shown(self) -> tuple[list[str], list[str]]:
        """(the parameters, the fields) the messages name: the names `_values` works out."""
        used, ctx = self._placeholders, self.ctx
        return (
            [k for k in used if k in ctx.param_values],
            [k for k in self._template_keys if k in used and k in ctx.fields],
        )

    def _values(self, row: dict[str, Any], leaf: Leaf | None, params: dict[str, Any]) -> dict[str, Any]:
        ctx = self.ctx
        named_params, named_fields = self._shown
        v: dict[str, Any] = {k: params[k] for k in named_params if k in params}
        for key in named_fields:
            v[key] = ctx.display(key, row)
        v["name"] = row.get("name")
        v["unit"] = row.get("unit")
        v["code"] = self.er.rule.code
        v["title"] = ctx.title(self.er)
        if leaf is not None:
            v.update(self._leaf_values(row, leaf, params))
        return v

    def _leaf_values(self, row: dict[str, Any], leaf: Leaf, params: dict[str, Any]) -> dict[str, Any]:
        """`value` (what made the test fire) and `param` (what it was compared with)."""
        ctx = self.ctx
        v: dict[str, Any] = {}
        if "value" in self._placeholders:
            v["value"] = self._leaf_value(row, leaf)
        if "param" not in self._placeholders:
            return v
        operand = self._operands[id(leaf)]  # leaf is one of self.leaves
        if isinstance(operand, str) and operand.startswith("$"):
            v["param"] = params.get(operand[1:])
        elif operand == "as_of":
            v["param"] = ctx.row_as_of(row).isoformat()
        else:
            v["param"] = operand if not isinstance(operand, list) else "、".join(map(str, operand))
        return v

    def _leaf_value(self, row: dict[str, Any], leaf: Leaf) -> str:
        """The value that made a leaf fire; for years, only the years inside the window."""
        ctx = self.ctx
        spec = ctx.fields[leaf.field]
        if spec.type == "year" and leaf.within_years is not None:
            n = int(ctx.operand(leaf.within_years))
            years = [y for y in (row.get(leaf.field) or []) if y >= ctx.row_as_of(row).year - n]
            return "、".join(str(y) for y in years)
        return ctx.display(leaf.field, row)

    def _undecided(self, rows: list[dict[str, Any]], states: list[tuple[bool | None, ...]]) -> list[Finding]:
        ctx = self.ctx
        out: list[Finding] = []
        for row, state in zip(rows, states, strict=True):
            reasons: list[str] = []
            key = None
            for i, leaf in enumerate(self.leaves):
                if state[i] is None:
                    key = key or leaf.field
                    reasons.append(self._why_unknown(row, leaf))
            why = "；".join(dict.fromkeys(reasons)) if reasons else ""
            message = pick(ctx.lang,
                f"无法判定 {self.er.rule.code}（{ctx.title(self.er)}）：{why}",
                f"cannot decide {self.er.rule.code} ({ctx.title(self.er)}): {why}",
            )
            out.append(ctx.undecided(self.er, message, row=row, key=key))
        return out

    def _why_unknown(self, row: dict[str, Any], leaf: Leaf) -> str:
        ctx = self.ctx
        key = leaf.field
        basis = basis_of(key)
        header = ctx.header(basis)
        shown = ctx.display(basis, row)
        prec = row.get(f"{basis}:prec")
        if not shown:
            return pick(ctx.lang, f"{header}空白或无法识别", f"{header} is blank or unreadable")
        if prec in ("month", "year"):
            what = pick(ctx.lang, "只精确到月" if prec == "month" else "只精确到年", f"known only to the {prec}")
            lo, hi = row.get(f"{key}:min"), row.get(f"{key}:max")
            if is_ranged(key) and lo is not None and hi is not None and lo != hi:
                unit = pick(ctx.lang, "岁" if key == "age" else "年", " years")
                return pick(ctx.lang,
                    f"{header}{what}（{shown}），选举日可能{lo}{unit}也可能{hi}{unit}，且无可用的身份证号码核对"
                    if key == "age" else f"{header}{what}（{shown}），可能为{lo}{unit}或{hi}{unit}",
                    f"{header} {what} ({shown}): {lo} or {hi}{unit}",
                )
            return pick(ctx.lang, f"{header}{what}（{shown}），结论取决于具体日期", f"{header} {what} ({shown})")
        return pick(ctx.lang, f"{header}为“{shown}”，无法确定", f"{header} '{shown}' is not decisive")
