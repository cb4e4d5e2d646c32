"""The joint review (联审) on the page of `vetting serve`, without a browser (Starlette's test
client; the checks run in the real worker process): returns uploaded with the roster and merged
as `vetting lint --returns` merges them, their reading before the check (department, round, or
the file and row of what is wrong), and the 联审 downloads (requests, ledger, merged roster,
forms) compared with what the command line's functions write for the same files."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest

pytest.importorskip("starlette", reason="vetting serve needs the web extra")
from starlette.testclient import TestClient  # noqa: E402

from tests.test_serve import EXAMPLE, ORIGIN, ROOT, check, client, session, store  # noqa: E402,F401

RETURNS = ROOT / "examples" / "review" / "returns"
AS_OF = dt.date(2021, 1, 10)
MASKED = re.compile(r"\d{6}\*{8}[\dX]{4}")


def returns_files() -> list[tuple[str, tuple[str, bytes]]]:
    return [("returns", (p.name, p.read_bytes())) for p in sorted(RETURNS.iterdir())]


def roster_file() -> tuple[str, tuple[str, bytes]]:
    return ("rosters", (EXAMPLE.name, EXAMPLE.read_bytes()))


def sheet_rows(path: Path | io.BytesIO, sheet: str | int = 0) -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet]
    return list(ws.iter_rows(values_only=True))


def test_returns_merged_before_the_check_and_every_review_download(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    import shutil

    from vetting import api
    from vetting.review.workbook import write_ledger

    sid = session(client)
    hits = {"信访局-有问题人员.xlsx": "信访部门"}  # declared on the page as `--hits-only 信访部门=…`
    job = check(client, sid, [roster_file(), *returns_files()], hits_only=json.dumps(hits, ensure_ascii=False))
    assert job["state"] == "done", job

    # the figures are those of `vetting lint --returns … --hits-only 信访部门=…` (RV findings included)
    # (the files as the page has them: side by side under their own names, named so in messages)
    same = tmp_path / "same"
    shutil.copytree(RETURNS, same)
    shutil.copy(EXAMPLE, same)
    monkeypatch.chdir(same)
    roster = [Path(EXAMPLE.name)]
    plain = [Path(p.name) for p in sorted(RETURNS.iterdir()) if p.name not in hits]
    declared = [f"{d}={n}" for n, d in hits.items()]
    want = api.lint(roster, as_of=AS_OF, returns=plain, hits_only=declared)
    summary = job["summary"]["summary"]
    assert summary == {**want.counts(), "rows": want.rows, "people": want.people, "units": want.units}
    review = job["summary"]["review"]
    rv = Counter(f.code for f in want.findings if f.code.startswith("RV") and f.waiver is None)
    assert review["rv"] == dict(sorted(rv.items())) and rv  # the example's round: RV001 (待查) and RV004
    run = api.review(roster, plain, as_of=AS_OF, hits_only=declared)
    assert review["missing"] == run.ledger.missing_count == 2 and review["complete"] is False
    assert review["merged_cells"] == len(run.ledger.merge.cells) > 0
    got = {r["path"]: (r["department"], r["round"], r["rows"], r["hits_only"]) for r in review["returns"]}
    assert got["公安分局复函.xlsx"][:2] == ("公安机关", 1)
    assert got["联审-2-公安机关.xlsx"][:2] == ("公安机关", 2)
    assert got["信访局-有问题人员.xlsx"] == ("信访部门", 1, 1, True)
    assert len(got) == len(list(RETURNS.iterdir()))

    # the ledger: the same sheets as `vetting review merge … --ledger` writes, ID numbers masked
    ledger = client.get(f"/api/s/{sid}/jobs/1/download/ledger")
    assert ledger.status_code == 200
    assert ledger.headers["content-disposition"].endswith("''" + "%E8%81%94%E5%AE%A1%E5%8F%B0%E8%B4%A6-"
                                                         "%E4%BA%8C%E4%B8%83%E5%8C%BA%E4%B8%A4%E5%A7%94%E6%8D%A2%E5%B1%8A"
                                                         "%E6%8B%9F%E4%BB%BB%E4%BA%BA%E9%80%89.xlsx")
    cli = tmp_path / "ledger.xlsx"
    write_ledger(run.ledger, cli)
    page_book = openpyxl.load_workbook(io.BytesIO(ledger.content))
    cli_book = openpyxl.load_workbook(cli)
    assert page_book.sheetnames == cli_book.sheetnames and "联审台账" in page_book.sheetnames
    for name in cli_book.sheetnames:
        assert list(page_book[name].iter_rows(values_only=True)) == list(cli_book[name].iter_rows(values_only=True))
    rows = list(page_book["联审台账"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "序号")
    assert "公安机关" in header and "身份证号" in header and "结论" in header
    col = header.index("身份证号")
    people = [r for r in rows[rows.index(header) + 1:] if isinstance(r[0], int)]  # (notes follow the people)
    assert len(people) == len(run.ledger.entries)
    first = run.ledger.entries[0].person
    row = next(r for r in people if r[header.index("姓名")] == first.name)
    assert row[col] == first.id[:6] + "*" * 8 + first.id[-4:]
    assert all(MASKED.fullmatch(r[col]) for r in people)

    # the merged roster (full ID numbers, as `review merge -o` writes it: a roster to check again)
    merged = client.get(f"/api/s/{sid}/jobs/1/download/merged")
    assert merged.status_code == 200 and "联审台账" in openpyxl.load_workbook(io.BytesIO(merged.content)).sheetnames

    # the forms: one page a person with the summary page, names and IDs masked as `review forms`
    forms = client.get(f"/api/s/{sid}/jobs/1/download/forms")
    assert forms.status_code == 200 and forms.headers["content-type"].startswith("text/html")
    assert forms.text.count("资格审查表") >= len(run.ledger.entries)
    person = run.ledger.entries[0].person
    assert person.id not in forms.text and person.id[:6] in forms.text

    # the requests: one workbook per department, as `vetting review requests` writes them,
    # written when first asked for
    assert review["requests"] == {"round": 1, "departments": [d["name"] for d in review["departments"]]}
    made = client.post(f"/api/s/{sid}/jobs/1/requests", headers=ORIGIN)
    assert made.status_code == 200
    assert made.json()["done"]["people"] == 163 and "第15、53、109行" in made.json()["done"]["note"]
    assert made.json()["done"]["files"] == [f"联审-1-{d['name']}.xlsx" for d in review["departments"]]
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/api/s/{sid}/jobs/1/download/requests").content))
    assert sorted(z.namelist()) == sorted(f"联审-1-{d['name']}.xlsx" for d in review["departments"])
    assert len(review["departments"]) == 12 and all(d["requested"] == 163 for d in review["departments"])
    police = sheet_rows(io.BytesIO(z.read("联审-1-公安机关.xlsx")), "核查名单")
    example = sheet_rows(ROOT / "examples" / "review" / "requests" / "联审-1-公安机关.xlsx", "核查名单")
    assert police[2:] == example[2:]  # the same people and columns (the title rows carry the date and batch)
    head = police[2]
    assert head[:8] == ("序号", "县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "性别", "身份证号", "拟任职务")
    assert "刑事处罚" in head and "核查结论" in head
    assert re.fullmatch(r"\d{17}[\dX]", police[3][6])  # the department must identify the person

    # all of it in the zip of everything
    names = zipfile.ZipFile(io.BytesIO(client.get(f"/api/s/{sid}/jobs/1/download/zip").content)).namelist()
    stem = "二七区两委换届拟任人选"
    for want_name in (f"联审台账-{stem}.xlsx", f"合并后的名单-{stem}.xlsx", f"资格审查表-{stem}.html",
                      f"联审请求-{stem}/联审-1-法院.xlsx", f"标注名单-{stem}.xlsx"):
        assert want_name in names


def test_reading_the_returns_before_the_check(client: TestClient, caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:  # noqa: F811
    sid = session(client)
    url = f"/api/s/{sid}/returns"
    r = client.post(url, headers=ORIGIN, files=returns_files()[:3], data={"policy": "national"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True and "公安机关" in body["departments"]
    got = {x["path"]: (x["department"], x["round"], x["how"]) for x in body["returns"]}
    assert got == {"信访局-有问题人员.xlsx": ("信访部门", 1, "表头上方"), "公安分局复函.xlsx": ("公安机关", 1, "表头上方"),
                   "联审-1-乡镇(街道)党(工)委.xlsx": ("乡镇(街道)党(工)委", 1, "说明")}
    # a hits-only list declared on the page
    r = client.post(url, headers=ORIGIN, files=returns_files()[:1], data={"policy": "national", "hits_only": '{"信访局-有问题人员.xlsx": "信访局"}'})
    assert r.json()["returns"][0]["how"] == "--hits-only" and r.json()["returns"][0]["hits_only"] is True

    with caplog.at_level(logging.DEBUG):
        # a file that is no return: the same message as the command line, naming the file and its rows
        bad = "张三,410103198001011234\n李四,410103198001015678\n".encode("gbk")
        r = client.post(url, headers=ORIGIN, files=[("returns", ("公安局回复.csv", bad))], data={"policy": "national"})
        assert r.status_code == 422
        err = r.json()["error"]
        assert err["where"] == "公安局回复.csv" and err["file"] == "公安局回复.csv"
        assert "表头" in err["message"] and any(d.startswith("第 1 行") for d in err["details"])
        from vetting import api
        from vetting.errors import UserError

        (tmp_path / "公安局回复.csv").write_bytes(bad)
        with pytest.raises(UserError) as cli_error:
            api.lint([EXAMPLE], as_of=AS_OF, returns=[tmp_path / "公安局回复.csv"])
        assert err["message"] == cli_error.value.message

        # a department the policy does not know
        other = "核查单位：外星局\n姓名,身份证号,核查结论\n张三,410103198001011234,无\n".encode()
        r = client.post(url, headers=ORIGIN, files=[("returns", ("回复.csv", other))], data={"policy": "national"})
        assert r.status_code == 422 and "外星局" in r.json()["error"]["message"] and r.json()["error"]["where"] == "回复.csv"
        r = client.post(url, headers=ORIGIN, files=returns_files()[:1], data={"policy": "national", "hits_only": '{"信访局-有问题人员.xlsx": "外星局"}'})
        assert r.status_code == 422 and "外星局" in r.json()["error"]["message"]
    # nothing of a return reaches the server's log
    assert "张三" not in caplog.text and "410103" not in caplog.text

    # two files of the same name (from two folders): both are read
    court = RETURNS / "联审-1-法院.csv"
    r = client.post(url, headers=ORIGIN, data={"policy": "national"},
                    files=[("returns", (court.name, court.read_bytes())), ("returns", (court.name, court.read_bytes()))])
    assert r.status_code == 200 and [x["path"] for x in r.json()["returns"]] == [court.name, court.name]

    # refusals
    r = client.post(url, headers=ORIGIN, files=[("x", ("", b""))], data={"policy": "national"})
    assert r.status_code == 400 and "回复" in r.json()["error"]["message"]
    r = client.post(url, headers=ORIGIN, files=returns_files()[:1], data={"policy": "national", "hits_only": '{"没上传.xlsx": "法院"}'})
    assert r.status_code == 400 and "没上传.xlsx" in r.json()["error"]["message"]
    r = client.post(url, headers=ORIGIN, files=returns_files()[:1], data={"policy": "national", "hits_only": "法院"})
    assert r.status_code == 400
    r = client.post(url, headers=ORIGIN, files=returns_files()[:1], data={"policy": "nowhere"})
    assert r.status_code == 400
    assert client.post(url, headers={"Origin": "http://evil.example"}, files=returns_files()[:1]).status_code == 403


def test_a_bad_return_in_a_check_is_named(client: TestClient, store) -> None:  # noqa: F811
    sid = session(client)
    bad = b"a,b\n1,2\n"
    job = check(client, sid, [roster_file(), ("returns", ("法院回复.csv", bad))])
    assert job["state"] == "error"
    assert job["error"]["where"] == "法院回复.csv" and any(d.startswith("第 1 行") for d in job["error"]["details"])
    assert str(store.root) not in json.dumps(job, ensure_ascii=False)
    # the round of the requests, and its limits
    job = check(client, sid, [roster_file()], review_round="2")
    assert job["state"] == "done", job
    assert job["summary"]["review"]["requests"]["round"] == 2 and "returns" not in job["summary"]["review"]
    assert not (store.root / sid / f"check-{job['job']}" / ".out" / "requests.zip").exists()  # not before asked for
    names = zipfile.ZipFile(io.BytesIO(client.get(f"/api/s/{sid}/jobs/{job['job']}/download/requests").content)).namelist()
    assert names and all(n.startswith("联审-2-") for n in names)
    # a roster without a usable ID number: nobody to ask about, said as `review requests` says it
    header = "姓名,身份证号,乡镇(街道),村(社区),拟任职务\n张三,12345,城关镇,东村,村委会主任\n".encode()
    job = check(client, sid, [("rosters", ("名单.csv", header))])
    assert job["state"] == "done", job
    r = client.post(f"/api/s/{sid}/jobs/{job['job']}/requests", headers=ORIGIN)
    assert r.status_code == 422 and "没有可核查的人员" in r.json()["error"]["message"]
    assert client.get(f"/api/s/{sid}/jobs/{job['job']}/download/requests").status_code == 422
    assert client.get(f"/api/s/{sid}/jobs/{job['job']}/download/zip").status_code == 200  # the rest is there
    for wrong in ("0", "x", "100"):
        r = client.post(f"/api/s/{sid}/check", headers=ORIGIN, files=[roster_file()],
                        data={"policy": "national", "as_of": "2021-01-10", "review_round": wrong})
        assert r.status_code == 400 and "轮次" in r.json()["error"]["message"]


def test_every_download_of_a_check_opens_and_matches_the_command_line(client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    """serve.md's downloads (annotated workbook, HTML report, JSON, statistics workbook, the zip of
    all) each open, and hold what `vetting lint -f …` / `vetting stats -f xlsx` write."""
    from vetting import api
    from vetting.report import stats_xlsx

    sid = session(client)
    job = check(client, sid, [roster_file()])
    assert job["state"] == "done", job
    base = f"/api/s/{sid}/jobs/{job['job']}"
    got: dict[str, bytes] = {}
    for kind in ("xlsx", "html", "json", "stats", "zip"):
        r = client.get(f"{base}/download/{kind}")
        assert r.status_code == 200, kind
        got[kind] = r.content
    want = api.lint([EXAMPLE], as_of=AS_OF)
    # the statistics workbook: the same sheets and cells as `vetting stats -f xlsx`
    cli = tmp_path / "stats.xlsx"
    stats_xlsx.write(api.stats([EXAMPLE], as_of=AS_OF), cli)
    page_book, cli_book = openpyxl.load_workbook(io.BytesIO(got["stats"])), openpyxl.load_workbook(cli)
    assert page_book.sheetnames == cli_book.sheetnames
    for name in cli_book.sheetnames:
        assert list(page_book[name].iter_rows(values_only=True)) == list(cli_book[name].iter_rows(values_only=True))
    # the annotated workbook: the findings sheet lists every finding, IDs masked
    book = openpyxl.load_workbook(io.BytesIO(got["xlsx"]))
    findings = list(book["审查结果"].iter_rows(min_row=2, values_only=True))
    assert len(findings) == len(want.findings)
    # the HTML report is the page shown in the frame, with the same figures
    assert got["html"] == client.get(f"{base}/report").content
    assert got["html"].startswith(b"<!DOCTYPE html>") and f">{want.counts()['error']}<".encode() in got["html"]
    # the JSON
    assert json.loads(got["json"])["summary"]["error"] == want.counts()["error"]
    # the zip of all: each member opens
    z = zipfile.ZipFile(io.BytesIO(got["zip"]))
    for name in z.namelist():
        data = z.read(name)
        if name.endswith(".xlsx"):
            assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames
        elif name.endswith(".json"):
            assert json.loads(data)["summary"]
        else:
            assert name.endswith(".html") and data.startswith(b"<!DOCTYPE html>")
    assert z.read(f"结构统计-{EXAMPLE.stem}.xlsx") == got["stats"] and z.read(f"标注名单-{EXAMPLE.stem}.xlsx") == got["xlsx"]
