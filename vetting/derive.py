"""Derived columns every policy may use, computed once per lint run at the reference date.

Ages are full years (周岁) at `as_of`. A birth date known only to the month or year gives a
range: `age:min` (from the last possible birthday) and `age:max` (from the first). A rule on
age fires only when both ends agree; otherwise it is undecided (DQ010).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl

from .roster.columns import FieldSpec


@dataclass(frozen=True, kw_only=True)
class DerivedSpec(FieldSpec):
    """A derived field: usable in policies like a column, computed here, never read from files.

    `basis` is the column it is computed from (where a finding about it points in the user's
    file, and what an undecided finding names); `ranged` fields carry `KEY:min`/`KEY:max`
    because their basis may be imprecise (a birth date known to the month); `uncertain`
    fields may be unknown (null) rather than false."""

    basis: str
    ranged: bool = False
    uncertain: bool = False


def _d(key: str, header: str, type_: str, en: str, basis: str, description: str | None = None, **kw: bool) -> DerivedSpec:
    return DerivedSpec(key=key, header=header, type=type_, title_en=en, basis=basis, description=description, **kw)  # type: ignore[arg-type]


DERIVED_FIELDS: tuple[DerivedSpec, ...] = (
    _d("age", "年龄", "number", "age", "birth_date",
       "at as_of, in full years (周岁); a range when the birth date is imprecise", ranged=True, uncertain=True),
    _d("party_years", "党龄", "number", "years of Party membership", "party_join_date",
       "full years from 入党时间 to as_of", ranged=True, uncertain=True),
    _d("is_party_member", "中共党员", "flag", "full Party member", "political_status",
       "政治面貌 is 中共党员 (预备党员 excluded)", uncertain=True),
    _d("is_cpc_member", "中共党员（含预备党员）", "flag", "Party member (full or probationary)", "political_status",
       "政治面貌 is 中共党员 or 中共预备党员", uncertain=True),
    _d("is_secretary", "书记", "flag", "Party secretary", "party_post"),
    _d("is_deputy_secretary", "副书记", "flag", "deputy Party secretary", "party_post"),
    _d("is_director", "主任", "flag", "committee director", "committee_post"),
    _d("one_shoulder", "一肩挑", "flag", "secretary and director", "committee_post",
       "书记 who is also 村(居)委会主任"),
    _d("cross_appointed", "交叉任职", "flag", "cross-appointed", "committee_post",
       "holds both a Party post and a 村(居)委会 post"),
    _d("is_new", "新进", "flag", "new (not incumbent)", "incumbent", "是否现任 = 否; blank is unknown", uncertain=True),
    _d("on_party_committee", "党组织成员", "flag", "on the Party committee", "party_post"),
    _d("on_committee", "村(居)委会成员", "flag", "on the villagers'/residents' committee", "committee_post"),
    _d("is_member", "两委成员", "flag", "两委 member", "party_post", "a Party post or a 村(居)委会 post"),
    _d("is_supervisor", "监委会成员", "flag", "supervisory committee member", "supervisory_post"),
    _d("is_woman", "女性", "flag", "woman", "gender", uncertain=True),
)
DERIVED_BY_KEY: dict[str, DerivedSpec] = {f.key: f for f in DERIVED_FIELDS}


def basis_of(key: str) -> str:
    """The column a value comes from: a derived field's basis, else the column itself."""
    spec = DERIVED_BY_KEY.get(key)
    return spec.basis if spec is not None else key


def is_ranged(key: str) -> bool:
    """Whether a field has `KEY:min` / `KEY:max` (a derived value from an imprecise date)."""
    spec = DERIVED_BY_KEY.get(key)
    return spec is not None and spec.ranged


# 中共预备党员: a member of the Party on probation. Who counts as a Party member is decided here,
# once: eligibility (党组织职务 needs a 正式党员, EL003) reads `is_party_member`, which leaves
# 预备党员 out; the figures (`stats`: 中共党员; the HTML report) count every member of the Party
# with `is_cpc_member`, 预备党员 included, as the 换届 reports publish it.
PARTY_STATUSES = ("中共党员", "中共预备党员")
YOUTH_MAX_AGE = 35  # the national 年轻成员 bound (policy parameter youth_max_age)


def young_expr(max_age: int) -> pl.Expr:
    """At most `max_age` years old on as_of for certain (a month-only birth date counts when
    even its earliest day gives that age): the one definition of "young" for every figure."""
    return pl.col("age:max") <= max_age


# Each row's reference date, where units are checked at their own election dates (asof.py).
AS_OF_COLUMN = "_as_of"


def _yyyymmdd(d: pl.Expr) -> pl.Expr:
    """A date as the number YYYYMMDD (`_yyyymmdd_of`, a column at a time)."""
    return d.map_batches(_yyyymmdd_of, return_dtype=pl.Int32, is_elementwise=True)


