"""Findings: plain, frozen, sortable data. Produced by checks, rendered by reporters."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from operator import attrgetter
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """Where a finding's value sits in the user's file, as a person sees it."""

    path: str = ""
    sheet: str | None = None
    row: int | None = None  # spreadsheet row (Excel) or physical line (CSV); header line = 1 in CSV
    column: str | None = None  # the header as written in the file
    cell: str | None = None  # e.g. "K12"; None when there is no single cell (YAML, groups)


@dataclass(frozen=True, order=True, slots=True)
class Subject:
    """Who or which group a finding is about. ID numbers here are always full; masking is the
    reporters' job, so that `--show-pii` is one switch in one place."""

    district: str | None = None
    township: str | None = None
    unit: str | None = None
    name: str | None = None
    id_number: str | None = None
    person: str | None = None  # pseudonymous key (roster.person_key inside a run; pseudonym.py in outputs)


@dataclass(frozen=True, slots=True)
class Measure:
    """The arithmetic behind a group finding: numerator/denominator = value against target."""

    numerator: float | None
    denominator: float | None
    value: float | None
    target: float | None
    missing: int | None = None  # how many more people would meet the target


@dataclass(frozen=True, slots=True)
class Waiver:
    reason: str
    approved_by: str
    expires: str


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    category: str
    scope: str  # person | unit | township | district | roster | column | file
    title: str
    message: str
    subject: Subject = field(default_factory=Subject)
    location: Location = field(default_factory=Location)
    measure: Measure | None = None
    waiver: Waiver | None = None
    source: str | None = None  # the rule's source citation, e.g. "十不能 第2项"
    rule_order: int = 0  # order of the rule in its policy, for deterministic sorting
    mentions: tuple[str, ...] = ()  # names of other people the message names (masked in CI formats)

    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (
            loc.path,
            loc.sheet or "",
            loc.row if loc.row is not None else 1 << 30,
            self.subject.district or "",
            self.subject.township or "",
            self.subject.unit or "",
            self.code,
            loc.column or "",
            self.message,
        )

    def with_waiver(self, waiver: Waiver | None) -> Finding:
        return replace(self, waiver=waiver)


_FINDING_VALUES = attrgetter(*(f.name for f in fields(Finding)))
_SUBJECT_AT = [f.name for f in fields(Finding)].index("subject")
_SUBJECT_VALUES = attrgetter(*(f.name for f in fields(Subject)))
_PERSON_AT = [f.name for f in fields(Subject)].index("person")


def with_person(f: Finding, person: str | None) -> Finding:
    """`f` with its subject's person key replaced: `dataclasses.replace` twice, without its
    per-call look-up of the fields (a million-row roster has some 70,000 findings)."""
    subject = list(_SUBJECT_VALUES(f.subject))
    subject[_PERSON_AT] = person
    values = list(_FINDING_VALUES(f))
    values[_SUBJECT_AT] = Subject(*subject)
    return Finding(*values)


def finding_key(f: Finding) -> str:
    """A content key for a finding that survives re-sorting, added rows and edits of unrelated
    columns, and reveals no ID number: the code, the person's pseudonymous key (or the group),
    and the column. Used by baselines and CI fingerprints."""
    s = f.subject
    if s.person:
        who = f"person:{s.person}"
    elif f.scope == "column":
        who = "column"  # (not the file's name: renaming the roster changes nothing)
    else:
        who = "group:" + "/".join(p or "" for p in (s.district, s.township, s.unit))
    basis = "|".join((f.code, f.scope, who, f.location.column or ""))
    return hashlib.blake2b(basis.encode(), digest_size=10).hexdigest()


def finding_keys(findings: list[Finding]) -> list[str]:
    """Keys for a list of findings; repeated keys get an occurrence number so each is unique."""
    seen: dict[str, int] = {}
    out = []
    for f in findings:
        k = finding_key(f)
        n = seen.get(k, 0)
        seen[k] = n + 1
        out.append(k if n == 0 else f"{k}-{n}")
    return out


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Deterministic order: by file, row, group, then code."""
    return sorted(findings, key=Finding.sort_key)


def _quick_init(cls: type) -> None:
    """Give a frozen, slotted dataclass an `__init__` that sets each slot through its descriptor
    (the generated one looks up `object.__setattr__` for each field): the same arguments,
    defaults and result, in about half the time (a million-row roster makes some 70,000
    findings, each with a subject and a location)."""
    from dataclasses import MISSING

    ns: dict[str, Any] = {"_FACTORY": object()}
    params, body = [], []
    for f in fields(cls):
        ns[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not MISSING:
            ns[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
        elif f.default_factory is not MISSING:
            ns[f"_f_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_FACTORY")
            body.append(f"    if {f.name} is _FACTORY: {f.name} = _f_{f.name}()")
        else:
            params.append(f.name)
        body.append(f"    _set_{f.name}(self, {f.name})")
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body), ns)
    init = ns["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]


for _cls in (Location, Subject, Measure, Finding):
    _quick_init(_cls)
