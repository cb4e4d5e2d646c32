"""Same input, same bytes (json, sarif, gitlab, html, xlsx); shuffled rows, same findings and the
same fingerprints. Proved on the bundled example."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vetting.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "examples" / "二七区两委换届拟任人选.csv"
XLSX = ROOT / "examples" / "二七区两委换届拟任人选.xlsx"


def run(path: Path, fmt: str, out: Path) -> bytes:
    r = runner.invoke(app, ["lint", str(path), "--as-of", "2021-01-10", "-f", fmt, "-o", str(out)])
    assert r.exit_code == 1, r.output
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "html", "xlsx"])
def test_the_same_input_gives_the_same_bytes(tmp_path: Path, fmt: str) -> None:
    import time

    a = run(XLSX, fmt, tmp_path / f"a.{fmt}")
    time.sleep(2.1)  # past a ZIP time step and any clock second
    b = run(XLSX, fmt, tmp_path / f"b.{fmt}")
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()


def shuffled_csv(tmp_path: Path, seed: int) -> Path:
    text = CSV.read_bytes().decode("gb18030")
    records = list(csv.reader(io.StringIO(text, newline="")))
    head, body, tail = records[:3], records[3:-1], records[-1:]
    assert head[2][0] == "序号" and tail[0][0].startswith("填表人")
    # the ledger leaves 县/乡镇/村/类型 blank under the first row of a group (merged cells): filled
    # in first, so that a row means the same wherever it goes
    for prev, rec in zip(body, body[1:], strict=False):
        for j in range(1, 5):
            if not rec[j].strip() and any(c.strip() for c in rec[5:]):
                rec[j] = prev[j]
    if seed:
        random.Random(seed).shuffle(body)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([*head, *body, *tail])
    p = tmp_path / f"shuffled-{seed}.csv"
    p.write_bytes(buf.getvalue().encode("gb18030"))
    return p


def content(doc: dict) -> Counter:
    """A finding without its row, cell or row numbers in its text: what it says about whom."""
    import re

    out: Counter = Counter()
    for f in doc["findings"]:
        s = f["subject"]
        msg = re.sub(r"第\d+行", "第N行", f["message"])
        out[(f["code"], f["severity"], s.get("person"), s.get("unit"), f["location"].get("column"), msg)] += 1
    return out


def test_shuffled_rows_give_the_same_findings_and_fingerprints(tmp_path: Path) -> None:
    filled = shuffled_csv(tmp_path, 0)
    base = json.loads(run(filled, "json", tmp_path / "base.json"))
    base_gl = json.loads(run(filled, "gitlab", tmp_path / "base.gl.json"))
    original = json.loads(run(CSV, "json", tmp_path / "original.json"))
    assert content(base) == content(original)  # filling the blanks in changed nothing
    assert len(base["findings"]) > 50
    for seed in (1, 2):
        p = shuffled_csv(tmp_path, seed)
        doc = json.loads(run(p, "json", tmp_path / f"s{seed}.json"))
        gl = json.loads(run(p, "gitlab", tmp_path / f"s{seed}.gl.json"))
        assert content(doc) == content(base)
        assert sorted(i["fingerprint"] for i in gl) == sorted(i["fingerprint"] for i in base_gl)
        assert doc["summary"] == base["summary"]
