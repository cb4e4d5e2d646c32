"""The library API: what the command line (and any other front end, e.g. a web page) calls.

    lint(rosters, policies=…, as_of=…)   -> LintResult   (findings; waivers, baseline applied)
    stats(rosters, policies=…, as_of=…)  -> StatsResult  (the published figures; claims checked)
    load_policy(policies)                -> EffectivePolicy (for `rules`, `explain`, `template`)

Decisions that do not depend on how a user talks to the tool live here, once: the default
policy, the as_of (given, or a regional policy's; never assumed), --select/--ignore,
waivers, baselines, claims, the over-age cap of `stats`. Nothing here prints: what a person
should be told while a run goes on is passed to `notify` as a `Notice`; the front end decides
how to show it. Problems with the user's input raise `UserError`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import UserError
from .result import LintResult

__all__ = [
    "LintResult", "Notice", "Notify", "check_codes", "default_as_of", "lint", "load_policy", "review", "sheet_notices",
    "stats", "suggest",
]

if TYPE_CHECKING:
    from .asof import ReferenceDates
    from .policy.resolve import EffectivePolicy
    from .review.run import ReviewRun
    from .roster.load import Roster
    from .stats import StatsResult
    from .suggest.model import Plan

DEFAULT_POLICY = "national"
LARGE_FILE_BYTES = 5_000_000  # reading a file this large is announced
SLOW_READ_SECONDS = 2.0  # reading that took longer is reported with its time


@dataclass(frozen=True)
class Notice:
    """Something a person should know about a run that is not a finding."""

    text: str
    kind: Literal["warning", "progress"] = "progress"


Notify = Callable[[Notice], None]


def _ignore(_: Notice) -> None:
    pass


def _no_stage(_: str) -> None:
    pass


def load_policy(policies: Sequence[str] | None = None) -> EffectivePolicy:
    """The effective policy of shipped names and/or paths, later ones layered on earlier ones."""
    from .policy.resolve import load_policies

    return load_policies(list(policies or [DEFAULT_POLICY]))


def default_as_of(policy: EffectivePolicy, as_of: dt.date | None, notify: Notify = _ignore) -> dt.date:
    """The given date, else a (regional) policy's `as_of`; otherwise a `UserError` that says how
    to give it: the election date decides every age rule and is never assumed (asof.py)."""
    from .asof import reference_date

    return reference_date(as_of, policy)


def run_dates(
    policy: EffectivePolicy, as_of: dt.date | None, roster: Roster, notify: Notify = _ignore, *, command: str = "lint"
) -> ReferenceDates:
    """The run's reference dates once the roster and its unit table are read: --as-of, else
    each unit's 选举日期 from the unit table, else the policy's `as_of` (asof.py)."""
    from .asof import reference_dates

    dates = reference_dates(as_of, policy, roster.units, command=command)
    if dates.overridden:
        notify(Notice(
            f"注意：按 --as-of {dates.default.isoformat()} 计算年龄等；单位信息表中 {dates.overridden} 个单位"
            "的选举日期与之不同，未用于年龄计算（换届程序规则仍按各单位的选举日期）。", "warning",
        ))
    elif dates.differ:
        notify(Notice(
            f"按单位信息表的选举日期计算年龄等：{len(dates.by_unit)} 个单位的选举日与 {dates.default.isoformat()} 不同"
            "（报告中列出）。"
        ))
    return dates


def _one_date(policy: EffectivePolicy, as_of: dt.date | None, rosters: Sequence[Path], roster: Roster) -> dt.date:
    """`suggest` weighs every unit's slate at one date: --as-of, else the election date that the
    unit table (the roster's, else the roster workbook's 单位信息 sheet) gives every unit (or the
    policy's as_of); units with
    different dates need --as-of (a reserve person may go to any unit)."""
    if as_of is not None:
        return as_of
    from .asof import reference_dates
    from .units.load import load_units, units_for

    table = roster.units
    if table is None:
        files = units_for(rosters, None)
        table = load_units(files, roster) if files else None
    dates = reference_dates(None, policy, table, command="suggest")
    groups = [u.group for u in table.roster_units] if table is not None else []
    used = sorted({dates.of(g) for g in groups}) or [dates.default]
    if len(used) > 1:
        raise UserError(
            "suggest 按同一个选举日比较各村(社区)的调整方案，单位信息表中各单位的选举日期不同（"
            + "、".join(d.isoformat() for d in used[:5]) + ("等" if len(used) > 5 else "") + "）"
            " / suggest weighs all units at one date, and the unit table's election dates differ",
            hint="请用 --as-of 给出计算年龄所用的日期，如 --as-of " + used[0].isoformat(),
        )
    return used[0]


def _may_have_unit_dates(rosters: Sequence[Path], units: Path | None) -> bool:
    from .units.load import units_for

    return bool(units_for(rosters, units))


def check_codes(select: Sequence[str], ignore: Sequence[str], policy: EffectivePolicy) -> None:
    """--select/--ignore prefixes that match no rule: a `UserError` with a did-you-mean."""
    from .codes import check_prefixes
    from .dq import BUILTIN_RULES

    known = [*policy.rules, *policy.disabled, *BUILTIN_RULES]
    check_prefixes("--select", select, known)
    check_prefixes("--ignore", ignore, known)


def sheet_notices(roster: Roster) -> list[Notice]:
    """For each workbook of several sheets: which sheets were read, which were skipped and why
    (nothing the user gave is passed over silently)."""
    by_path: dict[str, list[str]] = {}
    for s in roster.sources:
        if s.sheet is not None:
            by_path.setdefault(s.path, []).append(f"“{s.sheet}”（{s.rows}行）")
    skipped: dict[str, list[str]] = {}
    for path, name, why in roster.skipped_sheets:
        skipped.setdefault(path, []).append(f"“{name}”（{why.split(' / ')[0]}）")
    out = []
    for path in dict.fromkeys([*by_path, *skipped]):
        read, passed = by_path.get(path, []), skipped.get(path, [])
        if len(read) + len(passed) < 2:
            continue
        line = f"{path}：读取工作表 " + "、".join(read)
        if passed:
            line += "；跳过 " + "、".join(passed)
        out.append(Notice(line))
    return out


def age_param(policy: EffectivePolicy, name: str, default: int) -> int:
    """An age parameter of the policy (youth_max_age, incumbent_max_age), else the default."""
    value = policy.params[name].spec.value if name in policy.params else default
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise UserError(f"政策参数 {name} 应是年龄（整数），而不是 {value!r} / {name} must be a number")
    return int(value)


def _reading(notify: Notify) -> Callable[[str], None]:
    """A reader's progress callback: reading a large file is announced."""

    def progress(path: str) -> None:
        size = Path(path).stat().st_size if Path(path).exists() else 0
        if size > LARGE_FILE_BYTES:
            notify(Notice(f"正在读取 {path}（{size / 1e6:.1f} MB）…"))

    return progress


def _read(
    paths: Sequence[Path], policy: EffectivePolicy, *, sheet: str | Sequence[str] | None, lang: str, notify: Notify
) -> Roster:
    from .roster.load import load_roster

    roster = load_roster(paths, fields=policy.fields.values(), sheet=sheet, lang=lang, on_progress=_reading(notify))
    for notice in sheet_notices(roster):
        notify(notice)
    return roster


def _attach_units(
    roster: Roster, rosters: Sequence[Path], units: Path | None, policy: EffectivePolicy, lang: str, notify: Notify
) -> None:
    """Read the unit table (`units`, or the 单位信息 sheet of a roster workbook) and give it to
    the roster; without one, say once that the election procedure rules were not checked."""
    from .units.load import attach, load_units, units_for

    files = units_for(rosters, units)
    if files:
        attach(roster, load_units(files, roster, lang=lang))
        return
    codes = [c for c, er in policy.rules.items() if er.rule.facts is not None]
    if codes:
        notify(Notice(
            f"注意：没有单位信息表（--units 或名单工作簿中的“单位信息”工作表），换届程序规则 {codes[0]}-{codes[-1]} 未检查。",
            "warning",
        ))


def lint(
    rosters: Sequence[Path],
    *,
    policies: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    waivers: Path | None = None,
    baseline: Path | None = None,
    write_baseline: Path | None = None,
    sheet: str | Sequence[str] | None = None,
    lang: str = "zh",
    show_pii: bool = False,
    units: Path | None = None,
    notify: Notify = _ignore,
    stage: Callable[[str], None] = _no_stage,
    pseudonym_key: bytes | None = None,
    returns: Sequence[Path] = (),
    hits_only: Sequence[str] = (),
) -> LintResult:
    """Check rosters against policies. `select`/`ignore` take code prefixes as typed
    (`"TN,SQ01"`); waivers mark findings as waived; a baseline keeps only new findings (the
    others are listed in `result.fixed`); `write_baseline` records the findings reported.
    The unit table (单位信息) is `units`, else a 单位信息 sheet of a roster workbook; without one
    the election procedure rules are not evaluated (a notice says so once).
    `stage` is told what the run does next ("reading", "checking"), for a progress display."""
    from .engine import lint as run_lint
    from .findings import sort_findings
    from .pseudonym import HINT as PSEUDONYM_HINT
    from .pseudonym import Pseudonyms, configured_key, pseudonymise
    from .selection import split_codes

    policy = load_policy(policies)
    loaded_waivers = None
    if waivers:  # (vetting.waivers and its models are imported only by runs that use them)
        from .waivers import load_waivers

        loaded_waivers = load_waivers(waivers, policy)
    if not _may_have_unit_dates(rosters, units):
        default_as_of(policy, as_of, notify)  # no unit table to give dates: stop before reading
    check_codes(split_codes(select), split_codes(ignore), policy)
    key = pseudonym_key or configured_key()  # (a front end may keep its own, e.g. per session)
    if key is None and (baseline is not None or write_baseline is not None):
        raise UserError(
            "基线按人员的化名比较，需要一个由用户保管的密钥 / a baseline needs your pseudonym key",
            hint=PSEUDONYM_HINT,
        )
    started = time.monotonic()
    stage("reading")
    roster = _read(rosters, policy, sheet=sheet, lang=lang, notify=notify)
    _attach_units(roster, rosters, units, policy, lang, notify)
    dates = run_dates(policy, as_of, roster, notify)
    date = dates.default
    if time.monotonic() - started > SLOW_READ_SECONDS:
        notify(Notice(f"已读取 {roster.frame.height} 行，用时 {time.monotonic() - started:.1f} 秒"))
    merged = None
    if returns or hits_only:  # the joint review's returns (`--returns`), merged in memory first
        from .review.merge import merge_returns, read_returns
        from .review.run import expand_returns, parse_hits_only

        read = read_returns(expand_returns(returns), policy, hits_only=parse_hits_only(hits_only))
        merged = merge_returns(roster, policy, read, lang=lang)
        roster = merged.roster
        for note in merged.notes:
            notify(Notice("注意：" + note, "warning"))
    stage("checking")
    pseudonyms = Pseudonyms(key) if key else Pseudonyms.of_roster(
        roster.frame["person"] if "person" in roster.frame.columns else []
    )
    result = run_lint(
        roster, policy, as_of=date, lang=lang, show_pii=show_pii,
        select=split_codes(select), ignore=split_codes(ignore), dates=dates,
        # the checks' subjects get their pseudonyms at once, unless the returns' provenance
        # (cite_provenance) still has to match the findings by the roster's own keys
        pseudonym=pseudonyms if merged is None else None,
    )
    if merged is not None:
        from .review.merge import cite_provenance
        from .selection import is_selected

        rv = [f for f in merged.findings if is_selected(f.code, split_codes(select), split_codes(ignore))]
        result.findings = sort_findings(cite_provenance(result.findings, merged, policy) + rv)
    if result.rows == 0:
        notify(Notice(
            "注意：名单中没有读到任何人员数据行（只有表头？）。请确认文件和工作表是否正确（--sheet）。", "warning"
        ))
    result.findings = pseudonymise(result.findings, pseudonyms)
    if loaded_waivers is not None:
        from .waivers import apply_waivers

        result.findings = sort_findings(apply_waivers(result.findings, loaded_waivers, lang=lang))
    if baseline is not None:
        from .waivers import apply_baseline

        result.findings, result.fixed = apply_baseline(baseline, result.findings)
        notify(Notice(f"基线：{len(result.fixed)} 个已记录的问题已不再出现，报告其余 {len(result.findings)} 个新问题"))
    if write_baseline is not None:
        from .waivers import write_baseline as write_baseline_file

        write_baseline_file(write_baseline, result.findings, date)
        notify(Notice(f"已把 {len(result.findings)} 个问题写入基线 {write_baseline}"))
    return result


def stats(
    rosters: Sequence[Path],
    *,
    policies: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    previous: Sequence[Path] = (),
    previous_as_of: dt.date | None = None,
    claims: Path | None = None,
    by: str = "township",
    breakdown: Sequence[str] = (),
    sheet: str | Sequence[str] | None = None,
    units: Path | None = None,
    notify: Notify = _ignore,
    stage: Callable[[str], None] = _no_stage,
) -> StatsResult:
    """The structural figures of rosters (and of the previous term's, when given), with the
    published statements in `claims` checked against them. `stage` as in `lint`."""
    from .derive import YOUTH_MAX_AGE
    from .stats import DEFAULT_OVER_AGE_CAP, compute_stats, load_claims

    loaded_claims = load_claims(claims) if claims is not None else []
    if not previous:
        for lc in loaded_claims:
            if lc.figure.startswith("previous."):
                raise lc.error(f"这条说法与上届比较（{lc.figure}），需要用 --previous 给出上届名单 / a claim on the previous term needs --previous OLD")
    from .units.load import load_units, units_for

    policy = load_policy(policies)
    unit_files = units_for(rosters, units)
    if not unit_files:
        default_as_of(policy, as_of, notify)  # no unit table to give dates: stop before reading
    cap = age_param(policy, "incumbent_max_age", DEFAULT_OVER_AGE_CAP)
    youth = age_param(policy, "youth_max_age", YOUTH_MAX_AGE)
    started = time.monotonic()
    stage("reading")
    roster = _read(rosters, policy, sheet=sheet, lang="zh", notify=notify)
    table = load_units(unit_files, roster) if unit_files else None
    roster.units = table  # (its DQ findings are lint's to report)
    dates = run_dates(policy, as_of, roster, notify, command="stats")
    date = dates.default
    if previous and previous_as_of is None:
        from .asof import previous_term_default

        previous_as_of, years = previous_term_default(date, policy)
        notify(Notice(
            f"上届选举日按本届选举日减 {years} 年（政策参数 previous_term_years）计为 {previous_as_of.isoformat()}；"
            "可用 --previous-as-of 指定。"
        ))
    old = _read(previous, policy, sheet=sheet, lang="zh", notify=notify) if previous else None
    if time.monotonic() - started > SLOW_READ_SECONDS:
        notify(Notice(f"已读取 {roster.frame.height} 行，用时 {time.monotonic() - started:.1f} 秒"))
    stage("computing")
    result = compute_stats(
        roster, as_of=date, policy=policy.name, by=by, breakdown=breakdown, previous=old,
        previous_as_of=previous_as_of, over_age_cap=cap, claims=loaded_claims,
        claims_path=str(claims) if claims is not None else None, youth_max_age=youth,
        unit_dates=dates.by_unit,
    )
    if table is not None:  # the unit table's figures: 差额比例, days of notice
        from .units.figures import procedure_figures

        result.procedure = procedure_figures(table, date)
    problems = sum(1 for r in (roster, old) if r is not None for f in r.findings if f.severity.value == "error")
    if problems:
        notify(Notice(f"注意：名单有 {problems} 个数据质量错误（身份证号、重复等），统计可能受影响；请用 vetting lint 检查。", "warning"))
    return result


def suggest(
    rosters: Sequence[Path],
    reserve: Sequence[Path],
    *,
    policies: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    keep: Iterable[str] = (),
    max_changes: int | None = None,
    time_limit: float = 60.0,
    sheet: str | None = None,
    reserve_sheet: str | None = None,
    units: Path | None = None,
    notify: Notify = _ignore,
) -> Plan:
    """The smallest set of changes drawn from the reserve pool that meets the slate's structural
    targets (`vetting.suggest.plan`). Needs the optional solver (`vetting[suggest]`). The unit
    table (单位信息) is `units`, else a 单位信息 sheet of a roster workbook: with one, each body
    is held to its declared seats (PR010) and the plan's check runs the PR rules."""
    from .suggest.plan import Inputs
    from .suggest.plan import suggest as plan_suggest
    from .suggest.pool import load_pool
    from .suggest.solver import require_highspy
    from .units.load import attach, load_units, units_for

    require_highspy()
    if max_changes is not None and max_changes < 0:
        raise UserError(f"--max-changes 不能为负数：{max_changes}")
    if time_limit <= 0:
        raise UserError(f"--time-limit 须为正数：{time_limit}")
    policy = load_policy(policies)
    if not _may_have_unit_dates(rosters, units):
        default_as_of(policy, as_of, notify)  # no unit table to give dates: stop before reading
    roster = _read(rosters, policy, sheet=sheet, lang="zh", notify=notify)
    if roster.frame.height == 0:
        raise UserError(f"名单中没有读到任何人员数据行：{', '.join(map(str, rosters))}",
                        hint="请确认文件和工作表是否正确（--sheet）")
    unit_files = units_for(rosters, units)
    if unit_files:
        attach(roster, load_units(unit_files, roster))
    date = _one_date(policy, as_of, rosters, roster)
    pool = load_pool(reserve, fields=policy.fields.values(), sheet=reserve_sheet)
    plan = plan_suggest(Inputs(
        roster=roster, pool=pool, policy=policy, as_of=date, keep=frozenset(keep),
        max_changes=max_changes, time_limit=time_limit,
    ))
    if plan.status == "time_limit":
        gap = f"（差距 {plan.gap:.1%}）" if plan.gap is not None else "（尚未找到方案）"
        notify(Notice(f"注意：达到求解时限 {time_limit:g} 秒，方案可能不是最少调整{gap}", "warning"))
    return plan


def review(
    rosters: Sequence[Path],
    returns: Sequence[Path] = (),
    *,
    policies: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    hits_only: Sequence[str] = (),
    sheet: str | None = None,
    lang: str = "zh",
    show_pii: bool = False,
    figures: bool = False,
    notify: Notify = _ignore,
) -> ReviewRun:
    """The joint review (`vetting review merge/status/forms/summary`): the departments' returns
    merged into the roster (in memory; the roster file is never written), checked, and the
    ledger (联审台账) built. `returns` are files or folders; `hits_only` takes `DEPT=FILE` as
    `--hits-only` does. The election date is `as_of`, else each unit's 选举日期 from the roster
    workbook's 单位信息 sheet, else the policy's; never assumed (vetting.asof)."""
    from .asof import reference_date
    from .review.run import parse_hits_only, run_review
    from .units.load import units_for

    policy = load_policy(policies)
    date = as_of
    if date is None and not units_for(rosters, None):  # (a 单位信息 sheet gives each unit's 选举日期)
        date = reference_date(None, policy, command="review")  # none: stop before reading
    return run_review(rosters, returns, policy, as_of=date, hits_only=parse_hits_only(hits_only), sheet=sheet,
                      lang=lang, show_pii=show_pii, figures=figures, on_progress=_reading(notify))

