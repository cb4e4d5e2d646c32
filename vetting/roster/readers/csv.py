"""The CSV reader: the header among the first records, the body read by polars when it can
(no quotes, one record a line), by Python's csv module otherwise; both give the same table."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from ...errors import UserError
from ..headers import HeaderMatcher
from .common import (
    HEADER_SCAN_ROWS,
    MAX_COLUMNS,
    RawTable,
    _decode,
    _find_header,
    _generated_header,
    _HeaderScan,
    _no_header_error,
    _note_text,
    column_letter,
    compact_columns,
    note_rows,
)


@dataclass
class _Record:
    cells: list[str]
    line: int  # physical line where the record starts
    last: int  # physical line where it ends (later than `line` when a quoted cell has breaks)
    end: int  # text offset just after the record


def _csv_records(text: str, sep: str) -> Iterator[_Record]:
    """Records with the physical line each starts on and the text offset after it."""
    f = io.StringIO(text, newline="")
    reader = csv.reader(f, delimiter=sep, quotechar='"', strict=False)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        yield _Record(cells, start, reader.line_num, f.tell())


def _scan_csv(
    path: str, text: str, sep: str, matcher: HeaderMatcher, *, complete: bool = True
) -> tuple[_HeaderScan, list[_Record]]:
    """The first non-blank records and the header among them. Works on a growing prefix of the
    text (a prefix's last record may be cut short and is not used), not on the whole file.
    When `text` is only the head of the file (not `complete`) and that is not enough, raises
    `_NeedMore`."""
    size = 1 << 16
    while True:
        chunk = text[:size]
        truncated = len(chunk) < len(text) or not complete
        if not complete and size > len(text) and size > 1 << 16:
            raise _NeedMore
        cands: list[tuple[int, list[str | None]]] = []
        records: list[_Record] = []
        try:
            for rec in _csv_records(chunk, sep):
                if truncated and rec.end >= len(chunk):
                    break
                cells = [c.strip() or None for c in rec.cells]
                if not any(cells):
                    continue
                records.append(rec)
                cands.append((rec.line, cells))
                if len(cands) >= HEADER_SCAN_ROWS:
                    break
        except csv.Error as e:
            if not truncated:
                raise UserError(f"CSV 格式错误 / malformed CSV: {e}", path=path) from e
            size *= 8
            continue
        if len(cands) >= HEADER_SCAN_ROWS or not truncated:
            return _find_header(cands, matcher), records
        size *= 8


# A large UTF-8 file is read without decoding all of it in Python: the header is found in the
# first part, and polars reads (and checks) the rest.
_HEAD_BYTES = 1 << 20


def _read_csv(path: str, box: list[bytes], matcher: HeaderMatcher, *, tab: bool) -> RawTable:
    """`box` holds the file's bytes (and is emptied when polars has read them)."""
    if len(box[0]) > _HEAD_BYTES:
        bom = 3 if box[0].startswith(b"\xef\xbb\xbf") else 0
        try:
            head = codecs.getincrementaldecoder("utf-8")().decode(box[0][bom : bom + _HEAD_BYTES], final=False)
        except UnicodeDecodeError:
            head = None
        if head is not None:
            table = _read_csv_text(path, box, head, "utf-8-sig" if bom else "utf-8", matcher, tab=tab, complete=False)
            if table is not None:
                return table
    text, encoding = _decode(path, box[0])
    table = _read_csv_text(path, box, text, encoding, matcher, tab=tab, complete=True)
    assert table is not None
    return table


class _NeedMore(Exception):
    """The header scan ran past the decoded head of the file."""


def _read_csv_text(
    path: str, box: list[bytes], text: str, encoding: str, matcher: HeaderMatcher, *, tab: bool, complete: bool
) -> RawTable | None:
    """Read from `text`, the decoded file or (not `complete`) its head; None when the head is
    not enough (the caller then decodes the whole file)."""
    reencode = encoding == "gb18030"  # the UTF-8 bytes are needed below, not the GB18030 ones
    try:
        if tab:
            scan, records = _scan_csv(path, text, "\t", matcher, complete=complete)
            sep = "\t"
        else:
            scan, records = _scan_csv(path, text, ",", matcher, complete=complete)
            sep = ","
            tscan, trecords = _scan_csv(path, text, "\t", matcher, complete=complete)
            if tscan.index is not None:
                use_tab = scan.index is None or tscan.score > scan.score
                if not use_tab and tscan.score == scan.score and scan.index is not None:
                    header_line = records[scan.index].cells
                    joined = sep.join(header_line)
                    use_tab = joined.count("\t") > joined.count(",")
                if use_tab:
                    scan, records, sep = tscan, trecords, "\t"
    except _NeedMore:
        return None
    if scan.index is None:
        if not complete:
            return None
        raise _no_header_error(path, matcher, scan)
    header_rec = records[scan.index]
    header_cells = [c.strip() or None for c in header_rec.cells]
    while header_cells and header_cells[-1] is None:  # trailing empty header cells: nothing
        header_cells.pop()
    notes = [
        (r.line, _note_text([c.strip() for c in r.cells if c.strip()]))
        for r in records[: scan.index]
    ]
    # The data part as UTF-8 bytes, for polars: a slice of the file itself when it is UTF-8.
    if reencode:
        body, start = [text[header_rec.end :].encode("utf-8")], 0
    else:
        bom = 3 if encoding == "utf-8-sig" else 0
        body, start = box, bom + len(text[: header_rec.end].encode("utf-8"))  # no copy

    # Lines far wider than the header (an export padded with thousands of empty cells): their
    # trailing empty cells are dropped first, so that work stays linear in the row's width.
    # Counting every separator of a large file costs more than polars' read of it, so they are
    # counted only when some line may be that wide: the first line is, or polars could not read
    # the body (when it can, no line is wider than the first).
    limit = len(header_cells) + 64
    padded = _line_width(body[0], start, sep) > limit and _padded(body[0], start, sep, limit)
    if padded:
        if not complete:
            return None
        text, body, start = _unpadded(text, header_rec.end, sep)

    frame: pl.DataFrame | None = None
    problems: list[tuple[int, str, str]] = []
    strip: bool | set[str]
    compact = compact_columns(header_cells, matcher)
    if _fast_path_ok(body[0], start):
        frame = _csv_fast(body, start, sep, compact)
    if frame is None and not complete:
        return None
    if frame is None and not padded and _padded(body[0], start, sep, limit):
        text, body, start = _unpadded(text, header_rec.end, sep)
        if _fast_path_ok(body[0], start):
            frame = _csv_fast(body, start, sep, compact)
    if frame is None:
        frame, line_list = _csv_slow(path, text, sep, header_rec, problems)
        lines = pl.Series("_line", line_list, dtype=pl.Int64)
        strip = True
    else:
        first = header_rec.last + 1
        lines = pl.int_range(first, first + frame.height, dtype=pl.Int64, eager=True).alias("_line")
        strip = _columns_to_strip(frame)
    table = _csv_table(path, encoding, header_rec.line, header_cells, frame, lines, notes, strip=strip, compact=compact)
    table.problems = problems
    if len(table.headers) > MAX_COLUMNS:
        raise UserError(
            f"名单有 {len(table.headers)} 列非空数据，超过 {MAX_COLUMNS} 列的上限 / more than {MAX_COLUMNS}"
            " columns hold data",
            path=path,
            hint="请删除多余的列后另存。 / Delete the stray columns and save again.",
        )
    return table


def _line_width(buf: bytes, start: int, sep: str) -> int:
    """The number of cells of the line at `start` (separators inside quotes counted too)."""
    end = buf.find(b"\n", start)
    return buf.count(sep.encode(), start, end if end >= 0 else len(buf)) + 1


def _padded(buf: bytes, start: int, sep: str, limit: int) -> bool:
    """More separators in the body than `limit` per line."""
    return buf.count(sep.encode(), start) > (buf.count(b"\n", start) + 1) * limit


def _unpadded(text: str, end: int, sep: str) -> tuple[str, list[bytes], int]:
    """The file's text with the trailing empty cells of its data lines (after `end`) dropped,
    and the data part as UTF-8 bytes for polars (body box and start, as `_read_csv_text` holds
    them)."""
    text = text[:end] + _trim_trailing(text[end:], sep)
    return text, [text[end:].encode("utf-8")], 0


def _trim_trailing(body: str, sep: str) -> str:
    """Each line without its trailing empty cells (separators and blanks at its end)."""
    out = []
    for line in io.StringIO(body, newline=""):
        end = line[len(line.rstrip("\r\n")) :]
        out.append(line[: len(line) - len(end)].rstrip(sep + " \t") + end)
    return "".join(out)


def _fast_path_ok(buf: bytes, start: int) -> bool:
    """polars can read the body (`buf` from `start`, UTF-8) and data row i is on its line i: no
    quotes and no bare carriage returns (`_csv_fast` checks that no line went missing)."""
    if buf.find(b'"', start) >= 0:
        return False
    if buf.find(b"\r", start) < 0:
        return True
    return buf.count(b"\r", start) == buf.count(b"\r\n", start)


# White space as polars' `strip_chars` sees it (Unicode White_Space).
_WHITE_SPACE = [
    "\t", "\n", "\x0b", "\x0c", "\r", " ", "\x85", "\xa0", "\u1680",
    *(chr(c) for c in range(0x2000, 0x200B)), "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
]


def _columns_to_strip(frame: pl.DataFrame) -> set[str]:
    """The columns where some cell starts or ends with white space: first those with white
    space anywhere (a fast multi-literal search), then the exact test on those few. Stripping
    every cell of every column instead costs several times more. A dictionary-encoded column
    is tested on its distinct values."""
    if not frame.width or not frame.height:
        return set()
    schema = frame.schema
    cats = [c for c, dtype in schema.items() if dtype == pl.Categorical]
    text = [c for c, dtype in schema.items() if dtype != pl.Categorical]
    # One pass over every column (polars works on several at once).
    first = frame.select(
        *[pl.col(c).cast(pl.String).str.contains_any(_WHITE_SPACE).any() for c in text],
        *[pl.col(c).unique().cast(pl.String).str.contains(r"^\s|\s$").any() for c in cats],
    ).row(0)
    edged = {c for c, has in zip(cats, first[len(text):], strict=True) if has}
    some = [c for c, has in zip(text, first[: len(text)], strict=True) if has]
    if not some:
        return edged
    found = frame.select([pl.col(c).cast(pl.String).str.contains(r"^\s|\s$").any() for c in some]).row(0)
    return edged | {c for c, has in zip(some, found, strict=True) if has}


def _csv_fast(box: list[bytes], start: int, sep: str, compact: set[int] | None = None) -> pl.DataFrame | None:
    """Data rows read by polars (all strings; the `compact` columns dictionary-encoded as they
    are read, so that their string columns never exist), row i from line i of the body (the
    bytes in `box` from `start`; the box is emptied when they are read); None when polars
    cannot (ragged lines). Line numbers are kept apart (see `_csv_table`), not as a column."""
    buf = box[0]
    if start >= len(buf):
        return _frame_from_rows([], 0)
    # polars wants a type for every column of the file or none: as many as the first line has.
    width = _line_width(buf, start, sep)
    dtypes: list[pl.DataType] | None = None
    if compact and any(i < width for i in compact):
        dtypes = [pl.Categorical() if i in compact else pl.String() for i in range(width)]
    skip = 0
    if start and buf[start - 1 : start] == b"\n":
        skip = buf.count(b"\n", 0, start)  # polars skips the head's lines: no copy of the body
    elif start:
        buf, start = buf[start:], 0
    try:
        df = pl.read_csv(
            io.BytesIO(buf),
            skip_lines=skip,
            has_header=False,
            infer_schema=False,
            separator=sep,
            quote_char='"',
            raise_if_empty=False,
            schema_overrides=dtypes,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.SchemaError, pl.exceptions.NoDataError):
        return None
    lines = buf.count(b"\n", start) + (0 if buf.endswith(b"\n") else 1)
    if df.height != lines:  # a blank line skipped: row i would no longer be line start+i
        return None
    del buf
    box.clear()  # the bytes are no longer needed: freed before the columns are copied below
    # One piece per column, a column at a time (the pieces are freed as it goes): columns of
    # different chunkings make polars rechunk whole frames later, copying every column at once.
    cols: list[pl.Series | None] = list(df.get_columns())
    del df

    def one_piece(i: int) -> pl.Series:
        col, cols[i] = cols[i], None
        assert col is not None
        return col.rechunk().alias(f"c{i}")

    if len(cols) > 1 and cols[0] is not None and cols[0].len() >= 20_000:
        from concurrent.futures import ThreadPoolExecutor  # (imported when needed: start-up)

        with ThreadPoolExecutor(max_workers=2) as pool:  # copying releases the GIL
            return pl.DataFrame(list(pool.map(one_piece, range(len(cols)))))
    return pl.DataFrame([one_piece(i) for i in range(len(cols))])


class _LineIter:
    """The body's physical lines for csv.reader, with the position of the next one."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.pos = 0

    def __iter__(self) -> _LineIter:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _swallowed(inner: list[str], sep: str, min_sep: int) -> bool:
    """Lines inside one quoted cell that look like records of their own: a quote that was never
    meant to open a cell (a stray `"`), not a cell with line breaks."""
    if not inner:
        return False
    *middle, last = inner
    # the last line: only what comes before the quote that closed the cell (the rest of that
    # line is the record's other cells)
    return any(line.count(sep) >= min_sep for line in middle) or last.split('"', 1)[0].count(sep) >= min_sep


def _csv_slow(
    path: str, text: str, sep: str, header_rec: _Record, problems: list[tuple[int, str, str]] | None = None
) -> tuple[pl.DataFrame, list[int]]:
    """Python's csv module, record by record. A quote that opens a cell and swallows the lines
    after it (lines that hold separators like records do) is an unbalanced quote: that line is
    read as written (its quotes kept as text), the next lines are read as records of their own,
    and the line is reported in `problems` (line, zh, en)."""
    lines_list = list(io.StringIO(text[header_rec.end :], newline=""))
    min_sep = max(2, (len(header_rec.cells) - 1) // 2)
    it = _LineIter(lines_list)
    reader = csv.reader(it, delimiter=sep, quotechar='"', strict=False)
    base = header_rec.last
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        while True:
            first = it.pos
            try:
                cells = next(reader)
            except StopIteration:
                break
            if it.pos - first > 1 and _swallowed(lines_list[first + 1 : it.pos], sep, min_sep):
                line = base + first + 1
                if problems is not None:
                    problems.append((
                        line,
                        "这一行有未配对的英文双引号（\"），按原样读取了这一行（引号作为文字），其后各行照常读取；请删除或补全多余的引号",
                        'an unbalanced double quote (") on this line: the line is read as written (the quote kept as'
                        " text) and the lines after it as records of their own; remove or complete the quote",
                    ))
                cells = next(csv.reader([lines_list[first]], delimiter=sep, quoting=csv.QUOTE_NONE))
                it.pos = first + 1
                reader = csv.reader(it, delimiter=sep, quotechar='"', strict=False)
            if not cells:
                continue  # an empty line
            rows.append(cells)
            lines.append(base + first + 1)
    except csv.Error as e:
        raise UserError(
            f"CSV 格式错误 / malformed CSV: {e}", path=path, line=base + it.pos
        ) from e
    width = max((len(r) for r in rows), default=0)
    return _frame_from_rows(rows, width), lines


def _frame_from_rows(rows: list[list[str]], width: int) -> pl.DataFrame:
    cols: dict[str, Any] = {}
    if rows:
        padded = (r + [""] * (width - len(r)) if len(r) < width else r for r in rows)
        for i, col in enumerate(zip(*padded, strict=True)):
            cols[f"c{i}"] = pl.Series(col, dtype=pl.String)
    return pl.DataFrame(cols)


def _csv_table(
    path: str,
    encoding: str,
    header_line: int,
    header_cells: list[str | None],
    frame: pl.DataFrame,
    lines: pl.Series,
    notes: list[tuple[int, str]],
    *,
    strip: bool | set[str] = True,
    compact: set[int] | None = None,
) -> RawTable:
    """Shared by the fast and the slow path, so both give the same table. `lines`: the line of
    each row of `frame`. Cells are stripped in the `strip` columns (True: all); in the others
    (where no cell starts or ends with white space) they are taken as polars read them (empty
    = null). The `compact` columns come out dictionary-encoded (`pl.Categorical`), the others
    as strings. Rows are filtered (a copy of every column) only when there are blank or notes
    rows to drop."""
    width = max(len(header_cells), frame.width)
    present = set(frame.columns)  # (a set: `frame.columns` builds a new list on every call)
    to_strip = present if strip is True else set(strip or ())
    compact = compact or set()
    schema = frame.schema
    exprs = []
    for i in range(width):
        name = f"c{i}"
        dtype = pl.Categorical() if i in compact else pl.String()
        if name in present and name not in to_strip:
            exprs.append(pl.col(name) if schema[name] == dtype else pl.col(name).cast(dtype))
        elif name in present:
            s = pl.col(name).cast(pl.String).str.strip_chars()
            exprs.append(pl.when(s == "").then(None).otherwise(s).cast(dtype).alias(name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    names = [f"c{i}" for i in range(width)]
    df = frame.select(*exprs) if width else frame
    if width:
        drop = df.select(pl.all_horizontal([pl.col(n).is_null() for n in names])).to_series()
        # A notes row: every non-empty cell looks like a signature line.
        found = note_rows([df[n] for n in names], (~drop).arg_true())
        if found.len():
            picked = df.select(pl.col(names).gather(found)).with_columns(lines.gather(found).alias("_line"))
            for row in picked.select("_line", *names).iter_rows():
                notes.append((int(row[0]), _note_text([c for c in row[1:] if c])))
            drop = drop.scatter(found, True)
        if drop.any():
            df, lines = df.filter(~drop), lines.filter(~drop)
    else:
        df, lines = df.head(0), lines.head(0)

    headers: list[str] = []
    columns: list[pl.Series] = []
    letters: list[str | None] = []
    null_counts = df.select(names).null_count().row(0) if width else ()
    for i in range(width):
        head = header_cells[i] if i < len(header_cells) else None
        if head is None and null_counts[i] == df.height:
            continue
        headers.append(head if head is not None else _generated_header(i))
        columns.append(df[names[i]])
        letters.append(column_letter(i))
    notes.sort(key=lambda n: n[0])
    return RawTable(
        path=path,
        format="csv",
        sheet=None,
        header_row=header_line,
        headers=headers,
        columns=columns,
        rows=lines.to_list(),
        letters=letters,
        numeric=[set() for _ in headers],
        notes=notes,
        encoding=encoding,
    )
