"""Load roster files into one polars frame with canonical columns, and find data-quality issues.

Flow: files --readers--> RawTable --here--> Roster(frame, sources, DQ findings).

Frame layout (one row per roster row):
- `_src` (index into `Roster.sources`), `_row` (the row a person sees in that file);
- for every field (built-in or declared by a policy), whether or not the file has the column:
  `KEY` the parsed value (its dtype is the type's, see `roster.types`) and `KEY:raw` the text as written
  (String; Categorical for flags, dates and numbers, `FieldType.compact`: a few distinct values);
  dates also `KEY:hi` (last possible day) and `KEY:prec` ("day" | "month" | "year", an enum);
  ordered levels (education, term_rating, assessment) also `KEY:level`;
- `id_number:status` (ok | legacy | damaged | malformed | blank), `person` (pseudonymous key);
- unknown columns as `x:HEADER` text, so nothing the user wrote is dropped.

Parsing runs on the distinct values of a column (few: flags, posts, levels, dates) and maps
them back with one join, so a million rows cost a hash lookup each, not a Python call each.
Free text (names, phone numbers: as many distinct values as rows) is cleaned vectorised
instead: only the cells that need it go through `values.clean_text`. Mostly blank columns are
parsed on their filled cells only.

Why one module of ~830 lines: `_Normaliser` is one pass over a table (map headers, split
combined posts, parse every column on its distinct values, find the DQ issues of each cell)
whose steps share the column map and the findings list; the value parsers are values.py, the
field types types.py, the readers readers/, the header matching columns.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from ..dq import DQ_RULES
from ..findings import Finding, Location, Subject
from ..messages import pick
from . import idnumber, values
from .columns import BUILTIN_FIELDS, POST_KEYS, FieldSpec
from .combined_post import COMBINED_POST_HEADERS, split_combined
from .dates import PRECISION, read_dates
from .headers import HeaderMatcher, normalize_header
from .readers import RawTable, read_tables
from .readers.common import compact_columns
from .types import field_type

# Few distinct values: enums (a byte a row) rather than text (16 bytes a row in polars), as a
# date's precision (`dates.PRECISION`).
ID_STATUS = pl.Enum(["ok", "legacy", "damaged", "malformed", "blank"])
# Rosters from this many rows parse their columns side by side (threads).
PARALLEL_ROWS = 20_000
HASH_SLICE = 50_000  # ID numbers hashed a slice at a time
SMALL_ROWS = 5_000  # up to this many rows, columns of few distinct values are mapped in Python
@dataclass
class Source:
    """One input file as read: where each field's column is, what else it held."""

    path: str
    format: str
    sheet: str | None
    header_row: int
    rows: int
    encoding: str | None
    columns: dict[str, tuple[str, str | None]]  # key -> (header as written, column letter)
    extra_columns: list[tuple[str, str | None]]  # unknown columns: (header, letter)
    notes: list[tuple[int, str]]  # rows of the file that are not data (titles, 填表人…)
    remarks: list[str] = field(default_factory=list)  # what the loader did that a user should know
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # reader: (line, zh, en)


@dataclass
class Roster:
    frame: pl.DataFrame
    sources: list[Source]
    fields: dict[str, FieldSpec]
    findings: list[Finding] = field(default_factory=list)
    # workbook sheets not read: (path, sheet, reason)
    skipped_sheets: list[tuple[str, str, str]] = field(default_factory=list)
    units: Any = None  # the unit table (vetting.units.load.UnitTable), when one is given

    @property
    def present(self) -> set[str]:
        """Keys of the fields that at least one file has a column for."""
        cached = self.__dict__.get("_present")
        if cached is None or cached[0] != len(self.sources):  # asked once per finding
            cached = self.__dict__["_present"] = (len(self.sources), {k for s in self.sources for k in s.columns})
        return cached[1]

    def location(self, src: int, row: int | None, key: str | None = None) -> Location:
        s = self.sources[src]
        header, letter = s.columns.get(key, (None, None)) if key else (None, None)
        cell = f"{letter}{row}" if letter and row is not None else None
        return Location(path=s.path, sheet=s.sheet, row=row, column=header, cell=cell)


_PERSON_HASH = hashlib.blake2b(digest_size=8, person=b"vetting-p1")


def person_key(id_number: str | None, name: str | None = None, unit: str | None = None) -> str:
    """A stable key for a person that does not reveal the ID number (pseudonymous: a keyed hash,
    truncated). Without a usable ID number, the name and unit stand in."""
    basis = id_number or f"{name or ''}|{unit or ''}"
    h = _PERSON_HASH.copy()  # = blake2b(basis, digest_size=8, person=b"vetting-p1"), faster
    h.update(basis.encode())
    return h.hexdigest()


def person_keys(ids: pl.Series) -> pl.Series:
    """`person_key` of each ID number of `ids` (none null), the same text: the digests in
    Python, a slice at a time (Python lists of every number and key would hold 150 MB at a
    million rows), from the numbers' UTF-8 bytes as polars holds them; their hex in polars."""
    copy = _PERSON_HASH.copy
    parts: list[pl.Series] = []
    for start in range(0, ids.len(), HASH_SLICE):
        digests: list[bytes] = []
        for v in ids.slice(start, HASH_SLICE).cast(pl.Binary).to_list():
            h = copy()
            h.update(v)
            digests.append(h.digest())
        parts.append(pl.Series(digests, dtype=pl.Binary))
    if not parts:
        return pl.Series([], dtype=pl.String)
    return pl.concat(parts, rechunk=True).bin.encode("hex")


