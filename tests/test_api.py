"""The library API that every front end calls: findings as data, notices instead of printing,
the as_of default, select/ignore, waivers and baselines, stats with claims."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from vetting import api
from vetting.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "二七区两委换届拟任人选.xlsx"
AS_OF = dt.date(2021, 1, 10)


@pytest.fixture(scope="module")
def full() -> api.LintResult:
    return api.lint([EXAMPLE], as_of=AS_OF)


def test_lint_returns_findings_as_data(full: api.LintResult) -> None:
    assert full.as_of == AS_OF and full.policy.name == "national"
    assert full.rows == 168 and full.people == 166 and full.units == 20
    codes = {f.code for f in full.findings}
    assert {"DQ006", "TN03", "EL009", "ST002", "PR001", "PR012"} <= codes  # the 单位信息 sheet is read
    assert full.failing("error")


def test_select_and_ignore_take_prefixes_as_typed(full: api.LintResult) -> None:
    only = api.lint([EXAMPLE], as_of=AS_OF, select=["tn,EL"], ignore=["EL009"])
    expected = [f for f in full.findings if f.code[:2] in ("TN", "EL") and f.code != "EL009"]
    assert [(f.code, f.location.row) for f in only.findings] == [(f.code, f.location.row) for f in expected]


def test_as_of_is_given_or_a_regional_policys_never_assumed(tmp_path: Path) -> None:
    notices: list[api.Notice] = []
    with pytest.raises(UserError) as e:
        api.lint([EXAMPLE], notify=notices.append)  # the national policy sets no date
    assert "--as-of" in (e.value.hint or "")
    policy = tmp_path / "p.yaml"
    policy.write_text("policy: county\nextends: national\nas_of: 2026-03-01\n", encoding="utf-8")
    result = api.lint([EXAMPLE], policies=[str(policy)], select=["DQ001"], notify=notices.append)
    assert result.as_of == dt.date(2026, 3, 1) and [n for n in notices if n.kind == "warning"] == []
    # the example's unit table dates 19 of its 20 units (2021-01-10): those people are checked then
    assert {d for _, d in result.unit_dates()} == {dt.date(2021, 1, 10)} and len(result.unit_dates()) == 19


def test_baseline_written_then_applied_keeps_only_new_findings(
    tmp_path: Path, full: api.LintResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VETTING_PSEUDONYM_KEY", "county-secret-0123456789")
    base = tmp_path / "baseline.json"
    notices: list[api.Notice] = []
    api.lint([EXAMPLE], as_of=AS_OF, select=["TN"], write_baseline=base, notify=notices.append)
    recorded = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert {e["code"][:2] for e in recorded} == {"TN"}
    again = api.lint([EXAMPLE], as_of=AS_OF, baseline=base, notify=notices.append)
    assert not any(f.code.startswith("TN") for f in again.findings)
    assert len(again.findings) == len(full.findings) - len(recorded) and again.fixed == []
    assert [n.kind for n in notices] == ["progress", "progress"]


def test_user_errors_are_raised_not_printed(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        api.lint([tmp_path / "missing.xlsx"], as_of=AS_OF)
    with pytest.raises(UserError):
        api.load_policy(["no-such-policy"])


def test_stats_reads_the_over_age_cap_from_the_policy(tmp_path: Path) -> None:
    result = api.stats([EXAMPLE], as_of=AS_OF)
    assert result.as_of == AS_OF and result.over_age_cap == 55
    claims = tmp_path / "claims.yaml"
    claims.write_text("- {text: 女性增加1人, figure: previous.changes.women, count: 1}\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        api.stats([EXAMPLE], as_of=AS_OF, claims=claims)
    assert "--previous" in e.value.message
