"""Citizen ID numbers (公民身份号码, GB 11643-1999).

18 characters: a 6-digit region code, the 8-digit birth date, a 3-digit sequence (odd = male,
even = female) and a check character (ISO 7064 MOD 11-2). 15-digit numbers of the first
generation are converted to 18 digits. A number that Excel stored as a number keeps only 15
significant digits: the tool says so and never guesses the lost digits.

`analyze_id` handles one value; `id_fast` (`id_fast_ok` and `id_birth_gender` in one pass) is
the vectorised path for a whole polars column (the caller sends only the rows it rejects to
`analyze_id`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

import polars as pl

from .._collect import engine_for
from .values import clean, is_blank

WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

IdStatus = Literal["ok", "legacy", "damaged", "malformed", "blank"]
IdProblem = Literal["length", "chars", "birth_date", "check_char", "excel_number"]
Gender = Literal["男", "女"]

_RE_17 = re.compile(r"^[0-9]{17}$")
_RE_CHARS = re.compile(r"^[0-9X]+$")
# Excel's rendering of a number: scientific notation (4.10103E+17) or a float (…1234.0).
_RE_SCIENTIFIC = re.compile(r"^[0-9]+(?:\.[0-9]*)?[eE]\+?[0-9]+$")
_RE_FLOAT = re.compile(r"^([0-9]+)\.0*$")
_EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number
# Characters people put around or inside an ID number that are not part of it: white space,
# and the apostrophe that forces a spreadsheet cell to text.
_RE_NOISE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_QUOTES = "'‘’`"


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if not _RE_17.match(first17):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdResult:
    """What one ID number cell holds; ``normalized`` is set for ``ok`` and ``legacy`` only."""

    status: IdStatus
    normalized: str | None = None
    birth: date | None = None
    gender: Gender | None = None
    problem: IdProblem | None = None
    message_zh: str | None = None
    message_en: str | None = None

    @property
    def usable(self) -> bool:
        """An 18-digit number is known (``ok`` or converted ``legacy``)."""
        return self.normalized is not None


def mask_id(id_number: str) -> str:
    """``410103********123X``: first 6 and last 4 of 18; shorter or longer values keep at most
    the first 3 and last 2 characters visible, and never more than half of them."""
    v = clean(id_number) or ""
    n = len(v)
    if n == 18:
        head, tail = 6, 4
    else:
        budget = n // 2
        tail = min(2, budget // 2)
        head = min(3, budget - tail)
        tail = min(2, budget - head)
    return v[:head] + "*" * (n - head - tail) + v[n - tail :]


def _parse_birth(digits8: str, today: date) -> date | None:
    try:
        d = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        return None
    if d.year < 1900 or d > today:
        return None
    return d


def _gender(sequence_digit: str) -> Gender:
    return "男" if int(sequence_digit) % 2 == 1 else "女"


def _malformed(problem: IdProblem, zh: str, en: str) -> IdResult:
    return IdResult("malformed", problem=problem, message_zh=zh, message_en=en)


def _damaged(shown: str) -> IdResult:
    return IdResult(
        "damaged",
        problem="excel_number",
        message_zh=(
            f"身份证号“{shown}”被Excel存成了数字，只保留了15位有效数字，末尾几位已丢失；"
            "请将该单元格设为文本格式后重新录入完整号码"
        ),
        message_en=(
            f'the ID number "{shown}" was stored by Excel as a number, which keeps only 15 '
            "significant digits, so the last digits are lost; format the cell as text and "
            "re-enter the full number"
        ),
    )


def _bad_birth(masked: str, digits8: str) -> IdResult:
    return _malformed(
        "birth_date",
        f"身份证号“{masked}”中的出生日期“{digits8}”不是有效日期"
        "（须为1900年以后、不晚于今天的真实日期）",
        f'the birth date "{digits8}" in the ID number "{masked}" is not a valid date '
        "(a real date from 1900 on, not after today)",
    )


def analyze_id(
    raw: str | None, *, numeric_cell: bool = False, today: date | None = None
) -> IdResult:
    """Read one ID number cell.

    ``numeric_cell``: the spreadsheet cell held a number, not text. An 18-digit number cannot
    survive that (Excel keeps 15 significant digits), a 15-digit one can. ``today`` (for tests)
    bounds the birth date; by default the current date.
    """
    today = today or date.today()
    v = clean(raw)
    if v is None or is_blank(v):
        return IdResult("blank")
    v = _RE_NOISE.sub("", v).strip(_QUOTES).replace("x", "X")
    if not v:
        return IdResult("blank")

    # Excel renderings of a number.
    if _RE_SCIENTIFIC.match(v):
        return _damaged(v)
    m = _RE_FLOAT.match(v)
    if m:
        v = m[1]
        numeric_cell = True
    if numeric_cell and v.isascii() and v.isdigit() and len(v) > _EXCEL_DIGITS:
        return _damaged(mask_id(v))

    masked = mask_id(v)
    bad = sorted({c for c in v if c not in "0123456789X"})
    if bad:
        chars = "".join(f"“{c}”" for c in bad)
        return _malformed(
            "chars",
            f"身份证号“{masked}”含有非法字符{chars}，只能是数字和末位的X",
            f'the ID number "{masked}" contains {", ".join(repr(c) for c in bad)}; '
            "only digits and a final X are allowed",
        )
    n = len(v)
    if n not in (15, 18):
        return _malformed(
            "length",
            f"身份证号“{masked}”有{n}位，应为18位（旧号码为15位）",
            f'the ID number "{masked}" has {n} characters; it must have 18 (15 for an old number)',
        )
    if "X" in v[:-1] or (n == 15 and "X" in v):
        return _malformed(
            "chars",
            f"身份证号“{masked}”中的X只能出现在18位号码的末位",
            f'the ID number "{masked}" has an X that is not the last of 18 characters',
        )

    if n == 15:
        birth = _parse_birth("19" + v[6:12], today)
        if birth is None:
            return _bad_birth(masked, "19" + v[6:12])
        first17 = v[:6] + "19" + v[6:]
        normalized = first17 + check_char(first17)
        return IdResult(
            "legacy",
            normalized=normalized,
            birth=birth,
            gender=_gender(v[14]),
            message_zh=f"15位旧身份证号“{masked}”已转换为18位“{mask_id(normalized)}”",
            message_en=(
                f'the old 15-digit ID number "{masked}" was converted to the 18-digit '
                f'"{mask_id(normalized)}"'
            ),
        )

    expected = check_char(v[:17])
    if expected != v[17]:
        if v.endswith("000"):  # Excel rounded the number to 15 significant digits
            return _damaged(masked)
        return _malformed(
            "check_char",
            f"身份证号“{masked}”校验位应为{expected}，实为{v[17]}，号码有误",
            f'the ID number "{masked}" is wrong: its check character should be {expected}, '
            f"found {v[17]}",
        )
    birth = _parse_birth(v[6:14], today)
    if birth is None:
        return _bad_birth(masked, v[6:14])
    return IdResult("ok", normalized=v, birth=birth, gender=_gender(v[16]))


# --------------------------------------------------------------------------------------------
# Vectorised paths (polars)


LOOKUP_ROWS = 50_000  # from this many ID numbers, the check sum by `_group_sums`
_GROUPS = ((0, 4), (4, 8), (8, 12), (12, 16), (16, 17))  # digits of the first 17, in groups


@functools.cache
def _group_sums() -> list[pl.Series]:
    """For each group of `_GROUPS`, the weighted sum of its digits for every value it can hold
    (index: the group's digits read as a number)."""
    out = []
    for start, end in _GROUPS:
        x = pl.int_range(10 ** (end - start), dtype=pl.Int64, eager=True)
        width = end - start
        out.append(pl.select(pl.sum_horizontal([
            (pl.lit(x) // 10 ** (width - 1 - k)) % 10 * w for k, w in enumerate(WEIGHTS[start:end])
        ])).to_series())
    return out


def id_fast(s: pl.Series, *, today: date | None = None) -> tuple[pl.Series, pl.Series, pl.Series]:
    """(`id_fast_ok`, birth date, gender) of every value in one pass: each slice of the text is
    parsed once (the first 17 digits as one integer give the check value and the gender). The
    first is also True for a number that is canonical but for a lower-case x, which
    `analyze_id` reads as X (the caller upper-cases those few). The birth date and gender hold
    where the first is True; elsewhere they mean nothing."""
    today = today or date.today()
    n = len(s)
    if s.dtype != pl.String:
        return (
            pl.Series(s.name, [False] * n, dtype=pl.Boolean),
            pl.Series(s.name, [None] * n, dtype=pl.Date),
            pl.Series(s.name, [None] * n, dtype=pl.String),
        )
    ident = pl.col("id")
    last = ident.str.slice(17, 1)
    first17, birth = pl.col("first17"), pl.col("birth")
    if n >= LOOKUP_ROWS:
        # The weighted digit sum four digits at a time, each group's share looked up (5 lookups
        # instead of 17 digits taken apart); `abs`: a text with a sign is refused below anyway.
        digits = first17.abs()
        total = pl.sum_horizontal([
            pl.lit(table).gather((digits // 10 ** (17 - end)) % 10 ** (end - start))
            for (start, end), table in zip(_GROUPS, _group_sums(), strict=True)
        ])
    else:  # (a small roster: not worth making the tables)
        total = pl.sum_horizontal([(first17 // 10 ** (16 - i)) % 10 * w for i, w in enumerate(WEIGHTS)])
    expected = (12 - total % 11) % 11  # the index into CHECK_CHARS, read as a number: X = 10
    actual = pl.when(last.is_in(["X", "x"])).then(10).otherwise(last.str.to_integer(strict=False))
    ok = ident.str.contains(r"^[0-9]{17}[0-9Xx]$") & (expected == actual) & (birth >= date(1900, 1, 1)) & (birth <= today)
    out = (
        pl.LazyFrame({"id": s})
        .with_columns(
            first17=ident.str.slice(0, 17).str.to_integer(strict=False),
            birth=ident.str.slice(6, 8).str.to_date("%Y%m%d", strict=False),
        )
        .select(
            ok.fill_null(False).alias("ok"),
            birth,
            pl.when(first17 % 2 == 1).then(pl.lit("男")).otherwise(pl.lit("女")).alias("gender"),
        )
        .collect(engine=engine_for(n))
    )
    return out["ok"].alias(s.name), out["birth"], out["gender"]


def id_fast_ok(s: pl.Series, *, today: date | None = None) -> pl.Series:
    """True where the value is already a canonical valid 18-character ID number.

    Canonical means exactly ``[0-9]{17}[0-9X]`` (no spaces, upper-case X), with the right check
    character and a real birth date from 1900 on, not after ``today``. Everything else is False
    (also nulls and columns that are not strings, e.g. numeric cells) and must go through
    `analyze_id`; where this is True, ``analyze_id(value).status == "ok"``. (`id_fast` without
    its leniency for a lower-case x.)
    """
    ok, _, _ = id_fast(s, today=today)
    if s.dtype != pl.String:
        return ok
    return (ok & ~s.str.ends_with("x").fill_null(False)).alias(s.name)


def id_birth_gender(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Birth dates and genders (男/女) of already-valid 18-digit ID numbers (null where unreadable)."""
    seq = pl.col("id").str.slice(16, 1).str.to_integer(strict=False)
    df = pl.DataFrame({"id": s.cast(pl.String)}).select(
        pl.col("id").str.slice(6, 8).str.to_date("%Y%m%d", strict=False).alias("birth"),
        pl.when(seq.is_null())
        .then(None)
        .when(seq % 2 == 1)
        .then(pl.lit("男"))
        .otherwise(pl.lit("女"))
        .alias("gender"),
    )
    return df["birth"], df["gender"]