def load_roster(
    paths: Sequence[str | Path],
    *,
    fields: Iterable[FieldSpec] = (),
    sheet: str | Sequence[str] | None = None,
    lang: str = "zh",
    today: date | None = None,
    on_progress: Callable[[str], None] | None = None,
    fill_down: Sequence[str] = ("district", "township", "unit"),
) -> Roster:
    """Read every file, normalise values, and report data-quality findings DQ001-DQ008. A
    workbook gives every sheet that holds a roster (or the `sheet`s named): one source each;
    the sheets skipped are listed in `Roster.skipped_sheets` with the reason."""
    all_fields: dict[str, FieldSpec] = {f.key: f for f in BUILTIN_FIELDS}
    for f in fields:
        all_fields.setdefault(f.key, f)
    matcher = HeaderMatcher(all_fields.values())
    sources: list[Source] = []
    frames: list[pl.DataFrame] = []
    findings: list[Finding] = []
    sheets = [sheet] if isinstance(sheet, str) else list(sheet or [])
    skipped: list[tuple[str, str, str]] = []
    for p in paths:
        if on_progress:
            on_progress(str(p))
        tables, passed = read_tables(p, matcher=matcher, sheets=sheets)
        skipped.extend((str(p), name, why) for name, why in passed)
        for table in tables:
            src, frame = _table_frame(table, len(sources), matcher, fill_down)
            sources.append(src)
            frames.append(frame)
    raw = pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()
    roster = Roster(frame=raw, sources=sources, fields=all_fields, findings=findings)
    roster.skipped_sheets = skipped
    _Normaliser(roster, lang).run()
    return roster


def parse_field(roster: Roster, key: str, raw: pl.Series, lang: str = "zh") -> dict[str, pl.Series]:
    """The parsed column(s) of one field from new raw text, as `load_roster` parses them (used
    by the joint review's merge to put the departments' answers into a loaded roster)."""
    outputs, _errors = _Normaliser(roster, lang)._parse_column(key, roster.fields[key], raw)
    return outputs


def _table_frame(
    table: RawTable, src: int, matcher: HeaderMatcher, fill_down: Sequence[str] = ("district", "township", "unit")
) -> tuple[Source, pl.DataFrame]:
    columns: dict[str, tuple[str, str | None]] = {}
    extra: list[tuple[str, str | None]] = []
    data: dict[str, Any] = {}
    ignored: set[str] = set()
    n = len(table.rows)
    combined: tuple[str, str | None, pl.Series] | None = None
    compact = compact_columns(table.headers, matcher, every_spelling=table.format in ("yaml", "json"))
    for j, header in enumerate(table.headers):
        letter = table.letters[j] if table.letters else None
        key = matcher.match(header)
        values_j = _text_series(table.columns[j], compact=j in compact)
        if key is None and combined is None and normalize_header(header) in COMBINED_POST_HEADERS:
            combined = (header, letter, values_j)  # 拟任职务: split below into the post fields
            continue
        if key is not None and key not in columns:
            columns[key] = (header, letter)
            data[f"{key}:raw"] = values_j
            if key == "id_number":
                numeric = sorted(table.numeric[j]) if table.numeric else []
                mask = pl.repeat(False, n, dtype=pl.Boolean, eager=True)
                if numeric:
                    mask = mask.scatter(numeric, True)
                data["id_number:numeric"] = mask
        elif key is not None and table.format in ("yaml", "json"):
            # Records may name a field by its Chinese header or its key: one column either way.
            name = f"{key}:raw"
            data[name] = data[name].zip_with(data[name].is_not_null(), values_j)
        elif matcher.is_ignored(header):
            data[f"x:{header}"] = values_j
            ignored.add(f"x:{header}")
        else:
            # Unknown (or a second column for an already matched field): kept, reported as DQ008.
            name = f"x:{header}"
            while name in data:
                name += "'"
            extra.append((header, letter))
            data[name] = values_j
    if combined is not None:
        _split_combined_posts(combined, columns, data, extra)
    data["_src"] = pl.repeat(src, n, dtype=pl.UInt16, eager=True)
    data["_row"] = pl.Series(table.rows, dtype=pl.UInt32)
    frame = pl.DataFrame({name: col.alias(name) for name, col in data.items()})
    remarks: list[str] = []
    if table.format == "csv":
        frame = _fill_down_merged(frame, columns, remarks, fill_down)
    # A row with nothing but a running number (序号 pre-filled down an empty template) is not a
    # person: it is skipped like a blank row, and mentioned with the notes.
    content = [c for c in frame.columns if c.endswith(":raw") or (c.startswith("x:") and c not in ignored)]
    if content and frame.height:
        has_content = pl.any_horizontal([pl.col(c).is_not_null() for c in content])
        empty_rows = frame.filter(~has_content)["_row"].to_list()
        if empty_rows:
            frame = frame.filter(has_content)
            remarks.append(f"{len(empty_rows)}行只有序号、没有人员信息（第{empty_rows[0]}行起），已跳过")
    source = Source(
        path=table.path,
        format=table.format,
        sheet=table.sheet,
        header_row=table.header_row,
        rows=frame.height,
        encoding=table.encoding,
        columns=columns,
        extra_columns=extra,
        notes=list(table.notes),
        remarks=remarks,
        problems=list(table.problems),
    )
    return source, frame


