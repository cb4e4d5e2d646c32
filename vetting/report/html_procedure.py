"""The HTML report's 换届程序 section: per township, how many units have a complete unit-table
row, and which units fail an election procedure rule (PR), with the codes and the arithmetic."""

from __future__ import annotations

from collections import defaultdict
from html import escape

from ..messages import pick
from ..result import LintResult
from ..units.columns import UNIT_FIELDS


def procedure_section(result: LintResult, lang: str = "zh") -> str:
    table = getattr(result.roster, "units", None)
    if table is None:
        return ""
    en = lang == "en"
    facts = [f.key for f in UNIT_FIELDS if f.key not in ("district", "township", "unit", "unit_type")]
    places = {(s.path, s.sheet) for s in table.sources}
    failing: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for f in result.findings:
        if f.code.startswith("PR") and f.waiver is None:
            key = (f.subject.township or "", f.subject.unit or "")
            failing[key].append((f.code, f.severity.value, f.message))
    undecided = {
        (f.subject.township or "", f.subject.unit or "")
        for f in result.findings
        if f.code in ("DQ003", "DQ010") and (f.location.path, f.location.sheet) in places
    }
    towns: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"complete": [], "incomplete": []})
    for r in table.rows:
        if r.facts.get("unit") is None or r.skip_join:
            continue
        town, unit = (r.group[1], r.group[2]) if r.group else (r.facts.get("township"), r.facts["unit"])
        town = town or ""
        complete = all(r.facts.get(k) is not None or k in ("deputy_candidates", "deputy_seats", "election_date") for k in facts)
        towns[town]["complete" if complete and (town, unit) not in undecided else "incomplete"].append(unit)
    rows = []
    for town in sorted(towns, key=lambda t: (t == "", t)):
        units = towns[town]
        fails = sorted((u, items) for (t, u), items in failing.items() if t == town)
        fail_html = "".join(
            f"<li><b>{escape(u)}</b> "
            + "；".join(f'<span class="sev-{sev}">{escape(code)}</span> {escape(msg)}' for code, sev, msg in sorted(items))
            + "</li>"
            for u, items in fails
        )
        total = len(units["complete"]) + len(units["incomplete"])
        rows.append(
            f'<tr><td>{escape(town or (pick(lang, "（未填乡镇）", "(no township)")))}</td>'
            f'<td class="num">{len(units["complete"])}/{total}</td>'
            f'<td>{escape("、".join(units["incomplete"])) or "—"}</td>'
            f'<td><ul class="prlist">{fail_html}</ul></td></tr>' if fail_html else
            f'<tr><td>{escape(town or (pick(lang, "（未填乡镇）", "(no township)")))}</td>'
            f'<td class="num">{len(units["complete"])}/{total}</td>'
            f'<td>{escape("、".join(units["incomplete"])) or "—"}</td><td>—</td></tr>'
        )
    heads = (("Township", "Complete rows", "Incomplete", "Units failing a procedure rule") if en
             else ("乡镇(街道)", "信息完整的村(社区)", "信息不全", "不合程序的村(社区)"))
    title = pick(lang, "换届程序（单位信息表）", "Election procedure (unit table)")
    return (
        f'<section class="wrap procedure"><h2>{escape(title)}</h2><div class="card"><table class="prtable">'
        "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in heads) + "</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


CSS = (
    ".prtable{width:100%;border-collapse:collapse}.prtable th,.prtable td{text-align:left;vertical-align:top;"
    "padding:6px 8px;border-bottom:1px solid var(--line)}.prtable td.num{font-variant-numeric:tabular-nums;"
    "white-space:nowrap}.prlist{margin:0;padding-left:18px}.sev-error{color:var(--err);font-weight:600}"
    ".sev-warning{color:var(--warn);font-weight:600}.sev-info{color:var(--info)}"
)
