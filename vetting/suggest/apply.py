"""Apply a plan to the slate: the proposed slate as a roster, ready to lint or to write out."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..roster.load import Roster
from .probe import with_posts

ORG = ("district", "township", "unit", "unit_type")


@dataclass(frozen=True)
class Step:
    """One change in frame terms: roster row `row` (replace, remove, also_stand, move) and/or
    pool row `pool` (add, replace) in posts (party, committee), in the unit of roster row `at`."""

    action: str
    row: int | None
    pool: int | None
    party: str | None
    committee: str | None
    at: int  # a roster row of the unit (for add: its last row)


def apply_steps(roster: Roster, pool: Roster, steps: list[Step]) -> tuple[Roster, list[int], set[int]]:
    """The proposed slate, and for each of its rows where it came from: a roster row `i` as `i`,
    a pool row `j` as `-(j + 1)`; plus the rows (in the new frame) that changed."""
    f = roster.frame
    party = f["party_post"].to_list()
    committee = f["committee_post"].to_list()
    changed_old: set[int] = set()
    dropped: set[int] = set()
    added: list[tuple[float, Step]] = []
    for n, s in enumerate(steps):
        row = s.row if s.row is not None else -1
        if s.action in ("also_stand", "move"):
            party[row], committee[row] = s.party, s.committee
            changed_old.add(row)
        elif s.action == "remove":
            dropped.add(row)
        elif s.action == "replace":
            dropped.add(row)
            added.append((row + 0.25 + n * 1e-6, s))
        elif s.action == "add":
            added.append((s.at + 0.5 + n * 1e-6, s))
    base = f.with_row_index("_i")
    mask = pl.Series([i in changed_old for i in range(f.height)], dtype=pl.Boolean)
    for key, new in (("party_post", party), ("committee_post", committee)):
        s_new = pl.Series(key, new, dtype=pl.String)
        base = base.with_columns(s_new)
        if f"{key}:raw" in f.columns:
            base = base.with_columns(s_new.zip_with(mask, f[f"{key}:raw"]).alias(f"{key}:raw"))
    parts = [base.filter(~pl.col("_i").is_in(list(dropped)))]
    origin_key = [(float(i), i) for i in range(f.height) if i not in dropped]
    if added:
        pf = pool.frame
        rows = [s.pool if s.pool is not None else -1 for _, s in added]
        sub = pf[rows]
        sub = with_posts(sub, [s.party for _, s in added], [s.committee for _, s in added])
        org = f[[s.at for _, s in added]]
        cols = {}
        for k in ORG:
            for c in (k, f"{k}:raw"):
                if c in f.columns:
                    cols[c] = org[c]
        sub = sub.with_columns(**cols)
        sub = sub.with_columns((pl.col("_src").cast(pl.Int32) + len(roster.sources)).cast(pl.UInt16))
        schema = f.schema
        sub = sub.select([
            (pl.col(c).cast(schema[c]) if c in sub.columns else pl.lit(None, dtype=schema[c])).alias(c)
            for c in f.columns
        ]).with_columns(pl.Series("_i", [-(j + 1) for j in rows], dtype=pl.Int64))
        parts.append(sub)
        origin_key += [(k, -(j + 1)) for (k, _), j in zip(added, rows, strict=True)]
    parts[0] = parts[0].with_columns(pl.col("_i").cast(pl.Int64)).select([*f.columns, "_i"])
    frame = pl.concat(parts, how="vertical")
    keys = [k for k, _ in origin_key]
    frame = frame.with_columns(pl.Series("_k", keys)).sort("_k", maintain_order=True)
    origin = frame["_i"].to_list()
    frame = frame.drop("_i", "_k")
    changed = {n for n, o in enumerate(origin) if o < 0 or o in changed_old}
    gone = {(s.path, s.sheet, int(f["_row"][r])) for r in dropped for s in [roster.sources[int(f["_src"][r])]]}
    findings = [x for x in roster.findings if (x.location.path, x.location.sheet, x.location.row) not in gone]
    # (the unit table stays with the slate: its verification lint runs the PR rules too)
    slate = Roster(frame=frame, sources=[*roster.sources, *pool.sources], fields=roster.fields, findings=findings,
                   units=roster.units)
    return slate, origin, changed
