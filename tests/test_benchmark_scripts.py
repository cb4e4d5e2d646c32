"""The benchmark scripts stay runnable: each one's imports resolve against today's package (a
renamed name in vetting would otherwise surface only when someone times something)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(p for p in (ROOT / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_a_benchmark_script_imports(script: Path) -> None:
    code = f"import runpy; runpy.run_path({str(script)!r}, run_name='benchmark_import_check')"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
