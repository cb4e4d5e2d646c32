"""`--format json` (one document) and `--format jsonl` (one finding per line), as cli.md."""

from __future__ import annotations

import json
from typing import Any

from ..result import TOOL, LintResult
from . import ReportOptions, finding_dict
from .fastjson import dumps_indent2


def document(result: LintResult, opts: ReportOptions) -> dict[str, Any]:
    counts = result.counts()
    return {
        "tool": dict(TOOL),
        "as_of": result.as_of.isoformat(),
        # units checked at their own election date (the unit table's), where it differs from as_of
        **({"as_of_units": [
            {"district": g[0], "township": g[1], "unit": g[2], "as_of": d.isoformat()} for g, d in result.unit_dates()
        ]} if result.unit_dates() else {}),
        "policies": [{"name": p.name, "version": p.version, "path": p.path} for p in result.policies],
        "inputs": [{"path": i.path, "sheet": i.sheet, "rows": i.rows} for i in result.inputs],
        "summary": {
            "error": counts["error"],
            "warning": counts["warning"],
            "info": counts["info"],
            "waived": counts["waived"],
            "rows": result.rows,
            "people": result.people,
            "units": result.units,
        },
        "findings": [finding_dict(f, opts) for f in result.findings],
        **({"fixed": result.fixed} if result.fixed else {}),
    }


def render(result: LintResult, opts: ReportOptions) -> str:
    return dumps_indent2(document(result, opts)) + "\n"  # = json.dumps(..., indent=2), faster


def render_lines(result: LintResult, opts: ReportOptions) -> str:
    return "".join(json.dumps(finding_dict(f, opts), ensure_ascii=False) + "\n" for f in result.findings)
