"""Benchmark `vetting suggest` on a district of 300 units, 2,500 roster rows and a reserve pool of
1,000 people (numbers in docs/benchmarks.md).

    python benchmarks/suggest.py                 # generate, then time the command end to end
    python benchmarks/suggest.py --runs 3 --time-limit 60 --keep-files /tmp/suggest-bench

The district: 10 townships of 30 units (村 and 社区); each slate of 8 meets every target unless
one of four defects is planted (about half the units): nobody aged 35 or under, no woman
on the 村(居)委会, a 书记 who is not 主任, or a party committee of 2. 100 units also list a
supervisory-committee member (143 units; 2,500 rows in all). The pool: 100 people per township, most of them for any unit of
their township, some for one unit, with the problems a real list has (criminal records, over-age
new entrants, low recommendation rates, non-members offered for party posts).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2021, 1, 10)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
HEADERS = ("县(市、区)", "乡镇(街道)", "村(社区)", "类型", "姓名", "性别", "出生日期", "身份证号", "学历",
           "政治面貌", "入党时间", "拟任党组织职务", "拟任村(居)委会职务", "拟任村(居)务监督委员会职务",
           "是否现任", "考察意见", "受过刑事处罚", "民主推荐得票率")
POOL_HEADERS = ("县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "性别", "出生日期", "身份证号", "学历",
                "政治面貌", "入党时间", "是否现任", "可任职务", "考察意见", "受过刑事处罚", "民主推荐得票率")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文斌"


class People:
    def __init__(self, rnd: random.Random):
        self.n = 0
        self.rnd = rnd

    def make(self, age: int, woman: bool) -> tuple[str, str, str]:
        """(name, birth date, ID number): born after 10 January, so the age at AS_OF is exact."""
        self.n += 1
        n = self.n
        birth = dt.date(AS_OF.year - age - 1, 2 + (n // 500) % 11, 1 + n % 28)
        body = f"410103{birth:%Y%m%d}{(n % 500) * 2 + (0 if woman else 1):03d}"
        idn = body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]
        name = self.rnd.choice(SURNAMES) + self.rnd.choice(GIVEN) + self.rnd.choice(GIVEN)
        return name, birth.isoformat(), idn


SLATE = (  # (party post, committee post, age, woman, party member)
    ("书记", "主任", 45, False, True),
    ("副书记", "副主任", 40, True, True),
    ("委员", "委员", 38, False, True),
    ("委员", None, 42, True, True),
    ("纪检委员", None, 39, False, True),
    (None, "委员", 30, False, False),
    (None, "委员", 33, True, False),
    (None, "委员", 36, False, False),
)


def generate(folder: Path, seed: int = 2021) -> tuple[Path, Path]:
    rnd = random.Random(seed)
    ppl = People(rnd)
    roster_rows, pool_rows = [], []
    units = []
    for t in range(10):
        town = f"第{t + 1}镇"
        for u in range(30):
            kind = "社区" if u % 5 == 4 else "村"
            units.append((town, f"{town}{u + 1}{'社区' if kind == '社区' else '村'}", kind))
    for k, (town, unit, kind) in enumerate(units):
        defect = rnd.choice(["", "", "noyoung", "nowoman", "split", "smallparty", "", ""])
        slate = [list(s) for s in SLATE]
        if defect == "noyoung":
            slate[5][2], slate[6][2] = 41, 44
        elif defect == "nowoman":
            slate[1][3] = slate[6][3] = False
        elif defect == "split":
            slate[0][1] = None
            slate[5][1] = "主任"
        elif defect == "smallparty":
            slate[3][0] = slate[4][0] = None
            slate[3][1] = "委员"
            slate[4][1] = None
            slate = [s for s in slate if s[0] or s[1]]
        if k < 143:
            slate.append([None, None, 50, False, False, "委员"])
        for s in slate:
            party, committee, age, woman, member = s[:5]
            name, birth, idn = ppl.make(age + rnd.choice([0, 0, 1, -1]) if age > 36 else age, woman)
            leader = party == "书记" or committee == "主任"
            roster_rows.append([
                "示例区", town, unit, kind, name, "女" if woman else "男", birth, idn,
                rnd.choice(["大专", "本科", "高中"]) if not leader else "大专", "中共党员" if member else "群众",
                "2001-07-01" if member else "", party or "", committee or "", s[5] if len(s) > 5 else "",
                "是", "合格" if leader else "", "", f"{rnd.randint(70, 98)}%",
            ])
    for town in sorted({u[0] for u in units}):
        mine = [u for u in units if u[0] == town]
        for _ in range(100):
            woman = rnd.random() < 0.5
            age = rnd.randint(24, 52)
            name, birth, idn = ppl.make(age, woman)
            member = rnd.random() < 0.6
            unit = rnd.choice(mine)[1] if rnd.random() < 0.3 else ""
            posts = rnd.choice(["", "村(居)委会委员", "党组织委员", "党组织委员、村(居)委会委员", "副主任"])
            crime = "2016年因赌博罪被判处拘役" if rnd.random() < 0.04 else ""
            rate = f"{rnd.randint(40, 98)}%"
            pool_rows.append(["示例区", town, unit, name, "女" if woman else "男", birth, idn,
                              rnd.choice(["大专", "本科", "高中", "初中"]), "中共党员" if member else "群众",
                              "2010-07-01" if member else "", "否", posts, "", crime, rate])
    roster, pool = folder / "district.csv", folder / "pool.csv"
    for path, headers, rows in ((roster, HEADERS, roster_rows), (pool, POOL_HEADERS, pool_rows)):
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(headers)
            w.writerows(rows)
    return roster, pool


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--keep-files", type=Path, default=None, help="write the generated files here and keep them")
    args = ap.parse_args()
    folder = args.keep_files or Path(tempfile.mkdtemp(prefix="suggest-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    roster, pool = generate(folder)
    rows = sum(1 for _ in roster.open(encoding="utf-8")) - 1
    people = sum(1 for _ in pool.open(encoding="utf-8")) - 1
    cmd = [sys.executable, "-m", "vetting", "suggest", str(roster), "--reserve", str(pool), "--as-of", AS_OF.isoformat(),
           "-f", "json", "--time-limit", str(args.time_limit)]
    times, doc, outputs = [], None, set()
    for _ in range(args.runs):
        started = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - started)
        if res.returncode not in (0, 1):
            sys.exit(f"vetting suggest failed ({res.returncode}):\n{res.stderr}")
        outputs.add(res.stdout)
        doc = json.loads(res.stdout)
    assert doc is not None
    actions: dict[str, int] = {}
    for c in doc["changes"]:
        actions[c["action"]] = actions.get(c["action"], 0) + 1
    print(f"roster rows: {rows}, units: 300, pool: {people}")
    print(f"runs: {args.runs}; wall time median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})")
    print(f"status: {doc['status']}, gap: {doc['gap']}; changes: {len(doc['changes'])} {actions}")
    print(f"targets failing before: {len(doc['targets'])}, unmet after: {len(doc['unmet'])}; "
          f"pool people excluded or unusable: {len(doc['excluded_pool'])}")
    print(f"identical output across runs: {len(outputs) == 1}")
    if args.keep_files is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
