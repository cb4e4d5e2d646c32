"""`same_person:` rules: one person (by ID number) proposed in more than one group.

Reported on each of the rows concerned, each naming the other places."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from ..findings import Finding
from ..messages import pick
from ..policy.kinds import SAME_PERSON, KindRules
from ..policy.resolve import EffectiveRule
from .base import Batch, NoSharedWork, Phase
from .context import Context, render
from .group import LEVEL_KEYS


class SamePersonCheck(NoSharedWork):
    kind: ClassVar[str] = "same_person"
    rules: ClassVar[KindRules] = SAME_PERSON  # its validation and description (policy/kinds/same_person.py)
    phase: ClassVar[Phase] = "frame"

    def __init__(self, er: EffectiveRule, ctx: Context):
        self.er = er
        self.ctx = ctx
        assert er.rule.same_person is not None
        self.across = er.rule.same_person.across
        self.fields: set[str] = set()

    def findings(self, frame: pl.DataFrame, batch: Batch) -> list[Finding]:
        ctx = self.ctx
        have = frame.columns
        keys = [k for k in LEVEL_KEYS[self.across] if k in have] or ["unit"]
        usable = pl.col("id_number:status").is_in(["ok", "legacy"])
        group = pl.concat_str([pl.col(k).fill_null("") for k in keys], separator="\x1f")
        # Only an ID number written on two rows or more can name someone twice: those rows
        # first, found on 8-byte hashes (a window over every row's text kept 200 MB at a
        # million rows). Every row of such a number is kept, so the window below sees the same
        # rows as one over the whole roster; a hash collision adds rows that it drops.
        cand = frame.select(pl.col("id_number").hash().is_duplicated() & pl.col("id_number").is_not_null()).to_series().arg_true()
        flagged = (
            frame.select(pl.col("id_number", "id_number:status", *keys).gather(cand))
            .select("id_number", "id_number:status", _g=group, _i=cand.cast(pl.Int64))  # narrow first
            .filter(usable & (pl.col("_g").n_unique().over("id_number") > 1))
        )
        if flagged.is_empty():
            return []
        rows = ctx.rows(frame, pl.int_range(pl.len()).is_in(flagged["_i"].implode()), set())
        by_person: dict[str, list[dict]] = {}
        for r in rows:
            by_person.setdefault(r["id_number"], []).append(r)
        out: list[Finding] = []
        for r in rows:
            mine = tuple(r.get(k) for k in keys)
            others = [o for o in by_person[r["id_number"]] if tuple(o.get(k) for k in keys) != mine]
            where = "、".join(
                pick(ctx.lang, f"{o.get('township') or ''}{o.get('unit') or ''}（第{o['_row']}行）", f"{o.get('unit')} (row {o['_row']})")
                for o in others
            )
            vals = {**ctx.param_values, "others": where, "name": r.get("name"), "unit": r.get("unit")}
            spec = self.er.rule.same_person
            assert spec is not None
            tmpl = ctx.template(spec.says, spec.says_en) or ctx.template(self.er.rule.message, self.er.rule.message_en) or pick(ctx.lang,
                "{name}同时被提名于{others}", "{name} is also proposed in {others}"
            )
            out.append(ctx.finding(self.er, render(tmpl, vals), row=r, key="id_number"))
        return out
