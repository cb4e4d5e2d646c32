"""`relatives:` rules: near relatives within one group.

Two people are near relatives when either lists the other's ID number in 近亲属身份证号. A pair
counts when one is in `among` and the other in `with` (default: `among` too). Each person of a
pair is reported on their own row, naming the other."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import polars as pl

from .._collect import engine_for
from ..findings import Finding
from ..messages import pick
from ..policy.kinds import RELATIVES, KindRules
from ..policy.resolve import EffectiveRule
from .base import Batch, NoSharedWork, Phase
from .condition import compile_condition, fields_of
from .context import Context, render
from .group import LEVEL_KEYS


class RelativesCheck(NoSharedWork):
    kind: ClassVar[str] = "relatives"
    rules: ClassVar[KindRules] = RELATIVES  # its validation and description (policy/kinds/relatives.py)
    phase: ClassVar[Phase] = "frame"

    def __init__(self, er: EffectiveRule, ctx: Context):
        self.er = er
        self.ctx = ctx
        spec = er.rule.relatives
        assert spec is not None
        self.within = spec.within
        self.among = compile_condition(spec.among, ctx).fill_null(False)
        self.symmetric = spec.with_ is None
        self.other = self.among if spec.with_ is None else compile_condition(spec.with_, ctx).fill_null(False)
        self.fields = fields_of(spec.among) | fields_of(spec.with_) | {"relatives"}

    def findings(self, frame: pl.DataFrame, batch: Batch) -> list[Finding]:
        ctx = self.ctx
        if frame.is_empty() or frame["relatives"].null_count() == frame.height:
            return []
        have = frame.columns
        keys = [k for k in LEVEL_KEYS[self.within] if k in have]
        # One query (a few dozen polars calls at a small roster cost more than the work): the
        # rows either side of the rule may stand on, narrowed first (filtering the whole, wide
        # frame copies every column); person i lists relative id r; r matched to a person j
        # in the same group.
        base = frame.lazy().select(
            *keys, "id_number", "relatives", _i=pl.int_range(pl.len()), _a=self.among, _b=self.other,
        ).filter(pl.col("_a") | pl.col("_b"))
        listed = base.filter(pl.col("relatives").is_not_null()).explode("relatives").drop_nulls("relatives")
        people = base.select([*keys, pl.col("_i").alias("_j"), pl.col("_a").alias("_ja"), pl.col("_b").alias("_jb"), pl.col("id_number").alias("relatives")])
        edges = (
            listed.join(people, on=[*keys, "relatives"], how="inner", nulls_equal=True)
            .filter(pl.col("_i") != pl.col("_j"))
            .select("_i", "_j", "_a", "_b", "_ja", "_jb")
            .collect(engine=engine_for(frame.height))
        )
        pairs: set[tuple[int, int]] = set()
        for r in edges.iter_rows(named=True):
            i, j = r["_i"], r["_j"]
            if (r["_a"] and r["_jb"]) or (r["_b"] and r["_ja"]):
                pairs.add((min(i, j), max(i, j)))
        if not pairs:
            return []
        idx = sorted({i for p in pairs for i in p})
        rows = ctx.rows(frame, pl.int_range(pl.len()).is_in(idx), set())
        by_i: dict[int, dict[str, Any]] = dict(zip(idx, rows, strict=True))
        # the two conditions on the rows concerned only (not a dict per roster row)
        picked = frame.select(_a=self.among, _b=self.other).filter(pl.int_range(pl.len()).is_in(idx)).to_dicts()
        flags = dict(zip(idx, picked, strict=True))
        out: list[Finding] = []
        for i, j in sorted(pairs):
            for me, other in ((i, j), (j, i)):
                if not self.symmetric and not flags[me]["_b"]:
                    continue  # with `with`, report on the rows of the `with` side (e.g. the supervisor)
                o = by_i[other]
                vals = {
                    **ctx.param_values, "name": by_i[me].get("name"), "unit": by_i[me].get("unit"),
                    "relative": pick(ctx.lang, f"{o.get('name')}（第{o['_row']}行）", f"{o.get('name')} (row {o['_row']})"),
                }
                spec = self.er.rule.relatives
                assert spec is not None
                tmpl = (
                    ctx.template(spec.says, spec.says_en)
                    or ctx.template(self.er.rule.message, self.er.rule.message_en)
                    or pick(ctx.lang, "与{relative}为近亲属", "near relative of {relative}")
                )
                f = ctx.finding(self.er, render(tmpl, vals), row=by_i[me], key="relatives")
                out.append(replace(f, mentions=(o["name"],)) if o.get("name") else f)
        return out
