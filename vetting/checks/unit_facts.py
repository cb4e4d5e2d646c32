"""`facts:` rules: election procedure targets on the unit table (单位信息), one unit at a time.

A unit's facts come from its unit-table row (seats, candidates, members, publication dates);
roster figures of the same unit (`counts:`) are counted from the roster's people with the person
conditions of the policy language. Every measure is an interval [lo, hi] (a month-only date
gives a range of days; a blank value where a roster count reads an unknown widens the count):
a target fires only when the whole interval misses it, and is undecided (DQ010) when the
interval straddles it or a fact it needs is blank. Findings point at the unit table's cell,
name the unit and state the arithmetic ("差额比例 (5−5)/5 = 0% < 20%，还需1名候选人").

Without a unit table nothing is evaluated (the command line says so once on stderr).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from ..findings import Finding, Location, Measure, Subject
from ..messages import pick
from ..policy.kinds import FACTS, KindRules
from ..policy.objects import All, AnyOf, Facts, FactTarget, FactTest, Not
from ..policy.resolve import EffectiveRule
from ..roster import values
from ..units.columns import DERIVED_FACTS, FACT_BASIS, ORG_KEYS, fact_fields
from ..units.load import Group, RosterUnit, UnitRow, UnitTable
from .base import Batch, NoSharedWork, Phase
from .condition import compile_condition, fields_of
from .context import Context, fmt_date, fmt_number, fmt_share, meets, render

EPS = 1e-9


class Blank(Exception):
    """A fact the test needs is blank (or its column absent): the test cannot be decided."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


class Unavailable(Exception):
    """A roster count for a unit-table row without people in the roster: not evaluated."""


@dataclass
class Value:
    """A measured quantity: a number interval, a flag or a text."""

    lo: Any
    hi: Any
    kind: str  # "num" | "flag" | "text" | "date"
    shown: str  # as a message shows it

    @property
    def exact(self) -> bool:
        return self.lo == self.hi


