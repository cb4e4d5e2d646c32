"""The plain classes of a policy's objects (vetting/policy/objects.py) and the models that
validate them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vetting.policy import model, objects
from vetting.policy.facts import (  # (after the model, which it builds on)
    Facts,
    FactTarget,
    FactTest,
)
from vetting.roster import columns

ROOT = Path(__file__).resolve().parent.parent

PAIRS = [
    (model.Leaf, objects.Leaf), (model.All, objects.All), (model.AnyOf, objects.AnyOf), (model.Not, objects.Not),
    (model.Expect, objects.Expect), (model.SamePerson, objects.SamePerson), (model.Relatives, objects.Relatives),
    (model.RuleSource, objects.RuleSource), (model.Rule, objects.Rule), (model.Param, objects.Param),
    (model.SourceDoc, objects.SourceDoc), (model.Standard, objects.Standard), (FactTest, objects.FactTest),
    (FactTarget, objects.FactTarget), (Facts, objects.Facts), (model.FieldSpec, columns.FieldSpec),
]


def _annotations(cls: type) -> list[str]:
    out: list[str] = []
    for c in reversed(cls.__mro__):
        out += [k for k, v in c.__dict__.get("__annotations__", {}).items() if "ClassVar" not in str(v) and k not in out]
    return out


@pytest.mark.parametrize(("validated", "plain"), PAIRS, ids=lambda c: getattr(c, "__qualname__", ""))
def test_each_model_declares_the_attributes_of_its_plain_class(validated: Any, plain: type) -> None:
    """The plain class is what mypy and the cache know; the model what validates: the same
    attributes in the same order (a cached object has exactly the attributes of a validated one)."""
    assert issubclass(validated, plain)
    assert list(validated.model_fields) == _annotations(plain)
