"""The date forms read in polars (roster.dates) read as `values.parse_date` reads them; every
other text is left for it."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from vetting.roster import values
from vetting.roster.dates import read_dates


def _python(text: str) -> tuple[object, object, object] | str | None:
    try:
        d = values.parse_date(text)
    except values.ValueParseError:
        return "error"
    return None if d is None else (d.lo, d.hi, d.precision)


def _check(texts: list[str]) -> tuple[int, list[str]]:
    texts = sorted(set(texts))
    fast, rest = read_dates(pl.Series(texts, dtype=pl.String))
    assert sorted(fast["v"].to_list() + rest) == texts  # each text once, one side or the other
    for v, lo, hi, prec in fast.iter_rows():
        assert _python(v) == (lo, hi, prec), v
    return fast.height, rest


YEARS = ["0999", "1000", "1900", "1985", "2000", "2024", "9999"]
MONTHS = ["", "0", "00", "1", "01", "2", "02", "09", "12", "13", "1 "]
DAYS = ["", "0", "00", "1", "01", "28", "29", "30", "31", "32"]


def test_every_form_agrees_with_parse_date_and_impossible_dates_are_left_for_it() -> None:
    texts = []
    for y in YEARS:
        texts += [y, f"{y}年", f"{y}.0", f"{y}.00"]
        for m in MONTHS:
            texts += [f"{y}-{m}", f"{y}/{m}", f"{y}.{m}", f"{y}{m}", f"{y}年{m}月"]
            for d in DAYS:
                texts += [f"{y}-{m}-{d}", f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}{m}{d}",
                          f"{y}年{m}月{d}日", f"{y}年{m}月{d}号", f"{y}年{m}月{d}"]
    read, rest = _check(texts)
    assert read > 1000
    # Impossible dates, a year before 1000, and white space are left for parse_date (which
    # gives their message, or reads the text after cleaning it).
    for odd in ("1985-02-29", "2000-13-01", "0999-01-01", "1985.13", "1985-1 -01", "19851301"):
        assert odd in rest
    assert "2000-02-29" not in rest and "1985.00" not in rest


def test_texts_of_no_common_form_are_left_for_parse_date() -> None:
    texts = [" 1985-03-08", "1985-03-08 00:00:00", "１９８５-03-08", "1985.123", "31000", "31000.5",
             "1985-03/08", "1985-3-8\n", "无", "暂无", "/", "1985年3月8", "85-03-08"]
    read, rest = _check(texts)
    assert read == 1  # 1985年3月8 (a day without 日)
    assert "1985年3月8" not in rest


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789-/.年月日号 ", max_size=12), max_size=40))
def test_any_text_of_digits_and_separators(texts: list[str]) -> None:
    _check([t for t in texts if t])
