"""`vetting review …`: the joint review (联审) on the command line (spec/review.md).

    vetting review requests ROSTER -o DIR          one request workbook per department
    vetting review merge ROSTER RETURN... -o MERGED.xlsx [--ledger LEDGER.xlsx]
    vetting review status ROSTER RETURN...         who has not answered yet (exit 1 while any)
    vetting review forms ROSTER [RETURN...] -o FORMS.html      资格审查表, one page a person
    vetting review summary ROSTER [RETURN...] -o SUMMARY.html  汇总表, one page for the leadership

Options parse here; the work is in `vetting.review.run` and the renderers.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import UserError

if TYPE_CHECKING:
    from .review.run import ReviewRun

review_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="联审：向各部门发核查请求、合并回复（带来源）、台账、资格审查表和汇总表。 / The joint review (联审).",
)

PolicyOpt = Annotated[list[str] | None, typer.Option("--policy", "-p", metavar="POLICY", help="政策：随附名称或文件路径（决定联审部门和分工）")]
HitsOpt = Annotated[list[str] | None, typer.Option("--hits-only", metavar="DEPT=FILE", help="只列有问题人员的回复：部门=文件，可重复")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="基准日（选举日）；默认取政策设定")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", metavar="SHEET", help="名单的工作表名称（默认第一个）")]
PiiOpt = Annotated[bool, typer.Option("--show-pii", help="显示完整身份证号码和回复内容")]
FORMATS = ("console", "json")  # merge and status: the ledger on the console or as JSON
FormatOpt = Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="|".join(FORMATS))]
ReturnsArg = Annotated[list[Path] | None, typer.Argument(metavar="RETURN...", help="各部门的回复文件（.xlsx / .csv）或其所在文件夹", show_default=False)]


def _cli():  # the main module's helpers (imported late: it imports this module)
    from . import cli

    return cli


def _guard_outputs(outputs: list[Path | None], inputs: list[Path]) -> None:
    """Nothing the user gave is ever overwritten: not the roster, not a return."""
    given = {p.resolve() for p in inputs if p.exists()}
    for out in outputs:
        if out is not None and out.resolve() in given:
            raise UserError("输出文件不能是输入文件（名单和回复文件不会被改写）/ an output may not overwrite an input", path=str(out))


def _run(roster: Path, returns: list[Path], policy: list[str] | None, hits_only: list[str] | None, as_of: str | None,
         sheet: str | None, show_pii: bool, *, figures: bool = False) -> ReviewRun:
    from . import api

    cli = _cli()
    return api.review([roster], returns, policies=policy, as_of=cli._parse_as_of(as_of), hits_only=hits_only or [],
                      sheet=sheet, show_pii=show_pii, figures=figures, notify=cli._notifier(cli._stderr))


@review_app.command()
def requests(
    roster: Annotated[Path, typer.Argument(metavar="ROSTER", help="名单文件", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="请求文件写入的文件夹")],
    policy: PolicyOpt = None,
    round_: Annotated[int, typer.Option("--round", metavar="N", help="轮次（默认第1轮）")] = 1,
    departments: Annotated[str | None, typer.Option("--departments", metavar="公安,法院", help="只给这些部门发（逗号分隔，可用别名）")] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="DATE", help="发函日期（默认今天）")] = None,
    sheet: SheetOpt = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的请求文件")] = False,
) -> None:
    """每个联审部门一份核查请求工作簿（只含该部门需要的信息）。 / One request workbook per department."""
    cli = _cli()
    with cli_errors():
        from . import api
        from .review.requests import make_requests

        pol = api.load_policy(policy)
        run = make_requests([roster], pol, output, round_=round_, departments=departments,
                            date=cli._parse_as_of(date) or dt.date.today(), force=force, sheet=sheet)
        err = cli._stderr()
        for w in run.written:
            err.print(f"已写入 {w.path}（{w.department}，第{w.round}轮，{w.people}人，批次号 {w.batch}）")
        if run.note():
            err.print(run.note(), style="yellow")


class cli_errors:  # noqa: N801 - used as `with cli_errors():`
    """UserError -> a short message on stderr and exit code 2 (as every command)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        if exc is not None and isinstance(exc, UserError):
            _cli()._print_user_error(exc)
            raise typer.Exit(2) from None


