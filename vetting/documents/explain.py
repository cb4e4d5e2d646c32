"""pydantic's validation errors in words a document's author can act on.

One function for every document kind (policies, waivers, claims, policy tests): the key that is
wrong, what it should be (the accepted values, with a did-you-mean), what was written, Chinese
first and English after " / ". Errors that several branches of a union report for one value
become one message; a value that a model branch explains in detail is not also called "not a
number" by the scalar branches.

A model may help with two class attributes:
- `KEY_SYNONYMS`: words people write for a key (`until` -> `expires`, `greater_than` -> `above`),
  where spelling-closeness would suggest the wrong key or none;
- `KEY_NOTE`: what its keys are, said after an unknown key (`可用的运算：…`), instead of the list of
  its keys;
- `PATTERN_WORDS`: a field's pattern in words (`"须为 2-4 个大写字母加 2-4 位数字，如 EL001 / …"`),
  instead of the regular expression.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic is imported where an error is explained, not by a run without one
    from pydantic import BaseModel

__all__ = ["Explained", "explain_errors", "type_words", "value_text"]


@dataclass(frozen=True)
class Explained:
    """One message for one place: `loc` holds only keys and indexes that exist in the data."""

    loc: tuple[Any, ...]
    message: str
    hint: str | None = None


# What a pydantic error type says the value should be: (zh, en).
_EXPECTED: dict[str, tuple[str, str]] = {
    "bool_parsing": ("true 或 false（是/否）", "true or false"),
    "bool_type": ("true 或 false（是/否）", "true or false"),
    "int_parsing": ("整数", "a whole number"),
    "int_type": ("整数", "a whole number"),
    "int_from_float": ("整数", "a whole number"),
    "float_parsing": ("数字", "a number"),
    "float_type": ("数字", "a number"),
    "string_type": ("文字", "text"),
    "list_type": ("列表（每项一行“- …”，或写作 [a, b]）", "a list"),
    "tuple_type": ("列表", "a list"),
    "set_type": ("列表", "a list"),
    "dict_type": ("映射（“键: 值”）", "a mapping (key: value)"),
    "model_type": ("映射（“键: 值”）", "a mapping (key: value)"),
    "model_attributes_type": ("映射（“键: 值”）", "a mapping (key: value)"),
    "date_type": ("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "date_parsing": ("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": ("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": ("日期（YYYY-MM-DD，不带时刻）", "a date without a time"),
    "none_required": ("空", "empty"),
}
_CHOICES = ("literal_error", "enum")
_YES_NO = {"是": "true", "否": "false", "有": "true", "无": "false", "对": "true", "错": "false",
           "yes": "true", "no": "false", "y": "true", "n": "false", "1": "true", "0": "false"}
_PERCENT = re.compile(r"^\s*[+-]?\d+(\.\d+)?\s*[%％]\s*$")


def value_text(v: Any) -> str:
    """A value as its author wrote it in YAML: `'否'`, `true`, `2021-02-30`, a mapping, a list."""
    if v is None:
        return "空值"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "一个映射"
    if isinstance(v, list | tuple):
        return "一个列表"
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return f"'{v if len(v) <= _SHOWN else v[:_SHOWN] + '…'}'"
    return str(v)


_SHOWN = 40  # characters of a wrong value shown in a message (a whole file may be one string)


def type_words(v: Any) -> tuple[str, str]:
    """What kind of value this is, in words (for "should be like the declared one")."""
    if isinstance(v, bool):
        return _EXPECTED["bool_type"]
    if isinstance(v, int):
        return _EXPECTED["int_type"]
    if isinstance(v, float):
        return _EXPECTED["float_type"]
    if isinstance(v, dt.date):
        return _EXPECTED["date_type"]
    if isinstance(v, list):
        return _EXPECTED["list_type"]
    if isinstance(v, dict):
        return _EXPECTED["dict_type"]
    return _EXPECTED["string_type"]


def number_hint(v: Any) -> str | None:
    """A hint for a number written as a percentage or a Chinese yes/no for a flag."""
    if isinstance(v, str) and _PERCENT.match(v):
        n = float(v.strip().rstrip("%％").strip()) / 100
        return f"比例写作 0 到 1 之间的小数，如 {n:g} 表示 {v.strip()} / write a share as a fraction, e.g. {n:g}"
    return None


def _choices(err: dict[str, Any]) -> list[str]:
    expected = str((err.get("ctx") or {}).get("expected", ""))
    found = re.findall(r"'([^']*)'", expected) or [x.strip() for x in re.split(r",| or ", expected) if x.strip()]
    return [{"True": "true", "False": "false", "None": "空"}.get(x, x) for x in found]


# -- the data and the model at an error's location -------------------------------------------


def _has(node: Any, part: Any) -> bool:
    """Whether a location part is a key (or an index) of this node of the data."""
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _real_loc(data: Any, loc: Sequence[Any], *, keep_last: bool) -> tuple[Any, ...]:
    """The parts of a pydantic location that are keys or indexes of the data (union tags such as
    `leaf`, `bool`, `Param` are not); the last part is kept for a missing key."""
    out: list[Any] = []
    node = data
    for i, part in enumerate(loc):
        if _has(node, part):
            node = node[part]
        elif keep_last and i == len(loc) - 1:
            pass
        else:
            continue
        out.append(part)
    return tuple(out)


def _flatten(t: Any, tag: str | None = None) -> list[tuple[Any, str | None]]:
    """The alternatives of a type: `A | Annotated[B, Tag('b')] | None` -> [(A, None), (B, 'b')]."""
    from pydantic import Tag

    origin = typing.get_origin(t)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(t)
        own = next((m.tag for m in meta if isinstance(m, Tag)), None)
        return _flatten(base, own or tag)
    if origin in (typing.Union, types.UnionType):
        return [x for a in typing.get_args(t) for x in _flatten(a, tag)]
    return [(t, tag)]


def _is_model(t: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(t, type) and issubclass(t, BaseModel)


def _field_type(model: type[BaseModel], key: Any) -> Any:
    for name, f in model.model_fields.items():
        if key in (name, f.alias):
            return f.annotation
    return None


def _models_at(root: type[BaseModel], data: Any, loc: Sequence[Any]) -> list[type[BaseModel]]:
    """The models that may hold the mapping at `loc` (a pydantic location, tags included)."""
    cands: list[tuple[Any, str | None]] = [(root, None)]
    node = data
    for part in loc:
        if not _has(node, part):  # a union tag: keep the alternatives it names
            named = [c for c in cands if part in (c[1], getattr(c[0], "__name__", None))]
            cands = named or cands
            continue
        node = node[part]
        nxt: list[tuple[Any, str | None]] = []
        for t, _ in cands:
            origin = typing.get_origin(t)
            if _is_model(t) and isinstance(part, str):
                ft = _field_type(t, part)
                if ft is not None:
                    nxt += _flatten(ft)
            elif origin in (list, tuple, set) and isinstance(part, int):
                args = typing.get_args(t)
                if args:
                    nxt += _flatten(args[0])
            elif origin is dict:
                args = typing.get_args(t)
                if len(args) == 2:
                    nxt += _flatten(args[1])
        cands = nxt
    return list(dict.fromkeys(t for t, _ in cands if _is_model(t)))


def _keys_of(models: list[type[BaseModel]]) -> list[str]:
    return list(dict.fromkeys(f.alias or n for m in models for n, f in m.model_fields.items()))


# -- messages -----------------------------------------------------------------------------------


def _name(loc: tuple[Any, ...]) -> tuple[str, str]:
    """How a message names the place: `'severity'`, `'codes' 第 2 项`, or the whole document."""
    if not loc:
        return "文件内容", "the document"
    last = loc[-1]
    if isinstance(last, int):
        key = next((p for p in reversed(loc) if isinstance(p, str)), "")
        return (f"'{key}' 第 {last + 1} 项", f"item {last + 1} of '{key}'") if key else (f"第 {last + 1} 项", f"item {last + 1}")
    return f"'{last}'", f"'{last}'"


def _unknown_key(key: str, models: list[type[BaseModel]]) -> tuple[str, str | None]:
    allowed = _keys_of(models)
    synonyms: dict[str, str] = {}
    notes: list[str] = []
    for m in models:
        synonyms.update(getattr(m, "KEY_SYNONYMS", {}) or {})
        note = getattr(m, "KEY_NOTE", None)
        if isinstance(note, str) and note not in notes:
            notes.append(note)
    meant = synonyms.get(key) or synonyms.get(key.lower())
    close = [meant] if meant in allowed else difflib.get_close_matches(key, allowed, n=1)
    guess = f"（是否应为 '{close[0]}'？）" if close else ""
    guess_en = f" (did you mean '{close[0]}'?)" if close else ""
    hint: str | None = None
    if notes:
        hint = "；".join(notes)
    elif allowed and len(allowed) <= 12:
        hint = f"可用的键：{'、'.join(allowed)} / keys: {', '.join(allowed)}"
    return f"未知的键 '{key}'{guess} / unknown key '{key}'{guess_en}", hint


def _one(err: dict[str, Any], loc: tuple[Any, ...], root: type[BaseModel] | None, data: Any) -> Explained:
    typ = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    zh_name, en_name = _name(loc)
    value = err.get("input")
    if typ == "extra_forbidden":
        models = _models_at(root, data, err["loc"][:-1]) if root is not None else []
        message, hint = _unknown_key(str(loc[-1]) if loc else "", models)
        return Explained(loc, message, hint)
    if typ == "missing":
        return Explained(loc, f"缺少必填的键 {zh_name} / missing required key {en_name}")
    if typ in ("value_error", "assertion_error"):
        msg = str(ctx.get("error", err.get("msg", ""))).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        # (a validator's message that starts with its key names the place itself)
        where = "" if not loc or msg.startswith(str(loc[-1])) else f"{zh_name}："
        return Explained(loc, f"{where}{msg}")
    if typ in ("too_short", "too_long"):
        n = ctx.get("min_length" if typ == "too_short" else "max_length")
        unit = "项" if isinstance(value, list | dict) else "个字"
        zh = f"至少 {n} {unit}" if typ == "too_short" else f"至多 {n} {unit}"
        en = f"at least {n}" if typ == "too_short" else f"at most {n}"
        return Explained(loc, f"{zh_name} 应有{zh}，实为 {value_text(value)} / {en_name} needs {en} item(s) or character(s)")
    if typ == "string_pattern_mismatch":
        models = _models_at(root, data, err["loc"][:-1]) if root is not None else []
        words = next((w for m in models if (w := (getattr(m, "PATTERN_WORDS", {}) or {}).get(str(loc[-1]))) is not None), None)
        zh, en = words.split(" / ", 1) if words and " / " in words else (f"须符合格式 {ctx.get('pattern')}", f"must match {ctx.get('pattern')}")
        return Explained(loc, f"{zh_name} 的写法不对：{value_text(value)}，{zh} / {en_name}: {en}")
    if typ in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {"greater_than": ("大于", "greater than", "gt"), "greater_than_equal": ("不小于", "at least", "ge"),
                 "less_than": ("小于", "less than", "lt"), "less_than_equal": ("不大于", "at most", "le")}[typ]
        bound = ctx.get(words[2])
        return Explained(loc, f"{zh_name} 应{words[0]} {bound}，实为 {value_text(value)} / {en_name} must be {words[1]} {bound}")
    expected = _expected([err])
    if expected is not None:
        return _expectation(loc, [err], value)
    msg = str(err.get("msg", ""))
    return Explained(loc, f"{zh_name} 的值 {value_text(value)} 无效 / {en_name}: {msg}")


def _expected(errs: list[dict[str, Any]]) -> tuple[str, str] | None:
    """What the value should be, joined over the union branches that refused it."""
    zh: list[str] = []
    en: list[str] = []
    choices: list[str] = []
    for e in errs:
        typ = str(e.get("type", ""))
        if typ in _CHOICES:
            choices += _choices(e)
        elif typ in _EXPECTED:
            z, n = _EXPECTED[typ]
            if z not in zh:
                zh.append(z)
                en.append(n)
        else:
            return None
    if "数字" in zh and "整数" in zh:  # a number covers a whole number
        i = zh.index("整数")
        del zh[i], en[i]
    if choices:
        choices = list(dict.fromkeys(choices))
        zh.append(f"{'、'.join(choices)} 之一" if len(choices) > 1 else choices[0])
        en.append(f"one of {', '.join(choices)}" if len(choices) > 1 else choices[0])
    if not zh:
        return None
    return "，或".join(zh), " or ".join(en)


def _expectation(loc: tuple[Any, ...], errs: list[dict[str, Any]], value: Any) -> Explained:
    expected = _expected(errs)
    assert expected is not None
    zh_name, en_name = _name(loc)
    choices = [c for e in errs if e.get("type") in _CHOICES for c in _choices(e)]
    guess = guess_en = ""
    if choices and isinstance(value, str):
        close = difflib.get_close_matches(value, choices, n=1) or difflib.get_close_matches(value.lower(), choices, n=1)
        if close:
            guess, guess_en = f"（是否应为 '{close[0]}'？）", f" (did you mean '{close[0]}'?)"
    hint: str | None = None
    types_ = {e.get("type") for e in errs}
    if types_ & {"bool_parsing", "bool_type"} and isinstance(value, str) and value.strip().lower() in _YES_NO:
        word = _YES_NO[value.strip().lower()]
        hint = f"是/否写作 true/false：{value.strip()} → {word} / write yes/no as true/false"
    elif types_ & {"float_parsing", "float_type", "int_parsing", "int_type"}:
        hint = number_hint(value)
    elif types_ & {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"}:
        hint = "日期写作 YYYY-MM-DD，如 2021-01-10。 / Write dates as YYYY-MM-DD."
    return Explained(
        loc,
        f"{zh_name} {_spaced('应为' + expected[0])}{guess}，实为 {value_text(value)} / {en_name} must be {expected[1]}{guess_en}",
        hint,
    )


def _spaced(text: str) -> str:
    """A space between Chinese and Latin words (`应为 error、warning`), as the other messages write."""
    return re.sub(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9'])", " ", text)


def explain_errors(
    errors: list[dict[str, Any]], data: Any, model: type[BaseModel] | None = None, base: tuple[Any, ...] = ()
) -> list[Explained]:
    """Every pydantic error of one validation of `data` (found at `base` in its document),
    explained, in the order given; the refusals of one value by several union branches become
    one message."""
    placed: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        (_real_loc(data, err.get("loc", ()), keep_last=err.get("type") == "missing"), err) for err in errors
    ]
    locs = [loc for loc, _ in placed]
    out: list[Explained] = []
    done: set[tuple[Any, ...]] = set()
    for loc, err in placed:
        if err.get("type") in _EXPECTED or err.get("type") in _CHOICES:
            # A value some model branch explains in detail (a deeper error) is not also "not text".
            if any(other[: len(loc)] == loc and len(other) > len(loc) for other in locs):
                continue
            if loc in done:
                continue
            done.add(loc)
            same = [e for lo, e in placed if lo == loc and (e.get("type") in _EXPECTED or e.get("type") in _CHOICES)]
            if _expected(same) is not None:
                out.append(_expectation(base + loc, same, err.get("input")))
                continue
        out.append(_one(err, base + loc, model, data))
    return list(dict.fromkeys(out))
