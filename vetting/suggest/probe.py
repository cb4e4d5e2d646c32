"""Probing: lint people in posts they do not hold yet, with the real linter.

A probe row is a copy of a person's row (pool or roster) with other posts, alone in a unit of
its own; the person findings it gets are the findings that person would bring to that post
(十不能, EL003 for a party post, SD001 for a 书记 or 主任, ST004 for an over-age new entrant…).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import polars as pl

from ..engine import evaluate
from ..findings import Finding
from ..policy.resolve import EffectivePolicy
from ..roster.load import Roster

Combo = tuple[str | None, str | None]  # (party post, committee post)


def with_posts(frame: pl.DataFrame, party: list[str | None], committee: list[str | None]) -> pl.DataFrame:
    """`frame` with its proposed posts (parsed and as written) replaced, no supervisory post."""
    cols = {
        "party_post": pl.Series(party, dtype=pl.String),
        "committee_post": pl.Series(committee, dtype=pl.String),
        "supervisory_post": pl.Series([None] * frame.height, dtype=pl.String),
    }
    out = {}
    for key, s in cols.items():
        out[key] = s.alias(key)
        out[f"{key}:raw"] = s.alias(f"{key}:raw")
    return frame.with_columns(**out)


def probe(
    base: Roster,
    rows: Sequence[int],
    combos: Sequence[Combo],
    policy: EffectivePolicy,
    as_of: dt.date,
) -> list[list[Finding]]:
    """For each (frame row, combo) pair: the person findings of that person in those posts."""
    if not rows:
        return []
    sub = base.frame[list(rows)]
    n = sub.height
    sub = with_posts(sub, [c[0] for c in combos], [c[1] for c in combos])
    sub = sub.with_columns(
        pl.Series("unit", [f"~{i}" for i in range(n)], dtype=pl.String),
        pl.Series("_row", list(range(1, n + 1)), dtype=pl.UInt32),
        pl.Series("_src", [0] * n, dtype=pl.UInt16),
    )
    probe_roster = Roster(frame=sub, sources=base.sources[:1], fields=base.fields, findings=[])
    out: dict[int, list[Finding]] = defaultdict(list)
    # person rules only: a probe row is alone in its unit, its unit figures mean nothing
    person_rules = [code for code, er in policy.rules.items() if (er.rule.scope or "person") == "person"]
    for f in evaluate(probe_roster, policy, as_of=as_of, select=[*person_rules, "DQ010"]):
        if f.scope == "person" and f.location.row is not None:
            out[f.location.row - 1].append(f)
    return [out[i] for i in range(n)]