def _split_combined_posts(
    combined: tuple[str, str | None, pl.Series],
    columns: dict[str, tuple[str, str | None]],
    data: dict[str, Any],
    extra: list[tuple[str, str | None]],
) -> None:
    """The pieces of a combined `拟任职务` column as the post fields this table does not have
    (their cells point at the combined column); kept as an unknown column when it has all three."""
    header, letter, values = combined
    missing = [k for k in POST_KEYS if k not in columns]
    if not missing:
        extra.append((header, letter))
        data[f"x:{header}"] = values
        return
    memo: dict[str | None, dict[str, str]] = {}
    pieces: list[dict[str, str]] = []
    for v in values.to_list():
        if v not in memo:
            memo[v] = split_combined(v)
        pieces.append(memo[v])
    for key in missing:
        columns[key] = (header, letter)
        data[f"{key}:raw"] = pl.Series([p.get(key) for p in pieces], dtype=pl.String)


def _text_series(values_: list[str | None] | pl.Series, *, compact: bool = False) -> pl.Series:
    """A reader's column as a String series, or dictionary-encoded (Categorical) when `compact`
    (the text of flags, dates and numbers: `FieldType.compact`), whatever the file's format.
    Readers hand polars columns straight through."""
    dtype = pl.Categorical() if compact else pl.String()
    if isinstance(values_, pl.Series):
        return values_ if values_.dtype == dtype else values_.cast(pl.String).cast(dtype)
    return pl.Series(values_, dtype=pl.String).cast(dtype)


# Organisation columns that spreadsheets merge vertically (one 乡镇 over its villages).
FILL_DOWN_KEYS = ("district", "township", "unit")


def _fill_down_merged(
    frame: pl.DataFrame, columns: dict[str, tuple[str, str | None]], remarks: list[str],
    keys: Sequence[str] = FILL_DOWN_KEYS,
) -> pl.DataFrame:
    """A merged cell saved as CSV keeps its value in the first row only; the rows below come out
    blank. Fill those blanks from the row above (for the organisation columns only) and say so,
    so that a 乡镇 merged over its villages stays one 乡镇."""
    for key in keys:
        name = f"{key}:raw"
        if name not in frame.columns:
            continue
        col = frame[name]
        filled = col.forward_fill()
        n = int((col.is_null() & filled.is_not_null()).sum())
        if n:
            frame = frame.with_columns(filled.alias(name))
            first = int(frame.filter(col.is_null() & filled.is_not_null())["_row"][0])
            remarks.append(
                f"“{columns[key][0]}”列有{n}个空白单元格按上一行补齐（第{first}行起；"
                "Excel 合并单元格另存为 CSV 时只在首行保留内容）"
            )
    return frame


