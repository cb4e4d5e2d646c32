"""A cache of resolved policies: a run whose policy files are unchanged takes the merged,
validated `EffectivePolicy` from the cache instead of validating and merging its files again.

`policy/cache.py` already spares a run the YAML parse of each file; what remained was
validating the parsed data through the pydantic models (and importing pydantic for it) and
merging the layers. This module stores the result of `resolve.load_policies` for one list of
policy specs: every object of it (rules, conditions, parameters, fields, positions) as JSON,
each tagged with its class, and the positions of every file of the chain (so that
`EffectiveRule.pos` and every position in findings, SARIF and `vetting rules` are the same).
A hit builds the plain classes of `policy/objects.py` (and the dataclasses of `resolve.py`)
from the stored values without validating them again: they were validated when stored.

- Key: vetting's version, this module's format, the size and modification time of each of
  vetting's own modules (the code that validates and merges: an edited checkout does not get
  results of its older code), the working directory (paths in messages are relative to it), the
  specs and the file each spec resolves to.
- The entry lists every file it was made from (each policy of the `extends` chains and each
  included part) with the SHA-256 of its bytes and how it is named in messages, and each
  `extends` with the file it resolved to: a hit needs every file unchanged and every `extends`
  still resolving to the same file. Otherwise the policy is loaded from its files (and stored).
- Each entry carries a SHA-256 digest of its payload; an entry whose digest, key or shape does
  not match (a torn write, an edit by hand, another format) is ignored and rewritten. Decoding
  builds only the classes listed here; anything else makes the entry unusable, never an error.
- Where: the folder of `policy/cache.py` (`VETTING_CACHE_DIR`, the user's cache folder);
  `VETTING_NO_CACHE=1` turns both off. At most `MAX_ENTRIES` entries are kept (the newest).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..documents import LoadedYaml, Pos
from ..findings import Severity
from ..roster.columns import FieldSpec
from . import cache, objects
from .cache import CachedYaml, cache_dir, read_entry, write_entry

if TYPE_CHECKING:
    from .resolve import EffectivePolicy

FORMAT = 1  # bump when the entry layout or a stored class changes meaning
# Entries kept: one per list of specs, working directory and version of vetting's code; a
# server that checks uploaded policies makes one per upload, so the oldest are removed.
MAX_ENTRIES = 64

# The classes an entry may hold, by tag. A validated model is stored under its plain class
# (the first of these in its class's MRO).
_PLAIN_CLASSES: tuple[type, ...] = (
    objects.Leaf, objects.All, objects.AnyOf, objects.Not, objects.Expect, objects.SamePerson,
    objects.Relatives, objects.RuleSource, objects.FactTarget, objects.FactTest, objects.Facts,
    objects.Rule, objects.Param, objects.SourceDoc, objects.Standard, FieldSpec,
)


def _dataclasses() -> tuple[type, ...]:
    from .resolve import EffectiveParam, EffectivePolicy, EffectiveRule, PolicyRef
    from .review import Department, ReviewConfig

    return (EffectivePolicy, EffectiveRule, EffectiveParam, PolicyRef, Department, ReviewConfig, Pos)


def _registry() -> dict[str, type]:
    return {c.__name__: c for c in (*_PLAIN_CLASSES, *_dataclasses())}


# --- the entry's key and the files it depends on ----------------------------------------------


def _entry_path(folder: Path, specs: list[str], resolved: list[Path]) -> Path | None:
    """Where the entry for these specs is, or None when vetting's code cannot be stamped."""
    if _code_stamp() is None:
        return None
    text = json.dumps(
        [__version__, FORMAT, _code_stamp(), os.getcwd(), specs, [str(p) for p in resolved]], ensure_ascii=False
    )
    return folder / f"effective-{hashlib.sha256(text.encode()).hexdigest()}.json"


