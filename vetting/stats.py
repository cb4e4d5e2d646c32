"""`vetting stats`: the structural figures 换届 reports publish, computed from the roster.

Contract: docs/statistics.md. Pure computation, no printing:

    Roster(s) --with_derived(as_of)--> rows --per (group, person)--> people --per group--> figures
    previous roster(s) --same, at their own date--> previous figures; matched by ID number
    claims file (YAML) --ClaimsFile--> claims --checked against figures--> ClaimResult

Counts are of distinct people: every row is first reduced to one row per (group, person)
(`person` is the pseudonymous key of the ID number), so someone listed twice in a unit, or once
for a Party post and once for a committee post, counts once and is 交叉任职. Means are over the
people whose age at as_of is known to the year. Every count, share and mean is kept exact
(integers and `Fraction`s) so that a published figure is checked by rounding the exact value
half-up at the precision it was stated at, never a float that happens to sit just below .5.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from .derive import full_years_expr, with_derived
from .errors import UserError
from .roster.headers import normalize_header
from .roster.load import Roster

# --------------------------------------------------------------------------------------------
# The figures (stats.md): key -> label and denominator

Of = Literal["members", "secretaries"]


@dataclass(frozen=True)
class FigureSpec:
    key: str
    zh: str  # label in reports
    kind: Literal["count", "mean"]
    of: Of | None = None  # the denominator of the share; None: no share
    en: str = ""


def _c(key: str, zh: str, of: Of | None = None, en: str = "") -> FigureSpec:
    return FigureSpec(key, zh, "count", of, en or key.replace("_", " "))


def _m(key: str, zh: str, en: str = "") -> FigureSpec:
    return FigureSpec(key, zh, "mean", None, en or key.replace("_", " "))


FIGURES: dict[str, FigureSpec] = {
    f.key: f
    for f in (
        _c("units", "村(社区)数"),
        _c("members", "两委成员"),
        _c("party_committee", "党组织成员", "members"),
        _c("village_committee", "村(居)委会成员", "members"),
        _c("cross_appointed", "交叉任职", "members"),
        _c("supervisors", "监委会成员"),
        _c("secretaries", "书记"),
        _c("deputies", "副书记"),
        _c("directors", "主任"),
        _c("one_shoulder", "一肩挑", "secretaries"),
        _c("women", "女性", "members"),
        _c("age_35_or_under", "35岁以下", "members"),
        _c("college_or_above", "大专以上", "members"),
        _c("bachelor_or_above", "本科以上", "members"),
        _c("postgraduate", "研究生", "members"),
        _c("minority", "少数民族", "members"),
        _c("party_members", "中共党员", "members"),
        _c("new", "新进（非现任）", "members"),
        _c("secretary_women", "书记中女性", "secretaries"),
        _c("secretary_age_35_or_under", "书记中35岁以下", "secretaries"),
        _c("secretary_college_or_above", "书记中大专以上", "secretaries"),
        _c("secretary_bachelor", "书记中本科", "secretaries"),
        _c("secretary_postgraduate", "书记中研究生", "secretaries"),
        _m("mean_age", "平均年龄"),
        _m("secretary_mean_age", "书记平均年龄"),
        _m("deputy_mean_age", "副书记平均年龄"),
    )
}
OF_ZH = {"members": "两委成员", "secretaries": "书记"}
# Continuing / new / leaving against the previous term (两委 members only).
TURNOVER: dict[str, str] = {
    "continuing": "连任（上届也在）",
    "new": "新进（上届没有）",
    "leaving": "退出",
    "leaving_over_age": "超龄退出",
}
# Changes against the previous term: now minus before; means in years, counts in people.
CHANGES: dict[str, Literal["count", "mean"]] = {
    "mean_age": "mean",
    "secretary_mean_age": "mean",
    "college_or_above": "count",
    "women": "count",
}

LEVELS: tuple[str, ...] = ("roster", "district", "township", "unit")
LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "roster": (),
    "district": ("district",),
    "township": ("district", "township"),
    "unit": ("district", "township", "unit"),
}
LEVEL_ZH = {"roster": "全部名单", "district": "县(市、区)", "township": "乡镇(街道)", "unit": "村(社区)"}
BY_CHOICES = ("district", "township", "unit")

YOUTH_MAX_AGE = 35  # the figure is named for it: age_35_or_under (35岁以下 includes 35)
COLLEGE, BACHELOR, POSTGRADUATE = 4, 5, 6  # education:level (vetting.roster.values)
DEFAULT_OVER_AGE_CAP = 55
BLANK_VALUE = "（空白）"  # a breakdown's key for members whose value is blank


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class Figure:
    """One figure of one group: a count (with its denominator when it has a share) or a mean
    (the sum of the ages and how many there were). Exact; floats only for display and JSON."""

    key: str
    count: int | None = None
    of: str | None = None
    denominator: int | None = None
    total: int | None = None
    n: int | None = None

    @property
    def kind(self) -> str:
        return "mean" if self.n is not None else "count"

    @property
    def share(self) -> Fraction | None:
        if self.of is None or not self.denominator or self.count is None:
            return None
        return Fraction(self.count, self.denominator)

    @property
    def mean(self) -> Fraction | None:
        if not self.n or self.total is None:
            return None
        return Fraction(self.total, self.n)

    def as_json(self) -> dict[str, Any]:
        # int / int in Python is correctly rounded: the same float as float(Fraction), faster.
        if self.n is not None:
            return {"mean": self.total / self.n if self.n and self.total is not None else None, "n": self.n}
        out: dict[str, Any] = {"count": self.count}
        if self.of is not None:
            out["share"] = self.count / self.denominator if self.denominator and self.count is not None else None
            out["of"] = self.of
        return out


@dataclass
class Previous:
    """One group against the previous term."""

    as_of: dt.date
    continuing: int
    new: int
    leaving: int
    leaving_over_age: int
    figures: dict[str, Figure]
    changes: dict[str, Fraction | int | None]

    def turnover(self, key: str) -> int:
        return int(getattr(self, key))


@dataclass
class GroupStats:
    level: str
    district: str | None
    township: str | None
    unit: str | None
    figures: dict[str, Figure]
    breakdown: dict[str, dict[str, Figure]] = field(default_factory=dict)
    previous: Previous | None = None

    @property
    def key(self) -> tuple[str | None, ...]:
        return tuple(getattr(self, k) for k in LEVEL_KEYS[self.level])

    @property
    def name(self) -> str:
        """The group's own name (`青竹湖街道`); the whole roster is 全部名单."""
        if self.level == "roster":
            return LEVEL_ZH["roster"]
        own = getattr(self, self.level)
        return own if own is not None else "（未填）"

    @property
    def path(self) -> str:
        """Its full name (`开福区 › 青竹湖街道`)."""
        if self.level == "roster":
            return LEVEL_ZH["roster"]
        parts = [p if p is not None else "（未填）" for p in self.key]
        return " › ".join(parts)


