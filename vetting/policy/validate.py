"""Semantic checks of a composed policy: every field, parameter, level name, operator and
message placeholder a rule uses must exist and fit. A typo is an error with its position,
never a rule that silently checks nothing."""

from __future__ import annotations

import datetime as dt
import difflib
import string
from typing import TYPE_CHECKING, Any

from ..documents import Pos, number_hint
from ..errors import Problem, UserError
from ..roster.columns import FieldSpec
from ..roster.types import field_type
from .kinds import KIND_RULES
from .objects import All, AnyOf, Leaf, Not
from .operators import COMPARISONS, DATE_COMPARISONS, OPERATORS

if TYPE_CHECKING:
    from .resolve import EffectivePolicy, EffectiveRule

# Placeholders every message template may use besides field keys and parameter names.
TEMPLATE_NAMES = {
    "value", "fired", "param", "code", "title", "count", "numerator", "denominator", "share",
    "target", "missing", "group", "others", "relative", "level", "n", "measure",
}

def _at(pos: Pos, message: str, hint: str | None = None) -> Problem:
    return Problem(pos.path, pos.line, pos.col, message, hint)


def _at_param(problem: Problem, pname: str, er: EffectiveRule, policy: EffectivePolicy) -> Problem:
    """A parameter's value that does not fit a rule using it is the fault of the file that set
    it (a regional override), not of the rule: reported where the value is set."""
    param = policy.params[pname]
    if param.set_at == param.declared_at:
        return problem
    where = param.set_at
    return Problem(
        where.path, where.line, where.col,
        f"参数 '{pname}' 的值不适合规则 {er.rule.code}（{problem.where} 使用）：{problem.message}",
        problem.hint,
    )


def check_references(policy: EffectivePolicy) -> None:
    fields = policy.all_fields
    errors: list[Problem] = []
    for code, er in policy.rules.items():
        errors += _check_rule(er, fields, policy)
        _ = code
    from .texts import param_text_problems

    errors += param_text_problems(policy)
    if errors:
        raise UserError(
            f"政策有 {len(errors)} 处错误 / {len(errors)} policy error(s)",
            path=policy.chain[-1].path if policy.chain else None,
            problems=errors,
        )


def _check_rule(er: EffectiveRule, fields: dict[str, FieldSpec], policy: EffectivePolicy) -> list[Problem]:
    rule = er.rule
    check = _RuleCheck(er, fields, policy)
    for key in ("who", "when", "members"):
        if getattr(rule, key) is not None:
            check.condition(getattr(rule, key), (key,))
    for kind in KIND_RULES.values():  # each kind checks its own parameters (policy/kinds/)
        if getattr(rule, kind.key) is not None:
            kind.problems(check)
    errs = check.errs
    from .texts import text_problems

    errs.extend(text_problems(er, policy.params))
    if rule.source.ref and rule.source.ref not in policy.sources:
        errs.append(_at(er.pos('source', 'ref'), f"未知的来源 '{rule.source.ref}'（sources 中没有） / unknown source"))
    for tmpl, key in ((rule.message, "message"), (rule.message_en, "message_en")):
        errs.extend(_check_template(tmpl, (key,), er, fields, policy))
    return errs


class _RuleCheck:
    """The checks every kind shares, lent to each kind's `problems` (`policy.kinds.RuleChecker`)."""

    def __init__(self, er: EffectiveRule, fields: dict[str, FieldSpec], policy: EffectivePolicy):
        self.er, self.fields, self.policy = er, fields, policy
        self.errs: list[Problem] = []

    def problem(self, loc: tuple[Any, ...], message: str) -> None:
        self.errs.append(_at(self.er.pos(*loc), message))

    def add(self, problems: list[Problem]) -> None:
        self.errs.extend(problems)

    def template(self, template: str | None, loc: tuple[Any, ...]) -> None:
        self.errs.extend(_check_template(template, loc, self.er, self.fields, self.policy))

    def operand_problem(self, operand: Any, loc: tuple[Any, ...], message: str) -> None:
        problem = _at(self.er.pos(*loc), message, number_hint(operand))  # `95%`: how to write a share
        pname = _param_name(operand)
        self.errs.append(problem if pname is None else _at_param(problem, pname, self.er, self.policy))

    def param(self, operand: Any, loc: tuple[Any, ...]) -> tuple[bool, Any]:
        pname = _param_name(operand)
        if pname is None:
            return True, operand
        if pname not in self.policy.params:
            self.problem(loc, f"未知的参数 '${pname}' / unknown parameter")
            return False, None
        return True, self.policy.param(pname)

    def condition(self, c: Any, loc: tuple[Any, ...]) -> None:
        if isinstance(c, All):
            for i, sub in enumerate(c.all):
                self.condition(sub, (*loc, "all", i))
        elif isinstance(c, AnyOf):
            for i, sub in enumerate(c.any):
                self.condition(sub, (*loc, "any", i))
        elif isinstance(c, Not):
            self.condition(c.not_, (*loc, "not"))
        elif isinstance(c, Leaf):
            self.errs.extend(_check_leaf(c, loc, self.er, self.fields, self.policy))
            for tmpl in (c.says, c.says_en):
                self.template(tmpl, (*loc, "says"))


