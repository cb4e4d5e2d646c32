"""GitLab Code Quality JSON: an array of issues with fingerprints that stay the same when the
roster is re-sorted or unrelated columns change (they are content keys, not row numbers)."""

from __future__ import annotations

from ..findings import finding_keys
from ..result import LintResult
from . import ReportOptions
from .ci_common import ci_message, subject_label
from .fastjson import dumps_indent2

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def render(result: LintResult, opts: ReportOptions) -> str:
    issues = []
    for f, key in zip(result.findings, finding_keys(result.findings), strict=True):
        waived = "" if f.waiver is None else ("[waived] " if opts.lang == "en" else "[已豁免] ")
        issues.append({
            "type": "issue",
            "check_name": f.code,
            "description": f"{waived}{f.code} {subject_label(f, opts)}: {ci_message(f, opts)}",
            "categories": ["Compliance"],
            "fingerprint": key,
            "severity": "info" if f.waiver is not None else SEVERITY[f.severity.value],
            "location": {"path": f.location.path, "lines": {"begin": f.location.row or 1}},
        })
    return dumps_indent2(issues) + "\n"
