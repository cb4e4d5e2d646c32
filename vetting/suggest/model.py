"""The plan as data: changes, targets, figures. Produced by `vetting.suggest`, rendered by
`vetting.report.suggest`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UnitKey = tuple[str, str, str]  # (district, township, unit); blank parts as ""
# Order of the actions in a plan's listing; their names: `action.*` in `vetting.messages`.
ACTIONS = ("add", "replace", "also_stand", "move", "remove")


@dataclass(frozen=True)
class Change:
    action: str  # add | replace | also_stand | move | remove
    unit: UnitKey
    person: str  # pseudonymous key of the person who takes (or keeps) the post
    name: str
    id_number: str | None  # full; reporters mask it
    party_post: str | None  # the posts the person stands for after the change
    committee_post: str | None
    pool_row: int | None = None  # row of the pool file (add, replace)
    pool_path: str | None = None
    roster_row: int | None = None  # row of the roster (replace: the leaving member; others: the member)
    replaces: str | None = None  # replace/remove: the leaving member's person key
    replaces_name: str | None = None
    fixes: tuple[str, ...] = ()  # codes of the targets this change helps meet
    was: tuple[str | None, str | None] = (None, None)  # also_stand, move: the posts before

    @property
    def post_text(self) -> str:
        return "、".join(p for p in (
            f"党组织{self.party_post}" if self.party_post else None,
            f"村(居)委会{self.committee_post}" if self.committee_post else None,
        ) if p) or "—"


@dataclass(frozen=True)
class Target:
    """A structural or composition target the slate failed before the plan."""

    code: str
    level: str  # person | unit | township | district
    group: str  # the group's label (unit, township…) or the person's name
    unit: UnitKey | None
    row: int | None
    met: bool  # after the plan
    before: str  # the figure before, e.g. "0/3"
    after: str
    shortfall: float = 0  # people still missing after the plan (0 when met)
    relaxation: str | None = None  # the smallest relaxation that would make it feasible
    message: str = ""
    group_key: tuple[str, ...] = ()  # township: (district, township); district: (district,)


@dataclass(frozen=True)
class Excluded:
    pool_row: int
    pool_path: str
    name: str
    id_number: str | None
    person: str
    codes: tuple[str, ...]
    reason: str
    error: bool  # an error-level finding: can never be proposed


@dataclass
class Plan:
    changes: list[Change]
    targets: list[Target]
    excluded: list[Excluded]
    figures: dict[str, Any]  # {"units": [...], "groups": [...]} before / after
    status: str  # optimal | time_limit | ...
    gap: float | None
    new_findings: list[str] = field(default_factory=list)  # codes, empty when verified
    solve_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    cuts: int = 0  # plans the linter rejected (a new finding) before this one
    roster_path: str = ""
    pool_path: str = ""
    as_of: str = ""
    # the proposed slate (a Roster), where each of its rows comes from, and which change made
    # each changed row (pool frame rows, roster frame rows): for the xlsx of the slate
    slate: Any = None
    origin: list[int] = field(default_factory=list)
    pool_changes: dict[int, Change] = field(default_factory=dict)
    roster_changes: dict[int, Change] = field(default_factory=dict)

    @property
    def unmet(self) -> list[Target]:
        return [t for t in self.targets if not t.met]
