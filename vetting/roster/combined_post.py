"""One combined post column (`拟任职务`: `村党支部书记、村委会主任`, `党支部委员、村委会委员`,
`监委会主任`) instead of the three post columns: each piece goes to its body's post field.

A piece is placed by the words that name its body (党 / 支部 / 书记 / 纪检: the Party
organisation; 村委会 / 居委会 / 主任: the villagers' or residents' committee; 监委 / 监督: the
supervisory committee). A piece that names no body (a bare `委员`) is kept in the committee
field, where the post parser reports it (DQ003) with the cell, rather than being guessed.
"""

from __future__ import annotations

import re

from .headers import normalize_header

__all__ = ["COMBINED_POST_HEADERS", "split_combined"]

COMBINED_POST_HEADERS = frozenset(
    normalize_header(h) for h in ("拟任职务", "拟任职位", "拟任两委职务", "拟任“两委”职务", "拟任岗位")
)
UNPLACED = "（拟任职务未写明是党组织、村(居)委会还是监委会）"
_SEPARATORS = re.compile(r"[、,，/;；\s]+|兼任?|和|及")
_SUPERVISORY = re.compile(r"监委|监督")
_COMMITTEE = re.compile(r"村委|居委|村民委员会|居民委员会|村\(居\)委|^(?:副)?主任$")
_PARTY = re.compile(r"党|支部|总支|书记|纪检|纪委")


def split_combined(text: str | None) -> dict[str, str]:
    """{"party_post": …, "committee_post": …, "supervisory_post": …} for one cell (pieces of the
    same body joined with 、, so that two posts in one body are reported, not dropped)."""
    out: dict[str, list[str]] = {}
    if not text:
        return {}
    for piece in _SEPARATORS.split(text.replace("（", "(").replace("）", ")")):
        piece = piece.strip()
        if not piece:
            continue
        if _SUPERVISORY.search(piece):
            key = "supervisory_post"
        elif _COMMITTEE.search(piece):
            key = "committee_post"
        elif _PARTY.search(piece):
            key = "party_post"
        else:  # no body named: reported by the committee post's parser (DQ003), not guessed
            key, piece = "committee_post", f"{piece}{UNPLACED}"
        out.setdefault(key, []).append(piece)
    return {k: "、".join(v) for k, v in out.items()}
