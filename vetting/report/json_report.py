"""`--format json` (one document) and `--format jsonl` (one finding per line), as cli.md."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import Any

from ..findings import Finding
from ..pii import mask_id
from ..result import TOOL, LintResult
from . import ReportOptions, finding_dict, present_message
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
    heads: dict[tuple, str] = {}
    for start in range(0, len(fs), _BATCH):
        text = sep.join([finding_text(f, opts, nl, heads) for f in fs[start:start + _BATCH]])
        yield (sep + text) if start else text
    yield tail


def render_lines(result: LintResult, opts: ReportOptions) -> str:
    return "".join(json.dumps(finding_dict(f, opts), ensure_ascii=False) + "\n" for f in result.findings)


def _str(v: Any, nl: str) -> str:
    """A field's value that is nearly always a string or None, as JSON; `nl` as `dumps_value`."""
    if type(v) is str:
        return encode_basestring(v)
    return "null" if v is None else dumps_value(v, nl)


def finding_text(f: Finding, opts: ReportOptions, nl: str, heads: dict[tuple, str] | None = None) -> str:
    """`dumps_value(finding_dict(f, opts), nl)` without the dict: the finding's JSON as an item
    of a document indented by 2, written field by field (a million-row roster has some 70,000
    findings: the dict and the generic writer were a second and a half of its run). `heads`:
    the text of the fields a rule's findings share (code to source), kept across calls.
    tests/test_json_fast.py checks the two are the same text."""
    i1 = nl + "  "
    i2 = i1 + "  "
    head_key = (nl, f.code, f.severity, f.category, f.scope, f.title)
    head = heads.get(head_key) if heads is not None else None
    if head is None:
        head = (
            f"{{{i1}\"code\": {_str(f.code, i1)},{i1}\"severity\": {_str(f.severity.value, i1)},"
            f"{i1}\"category\": {_str(f.category, i1)},{i1}\"scope\": {_str(f.scope, i1)},"
            f"{i1}\"title\": {_str(f.title, i1)},{i1}\"message\": "
        )
        if heads is not None:
            heads[head_key] = head
    s = f.subject
    loc = f.location
    message = present_message(f.message, opts)
    id_number = s.id_number if opts.show_pii else mask_id(s.id_number)
    m = f.measure
    if m is None:
        measure = "null"
    else:
        measure = (
            f"{{{i2}\"numerator\": {dumps_value(m.numerator, i2)},{i2}\"denominator\": {dumps_value(m.denominator, i2)},"
            f"{i2}\"value\": {dumps_value(m.value, i2)},{i2}\"target\": {dumps_value(m.target, i2)},"
            f"{i2}\"missing\": {dumps_value(m.missing, i2)}{i1}}}"
        )
    w = f.waiver
    if w is None:
        waiver = "null"
    else:
        waiver = (
            f"{{{i2}\"reason\": {_str(w.reason, i2)},{i2}\"approved_by\": {_str(w.approved_by, i2)},"
            f"{i2}\"expires\": {_str(w.expires, i2)}{i1}}}"
        )
    return (
        f"{head}{_str(message, i1)},"
        f"{i1}\"source\": {_str(f.source, i1)},"
        f"{i1}\"subject\": {{"
        f"{i2}\"district\": {_str(s.district, i2)},"
        f"{i2}\"township\": {_str(s.township, i2)},"
        f"{i2}\"unit\": {_str(s.unit, i2)},"
        f"{i2}\"name\": {_str(s.name, i2)},"
        f"{i2}\"id_number\": {_str(id_number, i2)},"
        f"{i2}\"person\": {_str(s.person, i2)}{i1}}},"
        f"{i1}\"location\": {{{i2}\"path\": {_str(loc.path, i2)},{i2}\"sheet\": {_str(loc.sheet, i2)},"
        f"{i2}\"row\": {dumps_value(loc.row, i2)},"
        f"{i2}\"column\": {_str(loc.column, i2)},{i2}\"cell\": {_str(loc.cell, i2)}{i1}}},"
        f"{i1}\"measure\": {measure},{i1}\"waiver\": {waiver}{nl}}}"
    )
