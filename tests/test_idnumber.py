"""Tests for vetting.roster.idnumber (GB 11643-1999 ID numbers)."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vetting.roster.idnumber import (
    WEIGHTS,
    IdResult,
    analyze_id,
    check_char,
    id_birth_gender,
    id_fast,
    id_fast_ok,
    mask_id,
)

TODAY = date(2024, 6, 1)
CANONICAL = re.compile(r"^[0-9]{17}[0-9X]$")


def build(region: str, birth: date, seq: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


def build15(region: str, birth: date, seq: int) -> str:
    return f"{region}{birth:%y%m%d}{seq:03d}"


regions = st.integers(110000, 829999).map(str)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(0, 999)


# --- check character -------------------------------------------------------------------------


def test_weights_are_the_standard_ones() -> None:
    assert WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    # 2^(17-i) mod 11, as ISO 7064 MOD 11-2 defines them
    assert tuple(pow(2, 17 - i, 11) for i in range(17)) == WEIGHTS


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),  # the example of GB 11643-1999
        ("44052418800101001", "4"),  # the other example of the standard
        ("00000000000000000", "1"),
        ("11010119900307001", "1"),  # weighted sum 154 = 14 * 11
        ("41010319850308123", "4"),
    ],
)
def test_check_char(first17: str, expected: str) -> None:
    assert check_char(first17) == expected


@pytest.mark.parametrize("bad", ["", "1234", "1101051949123100X", "110105194912310021", "１１"])
def test_check_char_rejects_non_17_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_char(bad)


# --- analyze_id: table ------------------------------------------------------------------------

VALID = "11010519491231002X"  # the standard's example: born 1949-12-31, sequence 002 (女)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        (VALID, VALID),
        ("11010519491231002x", VALID),
        ("  11010519491231002X\u3000", VALID),
        ("１１０１０５１９４９１２３１００２Ｘ", VALID),
        ("１１０１０５１９４９１２３１００２ｘ", VALID),
        ("'11010519491231002X", VALID),
        ("110105 19491231 002X", VALID),
        ("\t11010519491231002X", VALID),
    ],
)
def test_ok_and_normalised(raw: str, normalized: str) -> None:
    r = analyze_id(raw, today=TODAY)
    assert r == IdResult("ok", normalized=normalized, birth=date(1949, 12, 31), gender="女")
    assert r.usable


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "/", "-", "—", "——", "－"])
def test_blank(raw: str | None) -> None:
    r = analyze_id(raw)
    assert r.status == "blank"
    assert r.normalized is None and r.problem is None and not r.usable


def test_legacy_15_digits() -> None:
    r = analyze_id("110105491231002", today=TODAY)
    assert r.status == "legacy"
    assert r.normalized == VALID
    assert r.birth == date(1949, 12, 31)
    assert r.gender == "女"
    assert r.problem is None
    assert "15" in (r.message_zh or "") and "18" in (r.message_en or "")


def test_legacy_gender_from_last_digit() -> None:
    assert analyze_id("410103850308123", today=TODAY).gender == "男"
    assert analyze_id("410103850308124", today=TODAY).gender == "女"


def test_numeric_15_digit_cell_is_exact_legacy() -> None:
    r = analyze_id("110105491231002", numeric_cell=True, today=TODAY)
    assert (r.status, r.normalized) == ("legacy", VALID)
    r = analyze_id("110105491231002.0", today=TODAY)
    assert (r.status, r.normalized) == ("legacy", VALID)


@pytest.mark.parametrize(
    ("raw", "numeric_cell"),
    [
        ("4.10103E+17", False),
        ("4.10103e17", False),
        ("4.10103E17", False),
        ("4.1010319850308E+17", False),
        ("１．１０１０５Ｅ＋１７", False),
        ("110105194912310000", False),  # Excel kept 15 significant digits, check char fails
        ("410103198503081000", False),
        ("110105194912310000.0", False),
        ("110105194912310021.0", False),  # a float rendering of 18 digits
        (VALID[:17] + "0", True),
        ("110105194912310021", True),  # an 18-digit number cell: digits beyond 15 are lost
        ("1101051949123100", True),
    ],
)
def test_damaged_by_excel(raw: str, numeric_cell: bool) -> None:
    r = analyze_id(raw, numeric_cell=numeric_cell, today=TODAY)
    assert r.status == "damaged"
    assert r.problem == "excel_number"
    assert r.normalized is None and r.birth is None and r.gender is None
    assert "Excel" in (r.message_zh or "") and "Excel" in (r.message_en or "")
    assert "文本" in (r.message_zh or "") and "text" in (r.message_en or "")


def test_trailing_000_with_valid_check_char_is_ok() -> None:
    # 1 in 11 numbers ending in 000 really are valid: nothing to say about them.
    first17 = next(
        f"{region}19850308{d}00"
        for region in range(410100, 410200)
        for d in range(10)
        if check_char(f"{region}19850308{d}00") == "0"
    )
    r = analyze_id(first17 + "0", today=TODAY)
    assert (r.status, r.normalized) == ("ok", first17 + "0")


@pytest.mark.parametrize(
    ("raw", "problem", "zh", "en"),
    [
        ("11010519491231002", "length", "17位", "17 characters"),
        ("1101051949123100212", "length", "19位", "19 characters"),
        ("1234", "length", "4位", "4 characters"),
        ("11010519491231002Y", "chars", "“Y”", "'Y'"),
        ("张三", "chars", "“三”", "'张'"),
        ("1101051949123100２X", "ok", None, None),  # full-width is fine
        ("110105X9491231002X", "chars", "末位", "last"),
        ("11010549123100X", "chars", "末位", "last"),
        ("110105194912310021", "check_char", "校验位应为X，实为1", "should be X, found 1"),
    ],
)
def test_malformed(raw: str, problem: str, zh: str | None, en: str | None) -> None:
    r = analyze_id(raw, today=TODAY)
    if problem == "ok":
        assert r.status == "ok"
        return
    assert r.status == "malformed"
    assert r.problem == problem
    assert r.normalized is None
    assert zh is not None and zh in (r.message_zh or "")
    assert en is not None and en in (r.message_en or "")


def _with_birth(digits8: str, seq: str = "002") -> str:
    first17 = f"110105{digits8}{seq}"
    return first17 + check_char(first17)


@pytest.mark.parametrize(
    "digits8",
    ["19850230", "19851301", "19850000", "18991231", "20240602", "29990101", "00000101"],
)
def test_bad_birth_date(digits8: str) -> None:
    r = analyze_id(_with_birth(digits8), today=TODAY)
    assert (r.status, r.problem) == ("malformed", "birth_date")
    assert digits8 in (r.message_zh or "") and digits8 in (r.message_en or "")


def test_birth_today_is_fine_and_15_digit_bad_date() -> None:
    assert analyze_id(_with_birth("20240601"), today=TODAY).status == "ok"
    r = analyze_id("110105850230002", today=TODAY)
    assert (r.status, r.problem) == ("malformed", "birth_date")


def test_messages_do_not_reveal_the_full_number() -> None:
    r = analyze_id("110105194912310021", today=TODAY)
    assert "110105194912310021" not in (r.message_zh or "")
    assert "110105********0021" in (r.message_zh or "")


# --- mask_id ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("41010319850308123X", "410103********123X"),
        ("110105491231002", "110**********02"),
        ("1234", "1**4"),
        ("12345", "1***5"),
        ("123456", "12***6"),
        ("1234567890", "123*****90"),
        ("12", "1*"),
        ("1", "*"),
        ("", ""),
    ],
)
def test_mask_id(value: str, masked: str) -> None:
    assert mask_id(value) == masked
    assert len(mask_id(value)) == len(value)


@given(st.text(alphabet="0123456789X", max_size=30))
def test_mask_never_reveals_more_than_half_except_18(value: str) -> None:
    masked = mask_id(value)
    visible = sum(c != "*" for c in masked)
    assert len(masked) == len(value)
    if len(value) == 18:
        assert masked == value[:6] + "*" * 8 + value[-4:]
    else:
        assert visible <= len(value) // 2
        assert visible <= 5


# --- properties -------------------------------------------------------------------------------


@given(regions, births, sequences)
def test_built_id_round_trips(region: str, birth: date, seq: int) -> None:
    number = build(region, birth, seq)
    r = analyze_id(number, today=TODAY)
    assert r.status == "ok"
    assert r.normalized == number
    assert r.birth == birth
    assert r.gender == ("男" if seq % 2 else "女")
    assert analyze_id(number.lower(), today=TODAY).normalized == number


@given(regions, births, sequences, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_breaks_the_check_char(
    region: str, birth: date, seq: int, pos: int, delta: int
) -> None:
    number = build(region, birth, seq)
    digit = str((int(number[pos]) + delta) % 10)
    changed = number[:pos] + digit + number[pos + 1 :]
    r = analyze_id(changed, today=TODAY)
    assert r.status != "ok"
    if changed.endswith("000"):
        assert (r.status, r.problem) == ("damaged", "excel_number")
    else:
        assert (r.status, r.problem) == ("malformed", "check_char")


@given(regions, births, sequences, st.sampled_from("0123456789X"))
def test_any_other_check_char_is_wrong(region: str, birth: date, seq: int, c: str) -> None:
    number = build(region, birth, seq)
    assume(c != number[-1])
    assert analyze_id(number[:17] + c, today=TODAY).status != "ok"


@given(regions, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), sequences)
def test_15_digit_conversion_equals_18_digit(region: str, birth: date, seq: int) -> None:
    r = analyze_id(build15(region, birth, seq), today=TODAY)
    assert r.status == "legacy"
    assert r.normalized == build(region, birth, seq)
    assert r.birth == birth
    assert r.gender == ("男" if seq % 2 else "女")


def _mutations(number: str) -> st.SearchStrategy[str | None]:
    return st.sampled_from(
        [
            number,
            number[:17] + ("0" if number[17] != "0" else "1"),  # wrong check char
            number[:15] + "000",  # as Excel rounds it
            number.lower(),
            " " + number,
            number[:17],
            number + "1",
            number[2:],  # 16 chars
            number[:6] + "20991231" + number[14:],
            number.replace("1", "I"),
            None,
            "",
        ]
    )


ids_or_junk = st.one_of(
    st.builds(build, regions, births, sequences).flatmap(_mutations),
    st.builds(
        build,
        regions,
        st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)),
        sequences,
    ),
    st.text(alphabet="0123456789X", min_size=18, max_size=18),
    st.text(max_size=20),
)


@settings(max_examples=60)
@given(st.lists(ids_or_junk, min_size=1, max_size=80))
def test_fast_path_agrees_with_analyze_id(values: list[str | None]) -> None:
    fast = id_fast_ok(pl.Series("id", values, dtype=pl.String), today=TODAY).to_list()
    assert len(fast) == len(values)
    for value, ok in zip(values, fast, strict=True):
        slow = analyze_id(value, today=TODAY).status == "ok"
        if value is not None and CANONICAL.match(value):
            assert ok == slow, value
        else:
            # non-canonical spellings (x, spaces, full-width) are left to analyze_id
            assert ok is False, value


# --- vectorised paths -------------------------------------------------------------------------


def test_fast_path_examples() -> None:
    s = pl.Series(
        "id_number",
        [
            VALID,
            "11010519491231002x",
            "110105194912310021",
            _with_birth("19850230"),
            _with_birth("20991231"),
            _with_birth("18991231"),
            "110105491231002",
            None,
            "",
            "11010519491231002Ｘ",
        ],
    )
    out = id_fast_ok(s, today=TODAY)
    assert out.name == "id_number"
    assert out.dtype == pl.Boolean
    assert out.to_list() == [True, False, False, False, False, False, False, False, False, False]


def test_fast_path_non_string_column_is_all_false() -> None:
    s = pl.Series("id", [110105491231002, 410103198503081234], dtype=pl.Int64)
    assert id_fast_ok(s).to_list() == [False, False]


def test_id_birth_gender() -> None:
    s = pl.Series([VALID, _with_birth("19850308", "123"), None])
    birth, gender = id_birth_gender(s)
    assert birth.to_list() == [date(1949, 12, 31), date(1985, 3, 8), None]
    assert gender.to_list() == ["女", "男", None]


@given(st.lists(st.tuples(regions, births, sequences), min_size=1, max_size=30))
def test_id_birth_gender_matches_analyze_id(parts: list[tuple[str, date, int]]) -> None:
    numbers = [build(*p) for p in parts]
    birth, gender = id_birth_gender(pl.Series(numbers))
    for n, b, g in zip(numbers, birth.to_list(), gender.to_list(), strict=True):
        r = analyze_id(n, today=TODAY)
        assert (b, g) == (r.birth, r.gender)


def test_fast_path_is_exact_on_a_large_repeated_column() -> None:
    """Correctness at scale (speed is measured in benchmarks/, not here)."""
    base = [
        build(str(110000 + i * 37), date(1950 + i % 60, 1 + i % 12, 1 + i % 28), i % 1000)
        for i in range(1000)
    ]
    base[::7] = [n[:17] + ("0" if n[17] != "0" else "1") for n in base[::7]]
    s = pl.Series("id", base * 100)
    out = id_fast_ok(s, today=TODAY)
    assert out.sum() == 100 * (1000 - len(base[::7]))


@settings(max_examples=60, deadline=None)
@given(st.lists(ids_or_junk, min_size=1, max_size=80))
def test_one_pass_agrees_with_the_two(values: list[str | None]) -> None:
    # as `id_fast_ok`, but a trailing lower-case x reads as X
    s = pl.Series("id", values, dtype=pl.String)
    ok, birth, gender = id_fast(s, today=TODAY)
    upper_x = pl.Series("id", [v[:-1] + "X" if v and v.endswith("x") else v for v in values], dtype=pl.String)
    assert ok.to_list() == id_fast_ok(upper_x, today=TODAY).to_list()
    b2, g2 = id_birth_gender(upper_x)
    keep = ok.to_list()
    for i, value in enumerate(values):
        if keep[i]:
            r = analyze_id(value, today=TODAY)
            assert r.status == "ok"
            assert (birth[i], gender[i]) == (b2[i], g2[i]) == (r.birth, r.gender)


def test_one_pass_reads_a_lower_case_x() -> None:
    number = next(build("410103", date(1985, 3, 8), seq) for seq in range(1000) if build("410103", date(1985, 3, 8), seq).endswith("X"))
    ok, birth, gender = id_fast(pl.Series("id", [number.lower(), number, number[:-1] + "x0"]), today=TODAY)
    assert ok.to_list() == [True, True, False]
    assert birth.to_list()[:2] == [date(1985, 3, 8)] * 2


def test_one_pass_on_a_non_string_column() -> None:
    ok, birth, gender = id_fast(pl.Series("id", [410103198503081234, None], dtype=pl.Int64))
    assert ok.to_list() == [False, False] and birth.dtype == pl.Date and gender.dtype == pl.String


def test_id_fast_check_sum_by_lookup_agrees_with_digit_by_digit(monkeypatch: pytest.MonkeyPatch) -> None:
    # A large roster sums the check digits four at a time from tables; a small one digit by
    # digit: the same verdicts, births and genders, for good and bad numbers alike.
    import random

    from vetting.roster import idnumber

    rnd = random.Random(11)
    ids = [build(f"{rnd.randrange(110000, 659999)}", date(rnd.randrange(1900, 2030), rnd.randrange(1, 13), rnd.randrange(1, 29)),
                 rnd.randrange(0, 999)) for _ in range(3000)]
    ids += ["".join(rnd.choice("0123456789") for _ in range(17)) + rnd.choice("0123456789Xx") for _ in range(3000)]
    ids += ["-12345678901234567", "+1234567890123456X", "１１0105194912310021", "", "12345678901234567", None]
    s = pl.Series(ids, dtype=pl.String)
    small = id_fast(s, today=TODAY)
    monkeypatch.setattr(idnumber, "LOOKUP_ROWS", 0)
    large = id_fast(s, today=TODAY)
    assert 2000 < int(small[0].sum()) < 4000
    for a, b in zip(small, large, strict=True):
        assert a.equals(b)
