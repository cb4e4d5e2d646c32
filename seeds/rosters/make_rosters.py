"""Reconstruct synthetic rosters that match every figure the seed reports publish, and write the
reports' statements as claims files for `vetting stats --claims` (deterministic: same bytes on
every run).

    python seeds/rosters/make_rosters.py        # writes seeds/rosters/*.csv and *-claims.yaml

The reports (raw text in ../shared/seeds/, digests in seeds/*.yaml):
- kaifu-2021   长沙市开福区, 2020-21 round (001_…): the district's 114 村(社区), 书记/主任/一肩挑,
  书记 age, education and women, 两委 sizes, and for 青竹湖街道 and 沙坪街道 the comparison
  with the previous term. -> kaifu-2021.csv (as of 2021-01-28), kaifu-2018.csv (the previous
  term, as of 2018-01-28), kaifu-2021-claims.yaml.
- wenhui       杭州市下城区文晖街道, an earlier 社区党组织 round (004_…): 51 党委成员 by 人员来源,
  ages, 大专以上. -> wenhui.csv (as of 2011-01-15), wenhui-claims.yaml.
- erqi-2020    郑州市二七区 (000_…): 侯寨乡's 9 党组织 slates, and the numbers of communities of
  建中街街道 and 福华街街道. -> erqi-2020.csv (as of 2020-12-27), erqi-2020-claims.yaml.

Everything else about the people (names, ID numbers, birthdays, who else sits where) is made up.
ID numbers are valid GB 11643 numbers whose region code is the district's; birthdays fall
between March and November, so that every age is the same at any as_of in December-February.
Figures the reports do not publish are left to chance; figures they do publish are hit exactly
by adjusting the ages, education or gender of people no other published figure depends on.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
HEADERS = [
    "序号", "县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "性别", "民族", "身份证号", "出生年月", "学历",
    "政治面貌", "拟任党组织职务", "拟任村(居)委会职务", "拟任村(居)务监督委员会职务", "是否现任", "人员来源",
]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严赖覃洪武莫孔"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅鹏飞辉斌波宇浩凯健俊帆鑫晨瑶婷雪琳倩颖佳慧思雨欣怡文博志远海燕春亮新国建永立德松柏清泉"
COLLEGE = ("大专", "本科", "硕士研究生")


def check_char(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


@dataclass
class Post:
    township: str
    unit: str
    party: str = ""
    committee: str = ""
    supervisory: str = ""


@dataclass
class Person:
    name: str
    female: bool
    birth: dt.date
    education: str
    political: str
    ethnicity: str
    source: str = ""
    cur: Post | None = None
    prev: Post | None = None
    extra: dict[str, str] = field(default_factory=dict)
    id_number: str = ""

    def age(self, at: dt.date) -> int:
        return at.year - self.birth.year - ((at.month, at.day) < (self.birth.month, self.birth.day))

    def set_age(self, at: dt.date, age: int) -> None:
        """Move the birth year so that the person is `age` at `at` (birthdays are Mar-Nov)."""
        self.birth = self.birth.replace(year=at.year - age - (1 if (at.month, at.day) < (self.birth.month, self.birth.day) else 0))


class Maker:
    """Names, birthdays and ID numbers from one seeded random generator."""

    def __init__(self, seed: int, region: str):
        self.rng = random.Random(seed)
        self.region = region
        self.used_ids: set[str] = set()
        self.used_names: set[str] = set()

    def name(self) -> str:
        while True:
            n = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            if n not in self.used_names:
                self.used_names.add(n)
                return n

    def birthday(self, at: dt.date, age: int) -> dt.date:
        month = self.rng.randint(3, 11)
        day = self.rng.randint(1, 28)
        return dt.date(at.year - age - (1 if (at.month, at.day) < (month, day) else 0), month, day)

    def person(self, at: dt.date, age: int, *, female: bool | None = None, education: str | None = None,
               political: str = "中共党员") -> Person:
        rng = self.rng
        if female is None:
            female = rng.random() < 0.38
        if education is None:
            education = rng.choices(["硕士研究生", "本科", "大专", "高中", "中专"], [2, 36, 40, 14, 8])[0]
        ethnicity = "汉族" if rng.random() < 0.95 else rng.choice(["土家族", "苗族", "回族", "侗族"])
        return Person(self.name(), female, self.birthday(at, age), education, political, ethnicity)

    def assign_ids(self, people: Iterable[Person]) -> None:
        for p in people:
            while True:
                seq = self.rng.randrange(0, 500) * 2 + (0 if p.female else 1)
                first17 = f"{self.region}{p.birth:%Y%m%d}{seq:03d}"
                if first17 not in self.used_ids:
                    self.used_ids.add(first17)
                    p.id_number = first17 + check_char(first17)
                    break


def adjust(people: list[Person], get: Callable[[Person], int], put: Callable[[Person, int], None],
           target: int, lo: int | Callable[[Person], int], hi: int | Callable[[Person], int]) -> None:
    """Change the values of `people` by one at a time, each within its bounds [lo, hi], until
    they sum to `target`."""
    def low(p: Person) -> int:
        return lo(p) if callable(lo) else lo

    def high(p: Person) -> int:
        return hi(p) if callable(hi) else hi

    total = sum(get(p) for p in people)
    i = stuck = 0
    while total != target:
        p = people[i % len(people)]
        step = 1 if total < target else -1
        v = get(p) + step
        if low(p) <= v <= high(p):
            put(p, v)
            total += step
            stuck = 0
        else:
            stuck += 1
            if stuck > len(people):
                raise RuntimeError(f"cannot reach {target} (at {total})")
        i += 1


def write_roster(path: Path, district: str, people: list[Person], term: str, *, incumbent: bool = True,
                 extra_columns: tuple[str, ...] = ()) -> None:
    rows = [p for p in people if getattr(p, term) is not None]
    headers = [h for h in HEADERS if incumbent or h != "是否现任"] + list(extra_columns)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(headers)
        for i, p in enumerate(rows, start=1):
            post: Post = getattr(p, term)
            row = {
                "序号": i, "县(市、区)": district, "乡镇(街道)": post.township, "村(社区)": post.unit,
                "姓名": p.name, "性别": "女" if p.female else "男", "民族": p.ethnicity,
                "身份证号": p.id_number, "出生年月": f"{p.birth:%Y.%m}", "学历": p.education,
                "政治面貌": p.political, "拟任党组织职务": post.party, "拟任村(居)委会职务": post.committee,
                "拟任村(居)务监督委员会职务": post.supervisory, "是否现任": "是" if p.prev is not None else "否",
                "人员来源": p.source, **p.extra,
            }
            w.writerow([row.get(h, "") for h in headers])


def unit_names(rng: random.Random, n: int, used: set[str], suffix: str = "社区", fixed: Iterable[str] = ()) -> list[str]:
    first = "新东西南北金银桂竹湖月福德荷湘江麓秀洪松枫桃梅兴华安康泰和丰鸿翠润芙蓉"
    second = "园苑城湾岭塘桥山坡坪街井港洲冲峰林源庄畈垅"
    out = [f for f in fixed]
    used.update(out)
    while len(out) < n:
        name = rng.choice(first) + rng.choice(second) + suffix
        if name not in used:
            used.add(name)
            out.append(name)
    return out


# --------------------------------------------------------------------------------------------
# 开福区 2021 (and the previous term, 2018)

KAIFU_AS_OF = dt.date(2021, 1, 28)
KAIFU_PREV = dt.date(2018, 1, 28)
KAIFU_STREETS = [  # 16 街道; 青竹湖 has 11 社区 (the report), the others are made up
    ("望麓园街道", 7), ("湘雅路街道", 7), ("清水塘街道", 6), ("芙蓉北路街道", 7), ("东风路街道", 7),
    ("四方坪街道", 7), ("伍家岭街道", 7), ("新河街道", 6), ("月湖街道", 7), ("通泰街街道", 6),
    ("洪山街道", 7), ("捞刀河街道", 7), ("秀峰街道", 7), ("浏阳河街道", 7), ("青竹湖街道", 11), ("沙坪街道", 8),
]
QZH, SP = "青竹湖街道", "沙坪街道"


def kaifu() -> None:
    m = Maker(20210128, "430105")
    rng = m.rng
    now, before = KAIFU_AS_OF, KAIFU_PREV
    used: set[str] = set()
    units: list[tuple[str, str]] = []
    for street, n in KAIFU_STREETS:
        fixed = ["沙坪社区"] if street == SP else []
        for name in unit_names(rng, n, used, fixed=fixed):
            village = street in ("捞刀河街道", SP) and name != "沙坪社区" and rng.random() < 0.4
            units.append((street, name[:-2] + "村" if village and name[:-2] + "村" not in used else name))
    assert len(units) == 114
    # Members per unit: 青竹湖 92 in 11, 沙坪 66 in 8, the rest 747 in 95 (905 in all).
    sizes: dict[tuple[str, str], int] = {}
    qzh = [u for u in units if u[0] == QZH]
    sp = [u for u in units if u[0] == SP]
    rest = [u for u in units if u[0] not in (QZH, SP)]
    for i, u in enumerate(qzh):
        sizes[u] = 9 if i < 4 else 8
    for i, u in enumerate(sp):
        sizes[u] = 9 if i < 2 else 8
    for i, u in enumerate(rest):
        sizes[u] = 8 if i < 82 else 7
    assert sum(sizes.values()) == 905
    # Two units where 书记 and 主任 are different people (112 一肩挑 of 114).
    split_units = {rest[0], rest[40]}
    # Other members: 交叉任职 183 (+112 一肩挑 = 295), party only 315 (+2 书记 = 317),
    # committee only 291 (+2 主任 = 293): 党组织 612, 村(居)委会 588, 两委 905.
    tokens = ["C"] * 183 + ["P"] * 315 + ["M"] * 291
    rng.shuffle(tokens)
    people: list[Person] = []
    secretaries: list[Person] = []
    by_unit: dict[tuple[str, str], list[Person]] = {}
    sec_edu = ["硕士研究生"] * 3 + ["本科"] * 55 + ["大专"] * 52 + ["高中"] * 2 + ["中专"] * 2
    sec_women = [True] * 52 + [False] * 62
    rng.shuffle(sec_edu)
    rng.shuffle(sec_women)
    k = 0
    for ui, u in enumerate(units):
        street, unit = u
        members: list[Person] = []
        age = max(29, min(56, round(rng.gauss(41.6, 6))))
        s = m.person(now, age, female=sec_women[ui], education=sec_edu[ui])
        s.cur = Post(street, unit, "书记", "" if u in split_units else "主任")
        secretaries.append(s)
        members.append(s)
        if u in split_units:
            d = m.person(now, max(30, min(55, round(rng.gauss(44, 6)))), political="中共党员")
            d.cur = Post(street, unit, "", "主任")
            members.append(d)
        deputy = False
        vice = False
        discipline = False
        while len(members) < sizes[u]:
            t = tokens[k]
            k += 1
            p = m.person(now, max(24, min(58, round(rng.gauss(41, 8)))))
            party = committee = ""
            if t in ("C", "P"):
                if not deputy and rng.random() < 0.6:
                    party, deputy = "副书记", True
                elif not discipline and t == "P":
                    party, discipline = "纪检委员", True
                else:
                    party = "委员"
            if t in ("C", "M"):
                if not vice:
                    committee, vice = "副主任", True
                else:
                    committee = "委员"
                if t == "M" and rng.random() < 0.35:
                    p.political = "群众"
            p.cur = Post(street, unit, party, committee)
            members.append(p)
        by_unit[u] = members
        people += members
    assert k == len(tokens)
    # Who was there before: exactly 60 of 青竹湖's 92 and 44 of 沙坪's 66; about 72% elsewhere.
    continuing: set[int] = set()
    for group, n_cont in ((qzh, 60), (sp, 44)):
        pool = [p for u in group for p in by_unit[u]]
        continuing |= {id(p) for p in rng.sample(pool, n_cont)}
    for u in rest:
        continuing |= {id(p) for p in by_unit[u] if rng.random() < 0.72}
    # 沙坪社区: the 23-year-old elected to the 居委会 is new (swap with a new member elsewhere if need be).
    sp_unit = next(u for u in sp if u[1] == "沙坪社区")
    candidates = [p for p in by_unit[sp_unit][1:] if p.cur and p.cur.committee]
    young = next((p for p in candidates if id(p) not in continuing), candidates[0])
    if id(young) in continuing:
        other = next(p for u in sp for p in by_unit[u][1:] if id(p) not in continuing and p is not young)
        continuing.discard(id(young))
        continuing.add(id(other))
    # Leaving (previous term only): 青竹湖 25 of whom 19 over 55 now, 沙坪 20, others by chance.
    leaving: dict[tuple[str, str], list[Person]] = {u: [] for u in units}

    def leaver(u: tuple[str, str], over: bool) -> Person:
        age_now = rng.randint(56, 64) if over else rng.randint(34, 55)
        p = m.person(now, age_now, education=rng.choices(["本科", "大专", "高中", "中专", "初中"], [18, 32, 28, 14, 8])[0])
        leaving[u].append(p)
        return p

    def spread(group: list[tuple[str, str]], n: int, n_over: int) -> None:
        for i in range(n):
            leaver(group[i % len(group)], i < n_over)

    spread(qzh, 25, 19)
    spread(sp, 20, 8)
    for u in rest:
        n_cont = sum(id(p) in continuing for p in by_unit[u])
        size_before = sizes[u] + rng.choice((-1, 0, 0, 1))
        for _ in range(max(1, size_before - n_cont)):
            leaver(u, rng.random() < 0.3)
    # The previous term's posts.
    for u in units:
        street, unit = u
        cur = by_unit[u]
        sec = cur[0]
        gone = leaving[u]
        sec_before = sec if id(sec) in continuing and rng.random() < 0.75 else gone[0]
        for p in cur:
            if id(p) in continuing:
                p.prev = Post(street, unit, p.cur.party if p.cur else "", p.cur.committee if p.cur else "")
        if sec_before is sec:
            sec.prev = Post(street, unit, "书记", "主任" if rng.random() < 0.45 else "")
        else:
            if id(sec) in continuing:
                sec.prev = Post(street, unit, "副书记", "主任")
            sec_before.prev = Post(street, unit, "书记", "主任" if id(sec) not in continuing and rng.random() < 0.5 else "")
        for p in cur:  # the director before was the secretary or the secretary-to-be
            if p is not sec and p.prev is not None and p.prev.committee == "主任":
                p.prev.committee = "委员"
        has_director = any(q.prev is not None and q.prev.committee == "主任" for q in [*cur, *gone])
        for i, p in enumerate(gone):
            if p is sec_before:
                continue
            t = rng.choice("CPMM")
            p.prev = Post(street, unit, "委员" if t in "CP" else "", "" if t == "P" else "委员")
            if not has_director and t != "P":
                p.prev.committee, has_director = "主任", True
            if i == 1 and rng.random() < 0.2:
                p.prev.party = "纪检委员" if p.prev.party else p.prev.party
        if not has_director:
            gone[-1].prev.committee = "主任"  # type: ignore[union-attr]
        for p in gone:
            people.append(p)
    # 沙坪社区: the 23-year-old elected to the 居委会 (a new, committee-only woman).
    young.female = True
    young.set_age(now, 23)
    young.education = "本科"
    # Supervisory committee members (not 两委): two a unit, now and before.
    for street, unit in units:
        for term, post in (("cur", "主任"), ("cur", "委员"), ("prev", "主任"), ("prev", "委员")):
            p = m.person(now, rng.randint(35, 60))
            setattr(p, term, Post(street, unit, "", "", post))
            people.append(p)

    # -- published figures, hit exactly -------------------------------------------------------
    def age_now(p: Person) -> int:
        return p.age(now)

    def age_before(p: Person) -> int:
        return p.age(before)

    def set_now(p: Person, a: int) -> None:
        p.set_age(now, a)

    def set_before(p: Person, a: int) -> None:
        p.set_age(before, a)

    special = {QZH, SP}
    secs_before = [p for p in people if p.prev and p.prev.party == "书记"]
    assert len(secretaries) == 114 and len(secs_before) == 114
    # 书记平均年龄41.6岁 (4742/114 = 41.596), 比上届年轻2.6岁 (previous 5038/114 = 44.193).
    adjust([p for p in secretaries if p.cur and p.cur.township not in special and not (p.prev and p.prev.party == "书记")],
           age_now, set_now, 4742 - sum(age_now(p) for p in secretaries if p.cur and (p.cur.township in special or (p.prev and p.prev.party == "书记"))), 30, 55)
    fixed_before = [p for p in secs_before if p.cur is not None or (p.prev and p.prev.township in special)]
    adjust([p for p in secs_before if p not in fixed_before], age_before, set_before,
           5038 - sum(age_before(p) for p in fixed_before), 38, 61)

    def two_committees(township: str, term: str) -> list[Person]:
        return [p for p in people if (post := getattr(p, term)) is not None and post.township == township and (post.party or post.committee)]

    for township, now_sum, before_sum in ((QZH, 92 * 40, 85 * 43), (SP, 66 * 40, 64 * 42)):
        cur_m, prev_m = two_committees(township, "cur"), two_committees(township, "prev")
        assert len(cur_m) == (92 if township == QZH else 66), (township, len(cur_m))
        assert len(prev_m) == (85 if township == QZH else 64), (township, len(prev_m))
        new_free = [p for p in cur_m if p.prev is None and p.cur and p.cur.party != "书记" and p is not young]
        adjust(new_free, age_now, set_now, now_sum - sum(age_now(p) for p in cur_m if p not in new_free), 24, 50)
        gone = [p for p in prev_m if p.cur is None and p.prev and p.prev.party != "书记"]
        over = {id(p) for p in gone if p.age(now) > 55}
        rest_sum = before_sum - sum(age_before(p) for p in prev_m if p not in gone)
        # Each leaver stays on their side of the cap (over 55 at as_of: 53 or more three years before).
        adjust(gone, age_before, set_before, rest_sum,
               lambda p: 53 if id(p) in over else 30, lambda p: 63 if id(p) in over else 52)  # noqa: B023
        assert sum(1 for p in gone if p.age(now) > 55) == len(over)
    # 沙坪：大专及以上学历较上届增加15人 (only new and leaving people can make a difference).
    cur_m, prev_m = two_committees(SP, "cur"), two_committees(SP, "prev")
    new_sp = [p for p in cur_m if p.prev is None and p.cur and p.cur.party != "书记" and p is not young]
    gone_sp = [p for p in prev_m if p.cur is None and p.prev and p.prev.party != "书记"]

    def college(ps: Iterable[Person]) -> int:
        return sum(1 for p in ps if p.education in COLLEGE)

    diff = college(cur_m) - college(prev_m)
    for p in new_sp:
        if diff >= 15:
            break
        if p.education not in COLLEGE:
            p.education, diff = "大专", diff + 1
    for p in gone_sp:
        if diff >= 15:
            break
        if p.education in COLLEGE:
            p.education, diff = "高中", diff + 1
    for p in new_sp:
        if diff <= 15:
            break
        if p.education in COLLEGE and p.education != "硕士研究生":
            p.education, diff = "高中", diff - 1
    assert diff == 15, diff
    # 人员来源 (not published for 开福区; kept for --breakdown).
    for p in people:
        p.source = rng.choices(["社区工作者", "大学生社工", "退役军人", "致富带头人", "社区党员", ""], [40, 12, 8, 6, 20, 14])[0]
    m.assign_ids(people)
    order = {u: i for i, u in enumerate(units)}

    def sort_key(term: str) -> Callable[[Person], tuple[int, int]]:
        rank = {"书记": 0, "副书记": 1, "主任": 2, "副主任": 3, "委员": 4, "纪检委员": 5, "": 6}

        def key(p: Person) -> tuple[int, int]:
            post: Post = getattr(p, term)
            return (order[(post.township, post.unit)], min(rank[post.party], rank[post.committee]) if not post.supervisory else 9)
        return key

    write_roster(HERE / "kaifu-2021.csv", "开福区", sorted((p for p in people if p.cur), key=sort_key("cur")), "cur")
    write_roster(HERE / "kaifu-2018.csv", "开福区", sorted((p for p in people if p.prev), key=sort_key("prev")), "prev", incumbent=False)
    (HERE / "kaifu-2021-claims.yaml").write_text(KAIFU_CLAIMS, encoding="utf-8")


KAIFU_CLAIMS = """\
# 开福区 2020-21 换届结果（红网 2021-02-03；../shared/seeds/001_2d6202726ff292e9.txt，
# 摘要 seeds/kaifu-2021.yaml）。每条 text 是报道原句（数字照录）。
#   vetting stats seeds/rosters/kaifu-2021.csv --as-of 2021-01-28 \\
#       --previous seeds/rosters/kaifu-2018.csv --claims seeds/rosters/kaifu-2021-claims.yaml
# 口径：第一句的书记、主任、“交叉任职112人”、一肩挑都在书记中；“大专以上…本科…研究生…女性…”
# 紧接“党组织书记平均年龄”，也只能是书记中的数字（女性52人若指两委成员，占905人的5.7%，
# 不可能是45.6%；52/114 = 45.6%）。“交叉任职295人”指两委成员中两边任职的人（612+588−295=905）。
# 按这样的口径，报道的数字彼此相容，都能同时成立。
# 未核对：“16个街道”“6个村(社区)”“15个部门”“3轮”等是工作量，不是名单上的数字。
- text: 全区114个村(社区)“两委”换届选举工作圆满完成
  figure: units
  count: 114
  group: {district: 开福区}
