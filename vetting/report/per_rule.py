"""Counts per rule for the summaries: one line per (code, severity), since a rule can fire at two
severities (EL006: an error for a 村, a warning for a 社区) and a single label would mis-state it."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding, Severity

__all__ = ["per_rule"]


def per_rule(findings: Iterable[Finding]) -> list[tuple[str, Severity, list[Finding]]]:
    """(code, severity, its findings), the most severe first, then by code."""
    groups: dict[tuple[str, Severity], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.code, f.severity), []).append(f)
    return [(code, sev, fs) for (code, sev), fs in sorted(groups.items(), key=lambda kv: (-kv[0][1].rank, kv[0][0]))]
