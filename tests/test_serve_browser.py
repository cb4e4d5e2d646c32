"""`vetting serve` end to end in Debian's chromium (selenium + chromium-driver, headless).

A person's path through the page: upload the example roster, choose policy and date, wait for
the report, read its figures, download the annotated workbook, fix the roster and check again,
upload a broken policy; and a server on another address refuses requests without its token.
The figures on the page are compared with the library's own result for the same files.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "二七区两委换届拟任人选.xlsx"
SCREENSHOT = ROOT / "docs" / "serve.png"
AS_OF = "2021-01-10"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


def _exe(*names: str) -> str:
    for n in names:
        found = shutil.which(n)
        if found:
            return found
    pytest.fail(f"{names[0]} is not installed: the page is tested in headless Chromium. "
                "Install it with `apt-get install -y chromium chromium-driver`.")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, host: str = "127.0.0.1", browser: Path | None = None):
        self.port = free_port(host)
        env = dict(os.environ)
        if browser is not None:  # the browser that `vetting serve` opens: a script that notes the address
            env["BROWSER"] = f"{browser} %s"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vetting", "serve", *(["--no-browser"] if browser is None else []),
             "--host", host, "--port", str(self.port), "--max-upload-mb", "5"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env,
        )
        assert self.proc.stdout is not None
        self.lines: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            m = re.search(r"(http://\S+)", line)
            if m:
                self.url = m.group(1)
                break
        else:
            pytest.fail("vetting serve did not start")
        if not hasattr(self, "url"):
            pytest.fail("vetting serve did not start: " + (self.proc.stderr.read() if self.proc.stderr else ""))
        self.base = f"http://{host}:{self.port}"

    def stop(self) -> str:
        self.proc.terminate()
        try:
            out, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        return "".join(self.lines) + out + err


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    s = Server()
    yield s
    # the server's private folder (found through a session of its own) is gone when it stops
    req = urllib.request.Request(s.base + "/api/session", method="POST", headers={"Origin": s.base})
    with urllib.request.urlopen(req, timeout=10) as r:
        sid = json.loads(r.read())["session"]
    folders = list(Path(tempfile.gettempdir()).glob(f"vetting-serve-*/{sid}"))
    assert len(folders) == 1 and folders[0].is_dir()
    log = s.stop()
    assert not folders[0].parent.exists()
    # Nothing of the roster reaches the console: no name, no ID number, no file content.
    assert "张" not in log and "410" not in log and "尖岗村" not in log, log


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[object]:
    opts = Options()
    opts.binary_location = _exe("chromium", "chromium-browser")
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1280,1400", "--lang=zh-CN"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "intl.accept_languages": "zh-CN,zh",
    })
    driver = webdriver.Chrome(service=Service(_exe("chromedriver")), options=opts)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait(driver: object, cond, timeout: float = 30):  # type: ignore[no-untyped-def]
    # (a list the page re-renders while it is read: read it again)
    return WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)).until(cond)


@functools.cache
def lint_result(path: Path):  # type: ignore[no-untyped-def]
    """What `vetting lint` finds in the same file (the same library calls)."""
    import datetime as dt

    from vetting import api

    return api.lint([path], as_of=dt.date.fromisoformat(AS_OF))


def library_figures(path: Path) -> dict[str, int]:
    r = lint_result(path)
    return {**r.counts(), "rows": r.rows, "people": r.people, "units": r.units}


def finding_keys(path: Path) -> set[str]:
    from vetting.findings import finding_keys as keys

    return set(keys(lint_result(path).findings))


def page_figures(driver) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {k: int(driver.find_element(By.ID, f"n-{k}").text)
            for k in ("error", "warning", "info", "waived", "rows", "people", "units")}


def run_check(driver, files: list[Path], job: int | None) -> None:  # type: ignore[no-untyped-def]
    """Check `files`; `job`: the number of the check in the page's session (None: the next one)."""
    before = driver.find_element(By.ID, "report").get_attribute("src") or ""
    driver.find_element(By.ID, "rosters").send_keys("\n".join(str(f) for f in files))
    Select(driver.find_element(By.ID, "policy")).select_by_value("national")
    date = driver.find_element(By.ID, "as-of")
    driver.execute_script(
        "arguments[0].value=arguments[1];arguments[0].dispatchEvent(new Event('change',{bubbles:true}))", date, AS_OF)
    driver.execute_script(  # every progress text the page shows, in order
        "window.seen=[];new MutationObserver(function(){var t=document.getElementById('ptext').textContent;"
        "if(window.seen[window.seen.length-1]!==t){window.seen.push(t);}})"
        ".observe(document.getElementById('ptext'),{childList:true,characterData:true,subtree:true});")
    driver.find_element(By.ID, "run").click()
    # the report frame of this check is shown
    def finished(d):  # type: ignore[no-untyped-def]
        if d.find_element(By.ID, "error").is_displayed():
            return "error"
        src = d.find_element(By.ID, "report").get_attribute("src") or ""
        return ((src.endswith(f"/jobs/{job}/report") if job is not None else src.endswith("/report") and src != before)
                and d.find_element(By.ID, "result").is_displayed() and d.find_element(By.ID, "run").is_enabled())

    assert wait(driver, finished) is True, driver.find_element(By.ID, "error").text


