"""A faster way to a sheet's cells for the common workbook: text, plain numbers and booleans.

python-calamine parses a sheet twice (once for the cells, once more for the merged ranges) and
hands every cell over as a Python object. When the optional `fastexcel` package is installed,
this module builds the same columns another way:

- fastexcel (the same calamine underneath) reads the sheet into Arrow text columns in Rust,
  without a Python object per cell, while
- one pass over the sheet's XML, in the meantime, finds what fastexcel's text does not say: the
  cells stored as numbers or booleans (with their values, written as `_scalar_text` writes
  them) and the merged ranges (`<mergeCells>`, after the cell data).

It takes only what it can prove. Anything else (a workbook whose styles format numbers as dates
or times or with a format of its own, date or error cells, namespace prefixes, single-quoted
attributes, cells without a reference, merged ranges written another way, fastexcel missing or
failing) gives None, and the reader uses python-calamine as before; the result is the same
either way (tests compare both on the same workbooks).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import posixpath
import re
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

import polars as pl

from ..._collect import engine_for
from .common import _PY_ONLY_SPACE, _number_text, _strip_texts
from .xlsx_guard import _col_index

__all__ = ["FastSource", "SheetScan", "fast_available", "fast_columns", "scan_sheet_xml", "sheet_member"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Number formats that calamine reads as plain numbers (not dates, times or durations): the
# built-in number formats (General, 0, 0.00, #,##0, percentages, fractions, scientific,
# accounting, text; not the date and time ones, nor the ids of regional date formats), and
# format codes made of digit placeholders, separators, percent, parentheses and the text sign.
_PLAIN_BUILTINS = frozenset([*range(0, 14), *range(37, 45), 48, 49])
_PLAIN_CODE = re.compile(r"(?:General|[0#?,.%_ ()\-;@]*)\Z", re.IGNORECASE)
# Formats calamine reads as dates (a whole number then becomes a date): the built-in date and
# time formats but [h]:mm:ss (a duration), and codes of year, month and day only, with
# separators and quoted text (`yyyy"年"m"月"d"日";@`).
_DATE_BUILTINS = frozenset([*range(14, 23), 45, 47])
_DATE_CODE = re.compile(r'(?:yyyy|yy|mm?|dd?|[-/. ]|"[^"]*"|\\.)+(?:;@)?\Z')
PLAIN, DATE, OTHER = 0, 1, 2
# The last day python-calamine makes a date of: 9999-12-31.
_LAST_SERIAL = 2958465


# A value element not preceded by `t="s">` (the tag of a shared-string cell): numbers, booleans,
# formula results, errors; the cell's own tag says which. (The literal comes first, so that the
# search skips from one to the next at C speed; the look-behind then drops shared strings.)
_VALUE = re.compile(rb'><v>(?<!t="s"><v>)([^<]*)</v>')
# A value element that `_VALUE` would not read: not right after a tag, with attributes or none,
# or holding anything but text.
_ODD_VALUE = re.compile(rb"<v(?:(?<!><v)|(?!>[^<]*</v>))")
# What `_VALUE` finds a value after: the cell's tag and, optionally, its formula.
_CELL_START = r'^<c\s[^<>]*>(?:<f(?:\s[^<>]*)?>[^<]*</f>|<f\s[^<>]*/>)?$'
# A cell that holds a value (or an inline string): its reference.
_FIRST_CELL = re.compile(rb'<c\s(?:[^<>]*\s)?r="([A-Z]{1,3})([1-9][0-9]{0,6})"[^<>]*[^/<>]>\s*<(?:v>|is>|f[\s>])')
_ROOT = re.compile(rb"\s*(?:<\?xml[^>]*\?>\s*)?<worksheet[\s>]")
_MAIN_URI = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DEFAULT_NS = b'xmlns="' + _MAIN_URI + b'"'
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3})([1-9][0-9]{0,6}):([A-Z]{1,3})([1-9][0-9]{0,6})"\s*/>')
_REF = r"^([A-Z]{1,3})([1-9][0-9]{0,6})$"
_NUMBER = r"^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"


def _col(letters: bytes) -> int:
    """The 0-based column of a cell reference's letters."""
    return _col_index(letters) - 1


