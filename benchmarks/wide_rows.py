"""Time `vetting lint` on a one-person CSV whose row is padded with N empty cells (N = 1,000 to
100,000): reading must stay linear in the row's width. Prints a markdown table.

    python benchmarks/wide_rows.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

WIDTHS = (1_000, 10_000, 100_000)


def main() -> None:
    vetting = [sys.executable, "-m", "vetting"]
    print("| empty cells | seconds (median of 3) |")
    print("| ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for n in WIDTHS:
            p = Path(tmp) / f"wide-{n}.csv"
            p.write_text("姓名,身份证号,村(社区)\n张三,410103198503081234,甲村" + "," * n + "\n", encoding="utf-8")
            times = []
            for _ in range(3):
                t = time.perf_counter()
                subprocess.run([*vetting, "lint", str(p), "--as-of", "2021-01-10", "-f", "json", "-o", "/dev/null"],
                               capture_output=True, check=False)
                times.append(time.perf_counter() - t)
            print(f"| {n:,} | {sorted(times)[1]:.2f} |")


if __name__ == "__main__":
    main()
