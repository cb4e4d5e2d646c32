"""SARIF 2.1.0: one run, the rules in `tool.driver.rules` with help text, waived findings as
suppressions with their justification. Rows become lines (a spreadsheet row is what a person
sees); groups have logical locations."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..findings import finding_keys
from ..result import TOOL, LintResult
from . import ReportOptions
from .ci_common import ci_message, codes_in_order, column_index, rule_meta, subject_label
from .fastjson import dumps_indent2

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def document(result: LintResult, opts: ReportOptions) -> dict[str, Any]:
    codes = codes_in_order(result)
    index = {c: i for i, c in enumerate(codes)}
    rules = []
    for c in codes:
        m = rule_meta(result, c, opts.lang)
        rules.append({
            "id": c,
            "name": c,
            "shortDescription": {"text": m.title},
            "fullDescription": {"text": m.rationale or m.title},
            "help": {
                "text": f"{m.title}\n{m.rationale}\n依据：{m.cite}",
                "markdown": f"**{m.title}**\n\n{m.rationale}\n\n依据：{m.cite}\n\n`vetting explain {c}`",
            },
            "defaultConfiguration": {"level": LEVEL[m.severity]},
            "properties": {"category": m.category, "source": m.cite, "tags": [m.category]},
        })
    results = []
    for f, key in zip(result.findings, finding_keys(result.findings), strict=True):
        loc = f.location
        physical: dict[str, Any] = {"artifactLocation": {"uri": quote(loc.path)}}
        if loc.row is not None and loc.row >= 1:
            region: dict[str, Any] = {"startLine": loc.row}
            col = column_index(loc.cell)
            if col:
                region["startColumn"] = col
            physical["region"] = region
        s = f.subject
        logical = [{
            "name": s.unit or s.township or s.district or "roster",
            "fullyQualifiedName": "/".join(p for p in (s.district, s.township, s.unit) if p) or "roster",
            "kind": "namespace",
        }]
        item: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVEL[f.severity.value],
            "message": {"text": f"{subject_label(f, opts)}: {ci_message(f, opts)}"},
            "locations": [{"physicalLocation": physical, "logicalLocations": logical}],
            "partialFingerprints": {"vettingFinding/v1": key},
            "properties": {"scope": f.scope, "source": f.source, "sheet": loc.sheet, "cell": loc.cell},
        }
        if f.measure is not None:
            item["properties"]["measure"] = {
                "numerator": f.measure.numerator, "denominator": f.measure.denominator,
                "value": f.measure.value, "target": f.measure.target, "missing": f.measure.missing,
            }
        if f.waiver is not None:
            item["suppressions"] = [{
                "kind": "external",
                "status": "accepted",
                "justification": f"{f.waiver.reason}（{f.waiver.approved_by}，至 {f.waiver.expires}）",
            }]
        results.append(item)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL["name"], "version": TOOL["version"], "semanticVersion": TOOL["version"],
                "rules": rules,
            }},
            "invocations": [{"executionSuccessful": True, "properties": {
                "as_of": result.as_of.isoformat(),
                **({"as_of_units": {"".join(p for p in g if p): d.isoformat() for g, d in result.unit_dates()}}
                   if result.unit_dates() else {}),
            }}],
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }


def render(result: LintResult, opts: ReportOptions) -> str:
    return dumps_indent2(document(result, opts)) + "\n"  # = json.dumps(..., indent=2), faster
