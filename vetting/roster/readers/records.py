"""The YAML and JSON readers: a list of records (or `{candidates: [...]}`), one key a column."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ...documents.yamlsafe import check_json_depth, load_yaml_text
from ...errors import UserError
from .common import RawTable, _decode, _scalar_text


def _records_of(
    path: str,
    doc: Any,
    what: str,
    line_of: Callable[[Any], int | None],
    item_line: Callable[[Any, int], int | None],
) -> list[Any]:
    """The list of records: the document itself or its `candidates`; each must be a mapping."""
    if isinstance(doc, dict):
        if "candidates" not in doc:
            raise UserError(
                f"{what} 顶层是映射但没有 candidates 键 / the top-level mapping has no"
                " 'candidates' key",
                path=path,
                line=line_of(doc),
                hint="应为人员记录的列表，或 {candidates: [...]}。 / Expected a list of records"
                " or {candidates: [...]}.",
            )
        doc = doc["candidates"]
    if not isinstance(doc, list):
        raise UserError(
            f"{what} 内容应为人员记录的列表 / expected a list of records, found {_kind(doc)}",
            path=path,
            line=line_of(doc),
            hint="应为人员记录的列表，或 {candidates: [...]}。 / Expected a list of records"
            " or {candidates: [...]}.",
        )
    for i, rec in enumerate(doc):
        if not isinstance(rec, dict):
            raise UserError(
                f"第 {i + 1} 条记录不是映射（键: 值）/ record {i + 1} is not a mapping"
                f" (found {_kind(rec)})",
                path=path,
                line=item_line(doc, i),
            )
    return doc


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    return f"a {type(v).__name__.lower()} scalar"


def _value_text(path: str, v: Any, where: str, line: int | None) -> str | None:
    if isinstance(v, list):
        parts = [_value_text(path, x, where, line) for x in v]
        return "、".join(p for p in parts if p) or None
    if isinstance(v, dict):
        raise UserError(
            f"{where} 的值不能是映射 / the value of {where} must not be a mapping",
            path=path,
            line=line,
        )
    return _scalar_text(v)[0]


def _records_table(
    path: str, fmt: str, records: list[Any], rows: list[int], lines: list[int | None]
) -> RawTable:
    headers: dict[str, None] = {}
    keyed: list[dict[str, Any]] = []
    for i, rec in enumerate(records):
        out: dict[str, Any] = {}
        for k, v in rec.items():
            key = str(k).strip() if k is not None else ""
            if not key:
                raise UserError(
                    f"第 {i + 1} 条记录有空键 / record {i + 1} has an empty key",
                    path=path,
                    line=lines[i],
                )
            headers.setdefault(key, None)
            out[key] = _value_text(
                path, v, f"第 {i + 1} 条记录的“{key}” / record {i + 1} '{key}'", lines[i]
            )
        keyed.append(out)
    names = list(headers)
    return RawTable(
        path=path,
        format=fmt,
        sheet=None,
        header_row=0,
        headers=names,
        columns=[[rec.get(h) for rec in keyed] for h in names],
        rows=rows,
        letters=[None for _ in names],
        numeric=[set() for _ in names],
        notes=[],
        encoding=None,
    )


def _read_yaml(path: str, data: bytes) -> RawTable:
    text, _ = _decode(path, data)
    doc = load_yaml_text(text, path)

    def line_of(node: Any) -> int | None:
        lc = getattr(node, "lc", None)
        line = getattr(lc, "line", None)
        return line + 1 if isinstance(line, int) else None

    def item_line(seq: Any, i: int) -> int | None:
        """The line where the i-th item of a sequence starts (its first key for a mapping)."""
        try:
            return int(seq.lc.item(i)[0]) + 1
        except (AttributeError, KeyError, IndexError, TypeError):
            return line_of(seq[i]) if i < len(seq) else None

    records = _records_of(path, doc, "YAML", line_of, item_line)
    seq = doc["candidates"] if isinstance(doc, dict) else doc
    lines = [item_line(seq, i) for i in range(len(records))]
    rows = [ln if ln is not None else i + 1 for i, ln in enumerate(lines)]
    return _records_table(path, "yaml", records, rows, lines)


def _read_json(path: str, data: bytes) -> RawTable:
    text, _ = _decode(path, data)
    try:
        doc = json.loads(text)
    except RecursionError:
        check_json_depth(text, path)
        raise UserError("JSON 嵌套过深 / JSON nested too deeply", path=path) from None
    except json.JSONDecodeError as e:
        raise UserError(
            f"JSON 语法错误 / JSON syntax error: {e.msg}", path=path, line=e.lineno, column=e.colno
        ) from e
    records = _records_of(path, doc, "JSON", lambda _: None, lambda _, __: None)
    n = len(records)
    try:
        return _records_table(path, "json", records, list(range(1, n + 1)), [None] * n)
    except RecursionError:
        check_json_depth(text, path)
        raise UserError("JSON 嵌套过深 / JSON nested too deeply", path=path) from None
