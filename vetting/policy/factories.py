"""Default factories of the policy models' list and dict fields.

Plain functions rather than `list` and `dict`: pydantic reads the signature of a field's default
factory when it builds a model class, and Python's first signature of a builtin type runs its
tokenizer, whose regular expression compiles then (a few milliseconds of every run's start-up).
"""

from __future__ import annotations

from typing import Any


def new_list() -> list[Any]:
    return []


def new_dict() -> dict[Any, Any]:
    return {}