def uses_1904(zf: zipfile.ZipFile) -> bool:
    """Whether the workbook counts dates from 1904 (as calamine reads `date1904`)."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return True  # (unreadable: no dates on this path)
    pr = book.find(f"{_MAIN}workbookPr")
    return pr is not None and pr.get("date1904") in ("1", "true")


def sheet_member(zf: zipfile.ZipFile, name: str) -> str | None:
    """The ZIP member that holds the sheet called `name`, from the workbook's relationships."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return None
    rid = None
    for sheet in book.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == name:
            rid = sheet.get(f"{_REL}id")
            break
    if rid is None:
        return None
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target") or ""
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            return member if member in zf.NameToInfo else None
    return None


def number_styles(zf: zipfile.ZipFile, is_1904: bool = False) -> list[int] | None:
    """Per cell style (the index a cell's `s` names), what it makes of a number: PLAIN, DATE (a
    whole number is a date; not with the 1904 date system) or OTHER (a duration, a time of day,
    a format this module does not know: python-calamine reads the sheet); [] when the workbook
    has no styles (every number is General); None when they cannot be read."""
    try:
        raw = zf.read("xl/styles.xml")
    except KeyError:
        return []
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        return None
    if root.tag != f"{_MAIN}styleSheet":
        return None
    codes: dict[str, str] = {}
    for fmt in root.iter(f"{_MAIN}numFmt"):
        codes[fmt.get("numFmtId", "")] = fmt.get("formatCode", "")
    kinds: list[int] = []
    xfs = root.find(f"{_MAIN}cellXfs")
    for xf in xfs.iter(f"{_MAIN}xf") if xfs is not None else ():
        fid = xf.get("numFmtId", "0")
        if fid in codes:
            code = codes[fid]
            if _PLAIN_CODE.match(code):
                kind = PLAIN
            else:
                kind = DATE if _DATE_CODE.match(code) and re.search("[ymd]", code) else OTHER
        elif fid.isdigit() and str(int(fid)) == fid:
            kind = PLAIN if int(fid) in _PLAIN_BUILTINS else DATE if int(fid) in _DATE_BUILTINS else OTHER
        else:
            kind = OTHER
        kinds.append(OTHER if kind == DATE and is_1904 else kind)
    return kinds


