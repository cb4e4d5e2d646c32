"""The field-type registry: what each column type means, in one place.

A column's `type` (in `FieldSpec`, built in or declared by a policy's `fields:`) names one entry
here, which says how a cell is parsed, what polars dtype the parsed column has, which words
count as blank, the ordered levels (for types such as 学历 that compare by rank), which
parsed columns the reader adds beside the value (`:hi`, `:prec`, `:level`) and its `kind`,
which decides the operators that fit it (`policy/operators.py`). The reader (`roster.load`),
the policy validator and the checks read it from here; nobody else lists types.

To add a column type: write its parser in `roster/values.py` (it raises `ValueParseError` with a
message in Chinese and English), add the name to `FieldType` in `roster/columns.py`, and an
entry below with its help text. `tests/test_types.py` fails until they agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

import polars as pl

from ..messages import Catalogue
from . import values
from .columns import FieldType as FieldTypeName

Kind = Literal["string", "number", "date", "flag", "ordered", "list"]

@dataclass(frozen=True)
class FieldType:
    name: str
    kind: Kind
    parse: Callable[[str], object] | None  # None: read elsewhere (ID numbers: roster.idnumber)
    dtype: pl.DataType
    description: str  # what the type is, for people who write policies
    help: tuple[str, str] = ("", "")  # how to fill a cell in (Chinese, English): 填表说明
    choices: tuple[str, ...] = ()  # drop-down values in the blank workbook
    levels: Mapping[str, int] = field(default_factory=dict)  # ordered types: name -> rank

    def help_text(self, lang: str | None = "zh") -> str:
        """How to fill a cell of this type in, in one language (the 填表说明 of the template)."""
        return HELP.text(f"help.{self.name}", lang)

    @property
    def numeric(self) -> bool:
        """Numbers, dates and years: 无 / 暂无 also mean blank for them."""
        return self.kind in ("number", "date") or self.name == "year"

    @property
    def compact(self) -> bool:
        """Flags, dates and numbers: their raw text (a few distinct values in a column) is held
        dictionary-encoded (`pl.Categorical`, 4 bytes a row instead of a 16-byte string view)."""
        return self.kind in ("flag", "date", "number")

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


def _entry(name: str, kind: Kind, parse: Callable[[str], object] | None, dtype: pl.DataType, description: str,
       **kw: object) -> FieldType:
    return FieldType(name, kind, parse, dtype, description, **kw)  # type: ignore[arg-type]


def _best_first(levels: Mapping[str, int]) -> tuple[str, ...]:
    return tuple(reversed(list(levels)))


_EDUCATION = tuple(name for name, level in values.EDUCATION_LEVELS.items() if level > 0)
_POSTS = {"party_post": ("书记", "副书记", "委员", "纪检委员"), "committee_post": ("主任", "副主任", "委员"),
          "supervisory_post": ("主任", "委员")}

FIELD_TYPES: dict[str, FieldType] = {
    t.name: t
    for t in (
        _entry("id_number", "string", None, pl.String(), "公民身份号码 (GB 11643-1999); read by roster.idnumber",
           help=("身份证号：18位公民身份号码（末位可为X），15位旧号码会自动升位；请按文本填写",
                 "ID number: 18-character citizen ID (last may be X); 15-digit legacy numbers are "
                 "converted; type it as text")),
        _entry("text", "string", values.parse_text, pl.String(), "free text, kept as written (stripped, full-width normalised)",
           help=("文本", "text")),
        _entry("gender", "string", values.parse_gender, pl.String(), "男 / 女",
           help=("男 / 女", "男 (male) / 女 (female)"), choices=("男", "女")),
        _entry("date", "date", values.parse_date, pl.Date(), "a date with day, month or year precision",
           help=("日期：可填 1985-03-08、1985.03、1985年3月", "date: 1985-03-08, 1985.03 or 1985年3月")),
        _entry("year", "number", values.parse_years, pl.List(pl.Int32()),
           "a year or a list of years (不合格党员年度)",
           help=("年份：如 2019，多个年份用“、”分隔", "year: e.g. 2019; several years separated by 、")),
        _entry("flag", "flag", values.parse_flag, pl.Boolean(), "是 / 否",
           help=("是 / 否", "是 (yes) / 否 (no)"), choices=("是", "否")),
        _entry("flag_text", "flag", values.parse_flag_text, pl.Boolean(), "evidence: 是/否 or a description that counts as 是",
           help=("是 / 否，或直接填写情况说明", "是 (yes) / 否 (no), or a description of the finding"),
           choices=("是", "否")),
        _entry("education", "ordered", values.parse_education, pl.String(), "学历, ordered", levels=values.EDUCATION_LEVELS,
           help=("学历：" + "、".join(_EDUCATION) + "（“研究生”即硕士研究生）",
                 "education level: " + ", ".join(_EDUCATION)), choices=_EDUCATION),
        _entry("political_status", "string", values.parse_political_status, pl.String(), "政治面貌",
           help=("政治面貌：中共党员、中共预备党员、共青团员、群众、民主党派、无党派人士",
                 "political status: 中共党员, 中共预备党员, 共青团员, 群众, a democratic party, 无党派人士"),
           choices=("中共党员", "中共预备党员", "共青团员", "群众", "无党派人士", "民革党员", "民盟盟员",
                    "民建会员", "民进会员", "农工党党员", "致公党党员", "九三学社社员", "台盟盟员")),
        *(_entry(name, "string", parse, pl.String(), what, choices=_POSTS[name],
             help=("职务：" + "、".join(_POSTS[name]), "post: " + ", ".join(_POSTS[name])))
          for name, parse, what in (("party_post", values.parse_party_post, "党组织职务"),
                                    ("committee_post", values.parse_committee_post, "村(居)委会职务"),
                                    ("supervisory_post", values.parse_supervisory_post, "村(居)务监督委员会职务"))),
        _entry("unit_type", "string", values.parse_unit_type, pl.String(), "村 / 社区",
           help=("村 / 社区", "村 (village) / 社区 (community)"), choices=("村", "社区")),
        _entry("id_list", "list", values.split_id_list, pl.List(pl.String()), "near relatives' ID numbers",
           help=("身份证号列表：多个号码用“、”“，”“；”或换行分隔，没有填“无”或留空",
                 "list of ID numbers separated by 、 ， ； or line breaks; 无 or blank for none")),
        _entry("percent", "number", values.parse_percent, pl.Float64(), "a share, 0..1 (written 85% or 0.85)",
           help=("百分比：83%、0.83、83 均表示 83%", "percentage: 83%, 0.83 and 83 all mean 83%")),
        _entry("term_rating", "ordered", values.parse_term_rating, pl.String(),
           "优秀 / 称职 / 基本称职 / 不称职, ordered", levels=values.TERM_RATING_LEVELS,
           help=("等次：" + "、".join(_best_first(values.TERM_RATING_LEVELS)),
                 "rating: " + ", ".join(_best_first(values.TERM_RATING_LEVELS))),
           choices=_best_first(values.TERM_RATING_LEVELS)),  # best first, as the forms list them
        _entry("assessment", "ordered", values.parse_assessment, pl.String(),
           "优秀 / 合格 / 基本合格 / 不合格, ordered", levels=values.ASSESSMENT_LEVELS,
           help=("结论：" + "、".join(_best_first(values.ASSESSMENT_LEVELS)),
                 "conclusion: " + ", ".join(_best_first(values.ASSESSMENT_LEVELS))),
           choices=_best_first(values.ASSESSMENT_LEVELS)),
        _entry("ethnicity", "string", values.parse_ethnicity, pl.String(), "民族 (the 56 groups)",
           help=("民族：如 汉族（“汉”亦可）", "ethnic group, e.g. 汉族 (汉 also accepted)")),
        _entry("number", "number", values.parse_number, pl.Float64(), "a number", help=("数字", "number")),
        _entry("count", "number", values.parse_count, pl.Int64(), "a whole number of people or seats (5, 5人)",
           help=("整数：如 5（可写“5人”）", "whole number, e.g. 5")),
        _entry("party_org_type", "string", values.parse_party_org_type, pl.String(), "党支部 / 党总支 / 党委",
           help=("党组织类型：党支部、党总支、党委", "党支部, 党总支 or 党委"), choices=("党支部", "党总支", "党委")),
    )
}

# The help texts, read through the message catalogue like every other text people read.
HELP = Catalogue(__name__, {f"help.{t.name}": t.help for t in FIELD_TYPES.values()})

assert set(FIELD_TYPES) == set(get_args(FieldTypeName)), "FIELD_TYPES and columns.FieldType disagree"


def field_type(name: str) -> FieldType:
    return FIELD_TYPES[name]
