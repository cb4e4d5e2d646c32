"""`expect:` rules: targets for a group (unit, township, district, the whole roster).

Each target measures the group's members (`members:`, default the 两委 members): a count of
distinct people meeting a condition, a share of them, or the mean / min / max of a field, and
compares it with bounds. Unknown values widen the count into a range [certain, possible]; the
target fires only when the whole range misses it, and is undecided (DQ010) when the range
straddles it. The finding carries the arithmetic and how many more people would meet it.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import polars as pl

from ..display import fmt_number, fmt_share
from ..findings import Finding, Location, Measure, Subject
from ..messages import level_label, pick
from ..policy.kinds import EXPECT, KindRules
from ..policy.objects import Expect
from ..policy.resolve import EffectiveRule
from .base import Batch, Phase
from .condition import compile_condition, fields_of
from .context import Context, meets, render

EPS = 1e-12  # tolerance of a share computed from whole counts (float rounding only)

LEVEL_KEYS: dict[str, list[str]] = {
    "unit": ["district", "township", "unit"],
    "township": ["district", "township"],
    "district": ["district"],
    "roster": [],
}


def group_label(level: str, g: dict[str, Any], en: bool = False) -> str:
    parts = [str(g[k]) for k in LEVEL_KEYS[level] if g.get(k)]
    if not parts:
        return "all" if en else "全部名单"
    return " / ".join(parts) if en else "".join(parts)


class GroupCheck:
    kind: ClassVar[str] = "expect"
    rules: ClassVar[KindRules] = EXPECT  # its validation and description (policy/kinds/group.py)
    phase: ClassVar[Phase] = "groups"

    def __init__(self, er: EffectiveRule, ctx: Context):
        self.er = er
        self.ctx = ctx
        rule = er.rule
        self.levels: list[str] = [*rule.levels] if rule.levels else [rule.scope]
        self.members = (
            compile_condition(rule.members, ctx).fill_null(False) if rule.members else pl.col("is_member")
        )
        self.targets: list[tuple[Expect, dict[str, pl.Expr]]] = []
        for exp in rule.expectations:
            self.targets.append((exp, self._compile(exp)))
        # each target's measure and bounds, by the target's id: asked for every group judged
        # (`Expect.measure` looks through the model's fields each time)
        self._measure_of: dict[int, str] = {id(exp): exp.measure for exp in rule.expectations}
        self._bounds_of: dict[int, list[tuple[str, float]]] = {}

    def _compile(self, exp: Expect) -> dict[str, pl.Expr]:
        ctx = self.ctx
        m = self.members
        person = pl.col("person")
        out: dict[str, pl.Expr] = {"n": person.filter(m).n_unique()}
        if exp.where is not None:
            w = compile_condition(exp.where, ctx)
            out["where"] = w.drop_nulls().first()
        if exp.count == "all":
            out["lo"] = person.filter(m).n_unique()
            out["hi"] = out["lo"]
        elif exp.count is not None or exp.share is not None:
            cond = compile_condition(exp.count if exp.count is not None else exp.share, ctx)
            out["lo"] = person.filter(m & cond.fill_null(False)).n_unique()
            out["hi"] = person.filter(m & cond.fill_null(True)).n_unique()
        else:
            key = getattr(exp, exp.measure)
            agg = {"mean": pl.Expr.mean, "min": pl.Expr.min, "max": pl.Expr.max}[exp.measure]
            col = pl.col(key).filter(m & pl.col(key).is_not_null())
            out["lo"] = agg(col)
            out["hi"] = out["lo"]
            out["known"] = col.count()
        return out

    def row_exprs(self) -> dict[str, pl.Expr]:
        return {}

    def findings(self, frame: pl.DataFrame, batch: Batch) -> list[Finding]:
        """The findings at each level, from the engine's shared group-by when it made one, else
        from a group-by of this rule alone."""
        out: list[Finding] = []
        for level in self.levels:
            if level in batch.groups:
                out += self.findings_from(level, batch.groups[level], batch.prefix)
                continue
            keys = [k for k in LEVEL_KEYS[level] if k in frame.columns]
            aggs = [*self.measures(), pl.col("_src").first().alias("_src")]
            groups = frame.group_by(keys, maintain_order=True).agg(aggs) if keys else frame.select(aggs)
            out += self.findings_from(level, groups)
        return out

    def aggregations(self, prefix: str) -> dict[str, list[pl.Expr]]:
        """The measures at each of the rule's levels, for the engine's shared group-by."""
        return {level: self.measures(prefix) for level in self.levels}

    def measures(self, prefix: str = "") -> list[pl.Expr]:
        """What every target measures per group, named `{prefix}{target}:{name}`."""
        return [
            e.alias(f"{prefix}{t}:{name}")
            for t, (_, exprs) in enumerate(self.targets)
            for name, e in exprs.items()
        ]

    def findings_from(self, level: str, groups: pl.DataFrame, prefix: str = "") -> list[Finding]:
        """The findings at `level` from a group-by with `aggregations(prefix)` and `_src`."""
        keys = [k for k in LEVEL_KEYS[level] if k in groups.columns]
        out: list[Finding] = []
        for t, (exp, exprs) in enumerate(self.targets):
            measured = [pl.col(f"{prefix}{t}:{name}").alias(name) for name in exprs]
            mine = groups.select(*keys, *measured, "_src").filter(self._may_miss(exp))
            for g in mine.iter_rows(named=True):
                f = self._judge(level, exp, g, t)
                if f is not None:
                    out.append(f)
        return out

    def _may_miss(self, exp: Expect) -> pl.Expr:
        """The groups `_judge` may report (undecided, or missing a bound), as a polars filter with
        the same arithmetic, so that the many groups meeting their targets are never turned
        into Python objects one by one."""
        n, lo, hi = pl.col("n"), pl.col("lo"), pl.col("hi")
        if exp.measure == "share":
            judged = n > 0
            lo_v, hi_v = lo / n, hi / n
        else:
            judged = lo.is_not_null()
            lo_v, hi_v = lo.cast(pl.Float64), hi.cast(pl.Float64)
        eps = 1e-12  # as `_meets`
        met = pl.lit(True)
        for bound, target in self._bounds(exp):
            for v in (lo_v, hi_v):
                met = met & {
                    "at_least": v >= target - eps, "at_most": v <= target + eps,
                    "below": v < target - eps, "above": v > target + eps,
                }[bound]
        out = judged.fill_null(False) & ~met.fill_null(False)
        if exp.where is not None:
            out = pl.col("where").is_null() | (pl.col("where").fill_null(False) & out)
        return out

    def _bounds(self, exp: Expect) -> list[tuple[str, float]]:
        cached = self._bounds_of.get(id(exp))
        if cached is not None:
            return cached
        out = self._bounds_of[id(exp)] = []
        for b in exp.BOUNDS:
            v = getattr(exp, b)
            if v is not None:
                out.append((b, float(self.ctx.operand(v))))
        return out

    def _judge(self, level: str, exp: Expect, g: dict[str, Any], t: int) -> Finding | None:
        ctx = self.ctx
        if "where" in g:
            if g["where"] is None:
                return self._undecided(level, exp, g, pick(ctx.lang, "无法确定该组是否适用（如村/社区类型未知）", "cannot tell whether the target applies (e.g. unit type unknown)"))
            if g["where"] is False:
                return None
        n = g["n"]
        lo, hi = g["lo"], g["hi"]
        measure = self._measure_of[id(exp)]
        if measure == "share":
            if not n:
                return None
            lo_v, hi_v = lo / n, hi / n
        else:
            if lo is None:
                return None  # mean/min/max over nobody: nothing to judge
            lo_v, hi_v = float(lo), float(hi)
        for bound, target in self._bounds(exp):
            ok_lo, ok_hi = meets(bound, lo_v, target, EPS), meets(bound, hi_v, target, EPS)
            if ok_lo and ok_hi:
                continue
            if ok_lo != ok_hi:
                return self._undecided(level, exp, g, pick(ctx.lang,
                    f"部分成员的相关信息空白或无法识别，结果可能为 {lo} 至 {hi}",
                    f"some members' values are blank or unreadable; the count may be {lo} to {hi}",
                ))
            return self._fired(level, exp, g, bound, target, lo_v if not ok_lo else hi_v)
        return None

    def _missing(self, exp: Expect, bound: str, target: float, g: dict[str, Any]) -> int | None:
        n, lo = g["n"], g["lo"]
        measure = self._measure_of[id(exp)]
        if measure not in ("count", "share"):
            return None
        eps = 1e-9
        if measure == "count":
            if bound == "at_least":
                return math.ceil(target - lo - eps)
            if bound == "above":
                return math.floor(target - lo + eps) + 1
            if bound == "at_most":
                return -math.ceil(lo - target - eps)
            return -(math.floor(lo - target + eps) + 1)  # below
        if bound in ("at_least", "above"):
            # the fewest extra qualifying members (replacing non-qualifying ones) to meet the share
            k = max(0, math.ceil(target * n - lo - eps))
            if bound == "above" and (lo + k) / n <= target:
                k += 1
            return k
        k = max(0, math.ceil(lo - target * n - eps))
        if bound == "below" and (lo - k) / n >= target:
            k += 1
        return -k

    def _measure_text(self, exp: Expect, bound: str, target: float, g: dict[str, Any], value: float, missing: int | None) -> str:
        ctx = self.ctx
        en = ctx.en
        op = {"at_least": "<", "above": "≤", "at_most": ">", "below": "≥"}[bound]
        measure = self._measure_of[id(exp)]
        if measure == "share":
            s = f"{g['lo']}/{g['n']} = {fmt_share(value)} {op} {fmt_share(target)}"
        elif measure == "count":
            s = pick(ctx.lang, f"{g['lo']}人", f"{g['lo']}") + f" {op} " + pick(ctx.lang, f"{fmt_number(target)}人", fmt_number(target))
        else:
            s = f"{fmt_number(round(value, 1))} {op} {fmt_number(target)}"
        if missing:
            if missing > 0:
                s += f": needs {missing} more" if en else f"，还需{missing}人"
            else:
                s += f": {-missing} too many" if en else f"，多{-missing}人"
        return s

    def _fired(self, level: str, exp: Expect, g: dict[str, Any], bound: str, target: float, value: float) -> Finding:
        ctx = self.ctx
        missing = self._missing(exp, bound, target, g)
        measure_text = self._measure_text(exp, bound, target, g, value, missing)
        kind = self._measure_of[id(exp)]
        vals: dict[str, Any] = dict(ctx.param_values)
        vals.update(
            group=group_label(level, g, ctx.en), measure=measure_text, numerator=g["lo"],
            denominator=g["n"], share=fmt_share(value) if kind == "share" else None,
            target=fmt_share(target) if kind == "share" else fmt_number(target),
            missing=abs(missing) if missing is not None else None, level=level_label(level, ctx.lang),
            code=self.er.rule.code, title=ctx.title(self.er),
        )
        says = ctx.template(exp.says, exp.says_en)
        tmpl = says or ctx.template(self.er.rule.message, self.er.rule.message_en) or "{measure}"
        message = render(tmpl, vals)
        measure = Measure(
            numerator=g["lo"] if kind in ("count", "share") else None,
            denominator=g["n"] if kind == "share" else None,
            value=value, target=target, missing=missing,
        )
        return ctx.finding(
            self.er, message, subject=self._subject(level, g), location=self._location(g),
            measure=measure, severity=exp.severity, scope=level,
        )

    def _undecided(self, level: str, exp: Expect, g: dict[str, Any], why: str) -> Finding:
        ctx = self.ctx
        label = group_label(level, g, ctx.en)
        message = pick(ctx.lang,
            f"无法判定 {self.er.rule.code}（{ctx.title(self.er)}）：{label}，{why}",
            f"cannot decide {self.er.rule.code} ({ctx.title(self.er)}) for {label}: {why}",
        )
        return ctx.undecided(self.er, message, subject=self._subject(level, g), location=self._location(g), scope=level)

    def _subject(self, level: str, g: dict[str, Any]) -> Subject:
        keys = LEVEL_KEYS[level]
        return Subject(**{k: g.get(k) for k in keys})

    def _location(self, g: dict[str, Any]) -> Location:
        s = self.ctx.roster.sources[int(g["_src"])] if g.get("_src") is not None else None
        return Location(path=s.path, sheet=s.sheet) if s else Location()

    @property
    def fields(self) -> set[str]:
        rule = self.er.rule
        out = fields_of(rule.members)
        for exp in rule.expectations:
            out |= fields_of(exp.where)
            if exp.count not in (None, "all"):
                out |= fields_of(exp.count)
            out |= fields_of(exp.share)
        return out


