"""The reserve pool (后备人选台账): read like a roster, plus the posts each person could take.

A pool row names the unit the person may serve in (`村(社区)`; blank with a township = any unit
of that township) and `可任职务` (blank = any post they are eligible for). The pool is read with
the roster readers, so it gets the same data-quality findings; a pool row has no proposed post
and may have no unit, so those two DQ004 findings do not apply to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..findings import Finding
from ..roster.columns import POST_KEYS, FieldSpec
from ..roster.load import Roster, load_roster

ELIGIBLE_POSTS = FieldSpec(
    key="eligible_posts", header="可任职务", aliases=("可任岗位", "拟任方向", "可任职位"), type="text",
    title_en="posts the person could take",
    description="reserve pool: 党组织委员, 村(居)委会委员, 副主任…; blank = any post they are eligible for",
)

# A post is (body, title): body "party" or "committee".
Post = tuple[str, str]
PARTY, COMMITTEE = "party", "committee"
ALL_POSTS: frozenset[Post] = frozenset({
    (PARTY, "书记"), (PARTY, "副书记"), (PARTY, "委员"), (PARTY, "纪检委员"),
    (COMMITTEE, "主任"), (COMMITTEE, "副主任"), (COMMITTEE, "委员"),
})
_SPLIT = re.compile(r"[、,，;；/／\s]+")


def parse_eligible_posts(text: str | None) -> frozenset[Post] | None:
    """`党组织委员、村(居)委会委员` -> {(party, 委员), (committee, 委员)}; blank -> None (any).
    Raises ValueError naming the token it cannot read."""
    if text is None or not text.strip():
        return None
    out: set[Post] = set()
    for tok in _SPLIT.split(text.strip()):
        if not tok:
            continue
        t = tok.replace("（", "(").replace("）", ")")
        party = "党" in t or "支部" in t
        committee = "村" in t or "居" in t or "社区" in t
        if "纪检" in t or "纪委" in t:
            out.add((PARTY, "纪检委员"))
        elif t.endswith("副书记"):
            out.add((PARTY, "副书记"))
        elif t.endswith("书记"):
            out.add((PARTY, "书记"))
        elif t.endswith("副主任"):
            out.add((COMMITTEE, "副主任"))
        elif t.endswith("主任"):
            out.add((COMMITTEE, "主任"))
        elif t.endswith("委员") or t in ("两委委员", "两委成员"):
            if party or not committee:
                out.add((PARTY, "委员"))
            if committee or not party:
                out.add((COMMITTEE, "委员"))
        else:
            raise ValueError(tok)
    return frozenset(out)


@dataclass
class Pool:
    roster: Roster  # the pool read as a roster (frame with every field, DQ findings)
    eligible: list[frozenset[Post] | None]  # per frame row: the posts they could take (None = any)


def load_pool(
    paths: Sequence[str | Path], *, fields: Iterable[FieldSpec], sheet: str | None = None, lang: str = "zh"
) -> Pool:
    """Read the pool; DQ findings as for a roster, except that no post and a blank unit (with a
    township) are what a pool row looks like."""
    # a blank unit means "any unit of the township": not filled from the row above, as a
    # roster's CSV export of merged cells would be
    roster = load_roster(paths, fields=[*fields, ELIGIBLE_POSTS], sheet=sheet, lang=lang,
                         fill_down=("district", "township"))
    f = roster.frame
    if f.height == 0:
        raise UserError(f"后备人选台账中没有读到任何人员 / the reserve pool has no rows: {', '.join(map(str, paths))}")
    post_headers = {s.columns[k][0] for s in roster.sources for k in POST_KEYS if k in s.columns}
    unit_headers = {s.columns["unit"][0] for s in roster.sources if "unit" in s.columns}
    by_row = {(int(s), int(r)): t for s, r, t in zip(f["_src"], f["_row"], f["township"], strict=True)}
    kept: list[Finding] = []
    for x in roster.findings:
        if x.code == "DQ004":
            col = x.location.column
            src = next(i for i, s in enumerate(roster.sources) if s.path == x.location.path)
            if col in post_headers or x.message.startswith(("未填写任何拟任职务", "no proposed post")):
                continue  # no proposed post: a pool row has none
            if col in unit_headers and by_row.get((src, x.location.row or 0)):
                continue  # blank unit with a township: any unit of that township
        kept.append(x)
    roster.findings = kept
    eligible: list[frozenset[Post] | None] = []
    texts = f["eligible_posts"].to_list() if "eligible_posts" in f.columns else [None] * f.height
    for i, text in enumerate(texts):
        try:
            eligible.append(parse_eligible_posts(text))
        except ValueError as e:
            source = roster.sources[int(f["_src"][i])]
            header = source.columns.get("eligible_posts", ("可任职务", None))[0]
            raise UserError(
                f"“{header}”中的“{e}”不是可识别的职务 / unknown post '{e}'",
                path=source.path, line=int(f["_row"][i]),
                hint="可写：党组织委员、纪检委员、副书记、书记、村(居)委会委员、副主任、主任，多个用顿号分隔；留空表示符合条件的任何职务",
            ) from None
    return Pool(roster=roster, eligible=eligible)