class _Normaliser:
    """Turns the raw text columns into typed columns, collecting DQ findings on the way."""

    def __init__(self, roster: Roster, lang: str):
        self.r = roster
        self.lang = lang
        self.en = lang == "en"
        self.cols: dict[str, pl.Series] = {}

    # -- helpers -----------------------------------------------------------------------------
    def _finding(self, code: str, i: int, key: str | None, message: str) -> Finding:
        rule = DQ_RULES[code]
        f = self.r.frame
        src = int(f["_src"][i])
        row = int(f["_row"][i])
        return Finding(
            code=code,
            severity=rule.severity,
            category=rule.category,
            scope="person",
            title=rule.title(self.lang),
            message=message,
            subject=self._subject(i),
            location=self.r.location(src, row, key),
            source=rule.source,
        )

    def _subject(self, i: int) -> Subject:
        c = self.cols

        def get(k: str) -> Any:
            s = c.get(k)
            return None if s is None else s[i]

        return Subject(
            district=get("district"),
            township=get("township"),
            unit=get("unit"),
            name=get("name"),
            id_number=get("id_number"),
            person=get("person"),
        )

    def _raw(self, key: str) -> pl.Series:
        f = self.r.frame
        name = f"{key}:raw"
        raw = f.get_column(name, default=None)
        return raw if raw is not None else pl.Series(name, [None] * f.height, dtype=pl.String)

    # -- main ----------------------------------------------------------------------------------
    def run(self) -> None:
        f = self.r.frame
        if f.height == 0:
            self._finish()
            return
        pending_dq003: list[tuple[int, str, str]] = []
        # ID numbers are handled below (the vectorised path); relatives by `_relatives`.
        todo = [(k, spec) for k, spec in self.r.fields.items() if spec.type != "id_number" and k != "relatives"]

        def parse(item: tuple[str, FieldSpec]) -> tuple[dict[str, pl.Series], list[tuple[int, str, str]]]:
            raw = self._raw(item[0])
            outputs, errors = self._parse_column(item[0], item[1], raw)
            return _share_raw(outputs, item[0], raw), errors

        def ids_and_keys() -> tuple[dict[str, pl.Series], pl.Series, pl.Series, pl.Series]:
            # The ID numbers and their pseudonymous keys (a Python hash each).
            ids_cols = self._parse_ids()
            usable = ids_cols["id_number:status"].is_in(["ok", "legacy"])
            hashed = usable.arg_true()
            keys = person_keys(ids_cols["id_number"].gather(hashed))
            return ids_cols, usable, hashed, keys

        if f.height >= PARALLEL_ROWS:
            # Side by side: the ID numbers and the relatives while the other columns are parsed;
            # polars works on one column while Python parses another's values.
            from concurrent.futures import ThreadPoolExecutor  # (imported when needed: start-up)

            with ThreadPoolExecutor(max_workers=2) as pool:
                ids_later = pool.submit(ids_and_keys)
                relatives_later = pool.submit(self._parse_relatives)
                parsed = list(pool.map(parse, todo))
                ids_cols, usable, hashed, keys = ids_later.result()
                relatives = relatives_later.result()
        else:
            ids_cols, usable, hashed, keys = ids_and_keys()
            relatives = self._parse_relatives()
            parsed = [parse(item) for item in todo]
        parsed_by_key = dict(zip([k for k, _ in todo], parsed, strict=True))
        for key in self.r.fields:  # in the fields' order, whichever finished first
            if key == "relatives":  # its place; `_relatives` fills it in
                self.cols[key] = pl.repeat(None, f.height, dtype=field_type("id_list").dtype, eager=True)
            elif key in parsed_by_key:
                outputs, errors = parsed_by_key[key]
                self.cols.update(outputs)
                pending_dq003 += errors
        self.cols.update(ids_cols)
        self._derive_from_ids()
        self._unit_types()
        self.cols["person"] = self._person_keys(usable, hashed, keys)
        del keys
        # Findings need subjects, so they are built after every column is parsed.
        for i, key, msg in pending_dq003:
            self.r.findings.append(self._finding("DQ003", i, key, msg))
        self._relatives(relatives)
        self._required()
        self._duplicates()
        self._unknown_columns()
        self._reader_problems()
        self._finish()

    def _finish(self) -> None:
        f = self.r.frame
        keep = [c for c in f.columns if c.startswith(("_", "x:")) or c.endswith(":raw")]
        out = f.select(keep)
        new_cols = [s.alias(name) for name, s in self.cols.items()]
        if new_cols:
            out = out.with_columns(new_cols) if out.height else pl.DataFrame(new_cols)
        else:
            for key, spec in self.r.fields.items():
                out = out.with_columns(pl.lit(None, dtype=field_type(spec.type).dtype).alias(key))
        self.r.frame = out

    def _parse_column(
        self, key: str, spec: FieldSpec, raw: pl.Series
    ) -> tuple[dict[str, pl.Series], list[tuple[int, str, str]]]:
        """The parsed columns of one field and its unreadable cells (row index, key, message).
        Touches no shared state, so columns can be parsed side by side."""
        errors: list[tuple[int, str, str]] = []
        n = raw.len()
        if n <= SMALL_ROWS and spec.type != "text":
            # A small roster: a dozen polars calls per column cost more than the Python work
            # (not for free text: its values are mostly distinct, and Python's per-cell work
            # costs more than text_series' few calls from about a thousand rows)
            return self._parse_values(key, spec, raw, errors, cells=raw.to_list()), errors
        known = raw.is_not_null()
        filled = int(known.sum())
        if filled * 2 > n:
            return self._parse_values(key, spec, raw, errors), errors
        # Mostly blank (evidence columns): parse the filled cells only, then spread them out.
        idx = known.arg_true()
        outputs = self._parse_values(key, spec, raw.gather(idx), errors)
        if errors:
            rows = idx.to_list()
            errors = [(rows[i], k, msg) for i, k, msg in errors]
        return {name: _spread(col, idx, n) for name, col in outputs.items()}, errors

    def _parse_values(
        self, key: str, spec: FieldSpec, raw: pl.Series, errors: list[tuple[int, str, str]],
        cells: list[Any] | None = None,
    ) -> dict[str, pl.Series]:
        """The parsed column(s) of one field: `key` and, by type, `key:hi`, `key:prec`,
        `key:level`. Unreadable cells are reported in `errors` (row index, key, message).
        `cells`, the column as a list (small rosters), means Python does the lookups."""
        typ = spec.type
        ftype = field_type(typ)
        numeric = ftype.numeric
        if typ == "text":  # parse_text: the cleaned text, blank-likes dropped; vectorised
            return {key: text_series(raw).alias(key)}
        # Other types have few distinct values: each is cleaned and parsed once, in Python.
        parser = ftype.parse
        assert parser is not None, typ  # only ID numbers have none, and they are read apart
        mapping: dict[str, Any] = {}
        bad: dict[str, str] = {}
        fast: pl.DataFrame | None = None
        if cells is not None:
            distinct: Collection[Any] = {v for v in cells if v is not None}
        elif typ == "date":  # the common forms in polars, the others below
            fast, distinct = read_dates(raw.drop_nulls().unique())
        else:
            distinct = raw.drop_nulls().unique().to_list()
        for v in distinct:
            cv = values.clean(v)
            if cv is None or values.is_blank(cv, numeric=numeric):
                continue
            try:
                mapping[v] = parser(cv)
            except values.ValueParseError as e:
                bad[v] = pick(self.lang, e.message_zh, e.message_en)
        header = spec.header
        if bad:
            if cells is None:
                idx = raw.is_in(list(bad)).arg_true().to_list()
                bad_cells = raw.gather(idx).to_list()
            else:
                idx = [i for i, v in enumerate(cells) if v in bad]
                bad_cells = [cells[i] for i in idx]
            for i, v in zip(idx, bad_cells, strict=True):
                errors.append((i, key, pick(self.lang, f"{header}“{v}”无法识别：{bad[v]}", f"{header} '{v}' cannot be read: {bad[v]}")))
        value = raw
        keys = list(mapping)
        dtype = ftype.dtype
        if typ == "date":
            parts: dict[str, tuple[Any, pl.DataType]] = {
                "lo": ([mapping[k].lo for k in keys], pl.Date()),
                "hi": ([mapping[k].hi for k in keys], pl.Date()),
                "prec": ([mapping[k].precision for k in keys], PRECISION),
            }
            if fast is not None and fast.height:
                parts = {k: (pl.concat([fast[k], pl.Series(vals, dtype=dt)]), dt) for k, (vals, dt) in parts.items()}
                keys = fast["v"].to_list() + keys
            lo, hi, prec = _map(value, keys, cells, parts)
            return {key: lo, f"{key}:hi": hi, f"{key}:prec": prec}
        if typ == "education":
            name, level = _map(value, keys, cells, {
                "name": ([mapping[k][1] for k in keys], pl.String()),
                "level": ([mapping[k][0] for k in keys], pl.Int8()),
            })
            return {key: name, f"{key}:level": level}
        if typ in ("year", "id_list"):
            vals = [list(mapping[k]) if mapping[k] is not None else None for k in keys]
            return dict(zip([key], _map(value, keys, cells, {"v": (vals, dtype)}), strict=True))
        # Every value already as it is read (no blank-like, nothing unreadable): the column itself.
        same = cells is None and dtype == pl.String and raw.dtype == pl.String and len(keys) == len(distinct) \
            and all(mapping[k] == k for k in keys)
        if ftype.ordered:
            order = ftype.levels
            if same:
                (level,) = _map(value, keys, cells, {"level": ([order.get(mapping[k]) for k in keys], pl.Int8())})
                return {key: raw, f"{key}:level": level}
            v, level = _map(value, keys, cells, {
                "v": ([mapping[k] for k in keys], dtype),
                "level": ([order.get(mapping[k]) for k in keys], pl.Int8()),
            })
            return {key: v, f"{key}:level": level}
        if same:
            return {key: raw}
        return dict(zip([key], _map(value, keys, cells, {"v": ([mapping[k] for k in keys], dtype)}), strict=True))

    def _parse_ids(self) -> dict[str, pl.Series]:
        """The normalised ID numbers, their status and the birth date and gender they give;
        their problems go to `_id_problems`."""
        f = self.r.frame
        n = f.height
        raw = self._raw("id_number")
        numeric = f["id_number:numeric"].fill_null(False) if "id_number:numeric" in f.columns else None
        # Ordinary valid 18-character numbers stay as they are (the column itself when all are);
        # the rest (few) go through the general analysis, one Python call each, which also
        # reads a number with white space around it (readers strip the cells already).
        ok, fast_birth, fast_gender = idnumber.id_fast(raw)
        if numeric is not None:
            ok = ok & ~numeric
        slow = (~ok).arg_true()
        normalized = raw
        lower_x = (ok & raw.str.ends_with("x")).arg_true()  # (written with a lower-case x)
        if lower_x.len():
            normalized = _place(normalized, lower_x, raw.gather(lower_x).str.to_uppercase())
        status = pl.repeat("ok", n, dtype=ID_STATUS, eager=True)
        self._id_problems: list[tuple[int, str, str]] = []
        slow_birth: pl.Series = pl.repeat(None, n, dtype=pl.Date, eager=True)
        slow_gender: pl.Series = pl.repeat(None, n, dtype=pl.String, eager=True)
        if slow.len():
            idx = slow.to_list()
            raws = raw.gather(slow).to_list()
            nums = numeric.gather(slow).to_list() if numeric is not None else [False] * len(idx)
            norm: list[str | None] = []
            stat: list[str] = []
            births: list[date | None] = []
            genders: list[str | None] = []
            for i, v, num in zip(idx, raws, nums, strict=True):
                res = idnumber.analyze_id(v, numeric_cell=bool(num))
                stat.append(res.status)
                usable = res.status in ("ok", "legacy")
                norm.append(res.normalized if usable else (values.clean(v) if v is not None else None))
                births.append(res.birth if usable else None)
                genders.append(res.gender if usable else None)
                if res.status == "malformed":
                    self._id_problems.append((i, "DQ001", pick(self.lang, res.message_zh or "", res.message_en or "")))
                elif res.status == "damaged":
                    self._id_problems.append((i, "DQ006", pick(self.lang, res.message_zh or "", res.message_en or "")))
                elif res.status == "legacy":
                    self._id_problems.append(
                        (i, "DQ007", pick(self.lang, f"15位号码 {v} 已转换为 {res.normalized}", f"15-digit {v} converted to {res.normalized}"))
                    )
            normalized = _place(normalized, slow, pl.Series(norm, dtype=pl.String))
            status = _place(status, slow, pl.Series(stat, dtype=ID_STATUS))
            slow_birth = _place(slow_birth, slow, pl.Series(births, dtype=pl.Date))
            slow_gender = _place(slow_gender, slow, pl.Series(genders, dtype=pl.String))
        return {
            "id_number": normalized.alias("id_number"),
            "id_number:status": status.alias("id_number:status"),
            "id:birth": fast_birth.zip_with(ok, slow_birth),
            "id:gender": fast_gender.zip_with(ok, slow_gender),
        }

    def _derive_from_ids(self) -> None:
        """Fill blank gender/birth date from the ID number; report disagreements (DQ002)."""
        c = self.cols
        id_birth, id_gender = c["id:birth"], c["id:gender"]
        gender = c["gender"]
        lo, hi = c["birth_date"], c["birth_date:hi"]
        mismatch_g = (gender.is_not_null() & id_gender.is_not_null() & (gender != id_gender)).fill_null(False)
        in_range = (id_birth >= lo) & (id_birth <= hi)
        mismatch_b = (lo.is_not_null() & id_birth.is_not_null() & ~in_range).fill_null(False)
        problems = self._id_problems
        for i in mismatch_g.arg_true().to_list():
            problems.append((i, "DQ002:gender", pick(self.lang,
                f"性别填报为“{gender[i]}”，身份证号码显示为“{id_gender[i]}”",
                f"gender given as {gender[i]}, the ID number says {id_gender[i]}",
            )))
        raw_birth = self._raw("birth_date")
        for i in mismatch_b.arg_true().to_list():
            problems.append((i, "DQ002:birth_date", pick(self.lang,
                f"出生日期填报为“{raw_birth[i]}”，身份证号码显示为 {id_birth[i].isoformat()}",
                f"birth date given as '{raw_birth[i]}', the ID number says {id_birth[i].isoformat()}",
            )))
        # The ID's full date is used when the declared value is blank or agrees with it (a month-only
        # declared date that agrees gets the ID's exact day).
        use_id = id_birth.is_not_null() & (lo.is_null() | in_range.fill_null(False))
        c["birth_date"] = id_birth.zip_with(use_id, lo)
        c["birth_date:hi"] = id_birth.zip_with(use_id, hi)
        c["birth_date:prec"] = pl.repeat("day", len(use_id), dtype=PRECISION, eager=True).zip_with(use_id, c["birth_date:prec"])
        use_g = id_gender.is_not_null() & gender.is_null()
        c["gender"] = id_gender.zip_with(use_g, gender)

    def _unit_types(self) -> None:
        """村 / 社区 from the unit's (already cleaned) name where the 类型 column is blank:
        `…社区`, `…居委会`, `…居民委员会` are 社区; `…村`, `…村委会`, `…村民委员会` are 村."""
        c = self.cols
        unit, given = c["unit"], c["unit_type"]
        idx = (given.is_null() & unit.is_not_null()).arg_true()
        if not idx.len():
            return
        names = unit.gather(idx)

        def ends(*suffixes: str) -> pl.Series:
            return pl.select(pl.any_horizontal([pl.lit(names).str.ends_with(x) for x in suffixes])).to_series()

        from_name = (
            pl.select(
                pl.when(pl.lit(ends("社区", "居委会", "居民委员会"))).then(pl.lit("社区"))
                .when(pl.lit(ends("村", "村委会", "村民委员会"))).then(pl.lit("村"))
                .otherwise(pl.lit(None, dtype=pl.String))
            ).to_series()
        )
        c["unit_type"] = _place(given, idx, from_name)

    def _person_keys(self, usable: pl.Series, hashed: pl.Series, keys: pl.Series) -> pl.Series:
        """`person`: the keys of the usable ID numbers (rows `hashed`, worked out by `run`), and
        for the other rows a key from the name and unit."""
        c = self.cols
        n = usable.len()
        out = _place(pl.repeat(None, n, dtype=pl.String, eager=True), hashed, keys)
        others = (~usable).arg_true()
        if others.len():
            names, units = c["name"].gather(others).to_list(), c["unit"].gather(others).to_list()
            out = _place(out, others, pl.Series([person_key(None, nm, u) for nm, u in zip(names, units, strict=True)], dtype=pl.String))
        return out.alias("person")

    def _relatives(self, parsed: tuple[pl.Series | None, list[tuple[int, str]]]) -> None:
        """The relatives column and its DQ003 findings (from `_parse_relatives`)."""
        column, problems = parsed
        for i, msg in problems:
            self.r.findings.append(self._finding("DQ003", i, "relatives", msg))
        if column is not None:
            self.cols["relatives"] = column

    def _parse_relatives(self) -> tuple[pl.Series | None, list[tuple[int, str]]]:
        """Each token in 近亲属身份证号 must be an ID number (DQ003: row index, message); the
        normalised lists (None: the column is blank). Works on the distinct cell values; a cell
        with a bad token reports it on its row. Touches no shared state (runs beside others)."""
        raw = self._raw("relatives")
        n = raw.len()
        problems: list[tuple[int, str]] = []
        if raw.null_count() == n:
            return None, problems
        # Mostly blank (as usual): the filled cells only, spread out at the end.
        idx = raw.is_not_null().arg_true() if raw.null_count() * 2 >= n else None
        if idx is not None:
            raw = raw.gather(idx)
        value = clean_series(raw)
        value = _nulled(value, blank_mask(value))
        good_of: dict[str, list[str]] = {}
        bad_of: dict[str, list[str]] = {}
        for v in value.drop_nulls().unique().to_list():
            good: list[str] = []
            bad: list[str] = []
            for tok in values.split_id_list(v):
                res = idnumber.analyze_id(tok)
                if res.status in ("ok", "legacy") and res.normalized:
                    good.append(res.normalized)
                else:
                    why = pick(self.lang, res.message_zh or "不是身份证号码", res.message_en or "not an ID number")
                    bad.append(pick(self.lang,
                        f"近亲属身份证号中的“{tok}”不是有效的身份证号码（{why}）",
                        f"'{tok}' in the relatives column is not a valid ID number ({why})",
                    ))
            good_of[v] = good
            if bad:
                bad_of[v] = bad
        if bad_of:
            at = value.is_in(list(bad_of)).arg_true()
            rows = (idx.gather(at) if idx is not None else at).to_list()
            for i, v in zip(rows, value.gather(at).to_list(), strict=True):
                problems.extend((i, msg) for msg in bad_of[v])
        keys = list(good_of)
        (out,) = _map(value, keys, None, {"v": ([good_of[k] for k in keys], pl.List(pl.String))})
        return (_spread(out, idx, n) if idx is not None else out), problems

    def _required(self) -> None:
        c = self.cols
        for i, code, msg in self._id_problems:
            code, _, key = code.partition(":")
            self.r.findings.append(self._finding(code, i, key or "id_number", msg))
        f = self.r.frame
        for key in ("id_number", "name", "unit"):
            spec = self.r.fields[key]
            missing = (c[key].is_null() if key != "id_number" else c["id_number:status"] == "blank")
            for i in missing.arg_true().to_list():
                self.r.findings.append(self._finding("DQ004", i, key, pick(self.lang,
                    f"缺少{spec.header}", f"{spec.title_en or key} is missing")))
        no_post = pl.repeat(True, f.height, dtype=pl.Boolean, eager=True)
        for key in POST_KEYS:
            no_post = no_post & c[key].is_null() & self._raw(key).is_null()
        for i in no_post.arg_true().to_list():
            self.r.findings.append(self._finding("DQ004", i, "party_post", pick(self.lang,
                "未填写任何拟任职务（党组织、村(居)委会或监督委员会职务至少填一项）",
                "no proposed post (Party, committee or supervisory) is given",
            )))

    def _duplicates(self) -> None:
        """DQ005: the same person twice in the same unit; reported on the later occurrences."""
        c = self.cols
        status = c["id_number:status"]
        # The few candidates first (an ID number seen twice among the usable rows with a unit),
        # found on 8-byte hashes: filtering the four text columns of every row copied them
        # (150 MB at a million rows). A hash collision only adds a candidate; the exact
        # comparison below drops it.
        usable = status.is_in(["ok", "legacy"]) & c["unit"].is_not_null()
        hashed = c["id_number"].hash().set(~usable, None)
        cand = (usable & hashed.is_duplicated()).arg_true()
        df = pl.DataFrame({
            "id": c["id_number"].gather(cand), "d": c["district"].gather(cand), "t": c["township"].gather(cand),
            "u": c["unit"].gather(cand), "i": cand.cast(pl.Int64),
        })
        dup = df.with_columns(
            first=pl.col("i").min().over(["id", "d", "t", "u"]),
        ).filter(pl.col("i") != pl.col("first"))
        rows = self.r.frame["_row"]
        for i, first in zip(dup["i"].to_list(), dup["first"].to_list(), strict=True):
            self.r.findings.append(self._finding("DQ005", i, "id_number", pick(self.lang,
                f"与第{rows[first]}行是同一人（身份证号码相同），在同一村（社区）重复填报",
                f"the same person as row {rows[first]} (same ID number) in the same unit",
            )))

    def _reader_problems(self) -> None:
        """What a reader worked around (an unbalanced quote): DQ003 at its line, on the person of
        that line when it holds one."""
        if not any(s.problems for s in self.r.sources):
            return
        f = self.r.frame
        index = {(int(s), int(r)): i for i, (s, r) in enumerate(zip(f["_src"].to_list(), f["_row"].to_list(), strict=True))}
        rule = DQ_RULES["DQ003"]
        for k, s in enumerate(self.r.sources):
            for line, zh, en in s.problems:
                i = index.get((k, line))
                if i is not None:
                    self.r.findings.append(self._finding("DQ003", i, None, pick(self.lang, zh, en)))
                    continue
                self.r.findings.append(Finding(
                    code="DQ003", severity=rule.severity, category=rule.category, scope="file",
                    title=rule.title(self.lang), message=pick(self.lang, zh, en),
                    location=Location(path=s.path, sheet=s.sheet, row=line), source=rule.source,
                ))

    def _unknown_columns(self) -> None:
        rule = DQ_RULES["DQ008"]
        for s in self.r.sources:
            for header, letter in s.extra_columns:
                self.r.findings.append(Finding(
                    code="DQ008", severity=rule.severity, category=rule.category, scope="column",
                    title=rule.title(self.lang),
                    message=pick(self.lang,
                        f"列“{header}”不是已知列，也没有规则读取，数据已保留但不参与审查",
                        f"column '{header}' is not a known column and no rule reads it; kept, not checked",
                    ),
                    location=Location(path=s.path, sheet=s.sheet, row=s.header_row, column=header,
                                      cell=f"{letter}{s.header_row}" if letter and s.header_row else None),
                    source=rule.source,
                ))



