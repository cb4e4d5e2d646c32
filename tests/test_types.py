"""The field-type registry (vetting.roster.types) is whole and is the one that runs: every type
of `FieldSpec.type` has an entry, a parser (ID numbers apart), a dtype the reader really
produces, the operators the validator accepts, and ordered levels where it compares by rank."""

from __future__ import annotations

from typing import get_args

import pytest

from vetting.policy.operators import OPERATORS, types_fitting
from vetting.roster import values
from vetting.roster.columns import BUILTIN_FIELDS, FieldType
from vetting.roster.types import FIELD_TYPES, field_type


def test_every_field_type_has_one_entry() -> None:
    assert set(FIELD_TYPES) == set(get_args(FieldType))
    assert [name for name, t in FIELD_TYPES.items() if t.parse is None] == ["id_number"]


@pytest.mark.parametrize(
    ("type_name", "raw", "expected"),
    [
        ("flag", "是", True),
        ("flag_text", "2015年被判刑", True),
        ("date", "1985.03", values.DateValue.of_month(1985, 3)),
        ("year", "2019", (2019,)),
        ("education", "大学本科", (5, "本科")),
        ("political_status", "党员", "中共党员"),
        ("party_post", "党支部书记", "书记"),
        ("committee_post", "村委会主任", "主任"),
        ("supervisory_post", "监委会主任", "主任"),
        ("unit_type", "居委会", "社区"),
        ("percent", "83", 0.83),
        ("term_rating", "称职", "称职"),
        ("assessment", "合格", "合格"),
        ("ethnicity", "汉", "汉族"),
        ("gender", "女", "女"),
        ("number", "3", 3.0),
        ("text", "社区工作者", "社区工作者"),
        ("id_list", "a、b", ["a", "b"]),
    ],
)
def test_each_type_parses_with_its_parser(type_name: str, raw: str, expected: object) -> None:
    parse = field_type(type_name).parse
    assert parse is not None and parse(raw) == expected


def test_ordered_types_and_their_levels() -> None:
    ordered = {name for name, t in FIELD_TYPES.items() if t.ordered}
    assert ordered == {"education", "term_rating", "assessment"}
    education = field_type("education")
    assert education.levels["大专"] < education.levels["本科"] == education.level_of("大学本科")
    assert education.level_of("博士后") is None and education.level_of(4) == 4
    assert list(field_type("term_rating").levels) == ["不称职", "基本称职", "称职", "优秀"]
    for name in ordered:
        assert field_type(name).parsed_columns == (":level",)


def test_operators_fit_by_type() -> None:
    assert types_fitting("within_years") == {"date", "year"}
    assert types_fitting("below") == {"number", "percent", "year", "count", "education", "term_rating", "assessment"}
    assert "id_list" not in types_fitting("equals")
    assert {"flag", "flag_text"} <= types_fitting("equals") and "flag" not in types_fitting("in")
    assert all(OPERATORS[op].fits(t) for t in FIELD_TYPES.values() for op in ("is", "present"))


def test_blank_words_by_type() -> None:
    assert "无" in field_type("date").blank_words and "无" in field_type("number").blank_words
    assert "无" not in field_type("text").blank_words  # 无 is an answer in free text


def test_builtin_columns_read_to_their_types_dtype(tmp_path) -> None:
    import datetime as dt

    from vetting.roster.load import load_roster
    from vetting.testing import make_id

    path = tmp_path / "r.csv"
    path.write_text(
        "姓名,身份证号,乡镇(街道),村(社区),拟任党组织职务,学历,出生日期,是否现任\n"
        f"张三,{make_id(dt.date(1980, 1, 2), 1, False)},某镇,甲村,书记,大专,1980-01-02,是\n",
        encoding="utf-8",
    )
    frame = load_roster([path]).frame
    for spec in BUILTIN_FIELDS:
        if spec.key in frame.columns:
            assert frame.schema[spec.key] == field_type(spec.type).dtype, spec.key
