"""`vetting stats --format json`: the document of stats.md (shares as fractions and means as
plain numbers at full precision; a share or mean over nobody is null)."""

from __future__ import annotations

from typing import Any

from ..result import TOOL
from ..stats import CHANGES, GroupStats, StatsResult
from .fastjson import dumps_indent2


def _change(key: str, x: Any) -> Any:
    """A change of a mean is a plain number of years; of a count, a whole number of people."""
    if x is None:
        return None
    return float(x) if CHANGES[key] == "mean" else int(x)


def group_dict(g: GroupStats, breakdown: list[str]) -> dict[str, Any]:
    """A group as stats.md shows it; `breakdown`: the columns asked for with --breakdown (those
    only a claim named are computed for the claim, not shown)."""
    out: dict[str, Any] = {
        "level": g.level,
        "district": g.district,
        "township": g.township,
        "unit": g.unit,
        "figures": {k: f.as_json() for k, f in g.figures.items()},
        "breakdown": {col: {v: f.as_json() for v, f in g.breakdown.get(col, {}).items()} for col in breakdown},
        "previous": None,
    }
    p = g.previous
    if p is not None:
        out["previous"] = {
            "as_of": p.as_of.isoformat(),
            "continuing": {"count": p.continuing},
            "new": {"count": p.new},
            "leaving": {"count": p.leaving},
            "leaving_over_age": {"count": p.leaving_over_age},
            "figures": {k: f.as_json() for k, f in p.figures.items()},
            "changes": {k: _change(k, v) for k, v in p.changes.items()},
        }
    return out


def document(result: StatsResult) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "tool": dict(TOOL),
        "as_of": result.as_of.isoformat(),
        # units whose ages are at their own election date (the unit table's), where it differs
        **({"as_of_units": [
            {"district": g[0], "township": g[1], "unit": g[2], "as_of": d.isoformat()} for g, d in result.unit_dates
        ]} if result.unit_dates else {}),
        "policy": result.policy,
        "inputs": [{"path": i.path, "sheet": i.sheet, "rows": i.rows} for i in result.inputs],
    }
    if result.previous_as_of is not None:
        doc["previous"] = {
            "as_of": result.previous_as_of.isoformat(),
            "over_age_cap": result.over_age_cap,
            "inputs": [{"path": i.path, "sheet": i.sheet, "rows": i.rows} for i in result.previous_inputs],
        }
    doc["groups"] = [group_dict(g, result.breakdown_columns) for g in result.groups]
    doc["claims"] = [c.as_json() for c in result.claims]
    if result.procedure is not None:
        doc["procedure"] = result.procedure.as_json()
    return doc


def render(result: StatsResult) -> str:
    return dumps_indent2(document(result)) + "\n"  # = json.dumps(..., indent=2), faster
