"""Benchmark: the joint review's merge at county scale (spec/review.md "Quality bar").

    python benchmarks/review_merge.py                       # 5,000 people x 12 departments
    python benchmarks/review_merge.py --people 1000 --repeat 1

Generates (deterministically, under benchmarks/data/review/) a roster of about 5,000 people
(`benchmarks/generate.py`, an xlsx with a title row) and one return per department of the
national policy, as departments send them: their own workbook with a title row, `核查单位：…`
above the header, a renamed ID header, one row per person (60,000 return rows for 12
departments), about 2% of them answering 有 with a description or a date, the rest 无. Then
times the whole command, as a clerk runs it (wall time and the CPU time it used):

    vetting review merge ROSTER RETURNS/ -o MERGED.xlsx --as-of 2021-01-10

(reading the roster and the returns, the merge, linting the merged roster, writing MERGED.xlsx
with the ledger sheets), `--repeat` times, and prints the median and every run.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HIT_TEXT = {
    "flag_text": "2016年因故意伤害被处理",
    "text": "2019年受党内警告处分",
    "flag": "是",
    "date": "2019.06",
    "year": "2019",
}


def generate(people: int, out: Path, seed: int) -> tuple[Path, Path, int]:
    from openpyxl import Workbook

    from benchmarks.generate import main as generate_roster
    from vetting.policy.resolve import load_policies
    from vetting.review.people import roster_people
    from vetting.roster.load import load_roster

    out.mkdir(parents=True, exist_ok=True)
    roster = out / f"roster-{people}.xlsx"
    if not roster.exists():
        generate_roster(["--rows", str(people), "--out", str(roster), "--seed", str(seed)])
    pol = load_policies(["national"])
    assert pol.review is not None
    ppl = roster_people(load_roster([roster], fields=pol.fields.values())).people
    returns = out / f"returns-{people}"
    returns.mkdir(exist_ok=True)
    rows = 0
    rnd = random.Random(seed)
    for d in pol.review.departments:
        path = returns / f"联审-1-{d.name}.xlsx"
        fields = [pol.fields[k] for k in d.answers]
        rows += len(ppl)
        if path.exists():
            continue
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("核查结果")
        ws.append([f"{d.name}关于村(社区)“两委”换届人选的核查情况"])
        ws.append([f"核查单位：{d.name}", None, None, "文号：联审〔2021〕1号"])
        ws.append(["序号", "姓名", "公民身份号码", *(f.aliases[0] if f.aliases else f.header for f in fields), "核查意见", "备注"])
        for i, p in enumerate(ppl, start=1):
            hit = rnd.random() < 0.02
            answers: list[object] = ["无"] * len(fields)
            if hit:
                j = rnd.randrange(len(fields))
                answers[j] = HIT_TEXT.get(fields[j].type, "有")
                if fields[j].type in ("term_rating", "assessment", "percent"):
                    answers[j] = {"term_rating": "称职", "assessment": "合格", "percent": "85%"}[fields[j].type]
            ws.append([i, p.name, p.id, *answers, "有" if hit else "无", None])
        ws.append([])
        ws.append(["填表人：某某某"])
        wb.save(path)
    return roster, returns, rows


def arguments(doc: str) -> argparse.ArgumentParser:
    """The options of the joint-review benchmarks (this one and review_requests.py)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20210110)
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data" / "review")
    return ap


def main(argv: list[str] | None = None) -> int:
    a = arguments(__doc__ or "").parse_args(argv)
    roster, returns, rows = generate(a.people, a.data, a.seed)
    merged = a.data / f"merged-{a.people}.xlsx"
    cmd = [sys.executable, "-m", "vetting", "review", "merge", str(roster), str(returns), "-o", str(merged),
           "-f", "json", "--fail-on", "never", "--as-of", "2021-01-10"]
    from benchmarks.timing import repeat, summary

    runs = repeat(cmd, a.repeat)
    print(f"review merge: {a.people} roster rows, {len(list(returns.iterdir()))} returns, {rows} return rows")
    print(summary(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