@dataclass
class InputInfo:
    path: str
    sheet: str | None
    rows: int


@dataclass
class StatsResult:
    as_of: dt.date
    policy: str
    levels: list[str]  # the levels shown (down to --by)
    groups: list[GroupStats]  # the groups shown, level by level, in roster order
    inputs: list[InputInfo]
    breakdown_columns: list[str] = field(default_factory=list)
    previous_as_of: dt.date | None = None
    previous_inputs: list[InputInfo] = field(default_factory=list)
    over_age_cap: int = DEFAULT_OVER_AGE_CAP
    claims: list[ClaimResult] = field(default_factory=list)
    claims_path: str | None = None
    notes: list[str] = field(default_factory=list)
    # every computed group (shown or not: claims may name a unit without --by unit)
    all_groups: dict[tuple[str, tuple[str | None, ...]], GroupStats] = field(default_factory=dict)

    def level_groups(self, level: str) -> list[GroupStats]:
        return [g for g in self.groups if g.level == level]

    @property
    def disagreeing(self) -> list[ClaimResult]:
        return [c for c in self.claims if not c.agrees]


# --------------------------------------------------------------------------------------------
# Computation


def previous_default_as_of(as_of: dt.date, years: int = 5) -> dt.date:
    """as_of minus the term's length (5 years since 2018, the national `previous_term_years`);
    29 February becomes 28 February."""
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:
        return as_of.replace(year=as_of.year - years, day=28)


def resolve_column(name: str, roster: Roster) -> tuple[str, str]:
    """`--breakdown COLUMN`: a canonical key, a header or an alias of a known column, or the
    header of a column the roster has that is not a known one. -> (frame column, display name)."""
    wanted = normalize_header(name)
    for spec in roster.fields.values():
        if wanted in {normalize_header(h) for h in (spec.key, spec.header, *spec.aliases)}:
            return spec.key, spec.header
    for col in roster.frame.columns:
        if col.startswith("x:") and normalize_header(col[2:].rstrip("'")) == wanted:
            return col, col[2:].rstrip("'")
    extra = [c[2:] for c in roster.frame.columns if c.startswith("x:")]
    known = [s.header for s in roster.fields.values() if s.type not in ("id_number", "id_list") and not s.personal]
    raise UserError(
        f"没有名为“{name}”的列 / no column named '{name}'",
        hint="可用的列：" + "、".join(known[:20] + extra) + (" …" if len(known) > 20 else ""),
    )


def _value_expr(col: str, frame: pl.DataFrame) -> pl.Expr:
    """The value a breakdown counts by: the parsed value when it is text (posts, education,
    political status…), 是/否 for flags, otherwise the cell as written."""
    dtype = frame.schema.get(col)
    if dtype == pl.String:
        return pl.col(col)
    if dtype == pl.Boolean:
        return pl.when(pl.col(col)).then(pl.lit("是")).when(~pl.col(col)).then(pl.lit("否")).otherwise(None)
    raw = f"{col}:raw"
    if raw in frame.columns:
        return pl.col(raw).str.strip_chars()
    return pl.col(col).cast(pl.String)


def _rows(
    roster: Roster,
    as_of: dt.date,
    *,
    breakdown: dict[str, str],
    over_age: tuple[dt.date, int] | None = None,
) -> pl.DataFrame:
    """One row per roster row with what the figures need, as plain columns."""
    f = roster.frame
    if f.height == 0:
        return pl.DataFrame()
    d = with_derived(f, as_of)
    c = pl.col
    cols: list[pl.Expr] = [
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"),
        pl.lit(0, dtype=pl.Int8).alias("_all"),
        c("district"), c("township"), c("unit"), c("person"),
        c("is_member").alias("member"),
        c("on_party_committee").alias("party"),
        c("on_committee").alias("committee"),
        c("is_supervisor").alias("supervisor"),
        c("is_secretary").alias("secretary"),
        c("is_deputy_secretary").alias("deputy"),
        c("is_director").alias("director"),
        c("is_woman").alias("woman"),
        c("age"),
        (c("age:max") <= YOUTH_MAX_AGE).alias("young"),
        c("education:level").alias("edu"),
        pl.when(c("ethnicity").is_null()).then(None).otherwise(c("ethnicity") != "汉族").alias("minority"),
        c("political_status").is_in(["中共党员", "中共预备党员"]).alias("party_member"),
        c("is_new").alias("new"),
    ]
    for name, col in breakdown.items():
        cols.append(_value_expr(col, d).alias(f"b:{name}"))
    if over_age is not None:
        at, cap = over_age
        # Older than the cap at the new term's date, for certain (an imprecise birth date counts
        # only when even its latest possible day makes the person older).
        cols.append((full_years_expr(c("birth_date:hi"), at) > cap).alias("over"))
    return d.select(cols)


