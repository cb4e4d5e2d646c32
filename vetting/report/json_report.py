"""`--format json` (one document) and `--format jsonl` (one finding per line), as cli.md."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import Any

from ..result import TOOL, LintResult
from . import ReportOptions, finding_dict
from .fastjson import dumps_indent2, dumps_value


def document(result: LintResult, opts: ReportOptions, *, findings: list[Any] | None = None) -> dict[str, Any]:
    """The JSON document; `findings` stands in for the findings' dicts (`render_chunks`)."""
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
        "findings": [finding_dict(f, opts) for f in result.findings] if findings is None else findings,
        **({"fixed": result.fixed} if result.fixed else {}),
    }


def render(result: LintResult, opts: ReportOptions) -> str:
    return dumps_indent2(document(result, opts)) + "\n"  # = json.dumps(..., indent=2), faster


_MARK = "\x00findings\x00"  # no finding's text holds a NUL: where the findings go in the frame
_BATCH = 2_000


def render_chunks(result: LintResult, opts: ReportOptions) -> Iterator[str]:
    """`render` in pieces: the document around the findings, then the findings a batch at a
    time, so that a large report never holds every finding's dict and text at once (a
    million-row roster: 70,000 findings, a quarter of a gigabyte). Joined, the same text."""
    if not result.findings:
        yield render(result, opts)
        return
    whole = document(result, opts, findings=[_MARK])
    head, tail = (dumps_indent2(whole) + "\n").split(encode_basestring(_MARK))
    yield head
    nl = "\n    "  # a finding is an item of a list that is a value of the top object
    sep = "," + nl
    fs = result.findings
    for start in range(0, len(fs), _BATCH):
        text = sep.join(dumps_value(finding_dict(f, opts), nl) for f in fs[start:start + _BATCH])
        yield (sep + text) if start else text
    yield tail


def render_lines(result: LintResult, opts: ReportOptions) -> str:
    return "".join(json.dumps(finding_dict(f, opts), ensure_ascii=False) + "\n" for f in result.findings)
