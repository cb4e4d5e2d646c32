"""`vetting serve` without a browser: its API, uploads, private folders and guards (Starlette's
test client; the checks run in the real worker process). The browser tests are in
test_serve_browser.py."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

pytest.importorskip("starlette", reason="vetting serve needs the web extra")
from starlette.testclient import TestClient  # noqa: E402

from vetting.policy.resolve import load_policies  # noqa: E402
from vetting.serve.app import create_app  # noqa: E402
from vetting.serve.sessions import Store  # noqa: E402
from vetting.serve.uploads import safe_name  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "二七区两委换届拟任人选.xlsx"
BASE = "http://127.0.0.1:8765"
ORIGIN = {"Origin": BASE}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "private")


def client_for(store: Store, **kw: Any) -> TestClient:
    return TestClient(create_app(port=8765, store=store, **kw), base_url=BASE)


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with client_for(store) as c:
        yield c


def session(c: TestClient) -> str:
    r = c.post("/api/session", headers=ORIGIN)
    assert r.status_code == 200
    return str(r.json()["session"])


def finish(c: TestClient, sid: str, job: int) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        j = c.get(f"/api/s/{sid}/jobs/{job}").json()
        if j["state"] in ("done", "error"):
            return dict(j)
        time.sleep(0.1)
    raise AssertionError("the check did not finish")


def check(c: TestClient, sid: str, files: list[tuple[str, tuple[str, bytes]]], **fields: str) -> dict[str, Any]:
    data = {"policy": "national", "as_of": "2021-01-10", **fields}
    r = c.post(f"/api/s/{sid}/check", headers=ORIGIN, files=files, data=data)
    assert r.status_code == 200, r.text
    return finish(c, sid, r.json()["job"])


def library(paths: list[Path], waivers: Path | None = None) -> Any:
    """What `vetting lint` finds in the same files (the library API the command line calls)."""
    from vetting import api

    return api.lint(paths, as_of=dt.date(2021, 1, 10), waivers=waivers)


def test_safe_names() -> None:
    taken: set[str] = set()
    assert safe_name("../../etc/passwd", taken) == "passwd"
    assert safe_name("C:\\Users\\张\\名单.xlsx", taken) == "名单.xlsx"
    assert safe_name("名单.xlsx", taken) == "名单 (2).xlsx"
    assert safe_name(".request.json", taken) == "request.json"  # never one of the folder's own files
    assert safe_name("a\x00b\nc.csv", taken) == "a_b_c.csv"
    assert safe_name("..", taken) == "upload"


def test_check_with_waivers_and_every_download(client: TestClient, store: Store, tmp_path: Path) -> None:
    # (a 七不宜 warning: the 十不能 are hard bars that no waiver lifts)
    first = next(f for f in library([EXAMPLE]).findings if f.code.startswith("SQ") and f.subject.id_number)
    waivers = tmp_path / "豁免.yaml"
    waivers.write_text(
        f"waivers:\n  - codes: [{first.code}]\n    person: \"{first.subject.id_number}\"\n"
        "    reason: 经研究同意\n    approved_by: 区委组织部\n    expires: 2099-12-31\n", encoding="utf-8")
    sid = session(client)
    job = check(client, sid, [("rosters", (EXAMPLE.name, EXAMPLE.read_bytes())),
                              ("waivers", (waivers.name, waivers.read_bytes()))])
    assert job["state"] == "done", job
    want = library([EXAMPLE], waivers)
    assert job["summary"]["summary"] == {**want.counts(), "rows": want.rows, "people": want.people, "units": want.units}
    assert job["summary"]["summary"]["waived"] == 1
    assert job["summary"]["inputs"] == [{"path": EXAMPLE.name, "sheet": "拟任人选", "rows": 168}]

    # every output, each under a name a person recognises
    names = {
        "xlsx": "标注名单-二七区两委换届拟任人选.xlsx", "html": "审查报告-二七区两委换届拟任人选.html",
        "json": "审查结果-二七区两委换届拟任人选.json", "stats": "结构统计-二七区两委换届拟任人选.xlsx",
    }
    for kind, name in names.items():
        r = client.get(f"/api/s/{sid}/jobs/1/download/{kind}")
        assert r.status_code == 200
        assert r.headers["content-disposition"].endswith("''" + quote(name))
    doc = json.loads(client.get(f"/api/s/{sid}/jobs/1/download/json").content)
    assert doc["summary"] == job["summary"]["summary"]
    assert all("*" in f["subject"]["id_number"] for f in doc["findings"] if f["subject"]["id_number"])
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/api/s/{sid}/jobs/1/download/zip").content))
    # with the 联审 requests (one workbook per department of the policy, in a folder); no returns
    # were given, so no ledger, merged roster or forms
    requests = [n for n in z.namelist() if n.startswith("联审请求-二七区两委换届拟任人选/")]
    assert sorted(set(z.namelist()) - set(requests)) == sorted(names.values())
    assert len(requests) == 12 and "联审请求-二七区两委换届拟任人选/联审-1-公安机关.xlsx" in requests
    for kind in ("ledger", "merged", "forms"):
        assert client.get(f"/api/s/{sid}/jobs/1/download/{kind}").status_code == 404
    report = client.get(f"/api/s/{sid}/jobs/1/report")
    assert "sandbox allow-scripts" in report.headers["content-security-policy"]
    assert first.subject.id_number not in report.text  # masked as in `lint -f html`
    assert client.get(f"/api/s/{sid}/jobs/1/download/../../x").status_code == 404

    # the session's folder holds the uploads under their own names; ending it deletes it
    folder = store.root / sid
    assert (folder / "check-1" / EXAMPLE.name).is_file()
    assert client.post(f"/api/s/{sid}/end", headers=ORIGIN).json() == {"ended": True}
    assert not folder.exists()
    assert client.get(f"/api/s/{sid}/jobs/1").status_code == 410


def test_unreadable_roster_and_broken_policy_are_named(client: TestClient, store: Store) -> None:
    sid = session(client)
    job = check(client, sid, [("rosters", ("乡镇名单.xlsx", b"not a workbook"))])
    assert job["state"] == "error"
    err = job["error"]
    assert err["where"] == "乡镇名单.xlsx" and err["message"]
    assert str(store.root) not in json.dumps(job, ensure_ascii=False)

    bad = b'policy: mine\nversion: "1"\nextends: national\nseverty: error\n'
    r = client.post(f"/api/s/{sid}/policy", headers=ORIGIN, files=[("policy_file", ("我的政策.yaml", bad))])
    body = r.json()
    assert body["ok"] is False
    assert any(d.startswith("我的政策.yaml:4:1:") and "severty" in d for d in body["error"]["details"])
    job = check(client, sid, [("rosters", (EXAMPLE.name, EXAMPLE.read_bytes())), ("policy_file", ("我的政策.yaml", bad))],
                policy="upload")
    assert job["state"] == "error" and any("我的政策.yaml:4:1" in d for d in job["error"]["details"])
    assert not list((store.root / sid).glob("policy-*"))  # a policy checked on choosing is not kept

    good = b'policy: mine\nversion: "1"\nextends: national\nas_of: 2024-05-20\n'
    body = client.post(f"/api/s/{sid}/policy", headers=ORIGIN, files=[("policy_file", ("mine.yaml", good))]).json()
    departments = [d.name for d in load_policies(["national"]).review.departments]
    assert body == {"ok": True, "policy": {"name": "mine.yaml", "title": "mine", "version": "1", "as_of": "2024-05-20",
                                           "departments": departments}}


def test_refusals(store: Store, tmp_path: Path) -> None:
    with client_for(store, max_upload=10_000) as c:
        sid = session(c)
        r = c.post(f"/api/s/{sid}/check", headers=ORIGIN, files=[("rosters", ("big.csv", b"x" * 20_000))],
                   data={"policy": "national"})
        assert r.status_code == 413 and "0.01 MB" in r.json()["error"]["message"]
        assert not list((store.root / sid).iterdir())  # nothing of a refused upload is kept
        r = c.post(f"/api/s/{sid}/check", headers=ORIGIN, data={"policy": "national"}, files=[("x", ("", b""))])
        assert r.status_code == 400 and "名单" in r.json()["error"]["message"]
        r = c.post(f"/api/s/{sid}/check", headers=ORIGIN, files=[("rosters", ("a.csv", b"a"))], data={"policy": "../../etc"})
        assert r.status_code == 400
        assert c.post("/api/session", headers={"Origin": "http://evil.example"}).status_code == 403
        assert c.post("/api/session", headers={"Origin": "null"}).status_code == 403
        assert c.get("/api/config", headers={"Host": "evil.example:8765"}).status_code == 421
        assert c.get("/api/config", headers={"Host": "127.0.0.1:9999"}).status_code == 421
        page = c.get("/")
        assert page.status_code == 200 and "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["cache-control"] == "no-store"
    assert not store.root.exists()  # the server stopped: its private folder is gone


def test_token(store: Store) -> None:
    with client_for(store, host="0.0.0.0", token="s3cret") as c:
        assert c.get("/api/config").status_code == 401
        assert c.get("/api/config", headers={"X-Vetting-Token": "wrong"}).status_code == 401
        assert c.get("/api/config", headers={"X-Vetting-Token": "s3cret"}).status_code == 200
        first = c.get("/", follow_redirects=False)
        assert first.status_code == 401 and "令牌" in first.text
        r = c.get("/?token=s3cret", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "vetting-token-8765=s3cret" in cookie
        assert c.get("/api/config").status_code == 200  # the cookie now carries it
        assert c.post("/api/session", headers=ORIGIN).status_code == 200


def test_a_bug_is_logged_without_its_message(caplog: pytest.LogCaptureFixture) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Route

    from vetting.serve.security import Guard

    async def broken(request: Any) -> Any:
        raise ValueError("无法解析 张三 410103198001011234")

    guard = Guard(Starlette(routes=[Route("/x", broken)]), port=8765, hosts={"127.0.0.1"})
    with caplog.at_level("DEBUG"), TestClient(guard, base_url=BASE, raise_server_exceptions=False) as c:
        r = c.get("/x")
    assert r.status_code == 500
    assert "ValueError" in caplog.text and "test_serve.py" in caplog.text
    assert "张三" not in caplog.text and "410103" not in caplog.text


def test_a_roster_without_data_rows_is_said_on_the_page(client: TestClient) -> None:
    sid = session(client)
    header = "姓名,身份证号,乡镇(街道),村(社区),拟任职务\n".encode()
    job = check(client, sid, [("rosters", ("空名单.csv", header))])
    assert job["state"] == "done", job
    assert job["summary"]["summary"]["rows"] == 0
    assert job["summary"]["as_of"] == "2021-01-10"
    assert any("没有读到任何人员数据行" in n for n in job["summary"]["notices"])
    # without an election date the check stops and says how to give it (none is assumed)
    job = check(client, sid, [("rosters", ("空名单.csv", header))], as_of="")
    assert job["state"] == "error" and "--as-of" in job["error"]["hint"]


def test_command_line_errors() -> None:
    import socket

    from typer.testing import CliRunner

    from vetting.cli import app

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        r = CliRunner().invoke(app, ["serve", "--no-browser", "--port", str(port)])
    assert r.exit_code == 2 and f"端口 {port} 已被占用" in r.output
    r = CliRunner().invoke(app, ["serve", "--no-browser", "--port", "70000"])
    assert r.exit_code == 2 and "--port" in r.output


def test_suggestions_from_a_reserve_pool(client: TestClient) -> None:
    pytest.importorskip("highspy", reason="vetting suggest needs the suggest extra")
    from vetting import api
    from vetting.report.suggest import to_dict

    pool = ROOT / "examples" / "二七区后备人选台账.xlsx"
    sid = session(client)
    job = check(client, sid, [("rosters", (EXAMPLE.name, EXAMPLE.read_bytes())), ("reserve", (pool.name, pool.read_bytes()))])
    assert job["state"] == "done", job
    got = job["summary"]["suggest"]
    want = api.suggest([EXAMPLE], [pool], as_of=dt.date(2021, 1, 10))
    assert (got["changes"], got["unmet"]) == (len(want.changes), len(want.unmet))
    assert to_dict(want)["summary"] in got["text"]
    plan = json.loads(client.get(f"/api/s/{sid}/jobs/1/download/plan").content)
    assert plan["changes"] == to_dict(want)["changes"]
    slate = client.get(f"/api/s/{sid}/jobs/1/download/slate")
    assert slate.status_code == 200 and slate.content[:2] == b"PK"
    names = zipfile.ZipFile(io.BytesIO(client.get(f"/api/s/{sid}/jobs/1/download/zip").content)).namelist()
    assert "调整建议-二七区两委换届拟任人选.json" in names and "调整后名单-二七区两委换届拟任人选.xlsx" in names

    bad = check(client, sid, [("rosters", (EXAMPLE.name, EXAMPLE.read_bytes())), ("reserve", ("后备.xlsx", b"broken"))])
    assert bad["state"] == "done"  # the check stands; the pool's problem is shown with the suggestion
    assert bad["summary"]["suggest"]["error"]["where"] == "后备.xlsx"
    assert client.get(f"/api/s/{sid}/jobs/{bad['job']}/download/plan").status_code == 404


def test_a_unit_table(client: TestClient) -> None:
    from vetting import api

    roster = ROOT / "examples" / "二七区两委换届拟任人选.csv"  # a CSV has no 单位信息 sheet of its own
    units = ROOT / "examples" / "二七区单位信息.csv"
    sid = session(client)
    job = check(client, sid, [("rosters", (roster.name, roster.read_bytes())), ("units", (units.name, units.read_bytes()))])
    assert job["state"] == "done", job
    want = api.lint([roster], as_of=dt.date(2021, 1, 10), units=units)
    without = api.lint([roster], as_of=dt.date(2021, 1, 10))
    assert job["summary"]["summary"] == {**want.counts(), "rows": want.rows, "people": want.people, "units": want.units}
    doc = json.loads(client.get(f"/api/s/{sid}/jobs/1/download/json").content)
    assert sorted(f["code"] for f in doc["findings"]) == sorted(f.code for f in want.findings)
    assert sorted(f.code for f in want.findings) != sorted(f.code for f in without.findings)  # the table counts


def test_suggestions_use_the_uploaded_unit_table(client: TestClient) -> None:
    pytest.importorskip("highspy", reason="vetting suggest needs the suggest extra")
    from vetting import api
    from vetting.report.suggest import to_dict

    roster = ROOT / "examples" / "二七区两委换届拟任人选.csv"  # no 单位信息 sheet of its own
    units = ROOT / "examples" / "二七区单位信息.csv"
    pool = ROOT / "examples" / "二七区后备人选台账.xlsx"
    sid = session(client)
    job = check(client, sid, [("rosters", (roster.name, roster.read_bytes())), ("units", (units.name, units.read_bytes())),
                              ("reserve", (pool.name, pool.read_bytes()))])
    assert job["state"] == "done", job
    want = to_dict(api.suggest([roster], [pool], as_of=dt.date(2021, 1, 10), units=units))
    without = to_dict(api.suggest([roster], [pool], as_of=dt.date(2021, 1, 10)))
    plan = json.loads(client.get(f"/api/s/{sid}/jobs/1/download/plan").content)
    assert plan["changes"] == want["changes"] != without["changes"]
    assert "PR010" in {t["code"] for t in plan["targets"]}