- text: 共选举产生新一届村(社区)党组织书记114名
  figure: secretaries
  count: 114
  group: {district: 开福区}
- text: 村(居)委主任114人
  figure: directors
  count: 114
  group: {district: 开福区}
- text: 其中交叉任职112人（书记兼主任）
  figure: one_shoulder
  count: 112
  group: {district: 开福区}
- text: “一肩挑”比例达98.2%
  figure: one_shoulder
  share: 98.2%
  group: {district: 开福区}
- text: 党组织书记平均年龄41.6岁
  figure: secretary_mean_age
  mean: "41.6"
  group: {district: 开福区}
- text: 比上届年轻了2.6岁
  figure: previous.changes.secretary_mean_age
  mean: "-2.6"
  group: {district: 开福区}
- text: 大专以上文化程度占比96.5%（书记中）
  figure: secretary_college_or_above
  share: 96.5%
  group: {district: 开福区}
- text: 其中本科学历55人
  figure: secretary_bachelor
  count: 55
  group: {district: 开福区}
- text: 研究生学历3人
  figure: secretary_postgraduate
  count: 3
  group: {district: 开福区}
- text: 女性52人，占比45.6%（书记中）
  figure: secretary_women
  count: 52
  share: 45.6%
  group: {district: 开福区}
- text: 党组织委员612人
  figure: party_committee
  count: 612
  group: {district: 开福区}
