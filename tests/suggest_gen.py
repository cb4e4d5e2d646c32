"""Generated districts for the `vetting suggest` tests: compliant village slates with planted
defects whose minimal fix is known, and reserve pools around them. Written as CSV files with the
roster's usual headers; every person has a valid ID number."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

AS_OF = dt.date(2021, 1, 10)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
HEADERS = ("县(市、区)", "乡镇(街道)", "村(社区)", "类型", "姓名", "性别", "出生日期", "身份证号", "学历",
           "政治面貌", "入党时间", "拟任党组织职务", "拟任村(居)委会职务", "是否现任", "考察意见",
           "受过刑事处罚", "近亲属身份证号")
POOL_HEADERS = (*HEADERS[:11], "是否现任", "可任职务", "考察意见", "受过刑事处罚", "近亲属身份证号")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def id_number(birth: dt.date, seq: int, woman: bool) -> str:
    s = (seq % 500) * 2 + (0 if woman else 1)
    body = f"410103{birth:%Y%m%d}{s:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


@dataclass
class Person:
    name: str
    woman: bool
    age: int
    party: str | None = None
    committee: str | None = None
    member: bool = True  # 中共党员
    incumbent: bool = True
    education: str = "大专"
    assessment: str | None = None
    crime: str | None = None
    relative_of: Person | None = None
    posts: str | None = None  # pool: 可任职务
    township: str = "城关镇"
    unit: str | None = None  # pool: blank = any unit of the township
    seq: int = 0

    @property
    def birth(self) -> dt.date:
        # born in March: the age at AS_OF (10 Jan) is exact and certain
        return dt.date(AS_OF.year - self.age - 1, 3, 1 + self.seq % 27)

    @property
    def id(self) -> str:
        return id_number(self.birth, self.seq, self.woman)


@dataclass
class District:
    name: str = "示例区"
    units: list[tuple[str, str, list[Person]]] = field(default_factory=list)  # (township, unit, members)
    pool: list[Person] = field(default_factory=list)
    seq: int = 0

    def _next(self) -> int:
        self.seq += 1
        return self.seq

    def person(self, **kw) -> Person:  # noqa: ANN003
        n = self._next()
        kw.setdefault("name", SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3) % len(GIVEN)])
        return Person(seq=n, **kw)

    def village(self, unit: str, township: str = "城关镇", defect: str = "") -> list[Person]:
        """A compliant slate (一肩挑, a woman and a member aged 35 or under on the 村委会, 3 on the
        party committee, half cross-appointed), with one planted defect:
        noyoung: nobody aged 35 or under; nowoman: no woman on the 村委会; split: the 书记 is not
        主任 (another member is); combo: noyoung and nowoman at once."""
        p = self.person
        sec = p(woman=False, age=45, party="书记", committee="主任", assessment="合格")
        dep = p(woman=defect not in ("nowoman", "combo"), age=40, party="副书记", committee="委员")
        mem = p(woman=False, age=38, party="委员")
        young = p(woman=False, age=30 if defect not in ("noyoung", "combo") else 41, committee="委员", member=False)
        if defect == "split":
            sec.committee = None
            young.committee = "主任"
            young.assessment = "合格"
        members = [sec, dep, mem, young]
        for m in members:
            m.township = township
        self.units.append((township, unit, members))
        return members

    def reserve(self, *, woman: bool, age: int, unit: str | None, posts: str | None = "村(居)委会委员",
                township: str = "城关镇", **kw) -> Person:  # noqa: ANN003
        person = self.person(woman=woman, age=age, unit=unit, posts=posts, township=township,
                             incumbent=False, **kw)
        self.pool.append(person)
        return person

    def write(self, folder: Path) -> tuple[Path, Path]:
        roster, pool = folder / "roster.csv", folder / "pool.csv"
        with roster.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADERS)
            for township, unit, members in self.units:
                for m in members:
                    w.writerow([self.name, township, unit, "村", m.name, "女" if m.woman else "男",
                                m.birth.isoformat(), m.id, m.education, "中共党员" if m.member else "群众",
                                "2000-07-01" if m.member else "", m.party or "", m.committee or "",
                                "是" if m.incumbent else "否", m.assessment or "", m.crime or "",
                                m.relative_of.id if m.relative_of else ""])
        with pool.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(POOL_HEADERS)
            for m in self.pool:
                w.writerow([self.name, m.township, m.unit or "", "", m.name, "女" if m.woman else "男",
                            m.birth.isoformat(), m.id, m.education, "中共党员" if m.member else "群众",
                            "2005-07-01" if m.member else "", "否", m.posts or "", m.assessment or "",
                            m.crime or "", m.relative_of.id if m.relative_of else ""])
        return roster, pool