@dataclass
class SheetScan:
    """What the sheet's XML says beyond its text: per column, the rows (0-based) of cells stored
    as numbers and their values, and of booleans; the merged ranges (r0, c0, r1, c1), 0-based."""

    numbers: dict[int, tuple[pl.Series, pl.Series]] = field(default_factory=dict)
    booleans: dict[int, tuple[pl.Series, pl.Series]] = field(default_factory=dict)
    # numbers a date format turns into dates: per column, the rows and the dates' text
    dates: dict[int, tuple[pl.Series, pl.Series]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    # (row, column) of the first cell in the XML that holds something, if any
    first_cell: tuple[int, int] | None = None


def scan_sheet_xml(xml: bytes | Sequence[bytes], styles: Sequence[int] | None = None) -> SheetScan | None:
    """The cells that are not text and the merged ranges of one sheet's XML (whole, or in the
    pieces the guard read it in); None when the XML is written in a way this scan does not read
    exactly (the caller then parses the sheet as a whole). With `styles` (`number_styles`), numbers
    under a date format become dates, and None when a number's style is one this path leaves to
    python-calamine (a time, a duration, a date that is not a whole day); without, every style
    is taken as plain."""
    chunks = [xml] if isinstance(xml, bytes) else xml
    head = chunks[0][:4096] if chunks else b""
    root = _ROOT.match(head)
    if root is None:
        return None
    # The main namespace is the default one, declared once on the root: no element of it can
    # carry a prefix that the patterns here would miss.
    root_end = head.find(b">", root.end() - 1)
    if head.find(_DEFAULT_NS, 0, root_end) < 0:
        return None
    first = _FIRST_CELL.search(chunks[0])
    uris = 0
    starts: list[bytes] = []
    values: list[bytes] = []
    carry = b""
    for i, chunk in enumerate(chunks):
        buf = carry + chunk if carry else chunk
        # whole rows only (a cell never spans a row's end); the rest waits for the next piece
        cut = len(buf) if i == len(chunks) - 1 else buf.rfind(b"</row>") + 1
        if cut <= 0:
            carry = buf
            continue
        uris += buf.count(_MAIN_URI, 0, cut)
        if _ODD_VALUE.search(buf, 0, cut):
            return None
        for m in _VALUE.finditer(buf, 0, cut):
            at = m.start()
            starts.append(buf[buf.rfind(b"<c", max(0, at - 4096), at) : at + 1])
            values.append(m[1])
        carry = buf[cut:]
    if uris != 1:
        return None
    scan = SheetScan(first_cell=(int(first[2]) - 1, _col(first[1])) if first else None)
    if values and not _cells(starts, values, scan, styles):
        return None
    tail = chunks[-1][-(1 << 16) :]
    end = tail.rfind(b"</sheetData>")
    if end < 0:
        tail = b"".join(chunks)
        end = tail.rfind(b"</sheetData>")
        if end < 0:  # no cell data: `<sheetData/>` (or none)
            return scan if not values and (re.search(rb"<sheetData\s*/>", tail) or b"<sheetData" not in tail) else None
    tail = tail[end:]
    start = tail.find(b"<mergeCells")
    if start >= 0:
        if b":mergeCell" in tail or tail.find(b"<mergeCells", start + 1) >= 0:
            return None
        stop = tail.find(b"</mergeCells>", start)
        part = tail[start:stop] if stop >= 0 else tail[start:]
        merges = _MERGE.findall(part)
        if len(merges) != len(re.findall(rb"<mergeCell[\s/>]", part)):
            return None
        for c0, r0, c1, r1 in merges:
            merge = (int(r0) - 1, _col(c0), int(r1) - 1, _col(c1))
            if merge[0] > merge[2] or merge[1] > merge[3]:
                return None
            scan.merges.append(merge)
    return scan


def _cells(starts: list[bytes], values: list[bytes], scan: SheetScan, styles: Sequence[int] | None) -> bool:
    """Fill `scan` with the numbers and booleans among the value cells found (the cell's tag
    and formula before each value, the value); False when one of them is not read exactly."""
    try:  # the XML is UTF-8: pieces cut at tags are too
        tags = pl.Series(starts, dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.PolarsError:
        return False
    if not tags.str.contains(_CELL_START).all():
        return False
    attrs = tags.str.extract(r"^<c(\s[^<>]*)>")
    if attrs.str.contains("'").any():  # single-quoted attributes
        return False
    cells = pl.DataFrame({"a": attrs, "v": pl.Series(values, dtype=pl.Binary)}).select(
        t=pl.col("a").str.extract(r'\st="([^"]*)"').fill_null("n"),
        ref=pl.col("a").str.extract(r'\sr="([^"]*)"'),
        s=pl.col("a").str.extract(r'\ss="([^"]*)"').fill_null("0"),
        v="v",
    ).filter(~pl.col("t").is_in(["s", "str", "inlineStr"]))
    if cells.is_empty():
        return True
    try:  # numbers and booleans are ASCII; anything else goes to python-calamine
        text = cells["v"].cast(pl.String)
    except pl.exceptions.PolarsError:
        return False
    cells = cells.with_columns(
        v=text,
        letters=pl.col("ref").str.extract(_REF, 1),
        row=pl.col("ref").str.extract(_REF, 2).cast(pl.Int64) - 1,
    )
    numbers = cells.filter(pl.col("t") == "n")
    booleans = cells.filter(pl.col("t") == "b")
    if (
        numbers.height + booleans.height != cells.height  # dates, errors: as python-calamine reads them
        or cells["letters"].null_count()
        or cells["ref"].is_duplicated().any()
        or not numbers["v"].str.contains(_NUMBER).all()
        or not booleans["v"].is_in(["0", "1"]).all()
    ):
        return False
    kind = _style_kinds(numbers["s"], styles)
    if kind is None:
        return False
    numbers = numbers.with_columns(kind=kind, value=pl.col("v").cast(pl.Float64))
    dates = numbers.filter(pl.col("kind") == DATE)
    numbers = numbers.filter(pl.col("kind") == PLAIN)
    if not dates.is_empty():
        serial = dates["value"]
        # python-calamine: a whole number from 1 (1900-01-01) to 9999-12-31 becomes a date;
        # fractions (a time of day) and anything else: python-calamine reads the sheet.
        if not ((serial == serial.floor()) & (serial >= 1) & (serial <= _LAST_SERIAL)).all():
            return False
        # Excel's 1900 counts a 29 February 1900 that never was: days before it count from a
        # day later (calamine: 1899-12-30 + serial, + 1 below 60).
        days = pl.col("value").cast(pl.Int64) + (pl.col("value") < 60).cast(pl.Int64)
        dates = dates.with_columns(
            v=(pl.lit(dt.date(1899, 12, 30)) + pl.duration(days=days)).cast(pl.Date).cast(pl.String)
        )
    index = {s: _col(s.encode()) for s in cells["letters"].unique().to_list()}
    for part, into in ((numbers, scan.numbers), (booleans, scan.booleans), (dates, scan.dates)):
        if part.is_empty():
            continue
        part = part.with_columns(col=pl.col("letters").replace_strict(index, return_dtype=pl.Int64))
        for (c,), group in part.group_by("col"):
            if into is scan.numbers:
                into[int(c)] = (group["row"], group["value"])
            elif into is scan.booleans:
                into[int(c)] = (group["row"], group["v"] == "1")
            else:
                into[int(c)] = (group["row"], group["v"])
    return True


def _style_kinds(used: pl.Series, styles: Sequence[int] | None) -> pl.Series | None:
    """PLAIN or DATE for each style index in `used` (text); None when one is neither."""
    if not styles:  # no styles in the workbook (General), or taken as plain
        return pl.repeat(PLAIN, len(used), dtype=pl.Int8, eager=True)
    index = used.str.to_integer(strict=False)
    if index.null_count() or not index.is_empty() and index.max() >= len(styles):  # type: ignore[operator]
        return None
    kinds = pl.Series(styles, dtype=pl.Int8).gather(index)
    return None if (kinds == OTHER).any() else kinds


def _strip_frame(frame: pl.DataFrame) -> list[pl.Series]:
    """`_strip_texts` of every column, in one polars query over the frame (run in parallel)."""
    stripped, odd = pl.collect_all(
        [
            frame.lazy().select(pl.when(pl.all().str.strip_chars() != "").then(pl.all().str.strip_chars())),
            frame.lazy().select(pl.all().str.contains(_PY_ONLY_SPACE).any()),
        ],
        engine=engine_for(frame.height),
    )
    flags = odd.row(0)
    return [
        _strip_texts(frame.to_series(i)) if flags[i] else stripped.to_series(i).alias("")
        for i in range(frame.width)
    ]


@dataclass
class FastSource:
    """What the faster path needs of a workbook: its bytes and the sheets' XML (in the pieces the
    guard read), by ZIP member."""

    data: bytes
    sheets_xml: dict[str, list[bytes]]


def fast_available() -> bool:
    """Whether the optional fastexcel package is installed (found without importing it)."""
    try:
        return importlib.util.find_spec("fastexcel") is not None
    except (ImportError, ValueError):
        return False


def fast_columns(
    source: FastSource, name: str
) -> tuple[list[pl.Series], list[pl.Series | None], list[tuple[int, int, int, int]]] | None:
    """(text columns from A, stored-as-number flags, merged ranges) of the sheet `name`, as the
    python-calamine path builds them, or None when this path cannot tell (see the module's
    docstring)."""
    try:
        import fastexcel
    except ImportError:
        return None
    try:
        zf = zipfile.ZipFile(io.BytesIO(source.data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with zf:
        member = sheet_member(zf, name)
        styles = number_styles(zf, uses_1904(zf))
    if member is None or member not in source.sheets_xml or styles is None:
        return None
    # (taken out: the pieces are freed once scanned; each sheet is read once)
    xml = source.sheets_xml.pop(member)
    loaded: dict[str, Any] = {}

    def load() -> None:
        try:
            reader = fastexcel.read_excel(source.data)
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            loaded["first"] = min((c.absolute_index for c in sheet.selected_columns), default=0)
            loaded["frame"] = sheet.to_polars()
        except Exception as e:  # noqa: BLE001 - any failure: the python-calamine path decides
            loaded["error"] = e

    if all(kind == PLAIN for kind in styles):
        # No style turns numbers into dates: fastexcel parses (it releases the GIL) while the
        # XML scan runs.
        worker = threading.Thread(target=load, name="xlsx-cells")
        worker.start()
        try:
            scan = scan_sheet_xml(xml)
        finally:
            worker.join()
    else:
        # Some style does: the scan first says whether this path can read the numbers under
        # them (if not, python-calamine reads the sheet, and fastexcel need not have parsed it).
        scan = scan_sheet_xml(xml, styles)
        if scan is not None:
            load()
    del xml
    if scan is None or "error" in loaded:
        return None
    frame: pl.DataFrame = loaded["frame"]
    if any(dt != pl.String for dt in frame.dtypes):
        return None
    height = frame.height
    first: int = loaded["first"]
    if not frame.width or not height:
        return ([], [], scan.merges) if scan.first_cell is None and not scan.numbers and not scan.booleans else None
    if not _aligned(frame, first, scan):
        return None
    # (one series each: a series may be changed in place later, e.g. by merged cells)
    cols = [pl.Series([None] * height, dtype=pl.String) for _ in range(first)] + _strip_frame(frame)
    numeric: list[pl.Series | None] = [None] * len(cols)
    for c, (rows, values) in scan.numbers.items():
        cols[c] = cols[c].scatter(rows, _numbers_text(values))
        numeric[c] = pl.repeat(False, height, dtype=pl.Boolean, eager=True).scatter(rows, True)
    for c, (rows, texts) in scan.dates.items():
        cols[c] = cols[c].scatter(rows, texts)
    for c, (rows, flags) in scan.booleans.items():
        cols[c] = cols[c].scatter(rows, pl.select(pl.when(flags).then(pl.lit("是")).otherwise(pl.lit("否"))).to_series())
    return cols, numeric, scan.merges


def _aligned(frame: pl.DataFrame, first: int, scan: SheetScan) -> bool:
    """Whether fastexcel's rows and columns sit where the XML puts its cells: every number and
    boolean has a text there, and the first cell of the XML is in the frame's first non-empty
    row (rows in the XML come in order): a check on how this fastexcel reads
    `skip_rows=0` and `absolute_index`, not on the data; otherwise python-calamine reads."""
    for found in (scan.numbers, scan.booleans, scan.dates):
        for c, (rows, _) in found.items():
            if not first <= c < first + frame.width or rows.max() >= frame.height:  # type: ignore[operator]
                return False
            if frame.to_series(c - first).gather(rows).null_count():
                return False
    if scan.first_cell is not None:
        r, c = scan.first_cell
        if not first <= c < first + frame.width or r >= frame.height:
            return False
        top = frame.head(r + 1).select(pl.any_horizontal(pl.all().is_not_null())).to_series().arg_true()
        if not top.len() or top[0] != r:
            return False
    return True


def _numbers_text(floats: pl.Series) -> pl.Series:
    """`_number_text` of each value: whole numbers below 10^15 in polars, the rest one by one."""
    plain = floats.is_finite() & (floats == floats.floor()) & (floats.abs() < 1e15)
    texts = floats.set(~plain, None).cast(pl.Int64).cast(pl.String)  # type: ignore[arg-type]
    other = (~plain).arg_true()
    if other.len():
        texts = texts.scatter(other, pl.Series([_number_text(v) for v in floats.gather(other).to_list()], dtype=pl.String))
    return texts
