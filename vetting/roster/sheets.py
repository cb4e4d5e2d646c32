"""Sheets of a roster workbook that are not rosters, by name: the one place that names them.

The reader leaves them out of the roster sheets; the unit-table reader (`vetting.units`) reads
the unit sheet, and the change list that `vetting suggest` writes beside a proposed slate names
people without being one (linting the slate must not count them twice).
"""

from __future__ import annotations

from .headers import normalize_header

# The sheet of a roster workbook that holds the unit table (单位信息).
UNIT_SHEETS: tuple[str, ...] = ("单位信息", "单位基本情况", "村(社区)基本情况", "换届安排")
# The list of changes `vetting suggest` writes beside the proposed slate.
PLAN_SHEET = "调整说明"

_UNIT_SHEETS_NORM = {normalize_header(s) for s in UNIT_SHEETS}


def is_unit_sheet(name: str) -> bool:
    return normalize_header(name) in _UNIT_SHEETS_NORM


def is_plan_sheet(name: str) -> bool:
    return normalize_header(name) == normalize_header(PLAN_SHEET)
