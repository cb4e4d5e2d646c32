"""Write the example roster of 二七区: a workbook as a 组织部 keeps it, and the GBK CSV that
Excel on Chinese Windows exports from it ("CSV (逗号分隔)").

    python examples/make_example.py                  # write both files, print the problem table
    python examples/make_example.py --update-readme  # also refresh the table in README.md

Everything is synthetic and deterministic (seeded random, no network): names are drawn from
common surnames and given names, ID numbers are made up but valid under GB 11643-1999 for the
region code of 郑州市二七区 (410103), phone numbers are random.

Structure:
- `UNITS` lists the townships and villages/communities with the slate shape of each;
- `generate()` turns them into `Person` records (one per row, in file order);
- `plant_problems()` damages a few records the way users really do (DQ001-DQ008) and returns
  the list of `Planted` problems with the expected finding code;
- `plant_cases()` writes the joint review's evidence and changes a few slates so that every rule
  of the national policy fires at least once, adds the people it needs, and returns every
  further finding the roster gives, on a row or for a unit, township or the district (a group
  rule can fire because of a change made for another rule: those findings are listed too);
- `EXTRA_PEOPLE` holds hand-written `Person` records, inserted into their unit's block;
- rows are computed from the final order, so the printed table is always exact, and
  tests/test_example.py checks that `vetting lint` gives exactly these findings.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
XLSX = HERE / "二七区两委换届拟任人选.xlsx"
CSV = HERE / "二七区两委换届拟任人选.csv"
README = HERE / "README.md"

SEED = 20201228
AS_OF = date(2021, 1, 10)  # the election date the ages are planned against
DISTRICT = "二七区"
REGION = "410103"  # 郑州市二七区
SHEET = "拟任人选"
TITLE = '二七区村(社区)"两委"换届拟任人选资格审查表'
SUBTITLE = "填报单位：二七区委组织部      填报日期：2020年12月"
SIGNATURE = "填表人：王某某    审核人：李某某"
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1
# Fixed timestamp for the files inside the xlsx, so that a re-run gives identical bytes.
ZIP_TIME = (2020, 12, 28, 9, 0, 0)

Cell = str | int | float | date | None

# --------------------------------------------------------------------------------------------
# Organisation: townships, units and the shape of each unit's slate

# A slate: one (party post, committee post, supervisory post) triple per person.
Post = tuple[str | None, str | None, str | None]
SLATES: dict[str, tuple[Post, ...]] = {
    # 社区: 居委会 of 5-9 members, most cross-appointed.
    "社区": (
        ("书记", "主任", None),
        ("副书记", "副主任", None),
        ("委员", "委员", None),
        ("纪检委员", "委员", None),
        (None, "委员", None),
        ("委员", None, None),
        (None, None, "主任"),
        (None, None, "委员"),
    ),
    "社区-小": (
        ("书记", "主任", None),
        ("副书记", "委员", None),
        ("委员", "副主任", None),
        ("纪检委员", "委员", None),
        (None, "委员", None),
        (None, None, "主任"),
        (None, None, "委员"),
    ),
    # 村: 村委会 of 3-7 members.
    "村": (
        ("书记", "主任", None),
        ("副书记", None, None),
        ("委员", "委员", None),
        ("纪检委员", None, None),
        (None, "委员", None),
        (None, None, "主任"),
        (None, None, "委员"),
    ),
    "村-小": (
        ("书记", "主任", None),
        ("委员", "副主任", None),
        ("委员", None, None),
        (None, "委员", None),
        (None, None, "主任"),
        (None, None, "委员"),
    ),
    "村-大": (
        ("书记", "主任", None),
        ("副书记", "副主任", None),
        ("委员", "委员", None),
        ("纪检委员", None, None),
        ("委员", "委员", None),
        (None, "委员", None),
        (None, None, "主任"),
        (None, None, "委员"),
        (None, None, "委员"),
    ),
    # 书记 and 主任 are different people (not 一肩挑).
    "村-分设": (
        ("书记", None, None),
        ("委员", "主任", None),
        ("委员", "委员", None),
        ("纪检委员", None, None),
        (None, "委员", None),
        (None, None, "主任"),
        (None, None, "委员"),
    ),
}


@dataclass(frozen=True)
class Unit:
    township: str
    name: str
    type: str  # 村 | 社区
    slate: str  # key of SLATES


UNITS: tuple[Unit, ...] = (
    Unit("建中街街道", "小李庄社区", "社区", "社区"),
    Unit("建中街街道", "齐礼阎社区", "社区", "社区"),
    Unit("建中街街道", "兴华北街社区", "社区", "社区-小"),
    Unit("建中街街道", "长江东路社区", "社区", "社区"),
    Unit("建中街街道", "保全街社区", "社区", "社区-小"),
    Unit("建中街街道", "建中街社区", "社区", "社区"),
    Unit("建中街街道", "苗圃社区", "社区", "社区-小"),
    Unit("侯寨乡", "樱桃沟村", "村", "村"),
    Unit("侯寨乡", "南岗刘村", "村", "村"),
    Unit("侯寨乡", "杏树湾村", "村", "村-小"),
    Unit("侯寨乡", "沟赵村", "村", "村-大"),
    Unit("侯寨乡", "罗庄村", "村", "村"),
    Unit("侯寨乡", "三李村", "村", "村-小"),
    Unit("侯寨乡", "尖岗村", "村", "村-分设"),
    Unit("马寨镇", "马寨村", "村", "村"),
    Unit("马寨镇", "张河村", "村", "村-大"),
    Unit("马寨镇", "王庄村", "村", "村"),
    Unit("马寨镇", "钱庄村", "村", "村-小"),
    Unit("马寨镇", "申河社区", "社区", "社区"),
    Unit("马寨镇", "海为社区", "社区", "社区-小"),
)

# --------------------------------------------------------------------------------------------
# People


@dataclass
class Person:
    """One row of the roster, as the cells are written (`None` = empty cell)."""

    township: str
    unit: str
    unit_type: str
    name: str | None
    gender: str | None  # as written; may disagree with the ID number
    id_number: str | float | None  # text as typed; a float is what Excel made of a number
    birth: date | str | None  # 出生年月: a real Excel date, or text such as 1985.03
    ethnicity: str = "汉族"
    education: str | None = None
    political: str | None = "群众"
    party_join: str | None = None  # 入党时间, text such as 2005.07
    party_post: str | None = None
    committee_post: str | None = None
    supervisory_post: str | None = None
    incumbent: str | None = "否"  # 是否现任
    source: str | None = None  # 人员来源
    phone: int | None = None
    relatives: str | None = None  # 近亲属身份证号
    native_place: str | None = None  # 籍贯 (a column the tool does not know)
    evidence: dict[str, Cell] = field(default_factory=dict)  # evidence key -> cell
    remark: str | None = None  # 备注


# Hand-written people, inserted at the end of their unit's block (before its 监委会 members
# when they hold a 两委 post) after the problems are planted, like the people `plant_cases` adds.
EXTRA_PEOPLE: list[Person] = []

# --------------------------------------------------------------------------------------------
# Columns of the workbook: header as written -> cell of a person. Some headers are aliases or
# use full-width brackets, as real 台账 do; 籍贯 is a column the tool does not know.

# Evidence columns from the joint review (联审): (header as written, canonical key).
EVIDENCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("政治表现问题", "political_issue"),
    ("受过刑事处罚", "criminal_record"),
    ("涉黑涉恶", "gang_involvement"),
    ("党纪政务处分", "sanction"),
    ("处分影响期截止", "sanction_end"),
    ("正在接受审查调查", "under_investigation"),
    ("非法宗教邪教黄赌毒", "religion_cult_vice"),
    ("宗族宗派干扰", "clan_interference"),
    ("拉票贿选", "election_fraud"),
    ("聚众闹事违法信访", "disturbance"),
    ("应急处置失职", "duty_failure"),
    ("任期考核", "term_rating"),
    ("被依法罢免", "recalled"),
    ("不合格党员年度", "unqualified_member_year"),
    ("长期外出", "long_absence"),
    ("侵占集体资产未整改", "collective_asset"),
    ("违法用地建房未整改", "illegal_building"),
    ("破坏生态环境时间", "eco_damage_date"),
    ("失信被执行人", "dishonest_debtor"),
    ("其他不宜情形", "other_bar"),
    ("被剥夺政治权利", "rights_deprived"),
    ("丧失行为能力", "incapacity"),
    ("留党察看期内", "party_probation"),
    ("道德品行问题", "poor_conduct"),
    ("拖欠集体款项", "collective_debt"),
    ("行政拘留时间", "detention_date"),
    ("签订承诺书", "pledge_signed"),
    ("身体不能正常履职", "health_unfit"),
    ("责令辞职时间", "resign_order_date"),
    ("民主推荐得票率", "recommendation_rate"),
    ("考察意见", "assessment"),
)

PERSON_COLUMNS: tuple[tuple[str, Callable[[Person], Cell]], ...] = (
    ("县（市、区）", lambda p: DISTRICT),
    ("乡镇(街道)", lambda p: p.township),
    ("村(社区)", lambda p: p.unit),
    ("类型", lambda p: p.unit_type),
    ("姓名", lambda p: p.name),
    ("性别", lambda p: p.gender),
    ("民族", lambda p: p.ethnicity),
    ("出生年月", lambda p: p.birth),
    ("公民身份号码", lambda p: p.id_number),
    ("籍贯", lambda p: p.native_place),
    ("文化程度", lambda p: p.education),
    ("政治面貌", lambda p: p.political),
    ("入党时间", lambda p: p.party_join),
    ("拟任党组织职务", lambda p: p.party_post),
    ("拟任村（居）委会职务", lambda p: p.committee_post),
    ("拟任村(居)务监督委员会职务", lambda p: p.supervisory_post),
    ("是否现任", lambda p: p.incumbent),
    ("人员来源", lambda p: p.source),
    ("联系电话", lambda p: p.phone),
    ("近亲属身份证号", lambda p: p.relatives),
)
HEADERS: tuple[str, ...] = (
    "序号",
    *(h for h, _ in PERSON_COLUMNS),
    *(h for h, _ in EVIDENCE_COLUMNS),
    "备注",
)
COLUMN_WIDTHS: dict[str, float] = {
    "序号": 5,
    "县（市、区）": 8,
    "乡镇(街道)": 11,
    "村(社区)": 13,
    "类型": 5,
    "姓名": 8,
    "性别": 5,
    "民族": 6,
    "出生年月": 11,
    "公民身份号码": 21,
    "籍贯": 9,
    "联系电话": 13,
    "近亲属身份证号": 21,
}

# --------------------------------------------------------------------------------------------
# Name and number generators

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛闫段雷侯史陶贺顾毛郝龚邵"
)
# Henan's most common surnames, drawn more often.
COMMON_SURNAMES = "王李张刘陈杨赵郭"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE_GIVEN = _words(
    "建国 建军 国强 志强 伟 军 磊 勇 涛 鹏 浩 海涛 红伟 振华 卫东 新民 立新 永刚 晓东 俊杰 宏伟 "
    "亚伟 国庆 保国 书军 占营 春雷 明 晓峰 建伟 卫华 长青 永强 少峰 文博 宇航 子豪 天宇 向阳 "
    "自强 广辉 新华 红军 二强 松涛 亚东 国栋 华杰 俊峰"
)
FEMALE_GIVEN = _words(
    "秀英 桂兰 丽 静 敏 艳 娟 霞 红霞 晓燕 丽娜 玉梅 春燕 雪梅 慧敏 婷婷 晶晶 彩霞 素珍 凤琴 亚楠 "
    "梦瑶 佳 颖 丹丹 冬梅 秀兰 海燕 晓丽 金凤 淑珍 玉兰 利娟 雅琴 文静 思雨 欣怡 亚丽 瑞芳 明霞 "
    "艳芳 巧玲 俊红 爱华 小娟"
)
NATIVE_PLACES = (
    ("河南郑州", 60),
    ("河南新郑", 8),
    ("河南荥阳", 8),
    ("河南登封", 5),
    ("河南中牟", 5),
    ("河南巩义", 4),
    ("河南开封", 4),
    ("河南周口", 3),
    ("河南信阳", 3),
)
COMMUNITY_SOURCES = (
    ("社区工作者", 40),
    ("大学生社工", 15),
    ("退役军人", 10),
    ("楼道支部党员", 10),
    ("辖区单位人员", 10),
    ("物业企业负责人", 5),
    ("社区民警", 5),
)
VILLAGE_SOURCES = (
    (None, 60),
    ("致富带头人", 12),
    ("退役军人", 8),
    ("外出务工经商返乡人员", 8),
    ("本乡本土大学毕业生", 7),
    ("农民合作社负责人", 5),
)
EDUCATION = {
    "社区": (
        ("本科", 33),
        ("大专", 42),
        ("大学本科", 4),
        ("高中", 8),
        ("中专", 8),
        ("硕士研究生", 2),
    ),
    "村": (
        ("初中", 12),
        ("高中", 33),
        ("中专", 8),
        ("职高", 2),
        ("大专", 30),
        ("大学专科", 3),
        ("本科", 10),
    ),
}
_LOW_EDUCATION = {"初中", "小学"}

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_char(body17: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=True)) % 11]


class Generator:
    """Seeded random people; keeps names, IDs and phone numbers unique."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.names: set[str] = set()
        self.ids: set[str] = set()
        self.phones: set[int] = set()

    def weighted(self, pairs: tuple[tuple[str | None, int], ...]) -> str | None:
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def name(self, gender: str) -> str:
        while True:
            if self.rng.random() < 0.45:
                surname = self.rng.choice(COMMON_SURNAMES)
            else:
                surname = self.rng.choice(SURNAMES)
            given = self.rng.choice(MALE_GIVEN if gender == "男" else FEMALE_GIVEN)
            if surname + given not in self.names:
                self.names.add(surname + given)
                return surname + given

    def birth_date(self, age: int) -> date:
        """A birth date giving exactly `age` full years at AS_OF."""
        latest = date(AS_OF.year - age, AS_OF.month, AS_OF.day)  # birthday on AS_OF
        earliest = date(AS_OF.year - age - 1, AS_OF.month, AS_OF.day) + timedelta(days=1)
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def id_number(self, birth: date, gender: str) -> str:
        while True:
            seq = self.rng.randrange(1, 500) * 2 + (1 if gender == "男" else 0)
            if seq > 999:
                continue
            body = f"{REGION}{birth:%Y%m%d}{seq:03d}"
            number = body + check_char(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> int:
        while True:
            prefix = self.rng.choice(("13", "15", "18"))
            number = int(prefix + str(self.rng.randrange(10**9)).zfill(9))
            if number not in self.phones:
                self.phones.add(number)
                return number


def _role_age(gen: Generator, post: Post) -> int:
    party, committee, supervisory = post
    if party == "书记" or committee == "主任":
        return gen.rng.randint(38, 54)
    if party == "副书记" or committee == "副主任":
        return gen.rng.randint(32, 50)
    if supervisory:
        return gen.rng.randint(36, 54)
    return gen.rng.randint(28, 50)


def _make_person(gen: Generator, unit: Unit, post: Post, gender: str, age: int) -> Person:
    rng = gen.rng
    party, committee, supervisory = post
    birth = gen.birth_date(age)
    id_number = gen.id_number(birth, gender)
    leader = party == "书记" or committee == "主任"

    # 出生年月: mostly a real Excel date; some typed as text.
    roll = rng.random()
    birth_cell: date | str
    if roll < 0.14:
        birth_cell = f"{birth.year}.{birth.month:02d}"
    elif roll < 0.22:
        birth_cell = f"{birth.year}年{birth.month}月"
    else:
        birth_cell = birth

    education = gen.weighted(EDUCATION[unit.type])
    while leader and education in _LOW_EDUCATION:
        education = gen.weighted(EDUCATION[unit.type])

    if party:
        political = "中共党员"
    else:
        roll = rng.random()
        if roll < 0.55:
            political = "中共党员"
        elif roll < 0.58:
            political = "中共预备党员"
        elif age <= 28 and roll < 0.75:
            political = "共青团员"
        else:
            political = "群众"
    party_join = None
    if political == "中共党员":
        year = min(birth.year + rng.randint(20, 32), 2019)
        party_join = f"{year}.{rng.randint(1, 12):02d}"
    elif political == "中共预备党员":
        party_join = f"2020.{rng.randint(1, 7):02d}"

    # Incumbents: most leaders; a new entrant is 45 or younger.
    incumbent = rng.random() < (0.85 if leader else 0.55)
    if age > 45:
        incumbent = True
    if age <= 30 and not leader:
        incumbent = rng.random() < 0.2

    if unit.type == "社区":
        source = "社区工作者" if leader else gen.weighted(COMMUNITY_SOURCES)
    else:
        source = gen.weighted(VILLAGE_SOURCES)

    evidence: dict[str, Cell] = {"pledge_signed": "是"}
    if incumbent:
        evidence["term_rating"] = "优秀" if rng.random() < 0.3 else "称职"
    rate = round(rng.uniform(72.0, 98.5), 1)
    # 建中街 and 侯寨 keep the vote share as an Excel percentage, 马寨 types it as text.
    evidence["recommendation_rate"] = f"{rate}%" if unit.township == "马寨镇" else rate / 100
    if leader:
        evidence["assessment"] = "优秀" if rng.random() < 0.3 else "合格"
    if unit.township == "马寨镇":  # this township writes 无 where the joint review found nothing
        evidence["criminal_record"] = "无"
        evidence["gang_involvement"] = "无"

    return Person(
        township=unit.township,
        unit=unit.name,
        unit_type=unit.type,
        name=gen.name(gender),
        gender=gender,
        id_number=id_number,
        birth=birth_cell,
        ethnicity="回族" if rng.random() < 0.04 else "汉族",
        education=education,
        political=political,
        party_join=party_join,
        party_post=party,
        committee_post=committee,
        supervisory_post=supervisory,
        incumbent="是" if incumbent else "否",
        source=source,
        phone=gen.phone(),
        native_place=gen.weighted(NATIVE_PLACES),
        evidence=evidence,
        remark="一肩挑" if party == "书记" and committee == "主任" else None,
    )


def _relative_id(gen: Generator, person: Person, gender: str, age_shift: int) -> str:
    """A made-up near relative who is not on the roster."""
    assert isinstance(person.id_number, str)
    birth = date.fromisoformat(
        f"{person.id_number[6:10]}-{person.id_number[10:12]}-{person.id_number[12:14]}"
    )
    return gen.id_number(gen.birth_date(AS_OF.year - birth.year + age_shift), gender)


def generate(gen: Generator) -> list[Person]:
    """Everyone on the roster, in file order (township, unit, posts)."""
    rng = gen.rng
    people: list[Person] = []
    for unit in UNITS:
        slate = SLATES[unit.slate]
        p_woman = 0.54 if unit.type == "社区" else 0.3
        genders = ["女" if rng.random() < p_woman else "男" for _ in slate]
        # A 村(居)委会 has at least one woman.
        committee_idx = [i for i, post in enumerate(slate) if post[1]]
        if not any(genders[i] == "女" for i in committee_idx):
            genders[committee_idx[-1]] = "女"
        ages = [_role_age(gen, post) for post in slate]
        # At least one 两委 member aged 35 or under.
        members = [i for i, post in enumerate(slate) if post[0] or post[1]]
        if not any(ages[i] <= 35 for i in members):
            ages[members[-1]] = rng.randint(28, 35)
        unit_people = [
            _make_person(gen, unit, post, g, a)
            for post, g, a in zip(slate, genders, ages, strict=True)
        ]
        people.extend(unit_people)

    # Near relatives: mostly blank; a few spouses (not on the roster), some 无.
    for person in rng.sample(people, 9):
        spouse = "女" if person.gender == "男" else "男"
        person.relatives = _relative_id(gen, person, spouse, rng.randint(-3, 3))
    for person in rng.sample(people, 6):
        if person.relatives is None:
            person.relatives = "无"
    return people


def add_extra_people(people: list[Person], extras: list[Person]) -> None:
    """Insert hand-written people at the end of their unit's block (a 两委 member before the
    unit's 监委会 members)."""
    for extra in extras:
        block = [i for i, p in enumerate(people) if p.unit == extra.unit]
        if not block:
            raise ValueError(f"EXTRA_PEOPLE: unknown unit {extra.unit}")
        if people[block[0]].township != extra.township:
            raise ValueError(f"EXTRA_PEOPLE: {extra.unit} is in {people[block[0]].township}")
        at = block[-1] + 1
        if extra.party_post or extra.committee_post:
            at = next((i for i in block if people[i].supervisory_post), at)
        people.insert(at, extra)


# --------------------------------------------------------------------------------------------
# Planted data-quality problems


DQ_SEVERITY = {
    "DQ001": "error", "DQ002": "error", "DQ003": "error", "DQ004": "error", "DQ005": "error",
    "DQ006": "error", "DQ007": "info", "DQ008": "info", "DQ009": "warning", "DQ010": "info",
}  # fmt: skip


@dataclass
class Planted:
    """One finding the example is expected to give: on a person's row (`person`), on the
    header row (DQ008), or for a group (`level` with `township`/`unit`)."""

    person: Person | None
    column: str | None  # header as written in the workbook, when the finding names a cell
    problem: str  # why, for the README
    code: str
    other: Person | None = None  # the earlier row of a duplicate
    severity: str = ""  # error | warning | info; DQ codes default to their fixed severity
    level: str | None = None  # group findings: unit | township | district
    township: str | None = None
    unit: str | None = None
    rule: str | None = None  # DQ010: the rule that could not be decided
    measure: tuple[int, int | None] | None = None  # group findings: count, or share n/d
    policy: str | None = None  # fires only with this policy file (relative to examples/)
    row: int = 0  # Excel row, set once the order is final (0 for group findings)
    line: int = 0  # CSV physical line

    def __post_init__(self) -> None:
        if not self.severity:
            self.severity = DQ_SEVERITY[self.code]


def _find(people: list[Person], unit: str, index: int) -> Person:
    block = [p for p in people if p.unit == unit]
    return block[index]


def _cn_digits(n: int, *, two: bool = False) -> str:
    digits = "〇一二三四五六七八九"
    if two:
        return digits[n // 10] + digits[n % 10]
    return "十" * (n >= 10) + (digits[n % 10] if n % 10 or n < 10 else "")


def plant_problems(gen: Generator, people: list[Person]) -> list[Planted]:
    """Damage a few records as users really do. Each returns the finding it should give."""
    planted: list[Planted] = []

    # The multi-line cell: two relatives typed with Alt+Enter. Not a problem, but in the CSV
    # the record spans two lines, so later CSV line numbers are one more than the Excel row.
    p = _find(people, "樱桃沟村", 0)
    spouse = "女" if p.gender == "男" else "男"
    p.relatives = _relative_id(gen, p, spouse, 2) + "\n" + _relative_id(gen, p, "男", -26)

    # DQ001: a typo in the check character.
    p = _find(people, "齐礼阎社区", 2)
    assert isinstance(p.id_number, str)
    wrong = "0" if p.id_number[-1] != "0" else "1"
    p.id_number = p.id_number[:-1] + wrong
    planted.append(
        Planted(
            p,
            "公民身份号码",
            f"校验位错误（末位应为 {check_char(p.id_number[:17])}，填为 {wrong}）",
            "DQ001",
        )
    )

    # DQ002: 性别 disagrees with the ID number.
    p = _find(people, "长江东路社区", 4)
    written = "女" if p.gender == "男" else "男"
    planted.append(
        Planted(
            p,
            "性别",
            f"性别填为“{written}”，身份证号顺序码为{'奇数（男）' if p.gender == '男' else '偶数（女）'}",
            "DQ002",
        )
    )
    p.gender = written

    # DQ003: a birth date nobody can read (Chinese numerals).
    p = _find(people, "南岗刘村", 3)
    assert isinstance(p.id_number, str)
    year, month = int(p.id_number[8:10]), int(p.id_number[10:12])
    p.birth = f"{_cn_digits(year, two=True)}年{_cn_digits(month)}月"
    planted.append(Planted(p, "出生年月", f"日期“{p.birth}”无法识别", "DQ003"))

    # DQ004: the name is missing.
    p = _find(people, "杏树湾村", 3)
    planted.append(Planted(p, "姓名", f"姓名空白（原为{p.name}）", "DQ004"))
    p.name = None

    # DQ005: a cross-appointed 副书记/副主任 entered twice, once per post.
    unit = "沟赵村"
    first = _find(people, unit, 1)
    assert first.party_post == "副书记" and first.committee_post == "副主任"
    second = replace(first, party_post=None, evidence=dict(first.evidence), remark=None)
    first.committee_post = None
    block = [i for i, q in enumerate(people) if q.unit == unit]
    at = next(i for i in block if people[i].supervisory_post)
    people.insert(at, second)
    planted.append(
        Planted(
            second,
            "公民身份号码",
            "同一人在本村填报两行（副书记、副主任各一行），应合并为一行",
            "DQ005",
            other=first,
        )
    )

    # DQ006: an ID number typed into a General cell: Excel kept 15 significant digits.
    p = _find(people, "三李村", 2)
    assert isinstance(p.id_number, str)
    p.id_number = float(int(p.id_number[:15]) * 1000)
    planted.append(
        Planted(
            p,
            "公民身份号码",
            f"身份证号被存为数字 {p.id_number:.14E}，后 3 位已丢失（CSV 中为 {p.id_number:.5E}）",
            "DQ006",
        )
    )

    # DQ007: an old 15-digit ID number copied from old records.
    p = _find(people, "马寨村", 1)
    assert isinstance(p.id_number, str)
    p.id_number = p.id_number[:6] + p.id_number[8:17]
    planted.append(Planted(p, "公民身份号码", "15 位旧身份证号码（应升为 18 位）", "DQ007"))

    # DQ002: 出生年月 disagrees with the ID number (two digits of the year swapped).
    p = _find(people, "张河村", 3)
    assert isinstance(p.id_number, str)
    year, month = int(p.id_number[6:10]), int(p.id_number[10:12])
    wrong_year = 1900 + (year % 10) * 10 + (year // 10) % 10
    if wrong_year == year or not 1950 <= wrong_year <= 2002:
        wrong_year = year + 10
    p.birth = f"{wrong_year}.{month:02d}"
    planted.append(
        Planted(p, "出生年月", f"出生年月填为 {p.birth}，身份证号为 {year}年{month}月", "DQ002")
    )

    # DQ003: a relative's name where the ID number belongs.
    p = _find(people, "申河社区", 2)
    spouse = "女" if p.gender == "男" else "男"
    p.relatives = f"{gen.name(spouse)}（配偶）"
    planted.append(Planted(p, "近亲属身份证号", f"“{p.relatives}”不是身份证号", "DQ003"))

    # DQ008: 籍贯 is filled in for everybody but no rule reads it (reported on the header row).
    planted.append(Planted(people[0], "籍贯", "未知列“籍贯”（全员填写，不参与审查）", "DQ008"))
    return planted


# --------------------------------------------------------------------------------------------
# Cases for the policy rules: every code of the national policy fires at least once


def _birth_of(p: Person) -> date:
    assert isinstance(p.id_number, str) and len(p.id_number) == 18
    return date(int(p.id_number[6:10]), int(p.id_number[10:12]), int(p.id_number[12:14]))


def _age_at_as_of(birth: date) -> int:
    return AS_OF.year - birth.year - ((AS_OF.month, AS_OF.day) < (birth.month, birth.day))


def _recast(
    gen: Generator, p: Person, *, age: int | None = None, gender: str | None = None
) -> None:
    """Make `p` older or younger, or of the other gender: a new ID number that agrees (and a
    new name for a new gender); the 出生年月 cell keeps its style, a listed spouse follows."""
    birth = _birth_of(p) if age is None else gen.birth_date(age)
    if gender is not None and gender != p.gender:
        p.gender = gender
        p.name = gen.name(gender)
    assert p.gender is not None
    p.id_number = gen.id_number(birth, p.gender)
    if isinstance(p.birth, str):
        p.birth = (
            f"{birth.year}年{birth.month}月"
            if "年" in p.birth
            else f"{birth.year}.{birth.month:02d}"
        )
    else:
        p.birth = birth
    if p.relatives and len(p.relatives) == 18:  # a spouse: of the other gender, about as old
        p.relatives = _relative_id(gen, p, "男" if p.gender == "女" else "女", 0)


def _unit(name: str) -> Unit:
    return next(u for u in UNITS if u.name == name)


def _new_person(
    gen: Generator, unit: str, post: Post, gender: str, age: int, **cells: object
) -> Person:
    """A generated person for `unit` (not yet on the roster), with some cells set by hand."""
    p = _make_person(gen, _unit(unit), post, gender, age)
    for key, value in cells.items():
        assert hasattr(p, key), key
        setattr(p, key, value)
    return p


def plant_cases(gen: Generator, people: list[Person]) -> tuple[list[Planted], list[Person]]:
    """Evidence from the joint review (联审) and slates that break the rules, so that every rule
    of the national policy fires at least once. Returns the expected findings and the people
    to add (inserted by `add_extra_people`). Group rules are sensitive: a change to one person
    can make a unit or township target fire, so every finding the roster gives is listed here."""
    cases: list[Planted] = []
    extras: list[Person] = []

    def on_row(
        p: Person, code: str, severity: str, why: str, column: str | None = None, **kw: Any
    ) -> None:
        cases.append(Planted(p, column, why, code, severity=severity, **kw))

    def on_group(
        code: str,
        severity: str,
        level: str,
        why: str,
        township: str | None = None,
        unit: str | None = None,
        *,
        measure: tuple[int, int | None],
        policy: str | None = None,
    ) -> None:
        cases.append(
            Planted(
                None,
                None,
                why,
                code,
                severity=severity,
                level=level,
                township=township,
                unit=unit,
                measure=measure,
                policy=policy,
            )
        )

    def find(
        unit: str, index: int, party: str | None, committee: str | None, supervisory: str | None
    ) -> Person:
        p = _find(people, unit, index)
        assert (p.party_post, p.committee_post, p.supervisory_post) == (
            party,
            committee,
            supervisory,
        ), (unit, index)
        return p

    # ---- 建中街街道 ----------------------------------------------------------------------
    # 小李庄社区: husband and wife both on the 居委会 slate (EL010, reported on both rows).
    wife = find("小李庄社区", 1, "副书记", "副主任", None)
    husband = find("小李庄社区", 4, None, "委员", None)
    assert isinstance(wife.id_number, str) and wife.gender == "女" and husband.gender == "男"
    husband.relatives = wife.id_number
    on_row(
        husband,
        "EL010",
        "warning",
        f"近亲属身份证号列明配偶{wife.name}，二人同为居委会人选",
        "近亲属身份证号",
    )
    on_row(
        wife,
        "EL010",
        "warning",
        f"配偶{husband.name}（近亲属身份证号列明本人）同为居委会人选",
        "近亲属身份证号",
    )

    # 齐礼阎社区: a sanction without the end of its effect: TN03 cannot be decided (DQ009).
    p = find("齐礼阎社区", 3, "纪检委员", "委员", None)
    p.evidence["sanction"] = "2019年5月受党内警告处分"
    on_row(
        p,
        "DQ009",
        "warning",
        "党纪政务处分“2019年5月受党内警告处分”，处分影响期截止空白",
        "党纪政务处分",
    )

    # 兴华北街社区: only four 居委会 candidates (EL005); one has not signed the pledge (SQ05).
    p = find("兴华北街社区", 3, "纪检委员", "委员", None)
    p.committee_post = None
    on_group(
        "EL005",
        "error",
        "unit",
        "居委会拟任成员少于 5 人（法定 5 至 9 人）",
        "建中街街道",
        "兴华北街社区",
        measure=(4, None),
    )
    p = find("兴华北街社区", 6, None, None, "委员")
    p.evidence["pledge_signed"] = "否"
    on_row(p, "SQ05", "warning", "签订承诺书填“否”", "签订承诺书")

    # 长江东路社区: another circumstance found in the joint review (TN10).
    p = find("长江东路社区", 7, None, None, "委员")
    p.evidence["other_bar"] = "本人经营的保洁公司承接社区公共区域保洁服务，存在利益冲突"
    on_row(p, "TN10", "error", "其他不宜情形：经营的公司承接社区服务，存在利益冲突", "其他不宜情形")

    # 保全街社区: no assessment for the 书记 (SD001); a supervisor in poor health (SQ06).
    p = find("保全街社区", 0, "书记", "主任", None)
    del p.evidence["assessment"]
    on_row(p, "SD001", "warning", "书记、主任人选，考察意见空白", "考察意见")
    p = find("保全街社区", 6, None, None, "委员")
    p.evidence["health_unfit"] = "腰椎手术后长期病休"
    on_row(p, "SQ06", "warning", "身体不能正常履职：腰椎手术后长期病休", "身体不能正常履职")

    # 建中街社区: a 两面人 (TN01); a newcomer with no ID number yet and a month-only birth date
    # in the month of his 46th birthday: older than 45 or not cannot be decided (DQ010).
    p = find("建中街社区", 4, None, "委员", None)
    p.evidence["political_issue"] = "当面表态拥护、背后散布对抗组织决定的言论"
    on_row(
        p, "TN01", "error", "政治表现问题：当面表态拥护、背后散布对抗组织决定的言论", "政治表现问题"
    )
    p = _new_person(
        gen,
        "建中街社区",
        (None, "委员", None),
        "男",
        45,
        incumbent="否",
        id_number=None,
        birth="1975.01",
        remark="身份证号待补",
    )
    p.evidence.pop("term_rating", None)
    extras.append(p)
    on_row(p, "DQ004", "error", "公民身份号码空白（备注“身份证号待补”）", "公民身份号码")
    on_row(
        p,
        "DQ010",
        "info",
        "新进人员，出生年月只填到 1975.01 且没有身份证号，选举日是 45 岁还是 46 岁无法确定，ST004 无法判定",
        "出生年月",
        rule="ST004",
    )

    # 苗圃社区: a 预备党员 proposed for the Party committee (EL003); the 副主任 typed as 主任, so
    # the unit has two 主任 (EL012) and she, as a 主任, has no assessment (SD001).
    p = find("苗圃社区", 3, "纪检委员", "委员", None)
    p.political, p.party_join = "中共预备党员", "2020.06"
    on_row(p, "EL003", "error", "拟任纪检委员，政治面貌为中共预备党员", "政治面貌")
    p = find("苗圃社区", 2, "委员", "副主任", None)
    p.committee_post = "主任"
    on_group(
        "EL012",
        "error",
        "unit",
        f"拟任主任多于 1 人（书记兼主任，另有{p.name}的副主任误填为主任）",
        "建中街街道",
        "苗圃社区",
        measure=(2, None),
    )
    on_row(p, "SD001", "warning", "职务填为主任（见 EL012），没有考察意见", "考察意见")

    # ---- 侯寨乡 --------------------------------------------------------------------------
    # 樱桃沟村: a newcomer of 46 (ST004); the 书记's wife, whose ID he lists, proposed for the
    # 村务监督委员会 (EL009); clan interference (TN04).
    secretary = find("樱桃沟村", 0, "书记", "主任", None)
    p = find("樱桃沟村", 1, "副书记", None, None)
    p.incumbent = "否"
    p.evidence.pop("term_rating", None)
    on_row(p, "ST004", "warning", f"新进“两委”成员，{_age_at_as_of(_birth_of(p))} 岁", "出生年月")
    assert secretary.relatives is not None
    spouse_id = secretary.relatives.split("\n")[0]
    p = _new_person(gen, "樱桃沟村", (None, None, "委员"), "女", 48, incumbent="否")
    p.id_number, p.birth = (
        spouse_id,
        date(int(spouse_id[6:10]), int(spouse_id[10:12]), int(spouse_id[12:14])),
    )
    p.political, p.party_join = "群众", None
    extras.append(p)
    on_row(
        p,
        "EL009",
        "error",
        f"拟任监委会委员，是书记{secretary.name}的配偶（书记的近亲属身份证号列明本人）",
        "近亲属身份证号",
    )
    p = find("樱桃沟村", 6, None, None, "委员")
    p.evidence["clan_interference"] = "利用家族势力阻挠村民小组长推选"
    on_row(p, "TN04", "error", "宗族宗派干扰：利用家族势力阻挠村民小组长推选", "宗族宗派干扰")

    # 南岗刘村: the 书记 has no 入党时间 (SD003); illegal building (TN09); a man living here but
    # registered in 樱桃沟村, proposed by both villages (EL008, on both rows).
    p = find("南岗刘村", 0, "书记", "主任", None)
    p.party_join = None
    on_row(p, "SD003", "warning", "书记人选，入党时间空白", "入党时间")
    p = find("南岗刘村", 6, None, None, "委员")
    p.evidence["illegal_building"] = "2019年占用耕地建房，未拆除复耕"
    on_row(p, "TN09", "error", "违法用地建房未整改：2019年占用耕地建房", "违法用地建房未整改")
    first = find("樱桃沟村", 2, "委员", "委员", None)
    twice = replace(
        first,
        township="侯寨乡",
        unit="南岗刘村",
        party_post=None,
        evidence=dict(first.evidence),
        remark="户籍在樱桃沟村",
    )
    extras.append(twice)
    on_row(first, "EL008", "error", "同一身份证号又被南岗刘村提名", "公民身份号码", other=twice)
    on_row(twice, "EL008", "error", "同一身份证号又被樱桃沟村提名", "公民身份号码", other=first)

    # 杏树湾村: an organiser of a petition to the district government (TN06).
    p = find("杏树湾村", 5, None, None, "委员")
    p.evidence["disturbance"] = "2019年组织村民到区政府聚集上访"
    on_row(
        p, "TN06", "error", "聚众闹事违法信访：2019年组织村民到区政府聚集上访", "聚众闹事违法信访"
    )

    # 沟赵村: an incumbent supervisor who lost legal capacity (EL011); an administrative
    # detention in 2018 (SQ04).
    p = find("沟赵村", 8, None, None, "委员")
    p.evidence["incapacity"] = "是"
    p.remark = "2020年9月突发脑出血，经法院认定为无民事行为能力人"
    on_row(p, "EL011", "error", "丧失行为能力：是（2020年脑出血后经法院认定）", "丧失行为能力")
    p = find("沟赵村", 9, None, None, "委员")
    p.evidence["detention_date"] = date(2018, 7, 16)
    p.remark = "打架斗殴被行政拘留5日"
    on_row(p, "SQ04", "warning", "2018-07-16 受行政拘留，未满 5 年", "行政拘留时间")

    # 罗庄村: an ageing slate: 书记 of 61 (ST006, and ST005 as an incumbent), 副书记 of 57
    # (ST005), and no 两委 member aged 35 or under (ST003); embezzled rent (TN08).
    p = find("罗庄村", 0, "书记", "主任", None)
    _recast(gen, p, age=61)
    on_row(p, "ST005", "warning", "连任“两委”成员，61 岁", "出生年月")
    on_row(p, "ST006", "warning", "书记、主任人选，61 岁", "出生年月")
    p = find("罗庄村", 1, "副书记", None, None)
    _recast(gen, p, age=57)
    on_row(p, "ST005", "warning", "连任“两委”成员，57 岁", "出生年月")
    p = find("罗庄村", 4, None, "委员", None)
    _recast(gen, p, age=38)
    on_group(
        "ST003",
        "warning",
        "unit",
        "“两委”成员中没有 35 岁以下的人（最年轻的 38 岁）",
        "侯寨乡",
        "罗庄村",
        measure=(0, None),
    )
    p = find("罗庄村", 5, None, None, "主任")
    p.evidence["collective_asset"] = "截留村集体土地租金3.6万元，未退还"
    on_row(
        p, "TN08", "error", "侵占集体资产未整改：截留村集体土地租金3.6万元", "侵占集体资产未整改"
    )

    # 三李村: a supervisor also proposed for the 村委会 (EL009); a sanction still in effect on
    # the election day (TN03).
    p = find("三李村", 5, None, None, "委员")
    p.committee_post = "委员"
    on_row(p, "EL009", "error", "拟任监委会委员，同时拟任村委会委员", "拟任村（居）委会职务")
    p = find("三李村", 4, None, None, "主任")
    p.evidence["sanction"] = "2020年3月受党内严重警告处分"
    p.evidence["sanction_end"] = date(2021, 9, 30)
    on_row(
        p,
        "TN03",
        "error",
        "党内严重警告处分，影响期至 2021-09-30，选举日仍在影响期",
        "处分影响期截止",
    )

    # 尖岗村: 书记 and 主任 are different people (ST001); the 主任 failed the assessment (SD002);
    # a member with a poor reputation (SQ01).
    p = find("尖岗村", 0, "书记", None, None)
    on_row(p, "ST001", "warning", "书记未兼任主任（本村书记、主任分设）")
    p = find("尖岗村", 1, "委员", "主任", None)
    p.evidence["assessment"] = "不合格"
    on_row(p, "SD002", "error", "考察意见为“不合格”", "考察意见")
    p = find("尖岗村", 2, "委员", "委员", None)
    p.evidence["poor_conduct"] = "不赡养年迈父母，群众反映强烈"
    on_row(p, "SQ01", "warning", "道德品行问题：不赡养年迈父母，群众反映强烈", "道德品行问题")
    on_group(
        "ST002",
        "warning",
        "township",
        "“一肩挑”比例低于 90%（尖岗村书记、主任分设）",
        "侯寨乡",
        measure=(6, 7),
    )

    # ---- 马寨镇 --------------------------------------------------------------------------
    # 马寨村: 书记 and 主任 split (ST001); with the 书记 off the 村委会 its three candidates are
    # all men (EL006: an error for a village); vote buying (TN05).
    p = find("马寨村", 0, "书记", "主任", None)
    assert p.gender == "女"
    p.committee_post, p.remark = None, None
    director = find("马寨村", 2, "委员", "委员", None)
    director.committee_post = "主任"
    director.evidence["assessment"] = "合格"
    on_row(p, "ST001", "warning", f"书记未兼任主任（委员{director.name}任主任）")
    p = find("马寨村", 3, "纪检委员", None, None)
    p.committee_post = "委员"
    on_group(
        "EL006",
        "error",
        "unit",
        f"书记{_find(people, '马寨村', 0).name}不再兼任主任后，村委会拟任成员没有女性",
        "马寨镇",
        "马寨村",
        measure=(0, 3),
    )
    p = find("马寨村", 6, None, None, "委员")
    p.evidence["election_fraud"] = "2020年12月宴请村民小组长，为他人拉票"
    on_row(p, "TN05", "error", "拉票贿选：2020年12月宴请村民小组长拉票", "拉票贿选")

    # 张河村: eight 村委会 candidates (EL004), among them one who turns 18 the day after the
    # election (EL001); a criminal record (TN02); an unqualified Party member in 2019 (TN07).
    p = find("张河村", 5, None, "委员", None)
    p.evidence["criminal_record"] = "2015年因盗窃罪被判处有期徒刑1年"
    on_row(p, "TN02", "error", "受过刑事处罚：2015年因盗窃罪被判处有期徒刑1年", "受过刑事处罚")
    p = find("张河村", 8, None, None, "委员")
    p.evidence["unqualified_member_year"] = 2019
    on_row(p, "TN07", "error", "2019 年度被评为不合格党员（近 3 年内）", "不合格党员年度")
    youth = _new_person(
        gen,
        "张河村",
        (None, "委员", None),
        "男",
        18,
        incumbent="否",
        education="高中",
        political="共青团员",
        party_join=None,
        source=None,
    )
    youth.birth = date(2003, 1, 11)
    youth.id_number = gen.id_number(youth.birth, "男")
    on_row(youth, "EL001", "error", "2003-01-11 出生，选举日 17 岁（次日才满 18 周岁）", "出生年月")
    extras.append(youth)
    extras.append(
        _new_person(
            gen, "张河村", (None, "委员", None), "男", 33, incumbent="否", source="退役军人"
        )
    )
    extras.append(_new_person(gen, "张河村", (None, "委员", None), "女", 29, incumbent="否"))
    on_group(
        "EL004",
        "error",
        "unit",
        "村委会拟任成员多于 7 人（法定 3 至 7 人）",
        "马寨镇",
        "张河村",
        measure=(8, None),
    )

    # 王庄村: the 副书记 is proposed as 主任 instead of the 书记, who stays on the 村委会 as a
    # member (ST001); he is a newcomer with 初中 education (SD004); a debt to the collective (SQ03).
    p = find("王庄村", 0, "书记", "主任", None)
    p.committee_post, p.remark = "委员", None
    on_row(p, "ST001", "warning", "书记未兼任主任（书记任村委会委员，副书记任主任）")
    director = find("王庄村", 1, "副书记", None, None)
    director.committee_post, director.education = "主任", "初中"
    director.evidence["assessment"] = "合格"
    assert director.incumbent == "否"
    on_row(director, "SD004", "warning", "新进主任人选，文化程度初中（低于高中）", "文化程度")
    p = find("王庄村", 4, None, "委员", None)
    p.evidence["collective_debt"] = "拖欠村集体土地承包费2.4万元"
    on_row(p, "SQ03", "warning", "拖欠集体款项：村集体土地承包费2.4万元", "拖欠集体款项")

    # 钱庄村: the 副主任 left off the Party committee: two members (EL007), and only the 书记
    # is cross-appointed (ST007).
    p = find("钱庄村", 1, "委员", "副主任", None)
    p.party_post = None
    on_group(
        "EL007",
        "warning",
        "unit",
        "党组织委员会拟任成员少于 3 人",
        "马寨镇",
        "钱庄村",
        measure=(2, None),
    )
    on_group(
        "ST007",
        "info",
        "unit",
        "交叉任职比例低于 1/3（只有书记交叉任职）",
        "马寨镇",
        "钱庄村",
        measure=(1, 4),
    )

    # 申河社区: a prison sentence with deprivation of political rights not yet over (EL002 and
    # TN02); a supervisor ordered to resign in 2019 (SQ07).
    p = find("申河社区", 5, "委员", None, None)
    p.evidence["criminal_record"] = "2018年因聚众扰乱社会秩序罪被判处有期徒刑1年，剥夺政治权利2年"
    p.evidence["rights_deprived"] = "是"
    on_row(p, "EL002", "error", "被剥夺政治权利：是（2018年判处剥夺政治权利2年）", "被剥夺政治权利")
    on_row(
        p,
        "TN02",
        "error",
        "受过刑事处罚：2018年因聚众扰乱社会秩序罪被判处有期徒刑1年",
        "受过刑事处罚",
    )
    p = find("申河社区", 7, None, None, "委员")
    p.evidence["resign_order_date"] = date(2019, 4, 12)
    on_row(p, "SQ07", "warning", "2019-04-12 被责令辞职，未满 3 年", "责令辞职时间")

    # 海为社区: no woman on the 居委会 slate (EL006: a warning for a community); a low vote share
    # in the democratic recommendation (SQ02).
    for i in (0, 1):
        _recast(gen, _find(people, "海为社区", i), gender="男")
    on_group(
        "EL006",
        "warning",
        "unit",
        "居委会拟任成员没有女性（社区为警告）",
        "马寨镇",
        "海为社区",
        measure=(0, 5),
    )
    p = find("海为社区", 4, None, "委员", None)
    p.evidence["recommendation_rate"] = "43.5%"
    on_row(p, "SQ02", "warning", "民主推荐得票率 43.5%，低于 50%", "民主推荐得票率")

    on_group(
        "ST002",
        "warning",
        "township",
        "“一肩挑”比例低于 90%（马寨村、王庄村书记、主任分设）",
        "马寨镇",
        measure=(4, 6),
    )
    on_group(
        "ST002",
        "warning",
        "district",
        "“一肩挑”比例低于 90%（尖岗村、马寨村、王庄村书记、主任分设）",
        measure=(17, 20),
    )

    # ST008 and ST009 are off in the national policy (target 0); the example policy
    # targets-example.yaml sets targets of 60% 大专以上 and 40% women.
    example = "targets-example.yaml"
    on_group(
        "ST008",
        "warning",
        "township",
        "大专以上比例低于示例目标 60%",
        "侯寨乡",
        measure=(17, 35),
        policy=example,
    )
    on_group(
        "ST009",
        "warning",
        "township",
        "女性比例低于示例目标 40%",
        "侯寨乡",
        measure=(12, 35),
        policy=example,
    )
    on_group(
        "ST009",
        "warning",
        "township",
        "女性比例低于示例目标 40%",
        "马寨镇",
        measure=(11, 34),
        policy=example,
    )
    return cases, extras


# --------------------------------------------------------------------------------------------
# The grid: what the sheet holds, row by row


@dataclass
class Grid:
    rows: list[list[Cell]]  # from row 1
    formats: dict[tuple[int, int], str]  # (row, col) 1-based -> number format
    township_spans: list[tuple[int, int]]  # merged 乡镇 cells: (first row, last row)
    data_rows: dict[int, int]  # id(person) -> Excel row
    units: list[list[Cell]] = field(default_factory=list)  # the 单位信息 sheet, from row 1


def build_grid(people: list[Person]) -> Grid:
    width = len(HEADERS)
    rows: list[list[Cell]] = [
        [TITLE, *[None] * (width - 1)],
        [SUBTITLE, *[None] * (width - 1)],
        list(HEADERS),
    ]
    formats: dict[tuple[int, int], str] = {}
    spans: list[tuple[int, int]] = []
    data_rows: dict[int, int] = {}
    col = {h: j for j, h in enumerate(HEADERS, start=1)}
    previous_township = None
    for serial, person in enumerate(people, start=1):
        r = len(rows) + 1
        data_rows[id(person)] = r
        row: list[Cell] = [serial]
        row.extend(get(person) for _, get in PERSON_COLUMNS)
        row.extend(person.evidence.get(key) for _, key in EVIDENCE_COLUMNS)
        row.append(person.remark)
        # The merged 乡镇 cell holds the value in its first row only.
        if person.township == previous_township:
            row[col["乡镇(街道)"] - 1] = None
            spans[-1] = (spans[-1][0], r)
        else:
            spans.append((r, r))
            previous_township = person.township
        if isinstance(person.birth, date):
            formats[(r, col["出生年月"])] = "yyyy/m/d"
        for header, key in EVIDENCE_COLUMNS:
            if isinstance(person.evidence.get(key), date):
                formats[(r, col[header])] = "yyyy/m/d"
        rate = person.evidence.get("recommendation_rate")
        if isinstance(rate, float):
            formats[(r, col["民主推荐得票率"])] = "0.0%"
        rows.append(row)
    rows.append([None] * width)
    rows.append([SIGNATURE, *[None] * (width - 1)])
    return Grid(rows, formats, spans, data_rows, unit_grid(people))


def _display(value: Cell, fmt: str | None) -> str:
    """The text Excel shows (and writes to CSV) for a cell."""
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.year}/{value.month}/{value.day}"
    if isinstance(value, float):
        if fmt == "0.0%":
            return f"{value * 100:.1f}%"
        if abs(value) >= 1e11:  # General format in a normal-width column
            return f"{value:.5E}"
        return f"{value:g}"
    return str(value)


# --------------------------------------------------------------------------------------------
# Writers


def write_xlsx(grid: Grid, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    width = len(HEADERS)
    last = get_column_letter(width)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    for r, row in enumerate(grid.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c, value)
            fmt = grid.formats.get((r, c))
            if fmt:
                cell.number_format = fmt
            elif isinstance(value, str) and r > HEADER_ROW:
                cell.number_format = "@"

    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name="宋体", size=11)
    fill = PatternFill("solid", fgColor="D9D9D9")
    for c in range(1, width + 1):
        cell = ws.cell(HEADER_ROW, c)
        cell.font = Font(name="宋体", bold=True)
        cell.fill = fill
        cell.border = border
        cell.alignment = center
        header = HEADERS[c - 1]
        ws.column_dimensions[get_column_letter(c)].width = COLUMN_WIDTHS.get(
            header, max(6, min(len(header) * 2 + 1, 14))
        )
    ws.row_dimensions[HEADER_ROW].height = 45

    last_data = HEADER_ROW + len(grid.data_rows)
    for r in range(FIRST_DATA_ROW, last_data + 1):
        for c in range(1, width + 1):
            cell = ws.cell(r, c)
            cell.border = border
            cell.alignment = Alignment(
                vertical="center", wrap_text=c == HEADERS.index("近亲属身份证号") + 1
            )
    township_col = HEADERS.index("乡镇(街道)") + 1
    letter = get_column_letter(township_col)
    for first, end in grid.township_spans:
        if end > first:
            ws.merge_cells(f"{letter}{first}:{letter}{end}")
        ws.cell(first, township_col).alignment = center

    sig_row = len(grid.rows)
    ws.merge_cells(start_row=sig_row, start_column=1, end_row=sig_row, end_column=10)
    ws.freeze_panes = f"G{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{last_data}"
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    write_unit_sheet(wb, grid.units)
    wb.properties.creator = "二七区委组织部"
    buffer = io.BytesIO()
    wb.save(buffer)
    _write_reproducible_zip(buffer.getvalue(), path)


def _write_reproducible_zip(data: bytes, path: Path) -> None:
    """Re-pack the xlsx with fixed timestamps so that a re-run writes identical bytes."""
    y, mo, d, h, mi, sec = ZIP_TIME
    stamp = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{sec:02d}Z"
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode()
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rf"\g<1>{stamp}", text)
                content = text.encode()
            out = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = info.external_attr
            dst.writestr(out, content)


def write_csv(grid: Grid, path: Path) -> None:
    """What Excel writes for "CSV (逗号分隔)" on Chinese Windows: GBK, CRLF, displayed text,
    a merged cell's value in its first cell only, embedded line breaks as LF inside quotes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for r, row in enumerate(grid.rows, start=1):
        writer.writerow([_display(v, grid.formats.get((r, c))) for c, v in enumerate(row, start=1)])
    path.write_bytes(out.getvalue().encode("gbk"))


# --------------------------------------------------------------------------------------------
# The unit table (单位信息): one row per village/community with its seats, candidates, Party
# members and publication dates, in a second sheet of the workbook and as a separate GBK CSV.
# Seats are those of the final slates, so that the procedure rules (PR) pass except where a
# case below changes a fact on purpose.

UNIT_SHEET = "单位信息"
UNITS_CSV = HERE / "二七区单位信息.csv"
UNIT_TITLE = '二七区村(社区)"两委"换届基本情况表'
UNIT_HEADERS: tuple[str, ...] = (
    "序号", "乡镇（街道）", "村(社区)", "类型", "户数", "是否多民族", "正式党员数", "党组织类型",
    "党组织委员职数", "党组织委员候选人数", "村(居)委会职数", "主任候选人数", "副主任职数",
    "副主任候选人数", "村(居)委会委员候选人数", "登记选民数", "选民名单公布日期",
    "候选人名单公布日期", "离任审计结果公布日期", "选举日期", "村(居)民代表人数", "女性代表人数",
)  # fmt: skip
UNIT_HEADER_ROW = 2
# Units whose facts break a procedure rule: unit -> (code, changed facts, the problem).
UNIT_CASES: dict[str, tuple[str, dict[str, Cell], str]] = {
    "小李庄社区": ("PR001", {"党组织委员候选人数": "=seats"}, "党组织委员候选人数等于职数，差额比例 0% < 20%"),
    "樱桃沟村": ("PR002", {"主任候选人数": 1}, "主任候选人只有1人，未差额"),
    "南岗刘村": ("PR003", {"选民名单公布日期": date(2020, 12, 22)}, "选民名单于选举前19日公布，少于20日"),
    "杏树湾村": ("PR004", {"候选人名单公布日期": "2021.01.06"}, "候选人名单于选举前4日公布，少于5日"),
    "沟赵村": ("PR005", {"离任审计结果公布日期": "2021年1月10日"}, "离任审计结果在选举当天公布"),
    "罗庄村": ("PR006", {"是否多民族": "是"}, "多民族村，村委会成员均为汉族"),
    "三李村": ("PR007", {"正式党员数": "6人"}, "正式党员6人，不足7人却设3个党组织委员职数"),
    "马寨村": ("PR008", {"党组织类型": "党总支"}, "设党总支，但正式党员不足51人"),
    "张河村": ("PR009", {"村(居)民代表人数": 30, "女性代表人数": 9}, "妇女代表 9/30 = 30%，不足三分之一"),
    "王庄村": ("PR010", {"党组织委员职数": "+1"}, "党组织委员职数比名单中的拟任人数多1"),
}
PR011_UNIT = "钱庄村"  # keeps a 监委会 of 2 (every other unit gets a third member)
NOT_IN_TABLE = "海为社区"  # PR012: people in the roster, no row in the unit table
NOT_IN_ROSTER = ("侯寨乡", "郭小寨村")  # PR012: a row in the unit table, nobody in the roster


def plant_unit_cases(gen: Generator, people: list[Person]) -> list[Planted]:
    """Give every unit a 监委会 of 3 (but `PR011_UNIT`) and list the PR findings the unit
    table's cases give. Runs after every other change, so it draws its random people last."""
    by_name = {u.name: u for u in UNITS}
    for unit in UNITS:
        if unit.name in (PR011_UNIT, NOT_IN_TABLE):
            continue
        if sum(1 for p in people if p.unit == unit.name and p.supervisory_post) < 3:
            post: Post = (None, None, "委员")
            extra = _make_person(gen, by_name[unit.name], post, "女", _role_age(gen, post))
            add_extra_people(people, [extra])
    planted = []
    facts = {row[2]: row for row in unit_table_rows(people)}
    col = {h: i for i, h in enumerate(UNIT_HEADERS)}
    for unit, (code, _, problem) in UNIT_CASES.items():
        u = by_name[unit]
        measure: tuple[int | None, int | None] = (None, None)
        if code == "PR001":
            seats = facts[unit][col["党组织委员职数"]]
            assert isinstance(seats, int)
            measure = (0, seats)
        elif code == "PR009":
            measure = (9, 30)
        severity = "warning" if code == "PR008" else "error"
        planted.append(Planted(None, None, problem, code, severity=severity, level="unit",
                               township=u.township, unit=unit, measure=measure))  # fmt: skip
    supervisors = sum(1 for p in people if p.unit == PR011_UNIT and p.supervisory_post)
    planted.append(Planted(None, None, f"名单中村务监督委员会{supervisors}人，少于3人", "PR011", severity="warning",
                           level="unit", township=by_name[PR011_UNIT].township, unit=PR011_UNIT, measure=(None, None)))  # fmt: skip
    first = next(p for p in people if p.unit == NOT_IN_TABLE)
    planted.append(Planted(first, "村(社区)", "名单中有人员，但单位信息表中没有这个社区", "PR012", severity="warning"))
    planted.append(Planted(None, None, "单位信息表有这个村，但名单中没有人员", "PR012", severity="warning",
                           level="unit", township=NOT_IN_ROSTER[0], unit=NOT_IN_ROSTER[1], measure=(None, None)))  # fmt: skip
    return planted


def unit_table_rows(people: list[Person]) -> list[list[Cell]]:
    """The unit table's data rows (cells as written), from the final slates."""
    rng = random.Random(SEED + 9)  # its own stream: the roster's draws stay as they are
    rows: list[list[Cell]] = []
    names = [u for u in UNITS if u.name != NOT_IN_TABLE]
    extra = Unit(NOT_IN_ROSTER[0], NOT_IN_ROSTER[1], "村", "村")
    names.insert(next(i for i, u in enumerate(names) if u.township == "马寨镇"), extra)
    for serial, unit in enumerate(names, start=1):
        mine = [p for p in people if p.unit == unit.name]
        party = sum(1 for p in mine if p.party_post)
        committee = sum(1 for p in mine if p.committee_post)
        deputy = sum(1 for p in mine if p.committee_post == "副主任")
        if unit is extra:
            party, committee, deputy = 5, 5, 1
        case = UNIT_CASES.get(unit.name, ("", {}, ""))[1]
        seats = party + 1 if case.get("党组织委员职数") == "+1" else party
        reps = rng.randint(30, 45)
        values: dict[str, Cell] = {
            "乡镇（街道）": unit.township, "村(社区)": unit.name, "类型": unit.type,
            "户数": rng.randint(400, 1800), "是否多民族": "否", "正式党员数": rng.randint(25, 48),
            "党组织类型": "党支部", "党组织委员职数": seats,
            "党组织委员候选人数": seats if case.get("党组织委员候选人数") == "=seats" else math.ceil(seats * 1.2),
            "村(居)委会职数": committee, "主任候选人数": 2, "副主任职数": deputy,
            "副主任候选人数": deputy + 1 if deputy else "/",
            "村(居)委会委员候选人数": committee - 1 - deputy + rng.randint(1, 2),
            "登记选民数": rng.randint(900, 3500),
            "选民名单公布日期": date(2020, 12, 11) if serial % 2 else "2020.12.11",
            "候选人名单公布日期": date(2021, 1, 3) if serial % 3 else "2021年1月3日",
            "离任审计结果公布日期": date(2020, 12, 15), "选举日期": AS_OF,
            "村(居)民代表人数": reps, "女性代表人数": math.ceil(reps / 3) + rng.randint(0, 3),
        }  # fmt: skip
        values.update({k: v for k, v in case.items() if k not in ("党组织委员职数", "党组织委员候选人数")})
        rows.append([serial, *(values[h] for h in UNIT_HEADERS[1:])])
    return rows


def unit_grid(people: list[Person]) -> list[list[Cell]]:
    width = len(UNIT_HEADERS)
    return [
        [UNIT_TITLE, *[None] * (width - 1)],
        list(UNIT_HEADERS),
        *unit_table_rows(people),
        [None] * width,
        [SIGNATURE, *[None] * (width - 1)],
    ]


def write_unit_sheet(wb: Any, grid: list[list[Cell]]) -> None:
    ws = wb.create_sheet(UNIT_SHEET)
    width = len(UNIT_HEADERS)
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c, value)
            if isinstance(value, date):
                cell.number_format = "yyyy/m/d"
    ws.merge_cells(f"A1:{get_column_letter(width)}1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    for c in range(1, width + 1):
        ws.cell(UNIT_HEADER_ROW, c).font = Font(name="宋体", bold=True)
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.merge_cells(start_row=len(grid), start_column=1, end_row=len(grid), end_column=10)


def write_units_csv(grid: list[list[Cell]], path: Path) -> None:
    """The unit sheet as Excel exports it to CSV (GBK, CRLF, displayed text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in grid:
        writer.writerow([_display(v, None) for v in row])
    path.write_bytes(out.getvalue().encode("gbk"))


# --------------------------------------------------------------------------------------------
# The table of planted problems


def locate(planted: list[Planted], grid: Grid) -> None:
    """Excel rows and CSV lines of the planted problems."""
    # CSV physical line of each Excel row: one more for every line break inside an earlier cell.
    line_of: dict[int, int] = {}
    line = 1
    for r, row in enumerate(grid.rows, start=1):
        line_of[r] = line
        line += 1 + sum(str(v).count("\n") for v in row if isinstance(v, str))
    for p in planted:
        if p.person is None and p.code != "DQ008":
            continue  # a group finding has no row
        p.row = HEADER_ROW if p.code == "DQ008" else grid.data_rows[id(p.person)]
        p.line = line_of[p.row]
        if p.other is not None:
            other = grid.data_rows[id(p.other)]
            where = f"Excel 第 {other} 行（CSV 第 {line_of[other]} 行）"
            p.problem += f"；首次出现在 {where}" if p.code == "DQ005" else f"；另见 {where}"


def csv_shift_note(grid: Grid) -> str:
    """Where CSV line numbers start to differ from Excel rows (cells with line breaks)."""
    notes = []
    shift = 0
    for r, row in enumerate(grid.rows, start=1):
        breaks = sum(str(v).count("\n") for v in row if isinstance(v, str))
        if breaks:
            shift += breaks
            notes.append(
                f"Excel 第 {r} 行的单元格内有换行，CSV 中该记录占 {breaks + 1} 行，"
                f"其后各行的 CSV 行号比 Excel 行号大 {shift}。"
            )
    return "\n".join(notes)


SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
LEVEL_ZH = {"unit": "村(社区)", "township": "乡镇(街道)", "district": "县(市、区)"}


def _row(cells: tuple[object, ...]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _code(p: Planted) -> str:
    return f"{p.code}（{p.rule}）" if p.rule else p.code


def expected(planted: list[Planted], policy: str | None = None) -> list[Planted]:
    """The findings `vetting lint` gives on the example with the national policy (`policy`
    None) or with the national policy and `policy` (a file in examples/)."""
    return [p for p in planted if p.policy is None or p.policy == policy]


def _measure(p: Planted) -> str:
    assert p.measure is not None
    n, d = p.measure
    if n is None:
        return "—"
    if p.code == "PR001":
        return f"({d}−{d})/{d} = 0%"
    if d is None:
        return f"{n} 人"
    return f"{n}/{d} = {round(100 * n / d, 1):g}%"


def _group_table(groups: list[Planted]) -> list[str]:
    order = {"unit": 0, "township": 1, "district": 2}
    unit_order = {u.name: i for i, u in enumerate(UNITS)}
    township_order = {u.township: i for i, u in reversed(list(enumerate(UNITS)))}
    groups = sorted(
        groups,
        key=lambda p: (
            order[p.level or ""],
            township_order.get(p.township or "", 99),
            unit_order.get(p.unit or "", 99),
            p.code,
        ),
    )
    lines = [
        "| 范围 | 单位 | 代码 | 级别 | 计算 | 问题 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for p in groups:
        assert p.level is not None
        where = " ".join(x for x in (p.township, p.unit) if x) or DISTRICT
        lines.append(
            _row(
                (
                    LEVEL_ZH[p.level],
                    where,
                    _code(p),
                    SEVERITY_ZH[p.severity],
                    _measure(p),
                    p.problem,
                )
            )
        )
    return lines


def problem_table(planted: list[Planted]) -> str:
    """The README tables: findings on rows, findings for groups."""
    national = expected(planted)
    rows = sorted((p for p in national if p.row), key=lambda p: (p.row, p.code, p.rule or ""))
    lines = [
        "| Excel 行 | CSV 行 | 单元格 | 村(社区) | 姓名 | 代码 | 级别 | 问题 |",
        "| ---: | ---: | --- | --- | --- | --- | --- | --- |",
    ]
    for p in rows:
        cell = f"{get_column_letter(HEADERS.index(p.column) + 1)}{p.row}" if p.column else "—"
        if p.code == "DQ008":
            unit, name = "（整列）", "—"
        else:
            assert p.person is not None
            unit, name = p.person.unit, p.person.name or "（空）"
        lines.append(
            _row((p.row, p.line, cell, unit, name, _code(p), SEVERITY_ZH[p.severity], p.problem))
        )

    lines += [
        "",
        "村(社区)、乡镇(街道)和全区的问题（报告中没有行号）：",
        "",
        *_group_table([p for p in national if not p.row]),
    ]
    for policy in sorted({p.policy for p in planted if p.policy}):
        lines += [
            "",
            f"只在示例政策 `examples/{policy}` 下报告的问题（全国基准不设这两项目标，"
            f"见下文“每条规则都有例子”）：",
            "",
            *_group_table([p for p in planted if p.policy == policy]),
        ]
    return "\n".join(lines)


def summary(people: list[Person]) -> str:
    ids = [p.id_number for p in people if isinstance(p.id_number, str) and len(p.id_number) == 18]
    women = sum(1 for i in ids if int(i[16]) % 2 == 0)
    units = len({p.unit for p in people})
    return (
        f"{len(people)} 行，{units} 个村(社区)，"
        f"女性 {women}/{len(ids)} = {women / len(ids):.0%}（按有效的 18 位身份证号）"
    )


BEGIN = "<!-- BEGIN expected findings (make_example.py) -->"
END = "<!-- END expected findings -->"


def update_readme(block: str) -> None:
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{README}: markers {BEGIN!r} / {END!r} not found")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{block}\n{END}{tail}", encoding="utf-8")


def build() -> tuple[list[Person], list[Planted], Grid]:
    """The roster in file order, its planted problems (located) and the sheet's grid."""
    gen = Generator(SEED)
    people = generate(gen)
    planted = plant_problems(gen, people)
    cases, extras = plant_cases(gen, people)
    planted += cases
    add_extra_people(people, [*extras, *EXTRA_PEOPLE])
    planted += plant_unit_cases(gen, people)
    grid = build_grid(people)
    locate(planted, grid)
    return people, planted, grid


def readme_block(people: list[Person], planted: list[Planted], grid: Grid) -> str:
    """The generated part of README.md (between the markers)."""
    national = expected(planted)
    counts = "，".join(
        f"{sum(p.severity == sev for p in national)} {SEVERITY_ZH[sev]}"
        for sev in ("error", "warning", "info")
    )
    text = f"{summary(people)}\n\n全国基准下预期 {len(national)} 条结果：{counts}。"
    shift = csv_shift_note(grid)
    if shift:
        text += "\n\n" + shift
    return f"{text}\n\n{problem_table(planted)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--update-readme", action="store_true", help="refresh the table in README.md"
    )
    args = parser.parse_args()

    people, planted, grid = build()
    write_xlsx(grid, XLSX)
    write_csv(grid, CSV)
    write_units_csv(grid.units, UNITS_CSV)
    block = readme_block(people, planted, grid)
    print(block)
    if args.update_readme:
        update_readme(block)


if __name__ == "__main__":
    main()
