"""`vetting stats -f json` writes the groups itself (report.stats_json._group_text): the text is
that of `json.dumps(document, ensure_ascii=False, indent=2)`, whatever the options."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.test_stats import CURRENT, PREVIOUS, write_csv
from vetting import api
from vetting.report import stats_json

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "二七区两委换届拟任人选.csv"
UNITS = ROOT / "examples" / "二七区单位信息.csv"


def _same_text(result: object) -> dict:
    text = stats_json.render(result)  # type: ignore[arg-type]
    assert text == json.dumps(stats_json.document(result), ensure_ascii=False, indent=2) + "\n"  # type: ignore[arg-type]
    return json.loads(text)


@pytest.mark.parametrize("by", ["township", "unit", "district"])
def test_the_example_at_each_level(by: str) -> None:
    doc = _same_text(api.stats([EXAMPLE], as_of=dt.date(2021, 1, 10), by=by))
    assert doc["groups"] and all("figures" in g for g in doc["groups"])


def test_previous_term_breakdown_and_units(tmp_path: Path) -> None:
    now, before = write_csv(tmp_path / "now.csv", CURRENT), write_csv(tmp_path / "before.csv", PREVIOUS)
    r = api.stats([now], as_of=dt.date(2021, 1, 10), previous=[before], previous_as_of=dt.date(2018, 1, 10),
                  breakdown=["source"])
    doc = _same_text(r)
    assert any(g["previous"] for g in doc["groups"]) and any(g["breakdown"] for g in doc["groups"])
    _same_text(api.stats([EXAMPLE], as_of=dt.date(2021, 1, 10), units=UNITS))


def test_an_empty_roster(tmp_path: Path) -> None:
    empty = write_csv(tmp_path / "empty.csv", [])
    _same_text(api.stats([empty], as_of=dt.date(2021, 1, 10)))