class UnitFactsCheck(NoSharedWork):
    kind: ClassVar[str] = "facts"
    rules: ClassVar[KindRules] = FACTS  # its validation and description (policy/kinds/unit_facts.py)
    phase: ClassVar[Phase] = "frame"  # one pass over the unit table, its own group-by of the roster

    def __init__(self, er: EffectiveRule, ctx: Context):
        self.er = er
        self.ctx = ctx
        assert er.rule.facts is not None
        self.spec: Facts = er.rule.facts
        self.counts = {name: compile_condition(c, ctx) for name, c in self.spec.counts.items()}
        self.facts = fact_fields()

    # -- the check ------------------------------------------------------------------------
    def findings(self, frame: pl.DataFrame, batch: Batch | None = None) -> list[Finding]:
        table: UnitTable | None = getattr(self.ctx.roster, "units", None)
        if table is None:
            return []
        out: list[Finding] = []
        if self.spec.unmatched:
            out += self._unmatched(table)
        if not self.spec.targets:
            return out
        counts = self._roster_counts(frame)
        absent_reported: set[str] = set()
        for r in table.rows:
            if r.facts.get("unit") is None or r.skip_join:
                continue
            blank_reported: set[str] = set()  # one DQ010 per rule and blank fact of a unit
            for t in self.spec.targets:
                try:
                    f = self._judge(table, r, t, counts.get(r.group) if r.group else None)
                except Unavailable:
                    continue
                except Blank as b:
                    if b.key in self.facts and b.key not in DERIVED_FACTS and b.key not in table.present:
                        # the whole column is absent: one finding for the table, not one per unit
                        if b.key not in absent_reported:
                            absent_reported.add(b.key)
                            out.append(self._absent(table, b.key))
                        continue
                    if b.key in blank_reported:
                        continue
                    blank_reported.add(b.key)
                    f = self._undecided(table, r, self._blank_reason(b.key), self._blank_at(b.key))
                if f is not None:
                    out.append(f)
        return out

    def _roster_counts(self, frame: pl.DataFrame) -> dict[Group, dict[str, tuple[int, int]]]:
        if not self.counts or frame.height == 0:
            return {}
        keys = [k for k in ORG_KEYS if k in frame.columns]
        person = pl.col("person")
        aggs = []
        for name, cond in self.counts.items():
            aggs.append(person.filter(cond.fill_null(False)).n_unique().alias(f"{name}:lo"))
            aggs.append(person.filter(cond.fill_null(True)).n_unique().alias(f"{name}:hi"))
        grouped = frame.filter(pl.col("unit").is_not_null()).group_by(keys, maintain_order=True).agg(aggs)
        out: dict[Group, dict[str, tuple[int, int]]] = {}
        for g in grouped.iter_rows(named=True):
            group: Group = (g.get("district"), g.get("township"), g["unit"])
            out[group] = {name: (g[f"{name}:lo"], g[f"{name}:hi"]) for name in self.counts}
        return out

    # -- operands -------------------------------------------------------------------------
    def _operand(self, op: Any, r: UnitRow, counts: dict[str, tuple[int, int]] | None) -> Value:
        ctx = self.ctx
        if isinstance(op, bool):
            return Value(op, op, "flag", pick(ctx.lang, "是", "yes") if op else pick(ctx.lang, "否", "no"))
        if isinstance(op, int | float):
            return Value(float(op), float(op), "num", fmt_number(op))
        if op.startswith("$"):
            v = ctx.operand(op)
            if isinstance(v, int | float) and not isinstance(v, bool):
                return Value(float(v), float(v), "num", fmt_share(v) if isinstance(v, float) and 0 < v < 1 else fmt_number(v))
            return Value(v, v, "text", str(v))
        if op in self.counts:
            if counts is None:
                raise Unavailable(op)
            lo, hi = counts[op]
            return Value(float(lo), float(hi), "num", str(lo) if lo == hi else f"{lo}-{hi}")
        if op == "member_seats":
            seats = self._fact("committee_seats", r)
            deputy = self._fact("deputy_seats", r)
            v = seats - 1 - deputy
            return Value(float(v), float(v), "num", str(v))
        v = self._fact(op, r)
        typ = self.facts[op].type
        if typ == "date":
            return Value(v.lo, v.hi, "date", fmt_date(v.lo, v.precision, ctx.en))
        if typ == "flag":
            return Value(v, v, "flag", pick(ctx.lang, "是", "yes") if v else pick(ctx.lang, "否", "no"))
        if typ == "count":
            return Value(float(v), float(v), "num", str(v))
        return Value(v, v, "text", str(v))

    def _fact(self, key: str, r: UnitRow) -> Any:
        v = r.facts.get(key)
        if v is None and key == "election_date" and self.ctx.as_of_given:
            return values.DateValue.of_day(self.ctx.as_of)  # blank = the reference date
        if v is None and key == "deputy_seats":
            return 0  # blank = no 副主任 seat (units.md)
        if v is None:
            raise Blank(key)
        return v

    # -- measures -------------------------------------------------------------------------
    def _measure(self, t: FactTest, r: UnitRow, counts: dict[str, tuple[int, int]] | None) -> tuple[Value, dict[str, Any]]:
        """The measured value and the parts a message shows."""
        ops = [self._operand(o, r, counts) for o in t.operands]
        m = t.measure
        if m == "value":
            return ops[0], {}
        a, b = ops
        parts = {"a": a.shown, "b": b.shown}
        if m == "days":
            if a.kind != "date" or b.kind != "date":
                raise TypeError("days needs two dates")
            lo, hi = (b.lo - a.hi).days, (b.hi - a.lo).days
            return Value(float(lo), float(hi), "num", str(lo) if lo == hi else f"{lo}-{hi}"), parts
        if m == "difference":
            lo, hi = a.lo - b.hi, a.hi - b.lo
            return Value(lo, hi, "num", fmt_number(lo) if lo == hi else f"{fmt_number(lo)}-{fmt_number(hi)}"), parts
        # ratio, margin_ratio: over a positive denominator
        if b.lo <= 0:
            raise Unavailable("denominator")
        top_lo, top_hi = (a.lo - b.hi, a.hi - b.lo) if m == "margin_ratio" else (a.lo, a.hi)
        lo, hi = top_lo / b.hi, top_hi / b.lo
        return Value(lo, hi, "num", fmt_share(lo)), parts

    def _holds(self, t: FactTest, r: UnitRow, counts: dict[str, tuple[int, int]] | None) -> tuple[bool | None, tuple[str, Value, Value] | None]:
        """Whether every bound holds (None: cannot tell), and the first bound that fails."""
        v, _ = self._measure(t, r, counts)
        undecided = False
        for bound, operand in t.bounds:
            if bound == "is":
                ok: bool | None = v.lo is operand
                target = Value(operand, operand, "flag", str(operand))
            elif bound == "in":
                ok = v.lo in operand
                target = Value(operand, operand, "text", "、".join(operand))
            elif bound == "equals" and v.kind == "text":
                target = self._operand(operand, r, counts)
                ok = v.lo == target.lo
            else:
                target = self._operand(operand, r, counts)
                ok_lo, ok_hi = meets(bound, v.lo, target.lo, EPS), meets(bound, v.hi, target.lo, EPS)
                if ok_lo != ok_hi:
                    undecided = True
                    continue
                ok = ok_lo
            if not ok:
                return False, (bound, v, target)
        return (None if undecided else True), None

    def _where(self, cond: Any, r: UnitRow, counts: dict[str, tuple[int, int]] | None) -> bool | None:
        """Kleene logic over the tests; a blank fact makes its test unknown."""
        if isinstance(cond, All):
            parts = [self._where(c, r, counts) for c in cond.all]
            return False if False in parts else (None if None in parts else True)
        if isinstance(cond, AnyOf):
            parts = [self._where(c, r, counts) for c in cond.any]
            return True if True in parts else (None if None in parts else False)
        if isinstance(cond, Not):
            inner = self._where(cond.not_, r, counts)
            return None if inner is None else not inner
        try:
            return self._holds(cond, r, counts)[0]
        except Blank:
            return None

    def _where_blank(self, cond: Any, r: UnitRow, counts: dict[str, tuple[int, int]] | None) -> str | None:
        """The first blank fact among a condition's tests (to name it in a DQ010)."""
        if isinstance(cond, All | AnyOf):
            for c in cond.all if isinstance(cond, All) else cond.any:
                k = self._where_blank(c, r, counts)
                if k:
                    return k
            return None
        if isinstance(cond, Not):
            return self._where_blank(cond.not_, r, counts)
        try:
            self._holds(cond, r, counts)
        except Blank as b:
            return b.key
        return None

    # -- judging --------------------------------------------------------------------------
    def _judge(self, table: UnitTable, r: UnitRow, t: FactTarget, counts: dict[str, tuple[int, int]] | None) -> Finding | None:
        if t.where is not None:
            w = self._where(t.where, r, counts)
            if w is False:
                return None
            if w is None:
                blank = self._where_blank(t.where, r, counts)
                if blank is not None:
                    raise Blank(blank)
                return self._undecided(table, r, pick(self.ctx.lang, "无法确定该规则是否适用于本单位", "cannot tell whether the rule applies"), t.at)
        ok, failed = self._holds(t, r, counts)
        if ok:
            return None
        if failed is None:
            return self._undecided(table, r, self._why_undecided(t, r, counts), self._lead(t))
        return self._fired(table, r, t, counts, *failed)

    def _why_undecided(self, t: FactTarget, r: UnitRow, counts: dict[str, tuple[int, int]] | None) -> str:
        """Why a bound can be neither met nor failed: a date known to the month or year only, or
        a count of people known as a range (some people's data blank or unreadable)."""
        if t.measure == "days":
            return pick(self.ctx.lang, "日期只到月或年，无法算出确切天数",
                        "a date is known to the month or year only: the days cannot be counted")
        ranges = [v.shown for o in t.operands if isinstance(o, str) and o in self.counts
                  for v in [self._operand(o, r, counts)] if v.lo != v.hi]
        shown = "、".join(ranges)
        return pick(self.ctx.lang, f"名单中有人的相关信息空缺或无法识别，人数只能确定为{shown}人",
                    f"some people's data is blank or unreadable: the count is only known to be {shown}")

    def _lead(self, t: FactTarget) -> str | None:
        if t.at:
            return t.at
        for o in t.operands:
            if isinstance(o, str) and o in self.facts:
                return FACT_BASIS.get(o, (o,))[0]
        return None

    def _fired(self, table: UnitTable, r: UnitRow, t: FactTarget, counts: dict[str, tuple[int, int]] | None, bound: str, v: Value, target: Value) -> Finding:
        ctx = self.ctx
        _, parts = self._measure(t, r, counts)
        m = t.measure
        missing = _missing(m, bound, v, target, self._operand(t.operands[-1], r, counts) if m in ("ratio", "margin_ratio") else None)
        op = {"at_least": "<", "above": "≤", "at_most": ">", "below": "≥", "equals": "≠", "in": "∉", "is": "≠"}[bound]
        shown_target = fmt_share(target.lo) if m in ("ratio", "margin_ratio") else target.shown
        if m == "margin_ratio":
            text = f"({parts['a']}−{parts['b']})/{parts['b']} = {v.shown} {op} {shown_target}"
        elif m == "ratio":
            text = f"{parts['a']}/{parts['b']} = {v.shown} {op} {shown_target}"
        elif m == "difference":
            text = f"{parts['a']}−{parts['b']} = {v.shown} {op} {shown_target}"
        elif m == "days":
            text = pick(ctx.lang, f"{v.shown}日 {op} {shown_target}日", f"{v.shown} days {op} {shown_target}")
        else:
            text = f"{v.shown} {op} {shown_target}"
        noun = t.noun or ("日" if m == "days" else "人")
        if missing and m != "days" and bound not in ("in", "is"):
            if missing > 0:
                text += pick(ctx.lang, f"，还需{missing}{noun}", f": needs {missing} more")
            else:
                text += pick(ctx.lang, f"，多{-missing}{noun}", f": {-missing} too many")
        vals: dict[str, Any] = dict(ctx.param_values)
        for key in self.facts:
            if key in r.facts or key in DERIVED_FACTS or key == "election_date":
                with contextlib.suppress(Blank, Unavailable):
                    vals[key] = self._operand(key, r, counts).shown
        for name in self.counts:
            if counts is not None and name in counts:
                lo, hi = counts[name]
                vals[name] = str(lo) if lo == hi else f"{lo}-{hi}"
        vals.update(
            measure=text, value=v.shown, target=shown_target, missing=abs(missing) if missing else None,
            group=r.label, unit=r.facts.get("unit"), code=self.er.rule.code, title=ctx.title(self.er),
        )
        tmpl = ctx.template(t.says, t.says_en) or ctx.template(self.er.rule.message, self.er.rule.message_en) or "{measure}"
        measure = None
        if v.kind == "num":
            num = den = None
            if m in ("ratio", "margin_ratio"):
                a, b = (self._operand(o, r, counts) for o in t.operands)
                num, den = (a.lo - b.lo if m == "margin_ratio" else a.lo), b.lo
            measure = Measure(numerator=num, denominator=den, value=v.lo, target=target.lo if isinstance(target.lo, int | float) else None, missing=missing)
        return ctx.finding(
            self.er, render(tmpl, vals), subject=_subject(r), location=table.location(r, self._lead(t)),
            measure=measure, severity=t.severity, scope="unit",
        )

    def _undecided(self, table: UnitTable, r: UnitRow, why: str, at: str | None) -> Finding:
        ctx = self.ctx
        rule = self.er.rule
        message = pick(ctx.lang,
            f"无法判定 {rule.code}（{ctx.title(self.er)}）：{r.label}，{why}",
            f"cannot decide {rule.code} ({ctx.title(self.er)}) for {r.label}: {why}",
        )
        return ctx.undecided(self.er, message, subject=_subject(r), location=table.location(r, at), scope="unit")

    def _blank_reason(self, key: str) -> str:
        spec = self.facts.get(key)
        header = spec.header if spec else key
        return pick(self.ctx.lang, f"单位信息表的“{header}”为空", f"the unit table's '{header}' is blank")

    def _blank_at(self, key: str) -> str | None:
        return FACT_BASIS.get(key, (key,))[0]

    def _absent(self, table: UnitTable, key: str) -> Finding:
        ctx = self.ctx
        s = table.sources[0]
        header = self.facts[key].header
        rule = self.er.rule
        message = pick(ctx.lang,
            f"无法判定 {rule.code}（{ctx.title(self.er)}）：单位信息表没有“{header}”列",
            f"cannot decide {rule.code} ({ctx.title(self.er)}): the unit table has no '{header}' column",
        )
        return ctx.undecided(self.er, message, location=Location(path=s.path, sheet=s.sheet, row=s.header_row or None), scope="column")

    # -- units in one table only (PR012) --------------------------------------------------
    def _unmatched(self, table: UnitTable) -> list[Finding]:
        ctx = self.ctx
        out: list[Finding] = []
        for u in table.unmatched_roster:
            label = "".join(p for p in u.group if p)
            vals: dict[str, Any] = {"group": label, "unit": u.group[2]}
            tmpl = ctx.template(self.spec.says_roster, None) or pick(ctx.lang,
                "{group}在名单中有人员，但单位信息表中没有这个村(社区)", "{group} has people in the roster but no unit-table row")
            loc = ctx.roster.location(u.src, u.row, "unit" if "unit" in ctx.roster.present else None)
            out.append(ctx.finding(self.er, render(tmpl, vals), subject=_group_subject(u), location=loc, scope="unit"))
        for r in table.rows:
            if r.group is not None or r.skip_join or r.facts.get("unit") is None:
                continue
            vals = {"group": r.label, "unit": r.facts.get("unit")}
            tmpl = ctx.template(self.spec.says_table, None) or pick(ctx.lang,
                "单位信息表有{group}，但名单中没有这个村(社区)的人员", "{group} is in the unit table but has nobody in the roster")
            out.append(ctx.finding(self.er, render(tmpl, vals), subject=_subject(r), location=table.location(r, "unit"), scope="unit"))
        return out

    @property
    def fields(self) -> set[str]:
        out: set[str] = set()
        for c in self.spec.counts.values():
            out |= fields_of(c)
        return out