def _yyyymmdd_of(d: pl.Series) -> pl.Series:
    """Dates as numbers YYYYMMDD, in integer arithmetic on their day numbers (H. Hinnant's
    civil_from_days; `//` floors): a dozen vectorised operations instead of polars' year, month
    and day of each value, several times cheaper. (Series, not one expression: an expression
    would repeat each shared step wherever it is used.)"""
    z = d.cast(pl.Int32) + 719468  # days since 0000-03-01 (Int32 holds every step: year 9999 is 99991231)
    era = z // 146097
    doe = z - era * 146097  # day of the 400-year era, 0..146096
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365  # year of the era, 0..399
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)  # day of the year from 1 March, 0..365
    mp = (5 * doy + 2) // 153  # month from March, 0..11
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 - 12 * (mp >= 10).cast(pl.Int32)
    year = yoe + era * 400 + (month <= 2).cast(pl.Int32)
    return (year * 10000 + month * 100 + day).alias(d.name)


def full_years_expr(start: pl.Expr, as_of: date | pl.Expr) -> pl.Expr:
    """Full years from `start` to `as_of` (a date, or a date column: each row's own reference
    date); a birthday on as_of counts, 29 Feb is reached on 1 Mar. (With both as YYYYMMDD, the
    difference's ten-thousands, floored: the years, less one where the month and day of `start`
    come after those of `as_of`.)"""
    end = pl.lit(as_of.year * 10000 + as_of.month * 100 + as_of.day) if isinstance(as_of, date) else _yyyymmdd(as_of)
    return ((end - _yyyymmdd(start)) // 10000).cast(pl.Int32)


def with_as_of(frame: pl.DataFrame, as_of: date, unit_dates: Mapping[tuple[str | None, str | None, str], date]) -> pl.DataFrame:
    """`frame` with AS_OF_COLUMN: the unit's date from `unit_dates` ((district, township,
    unit) -> date), else `as_of`. One small join, not a loop over rows."""
    org = ("district", "township", "unit")
    keys = [k for k in org if k in frame.columns]
    groups = list(unit_dates)
    data: dict[str, pl.Series] = {
        k: pl.Series(k, [g[org.index(k)] for g in groups], dtype=pl.String) for k in keys
    }
    data[AS_OF_COLUMN] = pl.Series(AS_OF_COLUMN, list(unit_dates.values()), dtype=pl.Date)
    out = frame.drop(AS_OF_COLUMN, strict=False)
    out = out.join(pl.DataFrame(data), on=keys, how="left", nulls_equal=True, maintain_order="left")
    return out.with_columns(pl.col(AS_OF_COLUMN).fill_null(pl.lit(as_of)))


def with_derived(
    frame: pl.DataFrame,
    as_of: date,
    units: object = None,
    unit_dates: Mapping[tuple[str | None, str | None, str], date] | None = None,
) -> pl.DataFrame:
    """Add the derived columns for `as_of` (see DERIVED_FIELDS), and the unit-table facts of
    each person's unit (`units`: a `vetting.units.load.UnitTable`; null columns without one).
    `unit_dates`: units checked at their own election date instead of `as_of` (asof.py); with
    any, the frame gets AS_OF_COLUMN and ages are computed per row against it."""
    from .units.roster_facts import with_unit_facts

    frame = with_unit_facts(frame, units)
    ref: date | pl.Expr = as_of
    if unit_dates and frame.height:
        frame = with_as_of(frame, as_of, unit_dates)
        ref = pl.col(AS_OF_COLUMN)
    c = pl.col
    party = c("party_post").is_not_null()
    committee = c("committee_post").is_not_null()
    frame = frame.with_columns(
        full_years_expr(c("birth_date:hi"), ref).alias("age:min"),
        full_years_expr(c("birth_date"), ref).alias("age:max"),
        full_years_expr(c("party_join_date:hi"), ref).alias("party_years:min"),
        full_years_expr(c("party_join_date"), ref).alias("party_years:max"),
        pl.when(c("political_status").is_null()).then(None)
        .otherwise(c("political_status") == "中共党员").alias("is_party_member"),
        pl.when(c("political_status").is_null()).then(None)
        .otherwise(c("political_status").is_in(PARTY_STATUSES)).alias("is_cpc_member"),
        (c("party_post") == "书记").fill_null(False).alias("is_secretary"),
        (c("party_post") == "副书记").fill_null(False).alias("is_deputy_secretary"),
        (c("committee_post") == "主任").fill_null(False).alias("is_director"),
        ((c("party_post") == "书记") & (c("committee_post") == "主任")).fill_null(False).alias("one_shoulder"),
        (party & committee).alias("cross_appointed"),
        (~c("incumbent")).alias("is_new"),
        party.alias("on_party_committee"),
        committee.alias("on_committee"),
        (party | committee).alias("is_member"),
        c("supervisory_post").is_not_null().alias("is_supervisor"),
        pl.when(c("gender").is_null()).then(None).otherwise(c("gender") == "女").alias("is_woman"),
    )
    # The value shown in messages and used by aggregates: exact when both ends agree.
    return frame.with_columns(
        pl.when(c("age:min") == c("age:max")).then(c("age:min")).alias("age"),
        pl.when(c("party_years:min") == c("party_years:max")).then(c("party_years:min")).alias("party_years"),
    )
