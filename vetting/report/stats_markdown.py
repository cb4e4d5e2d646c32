"""`vetting stats --format markdown`: the console's tables as Markdown (for a report or a wiki)."""

from __future__ import annotations

from ..messages import level_label
from ..stats import StatsResult
from . import stats_common as sc


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(sec: sc.Section) -> str:
    lines = [f"### {sec.title}", ""]
    lines.append("| " + " | ".join(_cell(c) for c in sec.columns) + " |")
    lines.append("| " + " | ".join("---:" if i in sec.right else "---" for i in range(len(sec.columns))) + " |")
    for row in sec.rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    lines.append("")
    return "\n".join(lines)


def render(result: StatsResult) -> str:
    head = sc.header_lines(result)
    parts = ["# 换届结构统计", "", head[0].replace("vetting stats · ", "`vetting stats` · "), ""]
    parts += [f"- {line.strip()}" for line in head[1:]]
    parts.append("")
    for level in result.levels:
        if level == "roster":
            g = result.level_groups("roster")[0]
            parts.append("## 全部名单\n")
            parts.append(_table(sc.overview(result, g)))
            parts += [_table(s) for s in sc.roster_breakdowns(result, g)]
            continue
        secs = sc.level_sections(result, level)
        if secs:
            parts.append(f"## 按{level_label(level)}\n")
            parts += [_table(s) for s in secs]
    proc = sc.procedure_section(result)
    if proc is not None:
        parts.append("## 换届程序\n")
        parts.append(_table(proc))
    if result.claims:
        parts.append("## 公布数字核对\n")
        parts.append(_table(sc.claims_section(result)))
        parts.append(f"**{sc.claims_verdict(result)}**\n")
    return "\n".join(parts).rstrip() + "\n"
