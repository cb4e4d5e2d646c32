"""Large rosters are parsed and checked with some work side by side (threads) and all group
rules measured in one group-by per level: the same frame and the same findings as one by one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vetting import engine
from vetting.policy.resolve import load_policies
from vetting.roster import load

AS_OF = dt.date(2021, 1, 10)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("name", ["二七区两委换届拟任人选.xlsx", "二七区两委换届拟任人选.csv"])
def test_side_by_side_is_the_same(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_policies(["national"])
    path = EXAMPLES / name

    def run(parallel: bool) -> tuple[object, list[object]]:
        monkeypatch.setattr(load, "PARALLEL_ROWS", 0 if parallel else 10**9)
        monkeypatch.setattr(engine, "PARALLEL_ROWS", 0 if parallel else 10**9)
        roster = load.load_roster([path], fields=policy.fields.values())
        found = engine.evaluate(roster, policy, as_of=AS_OF)
        return roster.frame, found

    frame_a, found_a = run(parallel=False)
    frame_b, found_b = run(parallel=True)
    assert frame_a.columns == frame_b.columns  # type: ignore[attr-defined]
    assert frame_a.equals(frame_b)  # type: ignore[attr-defined]
    assert found_a == found_b
    assert found_a  # the example has findings of every kind


def test_group_rules_together_equal_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_policies(["national"])
    roster = load.load_roster([EXAMPLES / "二七区两委换届拟任人选.xlsx"], fields=policy.fields.values())
    together = engine.evaluate(roster, policy, as_of=AS_OF)

    class NotGrouped:  # the engine then asks each group rule for its findings, one by one
        pass

    monkeypatch.setattr(engine, "GroupCheck", NotGrouped)
    one_by_one = engine.evaluate(roster, policy, as_of=AS_OF)
    assert together == one_by_one
    assert any(f.scope in ("unit", "township", "district") for f in together)
