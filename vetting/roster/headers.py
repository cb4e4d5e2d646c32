"""Header matching: a file's column header -> a canonical field key.

Matching is by the canonical header or any alias, after removing all white space and unifying
full-width and half-width brackets and punctuation, so `县（市、区）`, `县(市、区)` and
`县 (市、区)` are the same header.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .columns import IGNORED_HEADERS, FieldSpec

_FULL_TO_HALF = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "【": "(",
        "】": ")",
        "［": "(",
        "］": ")",
        "〔": "(",
        "〕": ")",
        "，": ",",
        "：": ":",
        "；": ";",
        "／": "/",
        "－": "-",
        "“": '"',
        "”": '"',
        "＂": '"',
    }
)
_SPACE = re.compile(r"\s+")
# A header may carry a note in brackets or after a line break: `出生年月\n(1985.03)`; `*姓名` marks
# a required column in some templates.
_REQUIRED_MARK = re.compile(r"^[*＊]+|[*＊]+$")


# The full-width ASCII block as half-width, the ideographic space as a space, then the
# punctuation above: one table, one pass over a header.
_HALF_WIDTH = {
    **_FULL_TO_HALF,
    **{c: chr(c - 0xFEE0).translate(_FULL_TO_HALF) for c in range(0xFF01, 0xFF5F)},
    0x3000: " ",
}


def normalize_header(text: str) -> str:
    """The comparable form of a header: half-width, no white space, no required-marks."""
    s = _SPACE.sub("", text.translate(_HALF_WIDTH))
    return _REQUIRED_MARK.sub("", s)


class HeaderMatcher:
    """Maps headers to field keys for a given set of fields (built-in + policy-declared)."""

    def __init__(self, fields: Iterable[FieldSpec]):
        self.fields: dict[str, FieldSpec] = {}
        self._by_header: dict[str, str] = {}
        for f in fields:
            self.fields[f.key] = f
            for h in (f.header, *f.aliases, f.key):
                self._by_header.setdefault(normalize_header(h), f.key)
        self._ignored = {normalize_header(h) for h in IGNORED_HEADERS}

    def match(self, header: str | None) -> str | None:
        """The field key for a header, or None when it is not a known column."""
        if not header:
            return None
        return self._by_header.get(normalize_header(header))

    def is_ignored(self, header: str | None) -> bool:
        """A known column that no rule reads (序号): kept, needs no DQ008 note."""
        return bool(header) and normalize_header(header) in self._ignored  # type: ignore[arg-type]

    def expected_headers(self) -> list[str]:
        return [f.header for f in self.fields.values() if f.required]
