"""The parsed-policy cache (vetting/policy/cache.py): same results from the cache as from the
YAML, stale and damaged entries rebuilt, edited files read again."""

from __future__ import annotations

import json
import shutil
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from vetting.documents import plain_data as _plain
from vetting.documents import read_yaml
from vetting.errors import UserError
from vetting.policy import cache
from vetting.policy.resolve import load_policies, shipped_policies_dir

from .test_golden import CASES, GOLDEN, ROOT, run

SHIPPED = sorted(shipped_policies_dir().rglob("*.yaml"))


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("VETTING_CACHE_DIR", str(folder))
    monkeypatch.delenv("VETTING_NO_CACHE", raising=False)
    return folder


def _locs(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and item path of a plain tree, and paths through names that are not there
    (pydantic's union tags, python names with a trailing underscore, indexes out of range)."""
    out = [prefix, (*prefix, "leaf"), (*prefix, "no_such_key"), (*prefix, 999)]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _locs(v, (*prefix, k))
            out.append((*prefix, k + "_"))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _locs(v, (*prefix, i))
            out.append((*prefix, "all", i))
    return out


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(shipped_policies_dir())))
def test_cached_file_equals_parsed_file(path: Path, cache_folder: Path) -> None:
    parsed = read_yaml(path, display="x.yaml")
    first = cache.read_policy_yaml(path, display="x.yaml")  # a miss: parses and stores
    assert not isinstance(first, cache.CachedYaml)
    hit = cache.read_policy_yaml(path, display="x.yaml")
    assert isinstance(hit, cache.CachedYaml)
    assert hit.tree == _plain(parsed.tree)
    for loc in _locs(hit.tree):
        assert hit.pos(loc) == parsed.pos(loc), loc


