"""JUnit XML for Jenkins and GitLab: a test suite per rule, a test case per rule and subject.

A finding is a failure (errors and warnings; info findings are reported as passing cases with
their message in system-out), a waived finding is skipped with the waiver as the reason, and a
rule with no finding is one passing case so the report lists every rule that ran."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ..findings import Finding
from ..result import TOOL, LintResult
from . import ReportOptions
from .ci_common import ci_message, codes_in_order, rule_meta, subject_label


def render(result: LintResult, opts: ReportOptions) -> str:
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_code[f.code].append(f)
    root = ET.Element("testsuites", name=f"{TOOL['name']} {TOOL['version']}")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for code in codes_in_order(result):
        meta = rule_meta(result, code, opts.lang)
        items = by_code.get(code, [])
        suite = ET.SubElement(root, "testsuite", name=f"{code} {meta.title}")
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        # One case per rule and subject: a subject with several findings of the rule is one case.
        cases: dict[str, list[Finding]] = defaultdict(list)
        for f in items:
            cases[subject_label(f, opts)].append(f)
        if not cases:
            ET.SubElement(suite, "testcase", classname=code, name=f"{code} {meta.title}")
            counts["tests"] += 1
        for label, fs in cases.items():
            counts["tests"] += 1
            f0 = fs[0]
            classname = ".".join(p for p in (f0.subject.district, f0.subject.township, f0.subject.unit) if p) or "roster"
            case = ET.SubElement(suite, "testcase", classname=f"{code}.{classname}", name=f"{code} {label}")
            text = "\n".join(
                f"{ci_message(f, opts)}  [{f.location.path}"
                + (f":{f.location.row}" if f.location.row else "")
                + (f" {f.location.cell}" if f.location.cell else "")
                + f"] {f.source or ''}"
                for f in fs
            )
            if all(f.waiver is not None for f in fs):
                w = f0.waiver
                assert w is not None
                ET.SubElement(case, "skipped", message=f"waived: {w.reason} ({w.approved_by}, {w.expires})").text = text
                counts["skipped"] += 1
            elif any(f.severity.value in ("error", "warning") and f.waiver is None for f in fs):
                sev = max((f.severity for f in fs if f.waiver is None), key=lambda s: s.rank)
                ET.SubElement(
                    case, "failure", message=ci_message(f0, opts)[:500], type=sev.value
                ).text = text
                counts["failures"] += 1
            else:
                ET.SubElement(case, "system-out").text = text
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("errors", "0")
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