def _param_name(operand: Any) -> str | None:
    if isinstance(operand, str) and operand.startswith("$"):
        return operand[1:]
    return None


def _check_leaf(
    leaf: Leaf, loc: tuple[Any, ...], er: EffectiveRule, fields: dict[str, FieldSpec], policy: EffectivePolicy
) -> list[Problem]:
    errs: list[Problem] = []
    spec = fields.get(leaf.field)
    if spec is None:
        close = difflib.get_close_matches(leaf.field, list(fields), n=1)
        hint = f"（是否应为 '{close[0]}'？）" if close else ""
        return [_at(er.pos(*loc, 'field'), f"未知的列 '{leaf.field}'{hint}；规则只能读取内置列或政策 fields 中声明的列 / unknown field")]
    op = leaf.operator
    operand = leaf.operand
    pos = er.pos(*loc, op)
    typ = spec.type
    ftype = field_type(typ)
    if op == "is":
        if operand in (True, False) and ftype.kind != "flag":
            errs.append(_at(pos, f"'is: {str(operand).lower()}' 只能用于是/否列，'{leaf.field}' 是 {typ} / needs a flag field"))
    elif not OPERATORS[op].fits(ftype):
        errs.append(_at(pos, f"运算 '{op}' 不能用于 {typ} 类型的列 '{leaf.field}' / operator does not fit the field type"))
    pname = _param_name(operand)
    if pname is not None:
        if pname not in policy.params:
            close = difflib.get_close_matches(pname, list(policy.params), n=1)
            hint = f"（是否应为 '${close[0]}'？）" if close else ""
            errs.append(_at(pos, f"未知的参数 '${pname}'{hint} / unknown parameter"))
            return errs
        operand = policy.param(pname)
    checked = len(errs)  # the problems below are about the operand's value
    if ftype.ordered and op in COMPARISONS and ftype.level_of(operand) is None:
        names = "、".join(ftype.levels)
        errs.append(_at(pos, f"'{operand}' 不是{spec.header}的等级（可用：{names}） / not a level name"))
    if ftype.ordered and op in ("equals", "in", "not_in"):
        for v in operand if isinstance(operand, list) else [operand]:
            if ftype.level_of(v) is None:
                errs.append(_at(pos, f"'{v}' 不是{spec.header}的取值 / not a value of {leaf.field}"))
    if op in DATE_COMPARISONS and not (
        operand == "as_of" or isinstance(operand, dt.date)
    ):
        errs.append(_at(pos, f"日期比较的对象须为 as_of、日期或日期参数，实为 {operand!r} / needs as_of or a date"))
    if (
        op in (*COMPARISONS, "within_years")
        and not ftype.ordered
        and (not isinstance(operand, int | float) or isinstance(operand, bool))
    ):
        errs.append(_at(pos, f"'{op}' 需要数字，实为 {operand!r} / needs a number", number_hint(operand)))
    if pname is not None:
        errs[checked:] = [_at_param(p, pname, er, policy) for p in errs[checked:]]
    return errs


def _check_template(
    tmpl: str | None, loc: tuple[Any, ...], er: EffectiveRule, fields: dict[str, FieldSpec], policy: EffectivePolicy
) -> list[Problem]:
    if not tmpl:
        return []
    errs: list[Problem] = []
    try:
        parsed = list(string.Formatter().parse(tmpl))
    except ValueError as e:
        return [_at(er.pos(*loc), f"消息模板有误：{e} / bad message template")]
    for _, name, spec, conv in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conv:
            errs.append(_at(er.pos(*loc), f"消息模板只能使用 {{名称}} 形式的占位符，'{{{name}}}' 不行 / only {{name}} placeholders"))
        elif name not in fields and name not in policy.params and name not in TEMPLATE_NAMES:
            errs.append(_at(er.pos(*loc), f"消息模板中的未知占位符 '{{{name}}}' / unknown placeholder"))
    return errs
