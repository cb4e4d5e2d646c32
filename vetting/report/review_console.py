"""The joint review on the console and as JSON (`vetting review merge/status`): the returns
read, the summaries by department and by township, and the RV findings. Personal data is
masked as in every other output (`--show-pii` lifts it)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..findings import Finding
from ..messages import severity_label, text
from ..result import TOOL
from ..review.ledger import Ledger, share_text
from . import ReportOptions, finding_dict, present_message, present_subject
from .fastjson import dumps_indent2

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
# RV001 can be one finding per person and department: listed by department, a few names each.
RV001_NAMES_SHOWN = 8


def rv_findings(ledger: Ledger) -> list[Finding]:
    return [f for f in ledger.lint.findings if f.code.startswith("RV")]


def print_review(ledger: Ledger, opts: ReportOptions, console: Console, *, title: str) -> None:
    merge = ledger.merge
    console.print(Text(title, style="bold"))
    files = Table(box=box.SIMPLE_HEAD, title="回复文件", title_justify="left")
    for h in ("文件", "部门", "轮次", "识别自", "行数", "仅列问题", "文号"):
        files.add_column(h)
    for rf in merge.returns:
        files.add_row(Path(rf.path).name, rf.department.name, str(rf.round), rf.how, str(len(rf.rows)),
                      "是" if rf.hits_only else "", rf.doc_no or "")
    for rf in merge.rejected:
        files.add_row(Text(Path(rf.path).name, style="red"), rf.department.name, str(rf.round), rf.how,
                      str(len(rf.rows)), "是" if rf.hits_only else "", Text("未合并（RV006）", style="red"))
    if merge.returns or merge.rejected:
        console.print(files)
    for note in merge.notes:
        console.print(Text("注意：" + note, style="yellow"))
    depts = Table(box=box.SIMPLE_HEAD, title="按部门", title_justify="left")
    for h in ("部门", "必须", "轮次", "请求", "已回复", "有问题", "待查", "未回复"):
        depts.add_column(h, justify="left" if h == "部门" else "right")
    for d in ledger.departments:
        depts.add_row(d.name, "是" if d.required else "否", str(d.round or "—"), str(d.requested), str(d.answered),
                      str(d.hits), str(d.pending), Text(str(d.missing), style="bold red" if d.missing and d.required else ""))
    console.print(depts)
    towns = Table(box=box.SIMPLE_HEAD, title="按乡镇(街道)", title_justify="left")
    for h in ("乡镇(街道)", "人数", "已审完", "完成率", "通过", "不通过", "待定"):
        towns.add_column(h, justify="left" if h == "乡镇(街道)" else "right")
    for t in ledger.townships:
        towns.add_row(t.name, str(t.people), str(t.reviewed), share_text(t.reviewed, t.people), str(t.passed),
                      Text(str(t.to_replace), style="bold red" if t.to_replace else ""), str(t.pending))
    console.print(towns)
    if ledger.unusable:
        console.print(Text(f"注意：名单中有{len(ledger.unusable)}行身份证号码无效或缺失，未列入联审（先用 vetting lint 更正）。", style="yellow"))
    findings = rv_findings(ledger)
    missing: dict[str, list[str]] = defaultdict(list)
    for e in ledger.entries:
        for dept in e.missing:
            missing[dept].append(f"{e.person.name}（{e.person.unit}）")
    others = [f for f in findings if f.code != "RV001"]
    if missing:
        console.print(Text("尚未回复或待查（RV001 / RV005）", style="bold"))
        for d in ledger.departments:
            people = missing.get(d.name)
            if not people:
                continue
            more = f" 等{len(people)}人" if len(people) > RV001_NAMES_SHOWN else f" 共{len(people)}人"
            console.print(f"  {d.name}：" + "、".join(people[:RV001_NAMES_SHOWN]) + more)
    if others:
        table = Table(box=box.SIMPLE_HEAD, title="联审问题", title_justify="left")
        for h in (text("heading.code"), text("heading.severity"), "文件位置", "人员", "说明"):
            table.add_column(h, overflow="fold")
        for f in others:
            s = present_subject(f.subject, opts)
            loc = f.location
            where = Path(loc.path).name + (f" 第{loc.row}行" if loc.row is not None else "") + (f" {loc.cell}" if loc.cell else "")
            who = " ".join(x for x in (s.name, s.id_number) if x)
            table.add_row(f.code, Text(severity_label(f.severity.value), style=STYLE[f.severity.value]), where, who,
                          present_message(f.message, opts))
        console.print(table)
    n = {"error": 0, "warning": 0}
    for f in findings:
        if f.severity.value in n:
            n[f.severity.value] += 1
    state = "联审已完成" if ledger.complete else f"联审未完成：还缺 {ledger.missing_count} 项必须的回复"
    console.print(Text(f"{state}。联审问题：错误 {n['error']}，警告 {n['warning']}。", style="bold" if ledger.complete else "bold yellow"))


def review_document(ledger: Ledger, opts: ReportOptions) -> dict[str, Any]:
    findings = rv_findings(ledger)
    result = ledger.lint
    counts = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for f in findings:
        counts["waived" if f.waiver is not None else f.severity.value] += 1
    merge = ledger.merge
    return {
        "tool": dict(TOOL),
        "as_of": result.as_of.isoformat(),
        "policies": [{"name": p.name, "version": p.version, "path": p.path} for p in result.policies],
        "inputs": [{"path": i.path, "sheet": i.sheet, "rows": i.rows} for i in result.inputs]
        + [{"path": rf.path, "sheet": rf.sheet, "rows": len(rf.rows)} for rf in [*merge.returns, *merge.rejected]],
        "summary": {**counts, "rows": result.rows, "people": result.people, "units": result.units},
        "findings": [finding_dict(f, opts) for f in findings],
        "review": {
            "complete": ledger.complete,
            "missing": ledger.missing_count,
            "returns": [
                {"path": rf.path, "department": rf.department.name, "round": rf.round, "recognised_by": rf.how,
                 "rows": len(rf.rows), "hits_only": rf.hits_only, "doc_no": rf.doc_no, "batch": rf.batch,
                 "merged": rf not in merge.rejected}
                for rf in [*merge.returns, *merge.rejected]
            ],
            "departments": [
                {"name": d.name, "required": d.required, "round": d.round, "requested": d.requested,
                 "answered": d.answered, "hits": d.hits, "pending": d.pending, "missing": d.missing}
                for d in ledger.departments
            ],
            "townships": [
                {"district": t.district, "township": t.township, "people": t.people, "reviewed": t.reviewed,
                 "passed": t.passed, "to_replace": t.to_replace, "pending": t.pending, "with_findings": t.with_findings}
                for t in ledger.townships
            ],
        },
    }


def render_json(ledger: Ledger, opts: ReportOptions) -> str:
    return dumps_indent2(review_document(ledger, opts)) + "\n"
