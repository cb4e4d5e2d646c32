"""`vetting stats`: the structural figures 换届 reports publish, computed from the roster.

Pure computation, no printing:

    Roster(s) --with_derived(as_of)--> rows --per (group, person)--> people --per group--> figures
    previous roster(s) --same, at their own date--> previous figures; matched by ID number
    claims file (YAML) --ClaimsFile--> claims --checked against figures--> ClaimResult

Counts are of distinct people: every row is first reduced to one row per (group, person)
(`person` is the pseudonymous key of the ID number), so someone listed twice in a unit, or once
for a Party post and once for a committee post, counts once and is 交叉任职. Means are over the
people whose age at as_of is known to the year. Every count, share and mean is kept exact
(integers and `Fraction`s) so that a published figure is checked by rounding the exact value
half-up at the precision it was stated at, never a float that happens to sit just below .5.

The package, along its seams: `figures` (what is counted: keys, labels, denominators; the
results as data), `compute` (rosters to figures), `claims` (published statements read with
positions and checked), `display` (how figures read: percentages, one decimal, arrows).
Everything public is importable from `vetting.stats`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .claims import (  # noqa: F401
    ClaimResult,
    LoadedClaim,
    Number,
    Stated,
    check_claim,
    load_claims,
    parse_count,
    parse_mean,
    parse_share,
    stated_agrees,
)
from .compute import (  # noqa: F401
    compute_stats,
    empty_figures,
    previous_default_as_of,
    resolve_column,
    young_label,
)
from .display import (  # noqa: F401
    arrow,
    one_decimal,
    pct,
    round_half_up,
)
from .figures import (  # noqa: F401
    BLANK_VALUE,
    BY_CHOICES,
    CHANGES,
    DEFAULT_OVER_AGE_CAP,
    FIGURES,
    LEVEL_KEYS,
    LEVELS,
    TURNOVER,
    Figure,
    FigureSpec,
    GroupStats,
    InputInfo,
    Of,
    Previous,
    StatsResult,
)

if TYPE_CHECKING:
    from .claim_model import Claim, ClaimGroup  # noqa: F401


def __getattr__(name: str) -> Any:
    """The pydantic models of a claims file, imported when first asked for (a run without a
    claims file does not import pydantic)."""
    if name in ("Claim", "ClaimGroup"):
        from . import claim_model

        return getattr(claim_model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
