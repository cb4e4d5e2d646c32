"""`vetting rules --effective`: the file:line column is whole at 80 and 120 columns, and its
paths can be opened (a checkout's relative path, a user's file as given, `<内置>/…` for the
shipped policies outside the working directory, with what `<内置>` stands for)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from vetting.policy.resolve import SHIPPED_PREFIX, load_policies, shipped_policies_dir
from vetting.report.rules_report import print_rules


def render(policies: list[str], width: int) -> str:
    buf = io.StringIO()
    print_rules(load_policies(policies), Console(file=buf, width=width, highlight=False), effective=True)
    return buf.getvalue()


@pytest.mark.parametrize("width", [80, 120])
def test_every_position_is_printed_whole(width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    county = tmp_path / "county.yaml"
    county.write_text(
        "policy: county\nextends: national\nparams: {new_entrant_max_age: 40}\n"
        "overrides:\n  EL010: {severity: error}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = render(["county.yaml"], width)
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    policy = load_policies(["county.yaml"])
    wanted = {str(er.defined_at) for er in policy.rules.values()} | {str(p.set_at) for p in policy.params.values()}
    wanted |= {str(policy.rules["EL010"].severity_at)}
    text = "\n".join(lines)
    missing = [w for w in wanted if w not in text]
    assert missing == []
    assert "county.yaml:3:" in text and "county.yaml:5:" in text  # the user's own file, as given
    assert any(w.startswith(f"{SHIPPED_PREFIX}/national/") for w in wanted)
    assert f"{SHIPPED_PREFIX} = {shipped_policies_dir()}" in text.replace("\n", "")
    # the titles are there too (wrapped, never cut with an ellipsis)
    assert "…" not in text


def test_a_shipped_path_names_a_file_that_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    policy = load_policies(["national"])
    where = str(policy.rules["EL001"].defined_at)
    assert where.startswith(f"{SHIPPED_PREFIX}/national/"), where
    real = shipped_policies_dir() / where.removeprefix(f"{SHIPPED_PREFIX}/").split(":")[0]
    assert real.is_file()
    assert all(not str(r.path).startswith("policies/") for r in policy.chain)


def test_the_json_says_what_the_prefix_stands_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from vetting.report.rules_report import rules_json

    monkeypatch.chdir(tmp_path)
    doc = json.loads(rules_json(load_policies(["national"]), effective=True))
    assert doc["shipped"] == {"prefix": SHIPPED_PREFIX, "path": str(shipped_policies_dir())}
    el001 = next(r for r in doc["rules"] if r["code"] == "EL001")
    assert el001["defined_at"].startswith(f"{SHIPPED_PREFIX}/national/eligibility.yaml:")
