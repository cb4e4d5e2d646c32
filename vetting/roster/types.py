"""The field-type registry: what each column type means, in one place.

A column's `type` (in `FieldSpec`, built in or declared by a policy's `fields:`) names one entry
here, which says how a cell is parsed, what polars dtype the parsed column has, which words
count as blank, the ordered levels (for types such as 学历 that compare by rank), which
parsed columns the reader adds beside the value (`:hi`, `:prec`, `:level`) and its `kind`,
which decides the operators that fit it (`policy/operators.py`). The reader (`roster.load`),
the policy validator and the checks read it from here; nobody else lists types.

To add a column type: write its parser in `roster/values.py` (it raises `ValueParseError` with a
message in Chinese and English), add the name to `FieldType` in `roster/columns.py`, and an
entry below. `tests/test_types.py` fails until they agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

import polars as pl

from . import values
from .columns import FieldType as FieldTypeName

Kind = Literal["string", "number", "date", "flag", "ordered", "list"]

@dataclass(frozen=True)
class FieldType:
    name: str
    kind: Kind
    parse: Callable[[str], object] | None  # None: read elsewhere (ID numbers: roster.idnumber)
    dtype: pl.DataType
    description: str
    levels: Mapping[str, int] = field(default_factory=dict)  # ordered types: name -> rank

    @property
    def numeric(self) -> bool:
        """Numbers, dates and years: 无 / 暂无 also mean blank for them."""
        return self.kind in ("number", "date") or self.name == "year"

    @property
    def blank_words(self) -> frozenset[str]:
        return values.NUMERIC_BLANK_LIKE if self.numeric else values.BLANK_LIKE

    @property
    def ordered(self) -> bool:
        return self.kind == "ordered"

    def level_of(self, operand: object) -> int | None:
        """The rank a policy operand names (`高中`, `大专`, or a rank as a number), or None if
        it names none. 学历 also accepts the aliases its parser reads (`大学本科`)."""
        if isinstance(operand, int) and not isinstance(operand, bool):
            return operand
        if not isinstance(operand, str):
            return None
        if operand in self.levels:
            return self.levels[operand]
        if self.name == "education":
            try:
                parsed = values.parse_education(operand)
            except ValueError:
                return None
            return parsed[0] if parsed else None
        return None

    @property
    def parsed_columns(self) -> tuple[str, ...]:
        """Columns the reader adds beside `key`, as suffixes: a date's upper end and precision,
        an ordered value's rank."""
        if self.kind == "date":
            return (":hi", ":prec")
        if self.kind == "ordered":
            return (":level",)
        return ()


def _t(name: str, kind: Kind, parse: Callable[[str], object] | None, dtype: pl.DataType, description: str,
       **kw: object) -> FieldType:
    return FieldType(name, kind, parse, dtype, description, **kw)  # type: ignore[arg-type]


FIELD_TYPES: dict[str, FieldType] = {
    t.name: t
    for t in (
        _t("id_number", "string", None, pl.String(), "公民身份号码 (GB 11643-1999); read by roster.idnumber"),
        _t("text", "string", values.parse_text, pl.String(), "free text, kept as written (stripped, full-width normalised)"),
        _t("gender", "string", values.parse_gender, pl.String(), "男 / 女"),
        _t("date", "date", values.parse_date, pl.Date(), "a date with day, month or year precision"),
        _t("year", "number", values.parse_years, pl.List(pl.Int32()),
           "a year or a list of years (不合格党员年度)"),
        _t("flag", "flag", values.parse_flag, pl.Boolean(), "是 / 否"),
        _t("flag_text", "flag", values.parse_flag_text, pl.Boolean(), "evidence: 是/否 or a description that counts as 是"),
        _t("education", "ordered", values.parse_education, pl.String(), "学历, ordered", levels=values.EDUCATION_LEVELS),
        _t("political_status", "string", values.parse_political_status, pl.String(), "政治面貌"),
        _t("party_post", "string", values.parse_party_post, pl.String(), "党组织职务"),
        _t("committee_post", "string", values.parse_committee_post, pl.String(), "村(居)委会职务"),
        _t("supervisory_post", "string", values.parse_supervisory_post, pl.String(), "村(居)务监督委员会职务"),
        _t("unit_type", "string", values.parse_unit_type, pl.String(), "村 / 社区"),
        _t("id_list", "list", values.split_id_list, pl.List(pl.String()), "near relatives' ID numbers"),
        _t("percent", "number", values.parse_percent, pl.Float64(), "a share, 0..1 (written 85% or 0.85)"),
        _t("term_rating", "ordered", values.parse_term_rating, pl.String(),
           "优秀 / 称职 / 基本称职 / 不称职, ordered", levels=values.TERM_RATING_LEVELS),
        _t("assessment", "ordered", values.parse_assessment, pl.String(),
           "优秀 / 合格 / 基本合格 / 不合格, ordered", levels=values.ASSESSMENT_LEVELS),
        _t("ethnicity", "string", values.parse_ethnicity, pl.String(), "民族 (the 56 groups)"),
        _t("number", "number", values.parse_number, pl.Float64(), "a number"),
        _t("count", "number", values.parse_count, pl.Int64(), "a whole number of people or seats (5, 5人)"),
        _t("party_org_type", "string", values.parse_party_org_type, pl.String(), "党支部 / 党总支 / 党委"),
    )
}

assert set(FIELD_TYPES) == set(get_args(FieldTypeName)), "FIELD_TYPES and columns.FieldType disagree"


def field_type(name: str) -> FieldType:
    return FIELD_TYPES[name]
