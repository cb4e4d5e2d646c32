"""The engine computes an aggregation that several group rules share once per group-by, and
gives each rule its column under its own name."""

from __future__ import annotations

import polars as pl

from vetting.engine import _distinct_aggregations


def test_the_same_aggregation_is_computed_once_under_every_name() -> None:
    members = pl.col("person").filter(pl.col("m"))
    aggs = [
        members.n_unique().alias("g0:0:n"),
        members.n_unique().alias("g0:0:lo"),
        pl.col("person").filter(pl.col("m") & pl.col("x").is_in([1, 2])).n_unique().alias("g1:0:lo"),
        pl.col("person").filter(pl.col("m") & pl.col("x").is_in([1, 3])).n_unique().alias("g1:0:hi"),
        members.n_unique().alias("g2:0:n"),
        pl.col("x").mean().alias("g3:0:lo"),
    ]
    distinct, copies = _distinct_aggregations(aggs)
    assert [a.meta.output_name() for a in distinct] == ["g0:0:n", "g1:0:lo", "g1:0:hi", "g3:0:lo"]
    assert [c.meta.output_name() for c in copies] == ["g0:0:lo", "g2:0:n"]
    frame = pl.DataFrame({
        "unit": ["a", "a", "a", "b", "b", None],
        "person": ["p1", "p1", "p2", "p3", None, "p4"],
        "m": [True, True, False, True, True, True],
        "x": [1, 2, 3, 1, None, 3],
    })
    whole = frame.group_by("unit", maintain_order=True).agg(aggs)
    shared = frame.group_by("unit", maintain_order=True).agg(distinct).with_columns(copies)
    assert shared.select(whole.columns).equals(whole)
    assert whole["g1:0:lo"].to_list() != whole["g1:0:hi"].to_list()  # (not merged: they differ)
