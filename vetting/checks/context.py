"""What every check needs while compiling and evaluating: the policy's fields and parameters,
the reference date, the message language, personal-data masking, and how to make findings."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from ..derive import AS_OF_COLUMN, DERIVED_BY_KEY, basis_of, is_ranged
from ..display import fmt_number, fmt_share
from ..dq import DQ_RULES
from ..findings import Finding, Location, Measure, Severity, Subject
from ..messages import pick, text
from ..policy.resolve import EffectivePolicy, EffectiveRule
from ..policy.texts import fill, param_text
from ..roster import values
from ..roster.columns import FieldSpec
from ..roster.load import Roster
from ..roster.types import field_type

BASE_COLUMNS = ("_src", "_row", "district", "township", "unit", "name", "id_number", "person", AS_OF_COLUMN)


def meets(bound: str, value: float, target: float, eps: float) -> bool:
    """Whether a measured value keeps a bound (at_least, at_most, below, above, equals) within
    `eps`, the tolerance of the caller's arithmetic."""
    if bound == "at_least":
        return value >= target - eps
    if bound == "at_most":
        return value <= target + eps
    if bound == "below":
        return value < target - eps
    if bound == "above":
        return value > target + eps
    return abs(value - target) <= eps  # equals


def render(template: str, values_: dict[str, Any]) -> str:
    """A message with its `{name}` placeholders filled (the template language of policy/texts.py);
    an unknown name is blank."""
    return fill(template, values_)


