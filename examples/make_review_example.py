"""Write the example joint review (联审) round of 二七区 into examples/review/.

    python examples/make_review_example.py

It runs the steps a township clerk runs, with the example roster (examples/二七区两委换届拟任人选.xlsx,
made by make_example.py), and plays the departments in between:

1. `vetting review requests` writes one request workbook per department (requests/);
2. the departments answer (returns/), the way real ones do:
   - most fill in the request workbook: 核查结论 无 for everyone, 有 with a description for a
     few (their answers repeat the evidence already typed into the example roster);
   - 公安分局 sends its own workbook instead: a title row, `核查单位：…`, `文号：…` above the
     header, its own header names (公民身份号码, 违法犯罪记录, 核查意见);
   - 法院 sends a CSV saved by Excel on Chinese Windows (GBK), named 联审-1-法院.csv;
   - 信访局 lists only the people with something to report (核查方式：仅列有问题人员);
   - 纪委监委 fills its request but has not yet checked two people (核查结论 待查);
   - 公安机关 corrects one answer in a second round (联审-2-公安机关.xlsx);
3. `vetting review merge` writes the merged roster with its ledger (合并后的名单.xlsx).

Kept in a file of its own (not in make_example.py) so that the two change independently.
Everything is deterministic: the same roster gives the same answers.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ROSTER = HERE / "二七区两委换届拟任人选.xlsx"
OUT = HERE / "review"
REQUEST_DATE = "2021-01-04"
sys.path.insert(0, str(ROOT))


def _save(wb: Workbook, path: Path) -> None:
    """As the tool saves its requests: the same bytes each run (fixed dates inside the file)."""
    import datetime as dt

    from vetting.review.requests import save_reproducibly

    save_reproducibly(wb, path, dt.datetime(2021, 1, 7))


def vetting(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vetting", *args], cwd=ROOT, capture_output=True, text=True)


def roster_people() -> list[dict[str, str | None]]:
    """The example roster's people with the evidence typed into it (the departments' 'truth')."""
    from vetting.policy.resolve import load_policies
    from vetting.review.people import roster_people as people_of
    from vetting.roster.load import load_roster

    pol = load_policies(["national"])
    roster = load_roster([ROSTER], fields=pol.fields.values())
    f = roster.frame
    out = []
    for p in people_of(roster).people:
        i = p.rows[0]
        rec: dict[str, str | None] = {"id": p.id, "name": p.name}
        for key in pol.fields:
            name = f"{key}:raw"
            rec[key] = f[name][i] if name in f.columns else None
        out.append(rec)
    return out


def truth(rec: dict[str, str | None], key: str) -> str | None:
    v = rec.get(key)
    if v is None or v.strip() in ("", "无", "否", "没有", "/"):
        return None
    return v


def fill_request(path: Path, people: list[dict[str, str | None]], *, pending: set[str] = frozenset(), doc_no: str) -> None:
    from vetting.policy.resolve import load_policies

    pol = load_policies(["national"])
    wb = load_workbook(path)
    ws = wb["核查名单"]
    header = [c.value for c in ws[3]]
    by_header = {f.header: k for k, f in pol.fields.items()}
    by_id = {p["id"]: p for p in people}
    conc = header.index("核查结论") + 1
    for r in range(4, ws.max_row + 1):
        rec = by_id.get(ws.cell(r, 7).value)
        if rec is None:
            continue
        if rec["id"] in pending:
            ws.cell(r, conc, "待查")
            continue
        hit = False
        for j, h in enumerate(header, start=1):
            key = by_header.get(h)
            if key is None:
                continue
            v = truth(rec, key)
            if v is not None:
                ws.cell(r, j, v)
                hit = hit or key not in ("term_rating", "assessment", "recommendation_rate", "pledge_signed")
            elif key == "pledge_signed":
                ws.cell(r, j, "是")
        ws.cell(r, conc, "有" if hit else "无")
    notes = wb["说明"]
    for r in range(1, notes.max_row + 1):
        if notes.cell(r, 1).value == "回复文号":
            notes.cell(r, 2, doc_no)
        if notes.cell(r, 1).value == "回复日期":
            notes.cell(r, 2, "2021-01-07")
    _save(wb, path)


def police_own_workbook(path: Path, people: list[dict[str, str | None]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "核查结果"
    ws.append(["二七区公安分局关于村(社区)“两委”换届人选联审情况的复函"])
    ws.append(["核查单位：郑州市公安局二七分局", None, None, "文号：二公函〔2021〕5号"])
    ws.append(["序号", "姓名", "公民身份号码", "违法犯罪记录", "涉黑涉恶", "邪教", "违法信访", "受行政拘留时间", "核查意见"])
    for i, p in enumerate(people, start=1):
        vals = [truth(p, k) for k in ("criminal_record", "gang_involvement", "religion_cult_vice", "disturbance", "detention_date")]
        ws.append([i, p["name"], p["id"], *(v or "无" for v in vals), "有" if any(vals) else "无"])
    ws.append([])
    ws.append(["填表人：张警官", None, None, "审核人：李某"])
    _save(wb, path)


def court_gbk_csv(path: Path, people: list[dict[str, str | None]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["二七区人民法院联审核查情况"])
    w.writerow(["序号", "姓名", "身份证号码", "受过刑事处罚", "失信联合惩戒对象", "剥夺政治权利", "丧失行为能力", "核查结论"])
    for i, p in enumerate(people, start=1):
        vals = [truth(p, k) for k in ("criminal_record", "dishonest_debtor", "rights_deprived", "incapacity")]
        w.writerow([i, p["name"], p["id"], *(v or "无" for v in vals), "有" if any(vals) else "无"])
    path.write_bytes(buf.getvalue().encode("gbk"))


def petition_hits_only(path: Path, people: list[dict[str, str | None]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["核查单位：二七区信访局"])
    ws.append(["核查方式：仅列有问题人员"])
    ws.append(["姓名", "身份证号", "聚众闹事违法信访", "说明"])
    for p in people:
        v = truth(p, "disturbance")
        if v:
            ws.append([p["name"], p["id"], v, "经核实"])
    _save(wb, path)


def police_second_round(req2: Path, people: list[dict[str, str | None]], out: Path) -> None:
    """公安机关 answers the round-2 request; for one person it withdraws a detention it had
    reported in round 1 (a clerical error on its side)."""
    shutil.copy(req2, out)
    fill_request(out, people, doc_no="二公函〔2021〕9号")
    wb = load_workbook(out)
    ws = wb["核查名单"]
    header = [c.value for c in ws[3]]
    col = header.index("行政拘留时间") + 1
    conc = header.index("核查结论") + 1
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, col).value:
            ws.cell(r, col, "无")
            others = [ws.cell(r, j).value for j in range(9, conc) if j != col]
            ws.cell(r, conc, "有" if any(v not in (None, "无") for v in others) else "无")
            ws.cell(r, conc + 1, "第1轮所报行政拘留系误报，予以更正")
            break
    _save(wb, out)


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "returns").mkdir(parents=True)
    res = vetting("review", "requests", str(ROSTER), "-o", str(OUT / "requests"), "--date", REQUEST_DATE)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        return res.returncode
    people = roster_people()
    pending = {p["id"] for p in people[:2] if p["id"]}
    returns = OUT / "returns"
    for req in sorted((OUT / "requests").glob("联审-1-*.xlsx")):
        dept = req.stem.split("-", 2)[2]
        if dept in ("公安机关", "法院", "信访部门"):
            continue
        dest = returns / req.name
        shutil.copy(req, dest)
        fill_request(dest, people, pending=pending if dept == "纪检监察机关" else frozenset(), doc_no=f"{dept}函〔2021〕1号")
    police_own_workbook(returns / "公安分局复函.xlsx", people)
    court_gbk_csv(returns / "联审-1-法院.csv", people)
    petition_hits_only(returns / "信访局-有问题人员.xlsx", people)
    res = vetting("review", "requests", str(ROSTER), "-o", str(OUT / "requests"), "--round", "2",
                  "--departments", "公安机关", "--date", "2021-01-08")
    police_second_round(OUT / "requests" / "联审-2-公安机关.xlsx", people, returns / "联审-2-公安机关.xlsx")
    res = vetting("review", "merge", str(ROSTER), str(returns), "-o", str(OUT / "合并后的名单.xlsx"), "--fail-on", "never",
                  "--as-of", "2021-01-10")
    sys.stdout.write(res.stdout)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
    return res.returncode


if __name__ == "__main__":
    raise SystemExit(main())
