"""What every roster reader shares: the `RawTable` they all produce, header finding,
cell text and the no-header error."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

import polars as pl

from ...errors import UserError
from ..headers import HeaderMatcher
from ..types import field_type

# The header must be within the first this-many non-blank rows (lines for CSV).
HEADER_SCAN_ROWS = 30
# At most this many columns may hold data (header or values); a roster has a few dozen.
MAX_COLUMNS = 1000

SUPPORTED = ".xlsx/.xlsm（Excel）、.csv/.tsv/.txt（CSV）、.yaml/.yml、.json"

# A signature / notes line below (or above) the table. The same pattern is used by Python `re`
# (xlsx) and by polars (Rust regex, csv), so keep it to the common syntax.
NOTE_PATTERN = (
    r"^(?:填表|填报|制表|审核|审批|审查人|联系人|负责人|经办人|备注|说明|附注|注\s*[:：]"
    r"|[^\s]{0,20}[(（]\s*(?:盖章|公章|签章|签字|签名)\s*[)）])"
)
_NOTE_RE = re.compile(NOTE_PATTERN)
# Digit runs long enough to be an ID or phone number: masked in error messages.
_LONG_DIGITS = re.compile(r"\d{7,}[\dXx]?")


@dataclass(eq=False)
class RawTable:
    """One file's table as text, before header matching and value parsing."""

    path: str  # as the user gave it
    format: str  # "xlsx" | "csv" | "yaml" | "json"
    sheet: str | None  # sheet name for xlsx, else None
    header_row: int  # 1-based row/line of the header as a person sees it; 0 for yaml/json
    headers: list[str]  # one per column, as written (stripped); generated `(列K)` when empty
    # column-major cell text per data row; None = empty cell. A list per column, or (CSV) a
    # polars series, handed to the loader without a round trip through Python objects: String,
    # or Categorical for the columns of `compact_columns` (the same text, dictionary-encoded).
    columns: list[list[str | None]] | list[pl.Series]
    # per data row: spreadsheet row (xlsx), physical line where the record starts (csv), line of
    # the record's first key (yaml), record index + 1 (json)
    rows: list[int]
    letters: list[str | None]  # per column: spreadsheet column letter (xlsx, csv); None otherwise
    numeric: list[set[int]]  # per column: data-row indices of cells stored as numbers (xlsx)
    notes: list[tuple[int, str]] = field(default_factory=list)  # skipped non-data rows
    encoding: str | None = None  # csv: "utf-8" | "utf-8-sig" | "gb18030"
    # what the reader had to work around, per line: (line, message zh, message en)
    problems: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def column_values(self, j: int) -> list[str | None]:
        """Column j as a list (whatever the reader built it as)."""
        col = self.columns[j]
        return col.to_list() if isinstance(col, pl.Series) else list(col)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RawTable):
            return NotImplemented
        mine = [getattr(self, f.name) for f in fields(self) if f.name != "columns"]
        theirs = [getattr(other, f.name) for f in fields(other) if f.name != "columns"]
        return mine == theirs and [self.column_values(j) for j in range(len(self.columns))] == [
            other.column_values(j) for j in range(len(other.columns))
        ]



# ------------------------------------------------------------------------------------------
# shared helpers


def compact_columns(headers: Sequence[str | None], matcher: HeaderMatcher, *, every_spelling: bool = False) -> set[int]:
    """The columns whose text is held dictionary-encoded (`pl.Categorical`): the first column
    of each field whose values are flags, dates or numbers (`FieldType.compact`); with
    `every_spelling` (records, which may name a field by its header or its key: one column
    either way), every column of such a field. Such a column has a few distinct values; polars
    holds a string column at 16 bytes a row at least (its views), null or not, and a
    categorical one at 4."""
    seen: set[str] = set()
    out: set[int] = set()
    for i, header in enumerate(headers):
        key = matcher.match(header)
        if key is None or (key in seen and not every_spelling):
            continue
        seen.add(key)
        if field_type(matcher.fields[key].type).compact:
            out.add(i)
    return out


def note_rows(columns: Sequence[pl.Series], rows: pl.Series) -> pl.Series:
    """Of the (non-blank) rows `rows`, by index, those whose every non-empty cell looks like a
    signature or notes line (NOTE_PATTERN). Column by column, the fullest first, only the rows
    still in question are looked at: after a column filled in every data row, the few note
    rows. A dictionary-encoded column is tested on its distinct values."""
    maybe = rows
    for col in sorted(columns, key=lambda c: c.null_count()):
        if not maybe.len():
            break
        texts = col.gather(maybe)
        maybe = maybe.filter(texts.is_null() | _matches(texts, NOTE_PATTERN).fill_null(False))
    return maybe


def _matches(col: pl.Series, pattern: str) -> pl.Series:
    """`str.contains(pattern)` of every cell (null where the cell is); a dictionary-encoded
    column is tested on its distinct values."""
    if col.dtype == pl.Categorical:
        distinct = col.unique().drop_nulls()
        return col.is_in(distinct.filter(distinct.cast(pl.String).str.contains(pattern)).implode())
    return col.str.contains(pattern)


# Characters Python's str.strip() removes that Rust's whitespace (polars' strip_chars) keeps.
_PY_ONLY_SPACE = "[\x1c-\x1f]"


