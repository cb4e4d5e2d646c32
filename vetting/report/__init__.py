"""Reporters: render a LintResult. Only these modules and the CLI print anything.

Each format is one module with `render(result, options) -> str` (text documents) or, for the
console, `print_report(result, options, console)`; binary formats (xlsx) write a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..findings import Finding, Location, Subject
from ..pii import mask_id, mask_name, scrub_text

FORMATS = ("console", "json", "jsonl", "sarif", "junit", "github", "gitlab", "html", "xlsx")


@dataclass
class ReportOptions:
    lang: str = "zh"
    show_pii: bool = False
    statistics: bool = False
    quiet: bool = False


def present_subject(s: Subject, opts: ReportOptions, *, ci: bool = False) -> Subject:
    """The subject as it may be shown: ID numbers masked, names masked in CI formats."""
    if opts.show_pii:
        return s
    return Subject(
        district=s.district,
        township=s.township,
        unit=s.unit,
        name=mask_name(s.name) if ci else s.name,
        id_number=mask_id(s.id_number),
        person=s.person,
    )


def present_message(text: str, opts: ReportOptions) -> str:
    return text if opts.show_pii else scrub_text(text)


def finding_dict(f: Finding, opts: ReportOptions, *, ci: bool = False) -> dict[str, Any]:
    """The JSON shape of a finding (cli.md), with personal data masked per the options."""
    s = present_subject(f.subject, opts, ci=ci)
    loc: Location = f.location
    return {
        "code": f.code,
        "severity": f.severity.value,
        "category": f.category,
        "scope": f.scope,
        "title": f.title,
        "message": present_message(f.message, opts),
        "source": f.source,
        "subject": {
            "district": s.district,
            "township": s.township,
            "unit": s.unit,
            "name": s.name,
            "id_number": s.id_number,
            "person": s.person,
        },
        "location": {
            "path": loc.path,
            "sheet": loc.sheet,
            "row": loc.row,
            "column": loc.column,
            "cell": loc.cell,
        },
        "measure": None
        if f.measure is None
        else {
            "numerator": f.measure.numerator,
            "denominator": f.measure.denominator,
            "value": f.measure.value,
            "target": f.measure.target,
            "missing": f.measure.missing,
        },
        "waiver": None
        if f.waiver is None
        else {"reason": f.waiver.reason, "approved_by": f.waiver.approved_by, "expires": f.waiver.expires},
    }