def _share_raw(outputs: dict[str, pl.Series], key: str, raw: pl.Series) -> dict[str, pl.Series]:
    """A parsed text column equal to its raw text, cell for cell (names, units, most category
    columns), becomes the raw column under the parsed name: the same buffers, held once. Each
    string column costs at least 16 bytes a row (polars' string views), null or not."""
    parsed = outputs.get(key)
    if parsed is raw:
        return outputs
    if parsed is not None and parsed.dtype == pl.String and raw.dtype == pl.String and parsed.equals(raw):
        outputs[key] = raw.alias(key)
    return outputs


def _spread(col: pl.Series, idx: pl.Series, n: int) -> pl.Series:
    """Values for the rows `idx` of a column of `n` rows, null elsewhere."""
    return _place(pl.repeat(None, n, dtype=col.dtype, eager=True), idx, col).alias(col.name)


def _place(base: pl.Series, idx: pl.Series, vals: pl.Series) -> pl.Series:
    """`base` with `vals` at the rows `idx` (a new series). Numbers, dates and flags are
    scattered; strings and lists are gathered into place, because `Series.scatter` cannot place
    lists and, in polars 2.1, a String column filled by it can give a wrong `n_unique` in a
    group-by."""
    dtype = base.dtype
    if not (dtype.is_nested() or dtype == pl.String):
        return base.clone().scatter(idx, vals.cast(dtype))
    n = base.len()
    # For each row, the position of its new value in `vals` (null: keep base's).
    pos = pl.repeat(None, n, dtype=pl.UInt32, eager=True).scatter(idx, pl.int_range(idx.len(), dtype=pl.UInt32, eager=True))
    got = vals.cast(dtype).gather(pos)
    if base.null_count() == n:
        return got.alias(base.name)
    hit = pos.is_not_null()
    return got.zip_with(hit, base).alias(base.name)


