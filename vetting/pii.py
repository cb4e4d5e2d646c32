"""Personal data: masking of ID numbers, names and phone numbers in anything we print.

Findings keep full values; every reporter passes what it shows through these functions, so
`--show-pii` is one switch in one place.
"""

from __future__ import annotations

import re

# An 18- or 15-character ID number, not part of a longer run of digits.
# Letters around it do not protect it: an ID number typed into another column is often run
# together with other text (`410103196910253452XYZ`).
_ID_RE = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?!\d)")
# Any other run of 12 or more digits (an ID number with a digit missing or added).
_LONG_DIGITS = re.compile(r"(?<!\d)\d{12,}(?!\d)")
# A mainland mobile number (11 digits starting 1[3-9]) or a landline with area code.
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
# Whatever the three patterns match holds a run of at least 7 digits: text without one (most
# messages) is returned as it is after one search instead of three substitutions.
_SEVEN_DIGITS = re.compile(r"\d{7}")


def mask_id(value: str | None) -> str | None:
    """`410103198503081234` -> `410103********1234`; short values keep at most a few ends."""
    if not value:
        return value
    n = len(value)
    if n >= 15:
        return value[:6] + "*" * (n - 10) + value[-4:]
    keep_head, keep_tail = min(3, n // 4), min(2, n // 4)
    return value[:keep_head] + "*" * (n - keep_head - keep_tail) + (value[-keep_tail:] if keep_tail else "")


def mask_name(value: str | None) -> str | None:
    """`张三明` -> `张*明`, `张三` -> `张*`; CI formats show no full names."""
    if not value:
        return value
    if len(value) == 1:
        return "*"
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def scrub_text(text: str) -> str:
    """Mask ID numbers and phone numbers wherever they appear in free text (messages)."""
    if _SEVEN_DIGITS.search(text) is None:
        return text
    text = _ID_RE.sub(lambda m: mask_id(m.group(1)) or "", text)
    text = _LONG_DIGITS.sub(lambda m: mask_id(m.group(0)) or "", text)
    return _PHONE_RE.sub(lambda m: m.group(1)[:3] + "*" * (len(m.group(1)) - 3), text)
