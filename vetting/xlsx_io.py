"""Saving workbooks safely and reproducibly (the annotated report, stats and the template).

- Formulas are neutralised: a cell whose value would be a formula (`=HYPERLINK(…)`,
  `=cmd|' /C calc'!A0`, from a CSV cell or a formula of a copied workbook) is written as text,
  so a roster cannot make the report run anything when it is opened.
- The same workbook gives the same bytes: ZIP entry times are fixed, and the document's created /
  modified times are left out, or set from SOURCE_DATE_EPOCH when that is set (reproducible-builds
  convention).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["neutralise_formulas", "save_workbook"]

_CORE_TIMES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def neutralise_formulas(wb: Any) -> int:
    """Every formula cell becomes the text of its formula; returns how many were changed."""
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (
                    isinstance(cell.value, str) and cell.value[:1] == "=" and len(cell.value) > 1
                ):
                    text = str(cell.value)
                    cell.value = text
                    cell.data_type = "s"
                    n += 1
    return n


def _epoch() -> dt.datetime | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _core_time(when: dt.datetime) -> Any:
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return lambda m: b"<dcterms:" + m[1] + b' xsi:type="dcterms:W3CDTF">' + iso + b"</dcterms:" + m[1] + b">"


def save_workbook(wb: Any, path: str | Path, when: dt.datetime | None = None) -> None:
    """Save with neutralised formulas and fixed times (the same content, the same bytes): `when`
    (a request's date), else SOURCE_DATE_EPOCH, else no times at all."""
    neutralise_formulas(wb)
    buf = io.BytesIO()
    wb.save(buf)
    when = when or _epoch()
    stamp = (when or dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    if stamp[0] < 1980:
        stamp = (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                if when is None:
                    data = _CORE_TIMES.sub(b"", data)
                else:
                    data = _CORE_TIMES.sub(_core_time(when), data)
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)  # type: ignore[arg-type]
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, data)
    Path(path).write_bytes(out.getvalue())