def _map(
    value: pl.Series, keys: list[str], cells: list[Any] | None, outputs: dict[str, tuple[Any, pl.DataType]]
) -> list[pl.Series]:
    """Map each cleaned text to its parsed values (one join for all outputs); unmapped (blank or
    unreadable) become null. Given the cells as a list (a small roster), a lookup in Python."""
    n = value.len()
    if cells is not None:
        mapped: list[pl.Series] = []
        for vals, dtype in outputs.values():
            by_key = dict(zip(keys, vals, strict=True))
            mapped.append(pl.Series(value.name, [by_key.get(c) if c is not None else None for c in cells], dtype=dtype))
        return mapped
    if not keys:
        return [pl.repeat(None, n, dtype=dtype, eager=True).alias(value.name) for _, dtype in outputs.values()]
    # Each cell's position among the keys (4 bytes a row), then every output taken from its
    # list of values by position: a join carried a copy of the text column along (16 bytes a
    # row and more, two columns at a time while columns are parsed side by side).
    # (A dictionary-encoded column is looked up as it is: no string column is made.)
    text = value if value.dtype == pl.Categorical else value.cast(pl.String)
    pos = text.replace_strict(keys, range(len(keys)), default=None, return_dtype=pl.UInt32)
    return [
        (vals if isinstance(vals, pl.Series) else pl.Series(vals, dtype=dtype)).gather(pos).alias(value.name)
        for vals, dtype in outputs.values()
    ]


