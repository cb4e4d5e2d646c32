"""Start-up of the command line: the garbage collector paused while a run starts, pydantic's
plugin look-up skipped, modules a run does not need not imported. Each is checked against a
run's output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "vetting", *args], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def test_a_warm_lint_run_into_a_pipe_imports_only_what_it_needs(tmp_path: Path, one_person_csv: Path) -> None:
    """No pydantic adapter per option (typer._adapters), no YAML parser once the policy cache is warm, no rich when nothing is shown on a terminal, no waiver models without waivers."""
    roster = one_person_csv
    args = ["lint", str(roster), "--as-of", "2021-01-10", "-f", "json", "--fail-on", "never", "-p", "national"]
    env = {"VETTING_CACHE_DIR": str(tmp_path / "cache")}
    cold, warm = _run(args, env), _run(args, env)
    for r in (cold, warm):
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["inputs"][0]["rows"] == 1
    assert cold.stdout == warm.stdout

    def imported(r: subprocess.CompletedProcess[str]) -> set[str]:
        return {line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}

    assert "ruamel.yaml" in imported(cold)  # (the cold run parses the YAML: importtime lists it)
    assert not {"typer._adapters", "ruamel.yaml", "rich", "vetting.waivers"} & imported(warm)


def test_the_collector_pauses_for_a_runs_start_up_only() -> None:
    code = (
        "import gc, vetting.cli as c\n"
        "c._pause_gc_for_start_up(['lint', 'r.csv'])\n"
        "paused = not gc.isenabled()\n"
        "seen = []\n"
        "stage = c._collecting_from_now_on(seen.append)\n"
        "stage('reading'); stage('checking')\n"
        "print(paused, gc.isenabled(), gc.get_freeze_count() > 0, seen)\n"
        "c._pause_gc_for_start_up(['serve'])\n"
        "print(gc.isenabled())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.splitlines() == ["True True True ['reading', 'checking']", "True"]


@pytest.mark.parametrize("setting", [None, "__all__"])
def test_output_is_the_same_with_or_without_the_start_up_changes(one_person_csv: Path, setting: str | None) -> None:
    """The pydantic plugin setting and the collector pause change no byte of a run's output."""
    roster = one_person_csv
    args = ["lint", str(roster), "--as-of", "2021-01-10", "-f", "json", "--fail-on", "never"]
    env = {"PYDANTIC_DISABLE_PLUGINS": setting} if setting else None
    via_main = _run(args, env)
    in_process = subprocess.run(  # through typer's runner: no main(), so no pause and no setting
        [sys.executable, "-c",
         "import sys; from typer.testing import CliRunner; from vetting.cli import app; "
         "r = CliRunner().invoke(app, sys.argv[1:]); sys.stdout.write(r.stdout)", *args],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert via_main.returncode == 0, via_main.stderr
    assert via_main.stdout == in_process.stdout
