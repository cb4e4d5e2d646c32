"""Write the example roster of 二七区: a workbook as a 组织部 keeps it, and the GBK CSV that
Excel on Chinese Windows exports from it ("CSV (逗号分隔)").

    python examples/make_example.py                  # write both files, print the problem table
    python examples/make_example.py --update-readme  # also refresh the table in README.md

Everything is synthetic and deterministic (seeded random, no network): names are drawn from
common surnames and given names, ID numbers are made up but valid under GB 11643-1999 for the
region code of 郑州市二七区 (410103), phone numbers are random.

Structure, so that later steps can add people:
- `UNITS` lists the townships and villages/communities with the slate shape of each;
- `generate()` turns them into `Person` records (one per row, in file order);
- `plant_problems()` damages a few records the way users really do and returns the list of
  `Planted` problems with the expected finding code;
- `EXTRA_PEOPLE` holds hand-written `Person` records, inserted into their unit's block;
- rows are computed from the final order, so the printed table is always exact.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

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
# when they hold a 两委 post) after the problems are planted. Later steps add here the cases
# that make every policy rule fire.
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


@dataclass
class Planted:
    person: Person
    column: str  # header as written in the workbook
    problem: str
    code: str
    other: Person | None = None  # the earlier row of a duplicate
    row: int = 0  # Excel row, set once the order is final
    line: int = 0  # CSV physical line


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
# The grid: what the sheet holds, row by row


@dataclass
class Grid:
    rows: list[list[Cell]]  # from row 1
    formats: dict[tuple[int, int], str]  # (row, col) 1-based -> number format
    township_spans: list[tuple[int, int]]  # merged 乡镇 cells: (first row, last row)
    data_rows: dict[int, int]  # id(person) -> Excel row


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
        rate = person.evidence.get("recommendation_rate")
        if isinstance(rate, float):
            formats[(r, col["民主推荐得票率"])] = "0.0%"
        rows.append(row)
    rows.append([None] * width)
    rows.append([SIGNATURE, *[None] * (width - 1)])
    return Grid(rows, formats, spans, data_rows)


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
        p.row = HEADER_ROW if p.code == "DQ008" else grid.data_rows[id(p.person)]
        p.line = line_of[p.row]
        if p.other is not None:
            first = grid.data_rows[id(p.other)]
            p.problem += f"；首次出现在 Excel 第 {first} 行（CSV 第 {line_of[first]} 行）"


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


def problem_table(planted: list[Planted]) -> str:
    lines = [
        "| Excel 行 | CSV 行 | 单元格 | 村(社区) | 姓名 | 列 | 问题 | 预期代码 |",
        "| ---: | ---: | --- | --- | --- | --- | --- | --- |",
    ]
    for p in sorted(planted, key=lambda p: (p.row, p.code)):
        cell = f"{get_column_letter(HEADERS.index(p.column) + 1)}{p.row}"
        if p.code == "DQ008":
            unit, name = "（整列）", "—"
        else:
            unit, name = p.person.unit, p.person.name or "（空）"
        cells = (p.row, p.line, cell, unit, name, p.column, p.problem, p.code)
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def summary(people: list[Person]) -> str:
    ids = [p.id_number for p in people if isinstance(p.id_number, str) and len(p.id_number) == 18]
    women = sum(1 for i in ids if int(i[16]) % 2 == 0)
    units = len({p.unit for p in people})
    return (
        f"{len(people)} 行，{units} 个村(社区)，"
        f"女性 {women}/{len(ids)} = {women / len(ids):.0%}（按有效的 18 位身份证号）"
    )


BEGIN, END = "<!-- BEGIN planted problems (make_example.py) -->", "<!-- END planted problems -->"


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
    add_extra_people(people, EXTRA_PEOPLE)
    grid = build_grid(people)
    locate(planted, grid)
    return people, planted, grid


def readme_block(people: list[Person], planted: list[Planted], grid: Grid) -> str:
    """The generated part of README.md (between the markers)."""
    text = summary(people)
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
    block = readme_block(people, planted, grid)
    print(block)
    if args.update_readme:
        update_readme(block)


if __name__ == "__main__":
    main()
