"""Unit facts as fields of the roster's people: every row of a unit carries its unit-table
values (正式党员数, 党组织类型, 是否多民族 …), so that any rule may read a unit-level fact like a
column (e.g. EL007's lower bound does not apply where 正式党员数 is below 7).

A blank fact, an unmatched unit and a run without a unit table all give null, which reads as
"nothing known" (`blank: none`): a test on it is false, never undecided, so rules behave as
before when no unit table is given. The PR rules read the unit table itself
(`vetting.checks.unit_facts`), where a blank fact is undecided (DQ010).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import polars as pl

from ..roster.columns import FieldSpec
from .columns import ORG_KEYS, UNIT_FIELDS

# The fact types a person condition can test (numbers, flags, choices; dates stay in PR rules).
_TYPES = {"count": pl.Int64(), "flag": pl.Boolean(), "party_org_type": pl.String()}

UNIT_FACT_FIELDS: tuple[FieldSpec, ...] = tuple(
    replace(f, blank="none", description=f"单位信息表：本人所在村(社区)的{f.header}")
    for f in UNIT_FIELDS
    if f.key not in (*ORG_KEYS, "unit_type") and f.type in _TYPES
)
UNIT_FACT_BY_KEY = {f.key: f for f in UNIT_FACT_FIELDS}


def with_unit_facts(frame: pl.DataFrame, table: Any) -> pl.DataFrame:
    """`frame` with a column per unit fact (null where the unit table does not say)."""
    if frame.height == 0:
        return frame
    if table is None:
        return frame.with_columns(pl.lit(None, dtype=_TYPES[f.type]).alias(f.key) for f in UNIT_FACT_FIELDS)
    keys = [k for k in ORG_KEYS if k in frame.columns]
    rows = [r for r in table.rows if r.group is not None]
    data: dict[str, Any] = {k: pl.Series(k, [r.group[ORG_KEYS.index(k)] for r in rows], dtype=pl.String) for k in keys}
    for f in UNIT_FACT_FIELDS:
        data[f.key] = pl.Series(f.key, [r.facts.get(f.key) for r in rows], dtype=_TYPES[f.type])
    facts = pl.DataFrame(data)
    out = frame.drop([f.key for f in UNIT_FACT_FIELDS if f.key in frame.columns])
    return out.join(facts, on=keys, how="left", nulls_equal=True, maintain_order="left")
