"""Policy tests as data: each case is a few roster rows, a reference date and the findings
expected, run through the real reader and engine (the case's as_of is the reference date; no
clock is read).

    # policies/national/tests/TN03.yaml
    rule: TN03
    as_of: 2021-01-10
    cases:
      - name: 影响期在选举日之后结束
        rows: [{处分影响期截止: 2021-01-11}]
        expect: [{code: TN03, row: 1}]
      - name: 影响期在选举日当天结束，不再有影响
        rows: [{处分影响期截止: 2021-01-10}]
        expect: []

Rows are keyed by Chinese header or canonical key. Anything a row leaves out is filled with a
neutral person (a valid ID number consistent with any 出生日期 and 性别 given, a name, 测试镇
测试村, a Party post), so a case states only what it is about. Only findings whose code the file
is about (`rule`/`rules`, and any code a case expects) are compared, as (code, row) for people
and (code, group) for groups.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .documents import LoadedYaml
from .engine import evaluate
from .errors import Problem, UserError
from .findings import Finding
from .policy.objects import replaced
from .policy.resolve import EffectivePolicy, load_policies
from .policy.testfile import (
    Case,
    Expected,
    PolicyTestFile,
    find_test_files,
    load_test_file,
    policy_spec_of,
)
from .roster import values
from .roster.idnumber import check_char
from .roster.load import load_roster


@dataclass
class CaseResult:
    file: str
    case: str
    line: int
    passed: bool
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    error: str | None = None
    problems: list[Problem] = field(default_factory=list)  # errors in the test file itself, as data

    @property
    def id(self) -> str:
        return f"{self.file}::{self.case}"


NEUTRAL_ROW = {
    "乡镇(街道)": "测试镇",
    "村(社区)": "测试村",
    "政治面貌": "中共党员",
    "学历": "大专",
    "是否现任": "是",
    "民族": "汉族",
}
POST_HEADERS = {"拟任党组织职务", "拟任村(居)委会职务", "拟任村(居)务监督委员会职务", "party_post", "committee_post", "supervisory_post"}


def make_id(birth: dt.date, seq: int, female: bool, region: str = "410103") -> str:
    """A valid GB 11643 number for a test person."""
    s = seq % 500 * 2 + (0 if female else 1)
    first = f"{region}{birth:%Y%m%d}{s:03d}"
    return first + check_char(first)


def build_rows(case: Case, defaults: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for i, given in enumerate(case.rows, start=1):
        row = {**NEUTRAL_ROW, **defaults, **given}
        if not any(k in row for k in POST_HEADERS):
            row["拟任党组织职务"] = "委员"
        row.setdefault("姓名", f"测试{i}")
        if "身份证号" not in row and "id_number" not in row:
            birth_given = row.get("出生日期", row.get("出生年月", row.get("birth_date")))
            birth = dt.date(1980, 1, 1) + dt.timedelta(days=i)
            if birth_given is not None:
                parsed = values.parse_date(str(birth_given))
                if parsed is not None:
                    birth = parsed.lo if parsed.precision == "day" else parsed.lo
            female = str(row.get("性别", row.get("gender", "男"))) == "女"
            row["身份证号"] = make_id(birth, i, female)
        out.append({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()})
    return out


UNITS_FILE = "units.json"
NEUTRAL_UNIT = {"乡镇(街道)": "测试镇"}


def _key(f: Finding, index_of_row: dict[int, int]) -> str:
    if Path(f.location.path).name == UNITS_FILE:  # unit-table findings: by unit
        return f"{f.code} unit {f.subject.unit or '全部'}"
    if f.location.row is not None and f.location.row in index_of_row:
        return f"{f.code} row {index_of_row[f.location.row]}"
    s = f.subject
    group = s.unit or s.township or s.district or "全部"
    return f"{f.code} {f.scope} {group}"


def _expected_key(e: Expected) -> str:
    if e.row is not None:
        return f"{e.code} row {e.row}"
    level = e.level or ("unit" if e.unit else "township" if e.township else "district" if e.district else "roster")
    group = e.unit or e.township or e.district or "全部"
    return f"{e.code} {level} {group}"


def run_case(policy: EffectivePolicy, tf: PolicyTestFile, case: Case, *, file: str, line: int) -> CaseResult:
    as_of = case.as_of or tf.as_of or policy.as_of
    if as_of is None:
        return CaseResult(file, case.name, line, False, error="no as_of in the test file or policy")
    if case.params:
        policy = _with_params(policy, case.params)
    rows = build_rows(case, tf.defaults)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.json"
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        roster = load_roster([path], fields=policy.fields.values())
        if case.units is not None:
            from .units.load import attach, load_units

            units_path = Path(tmp) / UNITS_FILE
            unit_rows = [
                {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in {**NEUTRAL_UNIT, **u}.items()}
                for u in case.units
            ]
            units_path.write_text(json.dumps(unit_rows, ensure_ascii=False), encoding="utf-8")
            attach(roster, load_units([(units_path, None)], roster))
    findings = evaluate(roster, policy, as_of=as_of, show_pii=True)
    codes = set(tf.codes) | {e.code for e in case.expect}
    index_of_row = {i + 1: i + 1 for i in range(len(rows))}  # JSON record i is row i
    # A unit table without a column gives one DQ010 per rule that needs it (its source starts
    # with the rule's code): only those of this file's rules are compared.
    actual = Counter(
        _key(f, index_of_row) for f in findings
        if f.code in codes and (f.code != "DQ010" or f.scope != "column" or (f.source or "").split(" ·")[0] in codes)
    )
    expected = Counter(_expected_key(e) for e in case.expect)
    missing = sorted((expected - actual).elements())
    unexpected = sorted((actual - expected).elements())
    for e in case.expect:
        if e.message_contains:
            hits = [f for f in findings if f.code == e.code and e.message_contains in f.message]
            if not hits:
                got = [f.message for f in findings if f.code == e.code]
                missing.append(f"{e.code} message containing '{e.message_contains}' (got: {got})")
        if e.severity:
            key = _expected_key(e)
            same = [f for f in findings if f.code == e.code and _key(f, index_of_row) == key]
            if same and not any(f.severity.value == e.severity for f in same):
                got = sorted({f.severity.value for f in same})
                missing.append(f"{key} with severity {e.severity} (got: {', '.join(got)})")
    return CaseResult(file, case.name, line, not missing and not unexpected, missing, unexpected)


def _with_params(policy: EffectivePolicy, params: dict[str, Any]) -> EffectivePolicy:
    from copy import copy

    new = copy(policy)
    new.params = dict(policy.params)
    for name, value in params.items():
        if name not in new.params:
            raise UserError(_unknown_param(name, policy))
        p = new.params[name]
        new.params[name] = copy(p)
        new.params[name].spec = replaced(p.spec, value=value)
    return new


def _unknown_param(name: str, policy: EffectivePolicy) -> str:
    close = difflib.get_close_matches(name, list(policy.params), n=1)
    guess = f"（是否应为 '{close[0]}'？）" if close else ""
    guess_en = f" (did you mean '{close[0]}'?)" if close else ""
    return f"测试用例中的参数 '{name}' 不存在{guess} / unknown parameter '{name}' in a test case{guess_en}"


def case_param_problems(policy: EffectivePolicy, case: Case, src: LoadedYaml, index: int) -> list[Problem]:
    """Each parameter a case sets that its policy does not have, at the parameter's own key."""
    out: list[Problem] = []
    for name in case.params:
        if name not in policy.params:
            pos = src.pos(("cases", index, "params", name))
            out.append(Problem(pos.path, pos.line, pos.col, _unknown_param(name, policy)))
    return out