- text: 村(居)委员会委员588人
  figure: village_committee
  count: 588
  group: {district: 开福区}
- text: 其中交叉任职295人
  figure: cross_appointed
  count: 295
  group: {district: 开福区}
- text: “两委”总人数为905人
  figure: members
  count: 905
  group: {district: 开福区}
- text: 青竹湖街道下辖11个社区
  figure: units
  count: 11
  group: {township: 青竹湖街道}
- text: 共选举出“两委”成员92人
  figure: members
  count: 92
  group: {township: 青竹湖街道}
- text: 平均年龄40岁
  figure: mean_age
  mean: 40
  group: {township: 青竹湖街道}
- text: 较上届年轻了3岁
  figure: previous.changes.mean_age
  mean: -3
  group: {township: 青竹湖街道}
- text: 其中新进“两委”32人
  figure: previous.new
  count: 32
  group: {township: 青竹湖街道}
- text: 因年龄原因退出19人
  figure: previous.leaving_over_age
  count: 19
  group: {township: 青竹湖街道}
- text: 街道新一届村(社区)“两委”平均年龄下降2岁（沙坪街道）
  figure: previous.changes.mean_age
  mean: -2
  group: {township: 沙坪街道}
- text: 大专及以上学历较上届增加15人（沙坪街道）
  figure: previous.changes.college_or_above
  count: 15
  group: {township: 沙坪街道}