# Blank-likes (spec/roster.md "Values"); in date and number columns also 无 / 暂无.
_BLANKS = sorted(values.BLANK_LIKE)
_NUMERIC_BLANKS = sorted(values.NUMERIC_BLANK_LIKE)
# Characters `values.clean` changes: full-width forms anywhere; at either end, what it strips
# (white space as Python's str.strip sees it, the zero-width space, the byte-order mark).
# `values.clean_text` (free text) changes only full-width digits and letters inside.
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_EDGE = "[" + "".join(f"\\x{{{ord(ch):X}}}" for ch in sorted(set(PY_WHITESPACE + values._STRIP))) + "]"
_FULLWIDTH = "[\\x{FF01}-\\x{FF5E}\\x{3000}]"
_FULLWIDTH_ALNUM = "[\\x{FF10}-\\x{FF19}\\x{FF21}-\\x{FF3A}\\x{FF41}-\\x{FF5A}]"
_NEEDS_CLEAN = f"^{_EDGE}|{_EDGE}$|{_FULLWIDTH}"
_NEEDS_CLEAN_TEXT = f"^{_EDGE}|{_EDGE}$|{_FULLWIDTH_ALNUM}"


def clean_series(raw: pl.Series, *, text: bool = False) -> pl.Series:
    """`values.clean` (`values.clean_text` with `text`) of every cell, vectorised: the cells it
    would not change are kept as they are (empty ones become null); the others (few) go
    through it, once per distinct value."""
    s = raw.cast(pl.String)
    needs = s.str.contains(_NEEDS_CLEAN_TEXT if text else _NEEDS_CLEAN).fill_null(False)
    out = _nulled(s, s.str.len_bytes() == 0)
    if needs.any():
        fn = values.clean_text if text else values.clean
        todo = s.filter(needs).unique().to_list()
        (fixed,) = _map(s.set(~needs, None), todo, None, {"v": ([fn(v) for v in todo], pl.String())})
        out = fixed.zip_with(needs, out)
    return out.alias(raw.name)


