"""Large rosters are parsed and checked with some work side by side (threads) and all group
rules measured in one group-by per level: the same frame and the same findings as one by one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vetting import engine
from vetting.findings import sort_findings
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


def test_group_rules_together_equal_one_by_one() -> None:
    """The engine's shared group-by per level gives each group rule the findings it finds
    alone (a group-by of its own, `Batch()` without groups)."""
    from vetting.checks import CHECKS, Batch
    from vetting.checks.context import Context
    from vetting.derive import with_derived

    policy = load_policies(["national"])
    roster = load.load_roster([EXAMPLES / "二七区两委换届拟任人选.xlsx"], fields=policy.fields.values())
    together = [f for f in engine.evaluate(roster, policy, as_of=AS_OF) if f.code in _group_codes(policy)]
    frame = with_derived(roster.frame, AS_OF)
    ctx = Context(policy=policy, roster=roster, as_of=AS_OF)
    one_by_one = [
        f
        for code in _group_codes(policy)
        for f in CHECKS["expect"](policy.rules[code], ctx).findings(frame, Batch())
    ]
    assert together == sort_findings(one_by_one)
    assert any(f.scope in ("unit", "township", "district") for f in together)


def _group_codes(policy) -> list[str]:  # type: ignore[no-untyped-def]
    return [code for code, er in policy.rules.items() if "expect" in er.rule.kinds]


@pytest.mark.parametrize("name", ["二七区两委换届拟任人选.xlsx", "二七区两委换届拟任人选.csv"])
def test_engine_for_small_frames_is_the_same(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small frames' lazy queries run on polars' in-memory engine (vetting/_collect.py), large
    ones on polars' default: the same frame and findings either way."""
    from vetting import _collect

    policy = load_policies(["national"])
    path = EXAMPLES / name

    def run(in_memory_below: int) -> tuple[object, list[object]]:
        monkeypatch.setattr(_collect, "IN_MEMORY_BELOW", in_memory_below)
        roster = load.load_roster([path], fields=policy.fields.values())
        return roster.frame, engine.evaluate(roster, policy, as_of=AS_OF)

    assert _collect.engine_for(10) == "in-memory"
    assert _collect.engine_for(10**6) == "auto"
    frame_a, found_a = run(10**9)  # every query in memory
    frame_b, found_b = run(0)  # every query as polars chooses
    assert frame_a.equals(frame_b)  # type: ignore[attr-defined]
    assert found_a == found_b
    assert any(f.code.startswith("EL") for f in found_a)  # (relatives and group rules among them)
