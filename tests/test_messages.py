"""The message catalogue is whole: every id in Chinese and English with the same parameters,
every id used, no module's own id hiding a shared one, no second mechanism beside it."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import vetting
from vetting.messages import CATALOGUES, MESSAGES, Catalogue, params_of, pick, text

PACKAGE = Path(vetting.__file__).parent


def _all_catalogues() -> list[Catalogue]:
    for mod in pkgutil.walk_packages(vetting.__path__, "vetting."):
        if not mod.name.endswith("__main__"):
            importlib.import_module(mod.name)
    return list(CATALOGUES)


def _package_source(owner: str) -> str:
    """The source of the package that holds a module (where its catalogue may be read)."""
    folder = (PACKAGE.parent / owner.replace(".", "/")).parent
    return "\n".join(p.read_text(encoding="utf-8") for p in folder.glob("*.py"))


def _uses(id: str, source: str) -> bool:
    """The id as a string literal that is not its own definition (`"id": (`), or its family
    read by prefix (`f"level.{level}"`, `"level." + level`)."""
    if re.search(r"""["']""" + re.escape(id) + r"""["'](?!\s*:\s*\()""", source):
        return True
    family = id.rsplit(".", 1)[0] + "." if "." in id else None
    return family is not None and re.search(r"""f?["']""" + re.escape(family) + r"""(\{|["'] \+)""", source) is not None


def test_every_message_has_both_languages_and_the_same_parameters() -> None:
    problems = []
    for cat in _all_catalogues():
        for id, entry in cat.entries.items():
            if len(entry) != 2 or not all(entry):
                problems.append(f"{cat.owner}: {id} lacks a language")
                continue
            zh, en = entry
            if type(zh) is not type(en) or (isinstance(zh, tuple) and len(zh) != len(en)):
                problems.append(f"{cat.owner}: {id}: Chinese and English differ in shape")
            if params_of(zh) != params_of(en):
                problems.append(f"{cat.owner}: {id}: parameters {sorted(params_of(zh))} vs {sorted(params_of(en))}")
    assert problems == []


def test_every_message_is_used() -> None:
    library = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    unused = []
    for cat in _all_catalogues():
        source = library if cat is MESSAGES else _package_source(cat.owner)
        unused += [f"{cat.owner}: {id}" for id in cat.entries if not _uses(id, source)]
    assert unused == []


def test_a_module_does_not_redefine_a_shared_message() -> None:
    clashes = [f"{cat.owner}: {id}" for cat in _all_catalogues() if cat is not MESSAGES
               for id in cat.entries if id in MESSAGES.entries]
    assert clashes == []


def test_shared_words_are_defined_once() -> None:
    """No module keeps its own table of severity or level names, its own `_t(zh, en)` helper
    or a `{"zh": {...}, "en": {...}}` dictionary: they read the catalogue."""
    pattern = re.compile(r"def _?t\(self, zh|def _t\(opts|^[A-Z_]+_(ZH|EN) = |[\"']zh[\"']: \{"
                         r"|\"error\": \"错误\"|\"township\": \"乡镇\(街道\)\"", re.M)
    offenders = [str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py")
                 if p.name != "messages.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize(("lang", "expected"), [("zh", "第12行"), ("en", "row 12"), ("fr", "第12行"), (None, "第12行")])
def test_text_reads_one_language_with_parameters(lang: str | None, expected: str) -> None:
    assert text("row", lang, n=12) == expected


def test_a_module_catalogue_reads_shared_ids_too() -> None:
    local = Catalogue("tests.local", {"greeting": ("你好，{name}", "hello, {name}")})
    try:
        t = local.bind("en")
        assert (t("greeting", name="李"), t("level.township"), t.catalogue.text("greeting", "zh", name="李")) == (
            "hello, 李", "township", "你好，李")
        with pytest.raises(KeyError):
            t("no.such.id")
    finally:
        CATALOGUES.remove(local)


def test_pick_chooses_english_only_for_en() -> None:
    assert [pick(lang, "中", "en") for lang in ("zh", "en", "EN", None)] == ["中", "en", "中", "中"]
