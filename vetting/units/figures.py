"""The unit table's figures for `vetting stats`: per unit the 差额比例 of the Party committee
election and how many days before the election the voter and candidate lists were published,
and their totals. Computed once here; the stats reporters only lay them out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from ..roster import values
from .load import UnitTable


@dataclass(frozen=True)
class UnitFigures:
    township: str | None
    unit: str
    party_seats: int | None
    party_candidates: int | None
    party_margin: Fraction | None  # (candidates − seats) / seats
    member_margin: int | None  # committee member candidates − member seats
    voter_list_days: int | None  # election date − voter list date; None when blank or not to the day
    candidate_list_days: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "township": self.township, "unit": self.unit, "party_seats": self.party_seats,
            "party_candidates": self.party_candidates,
            "party_margin": float(self.party_margin) if self.party_margin is not None else None,
            "member_margin": self.member_margin, "voter_list_days": self.voter_list_days,
            "candidate_list_days": self.candidate_list_days,
        }


@dataclass(frozen=True)
class ProcedureFigures:
    units: list[UnitFigures]

    @property
    def party_margin(self) -> Fraction | None:
        """All units together: Σ(candidates − seats) / Σ seats, over units giving both."""
        known = [u for u in self.units if u.party_margin is not None]
        seats = sum(u.party_seats or 0 for u in known)
        return Fraction(sum((u.party_candidates or 0) - (u.party_seats or 0) for u in known), seats) if seats else None

    @property
    def min_voter_list_days(self) -> int | None:
        days = [u.voter_list_days for u in self.units if u.voter_list_days is not None]
        return min(days) if days else None

    @property
    def min_candidate_list_days(self) -> int | None:
        days = [u.candidate_list_days for u in self.units if u.candidate_list_days is not None]
        return min(days) if days else None

    def as_json(self) -> dict[str, object]:
        pm = self.party_margin
        return {
            "party_margin": float(pm) if pm is not None else None,
            "min_voter_list_days": self.min_voter_list_days,
            "min_candidate_list_days": self.min_candidate_list_days,
            "units": [u.as_json() for u in self.units],
        }


def _days(start: object, election: object, as_of: dt.date) -> int | None:
    end = election.lo if isinstance(election, values.DateValue) and election.precision == "day" else (
        as_of if election is None else None)
    if not isinstance(start, values.DateValue) or start.precision != "day" or end is None:
        return None
    return (end - start.lo).days


def procedure_figures(table: UnitTable, as_of: dt.date) -> ProcedureFigures:
    out: list[UnitFigures] = []
    for r in table.rows:
        f = r.facts
        if f.get("unit") is None or r.skip_join:
            continue
        seats, cands = f.get("party_seats"), f.get("party_candidates")
        margin = Fraction(cands - seats, seats) if seats and cands is not None else None
        committee, members = f.get("committee_seats"), f.get("member_candidates")
        member_margin = members - (committee - 1 - (f.get("deputy_seats") or 0)) if committee and members is not None else None
        group = r.group
        out.append(UnitFigures(
            township=group[1] if group else f.get("township"), unit=group[2] if group else f["unit"],
            party_seats=seats, party_candidates=cands, party_margin=margin, member_margin=member_margin,
            voter_list_days=_days(f.get("voter_list_date"), f.get("election_date"), as_of),
            candidate_list_days=_days(f.get("candidate_list_date"), f.get("election_date"), as_of),
        ))
    return ProcedureFigures(out)
