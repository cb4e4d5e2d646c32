"""The figures `vetting stats` computes (key, label, denominator) and its results as data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from ..derive import YOUTH_MAX_AGE
from ..messages import level_label

if TYPE_CHECKING:
    from .claims import ClaimResult


# --------------------------------------------------------------------------------------------
# The figures (stats.md): key -> label and denominator

Of = Literal["members", "secretaries"]


@dataclass(frozen=True)
class FigureSpec:
    key: str
    zh: str  # label in reports
    kind: Literal["count", "mean"]
    of: Of | None = None  # the denominator of the share; None: no share
    en: str = ""


def _c(key: str, zh: str, of: Of | None = None, en: str = "") -> FigureSpec:
    return FigureSpec(key, zh, "count", of, en or key.replace("_", " "))


def _m(key: str, zh: str, en: str = "") -> FigureSpec:
    return FigureSpec(key, zh, "mean", None, en or key.replace("_", " "))


FIGURES: dict[str, FigureSpec] = {
    f.key: f
    for f in (
        _c("units", "村(社区)数"),
        _c("members", "两委成员"),
        _c("party_committee", "党组织成员", "members"),
        _c("village_committee", "村(居)委会成员", "members"),
        _c("cross_appointed", "交叉任职", "members"),
        _c("supervisors", "监委会成员"),
        _c("secretaries", "书记"),
        _c("deputies", "副书记"),
        _c("directors", "主任"),
        _c("one_shoulder", "一肩挑", "secretaries"),
        _c("women", "女性", "members"),
        _c("age_35_or_under", "35岁以下", "members"),
        _c("college_or_above", "大专以上", "members"),
        _c("bachelor_or_above", "本科以上", "members"),
        _c("postgraduate", "研究生", "members"),
        _c("minority", "少数民族", "members"),
        _c("party_members", "中共党员", "members"),
        _c("new", "新进（非现任）", "members"),
        _c("secretary_women", "书记中女性", "secretaries"),
        _c("secretary_age_35_or_under", "书记中35岁以下", "secretaries"),
        _c("secretary_college_or_above", "书记中大专以上", "secretaries"),
        _c("secretary_bachelor", "书记中本科", "secretaries"),
        _c("secretary_postgraduate", "书记中研究生", "secretaries"),
        _m("mean_age", "平均年龄"),
        _m("secretary_mean_age", "书记平均年龄"),
        _m("deputy_mean_age", "副书记平均年龄"),
    )
}
# Continuing / new / leaving against the previous term (两委 members only).
TURNOVER: dict[str, str] = {
    "continuing": "连任（上届也在）",
    "new": "新进（上届没有）",
    "leaving": "退出",
    "leaving_over_age": "超龄退出",
}
# Changes against the previous term: now minus before; means in years, counts in people.
CHANGES: dict[str, Literal["count", "mean"]] = {
    "mean_age": "mean",
    "secretary_mean_age": "mean",
    "college_or_above": "count",
    "women": "count",
}

LEVELS: tuple[str, ...] = ("roster", "district", "township", "unit")
LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "roster": (),
    "district": ("district",),
    "township": ("district", "township"),
    "unit": ("district", "township", "unit"),
}
BY_CHOICES = ("district", "township", "unit")

COLLEGE, BACHELOR, POSTGRADUATE = 4, 5, 6  # education:level (vetting.roster.values)
DEFAULT_OVER_AGE_CAP = 55
BLANK_VALUE = "（空白）"  # a breakdown's key for members whose value is blank


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class Figure:
    """One figure of one group: a count (with its denominator when it has a share) or a mean
    (the sum of the ages and how many there were). Exact; floats only for display and JSON."""

    key: str
    count: int | None = None
    of: str | None = None
    denominator: int | None = None
    total: int | None = None
    n: int | None = None

    @property
    def kind(self) -> str:
        return "mean" if self.n is not None else "count"

    @property
    def share(self) -> Fraction | None:
        if self.of is None or not self.denominator or self.count is None:
            return None
        return Fraction(self.count, self.denominator)

    @property
    def mean(self) -> Fraction | None:
        if not self.n or self.total is None:
            return None
        return Fraction(self.total, self.n)

    # The numbers of the JSON: int / int in Python is correctly rounded, the same float as
    # float(Fraction), faster.
    @property
    def mean_number(self) -> float | None:
        return self.total / self.n if self.n and self.total is not None else None

    @property
    def share_number(self) -> float | None:
        if self.of is None or not self.denominator or self.count is None:
            return None
        return self.count / self.denominator

    def as_json(self) -> dict[str, Any]:
        if self.n is not None:
            return {"mean": self.mean_number, "n": self.n}
        out: dict[str, Any] = {"count": self.count}
        if self.of is not None:
            out["share"] = self.share_number
            out["of"] = self.of
        return out


@dataclass
class Previous:
    """One group against the previous term."""

    as_of: dt.date
    continuing: int
    new: int
    leaving: int
    leaving_over_age: int
    figures: dict[str, Figure]
    changes: dict[str, Fraction | int | None]

    def turnover(self, key: str) -> int:
        return int(getattr(self, key))


@dataclass
class GroupStats:
    level: str
    district: str | None
    township: str | None
    unit: str | None
    figures: dict[str, Figure]
    breakdown: dict[str, dict[str, Figure]] = field(default_factory=dict)
    previous: Previous | None = None

    @property
    def key(self) -> tuple[str | None, ...]:
        return tuple(getattr(self, k) for k in LEVEL_KEYS[self.level])

    @property
    def name(self) -> str:
        """The group's own name (`青竹湖街道`); the whole roster is 全部名单."""
        if self.level == "roster":
            return level_label("roster")
        own = getattr(self, self.level)
        return own if own is not None else "（未填）"

    @property
    def path(self) -> str:
        """Its full name (`开福区 › 青竹湖街道`)."""
        if self.level == "roster":
            return level_label("roster")
        parts = [p if p is not None else "（未填）" for p in self.key]
        return " › ".join(parts)


@dataclass
class InputInfo:
    path: str
    sheet: str | None
    rows: int


@dataclass
class StatsResult:
    as_of: dt.date
    policy: str
    levels: list[str]  # the levels shown (down to --by)
    groups: list[GroupStats]  # the groups shown, level by level, in roster order
    inputs: list[InputInfo]
    breakdown_columns: list[str] = field(default_factory=list)
    previous_as_of: dt.date | None = None
    previous_inputs: list[InputInfo] = field(default_factory=list)
    over_age_cap: int = DEFAULT_OVER_AGE_CAP
    youth_max_age: int = YOUTH_MAX_AGE
    claims: list[ClaimResult] = field(default_factory=list)
    claims_path: str | None = None
    notes: list[str] = field(default_factory=list)
    procedure: Any = None  # vetting.units.figures.ProcedureFigures, when a unit table is given
    # units whose ages are at their own election date (the unit table's), where it differs from as_of
    unit_dates: list[tuple[tuple[str | None, str | None, str], dt.date]] = field(default_factory=list)
    # every computed group (shown or not: claims may name a unit without --by unit)
    all_groups: dict[tuple[str, tuple[str | None, ...]], GroupStats] = field(default_factory=dict)

    def level_groups(self, level: str) -> list[GroupStats]:
        return [g for g in self.groups if g.level == level]

    @property
    def disagreeing(self) -> list[ClaimResult]:
        return [c for c in self.claims if not c.agrees]
