"""Read policy files with ruamel.yaml, validate with pydantic, and say where every error is.

Every error is reported at once as `file:line:col: what is wrong`, walking pydantic's error
location through ruamel's line/column data.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from ..errors import Problem, UserError


@dataclass(frozen=True)
class Pos:
    """A position in a policy file (1-based line and column)."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass
class LoadedYaml:
    path: str
    tree: Any  # ruamel round-trip data (CommentedMap / CommentedSeq / scalars)

    def pos(self, loc: tuple[Any, ...] = ()) -> Pos:
        return position(self.path, self.tree, loc)


def read_yaml(path: Path | str, *, display: str | None = None) -> LoadedYaml:
    """Parse a YAML file keeping positions; syntax errors become UserError with file:line:col.
    The file must be a regular file under the size limit; alias bombs and deep nesting are
    refused (yamlsafe)."""
    from ..yamlsafe import check_document_file, line_col, load_yaml_text

    p = Path(path)
    shown = display or str(path)
    check_document_file(p, shown)
    data = p.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        head = data[: e.start].decode("utf-8-sig", errors="replace")
        line, col = line_col(head, len(head))
        raise UserError("文件不是 UTF-8 编码的文本 / not UTF-8 text", path=shown, line=line, column=col) from None
    try:
        tree = load_yaml_text(text, shown)
    except UserError:
        raise
    except Exception as e:  # ruamel raises several unmarked errors (duplicate keys, …)
        raise UserError(f"YAML 无法解析：{e}", path=shown) from None
    return LoadedYaml(shown, tree)


def position(path: str, tree: Any, loc: tuple[Any, ...]) -> Pos:
    """The line/column of the node a pydantic error location points at.

    pydantic locations contain union tags ('leaf', 'all') that are not keys in the data; those
    are skipped. A missing key points at its parent mapping.
    """
    node = tree
    line, col = 0, 0
    if isinstance(node, CommentedMap | CommentedSeq):
        line, col = node.lc.line, node.lc.col
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            kl, kc = node.lc.key(part)
            line, col = kl, kc
            node = node[part]
        elif isinstance(node, CommentedMap) and isinstance(part, str) and part.rstrip("_") in node:
            part = part.rstrip("_")  # python names of YAML keys: is_, in_, not_, with_
            line, col = node.lc.key(part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, col = node.lc.item(part)
            node = node[part]
    return Pos(path, line + 1, col + 1)


def _is_wide(ch: str) -> bool:
    """CJK characters and full-width punctuation: no space between them when text is folded."""
    code = ord(ch)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or 0x3000 <= code <= 0x303F


def _unfold(text: FoldedScalarString) -> str:
    """YAML's `>` joins wrapped lines with a space, which is wrong inside Chinese text: drop the
    space at a fold that falls between two wide characters."""
    out = str(text)
    for pos in sorted(getattr(text, "fold_pos", []) or [], reverse=True):
        if 0 < pos < len(out) - 1 and out[pos] == " " and _is_wide(out[pos - 1]) and _is_wide(out[pos + 1]):
            out = out[:pos] + out[pos + 1 :]
    return out


def _plain(node: Any) -> Any:
    """ruamel's round-trip types -> plain dict/list/scalars for pydantic."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, FoldedScalarString):
        return _unfold(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def explain_error(err: dict[str, Any], model: type[BaseModel] | None = None) -> str:
    """One pydantic error in words a policy author can act on."""
    typ = err.get("type", "")
    loc = err.get("loc", ())
    last = loc[-1] if loc else ""
    if typ == "extra_forbidden":
        hint = ""
        ctx_fields = _allowed_keys_for(err, model)
        if ctx_fields:
            meant = _SYNONYMS.get(str(last).lower())
            close = [meant] if meant in ctx_fields else difflib.get_close_matches(str(last), ctx_fields, n=1)
            hint = f"（是否应为 '{close[0]}'？）" if close else ""
        return f"未知的键 '{last}'{hint} / unknown key '{last}'"
    if typ == "missing":
        return f"缺少必填的键 '{last}' / missing required key '{last}'"
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    return f"'{'.'.join(str(p) for p in loc if not _is_tag(p))}': {msg}"


_KNOWN_TAGS = {"leaf", "all", "any", "not"}
# Words people write for a key, where spelling-closeness would suggest the wrong one
# (`until` is closer to `unit` than to `expires`).
_SYNONYMS = {
    "until": "expires", "expiry": "expires", "expire": "expires", "valid_until": "expires", "expires_on": "expires",
    "code": "codes", "rule": "codes", "rules": "codes", "id": "person", "id_number": "person",
    "approver": "approved_by", "approved": "approved_by",
}


def _is_tag(part: Any) -> bool:
    return isinstance(part, str) and part in _KNOWN_TAGS


def _models_of(model: type[BaseModel]) -> list[type[BaseModel]]:
    """A model and every model its fields can hold (for the keys a document may use)."""
    import typing

    out: list[type[BaseModel]] = []
    todo: list[Any] = [model]
    while todo:
        t = todo.pop()
        if isinstance(t, type) and issubclass(t, BaseModel):
            if t in out:
                continue
            out.append(t)
            todo.extend(f.annotation for f in t.model_fields.values())
        else:
            todo.extend(typing.get_args(t))
    return out


def _allowed_keys_for(err: dict[str, Any], model: type[BaseModel] | None = None) -> list[str]:
    from .model import Expect, Leaf, Override, Param, PolicyFile, Rule, RuleSource

    if model is not None and model is not PolicyFile:  # a waiver file, claims, policy tests
        return sorted({f.alias or n for m in _models_of(model) for n, f in m.model_fields.items()})

    loc = [p for p in err.get("loc", ()) if not isinstance(p, int)]
    candidates: list[type[BaseModel]] = [Leaf, Rule, Expect, PolicyFile, Param, RuleSource, Override]
    if "fields" in loc:
        from ..roster.columns import FieldSpec

        candidates = [FieldSpec]
    elif "leaf" in loc:
        candidates = [Leaf]
    elif "expect" in loc:
        candidates = [Expect, Leaf]
    elif "rules" in loc and len(loc) <= 3:
        candidates = [Rule]
    names: list[str] = []
    for m in candidates:
        for name, f in m.model_fields.items():
            names.append(f.alias or name)
    return names


def validate(model: type[BaseModel], loaded: LoadedYaml, *, what: str = "政策文件") -> Any:
    """Validate a loaded YAML tree against a model; all errors at once with positions. `what`
    names the document in the message (政策文件, 豁免清单 …)."""
    try:
        return model.model_validate(_plain(loaded.tree))
    except ValidationError as e:
        problems = []
        for err in e.errors():
            pos = loaded.pos(tuple(err["loc"]))
            problems.append(Problem(pos.path, pos.line, pos.col, explain_error(dict(err), model)))
        # Errors in the same place from several union branches say the same thing once.
        problems = list(dict.fromkeys(problems))
        raise UserError(
            f"{what}有 {len(problems)} 处错误 / {len(problems)} error(s) in the file",
            path=loaded.path,
            problems=problems,
        ) from None
