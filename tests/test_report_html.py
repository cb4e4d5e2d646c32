"""The HTML report: content, masking, escaping, no outside resources, and a headless Chromium
that loads the page, runs its script without errors and shows the summary figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as htmllib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.engine import LintResult, lint
from vetting.findings import Finding, Location, Measure, Severity, Subject, Waiver
from vetting.policy.resolve import load_policies
from vetting.report import ReportOptions
from vetting.report.html import render
from vetting.roster.load import load_roster
from vetting.testing import make_id

AS_OF = dt.date(2021, 1, 10)
HEADER = ["姓名", "身份证号", "性别", "出生日期", "学历", "乡镇(街道)", "村(社区)", "拟任党组织职务", "拟任村(居)委会职务"]
ID_BAD = make_id(dt.date(1985, 3, 8), 1, False)[:-1] + "0"  # wrong check character (DQ001)
if make_id(dt.date(1985, 3, 8), 1, False).endswith("0"):
    ID_BAD = ID_BAD[:-1] + "1"
HOSTILE = '<img src=x onerror="alert(1)">'


def roster_rows() -> list[list[object]]:
    """Two townships, three units; a malformed ID, a gender that disagrees with the ID, a
    hostile name (with a gender that disagrees with the ID); young and older members, several
    education levels."""
    people = [
        ("张三", ID_BAD, "男", "1985-03-08", "大专", "甲镇", "东村", "书记", "主任"),
        ("李四", make_id(dt.date(1990, 1, 2), 2, True), "男", "1990-01-02", "本科", "甲镇", "东村", "委员", "委员"),
        ("王五", make_id(dt.date(1975, 6, 1), 3, False), "男", "1975-06-01", "高中", "甲镇", "东村", None, "委员"),
        (HOSTILE, make_id(dt.date(1970, 2, 3), 4, True), "男", "1970-02-03", "初中", "甲镇", "西村", "书记", "主任"),
        ("赵六", make_id(dt.date(1995, 5, 5), 5, True), "女", "1995-05-05", "本科", "甲镇", "西村", "委员", None),
        ("钱七", make_id(dt.date(1980, 8, 8), 6, False), "男", "1980-08-08", "大专", "乙乡", "南村", "书记", "委员"),
        ("孙八", make_id(dt.date(1988, 9, 9), 7, True), "女", "1988-09-09", "中专", "乙乡", "南村", "委员", "主任"),
    ]
    rows: list[list[object]] = [["某县两委换届拟任人选"], list(HEADER)]
    return rows + [list(p) for p in people]


def build_result(tmp_path: Path, *, extra: bool = True, name: str = "roster.xlsx") -> LintResult:
    """Lint a generated roster (data-quality rules only, so the test does not depend on the
    policy rules being written now) and add a few findings of every shape a reporter meets."""
    path = make_xlsx(tmp_path / name, roster_rows(), merges=["A1:I1"])
    pol = load_policies(["national"])
    roster = load_roster([path], fields=pol.fields.values())
    result = lint(roster, pol, as_of=AS_OF, select=["DQ"])
    if not extra:
        return result
    src = roster.sources[0]
    qian = Subject(None, "乙乡", "南村", "钱七", make_id(dt.date(1980, 8, 8), 6, False), "p-qian")
    more = [
        # a person finding without a cell (a rule over several columns)
        Finding("ST001", Severity.WARNING, "结构目标", "unit", "书记未兼任主任", "南村书记未兼任村(居)委会主任",
                subject=qian, location=Location(src.path, src.sheet, 8, None, None), source="结构目标·一肩挑"),
        # a waived finding on the same person
        Finding("TN07", Severity.ERROR, "十不能", "person", "拉票贿选", "有拉票贿选行为",
                subject=qian, location=Location(src.path, src.sheet, 8, "姓名", "A8"), source="十不能 第7项",
                waiver=Waiver("经区委组织部研究同意", "某县委组织部", "2021-12-31")),
        # a township finding with a measure
        Finding("ST002", Severity.WARNING, "结构目标", "township", "“一肩挑”比例未达目标",
                "甲镇“一肩挑”比例1/2 = 50% < 90%，还需1人", subject=Subject(None, "甲镇"),
                location=Location(src.path, src.sheet), measure=Measure(1, 2, 0.5, 0.9, 1), source="结构目标·一肩挑比例"),
        # a unit finding
        Finding("EL004", Severity.ERROR, "班子构成", "unit", "村委会成员不足3人", "村民委员会拟任成员1人 < 3人",
                subject=Subject(None, "甲镇", "西村"), location=Location(src.path, src.sheet), source="村组法 第六条"),
    ]
    return dataclasses.replace(result, findings=[*result.findings, *more])


def summary_numbers(doc: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'<div class="big k-(\w+)"><b>(\d+)</b>', doc)}


# ------------------------------------------------------------------------------------------
# Content


def test_summary_codes_and_drill_down(tmp_path: Path) -> None:
    result = build_result(tmp_path)
    doc = render(result, ReportOptions())
    assert doc.startswith("<!DOCTYPE html>") and doc.rstrip().endswith("</html>")
    c = result.counts()
    assert c["error"] >= 2 and c["waived"] == 1
    nums = summary_numbers(doc)
    assert nums["error"] == c["error"] and nums["warning"] == c["warning"] and nums["info"] == c["info"]
    assert nums["waived"] == 1
    # rows / people / units as big numbers
    assert re.search(rf'<div class="big k-n"><b>{result.rows}</b><span>数据行', doc)
    assert re.search(rf'<div class="big k-n"><b>{result.people}</b><span>人', doc)
    assert re.search(rf'<div class="big k-n"><b>{result.units}</b><span>村\(社区\)', doc)
    for f in result.findings:
        assert f'data-code="{f.code}"' in doc, f.code
        assert htmllib.escape(f.message) in doc or f.code == "DQ001"
        assert f'id="rule-{f.code}"' in doc  # each rule explained once, linked from its findings
    # the drill-down: township > unit > person, with the names
    for name in ("甲镇", "乙乡", "东村", "西村", "南村", "张三", "钱七"):
        assert f">{name}<" in doc, name
    assert doc.index('<span class="lname">甲镇</span>') < doc.index('<span class="lname">东村</span>')
    # the township's own finding sits at the township, before its units
    st002 = doc.index('data-code="ST002"')
    assert doc.index('<span class="lname">甲镇</span>') < st002 < doc.index('<span class="lname">东村</span>')
    # the waiver is shown; the rule's rationale and source are in the page
    assert "经区委组织部研究同意" in doc
    assert "GB 11643-1999" in doc


def test_charts_are_inline_svg(tmp_path: Path) -> None:
    doc = render(build_result(tmp_path), ReportOptions())
    assert doc.count("<svg") >= 5  # age, education, and three per-township shares
    assert "“两委”成员年龄分布" in doc and "“两委”成员学历" in doc
    assert "“一肩挑”比例（按乡镇）" in doc and "目标 90%" in doc  # one_shoulder_target of the national policy
    # 7 members; 35 and under: 张三 (35 on the day), 李四 (31), 赵六 (25), 孙八 (32)
    assert "35岁及以下 4 人，占 57.1%" in doc
    assert "大专及以上 4 人" in doc


def test_no_outside_resources(tmp_path: Path) -> None:
    doc = render(build_result(tmp_path), ReportOptions())
    assert "http://" not in doc and "https://" not in doc
    assert not re.search(r"<script[^>]*\bsrc\s*=", doc, re.I)
    assert not re.search(r"<link\b", doc, re.I)
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?(?:[a-z]+:)?//""", doc, re.I)
    assert "@import" not in doc and "url(" not in doc
    assert "Content-Security-Policy" in doc and "default-src 'none'" in doc