"""


# --------------------------------------------------------------------------------------------
# 文晖街道 (earlier round: 社区党委 only)

WENHUI_AS_OF = dt.date(2011, 1, 15)
WENHUI_UNITS = ["流水西苑社区", "和平苑社区", "流水东苑社区", "京都苑社区", "打铁关社区", "现代城社区", "三里家园社区", "胜利社区"]


def wenhui() -> None:
    m = Maker(20110205, "330103")
    rng = m.rng
    at = WENHUI_AS_OF
    # 8 书记 (one a 社区) and 6 专职副书记: “书记、副书记14名”; 37 委员: 51 党委成员 in all.
    sizes = [7, 7, 6, 6, 7, 6, 6, 6]
    assert sum(sizes) == 51
    sources = ["社区工作者"] * 33 + ["楼道支部党员"] * 8 + ["社区民警"] * 6 + ["辖区单位人员"] * 4
    people: list[Person] = []
    secs: list[Person] = []
    deps: list[Person] = []
    for i, (unit, size) in enumerate(zip(WENHUI_UNITS, sizes, strict=True)):
        for j in range(size):
            post = "书记" if j == 0 else ("副书记" if j == 1 and i < 6 else "委员")
            base = {"书记": 46, "副书记": 36, "委员": 44}[post]
            p = m.person(at, base + rng.randint(-6, 6), education=rng.choice(["大专", "本科", "本科"]))
            p.cur = Post("文晖街道", unit, post)
            people.append(p)
            (secs if post == "书记" else deps if post == "副书记" else []).append(p)
    # 人员来源: the 书记 and 副书记 are 社区工作者; the rest are dealt at random.
    rest = [p for p in people if p.cur and p.cur.party == "委员"]
    pool = sources[len(secs) + len(deps):]
    rng.shuffle(pool)
    for p in secs + deps:
        p.source = "社区工作者"
    for p, s in zip(rest, pool, strict=True):
        p.source = s
    # 大学生社工10名 (among the 社区工作者): a column of its own, since 人员来源 has one value a person.
    workers = [p for p in people if p.source == "社区工作者"]
    for p in rng.sample(workers, 10):
        p.extra["是否大学生社工"] = "是"
        p.education = "本科"
    # 大专以上48人: three 楼道支部党员 have 高中.
    for p in [p for p in rest if p.source == "楼道支部党员"][:3]:
        p.education = "高中"
    # 书记平均年龄46.1岁 (369/8), 专职副书记36.3岁 (218/6), 班子43.53岁 (2220/51).

    def get(p: Person) -> int:
        return p.age(at)

    def put(p: Person, a: int) -> None:
        p.set_age(at, a)

    adjust(secs, get, put, 369, 38, 55)
    adjust(deps, get, put, 218, 28, 45)
    adjust(rest, get, put, 2220 - 369 - 218, 26, 60)
    for p in people:
        p.female = rng.random() < 0.45
    m.assign_ids(people)
    write_roster(HERE / "wenhui.csv", "下城区", people, "cur", incumbent=False, extra_columns=("是否大学生社工",))
    (HERE / "wenhui-claims.yaml").write_text(WENHUI_CLAIMS, encoding="utf-8")


WENHUI_CLAIMS = """\
# 文晖街道社区党组织换届公推直选工作总结（较早一届，转载于2019-05-28；
# ../shared/seeds/004_924ed507963179b4.txt，摘要 seeds/wenhui-2019.yaml）。
#   vetting stats seeds/rosters/wenhui.csv --as-of 2011-01-15 --claims seeds/rosters/wenhui-claims.yaml
# 名单只有社区党委（公推直选的是党组织），两委成员 = 党委成员 = 51人。
# 报道的比例有三处与人数不符（笔误，按人数计算）：33/51 = 64.71%（报道64.47%），
# 4/51 = 7.84%（报道8.08%），48/51 = 94.12%（报道94.11%，94.118%按半进位是94.12%）。
# 四类人员的报道比例相加恰为100.00%，像是为凑满100%调过。
# 未单独核对：“书记、副书记14名”没有对应的单一指标（名单中书记8名、副书记6名，合计14名）；
# “纪委委员21名”属社区纪委，不是两委职务，不在名单中。
- text: 圆满完成街道8个社区党组织换届“公推直选”工作
  figure: units
  count: 8
  group: {township: 文晖街道}
