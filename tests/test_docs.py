"""Generated documentation stays in step with the policy data."""

from __future__ import annotations

from pathlib import Path

from vetting.policy.resolve import load_policies
from vetting.report.rules_report import rules_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_rule_reference_is_up_to_date() -> None:
    expected = rules_markdown(load_policies(["national"]))
    actual = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/rules.md is stale: run `vetting rules --format markdown > docs/rules.md`"


def test_the_input_format_page_lists_every_unit_table_column() -> None:
    """The product's docs stand alone: the unit table's columns are in docs/input-format.md."""
    from vetting.units.columns import UNIT_FIELDS

    text = (Path(__file__).resolve().parent.parent / "docs" / "input-format.md").read_text(encoding="utf-8")
    section = text[text.index("## Unit table (单位信息)"):]
    rows = {line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| ")}
    for f in UNIT_FIELDS:
        if f.key in ("district", "township", "unit", "unit_type"):
            continue
        assert f.key in rows and f.header in rows[f.key], f.key
        assert all(a in rows[f.key] for a in f.aliases), f.key


def test_the_docs_cite_no_file_a_user_does_not_have() -> None:
    import re

    docs = Path(__file__).resolve().parent.parent / "docs"
    shipped = {p.name for p in docs.iterdir()}
    for page in [*docs.glob("*.md"), docs.parent / "README.md"]:
        for m in re.finditer(r"(?<![\w/.-])((?:spec/|\.\./)?[\w-]+\.md)\b", page.read_text(encoding="utf-8")):
            name = m.group(1)
            assert not name.startswith(("spec/", "../")), (page.name, name)
            assert name in shipped or (docs.parent / name).exists(), (page.name, name)


def test_the_policy_language_lists_every_field_type_from_the_registry() -> None:
    """docs/policy-language.md's table of column types is the field-type registry's, word for word."""
    from vetting.report.rules_report import FIELD_TYPES_BEGIN, FIELD_TYPES_END, field_types_markdown

    text = (ROOT / "docs" / "policy-language.md").read_text(encoding="utf-8")
    block = text[text.index(FIELD_TYPES_BEGIN):text.index(FIELD_TYPES_END) + len(FIELD_TYPES_END)] + "\n"
    assert block == field_types_markdown(), "docs/policy-language.md: paste field_types_markdown() between the markers"
