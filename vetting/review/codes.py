"""The joint review's findings (RV001-RV009): their catalogue entries live with the other
built-in codes in `vetting.dq` (one table of every code that is not a policy rule)."""

from __future__ import annotations

from ..dq import RV_RULES

__all__ = ["RV_RULES"]
