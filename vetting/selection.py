"""--select / --ignore: which codes a run reports (one pure function, as flake8 and ruff do)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def split_codes(values: Iterable[str] | None) -> list[str]:
    """`--select TN,SQ01 --select EL` -> ["TN", "SQ01", "EL"] (upper-cased, blanks dropped)."""
    out: list[str] = []
    for v in values or ():
        out += [p.strip().upper() for p in v.replace("，", ",").split(",") if p.strip()]
    return out


def is_selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """flake8/ruff semantics: the longest matching prefix decides; on a tie, ignore wins.
    An empty select means everything is selected."""
    sel = max((len(p) for p in select if code.startswith(p)), default=-1 if select else 0)
    ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    if sel < 0:
        return False
    return ign < sel if ign >= 0 else True
