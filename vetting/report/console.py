"""The console report: findings grouped by township and unit, then a summary.

Rich renders colour on a terminal and plain text elsewhere (a pipe, a file, CI logs)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..findings import Finding, Severity
from ..messages import pick, severity_label, text
from ..result import TOOL, LintResult
from . import ReportOptions, present_message, present_subject

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


# Control characters (terminal escape sequences, carriage returns) and bidirectional overrides in
# what a roster holds are shown escaped (`\x1b`), never sent to the terminal as they are.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


UNITS_LISTED = 10  # units named per election date in the header

def _safe(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 256 else f"\\u{ord(m[0]):04x}", text)


def _roster_order(result: LintResult) -> dict[tuple[str, str, str], tuple[int, int, int]]:
    """Each (district, township, unit) and its prefixes ranked by first appearance in the
    roster, so the console follows the roster's order, not character codes."""
    roster = result.roster
    cols = ("district", "township", "unit")
    if roster is None or not all(c in roster.frame.columns for c in cols):
        return {}
    seen = roster.frame.select(cols).unique(maintain_order=True).rows()
    rank: dict[tuple[str, ...], int] = {}
    for d, t, u in seen:
        for key in ((d or "",), (d or "", t or ""), (d or "", t or "", u or "")):
            rank.setdefault(key, len(rank))
    out: dict[tuple[str, str, str], tuple[int, int, int]] = {}
    for d, t, u in seen:
        d, t, u = d or "", t or "", u or ""
        rd, rt, ru = rank[(d,)], rank[(d, t)], rank[(d, t, u)]
        out[(d, t, u)] = (rd, rt, ru)
        out.setdefault((d, t, ""), (rd, rt, -1))
        out.setdefault((d, "", ""), (rd, -1, -1))
    return out


def _group_key(f: Finding) -> tuple[str, str, str]:
    s = f.subject
    return (s.district or "", s.township or "", s.unit or "")


def _group_title(key: tuple[str, str, str], scope_files: bool, opts: ReportOptions) -> str:
    if scope_files:
        return text("files_and_columns", opts.lang)
    parts = [p for p in key if p]
    return " › ".join(parts) if parts else text("level.roster", opts.lang)


def _where(f: Finding, opts: ReportOptions, files: dict[tuple[str, str | None], str] | None = None) -> str:
    """Row and cell; with several files or sheets, which one (`乙.xlsx›马寨镇 第4行 B4`); a waiver
    finding's line is the waiver file's, and says so."""
    loc = f.location
    if f.code.startswith("WV") and loc.row is not None:
        return pick(opts.lang, f"豁免清单第{loc.row}行", f"waiver file line {loc.row}")
    prefix = f"{files[(loc.path, loc.sheet)]} " if files and (loc.path, loc.sheet) in files else ""
    if loc.row is None:
        return prefix + ("—" if f.scope != "column" else (loc.cell or loc.column or ""))
    row = text("row", opts.lang, n=loc.row)
    return prefix + (f"{row} {loc.cell}" if loc.cell else row)


def _file_labels(result: LintResult) -> dict[tuple[str, str | None], str]:
    """A short label per input (file name, and sheet where a file gave several) when a run read
    more than one; empty otherwise."""
    from pathlib import Path

    keys = [(i.path, i.sheet) for i in result.inputs]
    if len(keys) < 2:
        return {}
    paths = {p for p, _ in keys}
    out = {}
    for path, sheet in keys:
        name = Path(path).name
        several = sum(1 for p, _ in keys if p == path) > 1
        out[(path, sheet)] = f"{name}›{sheet}" if several and sheet else (name if len(paths) > 1 else sheet or name)
    return out


def _who(f: Finding, opts: ReportOptions) -> str:
    s = present_subject(f.subject, opts)
    if f.scope in ("person",) or f.location.row is not None:
        parts = [p for p in (s.name, s.id_number) if p]
        return "\n".join(parts)
    return ""


