"""Benchmark: the joint review's requests at county scale (`vetting review requests`).

    python benchmarks/review_requests.py                    # 5,000 people x 12 departments
    python benchmarks/review_requests.py --people 1000 --repeat 1

Uses the roster of `benchmarks/review_merge.py` (generated once under benchmarks/data/review/)
and times the whole command, as a clerk runs it, `--repeat` times (wall time and CPU time):

    vetting review requests ROSTER -o DIR --date 2021-01-04 --force

(reading the roster, writing one request workbook per department of the national policy). The
web page writes the same workbooks when its 联审 download is first clicked.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    from benchmarks.review_merge import generate

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20210110)
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data" / "review")
    a = ap.parse_args(argv)
    roster, _, _ = generate(a.people, a.data, a.seed)
    times, cpus = [], []
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "vetting", "review", "requests", str(roster), "-o", out, "--date", "2021-01-04", "--force"]
        for _ in range(a.repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            res = subprocess.run(cmd, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if res.returncode != 0:
                sys.stderr.write(res.stderr.decode())
                return res.returncode
        files = len(list(Path(out).glob("*.xlsx")))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"review requests: {a.people} roster rows, {files} request workbooks")
    print(f"wall: median {statistics.median(times):.2f} s; runs: " + ", ".join(f"{x:.2f}" for x in times))
    print(f"CPU (user+sys): median {statistics.median(cpus):.2f} s; runs: " + ", ".join(f"{x:.2f}" for x in cpus))
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} CPUs (wall time grows with other work on the machine)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
