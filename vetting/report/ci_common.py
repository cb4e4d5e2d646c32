"""What the CI formats share: rule metadata for a code, and a person-free label for a subject."""

from __future__ import annotations

from dataclasses import dataclass

from ..dq import DQ_RULES
from ..engine import LintResult
from ..findings import Finding
from . import ReportOptions, present_subject


@dataclass(frozen=True)
class RuleMeta:
    code: str
    title: str
    rationale: str
    source: str
    category: str
    severity: str


def rule_meta(result: LintResult, code: str, lang: str) -> RuleMeta:
    en = lang == "en"
    er = result.policy.rules.get(code)
    if er is not None:
        r = er.rule
        return RuleMeta(
            code,
            (r.title_en or r.title) if en else r.title,
            (r.rationale_en or r.rationale) if en else r.rationale,
            r.source.cite,
            r.category,
            r.severity.value,
        )
    dq = DQ_RULES.get(code)
    if dq is not None:
        return RuleMeta(code, dq.title(lang), dq.rationale_en if en else dq.rationale_zh, dq.source, dq.category, dq.severity.value)
    f = next((f for f in result.findings if f.code == code), None)
    return RuleMeta(code, f.title if f else code, "", f.source or "" if f else "", f.category if f else "", f.severity.value if f else "info")


def codes_in_order(result: LintResult) -> list[str]:
    """Every rule of the run: the policy's, the DQ rules, and any other code that was reported."""
    codes = list(DQ_RULES) + list(result.policy.rules)
    for f in result.findings:
        if f.code not in codes:
            codes.append(f.code)
    return codes


def subject_label(f: Finding, opts: ReportOptions, *, ci: bool = True) -> str:
    """`二七区/侯寨乡/尖岗村 张*明` — names masked in CI formats unless --show-pii."""
    s = present_subject(f.subject, opts, ci=ci)
    group = "/".join(p for p in (s.district, s.township, s.unit) if p)
    who = s.name or ""
    if f.location.row is not None:
        row = f"row {f.location.row}" if opts.lang == "en" else f"第{f.location.row}行"
        who = f"{who} ({row})" if who else row
    return " ".join(p for p in (group, who) if p) or ("roster" if opts.lang == "en" else "全部名单")


def column_index(cell: str | None) -> int | None:
    """`K12` -> 11 (1-based column number), for SARIF regions."""
    if not cell:
        return None
    letters = "".join(ch for ch in cell if ch.isalpha())
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n or None
