"""Hostile and malformed input: each case a fuzzer found, reduced to its minimal reproduction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.conftest import make_xlsx
from vetting.cli import app
from vetting.roster.load import load_roster
from vetting.testing import make_id

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "二七区两委换届拟任人选.xlsx"
ID1 = make_id(dt.date(1985, 3, 8), 1, False)
HEADER = ["姓名", "身份证号", "村(社区)"]


def lint(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["lint", *args, "--as-of", "2021-01-10"], env=env)


# -- merged ranges -----------------------------------------------------------------------------


def test_a_merge_on_blank_rows_below_the_data(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "m.xlsx", [HEADER, ["张三", ID1, "甲村"]], merges=["A5:B6"])
    assert load_roster([p]).frame["name"].to_list() == ["张三"]


def test_a_header_only_sheet_with_a_title_merge(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "h.xlsx", [["某县名单"], HEADER], merges=["A1:F1"])
    assert load_roster([p]).frame.height == 0


def test_a_sheet_after_deleting_columns_under_a_merge(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "d.xlsx", [["某县名单"], [*HEADER, "乡镇"], ["张三", ID1, "甲村", "镇"]], merges=["A1:D1", "D3:E4"])
    wb = load_workbook(p)
    wb.active.delete_cols(2)
    wb.active.move_range("A2:C3", cols=1)
    wb.save(p)
    r = lint(str(p), "-f", "json")
    assert r.exit_code in (0, 1, 2) and "Traceback" not in r.output


# -- ID numbers in any message -----------------------------------------------------------------


def test_an_id_number_typed_into_another_column_is_masked(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text(f"姓名,身份证号,出生日期,村(社区)\n张三,{ID1},410103196910253452XYZ,甲村\n", encoding="utf-8")
    for fmt in ("json", "console", "sarif", "github"):
        r = lint(str(p), "--select", "DQ003", "-f", fmt)
        assert "DQ003" in r.output
        assert "410103196910253452" not in r.output and "410103********3452" in r.output


# -- formulas and control characters -----------------------------------------------------------


def test_formulas_become_text_in_the_xlsx_report(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text(
        f"姓名,身份证号,村(社区),备注\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",{ID1},甲村,\"=cmd|' /C calc'!A0\"\n",
        encoding="utf-8",
    )
    out = tmp_path / "o.xlsx"
    lint(str(p), "-f", "xlsx", "-o", str(out))
    wb = load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(str(c.value).startswith("=cmd|") for c in cells)


def test_terminal_escapes_are_shown_escaped_on_the_console(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text(f"姓名,身份证号,村(社区),出生日期\n张\x1b[2J三,{ID1},甲\x1b]0;x\x07村,19\x1b[31m85\n", encoding="utf-8")
    r = lint(str(p), "--select", "DQ")
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "\\x1b" in r.stdout


# -- reproducible xlsx -------------------------------------------------------------------------


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", ["lint", "stats", "template"])
def test_xlsx_outputs_are_byte_identical(tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    outs = []
    for i in range(2):
        out = tmp_path / f"{i}.xlsx"
        if command == "template":
            args = ["template", str(out)]
        else:
            args = [command, str(EXAMPLE), "--as-of", "2021-01-10", "-f", "xlsx", "-o", str(out)]
        r = runner.invoke(app, args)
        assert out.exists(), r.output
        outs.append(_sha(out))
        time.sleep(1.1)  # a ZIP time has 2-second steps; a core.xml time 1-second ones
    assert outs[0] == outs[1]


def test_source_date_epoch_sets_the_document_times(tmp_path: Path) -> None:
    import zipfile

    out = tmp_path / "t.xlsx"
    runner.invoke(app, ["template", str(out)], env={"SOURCE_DATE_EPOCH": "1609459200"})
    core = zipfile.ZipFile(out).read("docProps/core.xml").decode()
    assert "2021-01-01T00:00:00Z" in core
    assert {zi.date_time for zi in zipfile.ZipFile(out).infolist()} == {(2021, 1, 1, 0, 0, 0)}


# -- console order ----------------------------------------------------------------------------


def test_the_console_follows_the_rosters_order(tmp_path: Path) -> None:
    rows = [["姓名", "身份证号", "乡镇(街道)", "村(社区)"]]
    for i, (town, unit) in enumerate([("马寨镇", "王庄村"), ("侯寨乡", "尖岗村"), ("马寨镇", "钱庄村")]):
        bad = make_id(dt.date(1980, 1, 1 + i), i, False)
        rows.append([f"人{i}", bad[:-1] + ("0" if bad[-1] != "0" else "1"), town, unit])
    r = lint(str(make_xlsx(tmp_path / "o.xlsx", rows)), "--select", "DQ001")
    heads = [ln.strip() for ln in r.stdout.splitlines() if "›" in ln]
    assert heads == ["马寨镇 › 王庄村", "马寨镇 › 钱庄村", "侯寨乡 › 尖岗村"]


# -- a stray quote in a CSV row ----------------------------------------------------------------


def test_a_stray_quote_swallows_nothing(tmp_path: Path) -> None:
    src = (ROOT / "examples" / "二七区两委换届拟任人选.csv").read_bytes().decode("gb18030")
    lines = src.split("\n")
    k = 20  # a data line: its 县 cell opens a quote that is never closed
    cells = lines[k].split(",")
    cells[1] = '"' + cells[1]
    lines[k] = ",".join(cells)
    p = tmp_path / "stray.csv"
    p.write_bytes("\n".join(lines).encode("gb18030"))
    whole = json.loads(lint(str(ROOT / "examples" / "二七区两委换届拟任人选.csv"), "-f", "json", "--select", "DQ").stdout)
    r = lint(str(p), "-f", "json", "--select", "DQ", "--show-pii")
    doc = json.loads(r.stdout)
    assert doc["summary"]["rows"] == whole["summary"]["rows"] > 100  # every record read
    stray = [f for f in doc["findings"] if f["code"] == "DQ003" and "引号" in f["message"]]
    assert [f["location"]["row"] for f in stray] == [k + 1]
    for f in doc["findings"]:
        for v in f["subject"].values():
            assert v is None or ("\n" not in str(v) and len(str(v)) < 40), f
    # everything else is found as before
    others = sorted((f["code"], f["location"]["row"]) for f in doc["findings"] if f not in stray)
    assert others == sorted((f["code"], f["location"]["row"]) for f in whole["findings"])


def test_a_quoted_cell_with_line_breaks_is_still_one_cell(tmp_path: Path) -> None:
    p = tmp_path / "ml.csv"
    p.write_text(f'姓名,身份证号,村(社区),备注\n张三,{ID1},甲村,"第一行\n第二行"\n李四,{ID1},甲村,x\n', encoding="utf-8")
    roster = load_roster([p])
    assert roster.frame["name"].to_list() == ["张三", "李四"] and not [f for f in roster.findings if f.code == "DQ003"]


# -- workbooks that ask for too much memory ----------------------------------------------------


def _rewrite(p: Path, name: str, edit) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    with zipfile.ZipFile(p) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for i, data in items:
            z.writestr(i.filename, edit(data) if i.filename == name else data)


def test_one_cell_at_the_far_corner_is_refused_not_allocated(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "far.xlsx", [HEADER, ["张三", ID1, "甲村"]])
    wb = load_workbook(p)
    wb.active["XFD1048576"] = "x"
    wb.save(p)
    assert p.stat().st_size < 10_000
    r = lint(str(p))
    assert r.exit_code == 2 and "XFD1048576" in r.output and "far.xlsx" in r.output


def test_a_row_number_past_excel_is_refused(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "row.xlsx", [HEADER, ["张三", ID1, "甲村"]])
    _rewrite(p, "xl/worksheets/sheet1.xml", lambda d: d.replace(b'r="A2"', b'r="A99999999999"').replace(b'<row r="2"', b'<row r="99999999999"'))
    r = lint(str(p))
    assert r.exit_code == 2 and "99999999999" in r.output


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vetting.roster.readers import xlsx_guard

    p = make_xlsx(tmp_path / "bomb.xlsx", [HEADER, ["张三", ID1, "甲村"]])
    _rewrite(p, "xl/worksheets/sheet1.xml", lambda d: d.replace(b"</worksheet>", b"<!--" + b"A" * 30_000_000 + b"--></worksheet>"))
    assert p.stat().st_size < 200_000
    r = lint(str(p))
    assert r.exit_code == 2 and "压缩" in r.output
    monkeypatch.setattr(xlsx_guard, "MAX_XLSX_BYTES", 1000)
    r = lint(str(make_xlsx(tmp_path / "ok.xlsx", [HEADER, ["张三", ID1, "甲村"]])))
    assert r.exit_code == 2 and "上限" in r.output and "VETTING_MAX_XLSX_MB" in r.output


def test_a_formatted_but_empty_far_cell_is_fine(tmp_path: Path) -> None:
    from openpyxl.styles import Font

    p = make_xlsx(tmp_path / "fmt.xlsx", [HEADER, ["张三", ID1, "甲村"]])
    wb = load_workbook(p)
    wb.active["XFD20"].font = Font(bold=True)
    wb.save(p)
    assert lint(str(p), "-f", "json").exit_code in (0, 1)


# -- names in CI formats -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "gitlab"])
def test_ci_formats_mask_every_name_in_messages(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"o.{fmt}"
    r = lint(str(EXAMPLE), "--select", "EL010,EL008,EL009", "-f", fmt, "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert r.exit_code == 1
    for name in ("刘国栋", "杨巧玲", "刘松涛", "陈广辉", "杜金凤"):
        assert name not in text, (fmt, name)
    assert "刘*栋" in text


# -- very wide rows -----------------------------------------------------------------------------


def test_trailing_empty_cells_do_not_widen_the_table(tmp_path: Path) -> None:
    p = tmp_path / "wide.csv"
    p.write_text(f"姓名,身份证号,村(社区)\n张三,{ID1},甲村" + "," * 100_000 + "\n李四,{ID1},乙村\n".replace("{ID1}", ID1), encoding="utf-8")
    roster = load_roster([p])
    assert roster.frame["name"].to_list() == ["张三", "李四"] and roster.frame["unit"].to_list() == ["甲村", "乙村"]
    assert roster.sources[0].extra_columns == []


def test_trailing_empty_cells_on_a_later_line(tmp_path: Path) -> None:
    # the first line is narrow (its width is all polars is told), a later one padded
    p = tmp_path / "wide.csv"
    p.write_text(f"姓名,身份证号,村(社区)\n张三,{ID1},甲村\n李四,{ID1},乙村" + "," * 100_000 + "\n王五,{ID1},丙村\n", encoding="utf-8")
    roster = load_roster([p])
    assert roster.frame["unit"].to_list() == ["甲村", "乙村", "丙村"] and roster.frame["_row"].to_list() == [2, 3, 4]
    assert roster.sources[0].extra_columns == []


def test_more_columns_than_the_limit_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "wide.csv"
    p.write_text(f"姓名,身份证号,村(社区)\n张三,{ID1},甲村" + ",x" * 1200 + "\n", encoding="utf-8")
    r = lint(str(p))
    assert r.exit_code == 2 and "1000" in r.output and "wide.csv" in r.output