- text: 党委委员51名
  figure: party_committee
  count: 51
  group: {township: 文晖街道}
- text: （其中大学生社工10名）
  figure: breakdown.是否大学生社工.是
  count: 10
  group: {township: 文晖街道}
- text: 新一届社区党委书记平均年龄46.1岁
  figure: secretary_mean_age
  mean: "46.1"
  group: {township: 文晖街道}
- text: 大专以上学历达100%（书记）
  figure: secretary_college_or_above
  share: 100%
  group: {township: 文晖街道}
- text: 社区专职副书记平均年龄36.3岁
  figure: deputy_mean_age
  mean: "36.3"
  group: {township: 文晖街道}
- text: 51名社区党委成员中，社区工作者33名，占64.47%
  figure: breakdown.人员来源.社区工作者
  count: 33
  share: 64.47%
  group: {township: 文晖街道}
- text: 楼道支部(业委会主任、副主任)党员8名，占15.69%
  figure: breakdown.人员来源.楼道支部党员
  count: 8
  share: 15.69%
  group: {township: 文晖街道}
- text: 社区民警6名，占11.76%
  figure: breakdown.人员来源.社区民警
  count: 6
  share: 11.76%
  group: {township: 文晖街道}
- text: 辖区单位人员4名，占8.08%
  figure: breakdown.人员来源.辖区单位人员
  count: 4
  share: 8.08%
  group: {township: 文晖街道}
