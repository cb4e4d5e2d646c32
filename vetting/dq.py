"""The built-in codes: every code a run can report that is not a policy rule.

The checks themselves run where the data is: DQ001-DQ008 while a roster is loaded
(`vetting.roster.load`), DQ010 in the engine when a rule cannot be decided, WV001-WV003 when
waivers are applied (`vetting.waivers`). This table is the one place that names them.
DQ009 is not here: it is a policy rule written in the policy language
(policies/national/data-quality.yaml), defined there only.
"""

from __future__ import annotations

from dataclasses import dataclass

from .findings import Severity


@dataclass(frozen=True)
class BuiltinRule:
    code: str
    severity: Severity
    title_zh: str
    title_en: str
    rationale_zh: str
    rationale_en: str
    source: str = "数据质量"
    category: str = "数据质量"
    scope: str = "person"

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

DQ_RULES: dict[str, BuiltinRule] = {
    r.code: r
    for r in (
        BuiltinRule(
            "DQ001", _E, "身份证号码格式错误", "Malformed ID number",
            "身份证号码是识别人员、核对年龄性别和亲属关系的依据，须符合 GB 11643-1999（长度、字符、出生日期、校验位）。",
            "The ID number identifies the person and gives age, gender and kinship; it must follow GB 11643-1999.",
            source="GB 11643-1999",
        ),
        BuiltinRule(
            "DQ002", _E, "性别或出生日期与身份证号码不一致", "Gender or birth date disagrees with the ID number",
            "填报的性别、出生日期应与身份证号码一致，否则年龄、女性比例等审查结论不可靠。",
            "Declared gender and birth date must agree with the ID number, or age and gender checks are unreliable.",
            source="GB 11643-1999",
        ),
        BuiltinRule(
            "DQ003", _E, "数据无法识别", "Value cannot be read",
            "该列的值无法按其类型（日期、是否、学历、比例、职务等）识别，依赖它的规则无法判断。",
            "The value cannot be read as its column's type; rules that need it cannot decide.",
        ),
        BuiltinRule(
            "DQ004", _E, "必填项缺失", "Required value missing",
            "每名人选须有身份证号码、姓名、所在村（社区）和至少一个拟任职务。",
            "Every candidate needs an ID number, a name, a unit and at least one proposed post.",
        ),
        BuiltinRule(
            "DQ005", _E, "同一人在同一村（社区）重复填报", "Same person listed twice in the same unit",
            "同一人在同一村（社区）只应占一行，兼任的职务填在同一行的各职务列中。",
            "A person has one row per unit; posts held together go in that row's post columns.",
        ),
        BuiltinRule(
            "DQ006", _E, "身份证号码被 Excel 存为数字", "ID number stored as a number by Excel",
            "Excel 只保留 15 位有效数字，18 位身份证号码存成数字后末尾几位已经丢失，无法推断，须按文本重新录入。",
            "Excel keeps 15 significant digits; an 18-digit ID stored as a number has lost its last digits.",
            source="GB 11643-1999",
        ),
        BuiltinRule(
            "DQ007", _I, "15位旧身份证号码已转换", "Legacy 15-digit ID number converted",
            "15 位旧号码已按 GB 11643-1999 升为 18 位后参与审查，建议在台账中更新。",
            "The 15-digit number was converted to 18 digits; update the roster.",
            source="GB 11643-1999",
        ),
        BuiltinRule(
            "DQ008", _I, "未使用的列", "Column not used",
            "该列不是已知列，也没有规则读取它；数据保留，但不参与审查。若是证据列，请检查列名或在政策中声明。",
            "The column is not known and no rule reads it; it is kept but not checked.",
            scope="column",
        ),
        BuiltinRule(
            "DQ010", _I, "规则无法判定", "Rule could not be decided",
            "规则所需的值缺失或精度不足（如只有出生年月、性别空白），结论无法确定，需人工核实。",
            "A value the rule needs is missing or too coarse; check by hand.",
        ),
    )
}

WV_RULES: dict[str, BuiltinRule] = {
    r.code: r
    for r in (
        BuiltinRule(
            "WV001", _I, "豁免未匹配任何问题", "Waiver matches nothing",
            "豁免清单中的这一条没有匹配到任何问题：代码、身份证号码或村(社区)可能写错，或问题已经不存在，请核对后删除。",
            "This waiver matches no finding: its codes, ID number or unit may be wrong, or the finding is gone.",
            source="豁免清单", category="豁免", scope="file",
        ),
        BuiltinRule(
            "WV002", _I, "豁免即将到期", "Waiver expires soon",
            "豁免将在 30 天内到期，到期后问题重新计入结果，请及时续批或整改。",
            "The waiver expires within 30 days; afterwards the finding counts again.",
            source="豁免清单", category="豁免", scope="file",
        ),
        BuiltinRule(
            "WV003", _E, "硬性条件不能豁免", "A hard bar cannot be waived",
            "“十不能”和法定资格（锁定的规则）是硬性条件，不是可以批准的例外：豁免清单中对它们的豁免无效，问题照常报告。",
            "The 十不能 and the statutory (locked) rules are bars, not exceptions: a waiver for one has no"
            " effect and the finding stays.",
            source="豁免清单", category="豁免", scope="file",
        ),
    )
}

BUILTIN_RULES: dict[str, BuiltinRule] = {**DQ_RULES, **WV_RULES}
