"""`--select` / `--ignore` prefixes checked against the codes that exist: a typo (`XX9`) would
otherwise select nothing and pass in CI."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from .errors import UserError

__all__ = ["check_prefixes"]


def check_prefixes(option: str, prefixes: Sequence[str], known: Iterable[str]) -> None:
    """A `UserError` (exit 2) naming every prefix that no known code starts with, with the
    closest codes or families as a suggestion."""
    codes = sorted(set(known))
    families = sorted({c.rstrip("0123456789") for c in codes})
    bad = [p for p in prefixes if not any(c.startswith(p) for c in codes)]
    if not bad:
        return
    details = []
    for p in bad:
        close = difflib.get_close_matches(p, codes + families, n=3, cutoff=0.5)
        if not close:
            close = [c for c in codes if c[:1] == p[:1]][:3]
        hint = f"，是不是 {'、'.join(close)}？ / did you mean {', '.join(close)}?" if close else ""
        details.append(f"{p}{hint}")
    raise UserError(
        f"{option} 中的代码前缀没有对应的规则：{'、'.join(bad)} / no rule code starts with"
        f" {', '.join(bad)}",
        details=details,
        hint="已有的代码类别 / code families: " + "、".join(families) + "；完整列表见 vetting rules。",
    )
