"""How long the annotated workbook of a large CSV roster takes, and what a streaming writer would take.

    python benchmarks/xlsx_stream.py [ROSTER.csv] [--skip-openpyxl]

Lints the roster once (untimed), then times in the same process, CPU and wall:

- `openpyxl`: `vetting.report.xlsx.write`, the annotated workbook `lint -f xlsx` writes (a
  sheet rebuilt from the roster's raw text, a fill and a comment on each cell a finding
  names, every cell masked, the findings and summary sheets);
- `xlsxwriter constant_memory`: a prototype of the same roster sheet and findings sheet written
  row by row with XlsxWriter's streaming mode (each row leaves memory once written): the same
  cells (`_Target.cell_of`), the same comment texts, fills and masking functions, no summary
  sheet (a few hundred cells);
- `xlsxwriter`: the same prototype with shared strings (the whole workbook in memory).

The prototype is a measurement, not the product: it shows what the output would cost if
`report/xlsx.py` wrote CSV-born rosters through XlsxWriter. Its output is written beside the
roster's data (benchmarks/data/, not committed) so that it can be opened and compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from vetting import api  # noqa: E402
from vetting.messages import text as message  # noqa: E402
from vetting.report import ReportOptions, present_message, present_subject  # noqa: E402
from vetting.report.xlsx import (  # noqa: E402
    _PLAIN_INT,
    _TEXT,
    FILLS,
    FONT_COLOURS,
    _fill_key,
    _sev_label,
    _Target,
)
from vetting.report.xlsx_privacy import _mask_digits, _scrub_value  # noqa: E402


def _layout(result: Any) -> tuple[Any, list[tuple[int, str, str]], list[int], _Target]:
    """The columns and rows of the CSV roster's sheet, as `_build_sheet` places them."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import column_index_from_string

    src = result.roster.sources[0]
    sub = result.roster.frame
    placed = [(letter, header, f"{key}:raw") for key, (header, letter) in src.columns.items()]
    placed += [(letter, header, f"x:{header}") for header, letter in src.extra_columns]
    named = {p[2] for p in placed}
    placed += [(None, c[2:].rstrip("'"), c) for c in sub.columns
               if c.startswith("x:") and c not in named and sub[c].null_count() < sub.height]
    placed = [p for p in placed if p[2] in sub.columns]
    used = {column_index_from_string(p[0]) for p in placed if p[0]}
    free = (n for n in range(1, 10_000) if n not in used)
    positioned = [(column_index_from_string(p[0]) if p[0] else next(free), p[1], p[2]) for p in placed]
    letters: dict[str, str] = {}
    for col_idx, header, _ in positioned:
        letters.setdefault(header, get_column_letter(col_idx))
    rows = [int(r) for r in sub["_row"].to_list()]
    return src, positioned, rows, _Target(None, src, None, letters, max(src.header_row, 1))  # type: ignore[arg-type]


