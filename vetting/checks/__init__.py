"""Check kinds: one module each, behind this explicit registry (rule key -> check class)."""

from __future__ import annotations

from .group import GroupCheck
from .person import PersonCheck
from .relatives import RelativesCheck
from .same_person import SamePersonCheck

CHECKS: dict[str, type] = {
    "when": PersonCheck,
    "expect": GroupCheck,
    "same_person": SamePersonCheck,
    "relatives": RelativesCheck,
}

__all__ = ["CHECKS", "GroupCheck", "PersonCheck", "RelativesCheck", "SamePersonCheck"]
