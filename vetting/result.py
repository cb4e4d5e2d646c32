"""What a lint run returns: findings and what they were found in, as plain data.

Reporters render a `LintResult`; they import this module, never the engine that builds it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import __version__
from .asof import ReferenceDates
from .findings import Finding, Severity
from .policy.resolve import EffectivePolicy, PolicyRef
from .roster.load import Roster

TOOL = {"name": "vetting", "version": __version__}


@dataclass
class InputRef:
    path: str
    sheet: str | None
    rows: int
    format: str
    encoding: str | None = None
    header_row: int | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


@dataclass
class LintResult:
    findings: list[Finding]
    as_of: dt.date
    policy: EffectivePolicy
    inputs: list[InputRef]
    rows: int
    people: int
    units: int
    lang: str = "zh"
    fixed: list[dict] = field(default_factory=list)  # baselined findings no longer present
    notes: list[str] = field(default_factory=list)
    roster: Roster | None = None  # for reporters that show the data itself (html, xlsx)
    dates: ReferenceDates | None = None  # where units were checked at their own election dates

    def unit_dates(self) -> list[tuple[tuple[str | None, str | None, str], dt.date]]:
        """((district, township, unit), date) for each unit checked at a date other than
        `as_of` (asof.py), by date, then name; empty when everyone is at `as_of`."""
        if self.dates is None:
            return []
        return sorted(self.dates.by_unit.items(), key=lambda x: (x[1], tuple(p or "" for p in x[0])))

    def as_of_text(self, en: bool = False) -> str:
        """`as_of`, and where units differ, how many were checked at which other date."""
        text = self.as_of.isoformat()
        others: dict[dt.date, int] = {}
        for _, d in self.unit_dates():
            others[d] = others.get(d, 0) + 1
        if not others:
            if self.dates is not None and self.dates.source == "units":
                return f"{text} (the unit table's election date)" if en else f"{text}（单位信息表的选举日期）"
            return text
        rest = ("; " if en else "；").join(
            (f"{n} unit(s) at {d.isoformat()}" if en else f"{n} 个单位为 {d.isoformat()}") for d, n in others.items()
        )
        return f"{text} ({rest}, per the unit table)" if en else f"{text}（按单位信息表：{rest}）"

    @property
    def policies(self) -> list[PolicyRef]:
        return self.policy.chain

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        out["waived"] = 0
        for f in self.findings:
            if f.waiver is not None:
                out["waived"] += 1
            else:
                out[f.severity.value] += 1
        return out

    def failing(self, fail_on: str) -> bool:
        if fail_on == "never":
            return False
        threshold = Severity(fail_on).rank
        return any(f.waiver is None and f.severity.rank >= threshold for f in self.findings)
