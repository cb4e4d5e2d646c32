"""Golden outputs: what users see, byte for byte, for the example roster and the national policy.

Every rendered format of `vetting lint`, `vetting stats` in every format, `vetting rules`,
`vetting explain` for a few codes and the errors of a few broken policies are compared with the
files under tests/golden/. A refactor must leave them unchanged; a change on purpose is made with
`pytest tests/test_golden.py --update-golden`, and the diff of tests/golden/ is then the review.
Binary workbooks are compared through their cells (values and comments), sheet by sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vetting.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
ROSTER = "examples/二七区两委换届拟任人选.xlsx"
AS_OF = ["--as-of", "2021-01-10"]
# Variables that would change how rich renders (colour, width) are removed.
ENV = {"VETTING_PLAIN_ERRORS": "1", "COLUMNS": None, "LINES": None, "FORCE_COLOR": None,
       "NO_COLOR": None, "TERM": "dumb", "GITHUB_STEP_SUMMARY": None, "TTY_COMPATIBLE": None,
       "TTY_INTERACTIVE": None}


@dataclass(frozen=True)
class Case:
    name: str  # the golden file's name
    args: tuple[str, ...]
    exit_code: int
    capture: str = "stdout"  # stdout | stderr | file (the output written with -o) | xlsx


LINT = ("lint", ROSTER, *AS_OF)
CASES = [
    Case("lint.console.txt", LINT, 1),
    Case("lint.console.en.txt", (*LINT, "--lang", "en"), 1),
    Case("lint.console.statistics.txt", (*LINT, "--statistics"), 1),
    Case("lint.json", (*LINT, "-f", "json"), 1),
    Case("lint.en.json", (*LINT, "-f", "json", "--lang", "en"), 1),
    Case("lint.jsonl", (*LINT, "-f", "jsonl"), 1),
    Case("lint.sarif", (*LINT, "-f", "sarif"), 1),
    Case("lint.junit.xml", (*LINT, "-f", "junit"), 1),
    Case("lint.github.txt", (*LINT, "-f", "github"), 1),
    Case("lint.gitlab.json", (*LINT, "-f", "gitlab"), 1),
    Case("lint.html", (*LINT, "-f", "html"), 1),
    Case("lint.xlsx.txt", (*LINT, "-f", "xlsx", "-o", "{out}.xlsx"), 1, "xlsx"),
    Case("lint.targets-example.json", (*LINT, "-p", "examples/targets-example.yaml", "-f", "json"), 1),
    Case("stats.console.txt", ("stats", ROSTER, *AS_OF), 0),
    Case("stats.unit.console.txt", ("stats", ROSTER, *AS_OF, "--by", "unit"), 0),
    Case("stats.json", ("stats", ROSTER, *AS_OF, "-f", "json"), 0),
    Case("stats.markdown.md", ("stats", ROSTER, *AS_OF, "-f", "markdown"), 0),
    Case("stats.xlsx.txt", ("stats", ROSTER, *AS_OF, "-f", "xlsx", "-o", "{out}.xlsx"), 0, "xlsx"),
    Case("rules.console.txt", ("rules",), 0),
    Case("rules.en.console.txt", ("rules", "--lang", "en"), 0),
    Case("rules.json", ("rules", "-f", "json"), 0),
    Case("rules.effective.json", ("rules", "-f", "json", "--effective"), 0),
    Case("rules.markdown.md", ("rules", "-f", "markdown"), 0),
    *(Case(f"explain.{code}.txt", ("explain", code), 0) for code in ("TN03", "EL010", "ST003", "DQ009", "DQ001")),
    Case("explain.TN07.en.txt", ("explain", "TN07", "--lang", "en"), 0),
    *(
        Case(f"error.{p.stem}.txt", ("rules", "-p", f"tests/golden/broken/{p.name}"), 2, "stderr")
        for p in sorted((GOLDEN / "broken").glob("*.yaml"))
    ),
    Case("error.unknown-code.txt", ("explain", "XX99"), 2, "stderr"),
]


def xlsx_as_text(path: Path) -> str:
    """Every sheet's non-empty cells as `A1<TAB>value` lines, comments as `A1<TAB>#comment`,
    filled cells as `A1<TAB>fill RRGGBB`."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    lines: list[str] = []
    for ws in wb.worksheets:
        lines.append(f"== sheet {ws.title}")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{cell.coordinate}\t{cell.value!r}")
                if cell.comment is not None:
                    lines.append(f"{cell.coordinate}\t#{cell.comment.text}")
                if cell.fill is not None and cell.fill.fill_type == "solid":
                    lines.append(f"{cell.coordinate}\tfill {cell.fill.fgColor.rgb}")
    return "\n".join(lines) + "\n"


def run(args: Sequence[str], tmp_path: Path) -> tuple[int, str, str]:
    out = str(tmp_path / "out")
    argv = [a.replace("{out}", out) for a in args]
    result = CliRunner().invoke(app, argv, env=ENV, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_golden(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    monkeypatch.chdir(ROOT)  # paths in the outputs are relative to the checkout
    code, stdout, stderr = run(case.args, tmp_path)
    assert code == case.exit_code, stderr
    if case.capture == "stdout":
        text = stdout
    elif case.capture == "stderr":
        text = stderr
    else:
        text = xlsx_as_text(tmp_path / "out.xlsx")
    golden = GOLDEN / case.name
    if update_golden:
        golden.write_text(text, encoding="utf-8")
        return
    assert golden.exists(), f"no golden file {golden.name}: run pytest --update-golden"
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, f"{case.name} differs from its golden file (pytest --update-golden rewrites it)"


def test_document_errors_are_data() -> None:
    """The same errors as error.typo-key.txt, compared as data (file, line, column, message)."""
    from vetting.errors import Problem, UserError
    from vetting.policy.operators import OPERATORS
    from vetting.policy.resolve import load_policies

    path = GOLDEN / "broken" / "typo-key.yaml"
    with pytest.raises(UserError) as e:
        load_policies([str(path)])
    shown = e.value.problems[0].path
    operators = "、".join(OPERATORS)
    assert e.value.problems == [
        Problem(shown, 6, 5, "缺少必填的键 'severity' / missing required key 'severity'"),
        Problem(shown, 11, 5, "未知的键 'severty'（是否应为 'severity'？） / unknown key 'severty' (did you mean 'severity'?)"),
        Problem(
            shown, 19, 30, "未知的键 'bellow'（是否应为 'below'？） / unknown key 'bellow' (did you mean 'below'?)",
            f"字段测试写作 {{field: 列名, 运算: 值}}，可用的运算：{operators} / a field test is {{field: KEY, OPERATOR:"
            f" VALUE}}; operators: {', '.join(OPERATORS)}",
        ),
    ]
    assert e.value.details == [str(p) for p in e.value.problems]


def test_policy_reference_errors_are_data() -> None:
    """The errors of error.wrong-type.txt as data: every misfit at its line and column."""
    from vetting.errors import UserError
    from vetting.policy.resolve import load_policies

    with pytest.raises(UserError) as e:
        load_policies([str(GOLDEN / "broken" / "wrong-type.yaml")])
    assert [(p.line, p.column, p.message.split(" / ")[-1]) for p in e.value.problems] == [
        (12, 24, "operator does not fit the field type"),
        (19, 30, "not a level name"),
        (26, 36, "operator does not fit the field type"),
    ]