def print_report(result: LintResult, opts: ReportOptions, console: Console) -> None:
    if not opts.quiet:
        _header(result, opts, console)
    findings = result.findings
    if findings and not opts.quiet and not opts.statistics:
        groups: dict[tuple[bool, tuple[str, str, str]], list[Finding]] = defaultdict(list)
        for f in findings:
            groups[(f.scope == "column", _group_key(f))].append(f)
        # Files and columns first, then by district / township / unit; larger groups (township,
        # district) before their units because their key is a prefix.
        order = _roster_order(result)
        files = _file_labels(result)
        late = (1 << 30, 0, 0)
        on_table = _unit_table_places(result)
        for (is_file, key), items in sorted(
            groups.items(), key=lambda kv: (not kv[0][0], order.get(kv[0][1], late), kv[0][1])
        ):
            console.print(Text(_safe(_group_title(key, is_file, opts)), style="bold"))
            # the unit's findings on the unit table (换届程序) after those on its people
            mine = [f for f in items if is_file or (f.location.path, f.location.sheet) not in on_table]
            procedure = [f for f in items if f not in mine]
            if mine:
                console.print(Padding(_findings(mine, opts, files), (0, 0, 0 if procedure else 1, 2), expand=False))
            if procedure:
                where = procedure[0].location.sheet or procedure[0].location.path
                console.print(Padding(Text(_safe(pick(opts.lang, f"换届程序（{where}）", f"Election procedure ({where})")), style="bold"), (0, 0, 0, 2)))
                console.print(Padding(_findings(procedure, opts, files), (0, 0, 1, 4), expand=False))
    if opts.statistics or not opts.quiet:
        _summary(result, opts, console)
    if result.fixed and not opts.quiet:
        console.print(Text(pick(opts.lang, f"基线中已有 {len(result.fixed)} 个问题不再出现（已整改）：", f"{len(result.fixed)} baselined findings are fixed:"), style="green"))
        for e in result.fixed[:50]:
            console.print(Text(f"  {e.get('code')}  {e.get('group') or ''}", style="green"))
    _verdict(result, opts, console)


def _unit_table_places(result: LintResult) -> set[tuple[str, str | None]]:
    """(path, sheet) of the unit tables (单位信息) the run read."""
    table = getattr(result.roster, "units", None)
    return {(s.path, s.sheet) for s in table.sources} if table is not None else set()


def _header(result: LintResult, opts: ReportOptions, console: Console) -> None:
    p = result.policy
    head = Text()
    head.append(f"vetting {TOOL['version']}", style="bold")
    head.append(pick(opts.lang, f" · 政策 {p.name}", f" · policy {p.name}"))
    if p.version:
        head.append(f" {p.version}")
    head.append(pick(opts.lang, " · 基准日 ", " · as of ") + result.as_of_text(opts.lang == "en"))
    console.print(head)
    by_date: dict[str, list[str]] = {}
    for group, d in result.unit_dates():  # units checked at their own election date
        by_date.setdefault(d.isoformat(), []).append("".join(p for p in group if p))
    for day, units in by_date.items():
        shown = "、".join(units[:UNITS_LISTED]) + (pick(opts.lang, f" 等{len(units)}个", f" and {len(units) - UNITS_LISTED} more")
                                                   if len(units) > UNITS_LISTED else "")
        console.print(Text(pick(opts.lang, f"  按选举日 {day} 计算：{shown}", f"  checked as of {day}: {shown}"), style="dim"))
    for i in result.inputs:
        bits = []
        if i.sheet:
            bits.append(pick(opts.lang, f"工作表“{i.sheet}”", f"sheet '{i.sheet}'"))
        if i.header_row:
            bits.append(pick(opts.lang, f"表头在第{i.header_row}行", f"header on row {i.header_row}"))
        bits.append(pick(opts.lang, f"{i.rows}行数据", f"{i.rows} data rows"))
        if i.encoding and i.encoding not in ("utf-8",):
            bits.append(pick(opts.lang, f"编码 {i.encoding}", f"encoding {i.encoding}"))
        if i.notes:
            bits.append(pick(opts.lang, f"另有{len(i.notes)}行标题或说明未作数据", f"{len(i.notes)} title/notes rows skipped"))
        console.print(Text(_safe(f"  {i.path}（" + "，".join(bits) + "）" if opts.lang != "en" else f"  {i.path} (" + ", ".join(bits) + ")"), style="dim"))
        for remark in i.remarks:
            console.print(Text(_safe(f"    {remark}"), style="dim"))
    console.print(
        Text(
            pick(opts.lang, f"  共 {result.rows} 行、{result.people} 人、{result.units} 个村(社区)",
               f"  {result.rows} rows, {result.people} people, {result.units} units"),
            style="dim",
        )
    )
    console.print()


