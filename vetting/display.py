"""How numbers read in messages and reports: shares as percentages, counts without `.0`.

Used by the checks (finding messages) and the reporters (rule descriptions), so it sits below
both."""

from __future__ import annotations

from typing import Any


def fmt_share(x: float | None) -> str:
    if x is None:
        return "—"
    pct = x * 100
    return f"{pct:.0f}%" if abs(pct - round(pct)) < 0.05 else f"{pct:.1f}%"


def fmt_number(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.0f}" if x == int(x) else f"{x:.1f}"
    return str(x)
