"""The raw text of flags, dates and numbers is held dictionary-encoded (pl.Categorical): the same
cells, tables, rosters and findings as reading everything as strings, on files with every kind
of oddity (title rows, edge spaces, full-width characters, blank-likes, notes rows, a repeated
column, GBK, both CSV paths, workbooks and records)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from vetting import engine
from vetting.findings import sort_findings
from vetting.policy.resolve import load_policies
from vetting.roster import load, readers, types
from vetting.roster.columns import BUILTIN_FIELDS, FieldSpec
from vetting.roster.headers import HeaderMatcher
from vetting.roster.readers import RawTable, read_table

AS_OF = dt.date(2021, 1, 10)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MATCHER = HeaderMatcher((*BUILTIN_FIELDS, FieldSpec(key="criminal_record", header="刑事处罚", type="flag_text")))

ODD_CSV = (
    "二七区村(社区)两委换届拟任人选资格审查表,,,,,,,\n"
    "序号,姓名,身份证号,村(社区),出生年月,是否现任,刑事处罚,出生年月,备用\n"
    "1,张三,410103198503081234,王村, 1985.03 ,是,,1985.03,x\n"
    "2,李四\u3000,41010319850308123X,王村,１９９０年１月,否,曾因盗窃被判处有期徒刑一年,,\n"
    ",,,,,,,,\n"
    "3,王五,410103199001011230,李村,/,\u3000是 ,无,,\n"
    ",,,,备注：出生年月按户籍填写,,,,\n"
    "4,赵六,410103197001011233,李村,1970-01-01,,是,,\n"
    "填表人：张某,,,,,,,,\n"
)


def _no_compact(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every column as strings (as before dictionary encoding)."""
    monkeypatch.setattr(types.FieldType, "compact", property(lambda self: False))


def _as_strings(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.Categorical).cast(pl.String))


def _kinds(t: RawTable) -> list[tuple[str, Any]]:
    return [(h, c.dtype if isinstance(c, pl.Series) else None) for h, c in zip(t.headers, t.columns, strict=True)]


def test_csv_compact_columns_on_both_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(ODD_CSV.encode("gb18030"))
    fast = read_table(path, matcher=MATCHER)
    with monkeypatch.context() as m:
        m.setattr(readers.csv, "_fast_path_ok", lambda *a: False)
        slow = read_table(path, matcher=MATCHER)
    with monkeypatch.context() as m:
        _no_compact(m)
        plain = read_table(path, matcher=MATCHER)
    assert fast == slow == plain  # the same cells, rows, notes
    # the field's first column is encoded; the repeated 出生年月 and unknown columns are not
    assert _kinds(fast) == _kinds(slow) == [
        ("序号", pl.String), ("姓名", pl.String), ("身份证号", pl.String), ("村(社区)", pl.String),
        ("出生年月", pl.Categorical), ("是否现任", pl.Categorical), ("刑事处罚", pl.Categorical),
        ("出生年月", pl.String), ("备用", pl.String),
    ]
    assert {k for _, k in _kinds(plain)} == {pl.String}
    births = fast.column_values(fast.headers.index("出生年月"))
    assert births == ["1985.03", "１９９０年１月", "/", "1970-01-01"]  # stripped, otherwise as written
    assert fast.column_values(fast.headers.index("是否现任")) == ["是", "否", "是", None]
    assert fast.rows == [3, 4, 6, 8]
    assert fast.notes == [(1, "二七区村(社区)两委换届拟任人选资格审查表"), (7, "备注：出生年月按户籍填写"), (9, "填表人：张某")]


def test_notes_row_found_in_any_column() -> None:
    frame = pl.DataFrame({
        "c0": ["1", None, None, "备注：x", None],
        "c1": pl.Series(["是", "审核人：李某", None, None, "否"], dtype=pl.Categorical),
        "c2": [None, "填表人：张某", None, None, "说明：y"],
    })
    rows = pl.Series([True, True, False, True, True])
    got = readers.common.note_rows([frame[c] for c in ("c0", "c1", "c2")], rows.arg_true())
    assert got.to_list() == [1, 3]  # (rows 1 and 3 of the five)


def test_csv_columns_to_strip_on_encoded_columns() -> None:
    f = pl.DataFrame({
        "c0": pl.Series(["是", " 否", None], dtype=pl.Categorical),
        "c1": pl.Series(["是", "否", None], dtype=pl.Categorical),
        "c2": ["a", "b\u3000", None],
    })
    assert readers.csv._columns_to_strip(f) == {"c0", "c2"}


def _roster(paths: list[Path]) -> load.Roster:
    policy = load_policies(["national"])
    return load.load_roster(paths, fields=policy.fields.values())


@pytest.mark.parametrize("name", ["二七区两委换届拟任人选.csv", "二七区两委换届拟任人选.xlsx", "odd.csv", "odd+records"])
def test_roster_and_findings_as_with_strings(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if name.startswith("odd"):
        odd = tmp_path / "odd.csv"
        odd.write_bytes(ODD_CSV.encode("gb18030"))
        paths = [odd]
        if name == "odd+records":  # a CSV and records together: their raw columns concatenated
            rec = tmp_path / "more.yaml"
            rec.write_text(
                "- {姓名: 钱七, 身份证号: '410103198001011237', 村(社区): 刘村, 出生年月: 1980.1, 是否现任: 是}\n"
                "- {name: 孙八, id_number: '410103198001011237', unit: 刘村, incumbent: 否, birth_date: 1980年1月}\n",
                encoding="utf-8",
            )
            paths.append(rec)
    else:
        paths = [EXAMPLES / name]
    policy = load_policies(["national"])
    encoded = _roster(paths)
    with monkeypatch.context() as m:
        _no_compact(m)
        plain = _roster(paths)
    assert encoded.frame.columns == plain.frame.columns
    assert _as_strings(encoded.frame).equals(plain.frame)
    assert "incumbent:raw" in encoded.frame.columns
    assert encoded.frame.schema["incumbent:raw"] == pl.Categorical
    assert encoded.frame.schema["name:raw"] == pl.String
    assert encoded.findings == plain.findings
    found = sort_findings(engine.evaluate(encoded, policy, as_of=AS_OF))
    with monkeypatch.context() as m:
        _no_compact(m)
        assert found == sort_findings(engine.evaluate(plain, policy, as_of=AS_OF))
    assert found


_TEXT_CELLS = [
    None, "", " ", "张三", " 张三\u3000", "／", "/", "—", "－", "无", "ＡＢ１２", "李（四）", "\u200b王五\u200b",
    "\ufeff", "\u3000\u3000", "a\x1c", "\x1c/\x1c", "１２３\u3000", "，", " — ", "赵\xa0六",
]


@pytest.mark.parametrize("rows", [1, 3000])
def test_text_columns_in_one_pass_as_cell_by_cell(rows: int) -> None:
    from vetting.roster import values

    raw = pl.Series("t", _TEXT_CELLS * rows, dtype=pl.String)
    got = load.text_series(raw)
    assert got.to_list() == [values.parse_text(v) for v in raw.to_list()]
    two_steps = load.clean_series(raw, text=True)
    assert got.to_list() == load._nulled(two_steps, load.blank_mask(two_steps, text=True)).to_list()
