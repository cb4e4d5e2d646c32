"""Shared test helpers: fixture files are generated in tmp_path, never committed."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest


def make_xlsx(
    path: str | Path,
    rows: Sequence[Sequence[Any]],
    *,
    merges: Iterable[str] = (),
    sheet: str = "Sheet1",
    extra_sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None,
    number_formats: Mapping[str, str] | None = None,
) -> Path:
    """Write a workbook with openpyxl: `rows` from A1 (None = empty cell), `merges` as Excel
    ranges ("A1:H1"), further sheets after the first, optional number formats per cell."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    _fill(ws, rows)
    for rng in merges:
        ws.merge_cells(rng)
    for cell, fmt in (number_formats or {}).items():
        ws[cell].number_format = fmt
    for name, extra_rows in (extra_sheets or {}).items():
        _fill(wb.create_sheet(name), extra_rows)
    p = Path(path)
    wb.save(p)
    return p


def _fill(ws: Any, rows: Sequence[Sequence[Any]]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)


@pytest.fixture
def xlsx_factory(tmp_path: Path) -> Callable[..., Path]:
    """`xlsx_factory(rows, name="roster.xlsx", **kw)` -> a workbook in tmp_path."""

    def factory(rows: Sequence[Sequence[Any]], name: str = "roster.xlsx", **kw: Any) -> Path:
        return make_xlsx(tmp_path / name, rows, **kw)

    return factory


@pytest.fixture
def one_person_csv(tmp_path: Path) -> Path:
    """The smallest roster a run checks: one person, the required columns (start-up tests)."""
    path = tmp_path / "roster.csv"
    path.write_text(
        "姓名,身份证号,性别,乡镇(街道),村(社区),拟任党组织职务,拟任村(居)委会职务\n"
        "张三,11010519491231002X,男,某镇,甲村,书记,主任\n",
        encoding="utf-8",
    )
    return path


def pytest_configure(config: pytest.Config) -> None:
    """The parsed-policy cache (vetting/policy/cache.py) of the test run lives in a folder of
    its own, not in the user's cache; subprocesses inherit it."""
    import os
    import tempfile

    if "VETTING_CACHE_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="vetting-test-cache-")
        os.environ["VETTING_CACHE_DIR"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current outputs instead of comparing with them",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
