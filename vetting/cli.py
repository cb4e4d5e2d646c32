"""The command line: parse options, call the library, choose reporters, set the exit code.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 the tool could not do
its job (a clear message, no traceback); 3 an internal error (a bug: traceback shown).

Why one module of ~570 lines: it holds `lint` (the main command, with its output pairing and
progress), the small policy commands (template, test, rules, explain, schema, stats, serve) and
the process entry (exit codes, the error panel). Each command only parses options and calls
`vetting.api`; the joint review and suggest commands live in cli_review.py and cli_suggest.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from . import __version__
from .cli_params import PlainCommand, PlainGroup
from .errors import UserError

if TYPE_CHECKING:
    from rich.console import Console

    from . import api
    from .report import ReportOptions
    from .report.progress import StageProgress
    from .result import LintResult
    from .stats import StatsResult

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    cls=PlainGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="vetting：村(社区)“两委”换届候选人资格审查的规则检查工具。 / A policy linter for 两委 candidate vetting.",
)



if not TYPE_CHECKING:

    def Console(*args: object, **kwargs: object) -> Console:  # noqa: N802
        """rich's Console, imported when a run first prints through it: a run that writes a
        machine format to stdout and has nothing to say on stderr does not import rich."""
        from rich.console import Console as RichConsole

        return RichConsole(*args, **kwargs)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=False)


def _stdout() -> Console:
    """A terminal gets its own width; a pipe or file a wide page, so tables are not squeezed."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=140)


def user_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Commands raise UserError; it becomes a short message on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except UserError as e:
            _print_user_error(e)
            raise typer.Exit(2) from None

    return wrapper


def _parse_as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from .roster.values import ValueParseError, parse_date

    try:
        d = parse_date(value)
    except ValueParseError as e:
        raise UserError(f"--as-of 的日期无法识别：{value}（{e.message_zh}）", hint="例如 --as-of 2021-01-10") from None
    if d is None or d.precision != "day":
        raise UserError(f"--as-of 需要具体到日的日期，而不是 {value}", hint="例如 --as-of 2021-01-10")
    return d.lo


def _notifier(err: Console | Callable[[], Console]) -> Callable[[api.Notice], None]:
    """Notices of a run on stderr: warnings in yellow, progress dimmed. Given a function, the
    console is made when the first notice comes (most runs have none)."""

    def notify(notice: api.Notice) -> None:
        if not hasattr(err, "print") and not _styled_stderr():
            # What rich writes for a Text on a stream that is not a terminal: the text and a
            # newline (no wrapping: soft_wrap). Most runs into a pipe then never import rich.
            sys.stderr.write(notice.text + "\n")
            return
        from rich.text import Text

        console = err if hasattr(err, "print") else err()
        console.print(Text(notice.text, style="yellow" if notice.kind == "warning" else "dim"), soft_wrap=True)

    return notify


