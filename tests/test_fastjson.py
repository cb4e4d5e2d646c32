"""The fast indented JSON writer gives exactly json.dumps(..., ensure_ascii=False, indent=2)."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from vetting.report.fastjson import dumps_indent2

_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(), max_size=8),
)
_JSON = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=4), inner, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_same_text_as_json_dumps(obj: object) -> None:
    assert dumps_indent2(obj) == json.dumps(obj, ensure_ascii=False, indent=2)


def test_special_values_and_keys() -> None:
    obj = {"a": [math.nan, math.inf, -math.inf, 0.1, 10**30, True, None], 1: "x", None: {}, 2.5: []}
    assert dumps_indent2(obj) == json.dumps(obj, ensure_ascii=False, indent=2)
    assert dumps_indent2({"中文": "“引号”\n\u2028"}) == json.dumps({"中文": "“引号”\n\u2028"}, ensure_ascii=False, indent=2)


def test_json_report_in_pieces_is_the_whole_document(monkeypatch) -> None:
    """`--format json` is written a batch of findings at a time; joined, the pieces are the text
    of the whole document, whatever the batch size, and with no findings at all."""
    import datetime as dt
    from pathlib import Path

    from vetting import api
    from vetting.report import ReportOptions, json_report

    example = Path(__file__).resolve().parent.parent / "examples" / "二七区两委换届拟任人选.csv"
    result = api.lint([example], as_of=dt.date(2021, 1, 10))
    assert len(result.findings) > 5
    for opts in (ReportOptions(), ReportOptions(lang="en", show_pii=True)):
        whole = json_report.render(result, opts)
        for batch in (1, 2, 5, 10_000):
            monkeypatch.setattr(json_report, "_BATCH", batch)
            pieces = list(json_report.render_chunks(result, opts))
            assert "".join(pieces) == whole
            assert len(pieces) == 2 + -(-len(result.findings) // batch)
    result.findings = []
    assert "".join(json_report.render_chunks(result, ReportOptions())) == json_report.render(result, ReportOptions())
