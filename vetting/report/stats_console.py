"""`vetting stats` on the console: tables a district office can paste into its summary."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..stats import StatsResult
from . import stats_common as sc

VERDICT_STYLE = {"一致": "green", "不一致": "bold red"}


def _table(sec: sc.Section) -> Group:
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for i, col in enumerate(sec.columns):
        t.add_column(col, justify="right" if i in sec.right else "left", overflow="fold")
    for row in sec.rows:
        t.add_row(*(Text(c, style=VERDICT_STYLE.get(c, "")) for c in row))
    return Group(Text(sec.title, style="bold"), t)


def print_report(result: StatsResult, console: Console) -> None:
    for i, line in enumerate(sc.header_lines(result)):
        console.print(Text(line, style="bold" if i == 0 else "dim"))
    console.print()
    for level in result.levels:
        if level == "roster":
            g = result.level_groups("roster")[0]
            console.print(_table(sc.overview(result, g)))
            for sec in sc.roster_breakdowns(result, g):
                console.print(_table(sec))
            continue
        for sec in sc.level_sections(result, level):
            console.print(_table(sec))
    proc = sc.procedure_section(result)
    if proc is not None:
        console.print(_table(proc))
    if result.claims:
        console.print(_table(sc.claims_section(result)))
        console.print(Text(sc.claims_verdict(result), style="bold red" if result.disagreeing else "bold green"))