def _styled_stderr() -> bool:
    """Whether rich would treat stderr as a terminal (a tty, or forced by its variables)."""
    return sys.stderr.isatty() or any(os.environ.get(v) for v in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"))


def _said(err: Callable[[], Console], text: str) -> None:
    """A dimmed line on stderr. Into a pipe, a short line without markup is written as rich
    would write it (rich wraps at 80 columns there, reads `[…]` as markup and `:name:` as an
    emoji), without importing rich."""
    if not _styled_stderr() and len(text) * 2 < 80 and "[" not in text and ":" not in text:
        sys.stderr.write(text + "\n")
    else:
        err().print(text, style="dim")


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise UserError(f"{name} 的值 '{value}' 无效，可用：{'、'.join(choices)} / invalid {name}")
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vetting {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")] = False,
) -> None:
    """vetting：村(社区)“两委”换届候选人资格审查的规则检查工具。"""


def _pair_outputs(formats: list[str], outputs: list[Path]) -> list[tuple[str, Path | None]]:
    """Pair `-o` files with `-f` formats in order. The console takes a file only when every
    format has one; otherwise outputs go to the other formats in order, and a format without
    one writes to stdout (at most one document may)."""
    if len(outputs) > len(formats):
        raise UserError(f"-o/--output 比 -f/--format 多（{len(outputs)} > {len(formats)}） / more outputs than formats")
    if len(outputs) == len(formats):
        return list(zip(formats, outputs, strict=True))
    pairs: list[tuple[str, Path | None]] = []
    rest = list(outputs)
    for f in formats:
        if f == "console":
            pairs.append((f, None))
        else:
            pairs.append((f, rest.pop(0) if rest else None))
    if rest:  # only console formats left to take them
        pairs = [(f, rest.pop(0) if f == "console" and rest else o) for f, o in pairs]
    return pairs


@app.command(cls=PlainCommand)
@user_errors
def lint(
    rosters: Annotated[list[Path], typer.Argument(metavar="ROSTER", help="名单文件（.xlsx / .csv / .yaml / .json）", show_default=False)],
    policy: Annotated[list[str] | None, typer.Option("--policy", "-p", metavar="POLICY", help="政策：随附名称（如 national）或文件路径，可重复")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="选举日（基准日，年龄按此日计算），如 2026-03-15，优先于单位信息表的选举日期；不给时按各单位的选举日期，再取地区政策的 as_of，都没有则报错")] = None,
    select: Annotated[list[str] | None, typer.Option("--select", metavar="CODES", help="只检查这些代码前缀（可逗号分隔、可重复）")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", metavar="CODES", help="不检查这些代码前缀")] = None,
    fmt: Annotated[list[str] | None, typer.Option("--format", "-f", metavar="FORMAT", help="console|json|jsonl|sarif|junit|github|gitlab|html|xlsx，可重复")] = None,
    output: Annotated[list[Path] | None, typer.Option("--output", "-o", metavar="FILE", help="输出文件，按顺序对应 --format")] = None,
    fail_on: Annotated[str, typer.Option("--fail-on", metavar="LEVEL", help="error|warning|info|never：何种级别的问题使退出码为 1")] = "error",
    sheet: Annotated[list[str] | None, typer.Option("--sheet", metavar="SHEET", help="只读这些工作表（可重复）；默认读每个有名单表头的工作表")] = None,
    show_pii: Annotated[bool, typer.Option("--show-pii", help="显示完整身份证号码、电话等个人信息")] = False,
    lang: Annotated[str, typer.Option("--lang", metavar="zh|en", help="zh|en")] = "zh",
    statistics: Annotated[bool, typer.Option("--statistics", help="按规则代码统计数量")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出汇总")] = False,
    waivers: Annotated[Path | None, typer.Option("--waivers", metavar="FILE", help="豁免清单 YAML")] = None,
    units: Annotated[Path | None, typer.Option("--units", metavar="FILE", help="单位信息表（职数、候选人数、公布日期等；默认读名单工作簿的“单位信息”工作表）")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", metavar="FILE", help="只报告基线之外的新问题")] = None,
    write_baseline: Annotated[Path | None, typer.Option("--write-baseline", metavar="FILE", help="把当前问题写入基线文件")] = None,
    returns: Annotated[list[Path] | None, typer.Option("--returns", metavar="RETURN", help="联审回复文件或文件夹：先在内存中合并再检查，可重复")] = None,
    hits_only: Annotated[list[str] | None, typer.Option("--hits-only", metavar="DEPT=FILE", help="只列有问题人员的联审回复：部门=文件，可重复")] = None,
) -> None:
    """检查名单：数据质量与政策规则。 / Check rosters against policies."""
    from . import api
    from .report import FORMATS, ReportOptions

    _check_choice("--fail-on", fail_on, ("error", "warning", "info", "never"))
    _check_choice("--lang", lang, ("zh", "en"))
    formats = fmt or ["console"]
    for f in formats:
        _check_choice("--format", f, FORMATS)
    pairs = _pair_outputs(formats, output or [])
    stdout_docs = [f for f, o in pairs if o is None and f != "console"]
    if len(stdout_docs) > 1:
        raise UserError(
            f"只有一种格式可以写到标准输出，{'、'.join(stdout_docs)} 需要用 -o 指定文件 / one document per run on stdout"
        )
    if any(f == "xlsx" and o is None for f, o in pairs):
        raise UserError("xlsx 格式需要用 -o 指定输出文件 / -f xlsx needs -o FILE")
    err = functools.cache(_stderr)
    with _progress(err, quiet) as progress:
        result = api.lint(
            rosters, policies=policy, as_of=_parse_as_of(as_of), select=select or (), ignore=ignore or (),
            waivers=waivers, baseline=baseline, write_baseline=write_baseline, sheet=sheet, lang=lang,
            show_pii=show_pii, units=units, notify=_notifier(err), stage=_collecting_from_now_on(progress.stage),
            returns=returns or (), hits_only=hits_only or (),
        )
        opts = ReportOptions(lang=lang, show_pii=show_pii, statistics=statistics, quiet=quiet)
        console_to_stderr = bool(stdout_docs)
        progress.stage("writing")
        for f, out in pairs:
            if f == "console" and out is None:
                progress.close()  # the report goes to the terminal the display is on
            _emit(f, out, result, opts, console_to_stderr, err)
    if statistics and "console" not in formats:
        from .report.console import _summary

        _summary(result, opts, err())
    raise typer.Exit(1 if result.failing(fail_on) else 0)


# The cyclic garbage collector during start-up: importing polars, pydantic and the policy
# models allocates some hundred thousand long-lived objects, and each time they grow by a
# quarter the collector scans them all again, finding nothing to free (about 6% of a small run).
# `main` pauses it for `lint` and `stats`; when the run starts on the data (its first stage),
# what start-up made is frozen (never scanned again) and collection resumes as usual.
_GC_PAUSED_FOR = ("lint", "stats")
_gc_paused = False


def _pause_gc_for_start_up(args: list[str]) -> None:
    global _gc_paused
    if args and args[0] in _GC_PAUSED_FOR and gc.isenabled():
        gc.disable()
        _gc_paused = True


def _collecting_from_now_on(stage: Callable[[str], None]) -> Callable[[str], None]:
    """`stage` that first ends the start-up pause of the garbage collector (if `main` made one)."""

    def first_resume(name: str) -> None:
        global _gc_paused
        if _gc_paused:
            _gc_paused = False
            gc.freeze()
            gc.enable()
        stage(name)

    return first_resume


def _progress(err: Callable[[], Console], quiet: bool) -> StageProgress:
    """What a run is doing, on stderr when it is a terminal and the run takes a while
    (report/progress.py); `--quiet` turns it off. `sys.stderr.isatty()` first, so that a run
    into a pipe does not import rich for it."""
    from .report.progress import DELAY_SECONDS, StageProgress

    enabled = not quiet and (sys.stderr.isatty() or bool(os.environ.get("FORCE_COLOR"))) and err().is_terminal
    delay = float(os.environ.get("VETTING_PROGRESS_DELAY", DELAY_SECONDS))
    return StageProgress(err() if enabled else None, enabled=enabled, delay=delay)


def _emit(
    fmt: str, out: Path | None, result: LintResult, opts: ReportOptions, console_to_stderr: bool,
    err: Callable[[], Console] = _stderr,
) -> None:
    """Render one format to its file, or to stdout (documents) / the terminal (console)."""
    if fmt == "console":
        from .report import console as console_report

        if out is not None:
            with out.open("w", encoding="utf-8") as fh:
                console_report.print_report(result, opts, Console(file=fh, width=140, no_color=True))
            return
        console = Console(stderr=console_to_stderr, highlight=False)
        if not console.is_terminal:
            console = Console(stderr=console_to_stderr, highlight=False, width=140)
        console_report.print_report(result, opts, console)
        return
    if fmt == "xlsx":  # binary: needs -o (checked in lint)
        from .report import xlsx as xlsx_report

        assert out is not None
        xlsx_report.write(result, opts, out)
    elif fmt == "json":  # written in pieces as it is made (a large report's text is large)
        from .report.json_report import render_chunks

        if out is None:
            for piece in render_chunks(result, opts):
                sys.stdout.write(piece)
            sys.stdout.flush()
            return
        with out.open("w", encoding="utf-8") as fh:
            for piece in render_chunks(result, opts):
                fh.write(piece)
    else:
        text = _text_renderer(fmt)(result, opts)
        if out is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        out.write_text(text, encoding="utf-8")
    _said(err, f"已写入 {out}")


def _text_renderer(fmt: str) -> Callable[[LintResult, ReportOptions], str]:
    import importlib

    # Only the module of the format asked for is imported (start-up time of small runs).
    renderers: dict[str, tuple[str, str]] = {
        "json": ("json_report", "render"),
        "jsonl": ("json_report", "render_lines"),
        "sarif": ("sarif", "render"),
        "junit": ("junit", "render"),
        "github": ("github", "render"),
        "gitlab": ("gitlab", "render"),
        "html": ("html", "render"),
    }
    module, name = renderers[fmt]
    render: Callable[[LintResult, ReportOptions], str] = getattr(
        importlib.import_module(f"{__package__}.report.{module}"), name
    )
    return render


@app.command(cls=PlainCommand)
@user_errors
def template(
    output: Annotated[Path, typer.Argument(help="要写入的 .xlsx 文件")] = Path("两委换届拟任人选名单.xlsx"),
    policy: Annotated[list[str] | None, typer.Option("--policy", "-p", metavar="POLICY", help="政策（决定证据列）")] = None,
    lang: Annotated[str, typer.Option("--lang", metavar="zh|en", help="zh|en")] = "zh",
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
) -> None:
    """生成空白名单模板（含下拉选项、文本格式的身份证列和填表说明）。 / Write an empty roster workbook."""
    from .api import load_policy
    from .roster.columns import BUILTIN_FIELDS
    from .template import write_template

    if output.suffix.lower() != ".xlsx":
        raise UserError("模板须保存为 .xlsx 文件", path=str(output))
    if output.exists() and not force:
        raise UserError("文件已存在；如要覆盖请加 --force / file exists", path=str(output))
    pol = load_policy(policy)
    write_template(output, [*BUILTIN_FIELDS, *pol.fields.values()], lang=lang)
    _stderr().print(f"已写入模板 {output}")


@app.command("test", cls=PlainCommand)
@user_errors
def test_cmd(
    dirs: Annotated[list[Path] | None, typer.Argument(help="政策目录（默认：随附的 policies/）", show_default=False)] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="列出每个用例")] = False,
) -> None:
    """运行政策自带的测试用例。 / Run the policies' own test cases."""
    from .policy.resolve import shipped_policies_dir
    from .testing import run_directory

    out = _stdout()
    targets = dirs or [shipped_policies_dir()]
    results = []
    for d in targets:
        if not d.exists():
            raise UserError("目录不存在 / directory not found", path=str(d))
        results += run_directory(d)
    failed = [r for r in results if not r.passed]
    for r in results:
        if verbose or not r.passed:
            mark = "[green]PASSED[/]" if r.passed else "[red]FAILED[/]"
            out.print(f"{r.file}:{r.line} {r.case} {mark}")
            if r.error:
                out.print(f"    {r.error}")
            for m in r.missing:
                out.print(f"    缺少 / missing: {m}")
            for u in r.unexpected:
                out.print(f"    多出 / unexpected: {u}")
    if not results:
        raise UserError("没有找到测试用例（tests/*.yaml） / no test cases found")
    out.print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    raise typer.Exit(1 if failed else 0)


@app.command(cls=PlainCommand)
@user_errors
def rules(
    policy: Annotated[list[str] | None, typer.Option("--policy", "-p", metavar="POLICY", help="政策名称或路径，可重复")] = None,
    effective: Annotated[bool, typer.Option("--effective", help="显示每条规则和参数的生效值由哪个文件哪一行设定")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="console|json|markdown")] = "console",
    lang: Annotated[str, typer.Option("--lang", metavar="zh|en", help="zh|en")] = "zh",
) -> None:
    """列出规则：代码、标题、类别、级别、范围、依据。 / List rules."""
    from .api import load_policy
    from .report import rules_report

    _check_choice("--format", fmt, ("console", "json", "markdown"))
    pol = load_policy(policy)
    if fmt == "markdown":
        sys.stdout.write(rules_report.rules_markdown(pol, lang=lang))
        return
    if fmt == "json":
        sys.stdout.write(rules_report.rules_json(pol, lang=lang, effective=effective))
        return
    rules_report.print_rules(pol, _stdout(), lang=lang, effective=effective)


