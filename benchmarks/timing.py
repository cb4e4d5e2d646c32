"""Timing a command as a whole process: the one helper every benchmark script uses.

`run_once` starts the command, waits for it with `os.wait4` and gives its wall time, CPU time
(user + system of that child alone), peak RSS and exit code. `repeat` runs it N times and stops
at the first failure with the command's own error output; `summary` prints the usual lines.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(cmd: list[str], stdout: int | None = subprocess.DEVNULL,
             stderr: int | None = subprocess.DEVNULL) -> tuple[float, float, float, int, bytes]:
    """(wall s, CPU s, peak RSS MB, exit code, stderr bytes when `stderr` is PIPE)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, cwd=ROOT)
    err = proc.stderr.read() if proc.stderr is not None else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    rss_kb = usage.ru_maxrss  # kilobytes on Linux
    return wall, usage.ru_utime + usage.ru_stime, rss_kb / 1024, os.waitstatus_to_exitcode(status), err


@dataclass
class Runs:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)


def repeat(cmd: list[str], times: int) -> Runs:
    """Run `cmd` `times` times; a failing run ends the benchmark with the command's message."""
    runs = Runs()
    for _ in range(times):
        wall, cpu, rss, code, err = run_once(cmd, stderr=subprocess.PIPE)
        if code != 0:
            sys.stderr.write(err.decode(errors="replace"))
            raise SystemExit(code)
        runs.wall.append(wall)
        runs.cpu.append(cpu)
        runs.rss_mb.append(rss)
    return runs


def summary(runs: Runs) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return "\n".join([
        f"wall: median {statistics.median(runs.wall):.2f} s; runs: " + ", ".join(f"{x:.2f}" for x in runs.wall),
        f"CPU (user+sys): median {statistics.median(runs.cpu):.2f} s; runs: " + ", ".join(f"{x:.2f}" for x in runs.cpu),
        f"peak RSS: {max(runs.rss_mb):.0f} MB",
        f"load average at the end: {load:.1f} on {os.cpu_count()} CPUs (wall time grows with other work on the machine)",
    ])
