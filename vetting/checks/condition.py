"""Person conditions compiled to polars expressions with three-valued answers.

Every expression evaluates to true (the test holds), false (it does not) or null (it cannot be
decided: the value is missing where blank means unknown, or too coarse, e.g. a month-only birth
date at an age bound). `all`/`any`/`not` follow Kleene logic, which polars implements for `&`,
`|` and `~`, so an `any` is true as soon as one part is true, whatever the others are.

Ranges: a date known to the month is the interval [first day, last day]; an age from it is
[age:min, age:max]. A comparison is true when it holds for every value in the range, false when
it holds for none, and null otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl

from ..derive import is_ranged
from ..policy.objects import All, AnyOf, Leaf, Not
from ..roster import values
from ..roster.types import field_type
from .context import Context, years_before

# One compiler per operator: the explicit registry of leaf kinds.
LeafCompiler = Callable[[Leaf, Context], pl.Expr]
LEAF_OPERATORS: dict[str, LeafCompiler] = {}


def operator(name: str) -> Callable[[LeafCompiler], LeafCompiler]:
    def register(fn: LeafCompiler) -> LeafCompiler:
        LEAF_OPERATORS[name] = fn
        return fn

    return register


def compile_condition(cond: Any, ctx: Context) -> pl.Expr:
    if isinstance(cond, All):
        exprs = [compile_condition(c, ctx) for c in cond.all]
        out = exprs[0]
        for e in exprs[1:]:
            out = out & e
        return out
    if isinstance(cond, AnyOf):
        exprs = [compile_condition(c, ctx) for c in cond.any]
        out = exprs[0]
        for e in exprs[1:]:
            out = out | e
        return out
    if isinstance(cond, Not):
        return ~compile_condition(cond.not_, ctx)
    assert isinstance(cond, Leaf)
    expr = LEAF_OPERATORS[cond.operator](cond, ctx)
    if not ctx.blank_is_unknown(cond.field) and cond.operator != "is":
        if ctx.fields[cond.field].type == "date":
            # blank = nothing to report; a month-only date at a window's edge stays undecided
            expr = pl.when(pl.col(cond.field).is_null()).then(False).otherwise(expr)
        else:
            expr = expr.fill_null(False)
    return expr


def leaves(cond: Any) -> Iterator[Leaf]:
    """Every field test in a condition, in reading order."""
    if isinstance(cond, All):
        for c in cond.all:
            yield from leaves(c)
    elif isinstance(cond, AnyOf):
        for c in cond.any:
            yield from leaves(c)
    elif isinstance(cond, Not):
        yield from leaves(cond.not_)
    elif isinstance(cond, Leaf):
        yield cond


def fields_of(cond: Any) -> set[str]:
    return {leaf.field for leaf in leaves(cond)} if cond is not None else set()


# ---------------------------------------------------------------------------------------------
# Ranges


def _bounds(key: str, ctx: Context) -> tuple[pl.Expr, pl.Expr]:
    """(lowest, highest) possible value of a numeric or ordered field."""
    typ = ctx.fields[key].type
    if is_ranged(key):
        return pl.col(f"{key}:min"), pl.col(f"{key}:max")
    if typ == "year":
        return pl.col(key).list.max(), pl.col(key).list.max()
    if field_type(typ).ordered:
        return pl.col(f"{key}:level"), pl.col(f"{key}:level")
    if typ == "date":
        return pl.col(key), pl.col(f"{key}:hi")
    return pl.col(key), pl.col(key)


def _three(true_when: pl.Expr, false_when: pl.Expr) -> pl.Expr:
    return pl.when(true_when).then(True).when(false_when).then(False).otherwise(None)


def _number(leaf: Leaf, ctx: Context) -> Any:
    v = ctx.operand(leaf.operand)
    typ = ctx.fields[leaf.field].type
    if field_type(typ).ordered:
        return ctx.level(leaf.field, leaf.operand)
    return v


@operator("below")
def _below(leaf: Leaf, ctx: Context) -> pl.Expr:
    lo, hi = _bounds(leaf.field, ctx)
    n = _number(leaf, ctx)
    return _three(hi < n, lo >= n)


@operator("at_most")
def _at_most(leaf: Leaf, ctx: Context) -> pl.Expr:
    lo, hi = _bounds(leaf.field, ctx)
    n = _number(leaf, ctx)
    return _three(hi <= n, lo > n)


@operator("above")
def _above(leaf: Leaf, ctx: Context) -> pl.Expr:
    lo, hi = _bounds(leaf.field, ctx)
    n = _number(leaf, ctx)
    return _three(lo > n, hi <= n)


@operator("at_least")
def _at_least(leaf: Leaf, ctx: Context) -> pl.Expr:
    lo, hi = _bounds(leaf.field, ctx)
    n = _number(leaf, ctx)
    return _three(lo >= n, hi < n)


def _date(leaf: Leaf, ctx: Context) -> dt.date | pl.Expr:
    if leaf.operand == "as_of":
        return ctx.as_of_expr()
    v = ctx.operand(leaf.operand)
    assert isinstance(v, dt.date)
    return v


@operator("after")
def _after(leaf: Leaf, ctx: Context) -> pl.Expr:
    lo, hi = _bounds(leaf.field, ctx)
    d = _date(leaf, ctx)
    return _three(lo > d, hi <= d)


@operator("on_or_after")
def _on_or_after(leaf: Leaf, ctx: Context) -> pl.Expr:
    lo, hi = _bounds(leaf.field, ctx)
    d = _date(leaf, ctx)
    return _three(lo >= d, hi < d)


@operator("before")
def _before(leaf: Leaf, ctx: Context) -> pl.Expr:
    lo, hi = _bounds(leaf.field, ctx)
    d = _date(leaf, ctx)
    return _three(hi < d, lo >= d)


@operator("on_or_before")
def _on_or_before(leaf: Leaf, ctx: Context) -> pl.Expr:
    lo, hi = _bounds(leaf.field, ctx)
    d = _date(leaf, ctx)
    return _three(hi <= d, lo > d)


@operator("within_years")
def _within_years(leaf: Leaf, ctx: Context) -> pl.Expr:
    """A date d is within 近N年 when d > as_of - N years; a year Y when Y >= year(as_of) - N."""
    n = int(ctx.operand(leaf.operand))
    ref = ctx.as_of_expr()
    if isinstance(ref, pl.Expr):  # each row at its unit's own date
        col = pl.col(leaf.field)
        if ctx.fields[leaf.field].type == "year":
            recent = (col.list.max() >= ref.dt.year() - n).fill_null(False)
            return pl.when(col.is_null()).then(None).otherwise(recent)
        cutoff_expr = ref.dt.offset_by(f"-{n}y")  # 29 February becomes 28 February
        lo, hi = _bounds(leaf.field, ctx)
        return _three(lo > cutoff_expr, hi <= cutoff_expr)
    if ctx.fields[leaf.field].type == "year":
        return pl.col(leaf.field).list.eval(pl.element() >= ctx.as_of.year - n).list.any()
    cutoff = years_before(ctx.as_of, n)
    lo, hi = _bounds(leaf.field, ctx)
    return _three(lo > cutoff, hi <= cutoff)


# ---------------------------------------------------------------------------------------------
# Flags, values, text


@operator("is")
def _is(leaf: Leaf, ctx: Context) -> pl.Expr:
    col = pl.col(leaf.field)
    v = leaf.is_
    if v == "unknown":
        return col.is_null()
    if v == "known":
        return col.is_not_null()
    expr = col if v is True else (col == False)  # noqa: E712  (polars: explicit false only)
    return expr if ctx.blank_is_unknown(leaf.field) else expr.fill_null(False)


def _values(leaf: Leaf, ctx: Context, raw: Any) -> tuple[pl.Expr, list[Any]]:
    """The column to compare and the operand values (levels for ordered fields)."""
    items = raw if isinstance(raw, list) else [raw]
    items = [ctx.operand(v) for v in items]
    typ = ctx.fields[leaf.field].type
    if field_type(typ).ordered:
        return pl.col(f"{leaf.field}:level"), [ctx.level(leaf.field, v) for v in items]
    return pl.col(leaf.field), items


@operator("equals")
def _equals(leaf: Leaf, ctx: Context) -> pl.Expr:
    col, vals = _values(leaf, ctx, leaf.equals)
    return col == vals[0]


@operator("in")
def _in(leaf: Leaf, ctx: Context) -> pl.Expr:
    col, vals = _values(leaf, ctx, leaf.in_)
    return pl.when(col.is_null()).then(None).otherwise(col.is_in(vals))


@operator("not_in")
def _not_in(leaf: Leaf, ctx: Context) -> pl.Expr:
    col, vals = _values(leaf, ctx, leaf.not_in)
    return pl.when(col.is_null()).then(None).otherwise(~col.is_in(vals))


@operator("present")
def _present(leaf: Leaf, ctx: Context) -> pl.Expr:
    """Text written that is not a none-word (`values.NONE_WORDS`: 无, 没有, 否…); a flag/text column
    that is true."""
    col = pl.col(leaf.field)
    typ = ctx.fields[leaf.field].type
    if typ in ("flag", "flag_text"):
        has = col.fill_null(False)
    elif typ == "text":
        has = col.is_not_null() & ~col.is_in(sorted(values.NONE_WORDS))
    else:
        has = col.is_not_null()
    return has if leaf.present else ~has