@app.command(cls=PlainCommand)
@user_errors
def explain(
    code: Annotated[str, typer.Argument(help="规则代码，如 TN07")],
    policy: Annotated[list[str] | None, typer.Option("--policy", "-p", metavar="POLICY", help="政策名称或路径，可重复")] = None,
    lang: Annotated[str, typer.Option("--lang", metavar="zh|en", help="zh|en")] = "zh",
) -> None:
    """详细说明一条规则：查什么、为什么、参数、依据、通过和不通过的例子。 / Explain one rule."""
    from .api import load_policy
    from .report import rules_report

    pol = load_policy(policy)
    rules_report.print_explain(pol, code.strip().upper(), _stdout(), lang=lang)


@app.command(cls=PlainCommand)
@user_errors
def schema() -> None:
    """输出政策文件的 JSON Schema（供编辑器自动补全）。 / Print the JSON Schema of policy files."""
    import json

    from .policy.model import PolicyFile

    doc = PolicyFile.model_json_schema(by_alias=True)
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = "vetting policy file"
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


@app.command(cls=PlainCommand)
@user_errors
def stats(
    rosters: Annotated[list[Path], typer.Argument(metavar="ROSTER", help="本届名单文件（.xlsx / .csv / .yaml / .json）", show_default=False)],
    previous: Annotated[list[Path] | None, typer.Option("--previous", metavar="OLD", help="上届名单（按身份证号比对连任、新进、退出），可重复")] = None,
    previous_as_of: Annotated[str | None, typer.Option("--previous-as-of", metavar="DATE", help="上届选举日（默认：选举日减政策参数 previous_term_years，全国为5年）")] = None,
    claims: Annotated[Path | None, typer.Option("--claims", metavar="FILE", help="公布的说法（YAML），逐条核对")] = None,
    by: Annotated[str, typer.Option("--by", metavar="LEVEL", help="district|township|unit：统计到哪一级（默认 township）")] = "township",
    breakdown: Annotated[list[str] | None, typer.Option("--breakdown", metavar="COLUMN", help="按某列的取值分类统计（如 人员来源），可重复")] = None,
    policy: Annotated[list[str] | None, typer.Option("--policy", "-p", metavar="POLICY", help="政策：随附名称或文件路径（基准日、超龄退出年龄）")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="选举日（基准日），如 2026-03-15；不给时按单位信息表各单位的选举日期，再取地区政策的 as_of，都没有则报错")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="console|json|xlsx|markdown")] = "console",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="输出文件")] = None,
    sheet: Annotated[list[str] | None, typer.Option("--sheet", metavar="SHEET", help="只读这些工作表（可重复）；默认读每个有名单表头的工作表")] = None,
    units: Annotated[Path | None, typer.Option("--units", metavar="FILE", help="单位信息表：加上差额比例、名单公布天数（默认读名单工作簿的“单位信息”工作表）")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度")] = False,
) -> None:
    """换届报告公布的结构数字：一肩挑、女性、学历、年龄、交叉任职、与上届比较；核对公布的说法。 / Structural statistics and checks of published figures."""
    from . import api
    from .stats import BY_CHOICES

    _check_choice("--format", fmt, ("console", "json", "xlsx", "markdown"))
    _check_choice("--by", by, BY_CHOICES)
    if fmt == "xlsx" and output is None:
        raise UserError("xlsx 格式需要用 -o 指定输出文件 / -f xlsx needs -o FILE")
    if previous_as_of is not None and not previous:
        raise UserError("--previous-as-of 需要与 --previous 一起使用 / --previous-as-of needs --previous")
    date = _parse_as_of(as_of)
    try:
        prev_date = _parse_as_of(previous_as_of)
    except UserError as e:
        raise UserError(e.message.replace("--as-of", "--previous-as-of"), hint="例如 --previous-as-of 2018-01-28") from None
    err = functools.cache(_stderr)
    with _progress(err, quiet) as progress:
        result = api.stats(
            rosters, policies=policy, as_of=date, previous=previous or (), previous_as_of=prev_date,
            claims=claims, by=by, breakdown=breakdown or [], sheet=sheet, units=units, notify=_notifier(err),
            stage=_collecting_from_now_on(progress.stage),
        )
        progress.stage("writing")
        if fmt == "console" and output is None:
            progress.close()  # the report goes to the terminal the display is on
        _write_stats(result, fmt, output, err)
    raise typer.Exit(1 if result.disagreeing else 0)


