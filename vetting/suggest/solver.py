"""A small integer-program builder over HiGHS (`highspy`), solved objective by objective.

Lexicographic objectives: solve for the first, then keep it at its optimum (a constraint) and
solve for the next, and so on. Every model is built in a fixed order, HiGHS runs with a fixed
seed on one thread, so the same input gives the same plan.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ..errors import UserError

# The exact lexicographic choice of pool people costs a few solves per person; plans that draw
# more people than this keep the smallest sum of pool rows instead (see plan.py).
LEX_EXACT_MAX = 12
INSTALL_HINT = 'pip install "vetting[suggest]"（或 pip install highspy）'


def require_highspy():  # noqa: ANN201 (the module)
    try:
        import highspy
    except ImportError:
        raise UserError(
            "vetting suggest 需要整数规划求解器 HiGHS（Python 包 highspy），当前环境没有安装 / the suggest command needs highspy",
            hint=INSTALL_HINT,
        ) from None
    return highspy


def _new_highs(hs):  # noqa: ANN001, ANN202
    """A Highs object without its banner (HiGHS prints it from C on creation, to stdout, which
    may be carrying a JSON document)."""
    import contextlib
    import ctypes
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        h = hs.Highs()
        h.setOptionValue("output_flag", False)
        with contextlib.suppress(OSError, AttributeError):  # no C library: nothing buffered there
            ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return h


@dataclass
class Result:
    values: list[float]
    status: str  # optimal | time_limit | infeasible | other
    gap: float | None
    objectives: list[float] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Model:
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)

    def var(self, name: str, lb: float = 0, ub: float = 1, integer: bool = True) -> int:
        self.lower.append(lb)
        self.upper.append(ub)
        self.integer.append(integer)
        self.names.append(name)
        return len(self.lower) - 1

    def row(self, coefs: dict[int, float], lo: float = -math.inf, hi: float = math.inf) -> None:
        coefs = {i: c for i, c in coefs.items() if c != 0}
        if coefs:
            self.rows.append((coefs, lo, hi))

    def solve(
        self, objectives: list[dict[int, float]], time_limit: float,
        lex: tuple[int, list[int]] | None = None, lex_max: int = LEX_EXACT_MAX,
    ) -> Result:
        """Solve objective by objective. `lex = (level, order)`: at that level, the binary
        variables `order` (most preferred first) that are 1 form the lexicographically smallest
        list (a solve per position) when the level's own objective, solved first, uses at most
        `lex_max` of them; else that objective stands."""
        hs = require_highspy()
        started = time.monotonic()
        h = _new_highs(hs)
        # presolve off: these models' relaxations are nearly integral, and presolving them again
        # at every objective cost more than it saved (measured: 3.1 s -> 1.5 s on the benchmark)
        for opt, v in (("output_flag", False), ("random_seed", 0), ("threads", 1),
                       ("mip_rel_gap", 0.0), ("mip_abs_gap", 1e-6), ("presolve", "off"),
                       ("mip_detect_symmetry", False)):
            h.setOptionValue(opt, v)
        n = len(self.lower)
        inf = hs.kHighsInf
        lp = hs.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = len(self.rows)
        lp.col_cost_ = [0.0] * n
        lp.col_lower_ = list(self.lower)
        lp.col_upper_ = [u if u != math.inf else inf for u in self.upper]
        lp.row_lower_ = [lo if lo != -math.inf else -inf for _, lo, _ in self.rows]
        lp.row_upper_ = [hi if hi != math.inf else inf for _, _, hi in self.rows]
        lp.a_matrix_.format_ = hs.MatrixFormat.kRowwise
        start, index, value = [0], [], []
        for coefs, _, _ in self.rows:
            for i in sorted(coefs):
                index.append(i)
                value.append(coefs[i])
            start.append(len(index))
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.a_matrix_.num_col_ = n
        lp.a_matrix_.num_row_ = len(self.rows)
        lp.integrality_ = [hs.HighsVarType.kInteger if b else hs.HighsVarType.kContinuous for b in self.integer]
        h.passModel(lp)
        values = [0.0] * n
        status, gap, objs = "optimal", None, []
        if time_limit <= 0:
            return Result(values, "time_limit", None, [], time.monotonic() - started)
        for level, obj in enumerate(objectives):
            left = time_limit - (time.monotonic() - started)
            if left <= 0:
                status = "time_limit"
                break
            h.setOptionValue("time_limit", max(left, 0.01))
            idx = sorted(obj)
            h.changeColsCost(n, list(range(n)), [obj.get(i, 0.0) for i in range(n)])
            if level:
                sol = hs.HighsSolution()
                sol.col_value = values
                sol.value_valid = True
                h.setSolution(sol)
            h.run()
            ms = h.getModelStatus()
            if ms == hs.HighsModelStatus.kOptimal:
                pass
            elif ms in (hs.HighsModelStatus.kTimeLimit, hs.HighsModelStatus.kInterrupt):
                status = "time_limit"
            else:
                if level == 0:
                    return Result(values, "infeasible" if ms == hs.HighsModelStatus.kInfeasible else str(ms), None)
                break
            info = h.getInfo()
            if info.primal_solution_status != 2:  # no feasible solution at this level
                break
            values = list(h.getSolution().col_value)
            best = sum(obj.get(i, 0.0) * values[i] for i in idx)
            objs.append(best)
            if status == "time_limit":
                gap = float(info.mip_gap)
                break
            if lex is not None and lex[0] == level and sum(values[v] > 0.5 for v in lex[1]) <= lex_max:
                refined = _lexicographic(hs, h, lex[1], values, lambda: time_limit - (time.monotonic() - started))
                if refined is None:
                    status = "time_limit"
                    break
                values = refined
                continue  # the choice is fixed by bounds, not by this level's objective
            # keep this objective at its optimum while the next ones are solved
            tol = 1e-6 * max(1.0, abs(best))
            h.addRow(-inf, best + tol, len(idx), idx, [obj[i] for i in idx])
        return Result(values, status, gap, objs, time.monotonic() - started)


def _lexicographic(hs, h, order: list[int], values: list[float], left) -> list[float] | None:  # noqa: ANN001
    """Fix the variables of `order` (binary, most preferred first) so that those at 1 form the
    lexicographically smallest list among the solutions of the model as it stands (a shorter
    list is smaller when it is a prefix). Returns a solution, or None when time ran out."""
    n = h.getNumCol()
    h.changeColsCost(n, list(range(n)), [0.0] * n)
    inf = hs.kHighsInf

    def feasible() -> list[float] | None | bool:
        if left() <= 0:
            return None
        h.setOptionValue("time_limit", max(left(), 0.01))
        h.run()
        if h.getInfo().primal_solution_status == 2:
            return list(h.getSolution().col_value)
        if h.getModelStatus() in (hs.HighsModelStatus.kTimeLimit, hs.HighsModelStatus.kInterrupt):
            return None
        return False

    def with_row(cols: list[int]) -> list[float] | None | bool:
        """Feasible when at least one of `cols` is 1?"""
        h.addRow(1.0, inf, len(cols), cols, [1.0] * len(cols))
        got = feasible()
        h.deleteRows(1, [h.getNumRow() - 1])
        return got

    decided: set[int] = set()
    while True:
        remaining = [v for v in order if v not in decided]
        if not remaining:
            return values
        # does a solution end the list here?
        for v in remaining:
            h.changeColBounds(v, 0.0, 0.0)
        got = feasible()
        if got is None:
            return None
        if got is not False:
            decided.update(remaining)
            return got  # type: ignore[return-value]
        for v in remaining:
            h.changeColBounds(v, 0.0, 1.0)
        cur = next(v for v in remaining if values[v] > 0.5)
        before = remaining[: remaining.index(cur)]
        if before:
            got = with_row(before)
            if got is None:
                return None
            if got is not False:  # an earlier one can come next: the earliest, by bisection
                best_vals: list[float] = got  # type: ignore[assignment]
                lo, hi = 1, len(before)
                while lo < hi:
                    mid = (lo + hi) // 2
                    got = with_row(before[:mid])
                    if got is None:
                        return None
                    if got is not False:
                        hi, best_vals = mid, got  # type: ignore[assignment]
                    else:
                        lo = mid + 1
                cur = before[lo - 1]  # (none before it can be 1: best_vals has it at 1)
                values = best_vals
                before = before[: lo - 1]
        for v in before:
            h.changeColBounds(v, 0.0, 0.0)
        h.changeColBounds(cur, 1.0, 1.0)
        decided.update([*before, cur])

