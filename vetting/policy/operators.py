"""The operators of a field test (`{field: age, below: 18}`): one object each, in one table.

An operator knows its name, the `Leaf` attribute that holds its operand, the kinds of column it
fits (`roster.types`), and how it reads in Chinese and English. How it compiles to a polars
expression is registered under the same name in `checks/condition.py` (the checks layer owns
polars); `tests/test_operators.py` fails unless the model, this table and the compilers agree.

To add an operator: a field on `policy.model.Leaf`, an entry here, a compiler in
`checks/condition.py` (`@operator("name")`), and a policy test case using it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..roster.types import FIELD_TYPES, FieldType, Kind

ANY_KIND: frozenset[Kind] = frozenset({"string", "number", "date", "flag", "ordered", "list"})


@dataclass(frozen=True)
class Operator:
    name: str
    kinds: frozenset[Kind]  # the kinds of column it fits
    zh: str  # the word between field and operand: 低于
    en: str  # <
    description: str
    extra_types: frozenset[str] = frozenset()  # single types it fits beyond its kinds
    # "{name} {word} {operand}" unless the operator reads otherwise
    template_zh: str = "{name} {word} {operand}"
    template_en: str = "{name} {word} {operand}"
    # operators whose reading depends on the operand (is: true / unknown…): operand -> (zh, en)
    by_operand: Mapping[Any, tuple[str, str]] = field(default_factory=dict)
    # what authors write instead of its name (`greater_than`, `>`, `超过`): an unknown key
    # that is one of these is answered "did you mean '<name>'?"
    synonyms: tuple[str, ...] = ()

    @property
    def attr(self) -> str:
        """The `Leaf` attribute holding the operand (`is` and `in` are Python keywords)."""
        return self.name + "_" if self.name in ("is", "in") else self.name

    def fits(self, ftype: FieldType) -> bool:
        return ftype.kind in self.kinds or ftype.name in self.extra_types

    def describe(self, name: str, operand: Any, operand_text: str, en: bool) -> str:
        """`学历 低于 高中`, `age < 18`: the test in words, with the operand already shown."""
        if self.by_operand:
            words = self.by_operand[operand]
            return f"{name} {words[1] if en else words[0]}"
        template = self.template_en if en else self.template_zh
        return template.format(name=name, word=self.en if en else self.zh, operand=operand_text)


_VALUES: frozenset[Kind] = frozenset({"string", "number", "ordered"})
_COMPARABLE: frozenset[Kind] = frozenset({"number", "ordered"})
_DATES: frozenset[Kind] = frozenset({"date"})

OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator("is", ANY_KIND, "", "", "flags: true, false (explicitly); any column: unknown (blank), known",
                 by_operand={True: ("为 是", "is yes"), False: ("明确为 否", "is explicitly no"),
                             "unknown": ("空白或无法识别", "is blank"), "known": ("已填写", "is given")},
                 synonyms=("is_true", "flag", "是否")),
        Operator("equals", _VALUES | {"flag"}, "为", "is", "the value is this one",
                 synonyms=("equal", "eq", "==", "=", "is_equal", "equal_to", "value", "等于")),
        Operator("in", _VALUES, "为", "is", "the value is one of these",
                 synonyms=("one_of", "any_of", "among", "in_list", "属于")),
        Operator("not_in", _VALUES, "不是", "is not", "the value is none of these",
                 synonyms=("not_one_of", "none_of", "exclude", "excludes", "不属于")),
        Operator("present", ANY_KIND, "", "", "text written (other than 无/没有/否)",
                 by_operand={True: ("填有内容", "has text"), False: ("未填", "is empty")},
                 synonyms=("filled", "not_empty", "non_empty", "exists", "given", "填写")),
        Operator("below", _COMPARABLE, "低于", "<", "< (未满, 低于)",
                 synonyms=("less_than", "lt", "<", "lower_than", "under", "smaller_than", "低于", "未满", "小于")),
        Operator("at_most", _COMPARABLE, "不超过", "<=", "<= (以下, 不超过)",
                 synonyms=("less_than_or_equal", "less_or_equal", "lte", "le", "<=", "max", "maximum", "up_to",
                           "不超过", "以下", "不高于", "不大于")),
        Operator("above", _COMPARABLE, "超过", ">", "> (超过, 高于)",
                 synonyms=("greater_than", "gt", ">", "more_than", "over", "higher_than", "larger_than", "超过",
                           "高于", "大于")),
        Operator("at_least", _COMPARABLE, "不低于", ">=", ">= (以上, 不低于)",
                 synonyms=("greater_than_or_equal", "greater_or_equal", "gte", "ge", ">=", "min", "minimum",
                           "不低于", "以上", "不少于", "不小于")),
        Operator("before", _DATES, "早于", "before", "date < (as_of, a date or $param)",
                 synonyms=("earlier_than", "早于")),
        Operator("after", _DATES, "晚于", "after", "date > (as_of, a date or $param)",
                 synonyms=("later_than", "since", "晚于")),
        Operator("on_or_before", _DATES, "不晚于", "on or before", "date <= (as_of, a date or $param)",
                 synonyms=("until", "by", "not_after", "不晚于")),
        Operator("on_or_after", _DATES, "不早于", "on or after", "date >= (as_of, a date or $param)",
                 synonyms=("from", "not_before", "不早于")),
        Operator("within_years", _DATES, "", "", "date > as_of - N years; a year Y >= year(as_of) - N",
                 extra_types=frozenset({"year"}),
                 template_zh="{name} 在近 {operand} 年内", template_en="{name} within the last {operand} years",
                 synonyms=("within", "in_last_years", "last_years", "近几年")),
    )
}

# Operators that compare a value with a number or a level (ordered columns use their ranks).
COMPARISONS: tuple[str, ...] = ("below", "at_most", "above", "at_least")
DATE_COMPARISONS: tuple[str, ...] = ("before", "after", "on_or_before", "on_or_after")


# An unknown key in a field test is most likely a misnamed operator: synonym -> operator name.
OPERATOR_SYNONYMS: dict[str, str] = {syn: op.name for op in OPERATORS.values() for syn in op.synonyms}


def types_fitting(operator: str) -> set[str]:
    """The column types an operator may be used on."""
    op = OPERATORS[operator]
    return {name for name, t in FIELD_TYPES.items() if op.fits(t)}
