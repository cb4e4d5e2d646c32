"""The column catalogue: canonical keys, Chinese headers, aliases and value types.

Built-in columns (person and organisation) live here because the reader needs them to find
the header row. Evidence columns from the joint review (联审) are *declared by policies*
(`fields:` in a policy file); the shipped national policy declares those of roster.md, and a
regional policy may add its own. Both kinds share the `FieldSpec` model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# The value types a column may have. Each has one parser in `vetting.roster.values`.
FieldType = Literal[
    "id_number",  # 公民身份号码 (GB 11643-1999)
    "text",  # free text, kept as written (stripped, full-width normalised)
    "gender",  # 男 / 女
    "date",  # a date with day, month or year precision
    "year",  # a year or a list of years (不合格党员年度)
    "flag",  # 是/否
    "flag_text",  # evidence: 是/否 or a description that counts as 是
    "education",  # ordered level
    "political_status",
    "party_post",
    "committee_post",
    "supervisory_post",
    "unit_type",  # 村 / 社区
    "id_list",  # near relatives' ID numbers
    "percent",
    "term_rating",  # 优秀 / 称职 / 基本称职 / 不称职
    "assessment",  # 优秀 / 合格 / 基本合格 / 不合格
    "ethnicity",
    "number",
    "count",  # a whole number of people or seats (the unit table)
    "party_org_type",  # 党支部 / 党总支 / 党委 (the unit table)
]


@dataclass(frozen=True, kw_only=True)
class FieldSpec:
    """One roster column: how it is named in files and what its values mean.

    A plain class (reading a roster needs no validation); a column a policy declares is
    validated by its pydantic model, `policy.model.FieldSpec`, a subclass of this one."""

    key: str  # canonical key used in policies
    header: str  # canonical Chinese header
    aliases: tuple[str, ...] = ()
    type: FieldType = "text"
    title_en: str | None = None  # English name, for messages in English
    required: bool = False
    personal: bool = False  # personal data: masked or never printed
    # what a blank cell means: 'none' = nothing to report (evidence), 'unknown' = a rule that
    # needs the value cannot be decided (DQ010)
    blank: Literal["none", "unknown"] = "none"
    description: str | None = None


def _f(key: str, header: str, aliases: tuple[str, ...], type_: FieldType, en: str, **kw: object) -> FieldSpec:
    return FieldSpec(key=key, header=header, aliases=aliases, type=type_, title_en=en, **kw)  # type: ignore[arg-type]


BUILTIN_FIELDS: tuple[FieldSpec, ...] = (
    _f("id_number", "身份证号", ("公民身份号码", "身份证号码", "身份证"), "id_number", "ID number", required=True, personal=True),
    _f("name", "姓名", (), "text", "name", required=True),
    _f("gender", "性别", (), "gender", "gender", blank="unknown"),
    _f("birth_date", "出生日期", ("出生年月", "出生年月日"), "date", "date of birth", blank="unknown"),
    _f("ethnicity", "民族", (), "ethnicity", "ethnicity", blank="unknown"),
    _f("education", "学历", ("文化程度", "最高学历"), "education", "education", blank="unknown"),
    _f("political_status", "政治面貌", (), "political_status", "political status", blank="unknown"),
    _f("party_join_date", "入党时间", ("入党日期",), "date", "date joined the Party", blank="unknown"),
    _f("district", "县(市、区)", ("区县", "县区", "县(市区)"), "text", "district"),
    _f("township", "乡镇(街道)", ("乡镇", "街道", "乡镇街道"), "text", "township"),
    _f("unit", "村(社区)", ("村社区", "村/社区", "单位"), "text", "village/community", required=True),
    _f("unit_type", "类型", ("村/社区类型",), "unit_type", "unit type", blank="unknown"),
    _f("party_post", "拟任党组织职务", ("党组织职务",), "party_post", "proposed Party post"),
    _f("committee_post", "拟任村(居)委会职务", ("村(居)委会职务", "村委会职务", "居委会职务"), "committee_post", "proposed committee post"),
    _f("supervisory_post", "拟任村(居)务监督委员会职务", ("监委会职务", "村务监督委员会职务"), "supervisory_post", "proposed supervisory committee post"),
    _f("incumbent", "是否现任", ("现任两委成员", "是否连任"), "flag", "incumbent", blank="unknown"),
    _f("relatives", "近亲属身份证号", ("亲属身份证号",), "id_list", "near relatives' ID numbers", personal=True),
    _f("phone", "联系电话", ("手机号", "电话"), "text", "phone", personal=True),
    _f("source", "人员来源", ("身份类别", "人员类别"), "text", "background"),
)

# Headers that are recognised but carry nothing the rules use: no DQ008 note for them.
IGNORED_HEADERS: tuple[str, ...] = ("序号", "编号", "备注")

POST_KEYS: tuple[str, ...] = ("party_post", "committee_post", "supervisory_post")

BUILTIN_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in BUILTIN_FIELDS}