def _findings(items: list[Finding], opts: ReportOptions, files: dict[tuple[str, str | None], str] | None = None) -> Group:
    """One finding = a heading line (where, code, level, who, title) and the message below it,
    indented, wrapping freely (Chinese text has no spaces to break at, so it folds)."""
    lines: list[RenderableType] = []
    for f in items:
        sev = f.severity.value
        head = Text()
        head.append(f"{_safe(_where(f, opts, files)):<12}", style="bold")
        head.append(" ")
        head.append(f.code, style=STYLE[sev])
        head.append(" ")
        if f.waiver is not None:
            head.append(text("waived", opts.lang), style="green")
        else:
            head.append(severity_label(sev, opts.lang), style=STYLE[sev])
        who = _safe(_who(f, opts).replace("\n", " "))
        if who:
            head.append("  " + who)
        head.append("  " + _safe(f.title), style="bold")
        body = Text(_safe(present_message(f.message, opts)), overflow="fold")
        if f.source:
            body.append(f"  〔{f.source}〕", style="dim")
        if f.waiver is not None:
            body.append(
                "\n" + _safe(text("waived.by", opts.lang, reason=f.waiver.reason, by=f.waiver.approved_by, expires=f.waiver.expires)),
                style="green",
            )
        lines.append(head)
        lines.append(Padding(body, (0, 0, 0, 4), expand=False))
    return Group(*lines)


def _summary(result: LintResult, opts: ReportOptions, console: Console) -> None:
    if not result.findings:
        return
    from .per_rule import per_rule

    table = Table(title=pick(opts.lang, "按规则统计", "By rule"), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column(text("heading.code", opts.lang))
    table.add_column(text("heading.rule", opts.lang))
    table.add_column(text("heading.severity", opts.lang))
    table.add_column(pick(opts.lang, "数量", "count"), justify="right")
    for code, severity, fs in per_rule(result.findings):
        sev = severity.value
        table.add_row(code, fs[0].title, Text(severity_label(sev, opts.lang), style=STYLE[sev]), str(len(fs)))
    console.print(table)


def _verdict(result: LintResult, opts: ReportOptions, console: Console) -> None:
    c = result.counts()
    parts: list[Any] = []
    if not result.findings:
        console.print(Text(text("no_findings", opts.lang), style="bold green"))
        return
    for sev in Severity:
        n = c[sev.value]
        label = severity_label(sev.value, opts.lang)
        parts.append(Text(f"{n} " + (f"{label}s" if opts.lang == "en" and n != 1 else label), style=STYLE[sev.value] if n else "dim"))
    line = Text(pick(opts.lang, "合计：", "Total: "), style="bold")
    for i, p in enumerate(parts):
        if i:
            line.append(pick(opts.lang, "，", ", "))
        line.append_text(p)
    if c["waived"]:
        line.append(pick(opts.lang, f"（另有 {c['waived']} 项已豁免）", f" ({c['waived']} waived)"), style="green")
    console.print(Rule(style="dim"))
    console.print(line)

