"""Check kinds: one module each, behind this explicit registry (rule key -> check class)."""

from __future__ import annotations

from .group import GroupCheck
from .person import PersonCheck
from .relatives import RelativesCheck
from .same_person import SamePersonCheck
from .unit_facts import UnitFactsCheck

CHECKS: dict[str, type] = {
    "when": PersonCheck,
    "expect": GroupCheck,
    "same_person": SamePersonCheck,
    "relatives": RelativesCheck,
    "facts": UnitFactsCheck,
}

__all__ = ["CHECKS", "GroupCheck", "PersonCheck", "RelativesCheck", "SamePersonCheck", "UnitFactsCheck"]
