"""`vetting stats --format xlsx -o 统计表.xlsx`: one sheet per level, plus the previous term and
the claims. Cells hold numbers (shares as fractions formatted `0.0%`, means `0.0`), so the
office can go on computing with them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..messages import level_label, text
from ..stats import (
    CHANGES,
    FIGURES,
    LEVEL_KEYS,
    TURNOVER,
    GroupStats,
    StatsResult,
    young_label,
)
from ..xlsx_io import save_workbook
from . import stats_common as sc

PCT = "0.0%"
MEAN = "0.0"
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
BAD_FILL = PatternFill("solid", fgColor="F8CBAD")
GOOD_FILL = PatternFill("solid", fgColor="C6EFCE")
SHEET_NAMES = {"roster": "全部名单", "district": "按县(市、区)", "township": "按乡镇(街道)", "unit": "按村(社区)"}


def _f(x: Any) -> Any:
    return None if x is None else float(x)


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for j, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=j, value=label)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _widths(ws: Worksheet, widths: dict[int, float], default: float = 11) -> None:
    for j in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(j, default)


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    if fmt and value is not None:
        cell.number_format = fmt


def _figure_columns(result: StatsResult) -> list[tuple[str, str, str]]:
    """(label, figure key, what: count | share | mean | n)."""
    cols: list[tuple[str, str, str]] = []
    for key, spec in FIGURES.items():
        zh = young_label(spec.zh, result.youth_max_age)
        if spec.kind == "mean":
            cols += [(zh, key, "mean"), (f"{zh}（人数）", key, "n")]
        else:
            cols.append((zh, key, "count"))
            if spec.of:
                cols.append((f"{zh}占{text('of.' + spec.of)}", key, "share"))
    return cols


def _roster_sheet(ws: Worksheet, result: StatsResult, g: GroupStats) -> None:
    ws.append([f"{g.path}：主要结构数字（基准日 {result.as_of.isoformat()}）"])
    ws.cell(row=1, column=1).font = Font(bold=True, size=12)
    labels = ["指标", "键", "本届", "占比", "口径"]
    if g.previous is not None:
        labels += ["上届", "上届占比", "变化"]
    _header(ws, 2, labels)
    r = 3
    for key, spec in FIGURES.items():
        fig = g.figures[key]
        _put(ws, r, 1, young_label(spec.zh, result.youth_max_age))
        _put(ws, r, 2, key)
        if fig.kind == "mean":
            _put(ws, r, 3, _f(fig.mean), MEAN)
            _put(ws, r, 5, f"{fig.n}人的平均年龄")
        else:
            _put(ws, r, 3, fig.count)
            _put(ws, r, 4, _f(fig.share), PCT)
            _put(ws, r, 5, text("of." + fig.of) if fig.of else "")
        if g.previous is not None:
            pf = g.previous.figures[key]
            if pf.kind == "mean":
                _put(ws, r, 6, _f(pf.mean), MEAN)
            else:
                _put(ws, r, 6, pf.count)
                _put(ws, r, 7, _f(pf.share), PCT)
            ch = sc.change_of(fig, pf)
            _put(ws, r, 8, _f(ch) if fig.kind == "mean" else ch, MEAN if fig.kind == "mean" else None)
        r += 1
    if g.previous is not None:
        for key, label in TURNOVER.items():
            _put(ws, r, 1, label)
            _put(ws, r, 2, f"previous.{key}")
            _put(ws, r, 3, g.previous.turnover(key))
            _put(ws, r, 5, "两委成员")
            r += 1
    for col in result.breakdown_columns:
        r += 1
        _header(ws, r, [col, "", "人数", "占比", "口径"])
        r += 1
        for v, fig in g.breakdown.get(col, {}).items():
            _put(ws, r, 1, v)
            _put(ws, r, 3, fig.count)
            _put(ws, r, 4, _f(fig.share), PCT)
            _put(ws, r, 5, "两委成员")
            r += 1
    _widths(ws, {1: 22, 2: 26, 5: 16})
    ws.freeze_panes = "C3"


def _level_sheet(ws: Worksheet, result: StatsResult, level: str) -> None:
    groups = result.level_groups(level)
    names = [level_label(k) for k in LEVEL_KEYS[level]]
    fcols = _figure_columns(result)
    bcols: list[tuple[str, str]] = []
    for col in result.breakdown_columns:
        for g in groups:
            for v in g.breakdown.get(col, {}):
                if (col, v) not in bcols:
                    bcols.append((col, v))
    labels = [*names, *(c[0] for c in fcols)]
    for col, v in bcols:
        labels += [f"{col}：{v}", f"{col}：{v}占两委成员"]
    _header(ws, 1, labels)
    for i, g in enumerate(groups, start=2):
        j = 1
        for k in LEVEL_KEYS[level]:
            _put(ws, i, j, getattr(g, k))
            j += 1
        for _, key, what in fcols:
            fig = g.figures[key]
            if what == "count":
                _put(ws, i, j, fig.count)
            elif what == "share":
                _put(ws, i, j, _f(fig.share), PCT)
            elif what == "mean":
                _put(ws, i, j, _f(fig.mean), MEAN)
            else:
                _put(ws, i, j, fig.n)
            j += 1
        for col, v in bcols:
            bf = g.breakdown.get(col, {}).get(v)
            _put(ws, i, j, bf.count if bf else 0)
            _put(ws, i, j + 1, _f(bf.share) if bf else None, PCT)
            j += 2
    _widths(ws, {j: 16 for j in range(1, len(names) + 1)})
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = ws.cell(row=2, column=len(names) + 1)


def _previous_sheet(ws: Worksheet, result: StatsResult) -> None:
    labels = ["层级", "县(市、区)", "乡镇(街道)", "村(社区)", *TURNOVER.values()]
    for key in CHANGES:
        zh = FIGURES[key].zh
        labels += [f"本届{zh}", f"上届{zh}", f"{zh}变化"]
    _header(ws, 1, labels)
    r = 2
    for g in result.groups:
        p = g.previous
        if p is None:
            continue
        values: list[Any] = [level_label(g.level), g.district, g.township, g.unit]
        values += [p.turnover(k) for k in TURNOVER]
        for j, v in enumerate(values, start=1):
            _put(ws, r, j, v)
        j = len(values) + 1
        for key, kind in CHANGES.items():
            now, before = g.figures[key], p.figures[key]
            if kind == "mean":
                _put(ws, r, j, _f(now.mean), MEAN)
                _put(ws, r, j + 1, _f(before.mean), MEAN)
                _put(ws, r, j + 2, _f(p.changes[key]), MEAN)
            else:
                _put(ws, r, j, now.count)
                _put(ws, r, j + 1, before.count)
                _put(ws, r, j + 2, p.changes[key])
            j += 3
        r += 1
    _widths(ws, {1: 12, 2: 14, 3: 16, 4: 16})
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "E2"


def _claims_sheet(ws: Worksheet, result: StatsResult) -> None:
    sec = sc.claims_section(result)
    _header(ws, 1, [*sec.columns, "指标键"])
    for i, (row, c) in enumerate(zip(sec.rows, result.claims, strict=True), start=2):
        for j, v in enumerate(row, start=1):
            _put(ws, i, j, int(v) if j == 1 else v)
        _put(ws, i, len(row) + 1, c.claim.figure)
        ws.cell(row=i, column=len(row)).fill = GOOD_FILL if c.agrees else BAD_FILL
        ws.cell(row=i, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    n = len(result.claims) + 3
    ws.cell(row=n, column=2, value=sc.claims_verdict(result)).font = BOLD
    _widths(ws, {1: 6, 2: 48, 3: 22, 4: 22, 5: 16, 6: 16, 7: 22, 8: 8, 9: 34})
    ws.freeze_panes = "C2"


def write(result: StatsResult, path: Path) -> None:
    wb = Workbook()
    first = True
    for level in result.levels:
        name = SHEET_NAMES[level]
        ws = wb.active if first else wb.create_sheet(name)
        assert ws is not None
        ws.title = name
        first = False
        if level == "roster":
            _roster_sheet(ws, result, result.level_groups("roster")[0])
        else:
            _level_sheet(ws, result, level)
    if result.previous_as_of is not None:
        _previous_sheet(wb.create_sheet("与上届比较"), result)
    if result.claims:
        _claims_sheet(wb.create_sheet("公布数字核对"), result)
    save_workbook(wb, path)
