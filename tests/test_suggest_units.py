"""`vetting suggest` with a unit table (单位信息): each body is held to its declared seats (PR010).

The roster is a workbook as townships keep it (a title row over the headers, the 拟任人选 sheet
and a 单位信息 sheet with its own title row); the pool is a CSV. 甲村 has nobody aged 35 or under
and its bodies are at their declared seats: without a unit table the plan adds a young person
(EL004's 3-7 allows it), with one it may only replace. 乙村 declares 6 村委会 seats and proposes
3: its party 委员 also stands for the 村委会 (交叉任职, no pool person needed) and the plan adds
two pool people (the earliest rows) and not the third, who could serve there too.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

pytest.importorskip("highspy")

from typer.testing import CliRunner  # noqa: E402

from tests.conftest import make_xlsx  # noqa: E402
from vetting.cli import app  # noqa: E402

from .suggest_gen import AS_OF, District  # noqa: E402

runner = CliRunner()
UNIT_HEADER = ["乡镇(街道)", "村(社区)", "党组织委员职数", "村(居)委会职数", "选举日期"]


def _district() -> tuple[District, dict[str, object]]:
    d = District()
    d.village("甲村", defect="noyoung")
    d.village("乙村")
    d.village("丙村")
    who = {
        "young_a": d.reserve(woman=False, age=29, unit="甲村"),
        "b1": d.reserve(woman=True, age=40, unit="乙村"),
        "b2": d.reserve(woman=False, age=44, unit="乙村"),
        "b3": d.reserve(woman=False, age=39, unit="乙村"),
    }
    return d, who


def _seats() -> list[list[object]]:
    # 甲村 and 丙村 at their seats (3 party posts, 3 村委会 posts); 乙村 declares 5 村委会 seats
    return [["城关镇", "甲村", 3, 3, AS_OF.isoformat()], ["城关镇", "乙村", 3, 6, "2021年1月10日"],
            ["城关镇", "丙村", 3, 3, AS_OF.isoformat()]]


def _workbook(tmp_path: Path, d: District, *, unit_sheet: bool = True) -> tuple[Path, Path]:
    roster_csv, pool = d.write(tmp_path)
    with roster_csv.open(encoding="utf-8") as fh:
        rows: list[list[object]] = [list(r) for r in csv.reader(fh)]
    width = len(rows[0])
    body = [["示例区两委换届拟任人选名单", *[None] * (width - 1)], *rows]
    extra = {}
    if unit_sheet:
        extra["单位信息"] = [["村(社区)换届基本情况表", None, None, None, None], UNIT_HEADER, *_seats()]
    path = make_xlsx(tmp_path / ("roster.xlsx" if unit_sheet else "roster_plain.xlsx"), body,
                     merges=[f"A1:{chr(ord('A') + width - 1)}1"], sheet="拟任人选", extra_sheets=extra)
    return path, pool


def _plan(*args: str) -> tuple[int, dict]:
    res = runner.invoke(app, ["suggest", *args, "-f", "json"])
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads(res.stdout)


def _changes(doc: dict) -> list[tuple[str, str, str | None]]:
    return [(c["action"], c["unit"]["unit"], c["post"]["committee"]) for c in doc["changes"]]


def _member(d: District, unit: str, party: str | None, committee: str | None) -> str:
    (m,) = [m for _, u, ms in d.units if u == unit for m in ms if (m.party, m.committee) == (party, committee)]
    return m.name


def _lint(*args: str) -> list[tuple[str, str]]:
    res = runner.invoke(app, ["lint", *args, "--as-of", AS_OF.isoformat(), "-f", "json"])
    assert res.exit_code in (0, 1), res.output
    return sorted((f["code"], f["subject"].get("unit") or "") for f in json.loads(res.stdout)["findings"])


def test_declared_seats_bound_the_adds_and_the_plan_lints_clean(tmp_path: Path) -> None:
    d, who = _district()
    roster, pool = _workbook(tmp_path, d)
    before = _lint(str(roster))
    assert ("PR010", "乙村") in before and ("ST003", "甲村") in before
    code, doc = _plan(str(roster), "--reserve", str(pool))
    assert code == 0, doc["unmet"]
    names: dict[str, list[tuple[str, str]]] = {c["unit"]["unit"]: [] for c in doc["changes"]}
    for c in doc["changes"]:
        names[c["unit"]["unit"]].append((c["action"], c["name"]))
    # 乙村: up to the declared 6 seats and no more: one 交叉任职 and two adds, the earliest pool rows
    assert sorted(names["乙村"]) == sorted([("also_stand", _member(d, "乙村", "委员", None)),
                                          ("add", who["b1"].name), ("add", who["b2"].name)])  # type: ignore[attr-defined]
    after_fig = {u["unit"]["unit"]: u for u in doc["after"]["units"]}
    assert after_fig["乙村"]["comm"] == 6 and after_fig["乙村"]["party"] == 3
    assert after_fig["甲村"]["comm"] == 3 and after_fig["甲村"]["party"] == 3
    # 甲村 is at its seats: the young person replaces a member instead of being added
    assert [a for a, _ in names["甲村"]] == ["replace"]
    assert names["甲村"][0][1] == who["young_a"].name  # type: ignore[attr-defined]
    assert "丙村" not in names
    pr010 = [t for t in doc["targets"] if t["code"] == "PR010"]
    assert [(t["group"], t["met"]) for t in pr010] == [("城关镇乙村", True)]
    assert "名单中村(居)委会拟任3人，职数6人" in pr010[0]["before"]
    fixes = {c["name"]: c["fixes"] for c in doc["changes"]}
    assert "PR010" in fixes[who["b1"].name]  # type: ignore[attr-defined]

    # the proposed slate, linted with the same unit table: no PR010, nothing new, targets met
    slate = tmp_path / "slate.xlsx"
    res = runner.invoke(app, ["suggest", str(roster), "--reserve", str(pool), "-f", "xlsx", "-o", str(slate)])
    assert res.exit_code == 0, res.output
    after = _lint(str(slate), "--units", str(roster))
    assert not [f for f in after if f[0] == "PR010"]
    assert not [f for f in after if f[0] in ("ST003", "EL004", "EL007")]
    assert set(after) <= set(before)
    # the slate carries the roster workbook's 单位信息 sheet: linted alone, the same findings
    assert _lint(str(slate)) == after
    res = runner.invoke(app, ["lint", str(slate), "--as-of", AS_OF.isoformat(), "-f", "json"])
    assert "没有单位信息表" not in res.stderr and "PR001" not in res.stderr, res.stderr


def test_units_option_reads_a_separate_table(tmp_path: Path) -> None:
    """`--units FILE` (a GBK CSV with a title row) gives the same plan as the workbook's sheet."""
    d, _ = _district()
    roster, pool = _workbook(tmp_path, d)
    roster_csv = tmp_path / "roster.csv"
    units = tmp_path / "单位信息.csv"
    with units.open("w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["村(社区)换届基本情况表"])
        w.writerow(UNIT_HEADER)
        w.writerows(_seats())
    _, from_sheet = _plan(str(roster), "--reserve", str(pool))
    _, from_file = _plan(str(roster_csv), "--reserve", str(pool), "--units", str(units))
    assert _changes(from_file) == _changes(from_sheet)
    assert sorted((t["code"], t["met"]) for t in from_file["targets"]) == sorted((t["code"], t["met"]) for t in from_sheet["targets"])


def test_without_a_unit_table_the_range_alone_bounds_the_body(tmp_path: Path) -> None:
    d, who = _district()
    roster, pool = _workbook(tmp_path, d, unit_sheet=False)
    code, doc = _plan(str(roster), "--reserve", str(pool), "--as-of", AS_OF.isoformat())
    assert code == 0
    # 甲村 takes the young person as an extra 委员 (3 → 4 within 3-7); 乙村 has nothing to fix
    assert _changes(doc) == [("add", "甲村", "委员")]
    assert doc["changes"][0]["name"] == who["young_a"].name  # type: ignore[attr-defined]
    assert not [t for t in doc["targets"] if t["code"].startswith("PR")]


def test_a_body_above_its_seats_loses_a_member(tmp_path: Path) -> None:
    """Declared 3 村委会 seats for 4 proposed: the plan removes the one whose leaving breaks nothing
    (not the only member aged 35 or under, not 书记/主任); with him in --keep it says the target
    cannot be met and why."""
    d = District()
    members = d.village("甲村")
    extra = d.person(woman=False, age=37, committee="委员", member=False)
    members.append(extra)  # 村委会 4, declared 3
    d.reserve(woman=True, age=30, unit=None, township="另一镇")  # serves nowhere on this slate
    roster_csv, pool = d.write(tmp_path)
    units = tmp_path / "units.csv"
    units.write_text("乡镇(街道),村(社区),村(居)委会职数,选举日期\n城关镇,甲村,3,2021-01-10\n", encoding="utf-8")
    code, doc = _plan(str(roster_csv), "--reserve", str(pool), "--units", str(units))
    assert code == 0, doc["unmet"]
    assert [(c["action"], c["replaces_name"]) for c in doc["changes"]] == [("remove", extra.name)]
    kept = [extra.name]
    code, doc = _plan(str(roster_csv), "--reserve", str(pool), "--units", str(units), "--keep", ",".join(kept))
    assert code == 1 and doc["changes"] == []
    (unmet,) = [u for u in doc["unmet"] if u["code"] == "PR010"]
    assert unmet["shortfall"] == 1 and "--keep" in unmet["relaxation"]
