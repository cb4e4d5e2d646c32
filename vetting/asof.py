"""The reference date (选举日, `as_of`) every age rule is computed at.

It is never assumed. Where it comes from, first match wins:

1. `--as-of DATE`: one date for the whole run (also for units whose unit table gives another
   election date: the option is how a user asks "what if the election were on that day");
2. the unit table's 选举日期 of a person's unit (units.md), for the people of that unit;
3. a policy the user gave (a regional policy's `as_of:`), for everyone else.

When some roster units have an election date in the unit table and others have none (or no row,
or a date known only to the month) and neither 1 nor 3 gives a date, the run stops (exit 2) and
names the units without a date. Without any of the three, it stops with a message that says how
to give the date. The national baseline sets no date of its own: a roster of any year would
otherwise be checked silently at the 2021 round's date.

The PR rules read a unit's own 选举日期 as the unit's fact whatever the reference date; a blank
one counts as the run's date (1 or 3), and is undecided (DQ010) where there is none.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .errors import UserError
from .policy.resolve import EffectivePolicy

if TYPE_CHECKING:
    from .units.load import Group, UnitTable

__all__ = ["MISSING_HINT", "ReferenceDates", "previous_term_default", "reference_date", "reference_dates"]

MISSING_HINT = (
    "请用 --as-of 给出选举日，如 --as-of 2026-03-15；或在地区政策中写 as_of: 2026-03-15；"
    "或在单位信息表（--units）的“选举日期”列写各村(社区)的选举日。"
    " / Give the election date with --as-of YYYY-MM-DD, as `as_of:` in a regional policy,"
    " or per unit in the unit table's 选举日期 column."
)
UNITS_SHOWN = 10  # units named in the error before "等 N 个"

Source = Literal["option", "policy", "units"]


@dataclass(frozen=True)
class ReferenceDates:
    """The dates a run checks people at.

    `default` is the date of every person whose unit is not in `by_unit`; `by_unit` holds the
    units whose unit-table election date differs from it. `source` says where `default` came
    from: "option" (--as-of), "policy" (a policy's as_of) or "units" (every roster unit has a
    date in the unit table; `default` is then the most common of them, ties to the earliest).
    `overridden` counts the units whose own election date --as-of set aside."""

    default: dt.date
    source: Source
    by_unit: dict[Group, dt.date] = field(default_factory=dict)
    overridden: int = 0

    @property
    def differ(self) -> bool:
        return bool(self.by_unit)

    @property
    def has_fallback(self) -> bool:
        """Whether a unit without its own date has a date to use (--as-of or the policy's)."""
        return self.source != "units"

    def of(self, group: Group) -> dt.date:
        return self.by_unit.get(group, self.default)


def _missing_error(command: str) -> UserError:
    return UserError(
        f"未给出选举日（基准日）：{command} 的年龄、任期等规则都按选举日计算，不能替用户假定日期"
        " / no election date: every age rule is computed at it, and none is assumed",
        hint=MISSING_HINT,
    )


def reference_date(given: dt.date | None, policy: EffectivePolicy, *, command: str = "lint") -> dt.date:
    """`given` (from --as-of) or the policy's `as_of`; a `UserError` when neither is set."""
    if given is not None:
        return given
    if policy.as_of is not None:
        return policy.as_of
    raise _missing_error(command)


def _label(group: Group) -> str:
    return "".join(p for p in group if p)


def reference_dates(
    given: dt.date | None, policy: EffectivePolicy, table: UnitTable | None, *, command: str = "lint"
) -> ReferenceDates:
    """The run's dates by the precedence in this module's docstring. `table` is the unit table
    joined to the roster (None without one)."""
    dated: dict[Group, dt.date] = {}
    units: Sequence[Group] = []
    if table is not None:
        units = [u.group for u in table.roster_units]
        for u in units:
            d = table.election_date(u)
            if d is not None:
                dated[u] = d
    if given is not None:
        return ReferenceDates(given, "option", overridden=sum(1 for d in dated.values() if d != given))
    if not dated:
        return ReferenceDates(reference_date(None, policy, command=command), "policy")
    if policy.as_of is not None:
        default, source = policy.as_of, "policy"
    else:
        missing = [u for u in units if u not in dated]
        if missing:
            assert table is not None
            no_row = {u.group for u in table.unmatched_roster}
            shown = "、".join(_label(u) + ("（表中没有这一行）" if u in no_row else "") for u in missing[:UNITS_SHOWN])
            more = f"等 {len(missing)} 个单位" if len(missing) > UNITS_SHOWN else ""
            raise UserError(
                f"单位信息表只给出了部分村(社区)的选举日期：{shown}{more}没有选举日期（空白、只写到月或没有这一行），"
                f"{command} 无法确定这些单位人员的年龄等按哪一天计算"
                f" / the unit table gives no election date for {len(missing)} unit(s)",
                path=table.sources[0].path if table.sources else None,
                details=[f"有选举日期的单位：{len(dated)} 个；没有的：{len(missing)} 个"],
                hint=MISSING_HINT,
            )
        counts = Counter(dated.values())
        default = min(counts, key=lambda d: (-counts[d], d))
        source = "units"
    by_unit = {u: d for u, d in dated.items() if d != default}
    return ReferenceDates(default, source, by_unit)  # type: ignore[arg-type]


def previous_term_default(as_of: dt.date, policy: EffectivePolicy) -> tuple[dt.date, int]:
    """The previous round's election date when `--previous-as-of` is not given: as_of minus the
    policy's `previous_term_years` (5 nationally); 29 February becomes 28 February."""
    years = 5
    param = policy.params.get("previous_term_years")
    if param is not None:
        value = param.spec.value
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
            raise UserError(
                f"政策参数 previous_term_years 应是 1 到 10 之间的整数（年），而不是 {value!r}"
                " / previous_term_years must be a whole number of years"
            )
        years = value
    from .stats import previous_default_as_of

    return previous_default_as_of(as_of, years), years