def stream(result: Any, opts: ReportOptions, path: Path, *, constant_memory: bool) -> None:
    import xlsxwriter
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    t = _TEXT["zh"]
    src, positioned, rows, tg = _layout(result)
    frame = result.roster.frame
    fields = result.roster.fields
    # Which cells carry findings (known before any row is written: streaming writes each once).
    cells: dict[tuple[int, int], list[Any]] = defaultdict(list)
    where: dict[int, str] = {}
    for k, f in enumerate(result.findings):
        coord = tg.cell_of(f)
        if coord is None:
            continue
        col, row = coordinate_from_string(coord)
        cells[(row, column_index_from_string(col))].append(f)
        where[k] = coord
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    fills = {k: wb.add_format({"bg_color": "#" + v}) for k, v in FILLS.items()}
    head = wb.add_format({"bold": True, "bg_color": "#F2F2F2"})
    ws = wb.add_worksheet(Path(src.path).stem[:31])
    header_row = tg.header_row

    def comment(fs: list[Any]) -> tuple[str, dict[str, Any]]:
        lines = []
        for f in sorted(fs, key=lambda f: (f.waiver is not None, -f.severity.rank, f.code)):
            line = f"{f.code} {_sev_label(f, opts.lang)}：{present_message(f.message, opts)}"
            if f.source:
                line += f"〔{f.source}〕"
            lines.append(line)
        text = "\n".join(lines)
        chars = sum(max(1, len(x) // 26 + 1) for x in text.split("\n"))
        return text, {"author": "vetting", "x_scale": 320 / 128, "y_scale": min(600, 24 + 17 * chars) / 74}

    def put(r: int, c: int, v: Any, fmt: Any = None) -> None:
        """One cell (1-based), its fill and comment written with it: a streamed row is final."""
        fs = cells.get((r, c))
        if fs:
            fmt = fills[_fill_key(fs)]
        if v is None:
            if fs:
                ws.write_blank(r - 1, c - 1, None, fmt)
        elif isinstance(v, int):
            ws.write_number(r - 1, c - 1, v, fmt)
        else:
            ws.write_string(r - 1, c - 1, v, fmt)
        if fs:
            ws.write_comment(r - 1, c - 1, *comment(fs))

    masked_as = {}
    for key in src.columns:
        spec = fields.get(key)
        if spec is not None and spec.personal:
            masked_as[f"{key}:raw"] = ("evidence", key) if spec.type in ("flag", "flag_text") else (
                ("scrub", None) if spec.type in ("id_number", "id_list") else ("digits", None))
    columns = []
    for col_idx, _, name in positioned:
        how, key = masked_as.get(name, ("scrub", None))
        parsed = frame[key].to_list() if how == "evidence" and key in frame.columns else None
        columns.append((col_idx, frame[name].to_list(), how, parsed))
    by_row: dict[int, list[tuple[int, Any, Any]]] = defaultdict(list)
    for r, text in src.notes:
        by_row[r].append((1, _scrub_value(text), None))
    by_row[header_row] += [(col_idx, header, head) for col_idx, header, _ in positioned]
    data_row = {r: i for i, r in enumerate(rows)}
    noted: dict[int, list[int]] = defaultdict(list)
    for r, c in cells:
        noted[r].append(c)
        by_row.setdefault(r, [])
    for r in sorted(set(by_row) | set(rows)):
        out = {c: (v, fmt) for c, v, fmt in by_row.get(r, ())}
        i = data_row.get(r)
        if i is not None:
            for c, values, how, parsed in columns:
                v = values[i]
                if v is None:
                    continue
                v = str(v)
                if how == "evidence" and (parsed is None or parsed[i] is not False):
                    v = message("pii.on_record", "zh")
                elif how == "digits":
                    v = _mask_digits(v)
                else:
                    v = _scrub_value(v)
                out[c] = (int(v) if _PLAIN_INT.match(v) else v, None)
        for c in noted.get(r, ()):
            out.setdefault(c, (None, None))
        for c in sorted(out):
            put(r, c, *out[c])
    # The findings sheet.
    fs_ws = wb.add_worksheet(t["findings"])
    bold = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#A61B1B"})
    sev_fmt = {k: wb.add_format({"bg_color": "#" + FILLS[k], "font_color": "#" + FONT_COLOURS[k], "bold": True}) for k in FILLS}
    link = wb.add_format({"font_color": "#0563C1", "underline": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    fs_ws.write_row(0, 0, t["columns"], bold)
    sheet = ws.get_name()
    for k, f in enumerate(result.findings):
        s = present_subject(f.subject, opts)
        r = k + 1
        sev = "waived" if f.waiver is not None else f.severity.value
        fs_ws.write_row(r, 0, [f.code])
        fs_ws.write_string(r, 1, _sev_label(f, opts.lang), sev_fmt[sev])
        fs_ws.write_row(r, 2, [f.category, f.title, s.district, s.township, s.unit, s.name, s.id_number, f.location.row])
        if k in where:
            fs_ws.write_url(r, 10, f"internal:'{sheet}'!{where[k]}", link, f.location.cell or where[k])
        fs_ws.write_string(r, 11, present_message(f.message, opts), wrap)
        if f.source:
            fs_ws.write_string(r, 12, f.source)
    fs_ws.autofilter(0, 0, len(result.findings), len(t["columns"]) - 1)
    fs_ws.freeze_panes(1, 0)
    wb.close()


def timed(label: str, fn: Any) -> None:
    c0, w0 = time.process_time(), time.perf_counter()
    fn()
    print(f"{label:34} CPU {time.process_time() - c0:6.1f} s  wall {time.perf_counter() - w0:6.1f} s  "
          f"(process peak so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("roster", nargs="?", default=str(HERE / "data" / "roster-100k.csv"))
    ap.add_argument("--skip-openpyxl", action="store_true", help="time the prototypes only")
    a = ap.parse_args()
    from vetting.report import xlsx as report_xlsx

    result = api.lint([Path(a.roster)], as_of=dt.date(2021, 1, 10))
    opts = ReportOptions()
    out = HERE / "data"
    print(f"{a.roster}: {result.rows} rows, {len(result.findings)} findings", flush=True)
    # Streaming first: its memory is then not hidden under openpyxl's peak.
    timed("xlsxwriter constant_memory", lambda: stream(result, opts, out / "stream-constant.xlsx", constant_memory=True))
    timed("xlsxwriter (shared strings)", lambda: stream(result, opts, out / "stream-shared.xlsx", constant_memory=False))
    if not a.skip_openpyxl:
        timed("openpyxl (vetting.report.xlsx)", lambda: report_xlsx.write(result, opts, out / "openpyxl.xlsx"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
