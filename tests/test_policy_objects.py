"""The resolved-policy cache (vetting/policy/effective.py) and the plain classes it builds
(vetting/policy/objects.py): the same policy, positions and outputs from the cache as from the
files, stale, damaged and foreign entries ignored, and a cached run without pydantic."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from vetting.errors import UserError
from vetting.policy import effective, model, objects
from vetting.policy.facts import (  # (after the model, which it builds on)
    Facts,
    FactTarget,
    FactTest,
)
from vetting.policy.resolve import EffectivePolicy, load_policies, shipped_policies_dir
from vetting.roster import columns

ROOT = Path(__file__).resolve().parent.parent

PAIRS = [
    (model.Leaf, objects.Leaf), (model.All, objects.All), (model.AnyOf, objects.AnyOf), (model.Not, objects.Not),
    (model.Expect, objects.Expect), (model.SamePerson, objects.SamePerson), (model.Relatives, objects.Relatives),
    (model.RuleSource, objects.RuleSource), (model.Rule, objects.Rule), (model.Param, objects.Param),
    (model.SourceDoc, objects.SourceDoc), (model.Standard, objects.Standard), (FactTest, objects.FactTest),
    (FactTarget, objects.FactTarget), (Facts, objects.Facts), (model.FieldSpec, columns.FieldSpec),
]


def _annotations(cls: type) -> list[str]:
    out: list[str] = []
    for c in reversed(cls.__mro__):
        out += [k for k, v in c.__dict__.get("__annotations__", {}).items() if "ClassVar" not in str(v) and k not in out]
    return out


@pytest.mark.parametrize(("validated", "plain"), PAIRS, ids=lambda c: getattr(c, "__qualname__", ""))
def test_each_model_declares_the_attributes_of_its_plain_class(validated: Any, plain: type) -> None:
    """The plain class is what mypy and the cache know; the model what validates: the same
    attributes in the same order (a cached object has exactly the attributes of a validated one)."""
    assert issubclass(validated, plain)
    assert list(validated.model_fields) == _annotations(plain)
    assert plain in effective._PLAIN_CLASSES  # (else a policy using it is never cached)


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("VETTING_CACHE_DIR", str(folder))
    monkeypatch.delenv("VETTING_NO_CACHE", raising=False)
    monkeypatch.chdir(ROOT)
    return folder


def _stored(policy: EffectivePolicy) -> str:
    """Every value and position of a policy, classes named by their plain class."""
    sources: list[Any] = []
    data = effective._stored(policy, sources, set(effective._dataclasses()))
    return json.dumps([data, [effective._positions_of(s) for s in sources]], ensure_ascii=False, sort_keys=True)


def _has_model(policy: EffectivePolicy) -> bool:
    values = [*(r.rule for r in policy.rules.values()), *(p.spec for p in policy.params.values()),
              *policy.fields.values(), *policy.sources.values(), *policy.standards]
    return any(isinstance(v, model.BaseModel) for v in values)


def _effective_entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("effective-*.json"))


@pytest.mark.parametrize("name", ["national", "policies/regional/panji-2021", "policies/regional/baishuihe-example"])
def test_a_cached_policy_is_the_policy(name: str, cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VETTING_NO_CACHE", "1")
    files = load_policies([name])
    monkeypatch.delenv("VETTING_NO_CACHE")
    cold = load_policies([name])
    assert len(_effective_entries(cache_folder)) == 1
    warm = load_policies([name])
    assert _has_model(files) and _has_model(cold) and not _has_model(warm)  # warm: plain objects
    assert _stored(files) == _stored(cold) == _stored(warm)
    for code, r in files.rules.items():  # positions of a rule's parts, through its file's table
        w = warm.rules[code]
        for sub in [(), ("when",), ("severity",), ("expect", 0, "at_least"), ("source", "cite"), ("no_such",)]:
            assert w.pos(*sub) == r.pos(*sub), (code, sub)
        assert w.rule.kinds == r.rule.kinds
    assert warm.all_fields.keys() == files.all_fields.keys()


def test_several_specs_and_their_order_are_entries_of_their_own(cache_folder: Path) -> None:
    a = load_policies(["national", "policies/regional/panji-2021"])
    b = load_policies(["national"])
    assert len(_effective_entries(cache_folder)) == 2
    assert _stored(load_policies(["national", "policies/regional/panji-2021"])) == _stored(a)
    assert _stored(load_policies(["national"])) == _stored(b)


def test_an_edited_part_or_a_moved_extends_is_loaded_from_the_files(cache_folder: Path, tmp_path: Path) -> None:
    national = tmp_path / "national"
    shutil.copytree(shipped_policies_dir() / "national", national)
    county = tmp_path / "county.yaml"
    county.write_text("policy: county\nextends: national\nparams:\n  adult_age: 20\n", encoding="utf-8")
    first = load_policies([str(county)])
    assert first.param("adult_age") == 20
    assert first.chain[0].path.endswith("national/policy.yaml")
    # an included part edited: its new title is read
    part = national / "eligibility.yaml"
    code = "EL002"
    text = part.read_text(encoding="utf-8")
    assert f"  - code: {code}\n    title: 被剥夺政治权利\n" in text
    part.write_text(text.replace("title: 被剥夺政治权利", "title: 改过的标题", 1), encoding="utf-8")
    second = load_policies([str(county)])
    assert second.rules[code].rule.title == "改过的标题"
    assert load_policies([str(county)]).rules[code].rule.title == "改过的标题"  # and cached as such
    # the policy it extends edited: the parameter it sets keeps its check
    county.write_text("policy: county\nextends: national\nparams:\n  adult_age: -5\n", encoding="utf-8")
    with pytest.raises(UserError):
        load_policies([str(county)])


def test_a_damaged_or_foreign_entry_is_ignored_and_rewritten(cache_folder: Path) -> None:
    good = _stored(load_policies(["national"]))
    (entry,) = _effective_entries(cache_folder)
    intact = entry.read_bytes()
    head, _, payload = intact.partition(b"\n")

    def with_digest(new_payload: bytes, **meta_changes: Any) -> bytes:
        meta = {**json.loads(head), **meta_changes, "sha256": effective.hashlib.sha256(new_payload).hexdigest()}
        return json.dumps(meta).encode() + b"\n" + new_payload

    damaged = [
        intact[: len(intact) // 2],  # a torn write
        intact.replace(b'"Leaf"', b'"Lea7"', 1),  # bytes changed: the digest no longer matches
        b"", b"\x00\xff garbage", head,
        with_digest(payload.replace(b'"Leaf"', b'"Popen"', 1)),  # a class it does not build
        with_digest(payload.replace(b'"EffectivePolicy"', b'"EffectiveRule"', 1)),  # not a policy
        with_digest(b'[["x.yaml", [1, "y", {}]]]\n' + payload.partition(b"\n")[2]),  # positions of another shape
        with_digest(payload, format=effective.FORMAT + 1),  # another format
        with_digest(payload, version="0.0.0"),  # another vetting
        with_digest(payload, files=[["/nonexistent/policy.yaml", "x", "0" * 64]]),  # another file
    ]
    for bad in damaged:
        entry.write_bytes(bad)
        result = load_policies(["national"])
        assert _has_model(result), bad[:60]  # loaded from the files
        assert _stored(result) == good
        assert entry.read_bytes() == intact  # and stored again


def test_no_cache_writes_no_entry(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VETTING_NO_CACHE", "1")
    load_policies(["national"])
    assert not cache_folder.exists()



# A run that reports, before exiting, which pydantic modules it imported.
_RUN = (
    "import os, sys\n"
    "real_exit = os._exit\n"
    "def leave(code):\n"
    "    sys.stderr.write('PYDANTIC=' + repr(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core'))) + '\\n')\n"
    "    real_exit(code)\n"
    "os._exit = leave\n"
    "sys.argv = ['vetting', *sys.argv[1:]]\n"
    "from vetting.cli import main\n"
    "main()\n"
)


def _lint(args: list[str], env: dict[str, str], command: str = "lint") -> tuple[subprocess.CompletedProcess[str], list[str]]:
    r = subprocess.run([sys.executable, "-c", _RUN, command, *args], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "VETTING_PLAIN_ERRORS": "1", **env})
    line = next(x for x in r.stderr.splitlines() if x.startswith("PYDANTIC="))
    return r, eval(line.removeprefix("PYDANTIC="))  # a list of names, written by the run above


@pytest.mark.parametrize(("command", "fmt"), [("lint", "json"), ("lint", "sarif"), ("lint", "html"), ("stats", "json")])
def test_a_cached_run_does_not_import_pydantic(tmp_path: Path, one_person_csv: Path, command: str, fmt: str) -> None:
    roster = one_person_csv
    args = [str(roster), "--as-of", "2021-01-10", "-f", fmt, "-p", "national", "-p", "policies/regional/panji-2021"]
    args += ["--fail-on", "never"] if command == "lint" else []
    env = {"VETTING_CACHE_DIR": str(tmp_path / "cache")}
    (cold, cold_mods), (warm, warm_mods) = _lint(args, env, command), _lint(args, env, command)
    uncached, _ = _lint(args, {"VETTING_NO_CACHE": "1"}, command)
    for r in (cold, warm, uncached):
        assert r.returncode == 0, r.stderr
    assert cold.stdout == warm.stdout == uncached.stdout
    assert "pydantic" in cold_mods  # the cold run validates the files
    assert warm_mods == []


def test_a_broken_policy_is_reported_at_its_line_cached_or_not(tmp_path: Path, one_person_csv: Path) -> None:
    roster = one_person_csv
    policy = tmp_path / "county.yaml"
    policy.write_text(
        "policy: county\nextends: national\nrules:\n  - code: CT01\n    title: 测试\n    category: 测试\n"
        "    severity: error\n    rationale: 测试\n    source: {cite: 测试}\n    when: {field: age, abov: 60}\n",
        encoding="utf-8",
    )
    args = [str(roster), "--as-of", "2021-01-10", "-f", "json", "-p", str(policy)]
    env = {"VETTING_CACHE_DIR": str(tmp_path / "cache")}
    runs = [_lint(args, {"VETTING_NO_CACHE": "1"}), _lint(args, env), _lint(args, env)]
    for r, mods in runs:
        assert r.returncode == 2, r.stderr
        assert f"{policy}:10:" in r.stderr or "county.yaml:10:" in r.stderr, r.stderr
        assert "abov" in r.stderr and "Traceback" not in r.stderr
        assert "pydantic" in mods  # validated every time: a broken policy is never cached
    assert runs[0][0].stderr == runs[1][0].stderr == runs[2][0].stderr
    assert not list((tmp_path / "cache").glob("effective-*.json"))


def test_edited_code_of_vetting_makes_another_entry(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout whose modules changed (same version number) does not get the policy its older
    code resolved."""
    load_policies(["national"])
    stamp = effective._code_stamp()
    assert stamp == effective._code_stamp() and len(stamp) == 64
    monkeypatch.setattr(effective, "_code_stamp", lambda: "0" * 64)
    assert _has_model(load_policies(["national"]))  # not the entry of the other code
    assert len(_effective_entries(cache_folder)) == 2
    # modules that cannot be stamped (not files in folders): nothing cached, nothing served
    monkeypatch.setattr(effective, "_code_stamp", lambda: None)
    assert _has_model(load_policies(["national"])) and _has_model(load_policies(["national"]))
    assert len(_effective_entries(cache_folder)) == 2


def test_only_the_newest_entries_are_kept(cache_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server checking uploaded policies makes an entry per upload: the oldest go."""
    monkeypatch.setattr(effective, "MAX_ENTRIES", 2)
    written: list[Path] = []
    for i in range(4):
        upload = tmp_path / f"upload-{i}.yaml"
        upload.write_text(f"policy: upload-{i}\nextends: national\n", encoding="utf-8")
        before = set(_effective_entries(cache_folder))
        load_policies([str(upload)])
        (new,) = set(_effective_entries(cache_folder)) - before
        os.utime(new, ns=(10**18 + i, 10**18 + i))  # (written in this order, whatever the clock's step)
        written.append(new)
    assert _effective_entries(cache_folder) == sorted(written[-2:])
    newest = load_policies([str(tmp_path / "upload-3.yaml")])
    assert newest.name == "upload-3" and not _has_model(newest)
