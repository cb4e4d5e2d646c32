"""Read unit tables (单位信息) and join them to a roster.

    unit table files --roster readers--> RawTable --here--> UnitTable(rows, sources, DQ findings)

The same readers and value parsers as rosters (title rows, aliases, GBK, merged cells, dates in
every written form, blank-likes, numbers Excel stored as text). A table comes from `--units FILE`
or from a sheet named 单位信息 (or an alias) of a roster workbook.

Each row is matched to one roster unit by (district, township, unit) after the roster's
normalisation; district and township may be blank where the unit name is unique in the roster.
Problems are findings at the table's cell, never a crash:
- DQ003 a value that cannot be read, or a township / district the roster does not know;
- DQ004 a row without a unit name, or a unit name that several roster townships share while the
  row leaves its township blank;
- DQ005 the same unit twice (the later rows; the first one counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ..dq import DQ_RULES
from ..errors import UserError
from ..findings import Finding, Location, Subject
from ..messages import pick
from ..roster import values
from ..roster.headers import HeaderMatcher
from ..roster.load import Roster, Source
from ..roster.readers import RawTable, read_table
from ..roster.sheets import is_unit_sheet
from ..roster.types import field_type
from .columns import ORG_KEYS, UNIT_BY_KEY, UNIT_FIELDS

Group = tuple[str | None, str | None, str]  # (district, township, unit) as in the roster


@dataclass
class UnitRow:
    """One row of a unit table: its parsed facts and the roster unit it stands for."""

    src: int  # index into UnitTable.sources
    row: int  # the row a person sees
    facts: dict[str, Any]  # key -> int | bool | str | values.DateValue | None
    raw: dict[str, str | None]
    group: Group | None = None  # the matched roster unit; None when it has no people there
    skip_join: bool = False  # a DQ finding already says why it matches nothing

    @property
    def label(self) -> str:
        return "".join(str(self.facts.get(k)) for k in ORG_KEYS if self.facts.get(k))


@dataclass
class RosterUnit:
    """A roster unit as the join sees it: its name parts and its first roster row."""

    group: Group
    src: int
    row: int


@dataclass
class UnitTable:
    sources: list[Source]
    rows: list[UnitRow]
    findings: list[Finding] = field(default_factory=list)
    roster_units: list[RosterUnit] = field(default_factory=list)
    unmatched_roster: list[RosterUnit] = field(default_factory=list)  # roster units without a row

    @property
    def present(self) -> set[str]:
        return {k for s in self.sources for k in s.columns}

    def location(self, r: UnitRow, key: str | None) -> Location:
        s = self.sources[r.src]
        header, letter = s.columns.get(key, (None, None)) if key else (None, None)
        cell = f"{letter}{r.row}" if letter else None
        return Location(path=s.path, sheet=s.sheet, row=r.row, column=header, cell=cell)

    def by_group(self) -> dict[Group, UnitRow]:
        return {r.group: r for r in self.rows if r.group is not None}

    def election_date(self, group: Group) -> dt.date | None:
        """The unit's election date from the table (day precision only), if it gives one."""
        r = self.by_group().get(group)
        d = r.facts.get("election_date") if r else None
        return d.lo if isinstance(d, values.DateValue) and d.precision == "day" else None


def unit_sheets(path: str | Path) -> list[str]:
    """The sheets of a roster workbook that hold a unit table (by name)."""
    p = Path(path)
    if p.suffix.lower() not in (".xlsx", ".xlsm") or not p.is_file():
        return []
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(p))
    except (CalamineError, OSError, ValueError):
        return []  # the roster reader reports an unreadable workbook
    try:
        return [n for n in wb.sheet_names if is_unit_sheet(n)]
    finally:
        close = getattr(wb, "close", None)
        if close is not None:
            close()


def load_units(
    files: Sequence[tuple[str | Path, str | None]], roster: Roster | None = None, *, lang: str = "zh"
) -> UnitTable:
    """Read unit tables (each a path and, for a workbook, the sheet) and join them to `roster`.
    Raises `UserError` (exit 2) for a file that cannot be read or has no header with a unit
    column; every problem inside the table is a finding."""
    matcher = HeaderMatcher(UNIT_FIELDS)
    loader = _Loader(lang)
    for path, sheet in files:
        try:
            table = read_table(path, matcher=matcher, sheet=sheet)
        except UserError as e:
            if "表头" in e.message:
                e.message = "单位信息表：" + e.message
                e.details = [d for d in e.details if not d.startswith("必须包含的列")]
                e.hint = (
                    "单位信息表须有“村(社区)”列和至少另一可识别列（如 乡镇(街道)、党组织委员职数、选民名单公布日期），"
                    "表头在前 30 个非空行之内。 / A unit table needs a 村(社区) column and another known column."
                )
            raise
        loader.add(table, matcher)
    loader.dedupe()
    if roster is not None:
        loader.join(roster)
    return loader.out


