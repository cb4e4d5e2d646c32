"""Parameters in a rule's title and rationale.

A title or rationale written in the national policy as "新进人员一般不超过{new_entrant_max_age}岁"
says 40 in a region that sets `new_entrant_max_age: 40`, without copying the rule: the texts
are filled from the effective parameters once the policy is composed, so `vetting rules`,
`explain`, findings and every report show the region's value. Only `{parameter}` placeholders
(and `{{` / `}}` for a brace) are allowed there; an unknown name is a policy error at its
position (the title's line in the file that wrote it, or the override that replaced it).
Messages (`says:`) take parameters the same way, filled per finding (vetting.checks).
A parameter's own title and description may name parameters too ("新进人员年龄超过此数提示（恰好
{new_entrant_max_age}岁不提示）"), filled the same way, so a region's override never sits next
to the national number.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..display import fmt_number, fmt_share
from ..errors import Problem
from .objects import replaced

if TYPE_CHECKING:
    from .resolve import EffectivePolicy, EffectiveRule

TEXT_KEYS = ("title", "title_en", "rationale", "rationale_en")
PARAM_TEXT_KEYS = ("title", "title_en", "description")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def param_text(value: Any) -> str:
    """A parameter's value as texts and messages show it: shares as percentages (0.9 -> 90%)."""
    if isinstance(value, float) and 0 < value < 1:
        return fmt_share(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return fmt_number(value)


def fill(text: str, values: Mapping[str, Any], unknown: Callable[[str], None] | None = None) -> str:
    """Substitute `{name}` placeholders and the `{{`/`}}` escapes: the one template language of
    titles, rationales and messages. Nothing else is interpreted (a template cannot reach
    attributes, indexes or code); a value of None is blank. A name not in `values`, or a stray
    brace, is passed to `unknown` and stays as written; without `unknown`, an unknown name
    written like a placeholder becomes blank and anything else stays as written."""

    out: list[str] = []
    for literal, name, tok, missing in _pieces(text):
        out.append(literal)
        if name is not None and name in values:
            v = values[name]
            out.append("" if v is None else str(v))
        elif tok and unknown is not None:
            unknown(tok if name is None else name)
            out.append(tok)
        else:
            out.append(missing)
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _pieces(text: str) -> tuple[tuple[str, str | None, str, str], ...]:
    """A template parsed once (findings' messages fill the same few templates thousands of
    times): (literal text before it, placeholder name or None for a stray brace, the token as
    written, what it becomes without a value and without `unknown`); the last piece has no
    token."""
    out: list[tuple[str, str | None, str, str]] = []
    literal: list[str] = []
    at = 0
    for m in _TOKEN.finditer(text):
        literal.append(text[at:m.start()])
        at = m.end()
        tok, name = m.group(0), m.group(1)
        if tok in ("{{", "}}"):
            literal.append(tok[0])
            continue
        missing = "" if name is not None and _NAME.fullmatch(name) else tok  # a stray brace stays
        out.append(("".join(literal), name, tok, missing))
        literal = []
    literal.append(text[at:])
    out.append(("".join(literal), None, "", ""))
    return tuple(out)


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders a template uses."""
    return {m.group(1) for m in _TOKEN.finditer(text) if m.group(1) and _NAME.fullmatch(m.group(1))}


def text_problems(er: EffectiveRule, params: dict[str, Any]) -> list[Problem]:
    """Each unknown placeholder (or stray brace) in the rule's title and rationale."""
    out: list[Problem] = []
    values = {n: "" for n in params}
    for key in TEXT_KEYS:
        text = getattr(er.rule, key)
        if not text:
            continue
        pos = er.set_at.get(key) or er.pos(key)

        def unknown(name: str, key: str = key, pos: Any = pos) -> None:
            if name in ("{", "}"):
                why = f"{key} 中有单独的“{name}”；要写花括号本身请写成“{name * 2}” / a lone brace: write {name * 2}"
            else:
                close = difflib.get_close_matches(name, list(params), n=1)
                hint = f"（是否应为 '{{{close[0]}}}'？）" if close else ""
                why = (f"{key} 中的占位符 '{{{name}}}' 不是参数{hint}；标题和理由只能引用政策的参数"
                       f" / unknown placeholder in {key}: only parameters may be used")
            out.append(Problem(pos.path, pos.line, pos.col, why))

        fill(text, values, unknown)
    return out


def param_text_problems(policy: EffectivePolicy) -> list[Problem]:
    """Each unknown placeholder (or stray brace) in a parameter's title or description, at the
    parameter's declaration."""
    out: list[Problem] = []
    names = list(policy.params)
    for name, p in policy.params.items():
        for key in PARAM_TEXT_KEYS:
            text = getattr(p.spec, key)
            if not text:
                continue
            pos = p.declared_at

            def unknown(token: str, key: str = key, pos: Any = pos, name: str = name) -> None:
                if token in ("{", "}"):
                    why = (f"参数 '{name}' 的 {key} 中有单独的“{token}”；要写花括号本身请写成“{token * 2}”"
                           f" / a lone brace: write {token * 2}")
                else:
                    close = difflib.get_close_matches(token, names, n=1)
                    hint = f"（是否应为 '{{{close[0]}}}'？）" if close else ""
                    why = (f"参数 '{name}' 的 {key} 中的占位符 '{{{token}}}' 不是参数{hint}；说明只能引用政策的参数"
                           f" / unknown placeholder in {key}: only parameters may be used")
                out.append(Problem(pos.path, pos.line, pos.col, why))

            fill(text, dict.fromkeys(names, ""), unknown)
    return out


def fill_texts(policy: EffectivePolicy) -> None:
    """Replace each rule's title and rationale placeholders, and each parameter's title and
    description placeholders, by the effective parameter values (after `text_problems` and
    `param_text_problems` found none unknown)."""
    values = {name: param_text(p.spec.value) for name, p in policy.params.items()}
    for p in policy.params.values():
        changed = {key: fill(text, values, lambda _: None) for key in PARAM_TEXT_KEYS
                   if (text := getattr(p.spec, key)) and ("{" in text or "}" in text)}
        if changed:
            p.spec = replaced(p.spec, **changed)
    for er in policy.rules.values():
        update: dict[str, str] = {}
        for key in TEXT_KEYS:
            text = getattr(er.rule, key)
            if text and ("{" in text or "}" in text):
                update[key] = fill(text, values, lambda _: None)
        if update:
            er.rule = replaced(er.rule, **update)
