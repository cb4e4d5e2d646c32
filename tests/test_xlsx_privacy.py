"""The annotated workbook's roster copy is masked unless --show-pii (cli.md, Personal data)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from vetting.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "二七区两委换届拟任人选.xlsx"
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def all_text(path: Path) -> list[str]:
    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append(str(c.value))
                if c.comment is not None:
                    out.append(c.comment.text)
    return out


def source_values(header: str) -> list[str]:
    wb = load_workbook(EXAMPLE)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=1, max_row=6):
        for c in row:
            if c.value == header:
                return [str(x.value) for x in ws[c.column_letter][c.row:] if x.value not in (None, "", "无", "否")]
    raise AssertionError(header)


def lint_xlsx(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "report.xlsx"
    r = runner.invoke(app, ["lint", str(EXAMPLE), "--as-of", "2021-01-10", "-f", "xlsx", "-o", str(out), *extra])
    assert r.exit_code == 1, r.output
    return out


def test_the_copy_masks_ids_phones_and_records(tmp_path: Path) -> None:
    text = "\n".join(all_text(lint_xlsx(tmp_path)))
    assert FULL_ID.findall(text) == []
    assert PHONE.findall(text) == []
    records = source_values("受过刑事处罚")
    assert records and not any(r in text for r in records)
    assert "410103********" in text
    assert "有记录，内容已隐去" in text


def test_the_copy_keeps_colours_and_comments_at_the_same_cells(tmp_path: Path) -> None:
    masked = load_workbook(lint_xlsx(tmp_path)).worksheets[0]
    (tmp_path / "full").mkdir()
    full = load_workbook(lint_xlsx(tmp_path / "full", "--show-pii")).worksheets[0]
    cells = [f["location"]["cell"] for f in json.loads(runner.invoke(app, [
        "lint", str(EXAMPLE), "--as-of", "2021-01-10", "--select", "TN02,DQ001,DQ003", "-f", "json"]).stdout)["findings"]]
    for coord in cells:
        assert masked[coord].fill.fgColor.rgb == full[coord].fill.fgColor.rgb != "00000000"
        assert masked[coord].comment is not None and full[coord].comment is not None
    tn02 = cells[[c[0] for c in cells].index("W")]
    assert masked[tn02].value != full[tn02].value  # the record's text is hidden, the cell stays


def test_show_pii_keeps_a_faithful_copy(tmp_path: Path) -> None:
    text = "\n".join(all_text(lint_xlsx(tmp_path, "--show-pii")))
    ids = source_values("公民身份号码")
    assert sum(i in text for i in ids) >= len(ids) - 5
    assert any(r in text for r in source_values("受过刑事处罚"))
