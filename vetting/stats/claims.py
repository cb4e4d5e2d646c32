"""Published statements (claims), read with positions and checked at the precision they were
stated at."""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import Problem, UserError
from ..messages import level_label
from .display import _fmt_decimal, round_half_up
from .figures import CHANGES, FIGURES, TURNOVER, Figure, GroupStats, StatsResult

if TYPE_CHECKING:  # the models are imported where a claims file is read (claim_model.py)
    from .claim_model import Claim

# --------------------------------------------------------------------------------------------
# Claims: published statements, checked at the precision they were stated at


Number = str | int | float


@dataclass(frozen=True)
class Stated:
    """A number as published: its value, how many decimals it was written with, and whether it
    is a percentage (`98.2%`) or a fraction (`0.982`)."""

    value: Decimal
    decimals: int
    percent: bool = False
    text: str = ""


_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _decimal(text: str) -> Decimal | None:
    t = text.strip().replace("−", "-").replace("－", "-")
    if not _NUM.match(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _written(v: Number) -> str:
    """The number as written in YAML: quoted text as is, a YAML float by its shortest form
    (so an unquoted 46.10 is 46.1: quote it to keep the zero)."""
    if isinstance(v, bool):
        raise ValueError("不是数字 / not a number")
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("不是数字 / not a number")
        return repr(v)
    return str(v).strip()


def _places(d: Decimal) -> int:
    exp = d.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def parse_share(v: Number) -> Stated:
    """`98.2%` (or `98.2％`): a percentage; a bare number: a fraction when <= 1, else a percentage."""
    text = _written(v)
    t = text.replace("％", "%")
    percent = t.endswith("%")
    d = _decimal(t[:-1] if percent else t)
    if d is None or d < 0:
        raise ValueError(f"比例“{text}”不是数字（应写如 98.2%） / share '{text}' is not a number like 98.2%")
    if not percent and d > 1:
        percent = True
    if (percent and d > 100) or (not percent and d > 1):
        raise ValueError(f"比例“{text}”超过100% / share '{text}' is above 100%")
    return Stated(d, _places(d), percent, text)


def parse_count(v: Number, *, signed: bool = False) -> Stated:
    text = _written(v)
    d = _decimal(text)
    if d is None or d != d.to_integral_value() or "." in text:
        raise ValueError(f"人数“{text}”不是整数 / count '{text}' is not a whole number")
    if d < 0 and not signed:
        raise ValueError(f"人数“{text}”不能为负 / count '{text}' is negative")
    return Stated(d, 0, False, text)


def parse_mean(v: Number) -> Stated:
    text = _written(v)
    d = _decimal(text)
    if d is None:
        raise ValueError(f"平均数“{text}”不是数字 / mean '{text}' is not a number")
    return Stated(d, _places(d), False, text)


@dataclass
class LoadedClaim:
    """A claim as read, with where it is (file:line) and its figure path resolved."""

    claim: Claim
    path: str
    line: int
    column: int
    figure: str
    kind: Literal["figure", "breakdown", "turnover", "previous", "change"]
    key: str  # the figure / turnover / change key, or the breakdown value
    share: Stated | None
    count: Stated | None
    mean: Stated | None
    breakdown_column: str = ""
    breakdown_display: str = ""
    group_line: int | None = None

    @property
    def level(self) -> str:
        g = self.claim.group
        if g is None:
            return "roster"
        if g.unit:
            return "unit"
        if g.township:
            return "township"
        return "district"

    @property
    def stated_text(self) -> str:
        parts = [s.text for s in (self.count, self.share, self.mean) if s is not None]
        return ", ".join(parts)

    @property
    def group_label(self) -> str:
        g = self.claim.group
        if g is None:
            return level_label("roster")
        return " › ".join(p for p in (g.district, g.township, g.unit) if p)

    def error(self, message: str, hint: str | None = None, *, line: int | None = None) -> UserError:
        return UserError(f"“{self.claim.text}”：{message}", path=self.path, line=line or self.line, column=None, hint=hint)


@dataclass
class ClaimResult:
    claim: LoadedClaim
    computed: Any  # int | float | dict | None (JSON)
    computed_text: str  # the computed figure at the stated precision ("33, 64.71%")
    exact_text: str  # the computed figure in full ("33/51 = 64.706%")
    agrees: bool

    def as_json(self) -> dict[str, Any]:
        c = self.claim
        return {
            "text": c.claim.text,
            "figure": c.figure,
            "group": None if c.claim.group is None else c.claim.group.model_dump(exclude_none=True),
            "stated": c.stated_text,
            "computed": self.computed,
            "computed_as_stated": self.computed_text,
            "agrees": self.agrees,
        }


def _figure_kind(lc_kind: str, key: str) -> tuple[Literal["count", "mean"], bool, bool]:
    """(count or mean, has a share, may be negative) of what a claim names."""
    if lc_kind == "breakdown":
        return "count", True, False
    if lc_kind == "turnover":
        return "count", False, False
    if lc_kind == "change":
        return CHANGES[key], False, True
    spec = FIGURES[key]
    return spec.kind, spec.of is not None, False


def _resolve_figure(figure: str) -> tuple[str, str, str] | str:
    """-> (kind, key, breakdown column) or an error message."""
    f = figure.strip()
    if f in FIGURES:
        return "figure", f, ""
    if f.startswith("breakdown."):
        parts = f.split(".", 2)
        if len(parts) != 3 or not parts[1] or not parts[2]:
            return "breakdown 的写法是 breakdown.列名.取值（如 breakdown.人员来源.社区工作者） / write breakdown.COLUMN.VALUE"
        return "breakdown", parts[2], parts[1]
    if f.startswith("previous.changes."):
        k = f.removeprefix("previous.changes.")
        if k in CHANGES:
            return "change", k, ""
        return _unknown(k, list(CHANGES), "previous.changes.")
    if f.startswith("previous."):
        k = f.removeprefix("previous.")
        if k in TURNOVER:
            return "turnover", k, ""
        if k in FIGURES:
            return "previous", k, ""
        return _unknown(k, [*TURNOVER, *FIGURES, "changes.*"], "previous.")
    return _unknown(f, [*FIGURES, "breakdown.*", "previous.*"], "")


def _unknown(name: str, known: list[str], prefix: str) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"（是否应为 '{prefix}{close[0]}'？）" if close else ""
    return f"未知的指标 '{prefix}{name}'{hint} / unknown figure"


def load_claims(path: Path | str) -> list[LoadedClaim]:
    """Read a claims file; every problem (YAML syntax, unknown key or figure, a number that is
    not one, a share on a figure that has none) is reported at once with file:line."""
    from pydantic import ValidationError
    from ruamel.yaml.comments import CommentedSeq

    from ..documents import Pos, plain_data, position, problems_of, read_yaml
    from ..documents import at as problem
    from .claim_model import Claim

    src = read_yaml(path, display=str(path))
    tree = src.tree
    if tree is None:
        tree = CommentedSeq()
    if not isinstance(tree, list):
        raise UserError("说法文件应是一个列表（每项一条公布的说法） / a claims file is a YAML list", path=src.path, line=1)
    errors: list[Problem] = []
    out: list[LoadedClaim] = []
    for i, item in enumerate(plain_data(tree)):
        # One claim at a time, so that every claim's problems are reported together.
        try:
            claim = Claim.model_validate(item)
        except ValidationError as e:
            errors += problems_of(e, src, Claim, item, (i,))
            continue
        pos = position(src.path, tree, (i,))
        line, col = pos.line, pos.col

        def at(key: str) -> Pos:
            return position(src.path, tree, (i, key))  # noqa: B023 - called within the iteration

        resolved = _resolve_figure(claim.figure)
        if isinstance(resolved, str):
            errors.append(problem(at("figure"), resolved))
            continue
        kind, key, column = resolved
        fkind, has_share, signed = _figure_kind(kind, key)
        stated: dict[str, Stated | None] = {"share": None, "count": None, "mean": None}
        for name, parse in (("share", parse_share), ("count", functools.partial(parse_count, signed=signed)), ("mean", parse_mean)):
            v = getattr(claim, name)
            if v is None:
                continue
            try:
                stated[name] = parse(v)  # type: ignore[operator]
            except ValueError as e:
                errors.append(problem(at(name), str(e)))
        if fkind == "mean" and claim.mean is None:
            errors.append(problem(at("figure"), f"'{claim.figure}' 是平均数，应写 mean / '{claim.figure}' is a mean: state `mean`"))
        if fkind == "count" and claim.mean is not None:
            errors.append(problem(at("mean"), f"'{claim.figure}' 是人数，应写 count 或 share / '{claim.figure}' is a count: state `count` or `share`"))
        if claim.share is not None and not has_share:
            errors.append(problem(at("share"), f"'{claim.figure}' 没有比例，只能写 {'mean' if fkind == 'mean' else 'count'} / '{claim.figure}' has no share"))
        lc = LoadedClaim(
            claim=claim, path=src.path, line=line, column=col, figure=claim.figure.strip(), kind=kind, key=key,  # type: ignore[arg-type]
            share=stated["share"], count=stated["count"], mean=stated["mean"], breakdown_column=column,
        )
        if claim.group is not None:
            lc.group_line = at("group").line
        out.append(lc)
    if errors:
        errors = sorted(dict.fromkeys(errors), key=lambda p: (p.line or 0, p.column or 0))
        raise UserError(
            f"说法文件有 {len(errors)} 处错误 / the claims file has {len(errors)} error(s)",
            path=src.path, line=errors[0].line, column=errors[0].column, problems=errors,
        )
    return out


# -- checking -------------------------------------------------------------------------------


def stated_agrees(value: Fraction | None, stated: Stated) -> tuple[bool, str]:
    """Whether an exact value, rounded as the statement was written, equals it; and the value
    so written."""
    if value is None:
        return False, "—"
    x = value * 100 if stated.percent else value
    r = round_half_up(x, stated.decimals)
    text = _fmt_decimal(r, stated.decimals) + ("%" if stated.percent else "")
    return r == stated.value, text


def _find_group(lc: LoadedClaim, result: StatsResult) -> GroupStats:
    g = lc.claim.group
    level = lc.level
    if g is None:
        return result.all_groups[("roster", ())]
    candidates = [
        gs for (lv, _), gs in result.all_groups.items()
        if lv == level
        and (g.district is None or gs.district == g.district)
        and (g.township is None or gs.township == g.township)
        and (g.unit is None or gs.unit == g.unit)
    ]
    line = lc.group_line
    if not candidates:
        names = [gs.path for (lv, _), gs in result.all_groups.items() if lv == level]
        close = difflib.get_close_matches(lc.group_label, names, n=3)
        raise lc.error(
            f"名单中没有{level_label(level)}“{lc.group_label}” / no such group in the roster",
            hint=("相近的：" + "、".join(close)) if close else (("名单中的：" + "、".join(names[:12])) if names else None),
            line=line,
        )
    if len(candidates) > 1:
        where = "、".join(c.path for c in candidates)
        upper = "district" if level == "township" else "township"
        raise lc.error(
            f"“{lc.group_label}”不止一个（{where}），请在 group 中加上 {upper} / ambiguous group: add its {upper}",
            line=line,
        )
    return candidates[0]


def _exact_text(value: Fraction | int | None, fig: Figure | None = None) -> str:
    """The computed figure in full: `33/51 = 64.706%` for a share, four decimals for a mean."""
    if value is None:
        return "—"
    if fig is not None and fig.kind == "count" and fig.share is not None and fig.denominator:
        return f"{fig.count}/{fig.denominator} = {float(fig.share) * 100:.3f}%"
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{float(value):.4f}"
    return str(value)


def check_claim(lc: LoadedClaim, result: StatsResult) -> ClaimResult:
    group = _find_group(lc, result)
    fig: Figure | None = None
    mean_value: Fraction | None = None
    count_value: int | None = None
    if lc.kind == "figure":
        fig = group.figures[lc.key]
    elif lc.kind == "breakdown":
        col = group.breakdown.get(lc.breakdown_display) or {}
        fig = col.get(lc.key) or Figure(lc.key, count=0, of="members", denominator=group.figures["members"].count)
    elif lc.kind == "previous":
        assert group.previous is not None
        fig = group.previous.figures[lc.key]
    elif lc.kind == "turnover":
        assert group.previous is not None
        count_value = group.previous.turnover(lc.key)
    else:  # change
        assert group.previous is not None
        ch = group.previous.changes[lc.key]
        if CHANGES[lc.key] == "mean":
            mean_value = ch if isinstance(ch, Fraction) or ch is None else Fraction(ch)
        else:
            count_value = int(ch or 0)
    if fig is not None:
        if fig.kind == "mean":
            mean_value = fig.mean
        else:
            count_value = fig.count
    checks: list[bool] = []
    texts: list[str] = []
    computed: dict[str, Any] = {}
    if lc.count is not None:
        ok = count_value is not None and Decimal(count_value) == lc.count.value
        checks.append(ok)
        texts.append("—" if count_value is None else str(count_value))
        computed["count"] = count_value
    if lc.share is not None:
        share = fig.share if fig is not None else None
        ok, text = stated_agrees(share, lc.share)
        checks.append(ok)
        texts.append(text)
        computed["share"] = None if share is None else float(share)
    if lc.mean is not None:
        ok, text = stated_agrees(mean_value, lc.mean)
        checks.append(ok)
        texts.append(text)
        computed["mean"] = None if mean_value is None else float(mean_value)
    value: Any = next(iter(computed.values())) if len(computed) == 1 else computed
    if lc.mean is not None:
        exact = _exact_text(mean_value)
    elif fig is not None and lc.share is not None:
        exact = _exact_text(fig.count, fig)
    else:
        exact = "—" if count_value is None else str(count_value)
    return ClaimResult(lc, value, ", ".join(texts), exact, all(checks))