def test_check_download_fix_and_check_again(server: Server, browser, downloads: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = browser
    d.get(server.url)
    wait(d, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
    assert d.find_element(By.ID, "run").text == "开始检查"  # Chinese by default
    # the national policy sets no election date: the field starts empty for the user to fill
    assert d.find_element(By.ID, "as-of").get_attribute("value") == ""

    run_check(d, [EXAMPLE], 1)
    seen = d.execute_script("return window.seen")
    assert seen[0].startswith("正在上传") and seen[-1].startswith("完成，用时"), seen
    assert any(s.startswith(("排队等待", "正在读取并检查", "正在生成")) for s in seen), seen  # the check's stages
    expected = library_figures(EXAMPLE)
    assert page_figures(d) == expected
    assert d.find_element(By.ID, "verdict").text == f"未通过：{expected['error']} 个错误须修改后重新检查"

    # The report in the frame is the HTML report, with the same figures and masked ID numbers.
    d.switch_to.frame(d.find_element(By.ID, "report"))
    wait(d, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
    bigs = d.find_elements(By.CSS_SELECTOR, "#summary .big b")
    assert [int(b.text) for b in bigs] == [expected[k] for k in ("error", "warning", "info", "waived", "rows", "people", "units")]
    ids = [e.text for e in d.find_elements(By.CSS_SELECTOR, ".pid") if e.text]
    assert ids and all(re.fullmatch(r"\d{6}\*{8}[\dX]{4}", i) or "*" in i for i in ids)
    assert d.find_element(By.TAG_NAME, "body").get_attribute("data-error") is None
    d.switch_to.default_content()

    if os.environ.get("VETTING_UPDATE_SCREENSHOT"):  # the README's picture: VETTING_UPDATE_SCREENSHOT=1 pytest …
        d.execute_script("window.scrollTo(0, 0)")
        d.save_screenshot(str(SCREENSHOT))
    shot = tmp_path / "page.png"
    d.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # One click: the annotated workbook, opened with openpyxl.
    d.find_element(By.ID, "dl-xlsx").click()
    xlsx = wait(d, lambda d: next((p for p in downloads.glob("*.xlsx") if not p.name.endswith(".crdownload")), False))
    time.sleep(0.2)
    assert xlsx.name == "标注名单-二七区两委换届拟任人选.xlsx"
    # the same workbook as `vetting lint -f xlsx` writes (the same reporter, the same options) (the roster's copy and the findings)
    from vetting.report import ReportOptions
    from vetting.report import xlsx as xlsx_report

    cli = tmp_path / "cli.xlsx"
    xlsx_report.write(lint_result(EXAMPLE), ReportOptions(), cli)
    got, want = openpyxl.load_workbook(xlsx), openpyxl.load_workbook(cli)
    assert got.sheetnames == want.sheetnames
    for name in want.sheetnames[:2]:
        assert list(got[name].iter_rows(values_only=True)) == list(want[name].iter_rows(values_only=True))
    findings_sheet = got["审查结果"]  # (the roster workbook's own sheets come first: 拟任人选, 单位信息)
    rows = list(findings_sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(expected[k] for k in ("error", "warning", "info", "waived"))
    ids = [r[8] for r in rows if r[8]]
    assert ids and all(re.fullmatch(r"\d{6}\*{8}[\dX]{4}", i) for i in ids)  # ID numbers masked

    # Fix the roster (clear the cell of one error), check again: what changed since the last check.
    fixed_dir = tmp_path / "fixed"
    fixed_dir.mkdir()
    fixed = fixed_dir / EXAMPLE.name
    cell = next(f.location.cell for f in lint_result(EXAMPLE).findings if f.code.startswith("TN") and f.location.cell)
    wb = openpyxl.load_workbook(EXAMPLE)
    wb.worksheets[0][cell].value = None
    wb.save(fixed)
    pool = ROOT / "examples" / "二七区后备人选台账.xlsx"  # and ask for suggestions from the reserve pool
    d.find_element(By.ID, "more").click()
    d.find_element(By.ID, "reserve").send_keys(str(pool))
    run_check(d, [fixed], 2)
    assert page_figures(d) == library_figures(fixed)
    before, after = finding_keys(EXAMPLE), finding_keys(fixed)
    assert int(d.find_element(By.ID, "n-new").get_attribute("data-n")) == len(after - before)
    assert int(d.find_element(By.ID, "n-fixed").get_attribute("data-n")) == len(before - after) > 0
    assert d.find_element(By.ID, "run").text == "重新检查"
    plan = json.loads(d.execute_script(  # the plan as its download link gives it
        "return fetch(document.getElementById('dl-plan').href).then(function(r){return r.text();})"))
    assert d.find_element(By.ID, "suggest-summary").text == f"共 {len(plan['changes'])} 项调整；仍有 {len(plan['unmet'])} 项目标无法满足"
    assert plan["summary"] in d.find_element(By.ID, "suggest-text").get_attribute("textContent")

    # English on the page with one click.
    d.find_element(By.ID, "lang-en").click()
    assert d.find_element(By.ID, "run").text == "Check again"
    d.find_element(By.ID, "lang-zh").click()


def downloaded(driver, downloads: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = downloads / name
    wait(driver, lambda d: path.is_file() and not (downloads / (name + ".crdownload")).exists())
    time.sleep(0.2)
    return path


def test_returns_merged_and_the_review_downloads(server: Server, browser, downloads: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The joint review on the page: the departments' returns chosen with the roster, read at once
    (department, round), merged into the check; the 联审 requests and the ledger downloaded."""
    import datetime as dt
    import zipfile

    from vetting import api

    returns = sorted((ROOT / "examples" / "review" / "returns").iterdir())
    d = browser
    d.get(server.url)
    wait(d, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
    d.find_element(By.ID, "more").click()
    # a file that is no return: said at once, with its name and rows, as the command line says it
    bad = tmp_path / "公安局回复.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    d.find_element(By.ID, "returns").send_keys(str(bad))
    box = wait(d, lambda d: d.find_element(By.ID, "returns-status").find_elements(By.CSS_SELECTOR, ".error"))[0]
    assert "公安局回复.csv" in box.text and "找不到表头行" in box.text and "第 1 行" in box.text
    d.find_element(By.CSS_SELECTOR, "#returns-list li button.rm").click()  # removed: nothing left to read
    wait(d, lambda d: not d.find_elements(By.CSS_SELECTOR, "#returns-list li") and not d.find_element(By.ID, "returns-status").text)
    d.find_element(By.ID, "returns").send_keys("\n".join(str(p) for p in returns))
    status = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#returns-status.ok"))
    assert status.text == f"✓ {len(returns)} 份回复可以合并"
    items = {li.find_element(By.CLASS_NAME, "fname").text: li for li in d.find_elements(By.CSS_SELECTOR, "#returns-list li")}
    assert sorted(items) == sorted(p.name for p in returns)
    assert items["公安分局复函.xlsx"].find_element(By.CLASS_NAME, "rinfo").text.startswith("公安机关 · 第1轮 · 163行 · 识别自表头上方")
    # the 信访局's list of people with findings only, declared on the page (as --hits-only 信访部门=…)
    items["信访局-有问题人员.xlsx"].find_element(By.CLASS_NAME, "hits").click()

    def declared(d):  # type: ignore[no-untyped-def]
        li = next(li for li in d.find_elements(By.CSS_SELECTOR, "#returns-list li")
                  if li.find_element(By.CLASS_NAME, "fname").text == "信访局-有问题人员.xlsx")
        info = li.find_elements(By.CLASS_NAME, "rinfo")
        return bool(info) and "识别自页面勾选" in info[0].text and li
    li = wait(d, declared)
    assert Select(li.find_element(By.CLASS_NAME, "hits-dept")).first_selected_option.text == "信访部门"

    run_check(d, [EXAMPLE], None)
    # the figures are those of `vetting lint --returns … --hits-only 信访部门=…`, RV findings included
    same = tmp_path / "same"
    same.mkdir()
    for p in [EXAMPLE, *returns]:
        shutil.copy(p, same)
    here = os.getcwd()
    os.chdir(same)
    try:
        want = api.lint([Path(EXAMPLE.name)], as_of=dt.date.fromisoformat(AS_OF),
                        returns=[Path(p.name) for p in returns if not p.name.startswith("信访局")],
                        hits_only=["信访部门=信访局-有问题人员.xlsx"])
    finally:
        os.chdir(here)
    assert page_figures(d) == {**want.counts(), "rows": want.rows, "people": want.people, "units": want.units}
    rv = [f for f in want.findings if f.code.startswith("RV")]
    figures = d.find_element(By.ID, "review-figures")
    assert int(figures.get_attribute("data-rv-error")) == sum(f.severity.value == "error" for f in rv) > 0
    assert int(figures.get_attribute("data-rv-warning")) == sum(f.severity.value == "warning" for f in rv)
    assert figures.text.startswith("联审未完成：13 份回复，合并 ")
    shown = {li.get_attribute("data-code"): int(li.get_attribute("data-n")) for li in d.find_elements(By.CSS_SELECTOR, "#review-rv li")}
    assert shown == {c: sum(f.code == c for f in rv) for c in {f.code for f in rv}} and shown["RV001"] == 2
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in d.find_elements(By.CSS_SELECTOR, "#review-returns tbody tr")]
    assert ["联审-2-公安机关.xlsx", "公安机关", "2"] in [r[:3] for r in rows] and len(rows) == len(returns)

    # One click: the 联审 requests, one workbook per department, with full ID numbers (the
    # department must identify the person), as `vetting review requests` writes them.
    stem = EXAMPLE.stem
    d.find_element(By.ID, "dl-requests").click()
    z = zipfile.ZipFile(downloaded(d, downloads, f"联审请求-{stem}.zip"))
    assert wait(d, lambda d: d.find_element(By.ID, "requests-summary").text) == "联审请求：第1轮，12 个部门，各 163 人"
    assert len(z.namelist()) == 12 and "联审-1-法院.xlsx" in z.namelist()
    wb = openpyxl.load_workbook(io.BytesIO(z.read("联审-1-公安机关.xlsx")))
    assert wb.sheetnames == ["核查名单", "说明"]
    sheet = list(wb["核查名单"].iter_rows(values_only=True))
    assert sheet[1][0] == "核查单位：公安机关"
    head = sheet[2]
    assert head[:8] == ("序号", "县(市、区)", "乡镇(街道)", "村(社区)", "姓名", "性别", "身份证号", "拟任职务") and "刑事处罚" in head
    person = sheet[3]
    assert person[0] == 1 and person[4] and re.fullmatch(r"\d{17}[\dX]", person[6])

    # One click: the ledger, ID numbers masked as the command line masks them.
    d.find_element(By.ID, "dl-ledger").click()
    ledger = openpyxl.load_workbook(downloaded(d, downloads, f"联审台账-{stem}.xlsx"))
    rows = list(ledger["联审台账"].iter_rows(values_only=True))
    head = next(r for r in rows if r and r[0] == "序号")
    assert "公安机关" in head and "信访部门" in head and "结论" in head
    people = [r for r in rows[rows.index(head) + 1:] if isinstance(r[0], int)]
    mine = next(r for r in people if r[head.index("姓名")] == person[4] and r[head.index("村(社区)")] == person[3])
    assert mine[head.index("身份证号")] == person[6][:6] + "*" * 8 + person[6][-4:]
    assert mine[head.index("结论")] in ("通过", "不通过", "待定")
    assert all(re.fullmatch(r"\d{6}\*{8}[\dX]{4}", r[head.index("身份证号")]) for r in people)

    # the new labels have their English
    d.find_element(By.ID, "lang-en").click()
    assert d.find_element(By.ID, "dl-ledger").text == "Ledger 联审台账 (Excel)"
    assert d.find_element(By.ID, "review-figures").text.startswith("Review not complete: 13 returns")
    d.find_element(By.ID, "lang-zh").click()


def test_broken_policy_shows_its_line(server: Server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = browser
    bad = tmp_path / "我的政策.yaml"
    bad.write_text('policy: mine\nversion: "1"\nextends: national\nseverty: error\n', encoding="utf-8")
    d.get(server.url)
    wait(d, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
    Select(d.find_element(By.ID, "policy")).select_by_value("upload")
    d.find_element(By.ID, "policy-file").send_keys(str(bad))
    box = wait(d, lambda d: d.find_element(By.ID, "policy-status").find_elements(By.CSS_SELECTOR, ".error"))[0]
    assert "我的政策.yaml:4:1" in box.text and "severty" in box.text
    # checking with it says the same, and names no private folder
    d.find_element(By.ID, "rosters").send_keys(str(EXAMPLE))
    d.find_element(By.ID, "run").click()
    err = wait(d, lambda d: d.find_element(By.ID, "error").is_displayed() and d.find_element(By.ID, "error"))
    assert "我的政策.yaml:4:1" in err.text and "vetting-serve" not in err.text


def _get(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> int:
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


def test_another_host_needs_the_token(browser) -> None:  # type: ignore[no-untyped-def]
    s = Server("127.0.0.2")  # not the default: a token is printed and required
    try:
        token = s.url.split("token=", 1)[1]
        assert token and token in "".join(s.lines)
        assert _get(s.base + "/api/config") == 401
        assert _get(s.base + "/api/config?token=wrong") == 401
        assert _get(s.base + "/api/config", {"X-Vetting-Token": token}) == 200
        assert _get(s.base + "/api/config", {"X-Vetting-Token": token, "Host": "evil.example:80"}) == 421
        assert _get(s.base + "/api/session", {"X-Vetting-Token": token, "Origin": "http://evil.example"}, "POST") == 403
        d = browser
        d.get(s.base + "/")
        assert "需要访问令牌" in d.find_element(By.TAG_NAME, "h1").text
        d.get(s.url)  # the address printed on the console: the token becomes a cookie
        wait(d, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        assert "token" not in d.current_url
    finally:
        s.stop()


def test_default_server_refuses_other_hosts_and_origins(server: Server) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}/"  # loopback: no token
    assert _get(server.base + "/api/config") == 200
    assert _get(server.base + "/api/config", {"Host": f"rebound.example:{server.port}"}) == 421
    assert _get(server.base + "/api/session", {"Origin": "http://rebound.example"}, "POST") == 403
    assert _get(server.base + "/api/session", {"Sec-Fetch-Site": "cross-site"}, "POST") == 403
    assert _get(server.base + "/api/session", {"Origin": server.base}, "POST") == 200


def test_the_browser_opens_at_the_address(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', encoding="utf-8")
    script.chmod(0o755)
    s = Server("127.0.0.2", browser=script)
    try:
        deadline = time.monotonic() + 20
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text(encoding="utf-8").strip() == s.url and "?token=" in s.url
    finally:
        s.stop()
