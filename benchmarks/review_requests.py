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

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    from benchmarks.review_merge import arguments, generate

    a = arguments(__doc__ or "").parse_args(argv)
    roster, _, _ = generate(a.people, a.data, a.seed)
    from benchmarks.timing import repeat, summary

    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "vetting", "review", "requests", str(roster), "-o", out, "--date", "2021-01-04", "--force"]
        runs = repeat(cmd, a.repeat)
        files = len(list(Path(out).glob("*.xlsx")))
    print(f"review requests: {a.people} roster rows, {files} request workbooks")
    print(summary(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