@functools.cache
def _code_stamp() -> str | None:
    """Size and modification time of every module of the vetting package (a stat each: no
    file is read); None when the modules are not files in folders (then nothing is cached)."""
    root = Path(__file__).resolve().parent.parent
    stamps: list[str] = []
    folders = [str(root)]
    try:
        while folders:
            with os.scandir(folders.pop()) as entries:
                for e in entries:
                    if e.is_dir(follow_symlinks=False) and e.name != "__pycache__":
                        folders.append(e.path)
                    elif e.name.endswith(".py"):
                        st = e.stat()
                        stamps.append(f"{e.path}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return None
    return hashlib.sha256("\n".join(sorted(stamps)).encode()).hexdigest()


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


# --- reading -----------------------------------------------------------------------------------


def cached_policy(specs: list[str], resolved: list[Path]) -> EffectivePolicy | None:
    """The stored policy for these specs (each resolved to its file), or None (no cache, no
    entry, a changed file, an unusable entry)."""
    folder = cache_dir()
    if folder is None:
        return None
    entry = _entry_path(folder, specs, resolved)
    if entry is None:
        return None
    got = read_entry(entry, format=FORMAT, version=__version__)
    if got is None:
        return None
    meta, payload = got
    try:
        if not _unchanged(meta.get("files"), meta.get("extends")):
            return None
        return _decode_payload(payload)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError):
        return None


def _unchanged(files: Any, extends: Any) -> bool:
    """Every file the entry was made from has the same bytes and the same name in messages,
    and every `extends` still finds the same file."""
    from .resolve import _display, resolve_policy_path

    if not isinstance(files, list) or not isinstance(extends, list):
        return False
    for path, display, digest in files:
        p = Path(path)
        if _digest(p) != digest or _display(p) != display:
            return False
    for spec, base, target in extends:
        try:
            if str(resolve_policy_path(spec, base=Path(base)).resolve()) != target:
                return False
        except Exception:  # noqa: BLE001 - a target that no longer resolves: load from the files
            return False
    return True


def _decode_payload(payload: bytes) -> EffectivePolicy:
    """Line 1: the files' names and positions; line 2: the policy, each object built as its
    JSON object is read (json's `object_hook`, innermost first)."""
    from .resolve import EffectivePolicy

    files_line, _, policy_line = payload.partition(b"\n")
    files = [_PolicyFile(display, positions) for display, positions in json.loads(files_line)]
    classes = _registry()
    built = objects.built

    def hook(node: dict[str, Any]) -> Any:
        if "$c" in node:
            return built(classes[node["$c"]], node["v"])
        if len(node) == 1:
            ((tag, value),) = node.items()
            if tag == "$map":  # a mapping with keys starting with "$", stored as pairs
                return {k: v for k, v in value}
            if tag == "$t":
                return tuple(value)
            if tag in ("$date", "$datetime"):
                return cache._decode(node)  # (tagged as the parsed files' cache tags them)
            if tag == "$sev":
                return Severity(value)
            if tag == "$src":
                return files[value]
            if tag.startswith("$"):
                raise ValueError(tag)
        return node

    policy = json.loads(policy_line, object_hook=hook)
    if not isinstance(policy, EffectivePolicy):
        raise TypeError("not a policy")
    return policy


class _PolicyFile(CachedYaml):
    """A file of a cached policy: its name in messages and its positions, which is all that a
    resolved policy asks of its files (`EffectiveRule.pos`); its data was validated when the
    entry was made and is not kept."""

    def __init__(self, path: str, positions: Any):
        if not cache._valid_positions(positions):
            raise ValueError("positions")
        super().__init__(path, None, positions)

    def plain(self) -> Any:
        raise RuntimeError("a resolved policy from the cache keeps the positions of its files, not their data")


# --- writing -----------------------------------------------------------------------------------


