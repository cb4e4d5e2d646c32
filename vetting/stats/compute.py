"""The figures computed from rosters: rows -> one row per (group, person) -> one row per group."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import polars as pl

from ..derive import YOUTH_MAX_AGE, full_years_expr, with_derived, young_expr
from ..errors import UserError
from ..roster.headers import normalize_header
from ..roster.load import Roster
from .claims import LoadedClaim, check_claim
from .figures import (
    BACHELOR,
    BLANK_VALUE,
    BY_CHOICES,
    CHANGES,
    COLLEGE,
    DEFAULT_OVER_AGE_CAP,
    FIGURES,
    LEVEL_KEYS,
    LEVELS,
    POSTGRADUATE,
    Figure,
    GroupStats,
    InputInfo,
    Previous,
    StatsResult,
)

# --------------------------------------------------------------------------------------------
# Computation


def young_label(text: str, youth_max_age: int) -> str:
    """A figure's label at the policy's youth bound: `35岁以下` reads `40岁以下` when the
    policy's youth_max_age is 40 (the figure keys keep the national name)."""
    return text if youth_max_age == YOUTH_MAX_AGE else text.replace(f"{YOUTH_MAX_AGE}岁", f"{youth_max_age}岁")


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
        return pl.col(raw).cast(pl.String).str.strip_chars()
    return pl.col(col).cast(pl.String)


def _rows(
    roster: Roster,
    as_of: dt.date,
    *,
    breakdown: dict[str, str],
    over_age: tuple[dt.date, int] | None = None,
    youth_max_age: int = YOUTH_MAX_AGE,
    unit_dates: Mapping[tuple[str | None, str | None, str], dt.date] | None = None,
) -> pl.DataFrame:
    """One row per roster row with what the figures need, as plain columns (ages at `as_of`,
    or at the unit's own election date for the units in `unit_dates`)."""
    f = roster.frame
    if f.height == 0:
        return pl.DataFrame()
    d = with_derived(f, as_of, None, unit_dates)
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
        young_expr(youth_max_age).alias("young"),
        c("education:level").alias("edu"),
        pl.when(c("ethnicity").is_null()).then(None).otherwise(c("ethnicity") != "汉族").alias("minority"),
        c("is_cpc_member").alias("party_member"),
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


_ANY = ("member", "party", "committee", "supervisor", "secretary", "deputy", "director")
_MAX = ("woman", "age", "young", "edu", "minority", "party_member", "new")


def _people(rows: pl.DataFrame, keys: Sequence[str], extra: Sequence[str] = ()) -> pl.DataFrame:
    """One row per (group, person): what the person is anywhere in the group (rows in no
    particular order). Most people are on one row of their group: those rows are taken as they
    are (what the aggregation gives for one row), only the others are aggregated."""
    c = pl.col
    group = [*keys, "person"]
    twice = rows.select(pl.struct(group).is_duplicated()).to_series()
    once = rows.filter(~twice).select(
        *group, c("_i").alias("_first"),
        *[c(k).fill_null(False) for k in _ANY],  # (`any` of one null is False)
        *_MAX, *extra,
    )
    return pl.concat([once, _aggregate_people(rows.filter(twice), keys, extra)])


def _aggregate_people(rows: pl.DataFrame, keys: Sequence[str], extra: Sequence[str] = ()) -> pl.DataFrame:
    c = pl.col
    aggs = [
        c("_i").min().alias("_first"),
        *[c(k).any() for k in _ANY],
        *[c(k).max() for k in _MAX],
    ]
    for e in extra:
        if e.startswith("b:"):
            aggs.append(c(e).drop_nulls().first())
        else:
            aggs.append(c(e).max())
    return rows.group_by([*keys, "person"]).agg(aggs)


UNIT_COLUMNS = ["district", "township", "unit"]


def _units(rows: pl.DataFrame) -> pl.DataFrame:
    """The distinct units (district, township, unit) of the rows with a unit, once for every
    level (and `_all`, the roster level's key)."""
    return (
        rows.filter(pl.col("unit").is_not_null()).select(UNIT_COLUMNS).unique()
        .with_columns(pl.lit(0, dtype=pl.Int8).alias("_all"))
    )


def _group_figures(rows: pl.DataFrame, people: pl.DataFrame, keys: Sequence[str], units: pl.DataFrame) -> pl.DataFrame:
    """One row per group: the counts, and the sums and numbers of ages for the means; `units`:
    the roster's distinct units (`_units`), counted per group."""
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
    counts = units.group_by(list(keys)).agg(pl.len().cast(pl.Int64).alias("units"))
    out = out.join(counts, on=list(keys), how="left", nulls_equal=True).with_columns(c("units").fill_null(0))
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
    units = _units(rows)
    for level in levels:
        keys = _keys_of(level)
        p = _people(rows, keys, [*b_cols, *extra])
        people[level] = p
        frames[level] = _group_figures(rows, p, keys, units)
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
    youth_max_age: int = YOUTH_MAX_AGE,
    unit_dates: Mapping[tuple[str | None, str | None, str], dt.date] | None = None,
) -> StatsResult:
    """All figures down to `by` (and to whatever level the claims name), the previous term when
    given, and the claims checked. "Young" (`age_35_or_under`, named for the national bound) is
    at most `youth_max_age`, the policy's parameter."""
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

    rows = _rows(roster, as_of, breakdown=columns, youth_max_age=youth_max_age, unit_dates=unit_dates)
    result = StatsResult(
        as_of=as_of, policy=policy, levels=[], groups=[], inputs=_inputs(roster),
        breakdown_columns=shown_breakdown, over_age_cap=over_age_cap, notes=notes,
        claims_path=claims_path, youth_max_age=youth_max_age,
        unit_dates=sorted(dict(unit_dates or {}).items(), key=lambda x: (x[1], tuple(p or "" for p in x[0]))),
    )
    if rows.height == 0:
        rows = _empty_rows(list(columns))
    levels = [lv for lv in computed_levels if _level_present(rows, lv)]
    cur = _compute(rows, levels, list(columns))

    prev: _Computed | None = None
    if previous is not None:
        result.previous_as_of = prev_at
        result.previous_inputs = _inputs(previous)
        prows = _rows(previous, prev_at, breakdown={}, over_age=(as_of, over_age_cap), youth_max_age=youth_max_age)
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
