"""`vetting suggest`: parse options, call the library, choose the renderer, set the exit code.

Registered on the command-line app by `vetting.cli` (kept in its own module so that the
command's options do not crowd cli.py). Exit codes: 0 every target met by the plan, 1 some
remain unmet, 2 bad input (or the solver is not installed).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli import Console, _check_choice, _notifier, _parse_as_of, _stderr, app, user_errors
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
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="基准日（选举日）；不给时取单位信息表中各单位共同的选举日期，再取地区政策的 as_of")] = None,
    max_changes: Annotated[int | None, typer.Option("--max-changes", metavar="N", help="最多提出 N 项调整")] = None,
    keep: Annotated[list[str] | None, typer.Option("--keep", metavar="ID,ID…", help="必须保留的人（身份证号或姓名，逗号分隔，可重复）：不替换、不减员")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="console|json|xlsx（xlsx 为调整后的名单，需 -o）")] = "console",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="输出文件")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", metavar="SHEET", help="名单的工作表名称")] = None,
    reserve_sheet: Annotated[str | None, typer.Option("--reserve-sheet", metavar="SHEET", help="后备人选台账的工作表名称")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", metavar="SECONDS", help="求解时限（秒）；到时给出目前最好的方案及其差距")] = 60.0,
    units: Annotated[Path | None, typer.Option("--units", metavar="FILE", help="单位信息表（职数、候选人数、公布日期等；默认读名单工作簿的“单位信息”工作表）")] = None,
    show_pii: Annotated[bool, typer.Option("--show-pii", help="显示完整身份证号码")] = False,
) -> None:
    """从后备人选中找出使班子达到结构目标的最少调整。 / The smallest slate change from the reserve pool."""
    from . import api

    _check_choice("--format", fmt, ("console", "json", "xlsx"))
    if fmt == "xlsx" and output is None:
        raise UserError("xlsx 格式需要用 -o 指定输出文件 / -f xlsx needs -o FILE")
    err = _stderr()
    plan = api.suggest(
        rosters, reserve, policies=policy, as_of=_parse_as_of(as_of), keep=_split(keep),
        max_changes=max_changes, time_limit=time_limit, sheet=sheet, reserve_sheet=reserve_sheet,
        units=units, notify=_notifier(err),
    )
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
        write(plan.slate, plan.origin, plan.changes, output, columns_from=plan.slate,
              pool_rows=plan.pool_changes, roster_rows=plan.roster_changes)
        err.print(f"已写入调整后的名单 {output}（含完整身份证号码）", style="dim")
    raise typer.Exit(1 if plan.unmet else 0)