def units_for(roster_paths: Sequence[str | Path], units_path: str | Path | None) -> list[tuple[str | Path, str | None]]:
    """Where the unit table is: `--units FILE` (for a workbook: its 单位信息 sheet if it has one,
    else its first sheet), or else the 单位信息 sheets of the roster workbooks."""
    if units_path is not None:
        sheets = unit_sheets(units_path)
        return [(units_path, sheets[0] if sheets else None)]
    return [(p, s) for p in roster_paths for s in unit_sheets(p)[:1]]


class _Loader:
    def __init__(self, lang: str):
        self.lang = lang
        self.out = UnitTable(sources=[], rows=[])

    def finding(self, code: str, r: UnitRow, key: str | None, message: str) -> Finding:
        rule = DQ_RULES[code]
        return Finding(
            code=code, severity=rule.severity, category=rule.category, scope="unit",
            title=rule.title(self.lang), message=message,
            subject=Subject(**{k: r.facts.get(k) for k in ORG_KEYS}),
            location=self.out.location(r, key), source=rule.source,
        )

    def add(self, table: RawTable, matcher: HeaderMatcher) -> None:
        src = len(self.out.sources)
        columns: dict[str, tuple[str, str | None]] = {}
        index: dict[str, int] = {}
        extra: list[tuple[str, str | None]] = []
        for j, header in enumerate(table.headers):
            letter = table.letters[j] if table.letters else None
            key = matcher.match(header)
            if key is not None and key not in columns:
                columns[key] = (header, letter)
                index[key] = j
            elif not matcher.is_ignored(header):
                extra.append((header, letter))
        cols = {k: table.column_values(j) for k, j in index.items()}
        remarks: list[str] = []
        if table.format == "csv":  # merged cells saved as CSV: the value stays in the first row only
            for k in ("district", "township"):
                if k in cols:
                    before = sum(v is None for v in cols[k])
                    cols[k] = _fill_down(cols[k])
                    if before != sum(v is None for v in cols[k]):
                        remarks.append(f"“{columns[k][0]}”列的空白单元格按上一行补齐（合并单元格另存为 CSV）")
        source = Source(
            path=table.path, format=table.format, sheet=table.sheet, header_row=table.header_row,
            rows=table.n_rows, encoding=table.encoding, columns=columns, extra_columns=extra,
            notes=list(table.notes), remarks=remarks,
        )
        self.out.sources.append(source)
        for i, row_no in enumerate(table.rows):
            raw = {k: cols[k][i] for k in cols}
            r = UnitRow(src=src, row=row_no, facts={}, raw=raw)
            errors: list[tuple[str, str]] = []
            for key, text in raw.items():
                r.facts[key] = self._parse(key, text, errors)
            if not any(v is not None for v in r.facts.values()):
                continue  # an empty row (only a running number)
            self.out.rows.append(r)
            for key, msg in errors:
                self.out.findings.append(self.finding("DQ003", r, key, msg))
            if r.facts.get("unit") is None:
                r.skip_join = True
                self.out.findings.append(self.finding("DQ004", r, "unit", pick(self.lang,
                    "单位信息表的这一行缺少村(社区)名称", "this unit-table row has no unit name")))
        for header, letter in extra:
            rule = DQ_RULES["DQ008"]
            self.out.findings.append(Finding(
                code="DQ008", severity=rule.severity, category=rule.category, scope="column",
                title=rule.title(self.lang),
                message=pick(self.lang, f"单位信息表的列“{header}”不是已知列，已保留但不参与审查",
                                f"unit-table column '{header}' is not a known column; kept, not checked"),
                location=Location(path=source.path, sheet=source.sheet, row=source.header_row, column=header,
                                  cell=f"{letter}{source.header_row}" if letter and source.header_row else None),
                source=rule.source,
            ))

    def _parse(self, key: str, text: str | None, errors: list[tuple[str, str]]) -> Any:
        spec = UNIT_BY_KEY[key]
        if text is None:
            return None
        try:
            parse = field_type(spec.type).parse
            assert parse is not None
            return parse(text)
        except values.ValueParseError as e:
            why = pick(self.lang, e.message_zh, e.message_en)
            errors.append((key, pick(self.lang, f"{spec.header}“{text}”无法识别：{why}", f"{spec.header} '{text}' cannot be read: {why}")))
            return None

    def dedupe(self) -> None:
        """DQ005: the same unit twice; the first row counts, the later ones are reported."""
        seen: dict[tuple[str | None, ...], UnitRow] = {}
        kept: list[UnitRow] = []
        for r in self.out.rows:
            if r.facts.get("unit") is None:
                kept.append(r)
                continue
            k = tuple(r.facts.get(k) for k in ORG_KEYS)
            first = seen.get(k)
            if first is None:
                seen[k] = r
                kept.append(r)
                continue
            where = f"第{first.row}行" if first.src == r.src else f"{self.out.sources[first.src].path} 第{first.row}行"
            self.out.findings.append(self.finding("DQ005", r, "unit", pick(self.lang,
                f"“{r.label}”在单位信息表中重复（与{where}相同），以先出现的一行为准",
                f"'{r.label}' appears twice in the unit table (as row {first.row}); the first row counts",
            )))
        self.out.rows = kept

    def join(self, roster: Roster) -> None:
        f = roster.frame
        if f.height == 0 or "unit" not in f.columns:
            return
        keys = [k for k in ORG_KEYS if k in f.columns]
        groups = (
            f.select([*keys, "_src", "_row"]).filter(pl.col("unit").is_not_null())
            .group_by(keys, maintain_order=True).agg(pl.col("_src").first(), pl.col("_row").first())
        )
        units: list[RosterUnit] = []
        for g in groups.iter_rows(named=True):
            group: Group = (g.get("district"), g.get("township"), g["unit"])
            units.append(RosterUnit(group, int(g["_src"]), int(g["_row"])))
        self.out.roster_units = units
        by_name: dict[str, list[RosterUnit]] = {}
        for u in units:
            by_name.setdefault(u.group[2], []).append(u)
        townships = {u.group[1] for u in units if u.group[1]}
        districts = {u.group[0] for u in units if u.group[0]}
        claimed: set[Group] = set()
        for r in self.out.rows:
            if r.skip_join:
                continue
            d, t, name = r.facts.get("district"), r.facts.get("township"), r.facts["unit"]
            cands = [u for u in by_name.get(name, []) if _agrees(d, u.group[0]) and _agrees(t, u.group[1])]
            if len(cands) == 1:
                r.group = cands[0].group
                claimed.add(r.group)
            elif len(cands) > 1:
                r.skip_join = True
                claimed.update(u.group for u in cands)
                places = "、".join("".join(p for p in u.group[:2] if p) or "（未填乡镇）" for u in cands)
                self.out.findings.append(self.finding("DQ004", r, "township" if t is None else "district", pick(self.lang,
                    f"名单中有{len(cands)}个“{name}”（{places}），单位信息表这一行须填写乡镇(街道)和县(市、区)才能对应",
                    f"the roster has {len(cands)} units named '{name}' ({places}); give the township and district",
                )))
            elif t is not None and townships and t not in townships:
                r.skip_join = True
                self.out.findings.append(self.finding("DQ003", r, "township", pick(self.lang,
                    f"乡镇(街道)“{t}”不在名单中（名单中的乡镇(街道)：{'、'.join(sorted(townships))}），这一行无法对应",
                    f"township '{t}' is not in the roster (its townships: {', '.join(sorted(townships))})",
                )))
            elif d is not None and districts and d not in districts:
                r.skip_join = True
                self.out.findings.append(self.finding("DQ003", r, "district", pick(self.lang,
                    f"县(市、区)“{d}”不在名单中（名单中的县(市、区)：{'、'.join(sorted(districts))}），这一行无法对应",
                    f"district '{d}' is not in the roster (its districts: {', '.join(sorted(districts))})",
                )))
        self.out.unmatched_roster = [u for u in units if u.group not in claimed]


def _agrees(given: str | None, actual: str | None) -> bool:
    """A blank on either side does not disagree."""
    return given is None or actual is None or given == actual


def _fill_down(col: list[str | None]) -> list[str | None]:
    out: list[str | None] = []
    last: str | None = None
    for v in col:
        if v is not None and v.strip():
            last = v
            out.append(v)
        else:
            out.append(last)
    return out


def attach(roster: Roster, table: UnitTable | None) -> None:
    """Give the roster its unit table: the PR rules read it, its DQ findings join the roster's."""
    roster.units = table
    if table is not None:
        roster.findings.extend(table.findings)

