"""The joint review's findings (RV001-RV009): their catalogue entries.

Codes are public API, like every other code: `vetting rules` lists them and `vetting explain`
explains them. The merge (`vetting.review.merge`) reports them.
"""

from __future__ import annotations

from ..dq import BuiltinRule
from ..findings import Severity

_E, _W = Severity.ERROR, Severity.WARNING
_SRC = "联审"

RV_RULES: dict[str, BuiltinRule] = {
    r.code: r
    for r in (
        BuiltinRule(
            "RV001", _E, "联审部门尚未回复", "A review department has not answered",
            "须参加联审的部门在其最新一轮中尚未对该人员给出结论（未回复或回复“待查”）；全部必须部门回复后才算审查完毕。",
            "A required department has not answered for this person in its latest round (no answer, or 待查).",
            source=_SRC, category=_SRC,
        ),
        BuiltinRule(
            "RV002", _W, "回复中的身份证号不在名单中", "A return lists an ID number not in the roster",
            "回复文件中的身份证号码在本名单（即发给该部门的核查名单）中找不到；该行不合并。可能是别的乡镇的名单、抄错的号码或已调整的人选。",
            "The return lists an ID number that is not in this roster (nor in the department's request); the row is not merged.",
            source=_SRC, category=_SRC,
        ),
        BuiltinRule(
            "RV003", _E, "同号不同名", "Same ID number, different name",
            "回复中的身份证号码与名单中的人员相同，但姓名不同：可能是号码抄错，把别人的核查结果记到了此人名下。结论仍按身份证号码合并，须人工核对。",
            "The return's row has the ID number of a roster person but another name; merged by ID number, to be checked by hand.",
            source=_SRC, category=_SRC,
        ),
        BuiltinRule(
            "RV004", _W, "部门结论不一致", "Departments disagree",
            "对同一人员的同一项，两个部门在各自最新一轮中的结论不同（一个有、一个无，或日期不同）。合并时“有”优先，须与部门核实。",
            "Two departments disagree on the same column for the same person in their latest rounds; 有 wins, check with them.",
            source=_SRC, category=_SRC,
        ),
        BuiltinRule(
            "RV005", _E, "回复内容无法识别", "An answer cannot be read",
            "回复单元格的内容不是该列应有的类型（是/否、日期、年份、等次），无法合并；该部门对此人该项视为待查。",
            "An answer cell is not a value of its column's type; it is not merged and the answer stays open.",
            source=_SRC, category=_SRC,
        ),
        BuiltinRule(
            "RV006", _E, "回复与本名单的核查请求不符", "Return does not match a request of this roster",
            "回复文件“说明”页的批次号与本名单按轮次和部门生成的核查请求都不一致：是过期的（名单已变动）或别处的文件。该文件不合并，须按当前名单重新发函。",
            "The return's batch id matches no request of this roster (stale or foreign); it is not merged.",
            source=_SRC, category=_SRC,
        ),
        BuiltinRule(
            "RV007", _W, "核查结论为“有”但未说明", "核查结论 says 有 without saying what",
            "回复行的核查结论为“有”，但该部门负责的各列都没有写明是什么问题，无法确定适用哪条规则，须请部门补充。",
            "The row's 核查结论 is 有 but no answer column says what; ask the department.",
            source=_SRC, category=_SRC,
        ),
        BuiltinRule(
            "RV008", _E, "同一回复中同一人结论不一致", "The same person answered twice, differently",
            "同一部门同一轮的回复中同一人出现两次且内容不同；合并时取“有”的一行，须与部门核实。",
            "The same person is answered twice in one return (or one round of a department), differently; the 有 answer is merged.",
            source=_SRC, category=_SRC,
        ),
        BuiltinRule(
            "RV009", _E, "回复中的身份证号无效", "Invalid ID number in a return",
            "回复行的身份证号码缺失、格式错误或已被 Excel 存成数字（末几位已丢失）：该行不合并，也不按姓名猜测匹配，须请部门按文本格式重填号码。",
            "The row's ID number is missing, malformed or damaged by Excel; not merged and never matched by name.",
            source=_SRC, category=_SRC,
        ),
    )
}
