"""The message catalogue: words people read, in Chinese and English, one mechanism for all.

- A text that more than one module shows is an entry of `MESSAGES` below, under an id, with its
  Chinese and English: `text("level.township", lang)`; parameters are `str.format` fields,
  named the same in both languages: `text("row", lang, n=12)`.
- A module's own texts are a `Catalogue` in that module, read the same way
  (`_TEXT = Catalogue(__name__, {...})`, `_TEXT.text("summary", lang)`, or `t = _TEXT.bind(lang)`
  and `t("summary")`). When a second module needs one of them, move it here.
- A sentence built inline with values of the moment (an f-string in each language) is chosen
  with `pick(lang, zh, en)`: no module defines its own `_t` helper.

`tests/test_messages.py` fails unless every catalogue is whole: each id has both languages,
the same parameters in both, and is used somewhere in the code. An id used only through a
family (`text(f"level.{level}", lang)`) counts as used when its family is read that way.
Chinese is the default language; anything but "en" reads as Chinese.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Literal

Lang = Literal["zh", "en"]
Words = str | tuple[str, ...]  # a text, or a row of texts (column headers)

CATALOGUES: list[Catalogue] = []  # every catalogue, for tests/test_messages.py


def lang_of(lang: str | None) -> Lang:
    """"en" for English, "zh" for anything else (the default)."""
    return "en" if lang == "en" else "zh"


def pick(lang: str | None, zh: str, en: str) -> str:
    """The inline choice between two phrasings of one sentence."""
    return en if lang == "en" else zh


def params_of(words: Words) -> set[str]:
    """The `{name}` fields a text (or each text of a row) takes."""
    out: set[str] = set()
    for w in (words,) if isinstance(words, str) else words:
        out |= {name for _, name, _, _ in string.Formatter().parse(w) if name}
    return out


class Catalogue:
    """Texts under ids, each in Chinese and English: `{"id": ("中文", "English")}`."""

    def __init__(self, owner: str, entries: Mapping[str, tuple[Words, Words]]):
        self.owner = owner  # the module that defines it
        self.entries = dict(entries)
        CATALOGUES.append(self)

    def _entry(self, id: str) -> tuple[Words, Words]:
        """A module's own id, else a shared one (`MESSAGES`): a module reads both the same way."""
        got = self.entries.get(id)
        return got if got is not None else MESSAGES.entries[id]

    def text(self, id: str, lang: str | None = "zh", /, **params: object) -> str:
        words = self._entry(id)[1 if lang == "en" else 0]
        assert isinstance(words, str), id
        return words.format(**params) if params else words

    def words(self, id: str, lang: str | None = "zh") -> tuple[str, ...]:
        """A row of texts (column headers)."""
        words = self._entry(id)[1 if lang == "en" else 0]
        assert isinstance(words, tuple), id
        return words

    def bind(self, lang: str | None) -> Bound:
        return Bound(self, lang_of(lang))


class Bound:
    """A catalogue read in one language: `t("rows_n", n=3)`, `t.words("columns")`."""

    def __init__(self, catalogue: Catalogue, lang: Lang):
        self.catalogue = catalogue
        self.lang = lang

    def __call__(self, id: str, /, **params: object) -> str:
        return self.catalogue.text(id, self.lang, **params)

    def words(self, id: str) -> tuple[str, ...]:
        return self.catalogue.words(id, self.lang)


MESSAGES = Catalogue(__name__, {
    # severities (console, HTML, workbooks, CI annotations)
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    "severity.info": ("提示", "info"),
    # levels of the election hierarchy (statistics, group rules, reports)
    "level.roster": ("全部名单", "Whole roster"),
    "level.district": ("县(市、区)", "district"),
    "level.township": ("乡镇(街道)", "township"),
    "level.unit": ("村(社区)", "unit"),
    # whose share a figure is (statistics)
    "of.members": ("两委成员", "两委 members"),
    "of.secretaries": ("书记", "secretaries"),
    # a slate plan's changes (`vetting suggest`: console, JSON and workbook)
    "action.add": ("增补", "add"),
    "action.replace": ("替换", "replace"),
    "action.also_stand": ("兼任", "also stands"),
    "action.move": ("改任", "move"),
    "action.remove": ("减员", "remove"),
    # findings in the reports (console, HTML, workbook)
    "waived": ("已豁免", "waived"),
    "waived.by": ("已豁免：{reason}（{by}，至 {expires}）", "waived: {reason} ({by}, until {expires})"),
    "row": ("第{n}行", "row {n}"),
    "files_and_columns": ("文件与列", "Files and columns"),
    "no_findings": ("未发现问题。", "No findings."),
    # column and row headings of rule lists (console summary, `vetting rules`, `explain`)
    "heading.code": ("代码", "code"),
    "heading.rule": ("规则", "rule"),
    "heading.category": ("类别", "category"),
    "heading.severity": ("级别", "severity"),
    "heading.scope": ("范围", "scope"),
    "heading.source": ("依据", "source"),
    # personal data kept out of what is shown (messages, the workbook copy of a roster)
    "pii.hidden": ("（个人信息已隐去，可用 --show-pii 显示）", "(personal data hidden; use --show-pii)"),
    "pii.on_record": ("（有记录，内容已隐去；--show-pii 显示）", "(on record, text hidden; --show-pii shows it)"),
    # a report's heading (HTML, workbook)
    "head.policy": ("政策", "policy"),
    "head.as_of": ("基准日", "as of"),
    "head.inputs": ("名单文件", "rosters"),
})


def text(id: str, lang: str | None = "zh", /, **params: object) -> str:
    """A shared message in one language."""
    return MESSAGES.text(id, lang, **params)


def severity_label(severity: str, lang: str | None = "zh") -> str:
    """`错误` / `error` for a severity's value."""
    return text(f"severity.{severity}", lang)


def level_label(level: str, lang: str | None = "zh") -> str:
    """`乡镇(街道)` / `township` for a level (roster, district, township, unit)."""
    return text(f"level.{level}", lang)
