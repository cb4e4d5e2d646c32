"""Reading YAML (policies, waivers, policy tests, claims, YAML rosters) and JSON rosters safely.

- Aliases are expanded within a budget: a document whose aliases would expand it beyond
  `MAX_EXPANDED_NODES` nodes (a "billion laughs" bomb, also when it hides under unknown keys) is
  refused before anything walks it.
- Nesting deeper than `MAX_DEPTH` levels is refused with a message, never a RecursionError.
- Files read as documents must be regular files under `MAX_DOCUMENT_BYTES` (not `/dev/zero`, not
  a directory).
- Every error names file:line:col of the user's file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import UserError

__all__ = [
    "MAX_DEPTH", "MAX_DOCUMENT_BYTES", "MAX_EXPANDED_NODES", "check_document_file", "check_json_depth",
    "line_col", "load_yaml_text",
]

MAX_EXPANDED_NODES = 1_000_000
MAX_DEPTH = 64
# Policies, waivers, claims and policy tests are small; VETTING_MAX_DOCUMENT_MB raises the limit.
MAX_DOCUMENT_BYTES = int(float(os.environ.get("VETTING_MAX_DOCUMENT_MB", "20")) * 1_000_000)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_document_file(path: Path, shown: str, *, what: str = "文件", limit: int | None = None) -> None:
    """A regular file under the size limit, or a `UserError` saying what it is instead."""
    limit = MAX_DOCUMENT_BYTES if limit is None else limit
    if not path.exists():
        raise UserError(f"{what}不存在 / file not found", path=shown)
    if path.is_dir():
        raise UserError(f"{what}是一个文件夹，不是文件 / is a directory, not a file", path=shown)
    if not path.is_file():
        raise UserError(f"{what}不是普通文件（设备、管道等）/ not a regular file", path=shown)
    size = path.stat().st_size
    if size > limit:
        raise UserError(
            f"{what}太大（{size / 1e6:.1f} MB，上限 {limit / 1e6:.0f} MB）/ the file is too large",
            path=shown,
            hint="上限可用环境变量 VETTING_MAX_DOCUMENT_MB 调整。 / Raise the limit with VETTING_MAX_DOCUMENT_MB.",
        )


def load_yaml_text(text: str, shown: str) -> Any:
    """Round-trip YAML data (ruamel), after the alias and depth checks."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = YAML(typ="rt")
    try:
        # compose, check, then construct from the same nodes (what YAML.load does, in two steps)
        constructor, parser = yaml.get_constructor_parser(text)
        try:
            node = constructor.composer.get_single_node()
            _check_tree(node, shown)
            return constructor.construct_document(node) if node is not None else None
        except (ValueError, TypeError, OverflowError) as e:  # a value that cannot be built
            bad = _bad_date(node)
            if bad is None:
                raise UserError(f"YAML 中有无法读取的值：{e} / a value cannot be read", path=shown) from None
            mark = bad.start_mark
            raise UserError(
                f"日期“{bad.value}”不存在（如 2 月 30 日）/ not a real date: {e}",
                path=shown, line=mark.line + 1, column=mark.column + 1,
                hint="日期写作 YYYY-MM-DD，如 2021-02-28。 / Write dates as YYYY-MM-DD.",
            ) from None
        finally:
            parser.dispose()
    except RecursionError:
        raise UserError(
            f"YAML 嵌套过深（超过 {MAX_DEPTH} 层）/ YAML nested too deeply", path=shown
        ) from None
    except ReaderError as e:
        line, col = line_col(text, e.position)
        char = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        raise UserError(
            f"文件中有不允许的字符 {char} / a character YAML does not allow", path=shown, line=line, column=col
        ) from None
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = " ".join(x for x in (e.context, e.problem) if x) or str(e)
        zh = syntax_words(problem)
        raise UserError(
            f"YAML 语法错误：{zh} / YAML syntax error: {problem}" if zh else f"YAML 语法错误：{problem} / YAML syntax error",
            path=shown,
            line=mark.line + 1 if mark is not None else None,
            column=mark.column + 1 if mark is not None else None,
        ) from None
    except YAMLError as e:
        raise UserError(f"YAML 无法解析：{e} / YAML error", path=shown) from None


