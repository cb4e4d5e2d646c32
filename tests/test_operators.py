"""The operator table is whole: every operator has its place in the policy model, a compiler in
the checks, words in Chinese and English, and is used by a shipped policy or its tests; and the
table's idea of which columns an operator fits is the one the validator enforces."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.checks.condition import LEAF_OPERATORS
from vetting.errors import UserError
from vetting.policy.model import Leaf
from vetting.policy.operators import OPERATORS
from vetting.policy.resolve import load_policies
from vetting.roster.types import field_type

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ROOT / "policies" / "national" / "fields.yaml"


def test_model_table_and_compilers_agree() -> None:
    assert set(LEAF_OPERATORS) == set(OPERATORS)
    operand_fields = set(Leaf.model_fields) - {"field", "says", "says_en"}
    assert operand_fields == {op.attr for op in OPERATORS.values()}
    assert tuple(op.attr for op in OPERATORS.values()) == Leaf.OPERATORS


@pytest.mark.parametrize("name", list(OPERATORS))
def test_each_operator_reads_in_both_languages(name: str) -> None:
    op = OPERATORS[name]
    operand = next(iter(op.by_operand)) if op.by_operand else 3
    zh, en = op.describe("年龄", operand, "3", en=False), op.describe("age", operand, "3", en=True)
    assert zh.startswith("年龄 ") and en.startswith("age ") and zh != en
    if not op.by_operand:
        assert "3" in zh and "3" in en


# Date comparisons the shipped policies do not use: their behaviour is tested here.
EXERCISED_HERE = {"before", "on_or_before", "on_or_after"}


def test_every_operator_is_used_by_the_shipped_policies_or_tested_here() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "policies").rglob("*.yaml"))
    unused = {name for name in OPERATORS if f"{name}:" not in text}
    assert unused == EXERCISED_HERE


@pytest.mark.parametrize(
    ("test", "fired", "undecided"),
    [
        # rows: 1959-12-31, 1960-01-01, 1960-01 (month only), 1960-02-01
        ("before: 1960-01-01", [1], []),
        ("on_or_before: 1960-01-01", [1, 2], [3]),
        ("on_or_after: 1960-01-01", [2, 3, 4], []),
        ("after: 1960-01-01", [4], [3]),
    ],
)
def test_date_comparisons_on_day_and_month_precision(tmp_path: Path, test: str, fired: list[int], undecided: list[int]) -> None:
    import datetime as dt

    from vetting import api

    births = ["1959-12-31", "1960-01-01", "1960年1月", "1960-02-01"]
    roster = tmp_path / "r.csv"
    lines = ["姓名,乡镇(街道),村(社区),拟任党组织职务,出生日期,身份证号"]
    for i, b in enumerate(births, start=1):
        lines.append(f"人{i},某镇,甲村,委员,{b},")
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    policy = _policy(tmp_path, "birth_date", test)
    result = api.lint([roster], policies=[str(policy)], as_of=dt.date(2021, 1, 10), select=["XT01", "DQ010"])
    rows = {code: sorted(f.location.row - 1 for f in result.findings if f.code == code) for code in ("XT01", "DQ010")}
    assert rows == {"XT01": fired, "DQ010": undecided}


def _policy(tmp_path: Path, field: str, test: str) -> Path:
    p = tmp_path / "p.yaml"
    p.write_text(
        f"policy: t\nversion: '1'\ninclude: [{FIELDS}]\nrules:\n"
        "  - {code: XT01, title: t, category: t, severity: error, rationale: t, source: {cite: t},\n"
        f"     when: {{field: {field}, {test}}}}}\n",
        encoding="utf-8",
    )
    return p


@pytest.mark.parametrize(
    ("field", "test", "fits"),
    [
        ("age", "below: 18", True),
        ("age", "within_years: 3", False),
        ("education", "below: 高中", True),
        ("birth_date", "before: as_of", True),
        ("birth_date", "below: 3", False),
        ("criminal_record", "is: true", True),
        ("criminal_record", "above: 3", False),
        ("name", "in: [张三]", True),
        ("relatives", "equals: x", False),
    ],
)
def test_the_validator_enforces_what_the_table_says(tmp_path: Path, field: str, test: str, fits: bool) -> None:
    path = _policy(tmp_path, field, test)
    name = test.split(":")[0]
    spec_type = {"age": "number"}.get(field)
    if spec_type is None:
        from vetting.roster.columns import BUILTIN_BY_KEY

        spec = BUILTIN_BY_KEY.get(field)
        spec_type = spec.type if spec else "flag_text"
    assert OPERATORS[name].fits(field_type(spec_type)) == fits
    if fits:
        load_policies([str(path)])
    else:
        with pytest.raises(UserError) as e:
            load_policies([str(path)])
        assert any("operator does not fit" in d for d in e.value.details)
