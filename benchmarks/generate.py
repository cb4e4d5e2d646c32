"""Generate realistic synthetic rosters for the benchmarks (deterministic: same seed, same bytes).

    python benchmarks/generate.py --rows 1000000 --out benchmarks/data/roster-1m.csv
    python benchmarks/generate.py --rows 100000 --out benchmarks/data/roster-100k.xlsx
    python benchmarks/generate.py --rows 10000 --out benchmarks/data/roster-10k-gbk.csv --encoding gbk

The roster looks like a county organisation department's 台账 exported from Excel: one title
line above the header, then one row per person. Districts > townships > villages/communities,
about 7 people per unit: a 书记 (mostly 一肩挑 主任), often a 副书记, Party 委员 (mostly
cross-appointed to the 村(居)委会), 村(居)委会 members, and 1-2 村(居)务监督委员会 members.
ID numbers are valid GB 11643 numbers (region code, birth date, sequence, check character).
Birth dates are written in the mix real files have (`1985-03-08`, `1985.03`, `1985年3月`,
blank). Every evidence column of `policies/national/fields.yaml` is present and mostly blank;
about 2% of people have some evidence, with a small rate of data-quality problems (malformed,
15-digit and Excel-damaged ID numbers, unreadable dates, gender mismatches, the same person in
two units) and near relatives on the same committee.

Values never contain a comma, a quote or a line break, as in most real exports (so the CSV
needs no quoting).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2021, 1, 10)  # the national policy's default reference date
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2, as vetting.roster.idnumber.check_char."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


BASE_HEADERS = [
    "序号", "县(市、区)", "乡镇(街道)", "村(社区)", "类型", "姓名", "性别", "民族", "身份证号",
    "出生年月", "学历", "政治面貌", "入党时间", "拟任党组织职务", "拟任村(居)委会职务",
    "拟任村(居)务监督委员会职务", "是否现任", "人员来源", "联系电话", "近亲属身份证号",
]
# Evidence columns (key, header) in the order of policies/national/fields.yaml.
EVIDENCE = [
    ("political_issue", "政治表现问题"), ("criminal_record", "刑事处罚"),
    ("gang_involvement", "涉黑涉恶"), ("sanction", "党纪政务处分"),
    ("sanction_end", "处分影响期截止"), ("under_investigation", "正在接受审查调查"),
    ("religion_cult_vice", "非法宗教邪教黄赌毒"), ("clan_interference", "宗族宗派干扰"),
    ("election_fraud", "拉票贿选"), ("disturbance", "聚众闹事违法信访"),
    ("duty_failure", "应急处置失职"), ("term_rating", "任期考核"), ("recalled", "被依法罢免"),
    ("unqualified_member_year", "不合格党员年度"), ("long_absence", "长期外出"),
    ("collective_asset", "侵占集体资产未整改"), ("illegal_building", "违法用地建房未整改"),
    ("eco_damage_date", "破坏生态环境时间"), ("dishonest_debtor", "失信被执行人"),
    ("other_bar", "其他不宜情形"), ("rights_deprived", "被剥夺政治权利"),
    ("incapacity", "丧失行为能力"), ("party_probation", "留党察看期内"),
    ("poor_conduct", "道德品行问题"), ("collective_debt", "拖欠集体款项"),
    ("detention_date", "行政拘留时间"), ("pledge_signed", "签订承诺书"),
    ("health_unfit", "身体不能正常履职"), ("resign_order_date", "责令辞职时间"),
    ("recommendation_rate", "民主推荐得票率"), ("assessment", "考察结论"),
]
EVIDENCE_HEADER = dict(EVIDENCE)
FLAG_TEXT = [
    "political_issue", "criminal_record", "gang_involvement", "under_investigation",
    "religion_cult_vice", "clan_interference", "election_fraud", "disturbance", "duty_failure",
    "long_absence", "collective_asset", "illegal_building", "poor_conduct", "collective_debt",
    "health_unfit",
]
HEADERS = BASE_HEADERS + [h for _, h in EVIDENCE]
COL = {h: i for i, h in enumerate(HEADERS)}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉春梅海波鹏辉宇浩凯文斌军林"
    "丹萍燕成亮飞鑫峰雪琳婷晓俊新利荣德福贵生中东永庆祥瑞兴旺云松柏琴凤莲菊爱民"
)
PLACE = (
    "东西南北中上下前后新老大小高李王张刘陈杨赵黄周吴金石河山水岭沟坡湾营庄寨店集桥堡屯岗"
    "家园园林田花桃柳杨槐枣梨龙凤龟鹤马牛羊鸡安宁和平兴隆丰盛永昌福寿康乐太阳明光华荣"
)
PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
             50, 51, 52, 53, 61, 62, 63, 64, 65]
ETHNIC = ["汉族"] * 90 + ["汉"] * 4 + ["回族", "满族", "蒙古族", "壮族", "苗族", "土家族"]
SOURCES = ["", "", "", "", "", "", "致富带头人", "退役军人", "大学生", "外出务工返乡人员",
           "社区工作者", "大学生社工", "本村党员", "辖区单位人员"]
EDU_LEADER = ["初中"] * 3 + ["高中"] * 20 + ["中专"] * 12 + ["大专"] * 40 + ["本科"] * 23 + ["研究生"] * 2
EDU_OTHER = ["初中"] * 14 + ["高中"] * 26 + ["中专"] * 10 + ["职高"] * 2 + ["大专"] * 30 + ["本科"] * 16 + ["大学本科"] * 1 + ["研究生"] * 1
CRIME = ["2012年因盗窃罪被判处有期徒刑1年", "2009年因故意伤害罪被判处有期徒刑2年", "曾因寻衅滋事罪被判处拘役6个月",
         "2016年因危险驾驶罪被判处拘役3个月", "是"]
TEXTS = {
    "political_issue": ["是", "对党不忠诚 阳奉阴违"],
    "gang_involvement": ["是", "列入涉黑涉恶线索"],
    "under_investigation": ["是", "2020年11月被立案审查"],
    "religion_cult_vice": ["参与赌博", "参加非法宗教活动", "是"],
    "clan_interference": ["是", "利用宗族势力干扰选举"],
    "election_fraud": ["是", "2017年换届中拉票"],
    "disturbance": ["是", "组织违法信访"],
    "duty_failure": ["是", "2020年防汛中失职"],
    "long_absence": ["是", "常年在外务工"],
    "collective_asset": ["是", "侵占集体土地未退还"],
    "illegal_building": ["是", "违法占用耕地建房未整改"],
    "poor_conduct": ["是", "群众反映强烈"],
    "collective_debt": ["是", "拖欠承包费3万元"],
    "health_unfit": ["是", "长期患病住院"],
}


class Gen:
    def __init__(self, rows: int, seed: int):
        self.rng = random.Random(seed)
        self.target = rows
        self.ids: set[str] = set()
        self.n = 0

    # -- people ------------------------------------------------------------------------------
    def name(self) -> str:
        r = self.rng
        given = r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.7 else "")
        return r.choice(SURNAMES) + given

    def birth(self, age: int) -> dt.date:
        """A birth date for someone who is `age` full years old on AS_OF."""
        latest = AS_OF.replace(year=AS_OF.year - age)
        return latest - dt.timedelta(days=self.rng.randrange(0, 365))

    def id_number(self, region: str, birth: dt.date, female: bool) -> str:
        r = self.rng
        while True:
            seq = r.randrange(0, 500) * 2 + (0 if female else 1)
            first = f"{region}{birth:%Y%m%d}{seq:03d}"
            v = first + check_char(first)
            if v not in self.ids:
                self.ids.add(v)
                return v

    def place(self, used: set[str], suffixes: list[str]) -> str:
        r = self.rng
        while True:
            n = 2 if r.random() < 0.8 else 3
            v = "".join(r.choice(PLACE) for _ in range(n)) + r.choice(suffixes)
            if v not in used:
                used.add(v)
                return v

    # -- organisation -------------------------------------------------------------------------
    def structure(self) -> Iterator[tuple[str, str, str, str, str]]:
        """(district, region code, township, unit, unit type) until enough rows."""
        r = self.rng
        districts: set[str] = set()
        codes: set[str] = set()
        while True:
            district = self.place(districts, ["区", "县", "县", "市"])
            while True:
                code = f"{r.choice(PROVINCES):02d}{r.randrange(1, 20):02d}{r.randrange(1, 30):02d}"
                if code not in codes:
                    codes.add(code)
                    break
            towns: set[str] = set()
            for _ in range(r.randint(8, 20)):
                township = self.place(towns, ["镇", "镇", "乡", "街道"])
                community_share = 0.8 if township.endswith("街道") else 0.1
                units: set[str] = set()
                for _ in range(r.randint(10, 25)):
                    community = r.random() < community_share
                    unit = self.place(units, ["社区"] if community else ["村", "村", "村", "村委会"])
                    yield district, code, township, unit, "社区" if community else "村"

    def slate(self, utype: str) -> list[dict[str, str]]:
        """The posts of one unit's slate: dicts with party/committee/supervisory posts."""
        r = self.rng
        # 村委会 3-7, 居委会 5-9 (1% of slates miss the minimum: EL004 / EL005).
        if utype == "村":
            want = r.choices([3, 4, 5], [30, 40, 30])[0]
        else:
            want = r.choices([5, 6, 7], [50, 30, 20])[0]
        if r.random() < 0.01:
            want -= 1
        n_party = r.choices([3, 4, 5], [30, 45, 25])[0]
        n_sup = 1 if r.random() < 0.6 else 2
        people = [{"party": "书记", "committee": "", "sup": ""}]
        if n_party >= 4 or r.random() < 0.5:
            people.append({"party": "副书记", "committee": "", "sup": ""})
        while len(people) < n_party:
            people.append({"party": "委员", "committee": "", "sup": ""})
        # Cross-appointed: about a third of the 两委 members or more (a few below: ST007).
        need = -(-(n_party + want) // 4)
        cross = need + r.randint(0, 1) if r.random() > 0.08 else need - 1
        one_shoulder = r.random() < 0.95  # 一肩挑: most units (ST001, ST002 for the rest)
        cross = max(1 if one_shoulder else 0, min(cross, want, n_party if one_shoulder else n_party - 1))
        crossed = people[:cross] if one_shoulder else people[1 : cross + 1]
        for p in crossed:
            p["committee"] = "副主任" if p["party"] == "副书记" else "委员"
        n_other = want - cross
        if one_shoulder:
            people[0]["committee"] = "主任"
        elif n_other == 0 and crossed:
            crossed[0]["committee"] = "主任"
        has_director = any(p["committee"] == "主任" for p in people)
        for _ in range(n_other):
            post = "委员"
            if not has_director:
                post, has_director = "主任", True
            people.append({"party": "", "committee": post, "sup": ""})
        people.append({"party": "", "committee": "", "sup": "主任"})
        if n_sup == 2:
            people.append({"party": "", "committee": "", "sup": "委员"})
        if r.random() < 0.002:  # a second 书记 (EL012)
            people[-1] = {"party": "书记", "committee": "", "sup": ""}
        return people

    # -- rows ---------------------------------------------------------------------------------
    def rows(self) -> Iterator[list[str]]:
        r = self.rng
        pending_dupes: list[list[str]] = []
        for district, code, township, unit, utype in self.structure():
            if self.n >= self.target:
                return
            slate = self.slate(utype)
            # Most slates have a 两委 member aged 35 or under; a few miss it (ST003).
            members = [k for k, p in enumerate(slate) if p["party"] or p["committee"]]
            young = r.choice(members) if members and r.random() < 0.95 else -1
            # Most committees have a woman (EL006 fires for the rest).
            committee = [k for k, p in enumerate(slate) if p["committee"]]
            woman = r.choice(committee) if committee and r.random() < 0.97 else -1
            unit_rows: list[list[str]] = []
            for k, post in enumerate(slate):
                if self.n >= self.target:
                    break
                age = r.randint(24, 35) if k == young else None
                unit_rows.append(
                    self.person(district, code, township, unit, utype, post, age, k == woman)
                )
                self.n += 1
            # Near relatives on the same slate (EL010 when both are on the committee).
            if len(unit_rows) > 1 and r.random() < 0.02:
                a, b = r.sample(range(len(unit_rows)), 2)
                unit_rows[a][COL["近亲属身份证号"]] = unit_rows[b][COL["身份证号"]]
            # The same person proposed in two units (EL008): repeat someone in a later unit.
            if unit_rows and r.random() < 0.003:
                pending_dupes.append(list(unit_rows[r.randrange(len(unit_rows))]))
            elif pending_dupes and r.random() < 0.3 and self.n < self.target:
                d = pending_dupes.pop()
                d[COL["县(市、区)"]], d[COL["乡镇(街道)"]], d[COL["村(社区)"]] = district, township, unit
                d[COL["类型"]] = ""
                unit_rows.append(d)
                self.n += 1
            yield from unit_rows

    def person(self, district: str, code: str, township: str, unit: str, utype: str,
               post: dict[str, str], age: int | None = None, woman: bool = False) -> list[str]:
        r = self.rng
        row = [""] * len(HEADERS)
        leader = post["party"] == "书记" or post["committee"] == "主任"
        member = bool(post["party"] or post["committee"])
        incumbent = r.random() < (0.75 if leader else 0.55)
        # Ages as the round's targets shape them (new entrants 45 or under, incumbents 55 or
        # under, leaders 60 or under), with a small tail above each target (ST004-ST006).
        if age is not None:
            pass
        elif incumbent:
            age = r.randint(32 if leader else 30, 55) if r.random() > 0.01 else r.randint(56, 61)
        else:
            age = r.randint(28 if leader else 23, 45) if r.random() > 0.02 else r.randint(46, 52)
        if r.random() < 0.00005:
            age = 17  # EL001
        female = woman or r.random() < (0.18 if leader else 0.35 if member else 0.3)
        birth = self.birth(age)
        idn = self.id_number(code, birth, female)
        party_member = bool(post["party"]) or r.random() < 0.45
        status = "中共党员" if party_member else r.choice(["群众"] * 8 + ["共青团员"] * 2 + ["无党派人士"])
        if post["party"] and r.random() < 0.002:
            status = "中共预备党员"  # EL003

        row[COL["县(市、区)"]] = district
        row[COL["乡镇(街道)"]] = township
        row[COL["村(社区)"]] = unit
        row[COL["类型"]] = utype if r.random() < 0.3 else ""
        row[COL["姓名"]] = self.name()
        row[COL["性别"]] = ("女" if female else "男") if r.random() < 0.95 else ""
        row[COL["民族"]] = r.choice(ETHNIC)
        row[COL["身份证号"]] = idn
        x = r.random()
        if x < 0.55:
            row[COL["出生年月"]] = birth.isoformat()
        elif x < 0.80:
            row[COL["出生年月"]] = f"{birth.year}.{birth.month:02d}"
        elif x < 0.88:
            row[COL["出生年月"]] = f"{birth.year}年{birth.month}月"
        elif x < 0.92:
            row[COL["出生年月"]] = f"{birth.year}/{birth.month}/{birth.day}"
        row[COL["学历"]] = r.choice(EDU_LEADER if leader else EDU_OTHER)
        row[COL["政治面貌"]] = status
        if party_member and status != "中共预备党员":
            join_age = r.randint(19, max(19, min(age - 1, 40)))
            join = birth.replace(year=birth.year + join_age, day=1) + dt.timedelta(days=r.randrange(0, 200))
            if join >= AS_OF:
                join = AS_OF - dt.timedelta(days=r.randrange(400, 800))
            y = r.random()
            if post["party"] == "书记" and r.random() < 0.005:
                pass  # no joining date recorded (SD003)
            elif y < 0.6:
                row[COL["入党时间"]] = f"{join.year}.{join.month:02d}"
            elif y < 0.85:
                row[COL["入党时间"]] = join.isoformat()
            else:
                row[COL["入党时间"]] = f"{join.year}年{join.month}月"
        party_names = {"书记": ["书记", "党支部书记", "党总支书记", "党委书记"], "副书记": ["副书记", "党支部副书记"],
                       "委员": ["委员", "委员", "组织委员", "宣传委员", "纪检委员"]}
        if post["party"]:
            row[COL["拟任党组织职务"]] = r.choice(party_names[post["party"]])
        if post["committee"]:
            c = post["committee"]
            row[COL["拟任村(居)委会职务"]] = c if r.random() < 0.8 else ("村委会" if utype == "村" else "居委会") + c
        if post["sup"]:
            row[COL["拟任村(居)务监督委员会职务"]] = post["sup"]
        row[COL["是否现任"]] = "是" if incumbent else "否"
        row[COL["人员来源"]] = r.choice(SOURCES)
        row[COL["联系电话"]] = f"1{r.choice('3578')}{r.randrange(10**9):09d}"
        self.evidence(row, post, leader, incumbent, party_member)
        self.problems(row, birth, female)
        return row

    def evidence(self, row: list[str], post: dict[str, str], leader: bool, incumbent: bool,
                 party_member: bool) -> None:
        r = self.rng
        ev = {k: "" for k, _ in EVIDENCE}
        style = r.random()
        if style < 0.12:  # some clerks write 无 / 否 everywhere instead of leaving blanks
            for k in FLAG_TEXT:
                ev[k] = "无"
            for k in ("recalled", "dishonest_debtor", "rights_deprived", "incapacity", "party_probation"):
                ev[k] = "否"
            ev["sanction"] = "无"
            ev["other_bar"] = "无"
        if r.random() < 0.55:
            ev["pledge_signed"] = "是"
        if incumbent and r.random() < 0.4:
            ev["term_rating"] = r.choice(["称职"] * 6 + ["优秀"] * 3 + ["基本称职"])
        if r.random() < (0.97 if leader else 0.3):
            ev["assessment"] = r.choice(["合格"] * 7 + ["优秀"] * 3)
        if r.random() < 0.4:
            ev["recommendation_rate"] = r.choice([f"{r.randint(55, 99)}%", f"0.{r.randint(55, 99)}", f"{r.randint(55, 99)}.{r.randint(0, 9)}%"])
        if r.random() < 0.02:  # about 2% of people have something on record
            for _ in range(1 if r.random() < 0.85 else 2):
                self.one_finding(ev, party_member)
        for k, v in ev.items():
            row[COL[EVIDENCE_HEADER[k]]] = v

    def one_finding(self, ev: dict[str, str], party_member: bool) -> None:
        r = self.rng
        kind = r.choices(
            ["crime", "flag_text", "sanction_on", "sanction_off", "sanction_noend", "rating", "recalled",
             "unqualified", "eco", "debtor", "other", "rights", "incapacity", "probation",
             "detention", "pledge_no", "resign", "low_rate", "assess_fail"],
            [8, 30, 6, 8, 2, 3, 1, 3, 2, 4, 3, 1, 1, 1, 5, 6, 2, 5, 2],
        )[0]
        year = lambda a, b: r.randint(a, b)  # noqa: E731
        if kind == "crime":
            ev["criminal_record"] = r.choice(CRIME)
        elif kind == "flag_text":
            k = r.choice(list(TEXTS))
            ev[k] = r.choice(TEXTS[k])
        elif kind in ("sanction_on", "sanction_off", "sanction_noend"):
            y = year(2014, 2020)
            ev["sanction"] = r.choice([f"{y}年受党内警告处分", f"{y}年受党内严重警告处分", f"{y}年受政务记过处分"])
            if kind != "sanction_noend":
                end = dt.date(y + (2 if kind == "sanction_on" else 1), r.randint(1, 12), r.randint(1, 28))
                if kind == "sanction_on" and end <= AS_OF:
                    end = AS_OF + dt.timedelta(days=r.randint(30, 600))
                if kind == "sanction_off" and end > AS_OF:
                    end = AS_OF - dt.timedelta(days=r.randint(30, 600))
                ev["sanction_end"] = end.isoformat() if r.random() < 0.7 else f"{end.year}.{end.month:02d}"
        elif kind == "rating":
            ev["term_rating"] = "不称职"
        elif kind == "recalled":
            ev["recalled"] = "是"
        elif kind == "unqualified":
            ev["unqualified_member_year"] = str(year(2012, 2020)) + ("年度" if r.random() < 0.3 else "")
        elif kind == "eco":
            ev["eco_damage_date"] = f"{year(2013, 2020)}.{r.randint(1, 12):02d}"
        elif kind == "debtor":
            ev["dishonest_debtor"] = "是"
        elif kind == "other":
            ev["other_bar"] = r.choice(["村民反映存在经济问题正在核查", "外地户籍 长期不在本村居住", "本人不愿参选"])
        elif kind == "rights":
            ev["rights_deprived"] = "是"
        elif kind == "incapacity":
            ev["incapacity"] = "是"
        elif kind == "probation":
            ev["party_probation"] = "是" if party_member else ""
        elif kind == "detention":
            d = dt.date(year(2012, 2020), r.randint(1, 12), r.randint(1, 28))
            ev["detention_date"] = d.isoformat() if r.random() < 0.6 else f"{d.year}年{d.month}月"
        elif kind == "pledge_no":
            ev["pledge_signed"] = "否"
        elif kind == "resign":
            ev["resign_order_date"] = f"{year(2015, 2020)}.{r.randint(1, 12):02d}"
        elif kind == "low_rate":
            ev["recommendation_rate"] = f"{r.randint(20, 49)}%"
        elif kind == "assess_fail":
            ev["assessment"] = "不合格"

    def problems(self, row: list[str], birth: dt.date, female: bool) -> None:
        """Data-quality problems at small, realistic rates."""
        r = self.rng
        x = r.random()
        idn = row[COL["身份证号"]]
        if x < 0.001:  # a typo: wrong check character (DQ001)
            last = idn[-1]
            row[COL["身份证号"]] = idn[:-1] + ("0" if last != "0" else "1")
        elif x < 0.0013:  # a 15-digit old number (DQ007)
            row[COL["身份证号"]] = idn[:6] + idn[8:17]
        elif x < 0.0015:  # Excel damage (DQ006)
            row[COL["身份证号"]] = f"{int(idn[:17]) / 10 ** 16:.5f}E+17"
        elif x < 0.0016:  # blank (DQ004)
            row[COL["身份证号"]] = ""
        elif idn.endswith("X") and r.random() < 0.1:
            row[COL["身份证号"]] = idn[:-1] + "x"
        y = r.random()
        if y < 0.0005 and row[COL["性别"]]:  # DQ002
            row[COL["性别"]] = "男" if female else "女"
        elif y < 0.001:  # an unreadable date (DQ003)
            row[COL["出生年月"]] = f"{birth.year}.{r.choice([13, 14, 0])}"
        z = r.random()
        if z < 0.004:  # a relative somewhere else (not on this roster)
            rel_birth = birth - dt.timedelta(days=r.randint(7000, 11000))
            first = f"{idn[:6]}{rel_birth:%Y%m%d}{r.randrange(1000):03d}"
            row[COL["近亲属身份证号"]] = first + check_char(first)
        elif z < 0.0042:
            row[COL["近亲属身份证号"]] = r.choice(["123", "见附表", "父亲"])  # DQ003
        elif z < 0.05:
            row[COL["近亲属身份证号"]] = "无"


def check_fields() -> None:
    """Every evidence column the national policy declares is generated (warn otherwise)."""
    path = ROOT / "policies" / "national" / "fields.yaml"
    if not path.exists():
        return
    from ruamel.yaml import YAML

    doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    declared = {f["key"]: f["header"] for f in doc.get("fields", [])}
    missing = {k: h for k, h in declared.items() if k not in EVIDENCE_HEADER}
    if missing:
        print(f"warning: fields.yaml declares columns the generator does not write: {missing}",
              file=sys.stderr)


def write_csv(gen: Gen, out: Path, encoding: str) -> None:
    title = "某市村(社区)两委换届拟任人选资格审查表" + "," * (len(HEADERS) - 1)
    with out.open("w", encoding=encoding, newline="") as fh:
        fh.write(title + "\r\n" if encoding != "utf-8" else title + "\n")
        nl = "\r\n" if encoding != "utf-8" else "\n"
        fh.write(",".join(HEADERS) + nl)
        buf: list[str] = []
        for i, row in enumerate(gen.rows(), start=1):
            row[0] = str(i)
            buf.append(",".join(row))
            if len(buf) >= 10000:
                fh.write(nl.join(buf) + nl)
                buf.clear()
        if buf:
            fh.write(nl.join(buf) + nl)


def write_xlsx(gen: Gen, out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("拟任人选")
    ws.append(["某市村(社区)两委换届拟任人选资格审查表"])
    ws.append(HEADERS)
    for i, row in enumerate(gen.rows(), start=1):
        cells: list[object] = [v if v != "" else None for v in row]
        cells[0] = i
        ws.append(cells)
    ws.append([])
    ws.append(["填表人：某某某"])
    wb.save(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True, help=".csv or .xlsx")
    ap.add_argument("--encoding", default="utf-8", choices=["utf-8", "gbk"], help="csv only")
    ap.add_argument("--seed", type=int, default=20210110)
    a = ap.parse_args(argv)
    check_fields()
    a.out.parent.mkdir(parents=True, exist_ok=True)
    gen = Gen(a.rows, a.seed)
    if a.out.suffix.lower() == ".xlsx":
        if a.rows > 100_000:
            ap.error("xlsx is for up to 100k rows (Excel itself stops at 1,048,576)")
        write_xlsx(gen, a.out)
    else:
        write_csv(gen, a.out, a.encoding)
    print(f"{a.out}: {gen.n} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
