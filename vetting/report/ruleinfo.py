"""A finding's rule explained for people: title, rationale, source citation and document.

Shared by the reporters that show why a finding matters (html, xlsx). Policy rules come from
the effective policy; the built-in codes (DQ, WV) from `vetting.dq.BUILTIN_RULES`; anything else
(e.g. waiver notices) falls back to what the finding itself carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..dq import BUILTIN_RULES
from ..findings import Finding
from ..policy.resolve import EffectivePolicy


@dataclass(frozen=True)
class RuleInfo:
    code: str
    title: str
    rationale: str
    cite: str  # the short citation shown with findings, e.g. "十不能 第2项"
    document: str  # the source document, e.g. "开福区…（红网，2021-02-03，湖南省长沙市开福区）"
    item: str  # the article or item within the document
    what: str  # what the rule checks, in words (policy rules only)
    category: str
    severity: str  # the rule's default severity


def rule_info(policy: EffectivePolicy, code: str, lang: str = "zh", finding: Finding | None = None) -> RuleInfo:
    en = lang == "en"
    er = policy.rules.get(code)
    if er is not None:
        rule = er.rule
        doc = ""
        if rule.source.ref and rule.source.ref in policy.sources:
            sd = policy.sources[rule.source.ref]
            bits = [b for b in (sd.issuer, str(sd.date) if sd.date else None, sd.region) if b]
            doc = sd.title + (("（" + "，".join(bits) + "）") if not en else (" (" + ", ".join(bits) + ")")) if bits else sd.title
        from ..policy.kinds import describe_rule

        what = describe_rule(er, policy, en)
        return RuleInfo(
            code=code,
            title=(rule.title_en or rule.title) if en else rule.title,
            rationale=(rule.rationale_en or rule.rationale) if en else rule.rationale,
            cite=rule.source.cite,
            document=doc,
            item=rule.source.item or "",
            what=what,
            category=rule.category,
            severity=rule.severity.value,
        )
    dq = BUILTIN_RULES.get(code)
    if dq is not None:
        return RuleInfo(
            code=code,
            title=dq.title(lang),
            rationale=dq.rationale_en if en else dq.rationale_zh,
            cite=dq.source,
            document="",
            item="",
            what="",
            category=dq.category,
            severity=dq.severity.value,
        )
    f = finding
    return RuleInfo(
        code=code,
        title=f.title if f else code,
        rationale="",
        cite=(f.source or "") if f else "",
        document="",
        item="",
        what="",
        category=f.category if f else "",
        severity=f.severity.value if f else "info",
    )