def _people(rows: pl.DataFrame, keys: Sequence[str], extra: Sequence[str] = ()) -> pl.DataFrame:
    """One row per (group, person): what the person is anywhere in the group."""
    c = pl.col
    aggs = [
        c("_i").min().alias("_first"),
        c("member").any(), c("party").any(), c("committee").any(), c("supervisor").any(),
        c("secretary").any(), c("deputy").any(), c("director").any(),
        c("woman").max(), c("age").max(), c("young").max(), c("edu").max(),
        c("minority").max(), c("party_member").max(), c("new").max(),
    ]
    for e in extra:
        if e.startswith("b:"):
            aggs.append(c(e).drop_nulls().first())
        else:
            aggs.append(c(e).max())
    return rows.group_by([*keys, "person"]).agg(aggs)


def _group_figures(rows: pl.DataFrame, people: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """One row per group: the counts, and the sums and numbers of ages for the means."""
    c = pl.col
    m, s = c("member"), c("secretary")

    def among(who: pl.Expr, cond: pl.Expr) -> pl.Expr:
        return (who & cond).fill_null(False).sum()

    def mean_parts(name: str, who: pl.Expr) -> list[pl.Expr]:
        return [
            c("age").filter(who).sum().cast(pl.Int64).alias(f"{name}:sum"),
            c("age").filter(who).count().cast(pl.Int64).alias(f"{name}:n"),
        ]

    aggs = [
        c("_first").min(),
        m.sum().alias("members"),
        c("party").sum().alias("party_committee"),
        c("committee").sum().alias("village_committee"),
        (c("party") & c("committee")).sum().alias("cross_appointed"),
        c("supervisor").sum().alias("supervisors"),
        s.sum().alias("secretaries"),
        c("deputy").sum().alias("deputies"),
        c("director").sum().alias("directors"),
        (s & c("director")).sum().alias("one_shoulder"),
        among(m, c("woman")).alias("women"),
        among(m, c("young")).alias("age_35_or_under"),
        among(m, c("edu") >= COLLEGE).alias("college_or_above"),
        among(m, c("edu") >= BACHELOR).alias("bachelor_or_above"),
        among(m, c("edu") >= POSTGRADUATE).alias("postgraduate"),
        among(m, c("minority")).alias("minority"),
        among(m, c("party_member")).alias("party_members"),
        among(m, c("new")).alias("new"),
        among(s, c("woman")).alias("secretary_women"),
        among(s, c("young")).alias("secretary_age_35_or_under"),
        among(s, c("edu") >= COLLEGE).alias("secretary_college_or_above"),
        among(s, c("edu") == BACHELOR).alias("secretary_bachelor"),
        among(s, c("edu") >= POSTGRADUATE).alias("secretary_postgraduate"),
        *mean_parts("mean_age", m),
        *mean_parts("secretary_mean_age", s),
        *mean_parts("deputy_mean_age", c("deputy")),
    ]
    out = people.group_by(list(keys)).agg(aggs)
    unit_cols = ["district", "township", "unit"]
    units = (
        rows.filter(c("unit").is_not_null())
        .group_by(list(keys))
        .agg(pl.struct(unit_cols).n_unique().cast(pl.Int64).alias("units"))
    )
    out = out.join(units, on=list(keys), how="left", nulls_equal=True).with_columns(c("units").fill_null(0))
    return out.sort("_first")


def _figures_from_row(row: dict[str, Any]) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for key, spec in FIGURES.items():
        if spec.kind == "mean":
            out[key] = Figure(key, total=int(row[f"{key}:sum"] or 0), n=int(row[f"{key}:n"] or 0))
        elif spec.of is None:
            out[key] = Figure(key, count=int(row[key]))
        else:
            out[key] = Figure(key, count=int(row[key]), of=spec.of, denominator=int(row[spec.of]))
    return out


def _zero_row() -> dict[str, Any]:
    """The aggregate row of nobody: the whole roster of an empty file."""
    zero: dict[str, Any] = {k: 0 for k in FIGURES}
    zero.update({f"{k}:sum": 0 for k, s in FIGURES.items() if s.kind == "mean"})
    zero.update({f"{k}:n": 0 for k, s in FIGURES.items() if s.kind == "mean"})
    zero.update({"_all": 0, "district": None, "township": None, "unit": None})
    return zero


def empty_figures() -> dict[str, Figure]:
    """The figures of nobody (a group the previous roster did not have)."""
    return _figures_from_row(_zero_row())


def _breakdowns(people: pl.DataFrame, keys: Sequence[str], names: Iterable[str]) -> dict[tuple, dict[str, dict[str, Figure]]]:
    """For each group: {column display name: {value: Figure(count of members, share of members)}}."""
    out: dict[tuple, dict[str, dict[str, Figure]]] = {}
    members = people.filter(pl.col("member"))
    totals = {tuple(r[:-1]): r[-1] for r in members.group_by(list(keys)).len().iter_rows()}
    for name in names:
        col = f"b:{name}"
        counts = (
            members.group_by([*keys, col]).len()
            .sort(["len", col], descending=[True, False], nulls_last=True)
        )
        for r in counts.iter_rows():
            gk, value, n = tuple(r[: len(keys)]), r[len(keys)], r[len(keys) + 1]
            value = BLANK_VALUE if value is None else str(value)
            out.setdefault(gk, {}).setdefault(name, {})[value] = Figure(
                name, count=int(n), of="members", denominator=int(totals.get(gk, 0))
            )
    return out


@dataclass
class _Computed:
    frames: dict[str, pl.DataFrame]  # level -> group figures
    people: dict[str, pl.DataFrame]  # level -> (group, person) rows
    breakdown: dict[str, dict[tuple, dict[str, dict[str, Figure]]]]


def _keys_of(level: str) -> list[str]:
    return list(LEVEL_KEYS[level]) or ["_all"]


def _compute(rows: pl.DataFrame, levels: Sequence[str], breakdown: Sequence[str], extra: Sequence[str] = ()) -> _Computed:
    frames: dict[str, pl.DataFrame] = {}
    people: dict[str, pl.DataFrame] = {}
    bds: dict[str, dict[tuple, dict[str, dict[str, Figure]]]] = {}
    b_cols = [f"b:{n}" for n in breakdown]
    for level in levels:
        keys = _keys_of(level)
        p = _people(rows, keys, [*b_cols, *extra])
        people[level] = p
        frames[level] = _group_figures(rows, p, keys)
        bds[level] = _breakdowns(p, keys, breakdown) if breakdown else {}
    return _Computed(frames, people, bds)


def _level_present(rows: pl.DataFrame, level: str) -> bool:
    """A level whose own column is blank in every row (a roster without 县 column) is skipped."""
    if level in ("roster", "unit"):
        return True
    return rows.height > 0 and rows[level].null_count() < rows.height


def _key_tuple(level: str, row: dict[str, Any]) -> tuple[str | None, ...]:
    return tuple(row[k] for k in LEVEL_KEYS[level])


def _group_key(level: str, row: dict[str, Any]) -> tuple:
    return tuple(row[k] for k in _keys_of(level))


def compute_stats(
    roster: Roster,
    *,
    as_of: dt.date,
    policy: str = "national",
    by: str = "township",
    breakdown: Sequence[str] = (),
    previous: Roster | None = None,
    previous_as_of: dt.date | None = None,
    over_age_cap: int = DEFAULT_OVER_AGE_CAP,
    claims: Sequence[LoadedClaim] = (),
    claims_path: str | None = None,
) -> StatsResult:
    """All figures down to `by` (and to whatever level the claims name), the previous term when
    given, and the claims checked."""
    if by not in BY_CHOICES:
        raise UserError(f"--by 的值 '{by}' 无效，可用：{'、'.join(BY_CHOICES)} / invalid --by")
    shown_levels = list(LEVELS[: LEVELS.index(by) + 1])
    # Breakdown columns: those asked for, then those the claims name.
    columns: dict[str, str] = {}
    shown_breakdown: list[str] = []
    for name in breakdown:
        col, display = resolve_column(name, roster)
        columns[display] = col
        if display not in shown_breakdown:
            shown_breakdown.append(display)
    claim_levels = set()
    for lc in claims:
        claim_levels.add(lc.level)
        if lc.figure.startswith("breakdown."):
            try:
                col, display = resolve_column(lc.breakdown_column, roster)
            except UserError as e:
                raise lc.error(e.message, e.hint) from None
            columns[display] = col
            lc.breakdown_display = display
        if lc.figure.startswith("previous.") and previous is None:
            raise lc.error(
                f"这条说法与上届比较（{lc.figure}），需要用 --previous 给出上届名单 / "
                "a claim on the previous term needs --previous OLD"
            )
    computed_levels = [lv for lv in LEVELS if lv in shown_levels or lv in claim_levels]
    deepest = max((LEVELS.index(lv) for lv in computed_levels), default=0)
    computed_levels = list(LEVELS[: deepest + 1])
    notes: list[str] = []
    prev_at = previous_as_of or previous_default_as_of(as_of)

    rows = _rows(roster, as_of, breakdown=columns)
    result = StatsResult(
        as_of=as_of, policy=policy, levels=[], groups=[], inputs=_inputs(roster),
        breakdown_columns=shown_breakdown, over_age_cap=over_age_cap, notes=notes,
        claims_path=claims_path,
    )
    if rows.height == 0:
        rows = _empty_rows(list(columns))
    levels = [lv for lv in computed_levels if _level_present(rows, lv)]
    cur = _compute(rows, levels, list(columns))

    prev: _Computed | None = None
    if previous is not None:
        result.previous_as_of = prev_at
        result.previous_inputs = _inputs(previous)
        prows = _rows(previous, prev_at, breakdown={}, over_age=(as_of, over_age_cap))
        if prows.height == 0:
            prows = _empty_rows([], over=True)
        prev = _compute(prows, levels, [], extra=["over"])

    for level in levels:
        keys = _keys_of(level)
        prev_figs: dict[tuple, dict[str, Figure]] = {}
        turnover: dict[tuple, tuple[int, int, int, int]] = {}
        if prev is not None:
            for r in prev.frames[level].iter_rows(named=True):
                prev_figs[_group_key(level, r)] = _figures_from_row(r)
            turnover = _turnover(cur.people[level], prev.people[level], keys)
        bds = cur.breakdown.get(level, {})
        found = list(cur.frames[level].iter_rows(named=True))
        if level == "roster" and not found:  # an empty roster is still a roster (of nobody)
            found = [_zero_row()]
        for r in found:
            gk = _group_key(level, r)
            kt = _key_tuple(level, r)
            figs = _figures_from_row(r)
            g = GroupStats(
                level=level,
                district=r.get("district") if level != "roster" else None,
                township=r.get("township") if level in ("township", "unit") else None,
                unit=r.get("unit") if level == "unit" else None,
                figures=figs,
                breakdown=bds.get(gk, {}),
            )
            if prev is not None:
                pf = prev_figs.get(gk) or empty_figures()
                cont, new, leaving, over = turnover.get(gk, (0, figs["members"].count or 0, 0, 0))
                g.previous = Previous(
                    as_of=prev_at, continuing=cont, new=new, leaving=leaving, leaving_over_age=over,
                    figures=pf, changes=_changes(figs, pf),
                )
            result.all_groups[(level, kt)] = g
            if level in shown_levels:
                result.groups.append(g)
        if level in shown_levels:
            result.levels.append(level)
    if claims:
        result.claims = [check_claim(lc, result) for lc in claims]
    return result


def _empty_rows(breakdown: Sequence[str], over: bool = False) -> pl.DataFrame:
    schema: dict[str, Any] = {
        "_i": pl.UInt32, "_all": pl.Int8, "district": pl.String, "township": pl.String, "unit": pl.String,
        "person": pl.String, "member": pl.Boolean, "party": pl.Boolean, "committee": pl.Boolean,
        "supervisor": pl.Boolean, "secretary": pl.Boolean, "deputy": pl.Boolean, "director": pl.Boolean,
        "woman": pl.Boolean, "age": pl.Int32, "young": pl.Boolean, "edu": pl.Int8, "minority": pl.Boolean,
        "party_member": pl.Boolean, "new": pl.Boolean,
    }
    schema.update({f"b:{n}": pl.String for n in breakdown})
    if over:
        schema["over"] = pl.Boolean
    return pl.DataFrame(schema=schema)


def _inputs(roster: Roster) -> list[InputInfo]:
    return [InputInfo(s.path, s.sheet, s.rows) for s in roster.sources]


def _turnover(cur: pl.DataFrame, prev: pl.DataFrame, keys: list[str]) -> dict[tuple, tuple[int, int, int, int]]:
    """Per group: (continuing, new, leaving, leaving over age) among 两委 members, matched by the
    person key (the keyed hash of the ID number)."""
    on = [*keys, "person"]
    now = cur.filter(pl.col("member")).select(on)
    before = prev.filter(pl.col("member")).select([*on, "over"])
    cont = now.join(before.select(on), on=on, how="inner", nulls_equal=True).group_by(keys).len()
    members = now.group_by(keys).len()
    gone = (
        before.join(now, on=on, how="anti", nulls_equal=True)
        .group_by(keys)
        .agg(pl.len().alias("leaving"), pl.col("over").fill_null(False).sum().alias("over"))
    )
    out: dict[tuple, list[int]] = {}
    for r in members.iter_rows():
        out.setdefault(tuple(r[:-1]), [0, 0, 0, 0])[1] = int(r[-1])
    for r in cont.iter_rows():
        v = out.setdefault(tuple(r[:-1]), [0, 0, 0, 0])
        v[0] = int(r[-1])
        v[1] -= int(r[-1])
    for r in gone.iter_rows():
        v = out.setdefault(tuple(r[:-2]), [0, 0, 0, 0])
        v[2], v[3] = int(r[-2]), int(r[-1])
    return {k: (v[0], v[1], v[2], v[3]) for k, v in out.items()}


def _changes(now: dict[str, Figure], before: dict[str, Figure]) -> dict[str, Fraction | int | None]:
    out: dict[str, Fraction | int | None] = {}
    for key, kind in CHANGES.items():
        if kind == "mean":
            a, b = now[key].mean, before[key].mean
            out[key] = None if a is None or b is None else a - b
        else:
            out[key] = int(now[key].count or 0) - int(before[key].count or 0)
    return out


# --------------------------------------------------------------------------------------------
# Claims: published statements, checked at the precision they were stated at


class ClaimGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")
    district: str | None = None
    township: str | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> ClaimGroup:
        for k in ("district", "township", "unit"):
            v = getattr(self, k)
            setattr(self, k, v.strip() if isinstance(v, str) and v.strip() else None)
        if not (self.district or self.township or self.unit):
            raise ValueError("group 至少要写 district、township 或 unit 之一 / name a district, township or unit")
        return self


Number = str | int | float


class Claim(BaseModel):
    """One published statement: `figure` and what it states (`share`, `count`, `mean`)."""

    model_config = ConfigDict(extra="forbid")
    text: str
    figure: str
    share: Number | None = None
    count: Number | None = None
    mean: Number | None = None
    group: ClaimGroup | None = None

    @model_validator(mode="after")
    def _states_something(self) -> Claim:
        if self.share is None and self.count is None and self.mean is None:
            raise ValueError("要写出公布的数字：share、count 或 mean / state a share, a count or a mean")
        if self.mean is not None and (self.share is not None or self.count is not None):
            raise ValueError("mean 不能与 share、count 同时写 / a mean goes alone")
        return self


@dataclass(frozen=True)
class Stated:
    """A number as published: its value, how many decimals it was written with, and whether it
    is a percentage (`98.2%`) or a fraction (`0.982`)."""

    value: Decimal
    decimals: int
    percent: bool = False
    text: str = ""


_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _decimal(text: str) -> Decimal | None:
    t = text.strip().replace("−", "-").replace("－", "-")
    if not _NUM.match(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _written(v: Number) -> str:
    """The number as written in YAML: quoted text as is, a YAML float by its shortest form
    (so an unquoted 46.10 is 46.1: quote it to keep the zero)."""
    if isinstance(v, bool):
        raise ValueError("不是数字 / not a number")
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("不是数字 / not a number")
        return repr(v)
    return str(v).strip()


def _places(d: Decimal) -> int:
    exp = d.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def parse_share(v: Number) -> Stated:
    """`98.2%` (or `98.2％`): a percentage; a bare number: a fraction when <= 1, else a percentage."""
    text = _written(v)
    t = text.replace("％", "%")
    percent = t.endswith("%")
    d = _decimal(t[:-1] if percent else t)
    if d is None or d < 0:
        raise ValueError(f"比例“{text}”不是数字（应写如 98.2%） / share '{text}' is not a number like 98.2%")
    if not percent and d > 1:
        percent = True
    if (percent and d > 100) or (not percent and d > 1):
        raise ValueError(f"比例“{text}”超过100% / share '{text}' is above 100%")
    return Stated(d, _places(d), percent, text)


def parse_count(v: Number, *, signed: bool = False) -> Stated:
    text = _written(v)
    d = _decimal(text)
    if d is None or d != d.to_integral_value() or "." in text:
        raise ValueError(f"人数“{text}”不是整数 / count '{text}' is not a whole number")
    if d < 0 and not signed:
        raise ValueError(f"人数“{text}”不能为负 / count '{text}' is negative")
    return Stated(d, 0, False, text)


def parse_mean(v: Number) -> Stated:
    text = _written(v)
    d = _decimal(text)
    if d is None:
        raise ValueError(f"平均数“{text}”不是数字 / mean '{text}' is not a number")
    return Stated(d, _places(d), False, text)


@dataclass
class LoadedClaim:
    """A claim as read, with where it is (file:line) and its figure path resolved."""

    claim: Claim
    path: str
    line: int
    column: int
    figure: str
    kind: Literal["figure", "breakdown", "turnover", "previous", "change"]
    key: str  # the figure / turnover / change key, or the breakdown value
    share: Stated | None
    count: Stated | None
    mean: Stated | None
    breakdown_column: str = ""
    breakdown_display: str = ""
    group_line: int | None = None

    @property
    def level(self) -> str:
        g = self.claim.group
        if g is None:
            return "roster"
        if g.unit:
            return "unit"
        if g.township:
            return "township"
        return "district"

    @property
    def stated_text(self) -> str:
        parts = [s.text for s in (self.count, self.share, self.mean) if s is not None]
        return ", ".join(parts)

    @property
    def group_label(self) -> str:
        g = self.claim.group
        if g is None:
            return LEVEL_ZH["roster"]
        return " › ".join(p for p in (g.district, g.township, g.unit) if p)

    def error(self, message: str, hint: str | None = None, *, line: int | None = None) -> UserError:
        return UserError(f"“{self.claim.text}”：{message}", path=self.path, line=line or self.line, column=None, hint=hint)


@dataclass
class ClaimResult:
    claim: LoadedClaim
    computed: Any  # int | float | dict | None (JSON)
    computed_text: str  # the computed figure at the stated precision ("33, 64.71%")
    exact_text: str  # the computed figure in full ("33/51 = 64.706%")
    agrees: bool

    def as_json(self) -> dict[str, Any]:
        c = self.claim
        return {
            "text": c.claim.text,
            "figure": c.figure,
            "group": None if c.claim.group is None else c.claim.group.model_dump(exclude_none=True),
            "stated": c.stated_text,
            "computed": self.computed,
            "computed_as_stated": self.computed_text,
            "agrees": self.agrees,
        }


def _figure_kind(lc_kind: str, key: str) -> tuple[Literal["count", "mean"], bool, bool]:
    """(count or mean, has a share, may be negative) of what a claim names."""
    if lc_kind == "breakdown":
        return "count", True, False
    if lc_kind == "turnover":
        return "count", False, False
    if lc_kind == "change":
        return CHANGES[key], False, True
    spec = FIGURES[key]
    return spec.kind, spec.of is not None, False


def _resolve_figure(figure: str) -> tuple[str, str, str] | str:
    """-> (kind, key, breakdown column) or an error message."""
    f = figure.strip()
    if f in FIGURES:
        return "figure", f, ""
    if f.startswith("breakdown."):
        parts = f.split(".", 2)
        if len(parts) != 3 or not parts[1] or not parts[2]:
            return "breakdown 的写法是 breakdown.列名.取值（如 breakdown.人员来源.社区工作者） / write breakdown.COLUMN.VALUE"
        return "breakdown", parts[2], parts[1]
    if f.startswith("previous.changes."):
        k = f.removeprefix("previous.changes.")
        if k in CHANGES:
            return "change", k, ""
        return _unknown(k, list(CHANGES), "previous.changes.")
    if f.startswith("previous."):
        k = f.removeprefix("previous.")
        if k in TURNOVER:
            return "turnover", k, ""
        if k in FIGURES:
            return "previous", k, ""
        return _unknown(k, [*TURNOVER, *FIGURES, "changes.*"], "previous.")
    return _unknown(f, [*FIGURES, "breakdown.*", "previous.*"], "")


def _unknown(name: str, known: list[str], prefix: str) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"（是否应为 '{prefix}{close[0]}'？）" if close else ""
    return f"未知的指标 '{prefix}{name}'{hint} / unknown figure"


_CLAIM_KEYS = list(Claim.model_fields)


def load_claims(path: Path | str) -> list[LoadedClaim]:
    """Read a claims file; every problem (YAML syntax, unknown key or figure, a number that is
    not one, a share on a figure that has none) is reported at once with file:line."""
    from ruamel.yaml.comments import CommentedSeq

    from .policy.loader import _plain, position, read_yaml

    src = read_yaml(path, display=str(path))
    tree = src.tree
    if tree is None:
        tree = CommentedSeq()
    if not isinstance(tree, list):
        raise UserError("说法文件应是一个列表（每项一条公布的说法） / a claims file is a YAML list", path=src.path, line=1)
    errors: list[tuple[int, int, str]] = []
    out: list[LoadedClaim] = []
    for i, item in enumerate(_plain(tree)):
        # One claim at a time, so that every claim's problems are reported together.
        try:
            claim = Claim.model_validate(item)
        except ValidationError as e:
            for err in e.errors():
                loc = (i, *err["loc"])
                pos = position(src.path, tree, loc)
                errors.append((pos.line, pos.col, _explain(dict(err), loc)))
            continue
        pos = position(src.path, tree, (i,))
        line, col = pos.line, pos.col

        def at(key: str) -> tuple[int, int]:
            p = position(src.path, tree, (i, key))  # noqa: B023 - called within the iteration
            return p.line, p.col

        resolved = _resolve_figure(claim.figure)
        if isinstance(resolved, str):
            errors.append((*at("figure"), resolved))
            continue
        kind, key, column = resolved
        fkind, has_share, signed = _figure_kind(kind, key)
        stated: dict[str, Stated | None] = {"share": None, "count": None, "mean": None}
        for name, parse in (("share", parse_share), ("count", functools.partial(parse_count, signed=signed)), ("mean", parse_mean)):
            v = getattr(claim, name)
            if v is None:
                continue
            try:
                stated[name] = parse(v)  # type: ignore[operator]
            except ValueError as e:
                errors.append((*at(name), str(e)))
        if fkind == "mean" and claim.mean is None:
            errors.append((*at("figure"), f"'{claim.figure}' 是平均数，应写 mean / '{claim.figure}' is a mean: state `mean`"))
        if fkind == "count" and claim.mean is not None:
            errors.append((*at("mean"), f"'{claim.figure}' 是人数，应写 count 或 share / '{claim.figure}' is a count: state `count` or `share`"))
        if claim.share is not None and not has_share:
            errors.append((*at("share"), f"'{claim.figure}' 没有比例，只能写 {'mean' if fkind == 'mean' else 'count'} / '{claim.figure}' has no share"))
        lc = LoadedClaim(
            claim=claim, path=src.path, line=line, column=col, figure=claim.figure.strip(), kind=kind, key=key,  # type: ignore[arg-type]
            share=stated["share"], count=stated["count"], mean=stated["mean"], breakdown_column=column,
        )
        if claim.group is not None:
            lc.group_line = at("group")[0]
        out.append(lc)
    if errors:
        errors.sort()
        details = [f"{src.path}:{ln}:{c}: {msg}" for ln, c, msg in dict.fromkeys(errors)]
        first = errors[0]
        raise UserError(
            f"说法文件有 {len(details)} 处错误 / the claims file has {len(details)} error(s)",
            path=src.path, line=first[0], column=first[1], details=details,
        )
    return out


def _explain(err: dict[str, Any], loc: tuple[Any, ...]) -> str:
    typ = err.get("type", "")
    last = loc[-1] if loc else ""
    if typ == "extra_forbidden":
        allowed = list(ClaimGroup.model_fields) if "group" in loc else _CLAIM_KEYS
        close = difflib.get_close_matches(str(last), allowed, n=1)
        hint = f"（是否应为 '{close[0]}'？）" if close else ""
        return f"未知的键 '{last}'{hint}，可用：{'、'.join(allowed)} / unknown key '{last}'"
    if typ == "missing":
        return f"缺少必填的键 '{last}' / missing required key '{last}'"
    if typ in ("list_type", "model_type", "dict_type"):
        return "每条说法应是一个映射（text、figure、share/count/mean、group） / each claim is a mapping"
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    where = ".".join(str(p) for p in loc if not isinstance(p, int))
    return f"{where + ': ' if where else ''}{msg}"


# -- checking -------------------------------------------------------------------------------


def round_half_up(x: Fraction, places: int) -> Decimal:
    """Round an exact value half-up on its magnitude (−2.55 -> −2.6, 2.45 -> 2.5)."""
    scaled = abs(x) * (10**places)
    q = math.floor(scaled + Fraction(1, 2))
    d = Decimal(q).scaleb(-places)
    return -d if x < 0 and q else d


def _fmt_decimal(d: Decimal, places: int) -> str:
    return f"{d:.{places}f}"


def stated_agrees(value: Fraction | None, stated: Stated) -> tuple[bool, str]:
    """Whether an exact value, rounded as the statement was written, equals it; and the value
    so written."""
    if value is None:
        return False, "—"
    x = value * 100 if stated.percent else value
    r = round_half_up(x, stated.decimals)
    text = _fmt_decimal(r, stated.decimals) + ("%" if stated.percent else "")
    return r == stated.value, text


def _find_group(lc: LoadedClaim, result: StatsResult) -> GroupStats:
    g = lc.claim.group
    level = lc.level
    if g is None:
        return result.all_groups[("roster", ())]
    candidates = [
        gs for (lv, _), gs in result.all_groups.items()
        if lv == level
        and (g.district is None or gs.district == g.district)
        and (g.township is None or gs.township == g.township)
        and (g.unit is None or gs.unit == g.unit)
    ]
    line = lc.group_line
    if not candidates:
        names = [gs.path for (lv, _), gs in result.all_groups.items() if lv == level]
        close = difflib.get_close_matches(lc.group_label, names, n=3)
        raise lc.error(
            f"名单中没有{LEVEL_ZH[level]}“{lc.group_label}” / no such group in the roster",
            hint=("相近的：" + "、".join(close)) if close else (("名单中的：" + "、".join(names[:12])) if names else None),
            line=line,
        )
    if len(candidates) > 1:
        where = "、".join(c.path for c in candidates)
        upper = "district" if level == "township" else "township"
        raise lc.error(
            f"“{lc.group_label}”不止一个（{where}），请在 group 中加上 {upper} / ambiguous group: add its {upper}",
            line=line,
        )
    return candidates[0]


def _exact_text(value: Fraction | int | None, fig: Figure | None = None) -> str:
    """The computed figure in full: `33/51 = 64.706%` for a share, four decimals for a mean."""
    if value is None:
        return "—"
    if fig is not None and fig.kind == "count" and fig.share is not None and fig.denominator:
        return f"{fig.count}/{fig.denominator} = {float(fig.share) * 100:.3f}%"
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{float(value):.4f}"
    return str(value)


def check_claim(lc: LoadedClaim, result: StatsResult) -> ClaimResult:
    group = _find_group(lc, result)
    fig: Figure | None = None
    mean_value: Fraction | None = None
    count_value: int | None = None
    if lc.kind == "figure":
        fig = group.figures[lc.key]
    elif lc.kind == "breakdown":
        col = group.breakdown.get(lc.breakdown_display) or {}
        fig = col.get(lc.key) or Figure(lc.key, count=0, of="members", denominator=group.figures["members"].count)
    elif lc.kind == "previous":
        assert group.previous is not None
        fig = group.previous.figures[lc.key]
    elif lc.kind == "turnover":
        assert group.previous is not None
        count_value = group.previous.turnover(lc.key)
    else:  # change
        assert group.previous is not None
        ch = group.previous.changes[lc.key]
        if CHANGES[lc.key] == "mean":
            mean_value = ch if isinstance(ch, Fraction) or ch is None else Fraction(ch)
        else:
            count_value = int(ch or 0)
    if fig is not None:
        if fig.kind == "mean":
            mean_value = fig.mean
        else:
            count_value = fig.count
    checks: list[bool] = []
    texts: list[str] = []
    computed: dict[str, Any] = {}
    if lc.count is not None:
        ok = count_value is not None and Decimal(count_value) == lc.count.value
        checks.append(ok)
        texts.append("—" if count_value is None else str(count_value))
        computed["count"] = count_value
    if lc.share is not None:
        share = fig.share if fig is not None else None
        ok, text = stated_agrees(share, lc.share)
        checks.append(ok)
        texts.append(text)
        computed["share"] = None if share is None else float(share)
    if lc.mean is not None:
        ok, text = stated_agrees(mean_value, lc.mean)
        checks.append(ok)
        texts.append(text)
        computed["mean"] = None if mean_value is None else float(mean_value)
    value: Any = next(iter(computed.values())) if len(computed) == 1 else computed
    if lc.mean is not None:
        exact = _exact_text(mean_value)
    elif fig is not None and lc.share is not None:
        exact = _exact_text(fig.count, fig)
    else:
        exact = "—" if count_value is None else str(count_value)
    return ClaimResult(lc, value, ", ".join(texts), exact, all(checks))


# --------------------------------------------------------------------------------------------
# Display helpers shared by the reporters


def pct(share: Fraction | float | None, places: int = 1) -> str:
    """A share as a percentage with one decimal, rounded half-up: 45.6%."""
    if share is None:
        return "—"
    x = share if isinstance(share, Fraction) else Fraction(share)
    return _fmt_decimal(round_half_up(x * 100, places), places) + "%"


def one_decimal(x: Fraction | float | None) -> str:
    if x is None:
        return "—"
    v = x if isinstance(x, Fraction) else Fraction(x)
    return _fmt_decimal(round_half_up(v, 1), 1)


def arrow(change: Fraction | int | None, unit: str = "") -> str:
    """`↓2.6岁`, `↑15人`, `→0人`: the change against the previous term (means to one decimal)."""
    if change is None:
        return "—"
    if isinstance(change, Fraction):
        r = round_half_up(change, 1)
        text, zero = f"{abs(r):.1f}", r == 0
    else:
        text, zero = str(abs(change)), change == 0
    if zero:
        return f"→{text}{unit}"
    return f"{'↑' if change > 0 else '↓'}{text}{unit}"
