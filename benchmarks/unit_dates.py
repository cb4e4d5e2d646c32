"""What checking each unit at its own election date costs: the whole lint evaluation of a
roster with one reference date, and with a different date for every unit (as a unit table's
选举日期 gives them), on the same roster.

    python benchmarks/unit_dates.py --rows 100000

Per-unit dates are one small join (unit -> date) and date arithmetic on a column, so the two
should be close; a per-row Python loop would show here as a large gap.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2021, 1, 10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from vetting.asof import ReferenceDates
    from vetting.engine import evaluate
    from vetting.policy.resolve import load_policies
    from vetting.roster.load import load_roster

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.csv"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--rows", str(args.rows),
                        "--out", str(path)], check=True, capture_output=True)
        policy = load_policies(["national"])
        roster = load_roster([path], fields=policy.fields.values())
    keys = [k for k in ("district", "township", "unit") if k in roster.frame.columns]
    groups = roster.frame.select(keys).unique(maintain_order=True).rows()
    by_unit = {
        tuple(g[keys.index(k)] if k in keys else None for k in ("district", "township", "unit")): AS_OF + dt.timedelta(days=i % 90)
        for i, g in enumerate(groups)
    }
    per_unit = ReferenceDates(AS_OF, "units", by_unit)  # type: ignore[arg-type]
    print(f"{roster.frame.height} rows, {len(by_unit)} units")
    runs = {"one date": None, "a date per unit": per_unit}
    best = dict.fromkeys(runs, float("inf"))
    found: dict[str, int] = {}
    for _ in range(args.repeat):  # alternated, best of each: a shared machine's load hits both alike
        for label, dates in runs.items():
            t = time.perf_counter()
            found[label] = len(evaluate(roster, policy, as_of=AS_OF, dates=dates))
            best[label] = min(best[label], time.perf_counter() - t)
    for label in runs:
        print(f"{label:16s} {best[label]:6.2f} s  ({found[label]} findings)")


if __name__ == "__main__":
    main()