@review_app.command()
def merge(
    roster: Annotated[Path, typer.Argument(metavar="ROSTER", help="名单文件（不会被改写）", show_default=False)],
    returns: ReturnsArg = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="MERGED.xlsx", help="合并后的名单（新文件）")] = None,
    ledger: Annotated[Path | None, typer.Option("--ledger", metavar="LEDGER.xlsx", help="台账另存为此文件（默认为 MERGED.xlsx 中的工作表）")] = None,
    policy: PolicyOpt = None,
    hits_only: HitsOpt = None,
    fmt: FormatOpt = "console",
    fail_on: Annotated[str, typer.Option("--fail-on", metavar="LEVEL", help="error|warning|info|never")] = "error",
    as_of: AsOfOpt = None,
    sheet: SheetOpt = None,
    show_pii: PiiOpt = False,
) -> None:
    """合并各部门的回复（按身份证号，带来源），写出合并后的名单和联审台账。 / Merge the returns."""
    cli = _cli()
    with cli_errors():
        from .review.workbook import write_ledger, write_merged

        cli._check_choice("--format", fmt, FORMATS)
        cli._check_choice("--fail-on", fail_on, ("error", "warning", "info", "never"))
        if output is None:
            raise UserError("review merge 需要用 -o 指定合并后的名单文件（.xlsx）/ -o MERGED.xlsx is required")
        for out in (output, ledger):
            if out is not None and out.suffix.lower() != ".xlsx":
                raise UserError("输出须为 .xlsx 文件 / the output must be .xlsx", path=str(out))
        rets = returns or []
        if not rets and not hits_only:
            raise UserError("没有给出回复文件 / no return files given", hint="vetting review merge 名单.xlsx 回复1.xlsx 回复2.csv … -o 合并.xlsx")
        _guard_outputs([output, ledger], [roster, *rets])
        run = _run(roster, rets, policy, hits_only, as_of, sheet, show_pii)
        write_merged(run.ledger, output, with_ledger=ledger is None, show_pii=show_pii)
        if ledger is not None:
            write_ledger(run.ledger, ledger, show_pii=show_pii)
        _show(run, fmt, show_pii, "联审合并")
        err = cli._stderr()
        err.print(f"已写入 {output}" + (f"，台账 {ledger}" if ledger else "（含联审台账）"), style="dim")
        raise typer.Exit(1 if _failing(run, fail_on) else 0)


def _failing(run: ReviewRun, fail_on: str) -> bool:
    from .findings import Severity

    if fail_on == "never":
        return False
    rank = Severity(fail_on).rank
    return any(f.code.startswith("RV") and f.waiver is None and f.severity.rank >= rank for f in run.ledger.lint.findings)


def _show(run: ReviewRun, fmt: str, show_pii: bool, title: str) -> None:
    from .report import ReportOptions, review_console

    opts = ReportOptions(show_pii=show_pii)
    if fmt == "json":
        sys.stdout.write(review_console.render_json(run.ledger, opts))
        sys.stdout.flush()
        return
    review_console.print_review(run.ledger, opts, _cli()._stdout(), title=title)


@review_app.command()
def status(
    roster: Annotated[Path, typer.Argument(metavar="ROSTER", help="名单文件", show_default=False)],
    returns: ReturnsArg = None,
    policy: PolicyOpt = None,
    hits_only: HitsOpt = None,
    fmt: FormatOpt = "console",
    as_of: AsOfOpt = None,
    sheet: SheetOpt = None,
    show_pii: PiiOpt = False,
) -> None:
    """联审进度：哪些部门还没有回复谁；有缺漏时退出码为 1。 / Who has not answered yet (exit 1 while any)."""
    cli = _cli()
    with cli_errors():
        cli._check_choice("--format", fmt, FORMATS)
        run = _run(roster, returns or [], policy, hits_only, as_of, sheet, show_pii)
        _show(run, fmt, show_pii, "联审进度")
        raise typer.Exit(0 if run.ledger.complete else 1)


@review_app.command()
def forms(
    roster: Annotated[Path, typer.Argument(metavar="ROSTER", help="名单文件", show_default=False)],
    returns: ReturnsArg = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FORMS.html", help="资格审查表（HTML，可直接打印）")] = None,
    policy: PolicyOpt = None,
    hits_only: HitsOpt = None,
    as_of: AsOfOpt = None,
    sheet: SheetOpt = None,
    show_pii: PiiOpt = False,
    summary_page: Annotated[bool, typer.Option("--summary", help="在最前面加一页汇总表（同 review summary）")] = False,
) -> None:
    """村(社区)“两委”换届候选人资格审查表：每人一页 A4，可直接打印。 / Printable 资格审查表."""
    cli = _cli()
    with cli_errors():
        from .review.forms import render_forms

        if output is None or output.suffix.lower() not in (".html", ".htm"):
            raise UserError("review forms 需要用 -o 指定 .html 文件 / -o FORMS.html is required")
        _guard_outputs([output], [roster, *(returns or [])])
        run = _run(roster, returns or [], policy, hits_only, as_of, sheet, show_pii, figures=summary_page)
        _write_text(output, render_forms(run.ledger, run.policy, show_pii=show_pii, summary=summary_page))
        cli._stderr().print(f"已写入 {output}（{len(run.ledger.entries)}人" + ("，另有汇总表1页" if summary_page else "") + "）", style="dim")


@review_app.command()
def summary(
    roster: Annotated[Path, typer.Argument(metavar="ROSTER", help="名单文件", show_default=False)],
    returns: ReturnsArg = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="SUMMARY.html", help="汇总表（HTML，一页 A4）")] = None,
    policy: PolicyOpt = None,
    hits_only: HitsOpt = None,
    as_of: AsOfOpt = None,
    sheet: SheetOpt = None,
) -> None:
    """给领导签批的一页汇总表：各乡镇拟任人数、有问题、须调整、联审完成率与结构目标。 / One-page summary."""
    cli = _cli()
    with cli_errors():
        from .review.forms import render_summary

        if output is None or output.suffix.lower() not in (".html", ".htm"):
            raise UserError("review summary 需要用 -o 指定 .html 文件 / -o SUMMARY.html is required")
        _guard_outputs([output], [roster, *(returns or [])])
        run = _run(roster, returns or [], policy, hits_only, as_of, sheet, False, figures=True)
        _write_text(output, render_summary(run.ledger, run.policy))
        cli._stderr().print(f"已写入 {output}", style="dim")


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise UserError(f"无法写入文件 / cannot write: {e.strerror or e}", path=str(path)) from e
