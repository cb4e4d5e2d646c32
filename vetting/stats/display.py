"""How the figures read in reports: percentages, one decimal, arrows."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def round_half_up(x: Fraction, places: int) -> Decimal:
    """Round an exact value half-up on its magnitude (−2.55 -> −2.6, 2.45 -> 2.5)."""
    scaled = abs(x) * (10**places)
    q = math.floor(scaled + Fraction(1, 2))
    d = Decimal(q).scaleb(-places)
    return -d if x < 0 and q else d


def _fmt_decimal(d: Decimal, places: int) -> str:
    return f"{d:.{places}f}"


# --------------------------------------------------------------------------------------------
# Display helpers shared by the reporters


def pct(share: Fraction | float | None, places: int = 1) -> str:
    """A share as a percentage with one decimal, rounded half-up: 45.6%."""
    if share is None:
        return "—"
    x = share if isinstance(share, Fraction) else Fraction(share)
    return _fmt_decimal(round_half_up(x * 100, places), places) + "%"


def one_decimal(x: Fraction | float | None) -> str:
    if x is None:
        return "—"
    v = x if isinstance(x, Fraction) else Fraction(x)
    return _fmt_decimal(round_half_up(v, 1), 1)


def arrow(change: Fraction | int | None, unit: str = "") -> str:
    """`↓2.6岁`, `↑15人`, `→0人`: the change against the previous term (means to one decimal)."""
    if change is None:
        return "—"
    if isinstance(change, Fraction):
        r = round_half_up(change, 1)
        text, zero = f"{abs(r):.1f}", r == 0
    else:
        text, zero = str(abs(change)), change == 0
    if zero:
        return f"→{text}{unit}"
    return f"{'↑' if change > 0 else '↓'}{text}{unit}"