- text: 班子平均年龄43.53岁
  figure: mean_age
  mean: "43.53"
  group: {township: 文晖街道}
- text: 大专以上有48人，占94.11%
  figure: college_or_above
  count: 48
  share: 94.11%
  group: {township: 文晖街道}
"""


# --------------------------------------------------------------------------------------------
# 二七区 2020: 侯寨乡 (and the sizes of 建中街街道 and 福华街街道)

ERQI_AS_OF = dt.date(2020, 12, 27)


def erqi() -> None:
    m = Maker(20201227, "410103")
    rng = m.rng
    at = ERQI_AS_OF
    used: set[str] = set()
    people: list[Person] = []
    # 侯寨乡: 9 村(社区); 书记9人(35岁以下2人)、副书记9人、纪委书记9人(纪检委员1人)、委员20人.
    houzhai = ["侯寨社区", *unit_names(rng, 8, used, suffix="村")]
    members_per_unit = [2, 3, 2, 2, 2, 2, 3, 2, 2]  # 委员: 20
    young = {1, 5}  # two 书记 aged 35 or under
    for i, unit in enumerate(houzhai):
        sec_age = rng.randint(29, 35) if i in young else rng.randint(38, 55)
        s = m.person(at, sec_age, education=rng.choice(["大专", "本科", "本科"]))
        s.cur = Post("侯寨乡", unit, "书记")
        s.source = rng.choice(["大学生", "退役军人", "致富带头人", "本村党员"]) if i in young else "本村党员"
        d = m.person(at, rng.randint(36, 52))
        d.cur = Post("侯寨乡", unit, "副书记")
        # the “纪委书记” (纪检委员 in a small branch) is the Party committee's 纪检委员
        j = m.person(at, rng.randint(38, 56))
        j.cur = Post("侯寨乡", unit, "纪检委员")
        people += [s, d, j]
        for _ in range(members_per_unit[i]):
            w = m.person(at, rng.randint(26, 57))
            w.cur = Post("侯寨乡", unit, "委员")
            w.source = rng.choice(["本村党员", "本村党员", "大学生", "退役军人", "致富带头人"])
            people.append(w)
        for p in (d, j):
            p.source = "本村党员"
    # 建中街街道 15 个社区 and 福华街街道 13 个社区: only how many there are is published.
    for street, n in (("建中街街道", 15), ("福华街街道", 13)):
        names = ["小李庄社区"] if street == "建中街街道" else []
        for unit in unit_names(rng, n, used, fixed=names):
            for post in ("书记", "副书记", "委员", "委员", "委员"):
                p = m.person(at, rng.randint(27, 56))
                p.cur = Post(street, unit, post, "主任" if post == "书记" else "")
                people.append(p)
    m.assign_ids(people)
    write_roster(HERE / "erqi-2020.csv", "二七区", people, "cur", incumbent=False)
    (HERE / "erqi-2020-claims.yaml").write_text(ERQI_CLAIMS, encoding="utf-8")


ERQI_CLAIMS = """\
# 二七区“换出好班子 选好带头人”简讯（2020-12；../shared/seeds/000_820554824088790d.txt，
# 摘要 seeds/erqi-2020.yaml）：侯寨乡党组织换届结果，建中街、福华街街道的社区数。
#   vetting stats seeds/rosters/erqi-2020.csv --as-of 2020-12-27 --claims seeds/rosters/erqi-2020-claims.yaml
# 侯寨乡此时只完成了党组织换届，名单只有党组织职务。“纪委书记9人(纪检委员1人)”在名单上都是
# 拟任党组织职务“纪检委员”（名单的职务值只有书记、副书记、委员、纪检委员）。
- text: 侯寨乡圆满完成9个村(社区)党组织换届选举工作
  figure: units
  count: 9
  group: {township: 侯寨乡}
- text: 共产生村(社区)党组织书记9人
  figure: secretaries
  count: 9
  group: {township: 侯寨乡}
- text: （35岁以下2人）
  figure: secretary_age_35_or_under
  count: 2
  group: {township: 侯寨乡}
- text: 副书记9人
  figure: deputies
  count: 9
  group: {township: 侯寨乡}
- text: 纪委书记9人(纪检委员1人)
  figure: breakdown.拟任党组织职务.纪检委员
  count: 9
  group: {township: 侯寨乡}
- text: 委员20人
  figure: breakdown.拟任党组织职务.委员
  count: 20
  group: {township: 侯寨乡}
- text: 建中街街道15个社区党组织换届选举工作画上了圆满的句号
  figure: units
  count: 15
  group: {township: 建中街街道}
- text: 街道13个社区“两委”换届工作（福华街街道）
  figure: units
  count: 13
  group: {township: 福华街街道}
"""


def main() -> None:
    kaifu()
    wenhui()
    erqi()


if __name__ == "__main__":
    main()