def text_series(raw: pl.Series) -> pl.Series:
    """`values.parse_text` of every cell, vectorised: `clean_series(raw, text=True)` with its
    blank-likes null (`blank_mask(…, text=True)`), in one pass over the column. Only the cells
    `values.clean` might change (few) go through Python, once per distinct value: for the
    others `clean_text` changes nothing and blank means empty or a blank-like word."""
    s = raw.cast(pl.String)
    value = _nulled(s, (s.str.len_bytes() == 0) | s.is_in(_BLANKS))
    maybe = s.str.contains(_NEEDS_CLEAN).fill_null(False)
    if not maybe.any():
        return value
    todo = s.filter(maybe).unique().to_list()
    parsed = []
    for v in todo:
        c = values.clean_text(v)
        parsed.append(None if c is None or values.is_blank(c) else c)
    (fixed,) = _map(s.set(~maybe, None), todo, None, {"v": (parsed, pl.String())})
    return fixed.zip_with(maybe, value).alias(raw.name)


def _nulled(s: pl.Series, mask: pl.Series) -> pl.Series:
    """`s` with nulls where `mask` holds; `s` itself (no copy) when it holds nowhere new."""
    if not (mask & s.is_not_null()).any():
        return s
    return s.set(mask, None)


def blank_mask(value: pl.Series, *, numeric: bool = False, text: bool = False) -> pl.Series:
    """`values.is_blank` of every cleaned cell (`clean_series`); null cells are blank."""
    words = _NUMERIC_BLANKS if numeric else _BLANKS
    out = value.is_null() | value.is_in(words)
    if not text:
        return out
    # Free text keeps full-width punctuation, which `is_blank` reads half-width (／ is /), and
    # `clean` may strip a little more of what `clean_text` left (their orders differ).
    maybe = value.str.contains(_NEEDS_CLEAN).fill_null(False)
    if maybe.any():
        odd = [v for v in value.filter(maybe).unique().to_list() if values.is_blank(v, numeric=numeric)]
        if odd:
            out = out | value.is_in(odd)
    return out