def _values(obj: Any) -> Any:
    """An object's attribute values, nested, whatever its class (a validated model, or the plain
    object a resolved policy from the cache holds)."""
    if isinstance(obj, list | tuple):
        return [_values(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _values(v) for k, v in obj.items()}
    if isinstance(obj, Enum):
        return obj.value
    if hasattr(obj, "__dict__"):
        return {k: _values(v) for k, v in vars(obj).items()}
    return obj


def _policy_summary(name: str) -> dict[str, Any]:
    p = load_policies([name])
    return {
        "rules": {c: (_values(r.rule), str(r.defined_at), str(r.severity_at), r.pos("when").line)
                  for c, r in p.rules.items()},
        "params": {n: (_values(x.spec), str(x.declared_at), str(x.set_at)) for n, x in p.params.items()},
        "fields": {k: (_values(f), str(p.field_pos[k])) for k, f in p.fields.items()},
        "as_of": str(p.as_of),
        "chain": [(c.name, c.path) for c in p.chain],
    }


@pytest.mark.parametrize("name", ["national", "policies/regional/panji-2021", "policies/regional/baishuihe-example"])
def test_effective_policy_same_from_cache(name: str, cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("VETTING_NO_CACHE", "1")
    uncached = _policy_summary(name)
    assert not cache_folder.exists()  # off means nothing is written
    monkeypatch.delenv("VETTING_NO_CACHE")
    cold = _policy_summary(name)
    assert any(cache_folder.iterdir())
    warm = _policy_summary(name)
    assert uncached == cold == warm


GOLDEN_CASES = [c for c in CASES if c.name in {"lint.json", "lint.sarif", "lint.targets-example.json",
                                               "rules.effective.json", "stats.json"} or c.name.startswith("error.")]


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=lambda c: c.name)
def test_golden_outputs_cold_and_warm(case: Any, cache_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The golden outputs, byte for byte, when the cache is empty and when it is filled."""
    monkeypatch.chdir(ROOT)
    expected = (GOLDEN / case.name).read_text(encoding="utf-8")
    for state in ("cold", "warm"):
        code, stdout, stderr = run(case.args, tmp_path)
        assert code == case.exit_code, (state, stderr)
        assert (stderr if case.capture == "stderr" else stdout) == expected, state
    # A file with a YAML syntax error is not cached (it is parsed, and refused, every time).
    assert any(cache_folder.glob("*.json")) == (case.name != "error.yaml-syntax.txt")


def _entries(folder: Path) -> list[Path]:
    """The entries of parsed files (not those of resolved policies, policy/effective.py)."""
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("effective-"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # a torn write
        lambda b: b.replace(b'"tree"', b'"tre3"', 1),  # bytes changed: digest no longer matches
        lambda b: b"",
        lambda b: b"\x00\xff garbage",
        lambda b: b.split(b"\n", 1)[0],  # header only
    ],
    ids=["truncated", "flipped", "empty", "garbage", "no-payload"],
)
def test_damaged_entry_is_rebuilt(damage: Any, cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    before = _policy_summary("national")
    entries = _entries(cache_folder)
    good = {p: p.read_bytes() for p in entries}
    for p in entries:
        p.write_bytes(damage(p.read_bytes()))
    for p in cache_folder.glob("effective-*.json"):  # (else the resolved policy answers without the files)
        p.unlink()
    assert _policy_summary("national") == before
    assert {p: p.read_bytes() for p in _entries(cache_folder)} == good  # rewritten


def _rewrite_payload(entry: Path, change: Any) -> None:
    """Change an entry's payload and give it a matching digest (as someone who can write the
    folder could): the content is still checked."""
    head, _, payload = entry.read_bytes().partition(b"\n")
    body = json.loads(payload)
    change(body)
    new = json.dumps(body, ensure_ascii=False).encode()
    meta = json.loads(head)
    meta["sha256"] = cache.hashlib.sha256(new).hexdigest()
    entry.write_bytes(json.dumps(meta).encode() + b"\n" + new)


def test_entry_with_valid_digest_is_still_validated(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    path = shipped_policies_dir() / "national" / "eligibility.yaml"
    cache.read_policy_yaml(path, display="e.yaml")
    (entry,) = _entries(cache_folder)
    # Positions of the wrong shape: the entry is not used.
    _rewrite_payload(entry, lambda b: b.__setitem__("pos", [1, "x", {}]))
    assert not isinstance(cache.read_policy_yaml(path, display="e.yaml"), cache.CachedYaml)
    # Data the models refuse: the same error as a YAML file saying so (pydantic still runs).
    def bad_rule(b: dict[str, Any]) -> None:
        b["tree"]["rules"][0]["severity"] = "catastrophic"

    _rewrite_payload(entry, bad_rule)
    assert isinstance(cache.read_policy_yaml(path, display="e.yaml"), cache.CachedYaml)
    with pytest.raises(UserError):
        load_policies(["national"])


def test_edited_policy_file_is_read_again(cache_folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "national"
    shutil.copytree(shipped_policies_dir() / "national", copy)
    first = load_policies([str(copy)])
    n = len(_entries(cache_folder))
    text = (copy / "eligibility.yaml").read_text(encoding="utf-8")
    code = next(c for c, r in first.rules.items() if r.policy == first.rules[c].policy and "eligibility" in r.defined_at.path)
    assert f"code: {code}" in text
    # The same file with one more blank line before the rules: the rule moves down a line.
    (copy / "eligibility.yaml").write_text(text.replace("rules:", "\nrules:", 1), encoding="utf-8")
    second = load_policies([str(copy)])
    assert len(_entries(cache_folder)) == n + 1  # a new entry for the new content
    assert second.rules[code].defined_at.line == first.rules[code].defined_at.line + 1
    # A user's edit that breaks the file is reported, not masked by the cache.
    (copy / "eligibility.yaml").write_text(text.replace(f"code: {code}", "code: [", 1), encoding="utf-8")
    with pytest.raises(UserError, match="YAML"):
        load_policies([str(copy)])


def test_unwritable_cache_folder_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VETTING_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.chdir(ROOT)
    assert _policy_summary("national") == _policy_summary("national")


def test_cache_folder_follows_the_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VETTING_CACHE_DIR", raising=False)
    monkeypatch.delenv("VETTING_NO_CACHE", raising=False)
    monkeypatch.setattr(cache.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "vetting" / "policies"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG spec: only absolute paths
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "vetting" / "policies"
    monkeypatch.setenv("VETTING_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("VETTING_NO_CACHE", "1")
    assert cache.cache_dir() is None
