"""`--format html`: one self-contained page that reviewers would rather look at than read.

Everything is inline (CSS, a small script, SVG charts drawn here in Python); a Content Security
Policy forbids the page to load anything, so it works offline and a hostile value in a roster
cannot make it call out. Every value from the user's files is escaped.

Layout: a header with the summary figures as big numbers; charts of the roster's make-up
(age bands, education, and per township the women / 一肩挑 / cross-appointment shares against
the policy's targets); a filter bar; the findings as a drill-down district -> township -> unit ->
person of `<details>` sections with counts and severity badges (group findings at their
level); and the rules that fired, with their rationale and source (each finding links there
and carries a tooltip with the same).
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ..findings import Finding, Severity
from ..result import TOOL, LintResult
from . import ReportOptions, present_message, present_subject
from .ruleinfo import RuleInfo, rule_info

LEVELS = ("district", "township", "unit")
MAX_SHARE_ROWS = 40  # more townships than this (over several districts): share charts by district
SCOPE_DEPTH = {"district": 1, "township": 2, "unit": 3}
SEVERITIES = ("error", "warning", "info")

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "村(社区)“两委”换届候选人资格审查报告",
        "policy": "政策",
        "as_of": "基准日",
        "inputs": "名单文件",
        "sheet": "工作表",
        "rows_n": "{n} 行",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "waived": "已豁免",
        "rows": "数据行",
        "people": "人",
        "units": "村(社区)",
        "verdict_fail": "未通过：{n} 个错误须修改后重新审查",
        "verdict_warn": "无错误；{n} 个警告需研判",
        "verdict_ok": "未发现错误或警告",
        "charts": "班子结构",
        "age_chart": "“两委”成员年龄分布",
        "age_note": "{y}岁及以下 {n} 人，占 {p}",
        "age_unknown": "年龄不详 {n} 人",
        "edu_chart": "“两委”成员学历",
        "edu_unknown": "未填或无法识别",
        "college_note": "大专及以上 {n} 人，占 {p}",
        "women_chart": "女性比例（按{by}）",
        "one_chart": "“一肩挑”比例（按{by}）",
        "cross_chart": "交叉任职比例（按{by}）",
        "by_township": "乡镇",
        "by_district": "县(市、区)",
        "target": "目标",
        "members_total": "“两委”成员 {n} 人",
        "no_data": "无数据",
        "findings": "问题清单",
        "search": "搜索代码、姓名、村(社区)、问题…",
        "all_codes": "全部规则",
        "expand": "全部展开",
        "collapse": "全部收起",
        "shown": "显示",
        "files": "文件与列",
        "whole": "全部名单",
        "district": "县(市、区)",
        "township": "乡镇(街道)",
        "unit": "村(社区)",
        "unnamed": "（未填写{level}）",
        "units_n": "{n} 个村(社区)",
        "people_n": "{n} 人",
        "members_n": "“两委” {n} 人",
        "with_findings": "{n} 人有问题",
        "clean_units": "未发现问题的村(社区)",
        "row": "第{n}行",
        "age": "{n}岁",
        "why": "依据",
        "waiver": "已豁免：{reason}（{by}，至 {expires}）",
        "rules": "规则说明",
        "rule_what": "检查内容",
        "rule_why": "理由",
        "rule_source": "依据",
        "count": "数量",
        "see_findings": "只看这条规则的问题",
        "no_findings": "未发现问题。",
        "generated": "由 {tool} {version} 生成 · 身份证号已隐去中间 8 位，电话不显示",
        "generated_pii": "由 {tool} {version} 生成 · 含完整个人信息（--show-pii），请妥善保管",
        "none_match": "没有符合筛选条件的问题",
    },
    "en": {
        "title": "两委 candidate vetting report",
        "policy": "policy",
        "as_of": "as of",
        "inputs": "rosters",
        "sheet": "sheet",
        "rows_n": "{n} rows",
        "error": "errors",
        "warning": "warnings",
        "info": "info",
        "waived": "waived",
        "rows": "rows",
        "people": "people",
        "units": "units",
        "verdict_fail": "Failed: {n} errors to fix before re-checking",
        "verdict_warn": "No errors; {n} warnings to review",
        "verdict_ok": "No errors or warnings",
        "charts": "Make-up",
        "age_chart": "Age of 两委 members",
        "age_note": "{y} or under: {n} ({p})",
        "age_unknown": "age unknown: {n}",
        "edu_chart": "Education of 两委 members",
        "edu_unknown": "blank or unreadable",
        "college_note": "college (大专) or above: {n} ({p})",
        "women_chart": "Women (by {by})",
        "one_chart": "Secretary also director (by {by})",
        "cross_chart": "Cross-appointed (by {by})",
        "by_township": "township",
        "by_district": "district",
        "target": "target",
        "members_total": "{n} 两委 members",
        "no_data": "no data",
        "findings": "Findings",
        "search": "Search code, name, unit, message…",
        "all_codes": "all rules",
        "expand": "Expand all",
        "collapse": "Collapse all",
        "shown": "shown",
        "files": "Files and columns",
        "whole": "Whole roster",
        "district": "district",
        "township": "township",
        "unit": "unit",
        "unnamed": "(no {level})",
        "units_n": "{n} units",
        "people_n": "{n} people",
        "members_n": "{n} members",
        "with_findings": "{n} with findings",
        "clean_units": "Units without findings",
        "row": "row {n}",
        "age": "age {n}",
        "why": "why",
        "waiver": "waived: {reason} ({by}, until {expires})",
        "rules": "Rules",
        "rule_what": "checks",
        "rule_why": "why",
        "rule_source": "source",
        "count": "count",
        "see_findings": "show only this rule's findings",
        "no_findings": "No findings.",
        "generated": "Generated by {tool} {version} · ID numbers masked, phone numbers not shown",
        "generated_pii": "Generated by {tool} {version} · contains full personal data (--show-pii): keep it safe",
        "none_match": "No findings match the filter",
    },
}

SEV_LABEL = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def e(value: Any) -> str:
    """Escape for text and attribute values (quotes too)."""
    return html.escape("" if value is None else str(value), quote=True)


class _T:
    def __init__(self, lang: str):
        self.lang = "en" if lang == "en" else "zh"
        self.d = _TEXT[self.lang]

    def __call__(self, key: str, **kw: Any) -> str:
        s = self.d[key]
        return s.format(**kw) if kw else s

    def sev(self, sev: str) -> str:
        return SEV_LABEL[self.lang][sev]


# ---------------------------------------------------------------------------------------------
# The drill-down tree


@dataclass
class _Person:
    key: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class _Node:
    level: str  # "root" | district | township | unit
    name: str | None
    path: tuple[str | None, ...]
    groups: list[Finding] = field(default_factory=list)  # group findings at this level
    people: dict[str, _Person] = field(default_factory=dict)
    children: dict[str | None, _Node] = field(default_factory=dict)

    def all_findings(self) -> Iterable[Finding]:
        yield from self.groups
        for p in self.people.values():
            yield from p.findings
        for c in self.children.values():
            yield from c.all_findings()

    def people_with_findings(self) -> int:
        return len(self.people) + sum(c.people_with_findings() for c in self.children.values())


def _is_person_finding(f: Finding) -> bool:
    """About one person (whatever the rule's scope: a cross-row rule over the whole roster still
    names the person and row it is reported at)."""
    s = f.subject
    return f.scope not in ("column", "file") and bool(
        s.person or s.name or s.id_number or f.location.row is not None
    )


def _person_key(f: Finding) -> str:
    return f.subject.person or f"{f.location.path}#{f.location.row}"


def _build_tree(findings: list[Finding], levels: list[str]) -> tuple[list[Finding], _Node]:
    """(file-level findings, the tree root)."""
    files: list[Finding] = []
    root = _Node("root", None, ())
    for f in findings:
        if f.scope in ("column", "file"):
            files.append(f)
            continue
        s = f.subject
        values = {"district": s.district, "township": s.township, "unit": s.unit}
        person = _is_person_finding(f)
        if person:
            depth = len(levels)
        elif f.scope in SCOPE_DEPTH:
            depth = len([lv for lv in levels if SCOPE_DEPTH[lv] <= SCOPE_DEPTH[f.scope]])
        else:  # the whole roster
            depth = 0
        node = root
        for lv in levels[:depth]:
            v = values[lv]
            if v not in node.children:
                node.children[v] = _Node(lv, v, (*node.path, v))
            node = node.children[v]
        if person:
            node.people.setdefault(_person_key(f), _Person(_person_key(f))).findings.append(f)
        else:
            node.groups.append(f)
    return files, root


def _counts(findings: Iterable[Finding]) -> Counter[str]:
    c: Counter[str] = Counter()
    for f in findings:
        c["waived" if f.waiver is not None else f.severity.value] += 1
    return c


# ---------------------------------------------------------------------------------------------
# Statistics for the charts and the tree's per-level figures


@dataclass
class _Share:
    label: str
    num: int
    den: int
    group: str | None = None  # the district, when there are several

    @property
    def value(self) -> float | None:
        return self.num / self.den if self.den else None


@dataclass
class _Stats:
    members: int = 0
    age_bands: list[tuple[str, int, bool]] = field(default_factory=list)  # label, count, young
    age_unknown: int = 0
    young: int = 0
    youth_age: int = 35
    education: list[tuple[str, int, int | None]] = field(default_factory=list)  # name, count, level
    edu_unknown: int = 0
    women: list[_Share] = field(default_factory=list)
    one_shoulder: list[_Share] = field(default_factory=list)
    cross: list[_Share] = field(default_factory=list)
    # per group path (district, township[, unit]): (units, people, members)
    groups: dict[tuple[str | None, ...], tuple[int, int, int]] = field(default_factory=dict)
    share_level: str = "township"
    units_by_township: dict[tuple[str | None, ...], list[str]] = field(default_factory=dict)
    # (source index, row) -> (posts, age) for the people shown in the tree
    rows: dict[tuple[int, int], tuple[str, int | None]] = field(default_factory=dict)
    levels: list[str] = field(default_factory=lambda: list(LEVELS))


def _param(result: LintResult, name: str) -> Any:
    p = result.policy.params.get(name)
    return p.spec.value if p is not None else None


def _stats(result: LintResult, t: _T) -> _Stats | None:
    roster = result.roster
    if roster is None or roster.frame.height == 0:
        return None
    try:
        from ..derive import with_derived

        df = with_derived(roster.frame, result.as_of)
    except Exception:  # a roster without the canonical columns: no charts, findings still shown
        return None
    st = _Stats()
    youth = _param(result, "youth_max_age")
    st.youth_age = int(youth) if isinstance(youth, int | float) and not isinstance(youth, bool) else 35
    st.levels = [lv for lv in LEVELS if lv in df.columns and df[lv].null_count() < df.height]
    if "unit" not in st.levels and "unit" in df.columns:
        st.levels.append("unit")

    members = df.filter(pl.col("is_member"))
    distinct = members.unique(subset=["person"], keep="first", maintain_order=True)
    st.members = distinct.height

    # Age: 5-year bands ending at the youth age (35): ≤25, 26–30, 31–35, 36–40 … 56–60, >60.
    y = st.youth_age
    edges = [y - 10 + 5 * k for k in range(8)]  # upper edges: 25, 30 … 60
    ages = [a for a in distinct["age"].to_list()]
    known = [int(a) for a in ages if a is not None]
    st.age_unknown = len(ages) - len(known)
    bands: list[tuple[str, int, bool]] = []
    bands.append((f"≤{edges[0]}", sum(1 for a in known if a <= edges[0]), True))
    for lo, hi in zip(edges, edges[1:], strict=False):
        bands.append((f"{lo + 1}–{hi}", sum(1 for a in known if lo < a <= hi), hi <= y))
    bands.append((f">{edges[-1]}", sum(1 for a in known if a > edges[-1]), False))
    st.age_bands = bands
    st.young = sum(1 for a in known if a <= y)

    # Education, in level order.
    edu = distinct.group_by("education").agg(pl.len().alias("n"), pl.col("education:level").first().alias("lv"))
    rows = sorted(
        ((r["education"], int(r["n"]), r["lv"]) for r in edu.iter_rows(named=True) if r["education"] is not None),
        key=lambda x: (x[2] if x[2] is not None else 99, x[0]),
    )
    st.education = [(name, n, lv) for name, n, lv in rows]
    st.edu_unknown = int(sum(r["n"] for r in edu.iter_rows(named=True) if r["education"] is None))

    # Per township: shares of distinct people, as the group rules count them.
    gkeys = [k for k in ("district", "township") if k in st.levels]
    multi_district = "district" in gkeys and df["district"].n_unique() > 1
    if multi_district and df.select(gkeys).n_unique() > MAX_SHARE_ROWS:
        gkeys, multi_district = ["district"], False  # too many townships to draw: by district
    if gkeys:
        st.share_level = gkeys[-1]
        order = df.select(gkeys).unique(maintain_order=True).iter_rows()
        per = members.unique(subset=[*gkeys, "person"], keep="first", maintain_order=True)
        agg = per.group_by(gkeys).agg(
            pl.len().alias("members"),
            pl.col("is_woman").fill_null(False).sum().alias("women"),
            pl.col("cross_appointed").sum().alias("cross"),
        )
        sec = (
            df.filter(pl.col("is_secretary"))
            .unique(subset=[*gkeys, "person"], keep="first")
            .group_by(gkeys)
            .agg(pl.len().alias("secretaries"), pl.col("one_shoulder").sum().alias("one"))
        )
        by = {tuple(r[k] for k in gkeys): r for r in agg.iter_rows(named=True)}
        sby = {tuple(r[k] for k in gkeys): r for r in sec.iter_rows(named=True)}
        for key in order:
            if key[-1] is None:
                continue
            label = str(key[-1])
            grp = str(key[0] or "") if multi_district else None
            r = by.get(key, {})
            s = sby.get(key, {})
            st.women.append(_Share(label, int(r.get("women") or 0), int(r.get("members") or 0), grp))
            st.cross.append(_Share(label, int(r.get("cross") or 0), int(r.get("members") or 0), grp))
            st.one_shoulder.append(_Share(label, int(s.get("one") or 0), int(s.get("secretaries") or 0), grp))

    # Per-level figures for the tree: units, people, members.
    for depth in range(1, len(st.levels) + 1):
        keys = st.levels[:depth]
        g = df.group_by(keys).agg(
            pl.col("unit").drop_nulls().n_unique().alias("units") if "unit" in df.columns else pl.lit(0).alias("units"),
            pl.col("person").n_unique().alias("people"),
            pl.col("person").filter(pl.col("is_member")).n_unique().alias("members"),
        )
        for r in g.iter_rows(named=True):
            st.groups[tuple(r[k] for k in keys)] = (int(r["units"]), int(r["people"]), int(r["members"]))
    if "unit" in st.levels:
        parent = st.levels[: st.levels.index("unit")]
        units = df.filter(pl.col("unit").is_not_null()).select([*parent, "unit"]).unique(maintain_order=True)
        for urow in units.iter_rows():
            st.units_by_township.setdefault(tuple(urow[:-1]), []).append(str(urow[-1]))

    # Posts and age of the rows that findings point at.
    wanted = {(i, f.location.row) for f in result.findings for i, s in enumerate(roster.sources)
              if f.location.row is not None and f.location.path == s.path}
    if wanted:
        keys_df = pl.DataFrame(
            {"_src": [w[0] for w in wanted], "_row": [w[1] for w in wanted]},
            schema={"_src": df.schema["_src"], "_row": df.schema["_row"]},
        )
        sub = df.join(keys_df, on=["_src", "_row"], how="inner")
        for r in sub.iter_rows(named=True):
            posts = [r.get(k) for k in ("party_post", "committee_post", "supervisory_post")]
            labels = []
            for k, p in zip(("party_post", "committee_post", "supervisory_post"), posts, strict=True):
                if p:
                    labels.append(_post_label(k, str(p), t.lang))
            st.rows[(int(r["_src"]), int(r["_row"]))] = ("、".join(labels) if t.lang != "en" else ", ".join(labels), r.get("age"))
    return st


def _post_label(key: str, post: str, lang: str) -> str:
    if lang == "en":
        return {"party_post": "Party ", "committee_post": "committee ", "supervisory_post": "supervisory "}[key] + post
    if key == "party_post":
        return "党组织" + post if post in ("委员",) else post
    if key == "committee_post":
        return "村(居)委" + post if post in ("委员",) else post
    return "监委会" + post


# ---------------------------------------------------------------------------------------------
# SVG charts (drawn here: no chart library, no script)

C_ERR, C_WARN, C_INFO, C_OK = "#c5221f", "#e37400", "#1967d2", "#188038"
C_ACCENT, C_MUTED, C_GRID, C_TEXT, C_SUB = "#b3261e", "#a8b3c1", "#e3e7ec", "#202124", "#5f6368"


def _pct(x: float | None) -> str:
    if x is None:
        return "—"
    p = x * 100
    return f"{p:.0f}%" if abs(p - round(p)) < 0.05 else f"{p:.1f}%"


def _svg_text(x: float, y: float, text: str, *, anchor: str = "start", size: float = 12, fill: str = C_TEXT,
              weight: str = "normal", cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
            f'font-weight="{weight}"{c}>{e(text)}</text>')


def _ticks(peak: float, n: int = 4) -> list[int]:
    """Axis ticks from 0 with a round step, covering `peak` in at most n+1 ticks."""
    step = 1
    for m in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000):
        step = m
        if peak <= m * n:
            break
    else:
        step = int(10 ** math.ceil(math.log10(max(peak, 1) / n)))
    top = max(1, math.ceil(peak / step))
    return [step * k for k in range(top + 1)]


def _age_chart(st: _Stats, t: _T) -> str:
    w, h = 480, 232
    left, right, top, bottom = 34, 10, 20, 44
    n = len(st.age_bands)
    peak = max((c for _, c, _ in st.age_bands), default=0)
    ticks = _ticks(peak)
    scale_max = ticks[-1]
    pw, ph = w - left - right, h - top - bottom
    bw = pw / n
    parts = [f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{e(t("age_chart"))}">']
    for v in ticks:
        yy = top + ph - ph * v / scale_max
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{C_GRID}"/>')
        parts.append(_svg_text(left - 6, yy + 4, str(v), anchor="end", size=10, fill=C_SUB))
    for i, (label, count, young) in enumerate(st.age_bands):
        x = left + i * bw + bw * 0.14
        bh = ph * count / scale_max if scale_max else 0
        y = top + ph - bh
        color = C_ACCENT if young else C_MUTED
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw * 0.72:.1f}" height="{bh:.1f}" rx="3" fill="{color}">'
                     f"<title>{e(label)}: {count}</title></rect>")
        if count:
            parts.append(_svg_text(x + bw * 0.36, y - 5, str(count), anchor="middle", size=11, weight="600"))
        parts.append(_svg_text(x + bw * 0.36, top + ph + 16, label, anchor="middle", size=11, fill=C_SUB))
    # A bracket under the young bands.
    young_n = sum(1 for _, _, yg in st.age_bands if yg)
    x0, x1 = left + 4, left + young_n * bw - 4
    yb = top + ph + 26
    parts.append(f'<path d="M{x0:.1f} {yb - 4:.1f} V{yb:.1f} H{x1:.1f} V{yb - 4:.1f}" fill="none" stroke="{C_ACCENT}" stroke-width="1.5"/>')
    parts.append(_svg_text((x0 + x1) / 2, yb + 13, f"≤{st.youth_age}", anchor="middle", size=11, fill=C_ACCENT, weight="600"))
    parts.append("</svg>")
    return "".join(parts)


def _edu_chart(st: _Stats, t: _T) -> str:
    rows = [(name, n, lv) for name, n, lv in st.education]
    if st.edu_unknown:
        rows.append((t("edu_unknown"), st.edu_unknown, None))
    total = sum(n for _, n, _ in rows) or 1
    row_h, top = 25, 4
    left = 16 + 12 * max((len(r[0]) for r in rows), default=2)
    right = 84
    w = 480
    h = top * 2 + row_h * max(len(rows), 1)
    peak = max((n for _, n, _ in rows), default=1) or 1
    pw = w - left - right
    # Darker for higher levels: 小学 … 博士研究生.
    shades = ["#d2e3fc", "#c6dafc", "#aecbfa", "#8ab4f8", "#669df6", "#4285f4", "#1a73e8", "#174ea6"]
    parts = [f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{e(t("edu_chart"))}">']
    for i, (name, n, lv) in enumerate(rows):
        y = top + i * row_h
        color = "#dadce0" if lv is None else shades[max(0, min(len(shades) - 1, int(lv)))]
        bw = pw * n / peak
        parts.append(_svg_text(left - 8, y + row_h / 2 + 4, name, anchor="end", size=12,
                               fill=C_SUB if lv is None else C_TEXT))
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{max(bw, 1.5):.1f}" height="{row_h - 8}" rx="3" fill="{color}">'
                     f"<title>{e(name)}: {n}</title></rect>")
        parts.append(_svg_text(left + bw + 6, y + row_h / 2 + 4, f"{n} · {_pct(n / total)}", size=11, fill=C_SUB))
    parts.append("</svg>")
    return "".join(parts)


def _share_chart(shares: list[_Share], target: float | None, t: _T, aria: str) -> str:
    """One bar per township: the share, its n/d, and the target as a dashed line; townships of
    several districts under a heading row per district."""
    rows: list[_Share | str] = []
    last: str | None = None
    for s in shares:
        if s.group is not None and s.group != last:
            rows.append(s.group)
            last = s.group
        rows.append(s)
    longest = max((min(len(s.label), 8) for s in shares), default=2)
    row_h, top, bottom = 24, 22, 22
    left, right, w = 12 + 12 * longest, 96, 380
    h = top + bottom + row_h * max(len(rows), 1)
    pw = w - left - right
    parts = [f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{e(aria)}">']
    for k in range(5):
        x = left + pw * k / 4
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{h - bottom}" stroke="{C_GRID}"/>')
        parts.append(_svg_text(x, h - bottom + 14, f"{25 * k}%", anchor="middle", size=10, fill=C_SUB))
    for i, item in enumerate(rows):
        y = top + i * row_h
        mid = y + row_h / 2 + 4
        if isinstance(item, str):
            parts.append(_svg_text(4, mid, item, size=12, weight="700", fill=C_TEXT))
            continue
        s = item
        v = s.value
        label = s.label if len(s.label) <= 8 else s.label[:7] + "…"
        parts.append(f'<text x="{left - 8}" y="{mid:.1f}" text-anchor="end" font-size="12" fill="{C_TEXT}">'
                     f"<title>{e(s.label)}</title>{e(label)}</text>")
        if v is None:
            parts.append(_svg_text(left + 4, mid, t("no_data"), size=11, fill=C_SUB))
            continue
        color = (C_OK if v >= target else C_WARN) if target else "#5b8def"
        bw = pw * min(v, 1.0)
        parts.append(f'<rect x="{left}" y="{y + 5}" width="{max(bw, 1.5):.1f}" height="{row_h - 10}" rx="3" fill="{color}">'
                     f"<title>{e(s.label)}: {s.num}/{s.den} = {_pct(v)}</title></rect>")
        parts.append(_svg_text(left + pw + 8, mid, f"{_pct(v)}", size=11.5, weight="600",
                               fill=C_WARN if target and v < target else C_TEXT))
        parts.append(_svg_text(w - 2, mid, f"{s.num}/{s.den}", anchor="end", size=10.5, fill=C_SUB))
    if target:
        x = left + pw * min(target, 1.0)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{h - bottom}" stroke="{C_ERR}" '
                     f'stroke-width="1.6" stroke-dasharray="4 3"/>')
        parts.append(_svg_text(x, top - 9, f"{t('target')} {_pct(target)}", anchor="end" if target > 0.75 else "middle",
                               size=10.5, fill=C_ERR, weight="600"))
    parts.append("</svg>")
    return "".join(parts)


def _target(result: LintResult, name: str) -> float | None:
    v = _param(result, name)
    if isinstance(v, bool) or not isinstance(v, int | float) or v <= 0:
        return None
    return float(v)


def _charts(result: LintResult, st: _Stats, t: _T) -> str:
    cards = []
    young_p = _pct(st.young / st.members) if st.members else "—"
    note = t("age_note", y=st.youth_age, n=st.young, p=young_p)
    if st.age_unknown:
        note += " · " + t("age_unknown", n=st.age_unknown)
    cards.append(_card(t("age_chart"), t("members_total", n=st.members), _age_chart(st, t), note, wide=True))
    college = sum(n for _, n, lv in st.education if lv is not None and lv >= 4)
    edu_note = t("college_note", n=college, p=_pct(college / st.members) if st.members else "—")
    cards.append(_card(t("edu_chart"), t("members_total", n=st.members), _edu_chart(st, t), edu_note, wide=True))
    if st.women:
        by = t("by_district" if st.share_level == "district" else "by_township")
        for title, shares, param in (
            (t("one_chart", by=by), st.one_shoulder, "one_shoulder_target"),
            (t("cross_chart", by=by), st.cross, "cross_appointment_target"),
            (t("women_chart", by=by), st.women, "women_share_target"),
        ):
            target = _target(result, param)
            sub = f"{t('target')} {_pct(target)}" if target else ""
            cards.append(_card(title, sub, _share_chart(shares, target, t, title), ""))
    return f'<section class="charts"><h2>{e(t("charts"))}</h2><div class="chart-grid">{"".join(cards)}</div></section>'


def _card(title: str, sub: str, svg: str, note: str, *, wide: bool = False) -> str:
    return (f'<figure class="card chart-card{" wide" if wide else ""}"><figcaption><span class="ct">{e(title)}</span>'
            f'<span class="cs">{e(sub)}</span></figcaption>{svg}'
            + (f'<p class="note">{e(note)}</p>' if note else "") + "</figure>")


# ---------------------------------------------------------------------------------------------
# Findings


class _Renderer:
    def __init__(self, result: LintResult, opts: ReportOptions):
        self.result = result
        self.opts = opts
        self.t = _T(opts.lang)
        self.infos: dict[str, RuleInfo] = {}
        self.multi = len(result.inputs) > 1
        self.src_index = {}
        if result.roster is not None:
            self.src_index = {s.path: i for i, s in enumerate(result.roster.sources)}
        self.stats = _stats(result, self.t)

    def info(self, f: Finding) -> RuleInfo:
        if f.code not in self.infos:
            self.infos[f.code] = rule_info(self.result.policy, f.code, self.opts.lang, f)
        return self.infos[f.code]

    # -- pieces ---------------------------------------------------------------------------------
    def badges(self, counts: Counter[str], *, zeros: bool = False) -> str:
        out = []
        for sev in (*SEVERITIES, "waived"):
            n = counts.get(sev, 0)
            if n or zeros:
                out.append(f'<span class="b b-{sev}" title="{e(self.t(sev))}">{n}<i>{e(self.t(sev))}</i></span>')
        return f'<span class="badges">{"".join(out)}</span>'

    def where(self, f: Finding) -> str:
        loc = f.location
        bits = []
        if self.multi and loc.path:
            bits.append(Path(loc.path).name + (f"·{loc.sheet}" if loc.sheet else ""))
        if loc.cell:  # the cell names the row already
            bits.append(loc.cell)
        elif loc.row is not None:
            bits.append(self.t("row", n=loc.row))
        if loc.column:
            bits.append(loc.column)
        return " · ".join(bits)

    def finding(self, f: Finding) -> str:
        t, opts = self.t, self.opts
        info = self.info(f)
        sev = f.severity.value
        waived = f.waiver is not None
        msg = present_message(f.message, opts)
        s = present_subject(f.subject, opts)
        where = self.where(f)
        tip = f"{f.code} {f.title or info.title}" + (f" 〔{f.source or info.cite}〕" if f.source or info.cite else "") + (
            f"\n{info.rationale}" if info.rationale else "")
        search = " ".join(str(x) for x in (
            f.code, f.title or info.title, msg, s.name, s.id_number, s.district, s.township, s.unit, where, f.category,
            f.source or info.cite, t.sev(sev)) if x).lower()
        measure = ""
        m = f.measure
        if m is not None and m.value is not None and m.target is not None and 0 <= m.value <= 1.5 and 0 < m.target <= 1:
            measure = (f'<span class="meter" title="{e(_pct(m.value))} / {e(t("target"))} {e(_pct(m.target))}">'
                       f'<i class="{"ok" if m.value >= m.target else "low"}" style="width:{min(m.value, 1) * 100:.1f}%"></i>'
                       f'<b style="left:{m.target * 100:.1f}%"></b></span>')
        waiver = ""
        if waived:
            assert f.waiver is not None
            waiver = (f'<div class="waiver">{e(t("waiver", reason=f.waiver.reason, by=f.waiver.approved_by, expires=f.waiver.expires))}</div>')
        cite = f'<a class="cite" href="#rule-{e(f.code)}">〔{e(f.source or info.cite or t("why"))}〕</a>'
        return (
            f'<div class="f s-{sev}{" is-waived" if waived else ""}" data-code="{e(f.code)}" data-sev="{sev}" '
            f'data-waived="{1 if waived else 0}" data-search="{e(search)}">'
            f'<span class="code c-{sev}" title="{e(tip)}">{e(f.code)}</span>'
            f'<span class="sev l-{"waived" if waived else sev}">{e(t("waived") if waived else t.sev(sev))}</span>'
            f'<div class="fb"><div class="fl1"><span class="ftitle">{e(f.title or info.title)}</span>'
            + (f'<span class="where">{e(where)}</span>' if where else "")
            + f'</div><div class="msg">{e(msg)} {measure}{cite}</div>{waiver}</div></div>'
        )

    def person(self, p: _Person) -> str:
        t, opts = self.t, self.opts
        first = p.findings[0]
        s = present_subject(first.subject, opts)
        rows = sorted({f.location.row for f in p.findings if f.location.row is not None})
        extra = []
        st = self.stats
        if st is not None and rows:
            src = self.src_index.get(first.location.path)
            if src is not None and (src, rows[0]) in st.rows:
                posts, age = st.rows[(src, rows[0])]
                if posts:
                    extra.append(posts)
                if age is not None:
                    extra.append(t("age", n=age))
        row_txt = ("、" if t.lang == "zh" else ", ").join(str(r) for r in rows)
        row_label = (f"第{row_txt}行" if t.lang == "zh" else f"row {row_txt}") if rows else ""
        name = s.name or ("（姓名空白）" if t.lang == "zh" else "(no name)")
        worst = max((f.severity.rank for f in p.findings if f.waiver is None), default=0)
        sev = {3: "error", 2: "warning", 1: "info"}.get(worst, "waived")
        return (
            f'<div class="person p-{sev}"><div class="ph"><span class="pname">{e(name)}</span>'
            f'<span class="pid">{e(s.id_number or "")}</span>'
            + "".join(f'<span class="pmeta">{e(x)}</span>' for x in extra)
            + (f'<span class="prow">{e(row_label)}</span>' if row_label else "")
            + "</div>"
            + "".join(self.finding(f) for f in p.findings)
            + "</div>"
        )

    def node(self, n: _Node, depth: int, n_siblings: int) -> str:
        t = self.t
        findings = list(n.all_findings())
        counts = _counts(findings)
        label = n.name if n.name else t("unnamed", level=t(n.level))
        figures = []
        st = self.stats
        if st is not None and n.path in st.groups:
            units, people, members = st.groups[n.path]
            if n.level != "unit":
                figures.append(t("units_n", n=units))
                figures.append(t("people_n", n=people))
            else:
                figures.append(t("members_n", n=members))
        pwf = n.people_with_findings()
        if pwf:
            figures.append(t("with_findings", n=pwf))
        # Districts and units open; townships open only when there are few of them, so a county
        # report starts as a list of townships with their badges.
        is_open = n.level in ("district", "unit") or n_siblings <= 4
        body = [self.finding(f) for f in n.groups]
        body += [self.person(p) for p in n.people.values()]
        kids = list(n.children.values())
        body += [self.node(c, depth + 1, len(kids)) for c in kids]
        if st is not None and n.level != "unit" and st.levels and n.level in st.levels:
            nxt = st.levels.index(n.level) + 1
            if nxt < len(st.levels) and st.levels[nxt] == "unit":
                all_units = st.units_by_township.get(n.path, [])
                clean = [u for u in all_units if u not in n.children]
                if clean:
                    body.append(f'<div class="clean"><span>{e(t("clean_units"))}（{len(clean)}）</span>'
                                + "".join(f"<i>{e(u)}</i>" for u in clean) + "</div>")
        return (
            f'<details class="lvl lvl-{n.level}"{" open" if is_open else ""}><summary>'
            f'<span class="lname">{e(label)}</span><span class="lkind">{e(t(n.level))}</span>'
            f'<span class="lfig">{e(" · ".join(figures))}</span>{self.badges(counts)}</summary>'
            f'<div class="lbody">{"".join(body)}</div></details>'
        )

    # -- sections -------------------------------------------------------------------------------
    def header(self) -> str:
        r, t = self.result, self.t
        p = r.policy
        c = r.counts()
        pol = p.name + (f" {p.version}" if p.version else "")
        if p.title:
            pol = f"{p.title}（{pol}）" if t.lang == "zh" else f"{p.title} ({pol})"
        inputs = []
        for i in r.inputs:
            bits = [t("rows_n", n=i.rows)]
            if i.sheet:
                bits.insert(0, f"{t('sheet')} {i.sheet}")
            inputs.append(f'<li><span class="path">{e(i.path)}</span><span class="dim">{e(" · ".join(bits))}</span></li>')
        if c["error"]:
            verdict, vcls = t("verdict_fail", n=c["error"]), "v-fail"
        elif c["warning"]:
            verdict, vcls = t("verdict_warn", n=c["warning"]), "v-warn"
        else:
            verdict, vcls = t("verdict_ok"), "v-ok"
        big = "".join(
            f'<div class="big k-{k}"><b>{c[k]}</b><span>{e(t(k))}</span></div>' for k in (*SEVERITIES, "waived")
        )
        big2 = "".join(
            f'<div class="big k-n"><b>{v}</b><span>{e(t(k))}</span></div>'
            for k, v in (("rows", r.rows), ("people", r.people), ("units", r.units))
        )
        return (
            f'<header class="top"><div class="wrap"><div class="brand">{e(t("title"))}</div>'
            f'<div class="meta"><span><i>{e(t("policy"))}</i>{e(pol)}</span>'
            f'<span><i>{e(t("as_of"))}</i>{e(r.as_of.isoformat())}</span></div>'
            f'<ul class="inputs"><li class="lab">{e(t("inputs"))}</li>{"".join(inputs)}</ul></div></header>'
            f'<section class="wrap summary"><div class="verdict {vcls}">{e(verdict)}</div>'
            f'<div class="bigs" id="summary">{big}<div class="sep"></div>{big2}</div></section>'
        )

    def filters(self, codes: Counter[str]) -> str:
        t = self.t
        opts = "".join(
            f'<option value="{e(code)}">{e(code)} {e(self.infos[code].title)}（{n}）</option>'
            for code, n in sorted(codes.items())
        )
        chips = "".join(
            f'<label class="chip ch-{sev}"><input type="checkbox" data-sev="{sev}" checked>{e(t(sev))}</label>'
            for sev in (*SEVERITIES, "waived")
        )
        return (
            f'<div class="filters" id="filters"><input type="search" id="q" placeholder="{e(t("search"))}" '
            f'autocomplete="off"><select id="code"><option value="">{e(t("all_codes"))}</option>{opts}</select>'
            f'{chips}<button type="button" id="expand">{e(t("expand"))}</button>'
            f'<button type="button" id="collapse">{e(t("collapse"))}</button>'
            f'<span class="shown"><b id="nshown">{len(self.result.findings)}</b> / {len(self.result.findings)} '
            f'{e(t("shown"))}</span></div>'
        )

    def rules(self, codes: Counter[str], sev_of: dict[str, str], waived: Counter[str]) -> str:
        t = self.t
        cards = []
        order = sorted(codes, key=lambda c: (-Severity(sev_of[c]).rank, c))
        for code in order:
            info = self.infos[code]
            sev = sev_of[code]
            src = " · ".join(x for x in (info.cite, info.item, info.document) if x)
            rows = []
            if info.what:
                rows.append(f"<dt>{e(t('rule_what'))}</dt><dd>{e(info.what)}</dd>")
            if info.rationale:
                rows.append(f"<dt>{e(t('rule_why'))}</dt><dd>{e(info.rationale)}</dd>")
            if src:
                rows.append(f"<dt>{e(t('rule_source'))}</dt><dd>{e(src)}</dd>")
            wv = f' <span class="b b-waived">{waived[code]}<i>{e(t("waived"))}</i></span>' if waived[code] else ""
            cards.append(
                f'<article class="rule" id="rule-{e(code)}"><h3><span class="code c-{sev}">{e(code)}</span>'
                f'<span class="rt">{e(info.title)}</span><span class="rc">{e(info.category)}</span>'
                f'<button type="button" class="only" data-code="{e(code)}" title="{e(t("see_findings"))}">'
                f'{codes[code]} {e(t.sev(sev))}</button>{wv}</h3><dl>{"".join(rows)}</dl></article>'
            )
        return f'<section class="wrap rules"><h2>{e(t("rules"))}</h2>{"".join(cards)}</section>'

    def page(self) -> str:
        r, t = self.result, self.t
        levels = self.stats.levels if self.stats is not None else [
            lv for lv in LEVELS if any(getattr(f.subject, lv) for f in r.findings)]
        files, root = _build_tree(r.findings, levels)
        codes: Counter[str] = Counter(f.code for f in r.findings)
        waived: Counter[str] = Counter(f.code for f in r.findings if f.waiver is not None)
        sev_of: dict[str, str] = {}
        for f in r.findings:
            self.info(f)
            if f.code not in sev_of or f.severity.rank > Severity(sev_of[f.code]).rank:
                sev_of[f.code] = f.severity.value
        parts = [self.header()]
        if self.stats is not None and self.stats.members:
            parts.append(f'<div class="wrap">{_charts(r, self.stats, t)}</div>')
        body = []
        if files:
            c = _counts(files)
            body.append(
                f'<details class="lvl lvl-files" open><summary><span class="lname">{e(t("files"))}</span>'
                f'{self.badges(c)}</summary><div class="lbody">{"".join(self.finding(f) for f in files)}</div></details>'
            )
        if root.groups or root.people:
            c = _counts([*root.groups, *(f for p in root.people.values() for f in p.findings)])
            inner = "".join(self.finding(f) for f in root.groups) + "".join(self.person(p) for p in root.people.values())
            body.append(f'<details class="lvl lvl-root" open><summary><span class="lname">{e(t("whole"))}</span>'
                        f'{self.badges(c)}</summary><div class="lbody">{inner}</div></details>')
        kids = list(root.children.values())
        body += [self.node(n, 1, len(kids)) for n in kids]
        findings_html = "".join(body) if body else f'<p class="empty">{e(t("no_findings"))}</p>'
        parts.append(
            f'<section class="wrap findings"><h2>{e(t("findings"))}</h2>{self.filters(codes) if r.findings else ""}'
            f'<div id="tree">{findings_html}</div><p class="empty" id="nomatch" hidden>{e(t("none_match"))}</p></section>'
        )
        if codes:
            parts.append(self.rules(codes, sev_of, waived))
        foot = t("generated_pii" if self.opts.show_pii else "generated", tool=TOOL["name"], version=TOOL["version"])
        parts.append(f'<footer class="wrap">{e(foot)}</footer>')
        lang = "en" if t.lang == "en" else "zh-CN"
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{lang}"><head><meta charset="utf-8">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="referrer" content="no-referrer">'
            f'<title>{e(t("title"))} · {e(r.as_of.isoformat())}</title><style>{CSS}</style></head>'
            f"<body><script>{ERROR_JS}</script>{''.join(parts)}<script>{JS}</script></body></html>\n"
        )


def render(result: LintResult, opts: ReportOptions) -> str:
    return _Renderer(result, opts).page()


# ---------------------------------------------------------------------------------------------
# Inline style and script

CSS = """
:root{--err:#c5221f;--err-bg:#fce8e6;--warn:#b06000;--warn-bg:#fef3e0;--info:#1967d2;--info-bg:#e8f0fe;
--ok:#188038;--ok-bg:#e6f4ea;--wv:#5f6368;--wv-bg:#eef0f2;--ink:#202124;--sub:#5f6368;--line:#e3e7ec;
--bg:#f4f5f7;--card:#fff;--brand:#a61b1b;--brand2:#7f1212}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.55 -apple-system,BlinkMacSystemFont,"PingFang SC",
"Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
h2{font-size:18px;margin:28px 0 12px;font-weight:650;letter-spacing:.02em}
.top{background:linear-gradient(135deg,var(--brand),var(--brand2));color:#fff;padding:26px 0 64px}
.brand{font-size:24px;font-weight:700;letter-spacing:.04em}
.meta{margin-top:8px;display:flex;flex-wrap:wrap;gap:8px 22px;opacity:.95}
.meta i{font-style:normal;opacity:.7;margin-right:6px}
.inputs{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px;opacity:.9}
.inputs .lab{opacity:.7}.inputs .path{font-family:ui-monospace,Menlo,Consolas,monospace;margin-right:6px}
.inputs .dim{opacity:.75}
.summary{margin-top:-46px}
.verdict{display:inline-block;padding:5px 14px;border-radius:999px;font-weight:600;font-size:13px;margin-bottom:10px;
box-shadow:0 1px 2px rgba(0,0,0,.15)}
.v-fail{background:#fff;color:var(--err)}.v-warn{background:#fff;color:var(--warn)}.v-ok{background:#fff;color:var(--ok)}
.bigs{display:flex;flex-wrap:wrap;gap:12px;background:var(--card);border-radius:14px;padding:18px;
box-shadow:0 2px 10px rgba(32,33,36,.08)}
.big{flex:1 1 96px;min-width:92px;padding:8px 14px;border-radius:10px;background:#f8f9fa}
.big b{display:block;font-size:34px;line-height:1.1;font-weight:700;font-variant-numeric:tabular-nums}
.big span{color:var(--sub);font-size:13px}
.k-error{background:var(--err-bg)}.k-error b{color:var(--err)}
.k-warning{background:var(--warn-bg)}.k-warning b{color:var(--warn)}
.k-info{background:var(--info-bg)}.k-info b{color:var(--info)}
.k-waived{background:var(--ok-bg)}.k-waived b{color:var(--ok)}
.k-n b{color:#3c4043}
.sep{flex:0 0 1px;background:var(--line);margin:4px 2px}
.chart-grid{display:grid;grid-template-columns:repeat(6,1fr);gap:14px}
.card{background:var(--card);border-radius:12px;box-shadow:0 1px 4px rgba(32,33,36,.08);margin:0;padding:14px 16px}
.chart-card{grid-column:span 2}.chart-card.wide{grid-column:span 3}
figcaption{display:flex;justify-content:space-between;align-items:baseline;gap:8px;margin-bottom:6px}
.ct{font-weight:650}.cs{color:var(--sub);font-size:12px}
svg.chart{width:100%;height:auto;display:block;font-family:inherit}
.note{margin:6px 0 0;color:var(--sub);font-size:12px}
@media (max-width:900px){.chart-card,.chart-card.wide{grid-column:span 6}}
.filters{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;align-items:center;gap:8px;background:rgba(244,245,247,.96);
padding:10px 0;border-bottom:1px solid var(--line);margin-bottom:12px;backdrop-filter:blur(4px)}
.filters input[type=search]{flex:1 1 260px;min-width:200px;padding:8px 12px;border:1px solid #cfd4da;border-radius:8px;font:inherit;
background:#fff}
.filters select{padding:7px 8px;border:1px solid #cfd4da;border-radius:8px;font:inherit;background:#fff;max-width:280px}
.filters button{padding:7px 12px;border:1px solid #cfd4da;border-radius:8px;background:#fff;font:inherit;cursor:pointer}
.filters button:hover{background:#f1f3f4}
.chip{display:inline-flex;align-items:center;gap:5px;padding:6px 10px;border-radius:999px;font-size:13px;cursor:pointer;
user-select:none;border:1px solid transparent}
.chip input{margin:0}
.ch-error{background:var(--err-bg);color:var(--err)}.ch-warning{background:var(--warn-bg);color:var(--warn)}
.ch-info{background:var(--info-bg);color:var(--info)}.ch-waived{background:var(--ok-bg);color:var(--ok)}
.shown{margin-left:auto;color:var(--sub);font-size:13px}
details.lvl{background:var(--card);border-radius:12px;margin:10px 0;box-shadow:0 1px 3px rgba(32,33,36,.08)}
details.lvl details.lvl{box-shadow:none;border:1px solid var(--line);margin:8px 0;border-radius:10px}
details.lvl-unit{background:#fcfcfd}
summary{list-style:none;cursor:pointer;display:flex;flex-wrap:wrap;align-items:center;gap:6px 12px;padding:11px 16px}
summary::-webkit-details-marker{display:none}
summary::before{content:"";width:7px;height:7px;border-right:2px solid #80868b;border-bottom:2px solid #80868b;
transform:rotate(-45deg);transition:transform .15s;margin-right:2px}
details[open]>summary::before{transform:rotate(45deg)}
.lname{font-weight:650;font-size:15px}.lvl-district>summary .lname{font-size:17px}
.lkind{font-size:12px;color:var(--sub);background:#f1f3f4;border-radius:4px;padding:0 6px}
.lfig{color:var(--sub);font-size:12.5px}
.badges{margin-left:auto;display:inline-flex;gap:6px}
.b{display:inline-flex;align-items:baseline;gap:3px;border-radius:999px;padding:1px 9px;font-weight:650;font-size:13px;
font-variant-numeric:tabular-nums}
.b i{font-style:normal;font-weight:400;font-size:11.5px}
.b-error{background:var(--err-bg);color:var(--err)}.b-warning{background:var(--warn-bg);color:var(--warn)}
.b-info{background:var(--info-bg);color:var(--info)}.b-waived{background:var(--ok-bg);color:var(--ok)}
.lbody{padding:0 16px 12px 30px}
.person{border-left:3px solid var(--line);padding:2px 0 2px 12px;margin:8px 0}
.person.p-error{border-left-color:var(--err)}.person.p-warning{border-left-color:#f29900}
.person.p-info{border-left-color:#8ab4f8}.person.p-waived{border-left-color:#81c995}
.ph{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 12px;margin-bottom:2px}
.pname{font-weight:650;font-size:15px}
.pid{font-family:ui-monospace,Menlo,Consolas,monospace;color:var(--sub);font-size:12.5px;letter-spacing:.02em}
.pmeta{font-size:12.5px;color:#3c4043;background:#f1f3f4;border-radius:4px;padding:0 6px}
.prow{font-size:12.5px;color:var(--sub)}
.f{display:flex;align-items:flex-start;gap:8px;padding:7px 0;border-top:1px dashed #eceff1}
.person .f:first-of-type,.lbody>.f:first-child{border-top:0}
.code{flex:0 0 auto;font:600 12px/1.9 ui-monospace,Menlo,Consolas,monospace;border-radius:6px;padding:0 7px;color:#fff;cursor:help}
.c-error{background:var(--err)}.c-warning{background:#e37400}.c-info{background:var(--info)}
.sev{flex:0 0 auto;font-size:12px;line-height:1.9;padding:0 6px;border-radius:6px}
.l-error{color:var(--err);background:var(--err-bg)}.l-warning{color:var(--warn);background:var(--warn-bg)}
.l-info{color:var(--info);background:var(--info-bg)}.l-waived{color:var(--ok);background:var(--ok-bg)}
.fb{flex:1 1 auto;min-width:0}
.fl1{display:flex;flex-wrap:wrap;gap:2px 10px;align-items:baseline}
.ftitle{font-weight:600}
.where{font-size:12.5px;color:var(--sub);font-family:ui-monospace,Menlo,Consolas,monospace}
.msg{color:#3c4043;overflow-wrap:anywhere}
.cite{color:var(--sub);text-decoration:none;font-size:12.5px;white-space:nowrap}
.cite:hover{color:var(--info);text-decoration:underline}
.is-waived .msg,.is-waived .ftitle{color:#80868b}
.is-waived .code{background:#9aa0a6}
.waiver{margin-top:3px;font-size:12.5px;color:var(--ok);background:var(--ok-bg);border-radius:6px;padding:2px 8px;display:inline-block}
.meter{display:inline-block;position:relative;width:90px;height:8px;background:#eceff1;border-radius:4px;vertical-align:middle;
margin:0 6px}
.meter i{position:absolute;left:0;top:0;bottom:0;border-radius:4px}.meter i.low{background:#f29900}.meter i.ok{background:#34a853}
.meter b{position:absolute;top:-3px;bottom:-3px;width:2px;background:var(--err)}
.clean{margin:10px 0 2px;font-size:12.5px;color:var(--sub);display:flex;flex-wrap:wrap;gap:4px 6px;align-items:center}
.clean span{margin-right:4px}
.clean i{font-style:normal;background:var(--ok-bg);color:var(--ok);border-radius:4px;padding:0 6px}
.empty{color:var(--sub);padding:16px;background:var(--card);border-radius:12px}
.rules .rule{background:var(--card);border-radius:12px;padding:12px 16px;margin:10px 0;box-shadow:0 1px 3px rgba(32,33,36,.08);
scroll-margin-top:70px}
.rule:target{outline:2px solid var(--info)}
.rule h3{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin:0 0 6px;font-size:15px}
.rc{font-size:12px;color:var(--sub);background:#f1f3f4;border-radius:4px;padding:0 6px;font-weight:400}
.rule .only{margin-left:auto;border:1px solid #cfd4da;background:#fff;border-radius:999px;padding:2px 10px;font:inherit;font-size:12.5px;
cursor:pointer}
.rule dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0;font-size:13px}
.rule dt{color:var(--sub)}.rule dd{margin:0}
footer{color:var(--sub);font-size:12px;padding:24px 24px 40px}
@media print{.filters{display:none}.top{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""

ERROR_JS = (
    "window.onerror=function(m){try{document.body.setAttribute('data-error',String(m));}catch(x){}};"
)

JS = r"""
(function(){
  var body=document.body;
  var tree=document.getElementById('tree');
  var q=document.getElementById('q');
  var sel=document.getElementById('code');
  var nshown=document.getElementById('nshown');
  var nomatch=document.getElementById('nomatch');
  var items=tree?Array.prototype.slice.call(tree.querySelectorAll('.f')):[];
  var details=tree?Array.prototype.slice.call(tree.querySelectorAll('details')):[];
  var persons=tree?Array.prototype.slice.call(tree.querySelectorAll('.person')):[];
  var chips=Array.prototype.slice.call(document.querySelectorAll('#filters input[type=checkbox]'));
  details.forEach(function(d){d.setAttribute('data-open0',d.open?'1':'0');});
  function apply(){
    var text=q?q.value.trim().toLowerCase():'';
    var code=sel?sel.value:'';
    var on={};
    chips.forEach(function(c){on[c.getAttribute('data-sev')]=c.checked;});
    var all=chips.every(function(c){return c.checked;});
    var active=!!(text||code||!all);
    var shown=0;
    items.forEach(function(f){
      var waived=f.getAttribute('data-waived')==='1';
      var ok=(waived?on.waived:on[f.getAttribute('data-sev')])!==false;
      if(ok&&code){ok=f.getAttribute('data-code')===code;}
      if(ok&&text){
        var hay=f.getAttribute('data-search')||'';
        var p=f.closest('.person');
        if(p){var h=p.querySelector('.ph');if(h){hay+=' '+h.textContent.toLowerCase();}}
        var words=text.split(/\s+/);
        for(var i=0;i<words.length;i++){if(hay.indexOf(words[i])<0){ok=false;break;}}
      }
      f.hidden=!ok;
      if(ok){shown++;}
    });
    persons.forEach(function(p){p.hidden=!p.querySelector('.f:not([hidden])');});
    details.forEach(function(d){
      var any=!!d.querySelector('.f:not([hidden])');
      d.hidden=!any;
      if(active){if(any){d.open=true;}}else{d.open=d.getAttribute('data-open0')==='1';}
    });
    if(nshown){nshown.textContent=String(shown);}
    if(nomatch){nomatch.hidden=shown>0||items.length===0;}
  }
  if(q){q.addEventListener('input',apply);}
  if(sel){sel.addEventListener('change',apply);}
  chips.forEach(function(c){c.addEventListener('change',apply);});
  var ex=document.getElementById('expand'),co=document.getElementById('collapse');
  if(ex){ex.addEventListener('click',function(){details.forEach(function(d){if(!d.hidden){d.open=true;}});});}
  if(co){co.addEventListener('click',function(){details.forEach(function(d){d.open=false;});});}
  Array.prototype.forEach.call(document.querySelectorAll('button.only'),function(b){
    b.addEventListener('click',function(){
      if(sel){sel.value=b.getAttribute('data-code');}
      apply();
      var fl=document.getElementById('filters');
      if(fl&&fl.scrollIntoView){fl.scrollIntoView();}
    });
  });
  // A filter in the address: report.html#q=侯寨乡 or #code=TN02 (links that open a filtered view).
  function fromHash(){
    var m=/^#(q|code)=(.*)$/.exec(location.hash||'');
    if(!m){return;}
    var v=decodeURIComponent(m[2]);
    if(m[1]==='q'&&q){q.value=v;}else if(m[1]==='code'&&sel){sel.value=v;}
    apply();
  }
  fromHash();
  window.addEventListener('hashchange',fromHash);
  document.addEventListener('keydown',function(ev){
    if(ev.key==='/'&&q&&document.activeElement!==q){ev.preventDefault();q.focus();}
  });
  body.setAttribute('data-height',String(document.documentElement.scrollHeight));
  body.setAttribute('data-ready','1');
})();
"""
