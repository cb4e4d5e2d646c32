"""The `review:` section of a policy: the departments of the joint review (联审) and the
evidence columns each one answers (spec/review.md "Departments are policy data").

A later policy in an `extends` chain changes the split without copying it: a department it
names replaces the inherited one of that name (or of an alias of it), a new name is added,
and `remove:` drops inherited ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..documents import Pos, at
from ..errors import Problem
from ..roster.headers import normalize_header

if TYPE_CHECKING:
    from ..documents import LoadedYaml
    from .review_model import (
        ReviewSection,  # the section as written (pydantic: only where it is validated)
    )


@dataclass(frozen=True)
class Department:
    name: str
    aliases: tuple[str, ...]
    answers: tuple[str, ...]
    required: bool
    defined_at: Pos  # file:line:col, for `vetting rules`-like listings and errors
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class ReviewConfig:
    """The effective departments (in policy order) and where the split was last set."""

    departments: list[Department] = field(default_factory=list)
    synthesis: str | None = None
    set_by: list[str] = field(default_factory=list)  # the policies that changed the section

    def by_name(self, name: str) -> Department | None:
        """The department a name (or an alias) means; spaces and bracket widths do not count,
        and a longer name that contains one of ours (`长沙市开福区公安分局`) matches it."""
        want = normalize_header(name)
        if not want:
            return None
        for d in self.departments:
            if want in {normalize_header(n) for n in d.names}:
                return d
        hits = [d for d in self.departments if any(normalize_header(n) in want for n in d.names if len(n) >= 2)]
        if len(hits) == 1:
            return hits[0]
        if hits:  # the longest alias decides (法院 vs 人民法院…)
            best = max(hits, key=lambda d: max(len(n) for n in d.names if normalize_header(n) in want))
            return best
        return None

    def answering(self, key: str) -> list[Department]:
        return [d for d in self.departments if key in d.answers]

    @property
    def keys(self) -> list[str]:
        """Every evidence key some department answers, in policy order."""
        out: dict[str, None] = {}
        for d in self.departments:
            out.update(dict.fromkeys(d.answers))
        return list(out)


def merge_review(
    current: ReviewConfig | None,
    section: ReviewSection | None,
    policy: str,
    src: LoadedYaml,
    errors: list[Problem],
) -> ReviewConfig | None:
    """Layer one file's `review:` section on the inherited one."""
    if section is None:
        return current
    out = ReviewConfig(
        list(current.departments) if current else [],
        current.synthesis if current else None,
        list(current.set_by) if current else [],
    )
    out.set_by.append(policy)
    if section.synthesis is not None or section.departments:
        out.synthesis = section.synthesis
    for i, name in enumerate(section.remove):
        pos: Pos = src.pos(("review", "remove", i))
        d = out.by_name(name)
        if d is None:
            errors.append(at(pos, f"review.remove 的部门“{name}”不存在 / no inherited department '{name}'"))
            continue
        out.departments.remove(d)
    seen: set[str] = set()
    for i, spec in enumerate(section.departments):
        pos = src.pos(("review", "departments", i))
        key = normalize_header(spec.name)
        if key in seen:
            errors.append(at(pos, f"部门“{spec.name}”重复 / department listed twice"))
            continue
        seen.add(key)
        dept = Department(spec.name, tuple(spec.aliases), tuple(dict.fromkeys(spec.answers)), spec.required, pos, spec.note)
        old = next((d for d in out.departments if key in {normalize_header(n) for n in d.names}), None)
        if old is not None:
            out.departments[out.departments.index(old)] = dept
        else:
            out.departments.append(dept)
    return out


def check_review(config: ReviewConfig | None, fields: dict[str, object]) -> list[Problem]:
    """Every answered key must be a declared field; a name or alias must mean one department."""
    if config is None:
        return []
    errs: list[Problem] = []
    owner: dict[str, str] = {}
    for d in config.departments:
        for k in d.answers:
            if k not in fields:
                import difflib

                close = difflib.get_close_matches(k, list(fields), n=1)
                errs.append(at(
                    d.defined_at,
                    f"部门“{d.name}”回答的列“{k}”不是已声明的字段 / unknown field '{k}'"
                    + (f"（是否为 {close[0]}？）" if close else ""),
                ))
        for n in d.names:
            nk = normalize_header(n)
            if nk in owner and owner[nk] != d.name:
                errs.append(at(d.defined_at, f"名称“{n}”同时属于“{owner[nk]}”和“{d.name}” / a name of two departments"))
            owner[nk] = d.name
    return errs
