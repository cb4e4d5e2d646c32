"""Check kinds: one module each, behind this explicit registry (rule key -> check class).
Their common anatomy, and how to add one, is in `checks/base.py`."""

from __future__ import annotations

from .base import Batch, Check, CheckClass
from .group import GroupCheck
from .person import PersonCheck
from .relatives import RelativesCheck
from .same_person import SamePersonCheck
from .unit_facts import UnitFactsCheck

CHECKS: dict[str, CheckClass] = {
    "when": PersonCheck,
    "expect": GroupCheck,
    "same_person": SamePersonCheck,
    "relatives": RelativesCheck,
    "facts": UnitFactsCheck,
}

__all__ = ["CHECKS", "Batch", "Check", "GroupCheck", "PersonCheck", "RelativesCheck", "SamePersonCheck", "UnitFactsCheck"]
