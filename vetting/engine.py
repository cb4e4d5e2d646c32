"""The engine: compile a policy once, evaluate a roster, return findings as data.

    roster (frame) + policy (rules) --compile--> checks --evaluate--> findings

Person rules are evaluated together in one polars pass; group and cross-row rules each run
their own aggregation or join. Only findings become Python objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import polars as pl

from ._collect import engine_for
from ._gc import gc_paused
from .asof import ReferenceDates
from .checks import CHECKS, Batch, Check
from .checks.base import Queried
from .checks.context import Context
from .checks.group import LEVEL_KEYS
from .derive import with_derived
from .findings import Finding, sort_findings
from .policy.resolve import EffectivePolicy
from .result import InputRef, LintResult
from .roster.load import Roster
from .selection import is_selected

# Rosters from this many rows evaluate group and person checks side by side (threads).
PARALLEL_ROWS = 20_000


@gc_paused()  # (a million-row roster: some 70,000 findings; the collector took a tenth of the checks)
def evaluate(
    roster: Roster,
    policy: EffectivePolicy,
    *,
    as_of: dt.date,
    lang: str = "zh",
    show_pii: bool = False,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    dates: ReferenceDates | None = None,
    pseudonym: Callable[[str], str] | None = None,
) -> list[Finding]:
    """All findings for a roster: its data-quality findings and the policy's rules. `dates`:
    units checked at their own election date (asof.py); without it everyone is at `as_of`.
    `pseudonym`: what the checks put in a subject for a person's key (pseudonym.Pseudonyms,
    so that the findings need no copy with it later); the roster's own findings keep the key."""
    findings = [f for f in roster.findings if is_selected(f.code, select, ignore)]
    if roster.frame.height == 0:
        return sort_findings(findings)
    unit_dates = dict(dates.by_unit) if dates is not None else {}
    frame = with_derived(roster.frame, as_of, roster.units, unit_dates)  # (and each person's unit facts)
    ctx = Context(
        policy=policy, roster=roster, as_of=as_of, lang=lang, show_pii=show_pii, unit_dates=unit_dates,
        as_of_given=dates is None or dates.has_fallback, pseudonym=pseudonym,
    )
    dq010 = is_selected("DQ010", select, ignore)
    checks: list[Check] = [
        CHECKS[kind](er, ctx)
        for code, er in policy.rules.items()
        if is_selected(code, select, ignore)
        for kind in er.rule.kinds
    ]
    rows_phase = [c for c in checks if c.phase == "rows"]
    others = [c for c in checks if c.phase != "rows"]
    rows = None
    if rows_phase:
        exprs = {name: e for c in rows_phase for name, e in c.row_exprs().items()}
        rows = frame.select(**exprs)

    hit_frame, batch = frame, Batch(rows=rows)
    if rows is not None and rows.width:
        # Only the rows where some person rule fires or cannot be decided (a few per cent of a
        # roster) can have a finding: the checks filter those, not the whole roster, once each.
        hit = rows.select(pl.any_horizontal(pl.all())).to_series()
        batch = Batch(rows=rows.filter(hit))
        hit_frame = frame.filter(hit)
        # their polars work, all collected at once, before the group checks start (checks/base.py)
        asked = [(c, c.queries(hit_frame, batch)) for c in rows_phase if isinstance(c, Queried)]
        todo = [q for _, qs in asked for q in qs if q is not None]
        done = iter(pl.collect_all(todo, engine=engine_for(frame.height)) if todo else [])
        for c, qs in asked:
            c.prepared([next(done) if q is not None else None for q in qs])

    def run_person() -> list[Finding]:
        return [f for c in rows_phase for f in c.findings(hit_frame, batch)]

    def run_others() -> list[Finding]:
        # Group rules measure their groups in one group-by per level, all rules together.
        levels: dict[str, list[pl.Expr]] = {}
        for i, c in enumerate(others):
            for lv, aggs in c.aggregations(f"g{i}:").items():
                levels.setdefault(lv, []).extend(aggs)
        grouped: dict[str, pl.DataFrame] = {}
        have = frame.columns
        for lv, aggs in levels.items():
            keys = [k for k in LEVEL_KEYS[lv] if k in have]
            aggs = [*aggs, pl.col("_src").first().alias("_src")]
            # only the columns the measures read: a group-by copies (rechunks) its whole input
            used = dict.fromkeys([*keys, *(c for a in aggs for c in a.meta.root_names())])
            narrow = frame.select(list(used))
            distinct, copies = _distinct_aggregations(aggs)
            grouped[lv] = narrow.group_by(keys, maintain_order=True).agg(distinct) if keys else narrow.select(distinct)
            if copies:
                grouped[lv] = grouped[lv].with_columns(copies)
        out: list[Finding] = []
        for i, c in enumerate(others):
            out += c.findings(frame, Batch(groups=grouped, prefix=f"g{i}:"))
        return out

    # Person checks spend their time in Python (a message per finding), group and cross-row
    # checks in polars (aggregations, joins), which lets Python run meanwhile: the two kinds go
    # side by side. Findings keep the order of the checks either way.
    if rows_phase and others and frame.height >= PARALLEL_ROWS:
        from concurrent.futures import ThreadPoolExecutor  # (imported when needed: start-up)

        with ThreadPoolExecutor(max_workers=1) as pool:
            later = pool.submit(run_others)
            findings += run_person()
            findings += later.result()
    else:
        findings += run_person()
        findings += run_others()
    if not dq010:
        findings = [f for f in findings if f.code != "DQ010"]
    return sort_findings(findings)


