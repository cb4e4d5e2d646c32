"""Load roster files into one polars frame with canonical columns, and find data-quality issues.

Flow: files --readers--> RawTable --here--> Roster(frame, sources, DQ findings).

Frame layout (one row per roster row):
- `_src` (index into `Roster.sources`), `_row` (the row a person sees in that file);
- for every field (built-in or declared by a policy), whether or not the file has the column:
  `KEY` the parsed value (see `PARSED_DTYPES`) and `KEY:raw` the text as written;
  dates also `KEY:hi` (last possible day) and `KEY:prec` ("day" | "month" | "year");
  ordered levels (education, term_rating, assessment) also `KEY:level`;
- `id_number:status` (ok | legacy | damaged | malformed | blank), `person` (pseudonymous key);
- unknown columns as `x:HEADER` text, so nothing the user wrote is dropped.

Parsing runs on the distinct values of a column (few: flags, posts, levels, dates) and maps
them back, so a million rows cost a dictionary lookup each, not a Python call each.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from ..dq import DQ_RULES
from ..findings import Finding, Location, Subject
from . import idnumber, values
from .columns import BUILTIN_FIELDS, POST_KEYS, FieldSpec
from .headers import HeaderMatcher
from .readers import RawTable, read_table

ORDERED_LEVELS: dict[str, dict[str, int]] = {
    "education": {},  # filled from values.EDUCATION_LEVELS at import below
    "term_rating": dict(values.TERM_RATING_LEVELS),
    "assessment": dict(values.ASSESSMENT_LEVELS),
}
# Types whose blank-likes include 无 / 暂无.
NUMERIC_TYPES = {"date", "year", "percent", "number"}

PARSED_DTYPES: dict[str, pl.DataType] = {
    "id_number": pl.String(),
    "text": pl.String(),
    "gender": pl.String(),
    "date": pl.Date(),
    "year": pl.List(pl.Int32()),
    "flag": pl.Boolean(),
    "flag_text": pl.Boolean(),
    "education": pl.String(),
    "political_status": pl.String(),
    "party_post": pl.String(),
    "committee_post": pl.String(),
    "supervisory_post": pl.String(),
    "unit_type": pl.String(),
    "id_list": pl.List(pl.String()),
    "percent": pl.Float64(),
    "term_rating": pl.String(),
    "assessment": pl.String(),
    "ethnicity": pl.String(),
    "number": pl.Float64(),
}


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


@dataclass
class Roster:
    frame: pl.DataFrame
    sources: list[Source]
    fields: dict[str, FieldSpec]
    findings: list[Finding] = field(default_factory=list)

    @property
    def present(self) -> set[str]:
        """Keys of the fields that at least one file has a column for."""
        return {k for s in self.sources for k in s.columns}

    def location(self, src: int, row: int | None, key: str | None = None) -> Location:
        s = self.sources[src]
        header, letter = s.columns.get(key, (None, None)) if key else (None, None)
        cell = f"{letter}{row}" if letter and row is not None else None
        return Location(path=s.path, sheet=s.sheet, row=row, column=header, cell=cell)


def person_key(id_number: str | None, name: str | None = None, unit: str | None = None) -> str:
    """A stable key for a person that does not reveal the ID number (pseudonymous: a keyed hash,
    truncated). Without a usable ID number, the name and unit stand in."""
    basis = id_number or f"{name or ''}|{unit or ''}"
    return hashlib.blake2b(basis.encode(), digest_size=8, person=b"vetting-p1").hexdigest()


def load_roster(
    paths: Sequence[str | Path],
    *,
    fields: Iterable[FieldSpec] = (),
    sheet: str | None = None,
    lang: str = "zh",
    today: date | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> Roster:
    """Read every file, normalise values, and report data-quality findings DQ001-DQ008."""
    all_fields: dict[str, FieldSpec] = {f.key: f for f in BUILTIN_FIELDS}
    for f in fields:
        all_fields.setdefault(f.key, f)
    matcher = HeaderMatcher(all_fields.values())
    sources: list[Source] = []
    frames: list[pl.DataFrame] = []
    findings: list[Finding] = []
    for i, p in enumerate(paths):
        if on_progress:
            on_progress(str(p))
        table = read_table(p, matcher=matcher, sheet=sheet)
        src, frame = _table_frame(table, i, matcher)
        sources.append(src)
        frames.append(frame)
    raw = pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()
    roster = Roster(frame=raw, sources=sources, fields=all_fields, findings=findings)
    _Normaliser(roster, lang).run()
    return roster


def _table_frame(table: RawTable, src: int, matcher: HeaderMatcher) -> tuple[Source, pl.DataFrame]:
    columns: dict[str, tuple[str, str | None]] = {}
    extra: list[tuple[str, str | None]] = []
    data: dict[str, Any] = {}
    ignored: set[str] = set()
    n = len(table.rows)
    for j, header in enumerate(table.headers):
        letter = table.letters[j] if table.letters else None
        key = matcher.match(header)
        values_j = table.columns[j]
        if key is not None and key not in columns:
            columns[key] = (header, letter)
            data[f"{key}:raw"] = pl.Series(values_j, dtype=pl.String)
            if key == "id_number":
                numeric = table.numeric[j] if table.numeric else set()
                mask = [False] * n
                for r in numeric:
                    mask[r] = True
                data["id_number:numeric"] = pl.Series(mask, dtype=pl.Boolean)
        elif key is not None and table.format in ("yaml", "json"):
            # Records may name a field by its Chinese header or its key: one column either way.
            name = f"{key}:raw"
            data[name] = data[name].zip_with(data[name].is_not_null(), pl.Series(values_j, dtype=pl.String))
        elif matcher.is_ignored(header):
            data[f"x:{header}"] = pl.Series(values_j, dtype=pl.String)
            ignored.add(f"x:{header}")
        else:
            # Unknown (or a second column for an already matched field): kept, reported as DQ008.
            name = f"x:{header}"
            while name in data:
                name += "'"
            extra.append((header, letter))
            data[name] = pl.Series(values_j, dtype=pl.String)
    data["_src"] = pl.Series([src] * n, dtype=pl.UInt16)
    data["_row"] = pl.Series(table.rows, dtype=pl.UInt32)
    frame = pl.DataFrame(data)
    remarks: list[str] = []
    if table.format == "csv":
        frame = _fill_down_merged(frame, columns, remarks)
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
    )
    return source, frame


# Organisation columns that spreadsheets merge vertically (one 乡镇 over its villages).
FILL_DOWN_KEYS = ("district", "township", "unit")


def _fill_down_merged(
    frame: pl.DataFrame, columns: dict[str, tuple[str, str | None]], remarks: list[str]
) -> pl.DataFrame:
    """A merged cell saved as CSV keeps its value in the first row only; the rows below come out
    blank. Fill those blanks from the row above (for the organisation columns only) and say so,
    so that a 乡镇 merged over its villages stays one 乡镇."""
    for key in FILL_DOWN_KEYS:
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
    def _t(self, zh: str, en: str) -> str:
        return en if self.en else zh

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
        if name in f.columns:
            return f[name]
        return pl.Series(name, [None] * f.height, dtype=pl.String)

    # -- main ----------------------------------------------------------------------------------
    def run(self) -> None:
        f = self.r.frame
        if f.height == 0:
            self._finish()
            return
        pending_dq003: list[tuple[int, str, str]] = []
        for key, spec in self.r.fields.items():
            raw = self._raw(key)
            if spec.type == "id_number":
                continue  # handled below, needs the vectorised path
            self._parse_column(key, spec, raw, pending_dq003)
        self._parse_ids()
        self._derive_from_ids()
        self._unit_types()
        self.cols["person"] = self._person_keys()
        # Findings need subjects, so they are built after every column is parsed.
        for i, key, msg in pending_dq003:
            self.r.findings.append(self._finding("DQ003", i, key, msg))
        self._relatives()
        self._required()
        self._duplicates()
        self._unknown_columns()
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
                out = out.with_columns(pl.lit(None, dtype=PARSED_DTYPES[spec.type]).alias(key))
        self.r.frame = out

    def _parse_column(
        self, key: str, spec: FieldSpec, raw: pl.Series, errors: list[tuple[int, str, str]]
    ) -> None:
        typ = spec.type
        numeric = typ in NUMERIC_TYPES
        parser = values.PARSERS[typ]
        mapping: dict[str, Any] = {}
        bad: dict[str, str] = {}
        blank: set[str] = set()
        for v in raw.drop_nulls().unique().to_list():
            cv = values.clean(v)
            if cv is None or values.is_blank(cv, numeric=numeric):
                blank.add(v)
                continue
            try:
                mapping[v] = parser(cv)
            except values.ValueParseError as e:
                bad[v] = self._t(e.message_zh, e.message_en)
        header = spec.header
        if bad:
            idx = raw.is_in(list(bad)).arg_true().to_list()
            for i in idx:
                v = raw[i]
                errors.append((i, key, self._t(f"{header}“{v}”无法识别：{bad[v]}", f"{header} '{v}' cannot be read: {bad[v]}")))
        keys = list(mapping)
        dtype = PARSED_DTYPES[typ]
        if typ == "date":
            lo = [mapping[k].lo for k in keys]
            hi = [mapping[k].hi for k in keys]
            prec = [mapping[k].precision for k in keys]
            self.cols[key] = _map(raw, keys, lo, pl.Date())
            self.cols[f"{key}:hi"] = _map(raw, keys, hi, pl.Date())
            self.cols[f"{key}:prec"] = _map(raw, keys, prec, pl.String())
            return
        if typ == "education":
            names = [mapping[k][1] for k in keys]
            levels = [mapping[k][0] for k in keys]
            self.cols[key] = _map(raw, keys, names, pl.String())
            self.cols[f"{key}:level"] = _map(raw, keys, levels, pl.Int8())
            return
        if typ == "year":
            vals = [list(mapping[k]) for k in keys]
            self.cols[key] = _map(raw, keys, vals, dtype)
            return
        if typ == "id_list":
            self.cols[key] = _map(raw, keys, [list(mapping[k]) for k in keys], dtype)
            return
        if typ == "text":
            self.cols[key] = _map(raw, keys, [mapping[k] for k in keys], dtype)
            return
        self.cols[key] = _map(raw, keys, [mapping[k] for k in keys], dtype)
        if typ in ORDERED_LEVELS:
            order = ORDERED_LEVELS[typ]
            self.cols[f"{key}:level"] = _map(raw, keys, [order.get(mapping[k]) for k in keys], pl.Int8())

    def _parse_ids(self) -> None:
        f = self.r.frame
        raw = self._raw("id_number")
        numeric = f["id_number:numeric"] if "id_number:numeric" in f.columns else None
        stripped = raw.str.strip_chars()
        ok = idnumber.id_fast_ok(stripped)
        if numeric is not None:
            ok = ok & ~numeric.fill_null(False)
        normalized = stripped.to_list()
        status = ["ok"] * f.height
        birth_from_id: list[date | None] = [None] * f.height
        gender_from_id: list[str | None] = [None] * f.height
        slow = (~ok.fill_null(False)).arg_true().to_list()
        self._id_problems: list[tuple[int, str, str]] = []
        for i in slow:
            res = idnumber.analyze_id(raw[i], numeric_cell=bool(numeric[i]) if numeric is not None else False)
            status[i] = res.status
            if res.status in ("ok", "legacy"):
                normalized[i] = res.normalized
                birth_from_id[i] = res.birth
                gender_from_id[i] = res.gender
            else:
                normalized[i] = values.clean(raw[i]) if raw[i] is not None else None
            if res.status == "malformed":
                self._id_problems.append((i, "DQ001", self._t(res.message_zh or "", res.message_en or "")))
            elif res.status == "damaged":
                self._id_problems.append((i, "DQ006", self._t(res.message_zh or "", res.message_en or "")))
            elif res.status == "legacy":
                self._id_problems.append(
                    (i, "DQ007", self._t(f"15位号码 {raw[i]} 已转换为 {res.normalized}", f"15-digit {raw[i]} converted to {res.normalized}"))
                )
        ids = pl.Series("id_number", normalized, dtype=pl.String)
        fast_birth, fast_gender = idnumber.id_birth_gender(pl.Series(ids).set(~ok.fill_null(False), None))
        slow_birth = pl.Series(birth_from_id, dtype=pl.Date)
        slow_gender = pl.Series(gender_from_id, dtype=pl.String)
        self.cols["id_number"] = ids
        self.cols["id_number:status"] = pl.Series(status, dtype=pl.String)
        self.cols["id:birth"] = fast_birth.zip_with(ok.fill_null(False), slow_birth)
        self.cols["id:gender"] = fast_gender.zip_with(ok.fill_null(False), slow_gender)

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
            problems.append((i, "DQ002:gender", self._t(
                f"性别填报为“{gender[i]}”，身份证号码显示为“{id_gender[i]}”",
                f"gender given as {gender[i]}, the ID number says {id_gender[i]}",
            )))
        raw_birth = self._raw("birth_date")
        for i in mismatch_b.arg_true().to_list():
            problems.append((i, "DQ002:birth_date", self._t(
                f"出生日期填报为“{raw_birth[i]}”，身份证号码显示为 {id_birth[i].isoformat()}",
                f"birth date given as '{raw_birth[i]}', the ID number says {id_birth[i].isoformat()}",
            )))
        # The ID's full date is used when the declared value is blank or agrees with it (a month-only
        # declared date that agrees gets the ID's exact day).
        use_id = id_birth.is_not_null() & (lo.is_null() | in_range.fill_null(False))
        c["birth_date"] = id_birth.zip_with(use_id, lo)
        c["birth_date:hi"] = id_birth.zip_with(use_id, hi)
        c["birth_date:prec"] = pl.Series(["day"] * len(use_id), dtype=pl.String).zip_with(use_id, c["birth_date:prec"])
        use_g = id_gender.is_not_null() & gender.is_null()
        c["gender"] = id_gender.zip_with(use_g, gender)

    def _unit_types(self) -> None:
        c = self.cols
        unit = c["unit"]
        uniq = unit.drop_nulls().unique().to_list()
        derived = {u: values.unit_type_from_name(u) for u in uniq}
        from_name = _map(unit, list(derived), list(derived.values()), pl.String())
        c["unit_type"] = c["unit_type"].fill_null(from_name)

    def _person_keys(self) -> pl.Series:
        c = self.cols
        ids = c["id_number"]
        status = c["id_number:status"]
        usable = status.is_in(["ok", "legacy"])
        uniq = ids.filter(usable).unique().to_list()
        keys = {v: person_key(v) for v in uniq}
        from_id = _map(ids, list(keys), list(keys.values()), pl.String())
        out = from_id.to_list()
        names, units = c["name"], c["unit"]
        for i in (~usable).arg_true().to_list():
            out[i] = person_key(None, names[i], units[i])
        return pl.Series("person", out, dtype=pl.String)

    def _relatives(self) -> None:
        """Each token in 近亲属身份证号 must be an ID number (DQ003); normalise the list."""
        raw = self._raw("relatives")
        if raw.null_count() == raw.len():
            return
        out: list[list[str] | None] = [None] * raw.len()
        for i in raw.is_not_null().arg_true().to_list():
            v = values.clean(raw[i])
            if v is None or values.is_blank(v):
                continue
            toks = values.split_id_list(v)
            good: list[str] = []
            for tok in toks:
                res = idnumber.analyze_id(tok)
                if res.status in ("ok", "legacy") and res.normalized:
                    good.append(res.normalized)
                else:
                    why = self._t(res.message_zh or "不是身份证号码", res.message_en or "not an ID number")
                    self.r.findings.append(self._finding("DQ003", i, "relatives", self._t(
                        f"近亲属身份证号中的“{tok}”不是有效的身份证号码（{why}）",
                        f"'{tok}' in the relatives column is not a valid ID number ({why})",
                    )))
            out[i] = good
        self.cols["relatives"] = pl.Series("relatives", out, dtype=pl.List(pl.String))

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
                self.r.findings.append(self._finding("DQ004", i, key, self._t(
                    f"缺少{spec.header}", f"{spec.title_en or key} is missing")))
        no_post = pl.Series([True] * f.height)
        for key in POST_KEYS:
            no_post = no_post & c[key].is_null() & self._raw(key).is_null()
        for i in no_post.arg_true().to_list():
            self.r.findings.append(self._finding("DQ004", i, "party_post", self._t(
                "未填写任何拟任职务（党组织、村(居)委会或监督委员会职务至少填一项）",
                "no proposed post (Party, committee or supervisory) is given",
            )))

    def _duplicates(self) -> None:
        """DQ005: the same person twice in the same unit; reported on the later occurrences."""
        c = self.cols
        status = c["id_number:status"]
        df = pl.DataFrame({
            "id": c["id_number"], "d": c["district"], "t": c["township"], "u": c["unit"],
            "ok": status.is_in(["ok", "legacy"]), "i": pl.arange(0, len(status), eager=True),
        }).filter(pl.col("ok") & pl.col("u").is_not_null())
        dup = df.with_columns(
            first=pl.col("i").min().over(["id", "d", "t", "u"]),
        ).filter(pl.col("i") != pl.col("first"))
        rows = self.r.frame["_row"]
        for i, first in zip(dup["i"].to_list(), dup["first"].to_list(), strict=True):
            self.r.findings.append(self._finding("DQ005", i, "id_number", self._t(
                f"与第{rows[first]}行是同一人（身份证号码相同），在同一村（社区）重复填报",
                f"the same person as row {rows[first]} (same ID number) in the same unit",
            )))

    def _unknown_columns(self) -> None:
        rule = DQ_RULES["DQ008"]
        for s in self.r.sources:
            for header, letter in s.extra_columns:
                self.r.findings.append(Finding(
                    code="DQ008", severity=rule.severity, category=rule.category, scope="column",
                    title=rule.title(self.lang),
                    message=self._t(
                        f"列“{header}”不是已知列，也没有规则读取，数据已保留但不参与审查",
                        f"column '{header}' is not a known column and no rule reads it; kept, not checked",
                    ),
                    location=Location(path=s.path, sheet=s.sheet, row=s.header_row, column=header,
                                      cell=f"{letter}{s.header_row}" if letter and s.header_row else None),
                    source=rule.source,
                ))


ORDERED_LEVELS["education"] = {name: level for name, level in values.EDUCATION_LEVELS.items()}


def _map(raw: pl.Series, keys: list[str], vals: list[Any], dtype: pl.DataType) -> pl.Series:
    """Map each raw text to its parsed value; unmapped (blank or unreadable) become null."""
    if not keys:
        return pl.Series(raw.name, [None] * raw.len(), dtype=dtype)
    lookup = pl.DataFrame({"k": pl.Series(keys, dtype=pl.String), "v": pl.Series(vals, dtype=dtype)})
    out = pl.DataFrame({"k": raw.cast(pl.String)}).join(lookup, on="k", how="left", maintain_order="left")
    return out["v"]