def _write_stats(result: StatsResult, fmt: str, output: Path | None, err: Callable[[], Console]) -> None:
    # only the writer asked for (the workbook's pulls in openpyxl: a tenth of a second)
    if fmt == "console":
        from .report import stats_console

        if output is not None:
            with output.open("w", encoding="utf-8") as fh:
                stats_console.print_report(result, Console(file=fh, width=160, no_color=True, highlight=False))
        else:
            console = Console(highlight=False)
            stats_console.print_report(result, console if console.is_terminal else Console(highlight=False, width=160))
    elif fmt == "xlsx":
        from .report import stats_xlsx

        assert output is not None
        stats_xlsx.write(result, output)
    else:
        from .report import stats_json, stats_markdown

        text = stats_json.render(result) if fmt == "json" else stats_markdown.render(result)
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            output.write_text(text, encoding="utf-8")
    if output is not None:
        _said(err, f"已写入 {output}")


@app.command(cls=PlainCommand)
@user_errors
def serve(
    port: Annotated[int, typer.Option("--port", metavar="PORT", help="端口")] = 8765,
    host: Annotated[str, typer.Option("--host", metavar="HOST", help="监听地址；默认只对本机开放，其他地址须凭控制台打印的令牌访问")] = "127.0.0.1",
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
    max_upload_mb: Annotated[int, typer.Option("--max-upload-mb", metavar="MB", help="一次上传的文件合计上限（MB）")] = 200,
) -> None:
    """在本机浏览器里检查名单（网页版）。 / The same checks on a local web page."""
    from .serve import Started
    from .serve import serve as run_server

    if not 0 <= port <= 65535:
        raise UserError(f"--port 的值 {port} 无效 / invalid port")
    if max_upload_mb < 1:
        raise UserError(f"--max-upload-mb 的值 {max_upload_mb} 无效 / invalid upload limit")

    def started(s: Started) -> None:
        out = Console(highlight=False, soft_wrap=True)
        out.print(f"vetting 网页版已启动 / vetting serve is running: {s.url}")
        if s.token:
            out.print(f"访问令牌 / access token: {s.token}（凭此令牌才能访问 / required on every request）")
        out.print("关闭此窗口或按 Ctrl+C 停止；停止时删除上传的文件。/ Ctrl+C stops it and deletes the uploads.")
        sys.stdout.flush()

    run_server(host=host, port=port, open_browser=not no_browser, max_upload=max_upload_mb * 1_000_000, on_started=started)


