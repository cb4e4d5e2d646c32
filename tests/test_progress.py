"""The progress display of long runs: on stderr when it is a terminal, never on stdout, silenced
by --quiet, absent when stderr is a pipe. Runs go through a pseudo-terminal (`pty`), with the
display's delay set to 0 so that a small roster shows it."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from vetting.report.progress import STAGES, StageProgress

ROOT = Path(__file__).resolve().parent.parent
ROSTER = "examples/二七区两委换届拟任人选.xlsx"
LINT = [sys.executable, "-m", "vetting", "lint", ROSTER, "--as-of", "2021-01-10", "--fail-on", "never"]
STATS = [sys.executable, "-m", "vetting", "stats", ROSTER, "--as-of", "2021-01-10"]

pty = pytest.importorskip("pty")


def run_on_terminal(args: list[str], delay: str = "0") -> tuple[int, bytes, str]:
    """stdout to a pipe, stderr to a pseudo-terminal; returns (exit code, stdout, stderr)."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(VETTING_PROGRESS_DELAY=delay, TERM="xterm", COLUMNS="100")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)
    chunks: list[bytes] = []
    out_chunks: list[bytes] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    open_fds = {master, proc.stdout.fileno()}
    while open_fds and time.monotonic() < deadline:
        ready, _, _ = select.select(list(open_fds), [], [], 0.2)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the terminal's other side closed
                data = b""
            if not data:
                open_fds.discard(fd)
            else:
                (chunks if fd == master else out_chunks).append(data)
    code = proc.wait(timeout=30)
    os.close(master)
    return code, b"".join(out_chunks), b"".join(chunks).decode("utf-8", "replace")


def run_piped(args: list[str]) -> tuple[int, bytes, str]:
    env = dict(os.environ, VETTING_PROGRESS_DELAY="0")
    proc = subprocess.run(args, capture_output=True, env=env, cwd=ROOT, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_terminal_shows_stages_and_stdout_keeps_only_the_document() -> None:
    code, out, err = run_on_terminal([*LINT, "-f", "json"])
    piped_code, piped_out, piped_err = run_piped([*LINT, "-f", "json"])
    assert code == piped_code == 0
    assert out == piped_out  # byte for byte the document, nothing of the display
    json.loads(out)
    for stage in ("reading", "checking", "writing"):
        assert STAGES[stage] in err, (stage, err)
    assert "\x1b[?25h" in err  # the cursor is shown again at the end
    assert piped_err == ""  # a pipe gets no display


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_quiet_silences_the_display() -> None:
    code, out, err = run_on_terminal([*LINT, "-f", "json", "--quiet"])
    assert code == 0 and json.loads(out)
    assert err == ""
    code, out, err = run_on_terminal([*STATS, "-f", "json", "--quiet"])
    assert code == 0 and json.loads(out)
    assert "注意" in err  # warnings still come
    assert not any(label in err for label in STAGES.values()) and "\x1b[?25l" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_short_run_shows_nothing_and_stats_shows_its_stages() -> None:
    code, out, err = run_on_terminal([*LINT, "-f", "json"], delay="60")
    assert code == 0 and json.loads(out) and err == ""
    code, out, err = run_on_terminal([*STATS, "-f", "json"])
    assert code == 0 and json.loads(out)
    assert STAGES["computing"] in err


def test_display_appears_after_the_delay_and_is_erased() -> None:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=80)
    with StageProgress(console, enabled=True, delay=0.0) as p:
        deadline = time.monotonic() + 5
        while not p.shown and time.monotonic() < deadline:
            time.sleep(0.01)
        assert p.shown
        p.stage("checking")
        time.sleep(0.3)
    assert not p.shown
    assert STAGES["checking"] in buf.getvalue()
    quick = io.StringIO()
    with StageProgress(Console(file=quick, force_terminal=True), enabled=True, delay=5.0) as p:
        p.stage("reading")
    time.sleep(0.05)
    assert quick.getvalue() == "" and not p.shown
    off = io.StringIO()
    with StageProgress(Console(file=off, force_terminal=True), enabled=False, delay=0.0) as p:
        time.sleep(0.1)
    assert off.getvalue() == ""