def _subject(r: UnitRow) -> Subject:
    g = r.group
    if g is not None:  # as the roster writes the unit (the table may leave district/township blank)
        return Subject(district=g[0], township=g[1], unit=g[2])
    return Subject(**{k: r.facts.get(k) for k in ORG_KEYS})


def _group_subject(u: RosterUnit) -> Subject:
    return Subject(district=u.group[0], township=u.group[1], unit=u.group[2])




def _missing(measure: str, bound: str, v: Value, target: Value, denominator: Value | None) -> int | None:
    """How many more (positive) or fewer (negative) of the measured thing would meet the bound:
    people, candidates or days; for a ratio, more of the numerator over the same denominator."""
    if v.kind != "num" or not isinstance(target.lo, int | float):
        return None
    t = float(target.lo)
    if measure in ("ratio", "margin_ratio"):
        assert denominator is not None
        b = float(denominator.lo)
        have = v.lo * b
        need = t * b
        if bound == "at_least":
            return max(0, math.ceil(need - have - EPS))
        if bound == "above":
            return max(0, math.floor(need - have + EPS) + 1)
        if bound == "at_most":
            return -max(0, math.ceil(have - need - EPS))
        if bound == "below":
            return -max(0, math.floor(have - need + EPS) + 1)
        return None
    x = float(v.lo)
    if bound == "at_least":
        return math.ceil(t - x - EPS)
    if bound == "above":
        return math.floor(t - x + EPS) + 1
    if bound == "at_most":
        return -math.ceil(x - t - EPS)
    if bound == "below":
        return -(math.floor(x - t + EPS) + 1)
    if bound == "equals":
        return round(t - x)
    return None

