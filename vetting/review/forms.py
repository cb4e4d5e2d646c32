"""Printable pages: the 资格审查表 (one A4 page a candidate) and the one-page 汇总表 for the
leadership. Self-contained HTML: inline CSS, no scripts, no fonts or images to fetch, so it
prints the same from any browser without a network. Personal data is masked unless
`--show-pii` (the ID number; the text of criminal-record and sanction answers)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..findings import Severity
from ..pii import mask_id, scrub_text
from ..policy.resolve import EffectivePolicy
from .ledger import FAIL, Ledger, PersonEntry, share_text, status_cell

FORM_TITLE = "村(社区)“两委”换届候选人资格审查表"
SUMMARY_TITLE = "村(社区)“两委”换届候选人资格审查汇总表"

CSS = """
@page { size: A4; margin: 14mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif;
       font-size: 9.5pt; line-height: 1.3; color: #000; margin: 0; }
.page { page-break-after: always; break-after: page; page-break-inside: avoid; break-inside: avoid; }
.page:last-child { page-break-after: auto; break-after: auto; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 2mm 0; letter-spacing: 1pt; }
.sub { text-align: center; font-size: 9.5pt; margin-bottom: 3mm; }
table { width: 100%; border-collapse: collapse; margin-bottom: 2.5mm; }
th, td { border: 0.6pt solid #000; padding: 0.8mm 1.4mm; vertical-align: top; text-align: left; }
table.depts th { width: 16%; } table.depts td { width: 34%; }
.src { font-size: 7.5pt; color: #444; }
th { background: #f0f0f0; font-weight: bold; white-space: nowrap; }
td.c, th.c { text-align: center; }
.section { font-weight: bold; margin: 2mm 0 1mm 0; }
.bad { font-weight: bold; }
.verdict { font-size: 13pt; font-weight: bold; }
.small { font-size: 8.5pt; }
.sign { display: flex; gap: 8mm; margin-top: 4mm; }
.sign div { flex: 1; border: 0.6pt solid #000; padding: 2mm; height: 30mm; position: relative; }
.sign div div { border: 0; height: auto; padding: 0; }
.sign .line { position: absolute; left: 2mm; right: 2mm; bottom: 2mm; }
.note { font-size: 8.5pt; color: #333; }
@media screen { body { background: #ddd; } .page { background: #fff; width: 210mm; min-height: 297mm; margin: 6mm auto;
  padding: 14mm; box-shadow: 0 0 3mm #999; } }
"""


def _e(v: object) -> str:
    return escape("" if v is None else str(v))


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"<meta name=\"viewport\" content=\"width=device-width\"><title>{_e(title)}</title>"
        f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n"
    )


def _masked(text: str, show_pii: bool) -> str:
    return text if show_pii else scrub_text(text)


def _birth(entry: PersonEntry, ledger: Ledger) -> str:
    f = ledger.merge.roster.frame
    i = entry.person.rows[0]
    d = f["birth_date"][i] if "birth_date" in f.columns else None
    prec = f["birth_date:prec"][i] if "birth_date:prec" in f.columns else None
    if d is None:
        return ""
    return f"{d.year}年{d.month}月" if prec in ("day", "month") else f"{d.year}年"


def _value(ledger: Ledger, entry: PersonEntry, key: str) -> str:
    f = ledger.merge.roster.frame
    return "" if key not in f.columns or f[key][entry.person.rows[0]] is None else str(f[key][entry.person.rows[0]])


def _form(entry: PersonEntry, ledger: Ledger, policy: EffectivePolicy, *, show_pii: bool, n: int) -> str:
    p = entry.person
    idn = p.id if show_pii else (mask_id(p.id) or "")
    rows = [
        f"<tr><th>姓名</th><td>{_e(p.name)}</td><th>性别</th><td>{_e(p.gender)}</td><th>出生年月</th><td>{_e(_birth(entry, ledger))}</td></tr>",
        f"<tr><th>民族</th><td>{_e(_value(ledger, entry, 'ethnicity'))}</td><th>学历</th><td>{_e(_value(ledger, entry, 'education'))}</td>"
        f"<th>政治面貌</th><td>{_e(_value(ledger, entry, 'political_status'))}</td></tr>",
        f"<tr><th>身份证号</th><td colspan=\"3\">{_e(idn)}</td><th>是否现任</th><td>{_e({'True': '是', 'False': '否'}.get(_value(ledger, entry, 'incumbent'), ''))}</td></tr>",
        f"<tr><th>所在单位</th><td colspan=\"5\">{_e(' '.join(x for x in (p.district, p.township, '、'.join(p.units) or p.unit) if x))}</td></tr>",
        f"<tr><th>拟任职务</th><td colspan=\"5\">{_e(p.posts)}</td></tr>",
    ]
    cells = []
    for d in ledger.merge.config.departments:
        s = entry.statuses[d.name]
        shown = _masked(status_cell(s, show_pii=show_pii), show_pii)
        cls = " class=\"bad\"" if s.status == "有" and s.current else ""
        src = ""
        if s.answer is not None:
            pr = s.answer.prov
            src = Path(pr.path).name + (f" 第{pr.row}行" if pr.row is not None else " 未列出")
        cells.append(f"<th>{_e(d.name)}{'' if d.required else '（选）'}</th>"
                     f"<td{cls}>{_e(shown)}<div class=\"src\">{_e(src)}</div></td>")
    # two departments a row: a dozen departments still leave room for the findings
    depts = ["<tr>" + "".join(cells[i:i + 2]) + ("<th></th><td></td>" if i + 1 == len(cells) else "") + "</tr>"
             for i in range(0, len(cells), 2)]
    finds = []
    for f in entry.findings:
        if f.code == "RV001":  # shown as 未回复 in the departments' table above
            continue
        if f.waiver is not None:
            sev = "已豁免"
        else:
            sev = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}[f.severity]
        msg = _masked(f.message, show_pii)
        finds.append(f"<tr><td class=\"c\">{_e(f.code)}</td><td class=\"c\">{sev}</td><td>{_e(f.title)}：{_e(msg)}</td><td class=\"small\">{_e(f.source or '')}</td></tr>")
    if not finds:
        finds.append("<tr><td colspan=\"4\" class=\"c\">未发现问题</td></tr>")
    verdict = entry.conclusion + (f"（{entry.reason}）" if entry.reason else "")
    return (
        f"<section class=\"page\" id=\"p{n}\">"
        f"<h1>{_e(FORM_TITLE)}</h1>"
        f"<div class=\"sub\">编号 {n}　　审查基准日 {ledger.as_of.isoformat()}　　政策 {_e(' → '.join(r.name for r in policy.chain))}</div>"
        "<div class=\"section\">一、基本情况</div>"
        f"<table>{''.join(rows)}</table>"
        "<div class=\"section\">二、联审部门意见</div>"
        f"<table class=\"depts\">{''.join(depts)}</table>"
        "<div class=\"section\">三、资格审查发现的问题</div>"
        "<table><tr><th class=\"c\" style=\"width:9%\">代码</th><th class=\"c\" style=\"width:9%\">级别</th><th>内容</th><th style=\"width:20%\">依据</th></tr>"
        f"{''.join(finds)}</table>"
        f"<div class=\"section\">四、审查结论</div><table><tr><td class=\"verdict\">{_e(verdict)}</td></tr></table>"
        "<div class=\"sign\">"
        "<div>乡镇(街道)党(工)委意见：<div class=\"line\">签字（盖章）：________　日期：　　年　月　日</div></div>"
        "<div>县级组织部门审核意见：<div class=\"line\">签字（盖章）：________　日期：　　年　月　日</div></div>"
        "</div>"
        "</section>"
    )


def render_forms(ledger: Ledger, policy: EffectivePolicy, *, show_pii: bool = False, summary: bool = False) -> str:
    pages = []
    if summary:
        pages.append(_summary_page(ledger, policy))
    for n, e in enumerate(ledger.entries, start=1):
        pages.append(_form(e, ledger, policy, show_pii=show_pii, n=n))
    if not ledger.entries:
        pages.append("<section class=\"page\"><h1>资格审查表</h1><p>名单中没有可审查的人员。</p></section>")
    return _page(FORM_TITLE, "\n".join(pages))


def _target_text(count: int | None, denom: int | None, target: float | None) -> str:
    shown = share_text(count, denom)
    if target is None:
        return shown
    ok = bool(denom) and count is not None and count / denom >= target  # type: ignore[operator]
    return f"{shown}<br><span class=\"small\">目标 ≥{target * 100:.0f}%：{'达到' if ok else '未达到'}</span>"


def _summary_page(ledger: Ledger, policy: EffectivePolicy) -> str:
    head = ("<tr><th>乡镇(街道)</th><th class=\"c\">拟任人数</th><th class=\"c\">有问题</th><th class=\"c\">须调整</th>"
            "<th class=\"c\">联审完成</th><th class=\"c\">一肩挑</th><th class=\"c\">女性</th><th class=\"c\">35岁以下</th><th class=\"c\">大专以上</th></tr>")
    body = []
    tot = {"people": 0, "with": 0, "replace": 0, "reviewed": 0}
    for t in ledger.townships:
        fg = t.figures
        tot["people"] += t.people
        tot["with"] += t.with_findings
        tot["replace"] += t.to_replace
        tot["reviewed"] += t.reviewed
        if fg:
            one = _target_text(*fg["one_shoulder"])
            women = _target_text(*fg["women"])
            young_c, young_d, without = fg["age_35_or_under"]
            young = share_text(young_c, young_d) + (
                f"<br><span class=\"small\">每村至少1名：{'达到' if not without else '未达到（' + _e('、'.join(without)) + '）'}</span>")
            college = _target_text(*fg["college_or_above"])
        else:
            one = women = young = college = "—"
        body.append(
            f"<tr><td>{_e(t.name)}</td><td class=\"c\">{t.people}</td><td class=\"c\">{t.with_findings}</td>"
            f"<td class=\"c{' bad' if t.to_replace else ''}\">{t.to_replace}</td><td class=\"c\">{_e(share_text(t.reviewed, t.people))}</td>"
            f"<td class=\"c\">{one}</td><td class=\"c\">{women}</td><td class=\"c\">{young}</td><td class=\"c\">{college}</td></tr>"
        )
    body.append(
        f"<tr><th>合计</th><th class=\"c\">{tot['people']}</th><th class=\"c\">{tot['with']}</th><th class=\"c\">{tot['replace']}</th>"
        f"<th class=\"c\">{_e(share_text(tot['reviewed'], tot['people']))}</th><th></th><th></th><th></th><th></th></tr>"
    )
    missing = [d for d in ledger.departments if d.required and (d.missing or d.pending)]
    state = ("联审已全部完成。" if not missing else
             "尚未完成的联审部门：" + "、".join(
                 f"{d.name}（{d.missing + d.pending}人" + ("，其中待查" + str(d.pending) + "人" if d.pending else "") + "）"
                 for d in missing) + "。")
    districts = sorted({t.district for t in ledger.townships if t.district})
    sub = "　".join(districts) + f"　　审查基准日 {ledger.as_of.isoformat()}"
    youth = next((t.figures.get("youth_max_age") for t in ledger.townships if t.figures), 35)
    return (
        "<section class=\"page\" id=\"summary\">"
        f"<h1>{_e(SUMMARY_TITLE)}</h1><div class=\"sub\">{_e(sub)}</div>"
        f"<table>{head}{''.join(body)}</table>"
        f"<p class=\"note\">有问题：有错误或警告的人数；须调整：有“十不能”等硬性条件问题（结论为“{FAIL}”）的人数；"
        f"联审完成：所有必须部门都已回复的人数占比；一肩挑为书记兼任主任的村(社区)占有书记的村(社区)；"
        f"35岁以下按{youth}周岁以下（含）计；目标取自政策 {_e(' → '.join(r.name for r in policy.chain))}。</p>"
        f"<p>{_e(state)}</p>"
        "<div class=\"sign\">"
        "<div>县级组织部门意见：<div class=\"line\">部长签字：________　日期：　　年　月　日</div></div>"
        "<div>备注：<div class=\"line\">经办人：__________　　审核人：__________</div></div>"
        "</div>"
        "</section>"
    )


def render_summary(ledger: Ledger, policy: EffectivePolicy) -> str:
    return _page(SUMMARY_TITLE, _summary_page(ledger, policy))