from . import cli_suggest  # noqa: E402,F401  (registers `vetting suggest` on the app)
from .cli_review import review_app  # noqa: E402 - the `review` sub-commands (their imports are lazy)

app.add_typer(review_app, name="review")


def main() -> None:
    """Entry point (`vetting`, `python -m vetting`). Leaves without tearing the interpreter down
    (freeing every object of a large roster one by one, a noticeable part of a run): output is
    flushed, nothing else is pending."""
    # pydantic looks for plugins (observability hooks that packages register) among the entry
    # points of every installed distribution when the first model is built; the command line
    # has no use for them (an explicit setting is kept).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        _pause_gc_for_start_up(sys.argv[1:])
        _keep_only_the_command_run(sys.argv[1:])
        app()
        code: int = 0
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:  # a message: as Python prints it
            print(e.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:
        code = 130
    except Exception:  # a bug, not the user's input: keep the traceback, exit 3 (not 1 = findings)
        import traceback

        traceback.print_exc()
        print("vetting 内部错误（程序缺陷），请把以上信息报告给维护者。/ internal error: please report it.", file=sys.stderr)
        code = 3
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (vetting lint … | head)
        pass
    os._exit(code)


def _keep_only_the_command_run(args: list[str]) -> None:
    """typer builds the whole command tree (every option of every command, each with a pydantic
    adapter) before it parses anything: a tenth of a small run. When the first argument names a
    top-level command, that command alone is registered (the group and its callback stay, so
    parsing, `--help` and errors are those of the full tree); anything else keeps every command."""
    from typer.main import get_command_name

    if not args or args[0].startswith("-"):
        return
    named = [c for c in app.registered_commands if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == args[0]]
    if named:
        app.registered_commands = named
        app.registered_groups = []


def _print_user_error(e: UserError) -> None:
    from rich.panel import Panel
    from rich.text import Text

    err = _stderr()
    body = Text()
    if e.where:
        body.append(e.where + "\n", style="bold")
    body.append(e.message)
    for d in e.details:
        body.append("\n  • " + d)
    if e.hint:
        body.append("\n" + e.hint, style="dim")
    if os.environ.get("VETTING_PLAIN_ERRORS") or not err.is_terminal:
        err.print(body, soft_wrap=True)
    else:
        err.print(Panel(body, title="vetting 无法完成", border_style="red", expand=False))
