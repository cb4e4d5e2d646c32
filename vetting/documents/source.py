"""A YAML document as read: its round-trip tree (ruamel.yaml), the line and column of every key
and item, and the plain data the pydantic models validate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UserError

# ruamel.yaml is imported where a file is parsed, not here: a run whose policy files come from
# the policy cache (policy/cache.py) does not import it at all.


@dataclass(frozen=True)
class Pos:
    """A position in a document (1-based line and column)."""

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

    def plain(self) -> Any:
        """The data as plain dicts, lists and scalars (what the models validate)."""
        return plain_data(self.tree)


def read_yaml(path: Path | str, *, display: str | None = None) -> LoadedYaml:
    """Parse a YAML file keeping positions; syntax errors become UserError with file:line:col.
    The file must be a regular file under the size limit; alias bombs and deep nesting are
    refused (yamlsafe)."""
    from .yamlsafe import check_document_file, line_col, load_yaml_text

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
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

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


def _unfold(text: Any) -> str:
    """YAML's `>` joins wrapped lines with a space, which is wrong inside Chinese text: drop the
    space at a fold that falls between two wide characters."""
    out = str(text)
    for pos in sorted(getattr(text, "fold_pos", []) or [], reverse=True):
        if 0 < pos < len(out) - 1 and out[pos] == " " and _is_wide(out[pos - 1]) and _is_wide(out[pos + 1]):
            out = out[:pos] + out[pos + 1 :]
    return out


def plain_data(node: Any) -> Any:
    """ruamel's round-trip types -> plain dict/list/scalars for pydantic."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    return _plain_node(node, FoldedScalarString)


def _plain_node(node: Any, FoldedScalarString: type) -> Any:  # noqa: N803 (the class, passed down)
    if isinstance(node, dict):
        return {str(k): _plain_node(v, FoldedScalarString) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain_node(v, FoldedScalarString) for v in node]
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