def _strip_texts(s: pl.Series) -> pl.Series:
    """`v.strip() or None` for a String series (both xlsx paths)."""
    if s.str.contains(_PY_ONLY_SPACE).any():
        return pl.Series([(v.strip() or None) if v is not None else None for v in s.to_list()], dtype=pl.String)
    s = s.str.strip_chars()
    return pl.select(pl.when(s != "").then(s)).to_series().alias("")


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _generated_header(index: int) -> str:
    return f"(列{column_letter(index)})"


def _number_text(v: float | int) -> str:
    """A number as a person sees it: integral values without `.0`, no binary noise.

    Integral floats of 16 digits or more keep Excel's 15 significant digits, so an ID number
    that Excel stored as 4.10103198503081E+17 reads "410103198503081000", as Excel shows it
    (the damage stays visible instead of hiding behind `...081024`).
    """
    if isinstance(v, int):
        return str(int(v))
    if not math.isfinite(v):
        return repr(v)
    if v.is_integer():
        if -1e15 < v < 1e15:
            return str(int(v))
        return str(int(Decimal(format(v, ".15g"))))
    return repr(float(v))


def _date_text(v: dt.date) -> str:
    if isinstance(v, dt.datetime):
        if v.time() == dt.time(0, 0) and v.tzinfo is None:
            return v.date().isoformat()
        return v.isoformat(sep=" ")
    return v.isoformat()


def _scalar_text(v: Any) -> tuple[str | None, bool]:
    """(text, stored-as-number) for one value from a workbook, YAML or JSON."""
    if v is None:
        return None, False
    if isinstance(v, str):
        return (v.strip() or None), False
    if isinstance(v, bool):
        return ("是" if v else "否"), False
    if isinstance(v, int | float):
        return _number_text(v), True
    if isinstance(v, dt.date):
        return _date_text(v), False
    if isinstance(v, dt.time):
        return v.isoformat(), False
    if isinstance(v, dt.timedelta):
        return str(v), False
    s = str(v).strip()
    return (s or None), False


def _is_note(texts: Sequence[str]) -> bool:
    return bool(texts) and all(_NOTE_RE.match(t) for t in texts)


def _note_text(texts: Sequence[str]) -> str:
    seen: list[str] = []
    for t in texts:
        if t not in seen:
            seen.append(t)
    return " ".join(seen)


def _mask(text: str) -> str:
    return _LONG_DIGITS.sub(lambda m: m[0][:3] + "*" * (len(m[0]) - 3), text)


@dataclass
class _HeaderScan:
    """The outcome of looking for the header among the first rows."""

    index: int | None  # position in the candidate list
    score: tuple[int, int]
    first_rows: list[tuple[int, list[str | None]]]  # (row number, cells) of the scanned rows


def _find_header(
    candidates: Sequence[tuple[int, Sequence[str | None]]], matcher: HeaderMatcher
) -> _HeaderScan:
    """The header is the candidate with the most recognised cells (at least 2, one of them a
    required field); ties go to the row with more distinct non-empty cells (the sub-header row
    of a two-row header), then to the first."""
    required = {k for k, f in matcher.fields.items() if f.required}
    best: int | None = None
    best_score = (0, 0)
    for i, (_, cells) in enumerate(candidates):
        keys = [matcher.match(c) for c in cells if c]
        recognised = [k for k in keys if k is not None]
        n = len(recognised)
        if n < 2 or (required and not required.intersection(recognised)):
            continue
        score = (n, len({c for c in cells if c}))
        if score > best_score:
            best, best_score = i, score
    return _HeaderScan(best, best_score, [(r, list(c)) for r, c in candidates])


def _no_header_error(
    path: str,
    matcher: HeaderMatcher,
    scan: _HeaderScan,
    *,
    sheet: str | None = None,
    other_sheets: Sequence[str] = (),
) -> UserError:
    expected = matcher.expected_headers()
    others = [f.header for f in matcher.fields.values() if not f.required]
    where = f"工作表“{sheet}”" if sheet is not None else "文件"
    details = [
        "必须包含的列 / required columns: " + "、".join(expected),
        "其他可识别的列（部分）/ other known columns (some): " + "、".join(others[:20]),
    ]
    if scan.first_rows:
        details.append("前几行的内容 / the first rows look like:")
        for r, cells in scan.first_rows[:5]:
            shown = " | ".join(c for c in cells if c)
            shown = _mask(shown)
            if len(shown) > 120:
                shown = shown[:117] + "..."
            details.append(f"第 {r} 行 / row {r}: {shown}")
    else:
        details.append("没有任何非空行 / there are no non-empty rows")
    hint = (
        "表头行应在前 30 个非空行之内，至少包含“姓名”“身份证号”“村(社区)”中的一列和另一可识别列。"
        " / The header must be within the first 30 non-empty rows and name at least two known"
        " columns, one of them a required one."
    )
    if other_sheets:
        hint += (
            " 以下工作表有可识别的表头，可用 --sheet 指定 / these sheets do have a header, pick one"
            " with --sheet: " + "、".join(other_sheets)
        )
    return UserError(
        f"在{where}中找不到表头行 / no header row found"
        + (f" in sheet '{sheet}'" if sheet is not None else ""),
        path=path,
        details=details,
        hint=hint,
    )


def _decode(path: str, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise _encoding_error(path, e) from e
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as e:
        raise _encoding_error(path, e) from e


def _encoding_error(path: str, e: UnicodeDecodeError) -> UserError:
    return UserError(
        "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）/ unknown text encoding (neither"
        f" UTF-8 nor GBK/GB18030) at byte {e.start}",
        path=path,
        hint="请用 Excel 或记事本另存为“CSV UTF-8”。 / Save it again as 'CSV UTF-8'.",
    )

