"""The roster copy inside the annotated workbook, masked like every other output.

Without `--show-pii` the copy keeps its layout, colours and comments but not the personal data:
ID numbers (in any cell, also when Excel stored them as numbers) show as `410103********123X`,
phone numbers keep their first 3 digits, and the text of criminal-record and sanction cells
(fields marked `personal`) is replaced by a note that the evidence exists; the cell keeps its
finding and its colour. Every sheet of the copied workbook is treated, not only the one read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from openpyxl.comments import Comment

from ..messages import text as message
from ..pii import mask_id, scrub_text

if TYPE_CHECKING:
    from openpyxl import Workbook

    from ..engine import LintResult

_DIGITS = re.compile(r"\d")
_LONG_RUN = re.compile(r"\d{7,}[\dXx]?")


def _mask_digits(text: str) -> str:
    """A phone cell: every digit after the first 3 starred, whatever the format."""
    seen = 0

    def one(m: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        return m[0] if seen <= 3 else "*"

    return _DIGITS.sub(one, text)


def _scrub_value(v: Any) -> Any:
    if isinstance(v, str):
        out = scrub_text(v)
        # A run of digits long enough for an ID or a phone number, not caught above (a digit
        # missing, letters around it): its middle starred too.
        return _LONG_RUN.sub(lambda m: mask_id(m[0]) or "", out)
    if isinstance(v, int | float) and not isinstance(v, bool) and abs(v) >= 1e9:
        return mask_id(str(int(v)))  # an ID or phone number Excel stored as a number
    return v


def mask_roster_copy(wb: Workbook, targets: list[Any], result: LintResult, *, lang: str = "zh") -> None:
    """Mask the personal data of every sheet of `wb` (the copy of the roster, before the
    findings and summary sheets are added). `targets`: the sheets that hold the roster read,
    with their source and row map (report.xlsx._Target)."""
    evidence = message("pii.on_record", lang)
    roster = result.roster
    fields = roster.fields if roster is not None else {}
    frame = roster.frame if roster is not None else None
    handled: set[tuple[str, str]] = set()
    for tg in targets:
        if roster is None or frame is None:
            break
        i = next((k for k, s in enumerate(roster.sources) if s is tg.src), None)
        sub = frame.filter(frame["_src"] == i) if i is not None and "_src" in frame.columns else frame
        rows = [int(r) for r in sub["_row"].to_list()] if "_row" in sub.columns else []
        for key, (header, _letter) in tg.src.columns.items():
            spec = fields.get(key)
            letter = tg.header_letters.get(header)
            if spec is None or not spec.personal or letter is None:
                continue
            if spec.type in ("flag", "flag_text"):
                values = sub[key].to_list() if key in sub.columns else [None] * len(rows)
                for r, v in zip(rows, values, strict=True):
                    out = tg.row(r)
                    if out is None or v is False:
                        continue
                    cell = tg.ws[f"{letter}{out}"]
                    if cell.value not in (None, ""):
                        cell.value = evidence
                        handled.add((tg.ws.title, cell.coordinate))
            elif spec.type not in ("id_number", "id_list"):  # phone and other personal text
                for r in rows:
                    out = tg.row(r)
                    if out is None:
                        continue
                    cell = tg.ws[f"{letter}{out}"]
                    if cell.value not in (None, ""):
                        cell.value = _mask_digits(str(cell.value))
                        handled.add((tg.ws.title, cell.coordinate))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.__class__.__name__ == "MergedCell":
                    continue
                if (ws.title, cell.coordinate) not in handled and cell.value is not None:
                    new = _scrub_value(cell.value)
                    if new is not cell.value and new != cell.value:
                        cell.value = new
                        cell.number_format = "@"
                if cell.comment is not None:
                    text = scrub_text(cell.comment.text)
                    if text != cell.comment.text:
                        cell.comment = Comment(text, cell.comment.author or "")
