"""`vetting suggest`: parse options, call the library, choose the renderer, set the exit code.

Registered on the command-line app by `vetting.cli` (kept in its own module so that the
command's options do not crowd cli.py). Exit codes: 0 every target met by the plan, 1 some
remain unmet, 2 bad input (or the solver is not installed).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .cli import _check_choice, _parse_as_of, _stderr, app, user_errors
from .errors import UserError


def _split(values: list[str] | None) -> frozenset[str]:
    out: set[str] = set()
    for v in values or ():
        out |= {p.strip() for p in v.replace("，", ",").split(",") if p.strip()}
    return frozenset(out)


@app.command()
@user_errors
def suggest(
    rosters: Annotated[list[Path], typer.Argument(metavar="ROSTER", help="拟任人选名单文件", show_default=False)],
    reserve: Annotated[list[Path], typer.Option("--reserve", metavar="POOL", help="后备人选台账（与名单同样的列，另加“可任职务”），可重复", show_default=False)],
    policy: Annotated[list[str] | None, typer.Option("--policy", "-p", metavar="POLICY", help="政策：随附名称或文件路径，可重复")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="基准日（选举日）；默认取政策设定")] = None,
    max_changes: Annotated[int | None, typer.Option("--max-changes", metavar="N", help="最多提出 N 项调整")] = None,
    keep: Annotated[list[str] | None, typer.Option("--keep", metavar="ID,ID…", help="必须保留的人（身份证号或姓名，逗号分隔，可重复）：不替换、不减员")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="console|json|xlsx（xlsx 为调整后的名单，需 -o）")] = "console",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="输出文件")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", metavar="SHEET", help="名单的工作表名称")] = None,
    reserve_sheet: Annotated[str | None, typer.Option("--reserve-sheet", metavar="SHEET", help="后备人选台账的工作表名称")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", metavar="SECONDS", help="求解时限（秒）；到时给出目前最好的方案及其差距")] = 60.0,
    show_pii: Annotated[bool, typer.Option("--show-pii", help="显示完整身份证号码")] = False,
) -> None:
    """从后备人选中找出使班子达到结构目标的最少调整。 / The smallest slate change from the reserve pool."""
    from .policy.resolve import load_policies
    from .roster.load import load_roster
    from .suggest.plan import Inputs
    from .suggest.plan import suggest as run_suggest
    from .suggest.pool import load_pool
    from .suggest.solver import require_highspy

    require_highspy()
    _check_choice("--format", fmt, ("console", "json", "xlsx"))
    if fmt == "xlsx" and output is None:
        raise UserError("xlsx 格式需要用 -o 指定输出文件 / -f xlsx needs -o FILE")
    if max_changes is not None and max_changes < 0:
        raise UserError(f"--max-changes 不能为负数：{max_changes}")
    if time_limit <= 0:
        raise UserError(f"--time-limit 须为正数：{time_limit}")
    err = _stderr()
    date = _parse_as_of(as_of)
    pol = load_policies(policy or ["national"])
    if date is None:
        date = pol.as_of or dt.date.today()
        if pol.as_of is None:
            err.print(f"注意：未指定 --as-of，政策也未设定基准日，按今天 {date.isoformat()} 计算年龄。", style="yellow")
    roster = load_roster(rosters, fields=pol.fields.values(), sheet=sheet)
    if roster.frame.height == 0:
        raise UserError(f"名单中没有读到任何人员数据行：{', '.join(map(str, rosters))}", hint="请确认文件和工作表是否正确（--sheet）")
    pool = load_pool(reserve, fields=pol.fields.values(), sheet=reserve_sheet)
    plan = run_suggest(Inputs(
        roster=roster, pool=pool, policy=pol, as_of=date, keep=_split(keep),
        max_changes=max_changes, time_limit=time_limit,
    ))
    if fmt == "console":
        from .report.suggest import print_report

        if output is not None:
            with output.open("w", encoding="utf-8") as fh:
                print_report(plan, Console(file=fh, width=140, no_color=True), show_pii=show_pii)
        else:
            console = Console(highlight=False)
            if not console.is_terminal:
                console = Console(highlight=False, width=140)
            print_report(plan, console, show_pii=show_pii)
    elif fmt == "json":
        from .report.suggest import render_json

        text = render_json(plan, show_pii=show_pii)
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            output.write_text(text, encoding="utf-8")
    else:
        from .report.suggest_xlsx import write

        assert output is not None
        write(plan.slate, plan.origin, plan.changes, output, columns_from=roster,
              pool_rows=plan.pool_changes, roster_rows=plan.roster_changes)
        err.print(f"已写入调整后的名单 {output}（含完整身份证号码）", style="dim")
    if plan.status == "time_limit":
        err.print("注意：达到求解时限，方案可能不是最少调整" + (f"（差距 {plan.gap:.1%}）" if plan.gap is not None else ""), style="yellow")
    raise typer.Exit(1 if plan.unmet else 0)
