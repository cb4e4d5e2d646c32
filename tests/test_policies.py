"""The shipped policies: their own test cases run under pytest, and every rule is complete
(cases that pass and fail, a source, a rationale)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.policy.resolve import load_policies, shipped_policies_dir
from vetting.testing import PolicyCache, find_test_files, load_test_file, policy_spec_of, run_case

POLICIES = shipped_policies_dir()
SHIPPED = sorted(p.parent for p in POLICIES.rglob("policy.yaml"))


def _cases() -> list[tuple[Path, int]]:
    out = []
    for path in find_test_files(POLICIES):
        tf, _ = load_test_file(path)
        out += [(path, i) for i in range(len(tf.cases))]
    return out


POLICY_CACHE = PolicyCache()


@pytest.mark.parametrize(("path", "index"), _cases(), ids=lambda v: v.stem if isinstance(v, Path) else str(v))
def test_policy_case(path: Path, index: int) -> None:
    tf, src = load_test_file(path)
    case = tf.cases[index]
    policy = POLICY_CACHE.get(policy_spec_of(tf, path))
    result = run_case(policy, tf, case, file=src.path, line=src.pos(("cases", index)).line)
    assert result.passed, f"{case.name}: missing {result.missing}, unexpected {result.unexpected}, {result.error or ''}"


@pytest.mark.parametrize("policy_dir", SHIPPED, ids=lambda p: p.name)
def test_every_rule_has_source_rationale_and_cases(policy_dir: Path) -> None:
    policy = load_policies([str(policy_dir / "policy.yaml")])
    name = policy.name
    own = {code for code, er in policy.rules.items() if er.policy == name or er.policy.startswith(name + ".")}
    fails: dict[str, int] = {}
    passes: dict[str, int] = {}
    for path in find_test_files(policy_dir):
        tf, _ = load_test_file(path)
        for case in tf.cases:
            fired = {e.code for e in case.expect}
            for code in tf.codes:
                if code in fired:
                    fails[code] = fails.get(code, 0) + 1
                else:
                    passes[code] = passes.get(code, 0) + 1
    problems = []
    for code in sorted(own):
        rule = policy.rules[code].rule
        if not rule.rationale.strip():
            problems.append(f"{code}: no rationale")
        if not rule.source.cite.strip():
            problems.append(f"{code}: no source")
        if not fails.get(code):
            problems.append(f"{code}: no failing case")
        if not passes.get(code):
            problems.append(f"{code}: no passing case")
    assert not problems, problems


def test_national_policy_has_every_catalogue_code() -> None:
    policy = load_policies(["national"])
    expected = (
        [f"EL{i:03d}" for i in range(1, 13)]
        + [f"TN{i:02d}" for i in range(1, 11)]
        + [f"SQ{i:02d}" for i in range(1, 8)]
        + [f"SD{i:03d}" for i in range(1, 5)]
        + [f"ST{i:03d}" for i in range(1, 10)]
        + ["DQ009"]
    )
    assert [c for c in expected if c not in policy.rules] == []