def store_policy(
    specs: list[str],
    resolved: list[Path],
    policy: EffectivePolicy,
    files: list[Path],
    extends: list[tuple[str, Path, Path]],
) -> None:
    """Store a policy just loaded from its files (`files`: every file read; `extends`: each
    extends as (spec, base folder, resolved file)). Nothing stored when anything cannot be."""
    folder = cache_dir()
    entry = _entry_path(folder, specs, resolved) if folder is not None else None
    if entry is None:
        return
    from .resolve import _display

    try:
        sources: list[LoadedYaml] = []
        stored = _stored(policy, sources, set(_dataclasses()))
        payload = (
            json.dumps([_positions_of(s) for s in sources], ensure_ascii=False, separators=(",", ":"))
            + "\n" + json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
        ).encode("utf-8")
        listed = []
        for f in dict.fromkeys(p.resolve() for p in files):
            digest = _digest(f)
            if digest is None:
                return
            listed.append([str(f), _display(f), digest])
        head = {
            "format": FORMAT, "version": __version__,
            "files": listed, "extends": [[spec, str(base), str(target)] for spec, base, target in extends],
        }
    except (TypeError, ValueError, RecursionError):
        return  # something that cannot be stored: this policy is simply not cached
    if write_entry(entry, head, payload):
        with contextlib.suppress(OSError):  # (a folder we may write to but not list or clean)
            _prune(entry.parent)


def _prune(folder: Path) -> None:
    """Keep the newest `MAX_ENTRIES` entries (by when they were written)."""
    entries = []
    for p in folder.glob("effective-*.json"):
        try:
            entries.append((p.stat().st_mtime_ns, p))
        except OSError:
            continue  # removed meanwhile by another run
    for _, p in sorted(entries, reverse=True)[MAX_ENTRIES:]:
        p.unlink(missing_ok=True)


def _positions_of(src: LoadedYaml) -> list[Any]:
    """A policy file as the entry keeps it: its name in messages and its positions."""
    if isinstance(src, CachedYaml):
        return [src.path, src.positions]
    return [src.path, cache._positions(src.tree)]


def _stored(value: Any, sources: list[LoadedYaml], dataclass_types: set[type]) -> Any:
    """An object as JSON data: objects as {"$c": class, "v": attributes}, a policy file as
    {"$src": index}, tuples, dates and severities tagged; anything else is a TypeError."""
    if value is None or isinstance(value, bool | int | float | str) and not isinstance(value, Enum):
        return value
    if isinstance(value, Severity):
        return {"$sev": value.value}
    if isinstance(value, dt.date):  # (and datetime)
        return cache._encode(value)
    if isinstance(value, list):
        return [_stored(v, sources, dataclass_types) for v in value]
    if isinstance(value, tuple):
        return {"$t": [_stored(v, sources, dataclass_types) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("mapping keys")
        if any(k.startswith("$") for k in value):
            return {"$map": [[k, _stored(v, sources, dataclass_types)] for k, v in value.items()]}
        return {k: _stored(v, sources, dataclass_types) for k, v in value.items()}
    if isinstance(value, LoadedYaml):
        for i, s in enumerate(sources):
            if s is value:
                return {"$src": i}
        sources.append(value)
        return {"$src": len(sources) - 1}
    cls = type(value)
    if cls in dataclass_types:  # the dataclass's own fields (not a cached property)
        attrs = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return {"$c": cls.__name__, "v": {k: _stored(v, sources, dataclass_types) for k, v in attrs.items()}}
    plain = next((c for c in cls.__mro__ if c in _PLAIN_CLASSES), None)
    if plain is None:
        raise TypeError(f"cannot store {cls.__name__}")
    if plain is FieldSpec and cls is not FieldSpec and not _is_model(cls):
        raise TypeError(f"cannot store {cls.__name__}")  # a subclass with attributes of its own
    return {"$c": plain.__name__, "v": {k: _stored(v, sources, dataclass_types) for k, v in vars(value).items()}}


def _is_model(cls: type) -> bool:
    return any(c.__module__.startswith("pydantic") for c in cls.__mro__)
