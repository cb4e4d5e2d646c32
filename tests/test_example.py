"""The example roster (examples/): its files are current, it keeps the conventions the template
documents, and `vetting lint` reports on it exactly the findings its README table lists (every
one, at the rows and units listed, and nothing else), for the workbook and the CSV export.
Every code of the national policy fires on it at least once; ST008 and ST009, whose national
target is 0 (off), fire with the example policy examples/targets-example.yaml."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from vetting.cli import app
from vetting.dq import DQ_RULES
from vetting.policy.resolve import load_policies

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = "2021-01-10"
POLICY = "targets-example.yaml"
# Codes of the national policy that cannot fire with its defaults (target 0 = off).
OFF_IN_NATIONAL = {"ST008": "college_share_target", "ST009": "women_share_target"}

runner = CliRunner()


def _make_example() -> Any:
    spec = importlib.util.spec_from_file_location("make_example", EXAMPLES / "make_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_example"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def example() -> Any:
    return _make_example()


@pytest.fixture(scope="module")
def built(example: Any) -> tuple[list[Any], list[Any], Any]:
    return example.build()


def test_example_readme_and_files_are_current(example: Any, built: Any, tmp_path: Path) -> None:
    people, planted, grid = built
    readme = example.README.read_text(encoding="utf-8")
    block = readme.split(example.BEGIN, 1)[1].split(example.END, 1)[0]
    assert block.strip() == example.readme_block(people, planted, grid).strip()

    example.write_csv(grid, tmp_path / "x.csv")
    assert (tmp_path / "x.csv").read_bytes() == example.CSV.read_bytes()
    example.write_xlsx(grid, tmp_path / "x.xlsx")
    fresh = CalamineWorkbook.from_path(str(tmp_path / "x.xlsx")).get_sheet_by_name(example.SHEET)
    shipped = CalamineWorkbook.from_path(str(example.XLSX)).get_sheet_by_name(example.SHEET)
    rows = shipped.to_python(skip_empty_area=False)
    assert fresh.to_python(skip_empty_area=False) == rows
    assert rows[example.HEADER_ROW - 1] == list(example.HEADERS)
    # realistic size: about 150-170 people in about 20 units, and their unit table
    assert 150 <= len(people) <= 170 and len({p.unit for p in people}) == 20
    assert {p.code for p in planted} >= {f"DQ00{i}" for i in range(1, 9)}
    fresh_units = CalamineWorkbook.from_path(str(tmp_path / "x.xlsx")).get_sheet_by_name(example.UNIT_SHEET)
    shipped_units = CalamineWorkbook.from_path(str(example.XLSX)).get_sheet_by_name(example.UNIT_SHEET)
    assert fresh_units.to_python(skip_empty_area=False) == shipped_units.to_python(skip_empty_area=False)
    example.write_units_csv(grid.units, tmp_path / "u.csv")
    assert (tmp_path / "u.csv").read_bytes() == example.UNITS_CSV.read_bytes()


def test_example_planted_problems_are_found(example: Any, built: Any) -> None:
    """The loader alone (DQ001-DQ008) finds the planted data-quality problems, nothing else."""
    from vetting.roster.load import load_roster

    _, planted, _ = built
    loader_codes = {f"DQ00{i}" for i in range(1, 9)}
    fields = list(load_policies(["national"]).fields.values())
    for path, row_of in ((example.XLSX, "row"), (example.CSV, "line")):
        roster = load_roster([path], fields=fields)
        found = sorted((f.code, f.location.row) for f in roster.findings)
        expected = sorted(
            (p.code, getattr(p, row_of))
            for p in example.expected(planted)
            if p.code in loader_codes
        )
        assert found == expected, path.name


# --------------------------------------------------------------------------------------------
# `vetting lint` on the example gives exactly the README table


def _lint(path: Path, *policy: str) -> dict[str, Any]:
    args = ["lint", str(path), "--as-of", AS_OF, "-f", "json"]
    if path.suffix == ".csv":  # the CSV export has no second sheet: the unit table is its own file
        args += ["--units", str(EXAMPLES / "二七区单位信息.csv")]
    for p in policy:
        args += ["-p", str(EXAMPLES / p)]
    r = runner.invoke(app, args)
    assert r.exit_code == 1, r.output  # the example has errors on purpose
    return json.loads(r.stdout)


def _found_key(f: dict[str, Any]) -> tuple[Any, ...]:
    """A finding as (code, undecided rule, severity, where): the row, or the group and its
    arithmetic."""
    rule = f["source"].split(" · ")[0] if f["code"] == "DQ010" else None
    row = f["location"]["row"]
    on_unit_table = f["location"]["sheet"] == "单位信息" or f["location"]["path"].endswith("单位信息.csv")
    if row is not None and not on_unit_table:  # unit-table findings are listed by unit
        return (f["code"], rule, f["severity"], "row", row)
    s, m = f["subject"], f["measure"] or {}
    return (f["code"], rule, f["severity"], f["scope"], s["township"], s["unit"],
            m.get("numerator"), m.get("denominator"))  # fmt: skip


def _expected_key(p: Any, row_of: str) -> tuple[Any, ...]:
    if p.row:
        return (p.code, p.rule, p.severity, "row", getattr(p, row_of))
    n, d = p.measure
    return (p.code, p.rule, p.severity, p.level, p.township, p.unit, n, d)


def _compare(doc: dict[str, Any], expected: list[Any], row_of: str) -> None:
    found = Counter(_found_key(f) for f in doc["findings"])
    want = Counter(_expected_key(p, row_of) for p in expected)
    missing = sorted(want - found, key=str)
    extra = {k: [f["message"] for f in doc["findings"] if _found_key(f) == k] for k in found - want}
    assert not missing and not extra, (
        f"listed but not reported: {missing}; reported but not listed: {extra}"
    )
    summary = Counter(p.severity for p in expected)
    assert {s: doc["summary"][s] for s in ("error", "warning", "info")} == {
        s: summary[s] for s in ("error", "warning", "info")
    }


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_lint_reports_exactly_the_readme_table(example: Any, built: Any, kind: str) -> None:
    _, planted, _ = built
    path, row_of = (example.XLSX, "row") if kind == "xlsx" else (example.CSV, "line")
    doc = _lint(path)
    assert doc["as_of"] == AS_OF and doc["summary"]["units"] == 20
    _compare(doc, example.expected(planted), row_of)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_example_policy_adds_st008_and_st009(example: Any, built: Any, kind: str) -> None:
    _, planted, _ = built
    path, row_of = (example.XLSX, "row") if kind == "xlsx" else (example.CSV, "line")
    _compare(_lint(path, POLICY), example.expected(planted, POLICY), row_of)


def test_every_national_code_fires(example: Any, built: Any) -> None:
    _, planted, _ = built
    national = load_policies(["national"])
    codes = set(national.rules) | set(DQ_RULES)
    fired = {p.code for p in example.expected(planted)}
    assert fired <= codes
    # the only codes that do not fire are those the national policy switches off
    assert codes - fired == set(OFF_IN_NATIONAL)
    for param in OFF_IN_NATIONAL.values():
        assert national.param(param) == 0
    # and the example policy makes them fire
    assert set(OFF_IN_NATIONAL) <= {p.code for p in example.expected(planted, POLICY)}
    # the README tells which policy file that is
    assert f"-p examples/{POLICY}" in example.README.read_text(encoding="utf-8")
