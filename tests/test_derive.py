"""The derived values as production computes them (`derive.full_years_expr`, `with_derived`)
and the unit types the reader infers: ages in full years (周岁) with 29 February, ranges from
month- and year-only birth dates, and 村/社区 from a unit's name."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vetting.derive import full_years_expr
from vetting.roster.load import load_roster
from vetting.roster.values import DateValue, parse_date
from vetting.testing import make_id


def full_years(birth: date, as_of: date) -> int:
    """The expression's value for one date."""
    frame = pl.DataFrame({"d": [birth]}, schema={"d": pl.Date})
    return frame.select(full_years_expr(pl.col("d"), as_of)).item()


def reference_age(birth: date, as_of: date) -> int:
    """Count birthdays: the n-th is on the same day n years later, 29 February on 1 March."""
    def birthday(year: int) -> date:
        try:
            return birth.replace(year=year)
        except ValueError:  # 29 February in a common year
            return date(year, 3, 1)

    return as_of.year - birth.year - (1 if as_of < birthday(as_of.year) else 0)


@pytest.mark.parametrize(
    ("birth", "as_of", "age"),
    [
        (date(2003, 1, 10), date(2021, 1, 10), 18),  # the birthday itself counts
        (date(2003, 1, 10), date(2021, 1, 9), 17),
        (date(2000, 2, 29), date(2021, 2, 28), 20),  # 29 February is reached on 1 March
        (date(2000, 2, 29), date(2021, 3, 1), 21),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
        (date(2000, 2, 29), date(2024, 2, 28), 23),
        (date(1985, 12, 31), date(2021, 12, 30), 35),
        (date(1985, 12, 31), date(2021, 12, 31), 36),
        (date(2021, 5, 1), date(2021, 4, 30), -1),
    ],
)
def test_full_years(birth: date, as_of: date, age: int) -> None:
    assert full_years(birth, as_of) == age


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_full_years_counts_birthdays(birth: date, as_of: date) -> None:
    assert full_years(birth, as_of) == reference_age(birth, as_of)


def test_full_years_of_a_column_with_blanks() -> None:
    frame = pl.DataFrame({"d": [date(2000, 2, 29), None, date(1960, 1, 10)]})
    assert frame.select(full_years_expr(pl.col("d"), date(2021, 1, 10))).to_series().to_list() == [20, None, 61]


@given(st.integers(1900, 2090), st.integers(1, 12),
       st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_age_range_of_a_month_is_every_day_of_it(year: int, month: int, as_of: date) -> None:
    """`age:min` from the month's last day and `age:max` from its first (as `with_derived`)."""
    birth = DateValue.of_month(year, month)
    lo, hi = full_years(birth.hi, as_of), full_years(birth.lo, as_of)
    days = [birth.lo + timedelta(days=i) for i in range((birth.hi - birth.lo).days + 1)]
    ages = {reference_age(d, as_of) for d in days}
    assert (lo, hi) == (min(ages), max(ages))
    assert lo == hi if as_of.month != month else hi - lo in (0, 1)


def _roster(tmp_path: Path, rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    """A CSV roster with (unit, unit type, birth date) per person, read as production reads it."""
    path = tmp_path / "r.csv"
    lines = ["姓名,身份证号,乡镇(街道),村(社区),类型,拟任党组织职务,出生日期"]
    for i, (unit, typ, birth) in enumerate(rows, start=1):
        lines.append(f"人{i},{make_id(dt.date(1970, 1, 1), i, False)},某镇,{unit},{typ},委员,{birth}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_roster([path]).frame


def test_age_ranges_through_the_reader_and_with_derived(tmp_path: Path) -> None:
    from vetting.derive import with_derived

    births = ["1985.03", "1985", "1985-03-08"]
    frame = _roster(tmp_path, [("甲村", "", b) for b in births])
    # the ID numbers give another birth date: blank them so that the written dates count
    frame = frame.with_columns(
        birth_date=pl.Series([parse_date(b).lo for b in births]),  # type: ignore[union-attr]
        **{"birth_date:hi": pl.Series([parse_date(b).hi for b in births])},  # type: ignore[union-attr]
    )
    got = with_derived(frame, date(2021, 3, 15)).select("age:min", "age:max", "age").rows()
    assert got == [(35, 36, None), (35, 36, None), (36, 36, 36)]


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("侯寨村", "村"),
        ("大学路社区", "社区"),
        ("建设路居委会", "社区"),
        ("某某村委会", "村"),
        ("某某村民委员会", "村"),
        ("某某居民委员会", "社区"),
        ("某某街道", None),
    ],
)
def test_unit_type_inferred_from_the_name(tmp_path: Path, unit: str, expected: str | None) -> None:
    frame = _roster(tmp_path, [(unit, "", "1970-01-01")])
    assert frame["unit_type"].to_list() == [expected]


def test_unit_type_column_wins_over_the_name(tmp_path: Path) -> None:
    frame = _roster(tmp_path, [("侯寨村", "社区", "1970-01-01")])
    assert frame["unit_type"].to_list() == ["社区"]


def test_full_years_in_integer_arithmetic_agree_with_the_calendar() -> None:
    # Full years counted from day numbers (no year/month/day of each value) agree with the
    # calendar's reading for any day of years 1-9999, leap days included, against a fixed
    # reference date and against a column of them.
    import random

    def by_calendar(start: date | None, at: date | None) -> int | None:
        if start is None or at is None:
            return None
        return at.year - start.year - int((start.month, start.day) > (at.month, at.day))

    rnd = random.Random(5)
    starts: list[date | None] = [date(1, 1, 1) + timedelta(days=rnd.randrange(3652059)) for _ in range(20_000)]
    starts += [date(2000, 2, 29), date(1900, 2, 28), date(1900, 3, 1), date(1969, 12, 31), date(1970, 1, 1), None]
    frame = pl.DataFrame({"s": pl.Series(starts, dtype=pl.Date)})
    for at in (date(2021, 1, 10), date(2024, 2, 29), date(2023, 2, 28), date(2023, 3, 1), date(1, 1, 1), date(9999, 12, 31)):
        got = frame.select(full_years_expr(pl.col("s"), at)).to_series()
        assert got.dtype == pl.Int32 and got.to_list() == [by_calendar(s, at) for s in starts]
    ats = [date(1, 1, 1) + timedelta(days=rnd.randrange(3652059)) for _ in starts]
    got = frame.with_columns(a=pl.Series(ats, dtype=pl.Date)).select(full_years_expr(pl.col("s"), pl.col("a"))).to_series()
    assert got.to_list() == [by_calendar(s, a) for s, a in zip(starts, ats, strict=True)]