class PolicyCache:
    """Load each policy once per test run."""

    def __init__(self) -> None:
        self._cache: dict[str, EffectivePolicy] = {}

    def get(self, spec: str) -> EffectivePolicy:
        key = str(Path(spec).resolve()) if Path(spec).exists() else spec
        if key not in self._cache:
            self._cache[key] = load_policies([spec])
        return self._cache[key]


def run_directory(directory: Path) -> list[CaseResult]:
    """Run every test file under the `tests/` folders of a policy directory."""
    results: list[CaseResult] = []
    policies = PolicyCache()
    for tf_path in find_test_files(directory):
        tf, src = load_test_file(tf_path)
        policy = policies.get(policy_spec_of(tf, tf_path))
        for code in tf.codes:
            if code not in policy.rules and not code.startswith("DQ"):
                results.append(CaseResult(str(src.path), f"rule {code}", 1, False, error=f"policy has no rule {code}"))
        for i, case in enumerate(tf.cases):
            line = src.pos(("cases", i)).line
            problems = case_param_problems(policy, case, src, i)
            if problems:
                results.append(CaseResult(
                    src.path, case.name, problems[0].line or line, False,
                    error="\n    ".join(str(p) for p in problems), problems=problems,
                ))
                continue
            try:
                results.append(run_case(policy, tf, case, file=src.path, line=line))
            except UserError as e:
                results.append(CaseResult(src.path, case.name, line, False, error=str(e)))
    return results
