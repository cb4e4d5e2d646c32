"""The reference date (选举日, `as_of`) every age rule is computed at.

It is never assumed: it comes from `--as-of`, from a policy the user gave (a regional policy's
`as_of:`), or from the election dates of a unit table; otherwise the run stops (exit 2) with a
message that says how to give it. The national baseline sets no date of its own: a roster of any
year would otherwise be checked silently at the 2021 round's date.
"""

from __future__ import annotations

import datetime as dt

from .errors import UserError
from .policy.resolve import EffectivePolicy

__all__ = ["MISSING_HINT", "previous_term_default", "reference_date"]

MISSING_HINT = (
    "请用 --as-of 给出选举日，如 --as-of 2026-03-15；或在地区政策中写 as_of: 2026-03-15。"
    " / Give the election date with --as-of YYYY-MM-DD, or as `as_of:` in a regional policy."
)


def reference_date(given: dt.date | None, policy: EffectivePolicy, *, command: str = "lint") -> dt.date:
    """`given` (from --as-of) or the policy's `as_of`; a `UserError` when neither is set."""
    if given is not None:
        return given
    if policy.as_of is not None:
        return policy.as_of
    raise UserError(
        f"未给出选举日（基准日）：{command} 的年龄、任期等规则都按选举日计算，不能替用户假定日期"
        " / no election date: every age rule is computed at it, and none is assumed",
        hint=MISSING_HINT,
    )


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
