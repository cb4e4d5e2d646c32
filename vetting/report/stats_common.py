"""What the `vetting stats` reports show, as plain tables of text (console and markdown render
them; xlsx and json work from the numbers themselves).

- the whole roster: one figure a line (本届, 占比, 上届, 变化 with an arrow);
- each further level (县, 乡镇, 村): one line a group, in sections (班子结构, 成员构成, 书记,
  与上届比较, and one section per --breakdown column);
- the claims: each published statement, what was published, what the roster gives, 一致/不一致.
Shares are percentages with one decimal, means one decimal, both rounded half-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from ..messages import level_label, text
from ..stats import (
    CHANGES,
    FIGURES,
    TURNOVER,
    ClaimResult,
    Figure,
    GroupStats,
    StatsResult,
    arrow,
    one_decimal,
    pct,
    young_label,
)


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    right: set[int] = field(default_factory=set)  # right-aligned column indexes
    note: str = ""


STRUCTURE = ["units", "members", "party_committee", "village_committee", "cross_appointed",
             "supervisors", "secretaries", "deputies", "directors", "one_shoulder"]
COMPOSITION = ["women", "age_35_or_under", "college_or_above", "bachelor_or_above", "postgraduate",
               "minority", "party_members", "new", "mean_age"]
SECRETARIES = ["secretaries", "secretary_women", "secretary_age_35_or_under", "secretary_college_or_above",
               "secretary_bachelor", "secretary_postgraduate", "secretary_mean_age", "deputy_mean_age"]
SHORT = {  # column labels inside a section that already says whom they count
    "units": "村(社区)数", "members": "两委成员", "party_committee": "党组织", "village_committee": "村(居)委会",
    "cross_appointed": "交叉任职", "supervisors": "监委会", "secretaries": "书记", "deputies": "副书记",
    "directors": "主任", "one_shoulder": "一肩挑", "women": "女性", "age_35_or_under": "35岁以下",
    "college_or_above": "大专以上", "bachelor_or_above": "本科以上", "postgraduate": "研究生",
    "minority": "少数民族", "party_members": "中共党员", "new": "新进", "mean_age": "平均年龄",
    "secretary_women": "女性", "secretary_age_35_or_under": "35岁以下", "secretary_college_or_above": "大专以上",
    "secretary_bachelor": "本科", "secretary_postgraduate": "研究生", "secretary_mean_age": "平均年龄",
    "deputy_mean_age": "副书记平均年龄",
}
UNIT = {"count": "人", "mean": "岁"}


def count_cell(fig: Figure) -> str:
    """`52` or, with a share, `52（45.6%）`."""
    if fig.kind == "mean":
        return one_decimal(fig.mean)
    if fig.of is None:
        return str(fig.count)
    return f"{fig.count}（{pct(fig.share)}）"


def change_of(now: Figure, before: Figure) -> Fraction | int | None:
    if now.kind == "mean":
        a, b = now.mean, before.mean
        return None if a is None or b is None else a - b
    return int(now.count or 0) - int(before.count or 0)


def header_lines(result: StatsResult) -> list[str]:
    head = f"vetting stats · 政策 {result.policy} · 基准日 {result.as_of.isoformat()}"
    if result.previous_as_of:
        head += f" · 上届基准日 {result.previous_as_of.isoformat()}"
    lines = [head]
    by_date: dict[str, list[str]] = {}
    for group, d in result.unit_dates:  # units whose ages are at their own election date
        by_date.setdefault(d.isoformat(), []).append("".join(p for p in group if p))
    for day, units in by_date.items():
        more = f" 等{len(units)}个" if len(units) > 10 else ""
        lines.append(f"  按单位信息表的选举日 {day} 计算年龄：{'、'.join(units[:10])}{more}")
    for i in result.inputs:
        lines.append(f"  本届名单 {i.path}" + (f"（工作表“{i.sheet}”）" if i.sheet else "") + f"：{i.rows}行")
    for i in result.previous_inputs:
        lines.append(f"  上届名单 {i.path}" + (f"（工作表“{i.sheet}”）" if i.sheet else "") + f"：{i.rows}行")
    for n in result.notes:
        lines.append(f"  {n}")
    return lines


def overview(result: StatsResult, g: GroupStats) -> Section:
    """One group, one figure a line."""
    prev = g.previous
    cols = ["指标", "本届", "占比", "口径"]
    if prev is not None:
        cols += ["上届", "上届占比", "变化"]
    sec = Section(f"{g.path}：主要结构数字", cols, right={1, 2, 4, 5, 6})
    for key, spec in FIGURES.items():
        fig = g.figures[key]
        if fig.kind == "mean":
            row = [young_label(spec.zh, result.youth_max_age), one_decimal(fig.mean) + ("岁" if fig.mean is not None else ""), "", f"{fig.n}人的平均"]
        else:
            row = [young_label(spec.zh, result.youth_max_age), str(fig.count), pct(fig.share) if fig.of else "", text("of." + fig.of) if fig.of else ""]
        if prev is not None:
            pf = prev.figures[key]
            if pf.kind == "mean":
                row += [one_decimal(pf.mean) + ("岁" if pf.mean is not None else ""), ""]
            else:
                row += [str(pf.count), pct(pf.share) if pf.of else ""]
            row.append(arrow(change_of(fig, pf), "个" if key == "units" else UNIT[fig.kind]))
        sec.rows.append(row)
    if prev is not None:
        for key, label in TURNOVER.items():
            extra = f"（{result.as_of.isoformat()}时超过{result.over_age_cap}岁）" if key == "leaving_over_age" else ""
            sec.rows.append([label + extra, str(prev.turnover(key)), "", "两委成员", "", "", ""])
    return sec


def _name_columns(result: StatsResult, level: str) -> tuple[list[str], Callable[[GroupStats], list[str]]]:
    """The name columns of a level's table: a group's own name, with its district / township
    when the level above has more than one."""
    districts = {g.district for g in result.all_groups.values() if g.level == "district"}
    townships = {(g.district, g.township) for g in result.all_groups.values() if g.level == "township"}
    cols: list[str] = []
    parts: list[str] = []
    if level in ("township", "unit") and len(districts) > 1:
        cols.append(level_label("district"))
        parts.append("district")
    if level == "unit" and len(townships) > 1:
        cols.append(level_label("township"))
        parts.append("township")
    cols.append(level_label(level))
    parts.append(level)

    def names(g: GroupStats) -> list[str]:
        return [getattr(g, p) or "（未填）" for p in parts]

    return cols, names


def level_sections(result: StatsResult, level: str) -> list[Section]:
    groups = result.level_groups(level)
    if not groups:
        return []
    name_cols, names = _name_columns(result, level)
    n = len(name_cols)
    where = level_label(level)
    out: list[Section] = []
    structure = [k for k in STRUCTURE if not (level == "unit" and k == "units")]
    for title, keys in (
        (f"按{where}：班子结构（占比为占两委成员，一肩挑为占书记）", structure),
        (f"按{where}：两委成员构成（占两委成员）", COMPOSITION),
        (f"按{where}：书记（占书记）", SECRETARIES),
    ):
        sec = Section(title, [*name_cols, *(young_label(SHORT[k], result.youth_max_age) for k in keys)], right=set(range(n, n + len(keys))))
        for g in groups:
            sec.rows.append([*names(g), *(count_cell(g.figures[k]) for k in keys)])
        out.append(sec)
    if any(g.previous is not None for g in groups):
        cols = [*TURNOVER, *CHANGES]
        labels = ["连任", "新进", "退出", "超龄退出", "平均年龄", "书记平均年龄", "大专以上", "女性"]
        sec = Section(
            f"按{where}：与上届比较（上届基准日 {result.previous_as_of}；超龄：超过{result.over_age_cap}岁）",
            [*name_cols, *labels], right=set(range(n, n + len(cols))),
        )
        for g in groups:
            p = g.previous
            if p is None:
                continue
            cells = [str(p.turnover(k)) for k in TURNOVER]
            for k in CHANGES:
                fig = g.figures[k]
                cells.append(f"{count_cell(fig) if fig.kind == 'mean' else fig.count}（{arrow(p.changes[k])}）")
            sec.rows.append([*names(g), *cells])
        out.append(sec)
    for col in result.breakdown_columns:
        values: list[str] = []
        for g in groups:
            for v in g.breakdown.get(col, {}):
                if v not in values:
                    values.append(v)
        sec = Section(f"按{where}：{col}（占两委成员）", [*name_cols, *values], right=set(range(n, n + len(values))))
        for g in groups:
            b = g.breakdown.get(col, {})
            sec.rows.append([*names(g), *(count_cell(b[v]) if v in b else "0" for v in values)])
        out.append(sec)
    return out


def roster_breakdowns(result: StatsResult, g: GroupStats) -> list[Section]:
    out = []
    for col in result.breakdown_columns:
        sec = Section(f"{g.path}：{col}（占两委成员）", [col, "人数", "占比"], right={1, 2})
        for v, fig in g.breakdown.get(col, {}).items():
            sec.rows.append([v, str(fig.count), pct(fig.share)])
        out.append(sec)
    return out


def claims_section(result: StatsResult) -> Section:
    sec = Section(
        f"公布数字核对（{result.claims_path}）" if result.claims_path else "公布数字核对",
        ["行", "公布的说法", "范围", "指标", "公布", "按名单计算", "精确值", "结果"],
        right={0},
    )
    for c in result.claims:
        sec.rows.append(claim_row(c))
    return sec


def claim_row(c: ClaimResult) -> list[str]:
    lc = c.claim
    return [
        str(lc.line), lc.claim.text, lc.group_label, figure_label(lc.figure, lc.key, lc.kind),
        lc.stated_text, c.computed_text, c.exact_text, "一致" if c.agrees else "不一致",
    ]


def figure_label(figure: str, key: str, kind: str) -> str:
    if kind == "figure":
        return FIGURES[key].zh
    if kind == "previous":
        return "上届" + FIGURES[key].zh
    if kind == "turnover":
        return TURNOVER[key]
    if kind == "change":
        return f"{FIGURES[key].zh}较上届变化"
    col = figure.split(".", 2)[1]
    return f"{col}：{key}"


def claims_verdict(result: StatsResult) -> str:
    bad = len(result.disagreeing)
    good = len(result.claims) - bad
    return f"公布数字核对：{good} 条一致，{bad} 条不一致。"


def procedure_section(result: StatsResult) -> Section | None:
    """The unit table's figures (换届程序): 差额比例 and days of notice, a line a unit."""
    proc = result.procedure
    if proc is None:
        return None
    sec = Section(
        "换届程序（单位信息表）",
        ["乡镇(街道)", "村(社区)", "党组织职数", "候选人数", "差额比例", "委员差额人数", "选民名单提前天数", "候选人名单提前天数"],
        right={2, 3, 4, 5, 6, 7},
    )
    for u in proc.units:
        sec.rows.append([
            u.township or "", u.unit, _num(u.party_seats), _num(u.party_candidates),
            pct(u.party_margin) if u.party_margin is not None else "—", _num(u.member_margin),
            _num(u.voter_list_days), _num(u.candidate_list_days),
        ])
    total = proc.party_margin
    sec.rows.append([
        "合计", f"{len(proc.units)}个", "", "", pct(total) if total is not None else "—", "",
        f"最少{proc.min_voter_list_days}" if proc.min_voter_list_days is not None else "—",
        f"最少{proc.min_candidate_list_days}" if proc.min_candidate_list_days is not None else "—",
    ])
    return sec


def _num(v: int | None) -> str:
    return "—" if v is None else str(v)