def _distinct_aggregations(aggs: list[pl.Expr]) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """The aggregations that differ (by expression, whatever their names), and a copy of the
    first one's column under each other name. Group rules often measure the same thing (the
    members of a unit counted by several targets and rules): a group-by of a million rows
    computes each once."""
    distinct: list[tuple[pl.Expr, pl.Expr]] = []  # (expression without its name, the aggregation)
    copies: list[pl.Expr] = []
    for a in aggs:
        bare = a.meta.undo_aliases()
        same = next((kept for b, kept in distinct if b.meta.eq(bare)), None)
        if same is None:
            distinct.append((bare, a))
        else:
            copies.append(pl.col(same.meta.output_name()).alias(a.meta.output_name()))
    return [a for _, a in distinct], copies


def summarize(roster: Roster) -> tuple[int, int, int]:
    """(rows, distinct people, distinct units)."""
    f = roster.frame
    if f.height == 0:
        return 0, 0, 0
    people = f.select(pl.col("person").n_unique()).item()
    have = f.columns
    unit_keys = [k for k in ("district", "township", "unit") if k in have]
    units = f.select(unit_keys).filter(pl.col("unit").is_not_null()).unique().height
    return f.height, people, units


def lint(
    roster: Roster,
    policy: EffectivePolicy,
    *,
    as_of: dt.date,
    lang: str = "zh",
    show_pii: bool = False,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    dates: ReferenceDates | None = None,
    pseudonym: Callable[[str], str] | None = None,
) -> LintResult:
    def checked() -> list[Finding]:
        return evaluate(
            roster, policy, as_of=as_of, lang=lang, show_pii=show_pii, select=select, ignore=ignore, dates=dates,
            pseudonym=pseudonym,
        )

    if roster.frame.height >= PARALLEL_ROWS:
        # the counts (polars) alongside the checks, which leave a core free while in Python
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as pool:
            counted = pool.submit(summarize, roster)
            findings = checked()
            rows, people, units = counted.result()
    else:
        findings = checked()
        rows, people, units = summarize(roster)
    inputs = [
        InputRef(s.path, s.sheet, s.rows, s.format, s.encoding, s.header_row, s.notes, s.remarks)
        for s in roster.sources
    ]
    return LintResult(findings, as_of, policy, inputs, rows, people, units, lang, roster=roster, dates=dates)
