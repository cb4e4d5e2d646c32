"""The joint review as one library call, for the command line and any other front end:
roster + returns --> merged roster (in memory) --> lint --> ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._gc import gc_paused
from ..asof import ReferenceDates
from ..engine import lint as run_lint
from ..errors import UserError
from ..policy.resolve import EffectivePolicy
from ..roster.load import Roster, load_roster
from .ledger import Ledger, build_ledger, township_figures
from .merge import MergeResult, merge_returns, read_returns


@dataclass
class ReviewRun:
    policy: EffectivePolicy
    roster: Roster  # as read (the file is never written)
    merge: MergeResult
    ledger: Ledger


def _dates(rosters: Sequence[str | Path], roster: Roster, policy: EffectivePolicy, as_of: dt.date | None) -> ReferenceDates:
    """The election dates as `lint` takes them (vetting.asof): --as-of, else each unit's 选举日期
    from the roster workbook's 单位信息 sheet, else the policy's `as_of`. The sheet gives the
    dates only: the election procedure rules are `lint`'s."""
    from ..asof import reference_dates
    from ..units.load import load_units, units_for

    files = units_for(rosters, None) if as_of is None else []
    table = load_units(files, roster, lang="zh") if files else None
    return reference_dates(as_of, policy, table, command="review")


def parse_hits_only(values: Sequence[str]) -> list[tuple[str, str]]:
    """`--hits-only 法院=失信名单.csv` -> [("法院", "失信名单.csv")]."""
    out: list[tuple[str, str]] = []
    for v in values:
        dept, sep, path = v.partition("=")
        if not sep or not dept.strip() or not path.strip():
            raise UserError(
                f"--hits-only 的值应写成 部门=文件，而不是“{v}” / --hits-only takes DEPT=FILE",
                hint="例如 --hits-only 法院=失信被执行人名单.xlsx",
            )
        out.append((dept.strip(), path.strip()))
    return out


def expand_returns(paths: Sequence[str | Path]) -> list[Path]:
    """Return files as given; a folder stands for the xlsx/csv files in it (sorted by name)."""
    out: list[Path] = []
    for p in paths:
        q = Path(p)
        if q.is_dir():
            found = sorted(x for x in q.iterdir() if x.suffix.lower() in (".xlsx", ".xlsm", ".csv") and not x.name.startswith(("~$", ".")))
            if not found:
                raise UserError("文件夹中没有 .xlsx / .csv 回复文件 / no return files in the folder", path=str(q))
            out += found
        else:
            out.append(q)
    return out


def run_review(
    rosters: Sequence[str | Path],
    returns: Sequence[str | Path],
    policy: EffectivePolicy,
    *,
    as_of: dt.date | None,
    hits_only: Sequence[tuple[str, str]] = (),
    sheet: str | None = None,
    lang: str = "zh",
    show_pii: bool = False,
    figures: bool = False,
    on_progress: Callable[[str], None] | None = None,
) -> ReviewRun:
    roster = load_roster(rosters, fields=policy.fields.values(), sheet=sheet, lang=lang, on_progress=on_progress)
    dates = _dates(rosters, roster, policy, as_of)
    with gc_paused():
        read = read_returns(expand_returns(returns), policy, hits_only=hits_only, on_progress=on_progress)
        merge = merge_returns(roster, policy, read, lang=lang)
    result = run_lint(merge.roster, policy, as_of=dates.default, lang=lang, show_pii=show_pii, dates=dates)
    ledger = build_ledger(merge, result, policy)
    if figures:
        township_figures(ledger, policy)
    return ReviewRun(policy, roster, merge, ledger)

