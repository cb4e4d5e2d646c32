"""The policy language: what a policy file may say, as pydantic models (`extra="forbid"`).

A policy is data. Nothing in it is executed: conditions are trees of known operators,
messages are templates with plain `{name}` placeholders, parameters are typed values.

    policy: national.ten-cannots            # name
    params:  {rating_lookback_years: {value: 3, title: 不合格党员回溯年数}}
    rules:
      - code: TN07
        title: ...
        when: {any: [{field: term_rating, equals: 不称职, says: "本届任期考核{value}"}, ...]}

Rule kinds (exactly one per rule; each has its module in `vetting.checks`):
- `when:`     a person condition (all / any / not over field tests);
- `expect:`   a group target over units, townships, districts or the roster (count, share,
              mean, min, max against bounds), on the members selected by `members:`;
- `same_person:` the same person in several groups;
- `relatives:` near relatives (either side lists the other) within one group.
`when`, `same_person` and `relatives` may be combined in one rule (one code, several checks);
`expect` stands alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from ..findings import Severity
from ..roster.columns import FieldSpec as PlainFieldSpec
from ..roster.columns import FieldType
from . import objects
from .factories import new_dict, new_list
from .objects import Level, Operand, Scalar
from .operators import OPERATOR_SYNONYMS
from .operators import OPERATORS as OPERATOR_TABLE
from .review_model import ReviewSection

CODE_PATTERN = r"^[A-Z]{2,4}[0-9]{2,4}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ---------------------------------------------------------------------------------------------
# Conditions


class Leaf(_Model, objects.Leaf):
    """A test of one field of one person. Exactly one operator."""

    field: str = Field(description="a column key (built-in, derived, or declared in `fields`)")
    is_: bool | Literal["unknown", "known"] | None = Field(
        default=None, alias="is", description="flags: true, false (explicitly), unknown (blank), known"
    )
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    not_in: list[Scalar] | None = None
    present: bool | None = Field(default=None, description="text written (other than 无/没有/否)")
    below: Operand | None = Field(default=None, description="< (未满, 低于)")
    at_most: Operand | None = Field(default=None, description="<= (以下, 不超过)")
    above: Operand | None = Field(default=None, description="> (超过, 高于)")
    at_least: Operand | None = Field(default=None, description=">= (以上, 不低于)")
    before: Operand | None = Field(default=None, description="date < (as_of, a date or $param)")
    after: Operand | None = Field(default=None, description="date > (as_of, a date or $param)")
    on_or_before: Operand | None = None
    on_or_after: Operand | None = None
    within_years: Operand | None = Field(
        default=None, description="date > as_of - N years; a year Y >= year(as_of) - N"
    )
    says: str | None = Field(default=None, description="message part when this test fires")
    says_en: str | None = None

    # an unknown key here is most likely a misnamed operator (documents.explain reads these)
    KEY_SYNONYMS: ClassVar[dict[str, str]] = OPERATOR_SYNONYMS
    KEY_NOTE: ClassVar[str] = (
        "字段测试写作 {field: 列名, 运算: 值}，可用的运算：" + "、".join(OPERATOR_TABLE)
        + " / a field test is {field: KEY, OPERATOR: VALUE}; operators: " + ", ".join(OPERATOR_TABLE)
    )

    @model_validator(mode="after")
    def _one_operator(self) -> Leaf:
        given = [op for op in self.OPERATORS if getattr(self, op) is not None]
        if len(given) != 1:
            names = "、".join(op.rstrip("_") for op in self.OPERATORS)
            found = "、".join(op.rstrip("_") for op in given) or "无"
            raise ValueError(
                f"字段测试须有且只有一个运算（{names}），实有：{found} / a field test needs exactly one operator"
            )
        return self


# all / any / not over a leaf test: one generic definition for every kind of condition (a
# person's field tests here, a unit's fact tests in `policy/facts.py`). Each level is a tagged
# union, written out (not a type alias) so that readers of the models (documents/explain.py)
# see plain unions.
T = TypeVar("T", bound=BaseModel)


def _condition_kind(v: Any) -> str:
    if isinstance(v, dict):
        for k in ("all", "any", "not"):
            if k in v:
                return k
        return "leaf"
    for cls, tag in ((All, "all"), (AnyOf, "any"), (Not, "not")):
        if isinstance(v, cls):
            return tag
    return "leaf"


class All(_Model, objects.All, Generic[T]):
    all: list[Annotated[Annotated[All[T], Tag("all")] | Annotated[AnyOf[T], Tag("any")] | Annotated[Not[T], Tag("not")]
                        | Annotated[T, Tag("leaf")], Discriminator(_condition_kind)]] = Field(min_length=1)


class AnyOf(_Model, objects.AnyOf, Generic[T]):
    any: list[Annotated[Annotated[All[T], Tag("all")] | Annotated[AnyOf[T], Tag("any")] | Annotated[Not[T], Tag("not")]
                        | Annotated[T, Tag("leaf")], Discriminator(_condition_kind)]] = Field(min_length=1)


class Not(_Model, objects.Not, Generic[T]):
    not_: Annotated[Annotated[All[T], Tag("all")] | Annotated[AnyOf[T], Tag("any")] | Annotated[Not[T], Tag("not")]
                    | Annotated[T, Tag("leaf")], Discriminator(_condition_kind)] = Field(alias="not")


All.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()
Condition = Annotated[
    Annotated[All[Leaf], Tag("all")] | Annotated[AnyOf[Leaf], Tag("any")] | Annotated[Not[Leaf], Tag("not")]
    | Annotated[Leaf, Tag("leaf")],
    Discriminator(_condition_kind),
]


# ---------------------------------------------------------------------------------------------
# Group targets, cross-row checks

class Expect(_Model, objects.Expect):
    """One target for a group: a measure (exactly one) and its bounds (at least one)."""

    count: Condition | Literal["all"] | None = Field(
        default=None, description="number of distinct members meeting a condition ('all': every member)"
    )
    share: Condition | None = Field(default=None, description="fraction of members meeting a condition")
    mean: str | None = Field(default=None, description="mean of a numeric field over members")
    min: str | None = None
    max: str | None = None
    at_least: Operand | None = None
    at_most: Operand | None = None
    below: Operand | None = None
    above: Operand | None = None
    where: Condition | None = Field(
        default=None, description="only groups meeting this (tested on the group's first row)"
    )
    severity: Severity | None = Field(default=None, description="overrides the rule's severity")
    says: str | None = None
    says_en: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Expect:
        measures = [m for m in self.MEASURES if getattr(self, m) is not None]
        if len(measures) != 1:
            raise ValueError(
                f"群体目标须有且只有一个度量（{'、'.join(self.MEASURES)}） / a target needs exactly one measure"
            )
        if not any(getattr(self, b) is not None for b in self.BOUNDS):
            raise ValueError(f"群体目标须有界限（{'、'.join(self.BOUNDS)}） / a target needs a bound")
        return self


class SamePerson(_Model, objects.SamePerson):
    """The same person (by ID number) proposed in more than one group of `across`."""

    across: Level = "unit"
    says: str | None = Field(default=None, description="message of this check ({others}: the other places)")
    says_en: str | None = None


class Relatives(_Model, objects.Relatives):
    """Near relatives in one group: a member of `among` listed as a relative of (or listing)
    a member of `with_` (default: `among` itself)."""

    among: Condition
    with_: Condition | None = Field(default=None, alias="with")
    within: Level = "unit"
    says: str | None = Field(default=None, description="message of this check ({relative}: the other person)")
    says_en: str | None = None


class RuleSource(_Model, objects.RuleSource):
    ref: str | None = Field(default=None, description="id of an entry in the policy's `sources`")
    item: str | None = Field(default=None, description="article or item, e.g. 第2项, 第十三条")
    cite: str = Field(description="the citation shown with each finding, e.g. 十不能 第2项")


class Rule(_Model, objects.Rule):
    PATTERN_WORDS: ClassVar[dict[str, str]] = {
        "code": "规则代码须为 2-4 个大写字母加 2-4 位数字，如 EL001 / a rule code is 2-4 capitals and 2-4 digits, e.g. EL001",
    }

    code: str = Field(pattern=CODE_PATTERN)
    title: str
    title_en: str | None = None
    category: str
    severity: Severity
    scope: Level | Literal["person"] = "person"
    levels: list[Level] | None = Field(
        default=None, description="group rules: the levels evaluated (default: the scope)"
    )
    rationale: str
    rationale_en: str | None = None
    source: RuleSource
    locked: bool = Field(default=False, description="statutory: an extending policy cannot disable it")
    who: Condition | None = Field(default=None, description="the people it applies to")
    when: Condition | None = None
    members: Condition | None = Field(default=None, description="group rules: who counts")
    # (a list of the models where the plain class has a list of its own: lists are invariant)
    expect: Expect | list[Expect] | None = None  # type: ignore[assignment]
    same_person: SamePerson | None = None
    relatives: Relatives | None = None
    facts: Facts | None = Field(default=None, description="unit-table facts (PR rules): see vetting.policy.facts")
    message: str | None = None
    message_en: str | None = None

    @model_validator(mode="after")
    def _kinds(self) -> Rule:
        kinds = self.kinds
        if not kinds:
            raise ValueError(f"规则须有 {'、'.join(self.KINDS)} 之一 / a rule needs one of {', '.join(self.KINDS)}")
        for alone in ("expect", "facts"):
            if alone in kinds and len(kinds) > 1:
                raise ValueError(f"'{alone}' 不能与其他检查写在同一条规则里 / '{alone}' cannot be combined with other checks")
        if self.who is not None and self.when is None:
            raise ValueError(
                "'who' 只用于 when 检查的人员范围；群体目标用 members，近亲属用 among/with"
                " / 'who' selects the people of a 'when' check"
            )
        return self


class Override(_Model):
    """What an extending policy may change in an inherited rule."""

    severity: Severity | None = None
    title: str | None = None
    title_en: str | None = None
    message: str | None = None
    message_en: str | None = None
    rationale: str | None = None
    rationale_en: str | None = None
    source: RuleSource | None = None
    locked: Literal[True] | None = None


# ---------------------------------------------------------------------------------------------
# Policy files


class Param(_Model, objects.Param):
    value: int | float | str | bool | dt.date
    title: str
    title_en: str | None = None
    unit: str | None = Field(default=None, description="e.g. 岁, 年, 人, 比例")
    description: str | None = None


class SourceDoc(_Model, objects.SourceDoc):
    PATTERN_WORDS: ClassVar[dict[str, str]] = {
        "id": "来源编号只用小写字母、数字和 _ . -，如 kaifu-2021 / lower-case letters, digits, _ . - (e.g. kaifu-2021)",
    }

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    issuer: str | None = None
    date: str | dt.date | None = None
    region: str | None = None
    doc: str | None = Field(default=None, description="a digest under seeds/, e.g. seeds/kaifu-2021.yaml")
    note: str | None = None


class Standard(_Model, objects.Standard):
    name: str
    items: list[str]
    region: str | None = None
    note: str | None = None


class FieldSpec(_Model, PlainFieldSpec, frozen=True):  # type: ignore[misc]  # (mypy: BaseModel is no frozen dataclass)
    """A column a policy declares (`fields:`): `roster.columns.FieldSpec`, validated."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="canonical key used in policies")
    header: str = Field(description="canonical Chinese header")
    aliases: tuple[str, ...] = ()
    type: FieldType = "text"
    title_en: str | None = Field(default=None, description="English name, for messages in English")
    required: bool = False
    personal: bool = Field(default=False, description="personal data: masked or never printed")
    blank: Literal["none", "unknown"] = Field(
        default="none",
        description="what a blank cell means: 'none' = nothing to report (evidence), "
        "'unknown' = a rule that needs the value cannot be decided (DQ010)",
    )
    description: str | None = None