def test_personal_data_masked_and_escaped(tmp_path: Path) -> None:
    result = build_result(tmp_path)
    doc = render(result, ReportOptions())
    for f in result.findings:
        if f.subject.id_number:
            assert f.subject.id_number not in doc
    assert ID_BAD[:6] + "********" + ID_BAD[-4:] in doc
    assert HOSTILE not in doc and htmllib.escape(HOSTILE) in doc
    assert "<img" not in doc
    full = render(result, ReportOptions(show_pii=True))
    assert ID_BAD in full


def test_english(tmp_path: Path) -> None:
    doc = render(build_result(tmp_path), ReportOptions(lang="en"))
    assert '<html lang="en">' in doc and ">Findings<" in doc and ">errors<" in doc


def test_no_findings(tmp_path: Path) -> None:
    result = build_result(tmp_path, extra=False)
    result = dataclasses.replace(result, findings=[])
    doc = render(result, ReportOptions())
    assert "未发现问题" in doc and summary_numbers(doc)["error"] == 0


def test_cli_writes_html(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", roster_rows(), merges=["A1:I1"])
    out = tmp_path / "report.html"
    r = CliRunner().invoke(app, ["lint", str(path), "--select", "DQ", "--as-of", "2021-01-10", "-f", "html", "-o", str(out)])
    assert r.exit_code == 1, r.output
    assert 'data-code="DQ001"' in out.read_text(encoding="utf-8")
    r = CliRunner().invoke(app, ["lint", str(path), "--select", "DQ", "-f", "html", "--as-of", "2021-01-10"])
    assert r.stdout.startswith("<!DOCTYPE html>")


# ------------------------------------------------------------------------------------------
# In a real browser


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("chromium is not installed: the HTML report is tested in headless Chromium. "
                    "Install it with `apt-get update && apt-get install -y chromium`.")
    return exe


def dump_dom(page: Path, tmp_path: Path, fragment: str = "") -> tuple[str, str]:
    """Load the page in headless Chromium (no network) and return (DOM after scripts, log)."""
    profile = tmp_path / f"chromium-profile{len(list(tmp_path.glob('chromium-profile*')))}"
    profile.mkdir()
    cmd = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        "--enable-logging=stderr", "--v=0", "--dump-dom", page.resolve().as_uri() + fragment,
    ]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout, p.stderr