def years_before(d: dt.date, years: int) -> dt.date:
    """`d` minus whole years; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def fmt_date(lo: dt.date | None, prec: str | None, en: bool = False) -> str:
    if lo is None:
        return ""
    if prec == "year":
        return f"{lo.year}" if en else f"{lo.year}年"
    if prec == "month":
        return f"{lo.year}-{lo.month:02d}" if en else f"{lo.year}年{lo.month}月"
    return lo.isoformat() if en else f"{lo.year}年{lo.month}月{lo.day}日"


@dataclass
class Context:
    policy: EffectivePolicy
    roster: Roster
    as_of: dt.date
    lang: str = "zh"
    show_pii: bool = False
    # Units checked at their own election date (asof.py): the frame then has AS_OF_COLUMN.
    unit_dates: dict[tuple[str | None, str | None, str], dt.date] = field(default_factory=dict)
    # Whether `as_of` is a date the user gave (--as-of, a policy's as_of) rather than only the
    # most common of the unit table's dates: a blank 选举日期 counts as as_of only then.
    as_of_given: bool = True
    # What a person's key becomes in the findings' subjects (their pseudonym, see engine.lint);
    # None: the roster's own key.
    pseudonym: Callable[[str], str] | None = None

    def __post_init__(self) -> None:
        self.fields: dict[str, FieldSpec] = self.policy.all_fields
        self.en = self.lang == "en"
        # (source, field) -> where its cells are shown (file, sheet, column, letter): see `row_location`
        self._places: dict[tuple[int, str | None], tuple[str, str | None, str | None, str | None]] = {}

    # -- compile-time helpers -----------------------------------------------------------------
    def operand(self, v: Any) -> Any:
        """Resolve `$param` references and `as_of`."""
        if isinstance(v, str) and v.startswith("$"):
            return self.policy.param(v[1:])
        if v == "as_of":
            return self.as_of
        return v

    def as_of_expr(self) -> dt.date | pl.Expr:
        """The reference date in a compiled expression: each row's own where units differ."""
        return pl.col(AS_OF_COLUMN) if self.unit_dates else self.as_of

    def row_as_of(self, row: dict[str, Any]) -> dt.date:
        """The reference date a row was checked at."""
        d = row.get(AS_OF_COLUMN)
        return d if isinstance(d, dt.date) else self.as_of

    def level(self, key: str, v: Any) -> int | None:
        return field_type(self.fields[key].type).level_of(self.operand(v))

    def blank_is_unknown(self, key: str) -> bool:
        if key in DERIVED_BY_KEY:
            return DERIVED_BY_KEY[key].uncertain
        return self.fields[key].blank == "unknown"

    def header(self, key: str) -> str:
        spec = self.fields[key]
        return (spec.title_en or spec.key) if self.en else spec.header

    # -- messages -----------------------------------------------------------------------------
    def title(self, er: EffectiveRule) -> str:
        return (er.rule.title_en or er.rule.title) if self.en else er.rule.title

    def template(self, zh: str | None, en: str | None) -> str | None:
        return (en or zh) if self.en else zh

    def display(self, key: str, row: dict[str, Any]) -> str:
        """A field's value as a person reads it in a message (masked when personal)."""
        spec = self.fields.get(key)
        if spec is None:
            return ""
        if spec.personal and not self.show_pii:
            return text("pii.hidden", self.lang)
        v = row.get(key)
        typ = spec.type
        if typ == "date":
            return fmt_date(v, row.get(f"{key}:prec"), self.en)
        if typ == "flag_text":
            raw = values.clean_text(row.get(f"{key}:raw"))
            if raw and v is True:
                try:
                    values.parse_flag(raw)
                except values.ValueParseError:
                    return raw  # a description: quote it
            return pick(self.lang, "是", "yes") if v else (pick(self.lang, "否", "no") if v is False else "")
        if typ == "flag":
            return "" if v is None else (pick(self.lang, "是", "yes") if v else pick(self.lang, "否", "no"))
        if typ == "year":
            return "、".join(str(y) for y in v) if v else ""
        if typ == "percent":
            return fmt_share(v)
        if typ == "id_list":
            return "、".join(v) if v else ""
        if v is None and is_ranged(key):
            lo, hi = row.get(f"{key}:min"), row.get(f"{key}:max")
            if lo is not None and hi is not None:
                return f"{lo}-{hi}" if lo != hi else str(lo)
            return ""
        return fmt_number(v) if v is not None else ""

    @functools.cached_property
    def param_values(self) -> dict[str, Any]:
        """Each parameter as messages show it (the same for every finding: worked out once;
        callers copy it before adding their own values)."""
        return {name: param_text(p.spec.value) for name, p in self.policy.params.items()}

    # -- findings -----------------------------------------------------------------------------
    def subject(self, row: dict[str, Any]) -> Subject:
        get = row.get
        person = get("person")
        if person and self.pseudonym is not None:
            person = self.pseudonym(person)
        return Subject(get("district"), get("township"), get("unit"), get("name"), get("id_number"), person)

    def finding(
        self,
        er: EffectiveRule,
        message: str,
        *,
        row: dict[str, Any] | None = None,
        key: str | None = None,
        subject: Subject | None = None,
        location: Location | None = None,
        measure: Measure | None = None,
        severity: Severity | None = None,
        scope: str | None = None,
        code: str | None = None,
    ) -> Finding:
        rule = er.rule
        if location is None and row is not None:
            location = self.row_location(int(row["_src"]), int(row["_row"]), key)
        return Finding(
            code or rule.code,
            severity or rule.severity,
            rule.category,
            scope or rule.scope,
            self.title(er),
            message,
            subject if subject is not None else (self.subject(row) if row else Subject()),
            location or Location(),
            measure,
            None,
            rule.source.cite,
            er.order,
        )

    def row_location(self, src: int, row: int, key: str | None) -> Location:
        """Where a row's value of field `key` sits: `Roster.location` of the column the key is
        read from when the roster has it; the file, sheet and column of a source and key are
        worked out once."""
        place = self._places.get((src, key))
        if place is None:
            basis = basis_of(key) if key else key
            col = basis if basis and basis in self.roster.present else None
            s = self.roster.sources[src]  # (as `Roster.location`)
            header, letter = s.columns.get(col, (None, None)) if col else (None, None)
            place = self._places[(src, key)] = (s.path, s.sheet, header, letter)
        path, sheet, header, letter = place
        return Location(path, sheet, row, header, f"{letter}{row}" if letter and row is not None else None)

    def row_finder(self, er: EffectiveRule) -> Callable[[str, dict[str, Any], str | None], Finding]:
        """`finding(er, message, row=row, key=key)` for the many rows of one rule, with what is
        the same for each worked out once."""
        rule = er.rule
        head = (rule.code, rule.severity, rule.category, rule.scope, self.title(er))
        cite, order = rule.source.cite, er.order
        subject, location = self.subject, self.row_location

        def make(message: str, row: dict[str, Any], key: str | None) -> Finding:
            place = location(int(row["_src"]), int(row["_row"]), key)
            return Finding(*head, message, subject(row), place, None, None, cite, order)

        return make

    def undecided(self, er: EffectiveRule, message: str, **kw: Any) -> Finding:
        """DQ010: the rule `er` could not be decided here; the message says why."""
        dq = DQ_RULES["DQ010"]
        f = self.finding(er, message, **kw)
        return replace(
            f, code=dq.code, severity=dq.severity, category=dq.category, title=dq.title(self.lang),
            source=f"{er.rule.code} · {er.rule.source.cite}",
        )

    def rows(self, frame: pl.DataFrame, mask: pl.Series | pl.Expr, keys: set[str]) -> list[dict[str, Any]]:
        """The rows where `mask` holds, as dicts with the base columns and those of `keys`."""
        return frame.select(self.row_columns(frame, keys)).filter(mask).to_dicts()  # narrow first: frames are wide

    def row_columns(self, frame: pl.DataFrame, keys: set[str]) -> list[str]:
        """The columns of `rows`: the base columns and those of `keys` (each suffix of theirs)."""
        have = set(frame.columns)  # (each `frame.columns` is a new list)
        cols = [c for c in BASE_COLUMNS if c in have]
        for k in sorted(keys | {DERIVED_BY_KEY[k].basis for k in keys if k in DERIVED_BY_KEY}):
            for suffix in ("", ":raw", ":hi", ":prec", ":min", ":max", ":level"):
                name = k + suffix
                if name in have and name not in cols:
                    cols.append(name)
        return cols