# The syntax errors authors make, in words: (what ruamel says, in part) -> what to do.
_SYNTAX_WORDS: tuple[tuple[str, str], ...] = (
    ("found duplicate key", "同一个键写了两次{key}，请删去一个"),
    ("found character '\\t'", "用了 Tab 缩进；YAML 只能用空格缩进"),
    ("scanning a quoted scalar", "引号没有闭合"),
    ("flow sequence", "方括号 [ ] 没有闭合，或项之间缺少逗号"),
    ("flow mapping", "花括号 { } 没有闭合，或项之间缺少逗号"),
    ("mapping values are not allowed here", "此处不能写“键: 值”：冒号后要有空格，含“: ”的文字请加引号，或检查缩进"),
    ("could not find expected ':'", "缺少冒号“:”，或缩进不对"),
    ("found undefined alias", "引用（*名称）没有对应的锚点（&名称）"),
    ("expected <block end>", "缩进不对：同一层的键要对齐"),
)


def syntax_words(problem: str) -> str | None:
    """A YAML syntax error in Chinese, where it is a common one."""
    import re

    for needle, words in _SYNTAX_WORDS:
        if needle in problem:
            key = re.search(r'duplicate key "([^"]*)"', problem)
            # `replace`, not `format`: the words hold literal braces ("花括号 { }").
            return words.replace("{key}", f"（“{key.group(1)}”）" if key else "")
    return None


def _check_tree(root: Any, shown: str) -> None:
    """Expanded size and depth of a composed node graph, in time linear in its distinct nodes."""
    if root is None:
        return
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in size and not done:
            continue
        children = _children(node)
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in size)
            if len(stack) > 10 * MAX_EXPANDED_NODES:
                break
            continue
        total = 1 + sum(size.get(id(c), 1) for c in children)
        deep = 1 + max((depth.get(id(c), 1) for c in children), default=0)
        size[key], depth[key] = total, deep
        if deep > MAX_DEPTH:
            mark = node.start_mark
            raise UserError(
                f"YAML 嵌套过深（超过 {MAX_DEPTH} 层）/ YAML nested too deeply",
                path=shown, line=mark.line + 1, column=mark.column + 1,
            )
        if total > MAX_EXPANDED_NODES:
            mark = node.start_mark
            raise UserError(
                f"YAML 别名（&锚点/*引用）展开后超过 {MAX_EXPANDED_NODES} 个节点，拒绝读取"
                " / YAML aliases expand beyond the limit (an alias bomb?)",
                path=shown, line=mark.line + 1, column=mark.column + 1,
            )


def _bad_date(root: Any) -> Any:
    """The first scalar YAML reads as a date or time that is not a real one."""
    import datetime as dt

    from ruamel.yaml.nodes import ScalarNode

    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode) and str(node.tag or "").endswith(":timestamp"):
            text = str(node.value).strip()
            try:
                if len(text) == 10:
                    dt.date.fromisoformat(text)
                else:
                    dt.datetime.fromisoformat(text.replace("t", "T").replace(" ", "T", 1).rstrip("Zz"))
            except ValueError:
                return node
        stack.extend(reversed(_children(node)))
    return None


def _children(node: Any) -> list[Any]:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [x for pair in node.value for x in pair]
    return []


def check_json_depth(text: str, shown: str) -> None:
    """Nesting deeper than MAX_DEPTH in a JSON text (brackets outside strings), with its place."""
    depth = 0
    in_string = escape = False
    for i, ch in enumerate(text):
        if in_string:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, col = line_col(text, i)
                raise UserError(
                    f"JSON 嵌套过深（超过 {MAX_DEPTH} 层）/ JSON nested too deeply", path=shown, line=line, column=col
                )
        elif ch in "]}":
            depth -= 1
