"""Derived columns every policy may use, computed once per lint run at the reference date.

Ages are full years (周岁) at `as_of`. A birth date known only to the month or year gives a
range: `age:min` (from the last possible birthday) and `age:max` (from the first). A rule on
age fires only when both ends agree; otherwise it is undecided (DQ010).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from .roster.columns import FieldSpec

# Derived fields: usable in policies like columns, computed here, never read from files.
DERIVED_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(key="age", header="年龄", type="number", title_en="age",
              description="at as_of, in full years (周岁); a range when the birth date is imprecise"),
    FieldSpec(key="party_years", header="党龄", type="number", title_en="years of Party membership",
              description="full years from 入党时间 to as_of"),
    FieldSpec(key="is_party_member", header="中共党员", type="flag", title_en="full Party member",
              description="政治面貌 is 中共党员 (预备党员 excluded)"),
    FieldSpec(key="is_secretary", header="书记", type="flag", title_en="Party secretary"),
    FieldSpec(key="is_deputy_secretary", header="副书记", type="flag", title_en="deputy Party secretary"),
    FieldSpec(key="is_director", header="主任", type="flag", title_en="committee director"),
    FieldSpec(key="one_shoulder", header="一肩挑", type="flag", title_en="secretary and director",
              description="书记 who is also 村(居)委会主任"),
    FieldSpec(key="cross_appointed", header="交叉任职", type="flag", title_en="cross-appointed",
              description="holds both a Party post and a 村(居)委会 post"),
    FieldSpec(key="is_new", header="新进", type="flag", title_en="new (not incumbent)",
              description="是否现任 = 否; blank is unknown"),
    FieldSpec(key="on_party_committee", header="党组织成员", type="flag", title_en="on the Party committee"),
    FieldSpec(key="on_committee", header="村(居)委会成员", type="flag", title_en="on the villagers'/residents' committee"),
    FieldSpec(key="is_member", header="两委成员", type="flag", title_en="两委 member",
              description="a Party post or a 村(居)委会 post"),
    FieldSpec(key="is_supervisor", header="监委会成员", type="flag", title_en="supervisory committee member"),
    FieldSpec(key="is_woman", header="女性", type="flag", title_en="woman"),
)
DERIVED_BY_KEY = {f.key: f for f in DERIVED_FIELDS}
# Derived values whose answer may be unknown (null) rather than false.
UNCERTAIN_DERIVED = {"age", "party_years", "is_new", "is_woman", "is_party_member"}


def full_years_expr(start: pl.Expr, as_of: date) -> pl.Expr:
    """Full years from `start` to `as_of`; a birthday on as_of counts, 29 Feb is reached on 1 Mar."""
    before = (start.dt.month() > as_of.month) | (
        (start.dt.month() == as_of.month) & (start.dt.day() > as_of.day)
    )
    return (pl.lit(as_of.year) - start.dt.year() - before.cast(pl.Int32)).cast(pl.Int32)


def with_derived(frame: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Add the derived columns for `as_of` (see DERIVED_FIELDS)."""
    c = pl.col
    party = c("party_post").is_not_null()
    committee = c("committee_post").is_not_null()
    frame = frame.with_columns(
        full_years_expr(c("birth_date:hi"), as_of).alias("age:min"),
        full_years_expr(c("birth_date"), as_of).alias("age:max"),
        full_years_expr(c("party_join_date:hi"), as_of).alias("party_years:min"),
        full_years_expr(c("party_join_date"), as_of).alias("party_years:max"),
        pl.when(c("political_status").is_null()).then(None)
        .otherwise(c("political_status") == "中共党员").alias("is_party_member"),
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
