"""What the CI formats share: the rule behind a code, the rules of a run, and a label for a
subject with names masked."""

from __future__ import annotations

from ..dq import DQ_RULES
from ..findings import Finding
from ..pii import mask_name
from ..result import LintResult
from . import ReportOptions, present_message, present_subject
from .ruleinfo import RuleInfo, rule_info


def rule_meta(result: LintResult, code: str, lang: str) -> RuleInfo:
    """The rule behind a code, for the CI formats' rule tables."""
    return rule_info(result.policy, code, lang, next((f for f in result.findings if f.code == code), None))


def codes_in_order(result: LintResult) -> list[str]:
    """Every rule of the run: the policy's, the DQ rules, and any other code that was reported."""
    codes = list(dict.fromkeys([*DQ_RULES, *result.policy.rules]))
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


def ci_message(f: Finding, opts: ReportOptions) -> str:
    """The message for a CI format: personal data masked as everywhere, and the names it holds
    (the subject's, and other people's such as a relative's) masked like the subject's."""
    text = present_message(f.message, opts)
    if opts.show_pii:
        return text
    for name in sorted({n for n in (f.subject.name, *f.mentions) if n}, key=len, reverse=True):
        text = text.replace(name, mask_name(name) or "")
    return text
