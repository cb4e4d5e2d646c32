"""`vetting stats --format json`: the document of stats.md (shares as fractions and means as
plain numbers at full precision; a share or mean over nobody is null)."""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import Any

from ..result import TOOL
from ..stats import CHANGES, GroupStats, StatsResult
from ..stats.figures import Figure
from .fastjson import dumps_indent2, dumps_value


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
    return _document(result, [group_dict(g, result.breakdown_columns) for g in result.groups])


def _document(result: StatsResult, groups: list[Any]) -> dict[str, Any]:
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
    doc["groups"] = groups
    doc["claims"] = [c.as_json() for c in result.claims]
    if result.procedure is not None:
        doc["procedure"] = result.procedure.as_json()
    return doc


_MARK = "\x00groups\x00"


def render(result: StatsResult) -> str:
    """`json.dumps(document(result), ensure_ascii=False, indent=2)` + a line break, the same
    text: the groups (one per unit: tens of thousands at national scale, two dozen figures
    each) written by `_group_text`, the rest by the shared encoder."""
    if not result.groups:
        return dumps_indent2(document(result)) + "\n"
    head, tail = (dumps_indent2(_document(result, [_MARK])) + "\n").split(encode_basestring(_MARK))
    nl = "\n    "  # a group's line in the document's "groups" list
    breakdown = result.breakdown_columns
    return head + ("," + nl).join([_group_text(g, breakdown, nl) for g in result.groups]) + tail


def _group_text(g: GroupStats, breakdown: list[str], nl: str) -> str:
    """`dumps_value(group_dict(g, breakdown), nl)`, its figures written directly."""
    inner = nl + "  "
    if g.figures:
        fig_nl = inner + "  "
        figures = "{" + fig_nl + ("," + fig_nl).join(
            [_key(k) + _figure_text(f, fig_nl) for k, f in g.figures.items()]
        ) + inner + "}"
    else:
        figures = "{}"
    if g.previous is None and not breakdown:
        rest = ['"breakdown": {}', '"previous": null']
    else:  # (rare: --previous, --breakdown) as group_dict writes them
        whole = group_dict(g, breakdown)
        rest = [_key(k) + dumps_value(whole[k], inner) for k in ("breakdown", "previous")]
    return "{" + inner + ("," + inner).join([
        '"level": ' + dumps_value(g.level, inner),
        '"district": ' + dumps_value(g.district, inner),
        '"township": ' + dumps_value(g.township, inner),
        '"unit": ' + dumps_value(g.unit, inner),
        '"figures": ' + figures,
        *rest,
    ]) + nl + "}"


_KEYS: dict[str, str] = {}


def _key(k: str) -> str:
    text = _KEYS.get(k)
    if text is None:
        text = _KEYS[k] = encode_basestring(k) + ": "
    return text


def _num(x: Any) -> str:
    if type(x) is int:
        return int.__repr__(x)
    if type(x) is float and x - x == 0:  # finite
        return float.__repr__(x)
    return dumps_value(x, "")  # None, NaN, anything else: as json writes it


def _figure_text(f: Figure, nl: str) -> str:
    """`dumps_value(f.as_json(), nl)`, without the dictionary."""
    inner = nl + "  "
    if f.n is not None:
        return f'{{{inner}"mean": {_num(f.mean_number)},{inner}"n": {_num(f.n)}{nl}}}'
    if f.of is None:
        return f'{{{inner}"count": {_num(f.count)}{nl}}}'
    return f'{{{inner}"count": {_num(f.count)},{inner}"share": {_num(f.share_number)},{inner}"of": {dumps_value(f.of, inner)}{nl}}}'
