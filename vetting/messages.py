"""Words people read, in Chinese and English, that more than one module shows.

The start of one message catalogue: a word that two reporters (or a reporter and the library)
both show is defined here once, keyed by language. Module-specific texts still live with their
module; move them here when a second module needs them.
"""

from __future__ import annotations

SEVERITY_LABELS: dict[str, dict[str, str]] = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def severity_label(severity: str, lang: str = "zh") -> str:
    """`错误` / `error` for a severity's value."""
    return SEVERITY_LABELS["en" if lang == "en" else "zh"][severity]
