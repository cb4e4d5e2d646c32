"""The ledger (联审台账) as data: person × department statuses, each person's conclusion, and
the summaries by department and by township. Renderers (workbook, console, JSON, forms) read
this; none of them works anything out again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..findings import Finding, Severity, sort_findings
from ..policy.resolve import EffectivePolicy
from ..result import LintResult
from .merge import DeptStatus, MergeResult, cite_provenance
from .people import Person

PASS, FAIL, PENDING = "通过", "不通过", "待定"
DQ_PREFIXES = ("DQ",)


@dataclass
class PersonEntry:
    person: Person
    statuses: dict[str, DeptStatus]  # department -> status
    conclusion: str  # 通过 | 不通过 | 待定
    reason: str  # which hard bar / which department is missing
    findings: list[Finding]  # every finding about the person (policy rules, DQ, RV)
    bars: list[Finding]  # the hard bars (person rules at error)
    missing: list[str]  # required departments without a current answer


@dataclass
class DeptSummary:
    name: str
    required: bool
    round: int  # latest round received (0: none)
    requested: int
    answered: int
    hits: int  # answered 有
    pending: int  # 待查
    missing: int  # 未回复 (or not in the latest round)


@dataclass
class TownshipSummary:
    district: str | None
    township: str | None
    people: int = 0
    reviewed: int = 0
    with_findings: int = 0
    to_replace: int = 0
    passed: int = 0
    pending: int = 0
    figures: dict[str, Any] = field(default_factory=dict)  # 一肩挑, 女性… (summary page)

    @property
    def name(self) -> str:
        return self.township or "（未填乡镇）"

    @property
    def completion(self) -> Fraction | None:
        return Fraction(self.reviewed, self.people) if self.people else None


@dataclass
class Ledger:
    merge: MergeResult
    lint: LintResult
    entries: list[PersonEntry]
    departments: list[DeptSummary]
    townships: list[TownshipSummary]
    unusable: list[tuple[int, int, str | None]]  # roster rows not in the review (no usable ID)
    as_of: dt.date

    @property
    def complete(self) -> bool:
        return all(not e.missing for e in self.entries)

    @property
    def missing_count(self) -> int:
        return sum(len(e.missing) for e in self.entries)


def is_bar(f: Finding) -> bool:
    """A hard bar: a person rule of the policy at error (十不能, 法定资格…), not waived."""
    return (f.scope == "person" and f.severity is Severity.ERROR and f.waiver is None
            and not f.code.startswith(("DQ", "RV")))


def build_ledger(merge: MergeResult, lint: LintResult, policy: EffectivePolicy) -> Ledger:
    """Combine the merge and a lint of the merged roster; the lint's findings gain the merge's
    RV findings and cite the provenance of the merged cells they read."""
    findings = sort_findings(cite_provenance(lint.findings, merge, policy) + merge.findings)
    lint.findings = findings
    by_person: dict[str, list[Finding]] = {}
    for f in findings:
        if f.subject.person:
            by_person.setdefault(f.subject.person, []).append(f)
    entries: list[PersonEntry] = []
    for p in merge.people.people:
        statuses = {d.name: merge.statuses[(p.id, d.name)] for d in merge.config.departments}
        fs = by_person.get(p.key, [])
        bars = [f for f in fs if is_bar(f)]
        missing = [d.name for d in merge.missing(p)]
        if bars:
            codes = list(dict.fromkeys(f"{f.code} {f.title}" for f in bars))
            conclusion, reason = FAIL, "；".join(codes)
        elif missing:
            conclusion, reason = PENDING, "待" + "、".join(missing) + "回复"
        elif any(s.status == "待查" for s in statuses.values() if s.answer is not None):
            which = [d for d, s in statuses.items() if s.status == "待查"]
            conclusion, reason = PENDING, "、".join(which) + "待查"
        elif any(f.severity is Severity.ERROR and f.waiver is None for f in fs):
            codes = list(dict.fromkeys(f.code for f in fs if f.severity is Severity.ERROR and f.waiver is None))
            conclusion, reason = PENDING, "须先更正：" + "、".join(codes)
        else:
            conclusion, reason = PASS, ""
        entries.append(PersonEntry(p, statuses, conclusion, reason, fs, bars, missing))
    departments: list[DeptSummary] = []
    n = len(merge.people.people)
    for d in merge.config.departments:
        sts = [merge.statuses[(p.id, d.name)] for p in merge.people.people]
        answered = sum(1 for s in sts if s.current and s.status in ("无", "有"))
        departments.append(DeptSummary(
            d.name, d.required, merge.latest_round[d.name], n, answered,
            sum(1 for s in sts if s.current and s.status == "有"),
            sum(1 for s in sts if s.current and s.status == "待查"),
            sum(1 for s in sts if not s.current),
        ))
    townships: dict[tuple[str | None, str | None], TownshipSummary] = {}
    for e in entries:
        p = e.person
        t = townships.setdefault((p.district, p.township), TownshipSummary(p.district, p.township))
        t.people += 1
        t.reviewed += 0 if e.missing else 1
        t.with_findings += 1 if any(f.waiver is None and f.severity in (Severity.ERROR, Severity.WARNING) for f in e.findings) else 0
        t.to_replace += 1 if e.conclusion == FAIL else 0
        t.passed += 1 if e.conclusion == PASS else 0
        t.pending += 1 if e.conclusion == PENDING else 0
    return Ledger(merge, lint, entries, departments, list(townships.values()), merge.people.unusable, lint.as_of)


def township_figures(ledger: Ledger, policy: EffectivePolicy) -> None:
    """一肩挑 / 女性 / 35岁以下 / 大专以上 per township, against the policy's targets (the
    structural figures of `vetting stats`, computed there once)."""
    from ..stats import compute_stats

    roster = ledger.merge.roster
    if roster.frame.height == 0:
        return
    dates = ledger.lint.dates
    res = compute_stats(roster, as_of=ledger.as_of, policy=policy.name, by="unit",
                        unit_dates=dates.by_unit if dates is not None else None)
    youth = policy.params["youth_max_age"].spec.value if "youth_max_age" in policy.params else 35
    targets = {
        "one_shoulder": _param(policy, "one_shoulder_target"),
        "women": _param(policy, "women_share_target"),
        "college_or_above": _param(policy, "college_share_target"),
    }
    units_without_young: dict[tuple[str | None, str | None], list[str]] = {}
    for g in res.level_groups("unit"):
        units_without_young.setdefault((g.district, g.township), [])
        fig = g.figures.get("age_35_or_under")
        if fig is not None and not fig.count:
            units_without_young[(g.district, g.township)].append(g.name)
    for t in ledger.townships:
        tg = res.all_groups.get(("township", (t.district, t.township)))
        if tg is None:
            continue
        figs = tg.figures
        t.figures = {
            "units": figs["units"].count,
            "members": figs["members"].count,
            "one_shoulder": (figs["one_shoulder"].count, figs["one_shoulder"].denominator, targets["one_shoulder"]),
            "women": (figs["women"].count, figs["women"].denominator, targets["women"]),
            "age_35_or_under": (figs["age_35_or_under"].count, figs["age_35_or_under"].denominator,
                                units_without_young.get((t.district, t.township), [])),
            "college_or_above": (figs["college_or_above"].count, figs["college_or_above"].denominator, targets["college_or_above"]),
            "youth_max_age": youth,
        }


def _param(policy: EffectivePolicy, name: str) -> float | None:
    if name not in policy.params:
        return None
    v = policy.params[name].spec.value
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) and v > 0 else None


def share_text(count: int | None, denom: int | None) -> str:
    if not denom or count is None:
        return "—"
    return f"{count}/{denom}（{count * 100 / denom:.1f}%）"


def status_cell(s: DeptStatus, *, show_pii: bool = False) -> str:
    """A ledger cell: `无（第2轮，公(2021)12号）`, `有：刑事处罚`, `未回复`."""
    if s.answer is None:
        return "未回复"
    a = s.answer
    meta = [f"第{a.round}轮"] + ([a.prov.doc_no] if a.prov.doc_no else [])
    if not s.current:
        return f"未回复（最新一轮）；第{a.round}轮：{a.status}"
    if s.status == "有":
        text = s.text if show_pii else "有：" + "、".join(_headers_of(s)) if _headers_of(s) else "有"
        return f"{text}（{'，'.join(meta)}）"
    if s.status == "待查":
        return f"{s.text}（{'，'.join(meta)}）"
    return f"无（{'，'.join(meta)}）"


def _headers_of(s: DeptStatus) -> list[str]:
    """The columns a 有 answer names (the text itself is personal data)."""
    if s.text.startswith("有："):
        return [part.split("（", 1)[0] for part in s.text[2:].split("；") if part and "（" in part]
    return []


def entries_in_order(ledger: Ledger) -> Sequence[PersonEntry]:
    return ledger.entries
