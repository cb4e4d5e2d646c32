"""The tests pass from a clone alone: nothing outside the repository is required (a file that only
CI has, such as the official SARIF schema, makes its test skip with the reason)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_sarif_tests_skip_without_the_shared_folder(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("tests", "examples", "policies"):
        shutil.copytree(ROOT / name, clone / name, ignore=shutil.ignore_patterns("__pycache__", "golden"))
    shutil.copy(ROOT / "pyproject.toml", clone / "pyproject.toml")
    assert not (tmp_path / "shared").exists()
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
         "tests/test_report_ci.py", "tests/test_codes.py", "-k", "sarif"],
        cwd=clone, capture_output=True, text=True, timeout=600,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "SKIPPED" in r.stdout and "SARIF schema" in r.stdout