class PolicyFile(_Model):
    PATTERN_WORDS: ClassVar[dict[str, str]] = {
        "policy": "政策名称以字母、数字或汉字开头，只含字母、数字、汉字和 _ . -，如 erqi-2021 / letters, digits,"
        " Chinese, _ . - (e.g. erqi-2021)",
    }

    policy: str = Field(pattern=r"^[A-Za-z0-9\u4e00-\u9fff][\w.\-\u4e00-\u9fff]*$", description="name")
    version: str | None = None
    title: str | None = None
    title_en: str | None = None
    description: str | None = None
    synthesis: str | None = Field(
        default=None, description="set when the wording is a synthesis, not a verbatim official list"
    )
    as_of: dt.date | None = Field(default=None, description="default reference date (election date)")
    extends: str | None = Field(default=None, description="a shipped policy name or a path")
    include: list[str] = Field(default_factory=new_list, description="parts merged into this policy")
    sources: list[SourceDoc] = Field(default_factory=new_list)
    standards: list[Standard] = Field(default_factory=new_list)
    params: dict[str, Param | int | float | str | bool | dt.date] = Field(default_factory=new_dict)
    fields: list[FieldSpec] = Field(default_factory=new_list)
    rules: list[Rule] = Field(default_factory=new_list)
    overrides: dict[str, Override] = Field(default_factory=new_dict)
    disable: list[str] = Field(default_factory=new_list)
    review: ReviewSection | None = Field(
        default=None, description="the joint review (联审): departments and the columns each answers"
    )


from .facts import Facts  # noqa: E402  (the unit-table rule kind builds on the conditions above)

Rule.model_rebuild()
PolicyFile.model_rebuild()
