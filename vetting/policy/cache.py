"""A cache of parsed shipped policy files, so that a run does not parse their YAML again.

Parsing the shipped policy files with positions (ruamel.yaml's round-trip mode) took most of a
small run's time after imports, although the files never change between runs. This module keeps,
for each shipped file, the plain data ruamel produced (dates tagged, folded Chinese text already
joined) and the line/column of every key and item, as JSON in the user's cache folder. A run
reads that instead of the YAML; the data still goes through the pydantic models (`validate`), so
nothing in the cache is trusted more than the YAML would be.

- Key: SHA-256 of the file's bytes, vetting's version and this module's format number. An edited
  file (or another vetting version) has another key: the old entry is not used.
- Each entry carries a SHA-256 digest of its payload; an entry whose digest, key or shape does not
  match (a torn write, a disk error, an edit by hand) is ignored and rewritten from the YAML.
- Entries are JSON (never pickle): reading one executes nothing.
- Where: `VETTING_CACHE_DIR` if set; else the platform's user cache folder (`$XDG_CACHE_HOME`,
  default `~/.cache`, on Linux; `~/Library/Caches` on macOS; `%LOCALAPPDATA%` on Windows) +
  `vetting/policies`. `VETTING_NO_CACHE=1` turns the cache off. A folder that cannot be written
  is no error: the run parses the YAML as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .. import __version__
from ..documents import LoadedYaml, Pos

FORMAT = 1  # bump when the entry layout or the meaning of the data changes
MAX_BYTES = 2_000_000  # larger files are parsed, not cached


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off.

    The same places as platformdirs' `user_cache_dir("vetting")` (whose import alone would cost
    a tenth of a small run's budget)."""
    if os.environ.get("VETTING_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("VETTING_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "vetting" / "Cache" / "policies"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "vetting" / "policies"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "vetting" / "policies"


class CachedYaml(LoadedYaml):
    """A policy file read from the cache: `tree` is plain data (what `plain_data` gives for the
    YAML), positions come from the stored table (same answers as `position` on the YAML)."""

    def __init__(self, path: str, tree: Any, positions: Any):
        super().__init__(path, tree)
        self.positions = positions

    def pos(self, loc: tuple[Any, ...] = ()) -> Pos:
        return _position(self.path, self.positions, loc)

    def plain(self) -> Any:
        return self.tree


def read_policy_yaml(path: Path, *, display: str) -> LoadedYaml:
    """`read_yaml` of a policy file, through the cache when there is one."""
    from ..documents import read_yaml

    folder = cache_dir()
    if folder is None:
        return read_yaml(path, display=display)
    from ..documents import check_document_file

    check_document_file(path, display)  # a regular file under the size limit, as read_yaml wants
    try:
        # Only files of a policy's size are cached; anything else goes to read_yaml.
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return read_yaml(path, display=display)
        data = path.read_bytes()
    except OSError:
        return read_yaml(path, display=display)
    key = hashlib.sha256(f"vetting {__version__} cache {FORMAT}\n".encode() + data).hexdigest()
    entry = folder / f"{key}.json"
    cached = _load_entry(entry, key)
    if cached is not None:
        tree, positions = cached
        return CachedYaml(display, tree, positions)
    loaded = read_yaml(path, display=display)  # syntax errors are raised here, not cached
    _store_entry(entry, key, loaded.tree)
    return loaded


# --- entries -------------------------------------------------------------------------------
# File layout: line 1 `{"format": 1, "key": …, "sha256": digest of the rest}`, then the payload
# `{"tree": …, "pos": …}` as one line of JSON.


def read_entry(entry: Path, **expected: Any) -> tuple[dict[str, Any], bytes] | None:
    """An entry's head and payload when it can be read, its head is this format with the
    `expected` values, and the payload has the digest the head gives; else None. (Both caches'
    entries: line 1 the head as JSON, then the payload.)"""
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    head, _, payload = raw.partition(b"\n")
    try:
        meta = json.loads(head)
    except (ValueError, RecursionError):
        return None
    if (
        not isinstance(meta, dict)
        or meta.get("format") != expected.get("format", FORMAT)
        or any(meta.get(k) != v for k, v in expected.items())
        or meta.get("sha256") != hashlib.sha256(payload).hexdigest()
    ):
        return None
    return meta, payload


def write_entry(entry: Path, head: dict[str, Any], payload: bytes) -> bool:
    """Write an entry (`head` with the payload's digest added, then the payload) beside its
    place and rename it there, so that a reader sees the old entry or the whole new one. False
    when the disk refuses (read-only, full): no cache, same results."""
    text = json.dumps({**head, "sha256": hashlib.sha256(payload).hexdigest()}, ensure_ascii=False)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8") + b"\n" + payload)
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def _load_entry(entry: Path, key: str) -> tuple[Any, Any] | None:
    got = read_entry(entry, key=key)
    if got is None:
        return None
    try:
        body = json.loads(got[1], object_hook=_decode)
        if not isinstance(body, dict) or "tree" not in body or not _valid_positions(body.get("pos")):
            return None
        return body["tree"], body["pos"]
    except (ValueError, TypeError, RecursionError):
        return None


def _store_entry(entry: Path, key: str, tree: Any) -> None:
    from ..documents import plain_data

    try:
        payload = json.dumps(
            {"tree": plain_data(tree), "pos": _positions(tree)}, ensure_ascii=False, default=_encode, separators=(",", ":")
        ).encode("utf-8")
    except (TypeError, ValueError):
        return  # something JSON cannot hold: this file is simply not cached
    write_entry(entry, {"format": FORMAT, "key": key}, payload)


def _encode(value: Any) -> Any:
    """Dates (`as_of: 2021-01-10`) are the only non-JSON scalars a policy file holds."""
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(type(value).__name__)


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$date" in obj:
            return dt.date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return dt.datetime.fromisoformat(obj["$datetime"])
    return obj


# --- positions -----------------------------------------------------------------------------
# A node's table: [line, col] for a scalar; [line, col, {key: [kline, kcol, child]}] for a
# mapping (where each key is written); [line, col, [[iline, icol, child], …]] for a sequence.
# Lines and columns are 0-based, as ruamel keeps them.


def _positions(node: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        keys = {}
        for k in node:
            kl, kc = node.lc.key(k)
            keys[str(k)] = [kl, kc, _positions(node[k])]
        return [node.lc.line, node.lc.col, keys]
    if isinstance(node, CommentedSeq):
        return [node.lc.line, node.lc.col, [[*node.lc.item(i), _positions(v)] for i, v in enumerate(node)]]
    return None


def _valid_positions(table: Any) -> bool:
    """The shape `_position` relies on (a digest guards against accidents, this against bugs)."""
    stack = [table]
    while stack:
        t = stack.pop()
        if t is None:
            continue
        if not (isinstance(t, list) and len(t) == 3 and isinstance(t[0], int) and isinstance(t[1], int)):
            return False
        children = t[2].values() if isinstance(t[2], dict) else t[2] if isinstance(t[2], list) else None
        if children is None:
            return False
        for c in children:
            if not (isinstance(c, list) and len(c) == 3 and isinstance(c[0], int) and isinstance(c[1], int)):
                return False
            stack.append(c[2])
    return True


def _position(path: str, table: Any, loc: tuple[Any, ...]) -> Pos:
    """What `documents.position` answers on the YAML tree, from the stored table."""
    line, col = 0, 0
    node = table
    if node is not None:
        line, col = node[0], node[1]
    for part in loc:
        if node is None:
            continue
        children = node[2]
        if isinstance(children, dict):
            key = part if isinstance(part, str) and part in children else None
            if key is None and isinstance(part, str) and part.rstrip("_") in children:
                key = part.rstrip("_")  # python names of YAML keys: is_, in_, not_, with_
            if key is not None:
                line, col, node = children[key]
        elif isinstance(children, list) and isinstance(part, int) and not isinstance(part, bool) and 0 <= part < len(children):
            line, col, node = children[part]
    return Pos(path, line + 1, col + 1)
