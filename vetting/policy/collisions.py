"""Two fields that answer to the same column header: the later one would never be read (its
rules would never fire), so a policy that declares such a field is refused with both places."""

from __future__ import annotations

from ..documents import Pos, at
from ..errors import Problem
from ..roster.columns import BUILTIN_FIELDS, FieldSpec
from ..roster.headers import normalize_header

__all__ = ["header_collisions"]


def header_collisions(fields: dict[str, FieldSpec], field_pos: dict[str, Pos]) -> list[Problem]:
    """One message per header or alias of a policy field that another field already uses."""
    owner: dict[str, tuple[str, str]] = {}
    builtin = {f.key for f in BUILTIN_FIELDS}
    for f in BUILTIN_FIELDS:
        for h in (f.header, *f.aliases, f.key):
            owner.setdefault(normalize_header(h), (f.key, "内置字段 / built-in field"))
    errors: list[Problem] = []
    for key, f in fields.items():
        if key in builtin:  # a redeclaration of a built-in field (e.g. more aliases)
            continue
        pos = field_pos.get(key)
        where = str(pos or "")
        for h in dict.fromkeys((f.header, *f.aliases)):
            norm = normalize_header(h)
            other = owner.get(norm)
            if other is not None and other[0] != key:
                message = (
                    f"字段 {key} 的表头或别名“{h}”已是字段 {other[0]} 的表头或别名（{other[1]}），"
                    f"同一列不能对应两个字段 / header '{h}' of field {key} is already used by field"
                    f" {other[0]} ({other[1]})"
                )
                errors.append(at(pos, message) if pos is not None else Problem("", None, None, message))
            else:
                owner.setdefault(norm, (key, where))
    return errors
