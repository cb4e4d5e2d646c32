"""The JSON report writes each finding field by field (`json_report.finding_text`); the text is
the same as the generic writer's of the finding's dict (`finding_dict`), masked or not, in
either language, pseudonymised or not, with measures and waivers, and for odd values."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vetting import api
from vetting.findings import Finding, Location, Measure, Severity, Subject, Waiver
from vetting.pii import _ID_RE, _LONG_DIGITS, _PHONE_RE, mask_id, scrub_text
from vetting.report import ReportOptions, finding_dict, json_report
from vetting.report.fastjson import dumps_indent2, dumps_value

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
OPTIONS = [
    ReportOptions(),
    ReportOptions(show_pii=True),
    ReportOptions(lang="en"),
    ReportOptions(lang="en", show_pii=True),
]


def _example(monkeypatch: pytest.MonkeyPatch, key: str | None) -> list[Finding]:
    if key is None:
        monkeypatch.delenv("VETTING_PSEUDONYM_KEY", raising=False)
    else:
        monkeypatch.setenv("VETTING_PSEUDONYM_KEY", key)
    monkeypatch.delenv("VETTING_PSEUDONYM_KEY_FILE", raising=False)
    result = api.lint(
        [EXAMPLES / "二七区两委换届拟任人选.csv"], units=EXAMPLES / "二七区单位信息.csv", as_of=dt.date(2021, 1, 10)
    )
    # waivers on a few findings of each scope (how a waiver came does not matter to the writer)
    waiver = Waiver(reason="经区委组织部研究同意，“特殊情况”\n另附说明", approved_by="二七区委组织部", expires="2099-12-31")
    seen: set[str] = set()
    out = []
    for f in result.findings:
        if f.scope not in seen:
            seen.add(f.scope)
            f = f.with_waiver(waiver)
        out.append(f)
    return out


@pytest.mark.parametrize("key", [None, "a-key-of-the-user-0123456789"])
def test_every_finding_of_the_example_as_the_generic_writer(monkeypatch: pytest.MonkeyPatch, key: str | None) -> None:
    findings = _example(monkeypatch, key)
    # the example has every kind: person, group (with measures), roster, column; waived and not
    assert {f.scope for f in findings} >= {"person", "unit", "township", "district", "roster", "column"}
    assert any(f.measure is not None for f in findings) and any(f.measure is None for f in findings)
    assert any(f.waiver is not None for f in findings) and any(f.location.row is None for f in findings)
    assert any(f.subject.id_number for f in findings) and all(f.subject.person is None or len(f.subject.person) == 20
                                                          for f in findings)
    masked_differs = 0
    heads: dict = {}  # (shared by all findings, as render_chunks does)
    for f in findings:
        texts = []
        for opts in OPTIONS:
            for nl in ("\n", "\n    ", "\n      "):
                generic = dumps_value(finding_dict(f, opts), nl)
                assert json_report.finding_text(f, opts, nl) == generic, (f.code, opts, nl)
                assert json_report.finding_text(f, opts, nl, heads) == generic, (f.code, opts, nl)
            texts.append(json_report.finding_text(f, opts, "\n"))
        masked_differs += texts[0] != texts[1]
        if f.subject.id_number and len(f.subject.id_number) == 18:  # (not a broken one like 4.10103E+17)
            assert f.subject.id_number not in texts[0] and f.subject.id_number in texts[1]
    assert masked_differs >= len([f for f in findings if f.subject.id_number and len(f.subject.id_number) == 18]) > 10


def test_the_document_in_batches_is_the_generic_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """`render_chunks` (what `-f json` writes) against the generic writer of the whole document."""
    result = api.lint([EXAMPLES / "二七区两委换届拟任人选.csv"], units=EXAMPLES / "二七区单位信息.csv",
                      as_of=dt.date(2021, 1, 10))
    result.findings = _example(monkeypatch, None)
    for opts in OPTIONS:
        generic = json.dumps(json_report.document(result, opts), ensure_ascii=False, indent=2) + "\n"
        monkeypatch.setattr(json_report, "_BATCH", 7)
        assert "".join(json_report.render_chunks(result, opts)) == generic


_TEXT = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["110101199003071234", "电话13812345678", "0371-6612345"]))
_NUMBER = st.one_of(st.none(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True))


@st.composite
def _findings(draw: st.DrawFn) -> Finding:
    measure = draw(st.one_of(st.none(), st.builds(Measure, _NUMBER, _NUMBER, _NUMBER, _NUMBER,
                                                  st.one_of(st.none(), st.integers(0, 99)))))
    waiver = draw(st.one_of(st.none(), st.builds(Waiver, st.text(max_size=8), st.text(max_size=8), st.text(max_size=8))))
    return Finding(
        code=draw(st.text(min_size=1, max_size=6)),
        severity=draw(st.sampled_from(list(Severity))),
        category=draw(st.text(max_size=6)),
        scope=draw(st.sampled_from(["person", "unit", "roster", "column"])),
        title=draw(st.text(max_size=10)),
        message=draw(st.one_of(st.text(max_size=30), _TEXT.filter(lambda t: t is not None))),
        subject=Subject(*(draw(_TEXT) for _ in range(6))),
        location=Location(draw(st.text(max_size=8)), draw(_TEXT), draw(st.one_of(st.none(), st.integers(0, 10**7))),
                          draw(_TEXT), draw(_TEXT)),
        measure=measure,
        waiver=waiver,
        source=draw(_TEXT),
    )


@settings(max_examples=300, deadline=None)
@given(_findings(), st.sampled_from(OPTIONS))
def test_odd_values_as_the_generic_writer(f: Finding, opts: ReportOptions) -> None:
    assert json_report.finding_text(f, opts, "\n    ") == dumps_value(finding_dict(f, opts), "\n    ")
    doc = "[\n  " + json_report.finding_text(f, opts, "\n  ") + "\n]"
    assert doc == dumps_indent2([finding_dict(f, opts)])


def _scrub_by_the_patterns(text: str) -> str:
    """scrub_text without its shortcut for text with no run of 7 digits."""
    text = _ID_RE.sub(lambda m: mask_id(m.group(1)) or "", text)
    text = _LONG_DIGITS.sub(lambda m: mask_id(m.group(0)) or "", text)
    return _PHONE_RE.sub(lambda m: m.group(1)[:3] + "*" * (len(m.group(1)) - 3), text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet="0123456789-Xx１２", max_size=20), st.text(max_size=4)), max_size=5))
def test_scrub_shortcut_changes_nothing(parts: list[str]) -> None:
    text = "".join(parts)
    assert scrub_text(text) == _scrub_by_the_patterns(text)


def test_scrub_still_masks() -> None:
    assert scrub_text("身份证 110101199003071234，电话 13812345678，座机 0371-6612345") == (
        "身份证 110101********1234，电话 138********，座机 037*********"
    )
    assert scrub_text("编号 123456 不变") == "编号 123456 不变"
    assert not re.search(r"\d{7}", scrub_text("号码 1234567890123"))
    assert math.isnan(json.loads(dumps_value(math.nan, "\n")))  # (the writer's NaN stays json's)