def test_page_runs_in_chromium_without_errors(tmp_path: Path) -> None:
    result = build_result(tmp_path)
    page = tmp_path / "report.html"
    page.write_text(render(result, ReportOptions()), encoding="utf-8")
    dom, log = dump_dom(page, tmp_path)
    body = re.search(r"<body[^>]*>", dom)
    assert body, dom[:500]
    assert 'data-ready="1"' in body.group(0), body.group(0)
    assert "data-error" not in body.group(0), body.group(0)
    assert "Uncaught" not in log and not re.search(r"CONSOLE.*(?:Error|error)", log), log[-2000:]
    nums = summary_numbers(dom)
    c = result.counts()
    assert (nums["error"], nums["warning"], nums["info"], nums["waived"]) == (c["error"], c["warning"], c["info"], c["waived"])
    assert "<svg" in dom


def test_filter_from_the_address(tmp_path: Path) -> None:
    """`report.html#code=DQ001` opens the page filtered: only DQ001 findings stay visible."""
    result = build_result(tmp_path)
    page = tmp_path / "report.html"
    page.write_text(render(result, ReportOptions()), encoding="utf-8")
    dom, _ = dump_dom(page, tmp_path, "#code=DQ001")
    assert "data-error" not in re.search(r"<body[^>]*>", dom).group(0)  # type: ignore[union-attr]
    items = re.findall(r'<div class="f [^"]*" data-code="(\w+)"[^>]*?(hidden="")?>', dom)
    assert items
    for code, hidden in items:
        assert bool(hidden) == (code != "DQ001"), (code, hidden)
    n = sum(1 for f in result.findings if f.code == "DQ001")
    assert f'<b id="nshown">{n}</b>' in dom


def test_without_the_roster(tmp_path: Path) -> None:
    """A result without its roster (e.g. built by another tool): findings still drill down."""
    result = dataclasses.replace(build_result(tmp_path), roster=None)
    doc = render(result, ReportOptions())
    assert "<svg" not in doc
    for name in ("甲镇", "东村", "张三"):
        assert f">{name}<" in doc
