"""`vetting suggest`: the smallest slate change, drawn from the reserve pool, that meets the
structural and composition targets (ST001-ST009, EL004-EL007).

    roster + pool + policy --lint/probe--> candidates --integer program--> plan
        --apply--> proposed slate --lint--> verified: no targeted finding left that could be
        fixed, no new finding of any kind (else the offending combination is cut and re-solved)

The integer program (HiGHS). Variables, all integer:
- add[k, u, c]: how many people of pool profile k join unit u in posts c (党组织委员, 村(居)委会
  委员, or both). A profile is a class of interchangeable pool people: same units they may
  serve in, same posts they can take without any finding, same figures (young, woman, 大专);
  the people of a profile are taken in pool order, so the earliest rows serve first;
- rep[r, k]: a person of profile k takes member r's posts, r leaves;
- also[u]: the 书记 of u also stands for 主任 (一肩挑); with move[d] when u has a 主任 d, who
  then stands for 委员;
- cross[r, body]: member r also stands for 委员 of the other body (交叉任职);
- rm[r]: member r leaves (only in a unit whose body is above its maximum size);
- slack for each target that failed before the plan (its shortfall in people); targets met
  before are hard constraints, so no change breaks them.
Objectives, in order: the least weighted shortfall (errors x100, warnings x10, info x1); the
fewest changes, then the fewest replace/remove; the earliest pool rows; the earliest roster
rows.

Why one module of ~970 lines: one class, `Planner`, holds the state the integer program is
built from and read back against (units, members, profiles, variable indices, the cuts of
earlier rounds); splitting it would pass that state between modules. The pool, the probes, the
solver wrapper, applying a plan and the plan's data model are their own modules.

Where suggest.md leaves room (and how it is read here):
- "the lexicographically smallest list of pool row numbers" (pool rows in file order; a list
  that is a prefix of another is smaller) is exact when the plan draws at most
  `solver.LEX_EXACT_MAX` (12) pool people: a few solves per person fix them one by one. A
  larger plan keeps the smallest sum of their row numbers (within a profile the earliest people
  serve first either way; the two rules differ only when one plan's people are earlier at the
  front and later at the back than another's);
- the roster tie-break sums the positions of the roster rows a change touches (an add counts
  its unit's first row);
- an add takes a 委员 post (党组织, 村(居)委会, or both); a replacement takes exactly the leaving
  member's posts; `also_stand` for 交叉任职 gives a 委员 post in the other body;
- a 书记 or 主任 is replaced only when a person target (ST004-ST006) is on that row;
- PR010 (declared seats) needs a unit table, which this codebase does not read yet: the bodies'
  sizes are bounded by EL004/EL005 (3-7, 5-9) and EL007 (the policy's parameters);
- people count as "young" or "大专" only when their age or education is known.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..derive import with_derived
from ..engine import evaluate
from ..errors import UserError
from ..findings import Finding
from ..pii import mask_id
from ..policy.resolve import EffectivePolicy
from ..roster.load import Roster
from ..roster.values import EDUCATION_LEVELS
from .apply import Step, apply_steps
from .model import Change, Excluded, Plan, Target, UnitKey
from .pool import ALL_POSTS, COMMITTEE, PARTY, Pool
from .probe import Combo, probe
from .solver import Model

TARGET_CODES = ("ST001", "ST002", "ST003", "ST004", "ST005", "ST006", "ST007", "ST008", "ST009",
                "EL004", "EL005", "EL006", "EL007")
PERSON_TARGETS = ("ST004", "ST005", "ST006")
ADD_COMBOS: tuple[Combo, ...] = (("委员", None), (None, "委员"), ("委员", "委员"))
LEADERS = ("书记", "主任")
COMMITTEE_SIZE = {"村": (3, 7), "社区": (5, 9)}  # 村组法 第六条, 居组法 第七条 (EL004, EL005)
SEVERITY_WEIGHT = {"error": 100.0, "warning": 10.0, "info": 1.0}
MAX_ROUNDS = 6


def finding_id(f: Finding) -> tuple[str, str, str, str, str]:
    """What makes a finding 'the same' before and after a change: its code and whom it is about
    (figures in its message may change)."""
    s = f.subject
    return (f.code, s.district or "", s.township or "", s.unit or "", s.person or "")


def unit_key(d: str | None, t: str | None, u: str | None) -> UnitKey:
    return (d or "", t or "", u or "")


@dataclass
class Member:
    i: int  # frame row index
    unit: UnitKey
    person: str
    name: str
    id_number: str | None
    party: str | None
    committee: str | None
    woman: bool
    young: bool
    college: bool
    relatives: frozenset[str]
    pos: int  # 1-based position in the roster (tie-break: earliest rows)
    row: int
    age: int | None = None


@dataclass
class Unit:
    key: UnitKey
    type: str | None
    members: list[Member] = field(default_factory=list)
    others: list[int] = field(default_factory=list)  # rows that are not 两委 members
    ids: set[str] = field(default_factory=set)  # ID numbers of everyone in the unit
    relatives: set[str] = field(default_factory=set)  # ID numbers listed as relatives by anyone
    pos: int = 0


@dataclass
class Profile:
    scope: tuple[str, str, str | None]
    combos: tuple[Combo, ...]
    young: bool
    woman: bool
    college: bool
    units: tuple[UnitKey, ...]
    people: list[int] = field(default_factory=list)  # pool frame rows, in pool order


@dataclass
class Inputs:
    roster: Roster
    pool: Pool
    policy: EffectivePolicy
    as_of: dt.date
    keep: frozenset[str] = frozenset()  # ID numbers or names that must stay on the slate
    max_changes: int | None = None
    time_limit: float = 60.0
    lang: str = "zh"


def _param(policy: EffectivePolicy, name: str, default: float) -> float:
    p = policy.params.get(name)
    v = p.spec.value if p is not None else None
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else default


class Planner:
    def __init__(self, inp: Inputs):
        self.inp = inp
        pol = inp.policy
        self.active = {c for c in TARGET_CODES if c in pol.rules}
        self.t_one = _param(pol, "one_shoulder_target", 0.9)
        self.youth = int(_param(pol, "youth_max_age", 35))
        self.t_cross = _param(pol, "cross_appointment_target", 1 / 3)
        self.t_college = _param(pol, "college_share_target", 0)
        self.t_women = _param(pol, "women_share_target", 0)
        self.party_max = int(_param(pol, "party_committee_max", 7))
        self.party_min = int(_param(pol, "party_committee_min", 3))
        self.college_level = EDUCATION_LEVELS["大专"]
        self.vars_by_name: dict[str, int] = {}

    # ---------------------------------------------------------------- reading the slate
    def _people(self, frame: pl.DataFrame) -> list[dict[str, Any]]:
        cols = ["district", "township", "unit", "unit_type", "person", "name", "id_number", "party_post",
                "committee_post", "supervisory_post", "is_woman", "age", "education:level", "relatives", "_row"]
        return frame.select([c for c in cols if c in frame.columns]).to_dicts()

    def _member(self, i: int, d: dict[str, Any], pos: int) -> Member:
        return Member(
            i=i, unit=unit_key(d["district"], d["township"], d["unit"]), person=d["person"],
            name=d["name"] or "", id_number=d["id_number"], party=d["party_post"], committee=d["committee_post"],
            woman=bool(d["is_woman"]), young=d["age"] is not None and d["age"] <= self.youth,
            college=(d.get("education:level") or -1) >= self.college_level,
            relatives=frozenset(d.get("relatives") or ()), pos=pos, row=d["_row"], age=d["age"],
        )

    def read_slate(self) -> None:
        inp = self.inp
        self.before = evaluate(inp.roster, inp.policy, as_of=inp.as_of, lang=inp.lang)
        self.before_ids = {finding_id(f) for f in self.before}
        frame = with_derived(inp.roster.frame, inp.as_of)
        self.group_before = _group_figures(frame, self.college_level)
        self.units: dict[UnitKey, Unit] = {}
        self.attrs: dict[str, tuple[bool, bool, bool]] = {}
        self.roster_ids: set[str] = set()
        self.roster_persons: set[str] = set()
        for i, d in enumerate(self._people(frame)):
            self.roster_persons.add(d["person"])
            if d["id_number"]:
                self.roster_ids.add(d["id_number"])
            if d["unit"] is None:
                continue
            key = unit_key(d["district"], d["township"], d["unit"])
            u = self.units.get(key)
            if u is None:
                u = self.units[key] = Unit(key, d["unit_type"], pos=i + 1)
            if u.type is None:
                u.type = d["unit_type"]
            if d["id_number"]:
                u.ids.add(d["id_number"])
            u.relatives |= set(d.get("relatives") or ())
            if (d["party_post"] or d["committee_post"]) and all(m.person != d["person"] for m in u.members):
                # (the same person twice in a unit, DQ005, counts once, as the rules count)
                m = self._member(i, d, i + 1)
                u.members.append(m)
                self.attrs[m.person] = (m.young, m.woman, m.college)
            else:
                u.others.append(i)
        known = {m.id_number for u in self.units.values() for m in u.members} | {
            m.name for u in self.units.values() for m in u.members}
        unknown = sorted(k for k in inp.keep if k not in known)
        if unknown:
            raise UserError(
                f"--keep 中的{'、'.join((mask_id(k) or k) if len(k) >= 15 else k for k in unknown)}不是名单中的“两委”拟任人选 / not on the slate",
                hint="--keep 写身份证号或姓名，多个用逗号分隔",
            )
        self.targeted_rows: dict[int, list[str]] = defaultdict(list)
        rows = {(int(s), int(r)): i for i, (s, r) in enumerate(zip(frame["_src"], frame["_row"], strict=True))}
        paths = {s.path: j for j, s in enumerate(inp.roster.sources)}
        for f in self.before:
            if f.code in PERSON_TARGETS and f.code in self.active:
                at = rows.get((paths.get(f.location.path, -1), f.location.row or -1))
                if at is not None:
                    self.targeted_rows[at].append(f.code)

    # ---------------------------------------------------------------- the pool
    def read_pool(self) -> None:
        inp = self.inp
        pool = inp.pool
        pf = with_derived(pool.roster.frame, inp.as_of)
        people = self._people(pf)
        self.pool_people = people
        dq: dict[int, list[Finding]] = defaultdict(list)
        rows = {(int(s), int(r)): i for i, (s, r) in enumerate(zip(pf["_src"], pf["_row"], strict=True))}
        paths = {s.path: j for j, s in enumerate(pool.roster.sources)}
        for f in pool.roster.findings:
            i = rows.get((paths.get(f.location.path, -1), f.location.row or -1))
            if i is not None:
                dq[i].append(f)
        # the posts worth probing: those of an add, and those of members who could be replaced
        combos: set[Combo] = set(ADD_COMBOS)
        for u in self.units.values():
            for m in u.members:
                if (m.party not in LEADERS and m.committee not in LEADERS) or m.i in self.targeted_rows:
                    combos.add((m.party, m.committee))
        combos_l = sorted(combos, key=lambda c: (c[0] or "", c[1] or ""))

        def fits(i: int, c: Combo) -> bool:
            allowed = pool.eligible[i]
            posts = {(PARTY, c[0])} if c[0] else set()
            if c[1]:
                posts.add((COMMITTEE, c[1]))
            return (allowed if allowed is not None else ALL_POSTS) >= posts

        # each person probed in the posts the pool says they could take (and, to tell why
        # someone can never be proposed, as a 村(居)委会委员 whatever the pool says)
        pairs = [(i, c) for i in range(pf.height) for c in combos_l if fits(i, c) or c == (None, "委员")]
        found_l = probe(pool.roster, [i for i, _ in pairs], [c for _, c in pairs], inp.policy, inp.as_of)
        found_at = dict(zip(pairs, found_l, strict=True))
        self.excluded: list[Excluded] = []
        self.pool_ok: dict[int, tuple[Combo, ...]] = {}
        seen: set[str] = set()
        for i, d in enumerate(people):
            src = pool.roster.sources[int(pf["_src"][i])]
            per_combo = {c: found_at[(i, c)] for c in combos_l if (i, c) in found_at}
            errors = sorted({f.code for f in dq[i] if f.severity.value == "error"}
                            | {f.code for fs in per_combo.values() for f in fs
                               if f.severity.value == "error" and f.code not in ("EL003",)})

            def exclude(codes: Sequence[str], reason: str, error: bool, i: int = i, d: dict = d, src=src) -> None:
                self.excluded.append(Excluded(
                    pool_row=d["_row"], pool_path=src.path, name=d["name"] or "", id_number=d["id_number"],
                    person=d["person"], codes=tuple(codes), reason=reason, error=error))

            if errors:
                msgs = []
                for f in [*dq[i], *per_combo[(None, "委员")]]:
                    if f.code in errors and f.message not in msgs:
                        msgs.append(f.message)
                exclude(errors, "；".join(msgs), True)
                continue
            if d["person"] in self.roster_persons:
                exclude((), "已在拟任人选名单中", False)
                continue
            if d["person"] in seen:
                exclude((), "在后备人选台账中重复出现", False)
                continue
            seen.add(d["person"])
            ok = []
            fitting = [c for c in combos_l if fits(i, c)]  # the posts the pool says they could take
            for c in fitting:
                if not per_combo[c] and not dq[i]:
                    ok.append(c)
            if not ok:
                codes = sorted({f.code for c in fitting for f in per_combo[c]} | {f.code for f in dq[i]})
                why = "可任职务与可补的职务不符" if not codes else "任职后会出现新的问题：" + "、".join(codes)
                exclude(codes, why, False)
                continue
            self.pool_ok[i] = tuple(ok)

    def profiles(self) -> list[Profile]:
        by_township: dict[tuple[str, str], list[UnitKey]] = defaultdict(list)
        for k in self.units:
            by_township[(k[0], k[1])].append(k)
        out: dict[tuple, Profile] = {}
        self.pool_relatives: list[tuple[int, int]] = []
        for i, combos in self.pool_ok.items():
            d = self.pool_people[i]
            dist, town, unit = d["district"] or "", d["township"] or "", d["unit"]
            if unit:
                units = [k for k in self.units if k[2] == unit and k[1] == town and (not dist or k[0] == dist)]
            else:
                units = [k for (dd, tt), ks in by_township.items() if tt == town and (not dist or dd == dist) for k in ks]
            me = d["id_number"]
            rel = set(d.get("relatives") or ())
            units = [k for k in units if not (rel & self.units[k].ids) and me not in self.units[k].relatives]
            if not units:
                continue
            m = self._member(i, d, 0)
            self.attrs[d["person"]] = (m.young, m.woman, m.college)
            key: tuple = (dist, town, unit, combos, m.young, m.woman, m.college, tuple(units))
            if rel or any(me in (p.get("relatives") or ()) for p in self.pool_people):
                key = (*key, i)  # related to someone in the pool: a profile of their own
            p = out.get(key)
            if p is None:
                p = out[key] = Profile((dist, town, unit), combos, m.young, m.woman, m.college, tuple(units))
            p.people.append(i)
        return list(out.values())

    # ---------------------------------------------------------------- the integer program
    def build(self, cuts: list[list[tuple[str, int]]]) -> None:  # noqa: C901
        inp = self.inp
        M = self.model = Model()
        profs = self.profs
        changes: dict[int, float] = {}  # change variables -> 1
        heavy: dict[int, float] = {}  # replace / remove
        pool_cost: dict[int, float] = {}
        roster_cost: dict[int, float] = {}
        shortfall: dict[int, float] = {}
        self.vars: dict[tuple, int] = {}
        self.zvars: dict[int, list[int]] = {}
        self.slacks: dict[tuple, int] = {}
        uses: dict[int, dict[int, float]] = defaultdict(dict)  # profile -> vars using it
        uses_in_unit: dict[tuple[int, UnitKey], dict[int, float]] = defaultdict(dict)
        keep = inp.keep
        unit_terms: dict[UnitKey, dict[str, dict[int, float]]] = {
            k: defaultdict(dict) for k in self.units
        }

        def t(u: UnitKey, name: str, v: int, c: float = 1.0) -> None:
            d = unit_terms[u][name]
            d[v] = d.get(v, 0.0) + c

        def slack(key: tuple, severity: str, ub: float = math.inf, integer: bool = True) -> int:
            s = M.var(f"slack{key}", 0, ub, integer)
            self.slacks[key] = s
            shortfall[s] = SEVERITY_WEIGHT[severity]
            return s

        profiles_in_unit: dict[UnitKey, list[int]] = defaultdict(list)
        for k, p in enumerate(profs):
            for ukey in p.units:
                profiles_in_unit[ukey].append(k)
        # probes of members in other posts (also_stand, move, cross)
        member_probes: list[tuple[Member, Combo]] = []
        for u in self.units.values():
            sec = [m for m in u.members if m.party == "书记"]
            dirs = [m for m in u.members if m.committee == "主任"]
            if len(sec) == 1 and sec[0].committee != "主任" and len(dirs) <= 1:
                member_probes.append((sec[0], ("书记", "主任")))
                if dirs:
                    member_probes.append((dirs[0], (dirs[0].party, "委员")))
            for m in u.members:
                if m.party and not m.committee and m.party not in LEADERS:
                    member_probes.append((m, (m.party, "委员")))
                if m.committee and not m.party and m.committee not in LEADERS:
                    member_probes.append((m, ("委员", m.committee)))
        if not hasattr(self, "member_ok"):
            base = [m.i for m, _ in member_probes]
            now = probe(inp.roster, base, [(m.party, m.committee) for m, _ in member_probes], inp.policy, inp.as_of)
            then = probe(inp.roster, base, [c for _, c in member_probes], inp.policy, inp.as_of)
            self.member_ok = {
                (m.i, c): {f.code for f in b} <= {f.code for f in a} | set(TARGET_CODES)
                for (m, c), a, b in zip(member_probes, now, then, strict=True)
            }
        ok = self.member_ok

        # Changes only where a target fails: in a unit whose targets (and whose groups' share
        # targets) are all met, a change costs and fixes nothing, so no optimal plan has one.
        open_units = self._open_units()
        for key, u in self.units.items():
            sec = [m for m in u.members if m.party == "书记"]
            dirs = [m for m in u.members if m.committee == "主任"]
            n_comm = sum(1 for m in u.members if m.committee)
            n_party = sum(1 for m in u.members if m.party)
            is_open = key in open_units
            # adds
            for k in profiles_in_unit[key] if is_open else ():
                p = profs[k]
                for c in ADD_COMBOS:
                    if c not in p.combos or (c[1] and n_comm == 0) or (c[0] and n_party == 0):
                        continue
                    v = M.var(f"add{k},{key},{c}", 0, len(p.people))
                    self.vars[("add", k, key, c)] = v
                    changes[v] = 1
                    roster_cost[v] = u.pos
                    uses[k][v] = 1
                    uses_in_unit[(k, key)][v] = 1
                    self._contrib(t, key, v, None, p, c)
            # replace
            for m in u.members if is_open else ():
                targeted = m.i in self.targeted_rows
                if (m.id_number in keep or m.name in keep) or (
                    (m.party in LEADERS or m.committee in LEADERS) and not targeted):
                    continue
                for k in profiles_in_unit[key]:
                    p = profs[k]
                    if (m.party, m.committee) not in p.combos:
                        continue
                    if not targeted and not ((p.young and not m.young) or (p.woman and not m.woman)
                                             or (p.college and not m.college)):
                        continue  # a replacement that cannot improve any figure
                    v = M.var(f"rep{m.i},{k}")
                    self.vars[("rep", m.i, k)] = v
                    changes[v] = 1
                    heavy[v] = 1
                    roster_cost[v] = m.pos
                    uses[k][v] = 1
                    uses_in_unit[(k, key)][v] = 1
                    self._contrib(t, key, v, m, p, (m.party, m.committee))
            # also_stand: 一肩挑
            if len(sec) == 1 and ok.get((sec[0].i, ("书记", "主任"))) and (
                    not dirs or ok.get((dirs[0].i, (dirs[0].party, "委员")))):
                s = sec[0]
                v = M.var(f"also{key}")
                self.vars[("also", s.i)] = v
                changes[v] = 1
                roster_cost[v] = s.pos
                t(key, "one", v)
                if not s.committee:
                    t(key, "comm", v)
                    t(key, "cross", v)
                    if s.woman:
                        t(key, "women_comm", v)
                if dirs:
                    d = dirs[0]
                    mv = M.var(f"move{key}")
                    self.vars[("move", d.i)] = mv
                    changes[mv] = 1
                    roster_cost[mv] = d.pos
                    M.row({mv: 1, v: -1}, 0, 0)
            # cross
            for m in u.members if is_open else ():
                for c, body in (((m.party, "委员"), "comm"), (("委员", m.committee), "party")):
                    if not ok.get((m.i, c)):
                        continue
                    if (body == "comm" and n_comm == 0) or (body == "party" and n_party == 0):
                        continue
                    v = M.var(f"cross{m.i}")
                    self.vars[("cross", m.i, c)] = v
                    changes[v] = 1
                    roster_cost[v] = m.pos
                    t(key, body, v)
                    t(key, "cross", v)
                    if body == "comm" and m.woman:
                        t(key, "women_comm", v)
            # remove: only where a body is above its maximum
            lo_c, hi_c = COMMITTEE_SIZE.get(u.type or "", (0, math.inf))
            for m in u.members:
                if m.id_number in keep or m.name in keep or m.party in LEADERS or m.committee in LEADERS:
                    continue
                if (m.committee and n_comm > hi_c) or (m.party and n_party > self.party_max):
                    v = M.var(f"rm{m.i}")
                    self.vars[("rm", m.i)] = v
                    changes[v] = 1
                    heavy[v] = 1
                    roster_cost[v] = m.pos
                    self._contrib(t, key, v, m, None, None)

        # pool capacity, and the earliest people of each profile first
        for k, p in enumerate(profs):
            if not uses[k]:
                continue
            zs = {M.var(f"z{k},{j}"): 1.0 for j in range(len(p.people))}
            for j, z in enumerate(zs):
                pool_cost[z] = self.pool_people[p.people[j]]["_row"]
            row = dict(uses[k])
            for z in zs:
                row[z] = -1.0
            M.row(row, 0, 0)
            self.zvars[k] = list(zs)
        # relatives within the pool: never two of them in one unit
        rel_profiles = [k for k, p in enumerate(profs) if len(p.people) == 1]
        for a in rel_profiles:
            ida = self.pool_people[profs[a].people[0]]
            for b in rel_profiles:
                if b <= a:
                    continue
                idb = self.pool_people[profs[b].people[0]]
                if ida["id_number"] in (idb.get("relatives") or ()) or idb["id_number"] in (ida.get("relatives") or ()):
                    for both in sorted(set(profs[a].units) & set(profs[b].units)):
                        M.row({**uses_in_unit[(a, both)], **uses_in_unit[(b, both)]}, -math.inf, 1)
        # a member replaced or removed at most once
        per_member: dict[int, dict[int, float]] = defaultdict(dict)
        for vkey, v in self.vars.items():
            if vkey[0] in ("rep", "rm"):
                per_member[vkey[1]][v] = 1
        for row in per_member.values():
            M.row(row, -math.inf, 1)

        self._targets(unit_terms, slack)
        if inp.max_changes is not None:
            M.row(dict(changes), -math.inf, inp.max_changes)
        for cut in cuts:
            M.row({self.vars_by_name[n]: 1 for n, _ in cut if n in self.vars_by_name},
                  -math.inf, sum(val for _, val in cut) - 1)
        big = float(len(changes) + 1)
        self.objectives = [
            shortfall,
            {v: big + heavy.get(v, 0.0) for v in changes},
            pool_cost,
            roster_cost,
        ]
        self.changes_vars = changes
        self.vars_by_name = {M.names[v]: v for v in range(len(M.names))}

    def _open_units(self) -> set[UnitKey]:
        """Units where a targeted finding fails, or whose township or district fails a share
        target that people anywhere in it count towards (ST008, ST009)."""
        out: set[UnitKey] = set()
        groups: set[tuple[str, ...]] = set()
        for f in self.before:
            if f.code not in TARGET_CODES or f.code not in self.active:
                continue
            s = f.subject
            if f.scope in ("unit", "person"):
                out.add(unit_key(s.district, s.township, s.unit))
            elif f.code in ("ST008", "ST009"):
                groups.add((s.district or "", s.township or "") if f.scope == "township" else (s.district or "",))
        for key in self.units:
            if any(key[: len(g)] == g for g in groups):
                out.add(key)
        return out

    def _contrib(self, t, key: UnitKey, v: int, m: Member | None, p: Profile | None, c: Combo | None) -> None:
        """The change figures of unit `key` when variable v is 1: `p` joins in posts `c` and/or
        `m` leaves."""
        if p is not None and c is not None:
            t(key, "mem", v)
            if c[0]:
                t(key, "party", v)
            if c[1]:
                t(key, "comm", v)
                if p.woman:
                    t(key, "women_comm", v)
            if c[0] and c[1]:
                t(key, "cross", v)
            t(key, "young", v, float(p.young))
            t(key, "college", v, float(p.college))
            t(key, "women", v, float(p.woman))
        if m is not None:
            t(key, "mem", v, -1)
            if m.party:
                t(key, "party", v, -1)
            if m.committee:
                t(key, "comm", v, -1)
                if m.woman:
                    t(key, "women_comm", v, -1)
            if m.party and m.committee:
                t(key, "cross", v, -1)
            t(key, "young", v, -float(m.young))
            t(key, "college", v, -float(m.college))
            t(key, "women", v, -float(m.woman))

    def _targets(self, unit_terms, slack) -> None:  # noqa: C901
        M = self.model
        act = self.active
        self.figures_before: dict[UnitKey, dict[str, int]] = {}
        groups: dict[tuple[str, tuple[str, ...]], list[UnitKey]] = defaultdict(list)
        for key, u in self.units.items():
            ms = u.members
            fig = {
                "mem": len(ms), "party": sum(1 for m in ms if m.party), "comm": sum(1 for m in ms if m.committee),
                "cross": sum(1 for m in ms if m.party and m.committee),
                "women_comm": sum(1 for m in ms if m.committee and m.woman),
                "young": sum(1 for m in ms if m.young), "college": sum(1 for m in ms if m.college),
                "women": sum(1 for m in ms if m.woman),
                "sec": sum(1 for m in ms if m.party == "书记"),
                "one": sum(1 for m in ms if m.party == "书记" and m.committee == "主任"),
            }
            self.figures_before[key] = fig
            groups[("township", key[:2])].append(key)
            groups[("district", key[:1])].append(key)
            terms = unit_terms[key]

            def bound(name: str, code: str, severity: str, lo: float | None = None, hi: float | None = None,
                      key: UnitKey = key, fig: dict = fig, terms: dict = terms) -> None:
                """fig[name] + terms[name] within [lo, hi]: a hard constraint where it holds now,
                a target with a slack where it fails now (and the rule is in the policy)."""
                row = dict(terms[name])
                base = fig[name]
                if lo is not None:
                    if base >= lo:
                        M.row(row, lo - base, math.inf)
                    elif code in act:
                        M.row({**row, slack((code, key, "lo"), severity, lo - base): 1}, lo - base, math.inf)
                if hi is not None:
                    if base <= hi:
                        M.row(row, -math.inf, hi - base)
                    elif code in act:
                        M.row({**row, slack((code, key, "hi"), severity, base - hi): -1}, -math.inf, hi - base)

            if u.type in COMMITTEE_SIZE and fig["comm"] > 0:
                lo, hi = COMMITTEE_SIZE[u.type]
                bound("comm", "EL004" if u.type == "村" else "EL005", "error", lo, hi)
            if fig["comm"] == 0:
                M.row(dict(terms["comm"]), 0, 0)
            if fig["party"] > 0:
                bound("party", "EL007", "error", None, self.party_max)
                bound("party", "EL007", "warning", self.party_min, None)
            else:
                M.row(dict(terms["party"]), 0, 0)
            if fig["comm"] > 0 and u.type in COMMITTEE_SIZE:
                bound("women_comm", "EL006", "error" if u.type == "村" else "warning", 1, None)
            if fig["mem"] > 0 and "ST003" in act:
                bound("young", "ST003", "warning", 1, None)
            if fig["sec"] == 1 and fig["one"] == 0 and "ST001" in act:
                s = slack(("ST001", key, ""), "warning", 1)
                M.row({**terms["one"], s: 1}, 1, math.inf)
            if fig["mem"] > 0 and "ST007" in act and self.t_cross > 0:
                self._share(terms, fig, "cross", self.t_cross, ("ST007", key, ""), "info", slack)
        for m_i, codes in self.targeted_rows.items():
            vs = {v: 1.0 for k, v in self.vars.items() if k[0] in ("rep", "rm") and k[1] == m_i}
            s = slack((codes[0], m_i, ""), "warning", 1)
            M.row({**vs, s: 1}, 1, math.inf)
        self.groups = groups
        for (level, gk), keys in sorted(groups.items()):
            gterms: dict[str, dict[int, float]] = defaultdict(dict)
            gfig: dict[str, int] = defaultdict(int)
            for key in keys:
                for name, row in unit_terms[key].items():
                    for v, c in row.items():
                        gterms[name][v] = gterms[name].get(v, 0.0) + c
            # counted by distinct person, as the rules do (a person twice in a township is one)
            gfig.update(self.group_before.get((level, gk), {}))
            if "ST002" in act and gfig["sec"] > 0 and self.t_one > 0:
                need = math.ceil(self.t_one * gfig["sec"] - 1e-9)
                row = dict(gterms["one"])
                if gfig["one"] < need:
                    row[slack(("ST002", level, gk), "warning", need - gfig["one"])] = 1
                M.row(row, need - gfig["one"], math.inf)
            for code, name, target in (("ST008", "college", self.t_college), ("ST009", "women", self.t_women)):
                if code in act and target > 0 and gfig["mem"] > 0:
                    self._share(gterms, gfig, name, target, (code, level, gk), "warning", slack)

    def _share(self, terms, fig, name: str, target: float, key: tuple, severity: str, slack) -> None:
        """fig[name] / fig[mem] >= target, as fig[name] - target * fig[mem] >= 0."""
        M = self.model
        row = dict(terms[name])
        for v, c in terms["mem"].items():
            row[v] = row.get(v, 0.0) - target * c
        base = fig[name] - target * fig["mem"]
        if base < -1e-9:
            row[slack(key, severity, -base, integer=False)] = 1
        M.row(row, -base - 1e-9, math.inf)

    # ---------------------------------------------------------------- solving and checking
    def solve(self) -> Plan:  # noqa: C901
        import time

        inp = self.inp
        started = time.monotonic()
        self.read_slate()
        self.read_pool()
        self.profs = self.profiles()
        cuts: list[list[tuple[str, int]]] = []
        self.vars_by_name = {}
        notes: list[str] = []
        for _round in range(MAX_ROUNDS):
            self.build(cuts)
            # the time limit counts the whole run; with none left, no solve (and no plan)
            left = inp.time_limit - (time.monotonic() - started)
            order = sorted((self.profs[k].people[n], z) for k, zs in self.zvars.items() for n, z in enumerate(zs))
            res = self.model.solve(self.objectives, left, lex=(2, [z for _, z in order]))
            values = [round(v) if self.model.integer[i] else v for i, v in enumerate(res.values)]
            steps, changes = self._changes(values)
            slate, origin, changed = apply_steps(inp.roster, inp.pool.roster, steps)
            after = evaluate(slate, inp.policy, as_of=inp.as_of, lang=inp.lang)
            after_ids = {finding_id(f) for f in after}
            new = [f for f in after if finding_id(f) not in self.before_ids]
            if not new:
                break
            cut = self._cut(new, values)
            if not cut or cut in cuts:
                break
            cuts.append(cut)
        self.cuts = cuts
        if new:  # (a combination no cut could exclude: drop the plan rather than propose it)
            notes.append("未能找到不产生新问题的调整方案：" + "、".join(sorted({f.code for f in new})))
            steps, changes = [], []
            self.pool_changes: dict[int, Change] = {}
            self.roster_changes: dict[int, Change] = {}
            slate, origin, changed = apply_steps(inp.roster, inp.pool.roster, [])
            after = self.before
            after_ids = self.before_ids
        self.slate, self.origin, self.changed = slate, origin, changed
        self.after = after
        targets = self._target_list(after, after_ids)
        changes = [self._with_fixes(c, targets) for c in changes]
        return Plan(
            changes=changes, targets=targets, excluded=sorted(self.excluded, key=lambda e: (e.pool_path, e.pool_row)),
            figures=self._figures(slate), status=res.status, gap=res.gap,
            new_findings=sorted({f.code for f in new}), solve_seconds=res.seconds, notes=notes, cuts=len(cuts),
            as_of=inp.as_of.isoformat(), slate=slate, origin=origin,
            pool_changes=self.pool_changes, roster_changes=self.roster_changes,
        )

    def _changes(self, values: list[float]) -> tuple[list[Step], list[Change]]:
        """The solution as steps (frame terms) and changes (people terms), pool people of each
        profile taken in pool order, given to the demands in roster order."""
        inp = self.inp
        members = {m.i: m for u in self.units.values() for m in u.members}
        demands: dict[int, list[tuple[int, tuple]]] = defaultdict(list)
        plain: list[tuple[int, tuple]] = []
        for key, v in self.vars.items():
            if key[0] == "z":
                continue
            n = int(values[v])
            if n <= 0:
                continue
            if key[0] == "add":
                _, k, ukey, c = key
                for _ in range(n):
                    demands[k].append((self.units[ukey].members[-1].pos if self.units[ukey].members else self.units[ukey].pos, key))
            elif key[0] == "rep":
                demands[key[2]].append((members[key[1]].pos, key))
            else:
                plain.append((members[key[1]].pos, key))
        steps: list[tuple[tuple, Step, Change]] = []
        pf = inp.pool.roster
        for k, ds in demands.items():
            people = self.profs[k].people
            for (pos, key), j in zip(sorted(ds), people, strict=False):
                d = self.pool_people[j]
                src = pf.sources[int(pf.frame["_src"][j])]
                if key[0] == "add":
                    u = self.units[key[2]]
                    at = (u.members[-1].i if u.members else u.others[-1])
                    c = key[3]
                    step = Step("add", None, j, c[0], c[1], at)
                    ch = Change("add", u.key, d["person"], d["name"] or "", d["id_number"], c[0], c[1],
                                pool_row=d["_row"], pool_path=src.path)
                else:
                    m = members[key[1]]
                    step = Step("replace", m.i, j, m.party, m.committee, m.i)
                    ch = Change("replace", m.unit, d["person"], d["name"] or "", d["id_number"], m.party, m.committee,
                                pool_row=d["_row"], pool_path=src.path, roster_row=m.row,
                                replaces=m.person, replaces_name=m.name)
                steps.append(((self.units[ch.unit].pos, pos, d["_row"]), step, ch))
        for pos, key in sorted(plain):
            m = members[key[1]]
            if key[0] == "also":
                step = Step("also_stand", m.i, None, m.party, "主任", m.i)
            elif key[0] == "move":
                step = Step("move", m.i, None, m.party, "委员", m.i)
            elif key[0] == "cross":
                step = Step("also_stand", m.i, None, key[2][0], key[2][1], m.i)
            else:
                step = Step("remove", m.i, None, None, None, m.i)
            ch = Change(step.action, m.unit, m.person, m.name, m.id_number, step.party, step.committee,
                        roster_row=m.row, was=(m.party, m.committee), replaces=m.person if key[0] == "rm" else None,
                        replaces_name=m.name if key[0] == "rm" else None)
            steps.append(((self.units[m.unit].pos, pos, 0), step, ch))
        steps.sort(key=lambda x: x[0])
        self.pool_changes = {s.pool: c for _, s, c in steps if s.pool is not None}
        self.roster_changes = {s.row: c for _, s, c in steps if s.pool is None and s.row is not None}
        return [s for _, s, _ in steps], [c for _, _, c in steps]

    def _cut(self, new: list[Finding], values: list[float]) -> list[tuple[str, int]]:
        """The changed variables of the units (or groups) where new findings appeared: that
        combination is not allowed again."""
        where = set()
        for f in new:
            s = f.subject
            where.add((s.district or "", s.township or "", s.unit or ""))
        out = []
        for key, v in self.vars.items():
            if key[0] == "z" or values[v] < 0.5:
                continue
            ukey = key[2] if key[0] == "add" else next(
                m.unit for u in self.units.values() for m in u.members if m.i == key[1])
            if any(all(a in ("", b) for a, b in zip(w, ukey, strict=True)) for w in where):
                out.append((self.model.names[v], int(values[v])))
        return sorted(out)

    # ---------------------------------------------------------------- what the plan achieves
    def _target_list(self, after: list[Finding], after_ids: set) -> list[Target]:
        after_by_id = {finding_id(f): f for f in after}
        out: list[Target] = []
        seen = set()
        for f in self.before:
            if f.code not in TARGET_CODES or f.code not in self.active:
                continue
            fid = finding_id(f)
            if fid in seen:
                continue
            seen.add(fid)
            s = f.subject
            level = f.scope
            ukey = unit_key(s.district, s.township, s.unit) if level in ("unit", "person") else None
            group = "".join(p for p in (s.township, s.unit) if p) or s.district or ""
            if level == "person":
                group += f" {s.name or ''}"
            elif level == "district":
                group = s.district or ""
            a = after_by_id.get(fid)
            met = a is None
            shortfall = 0.0
            relax = None
            after_fig = "已满足" if met else ""
            if a is not None:
                after_fig = _figure(a)
                shortfall = float(a.measure.missing) if a.measure and a.measure.missing else (1.0 if level in ("person", "unit") else 0.0)
                relax = self._relaxation(a)
            gk = (s.district or "", s.township or "") if level == "township" else (s.district or "",)
            out.append(Target(
                group_key=gk if level in ("township", "district") else (),
                code=f.code, level=level, group=group.strip(), unit=ukey, row=f.location.row if level == "person" else None,
                met=met, before=_figure(f), after=after_fig, shortfall=shortfall, relaxation=relax, message=f.message,
            ))
        return out

    def _relaxation(self, f: Finding) -> str:
        code = f.code
        m = f.measure
        names = {"ST002": "one_shoulder_target", "ST007": "cross_appointment_target",
                 "ST008": "college_share_target", "ST009": "women_share_target"}
        if code in names and m is not None and m.value is not None:
            need = f"，或再有{m.missing}名合适的后备人选" if m.missing else ""
            return f"将参数 {names[code]} 降至 {m.value:.4f}（{m.value:.1%}）即可满足{need}"
        if code == "ST001":
            return "书记兼任主任会带来新的问题（或该村(社区)有多名书记、主任）：需另行研究书记、主任人选"
        if code == "ST003":
            u = self.units.get(unit_key(f.subject.district, f.subject.township, f.subject.unit))
            ages = [m.age for m in u.members if m.age is not None] if u else []
            param = f"；或将参数 youth_max_age 提高到 {min(ages)}" if ages else ""
            return f"后备人选中没有可到该村(社区)任职、{self.youth}岁以下且任职后不产生新问题的人选：需补充1名{param}"
        if code in PERSON_TARGETS:
            name = {"ST004": "new_entrant_max_age", "ST005": "incumbent_max_age", "ST006": "leader_max_age"}[code]
            ages = [m.age for u in self.units.values() for m in u.members
                    if m.person == f.subject.person and m.age is not None]
            param = f"；或将参数 {name} 提高到 {ages[0]}" if ages else ""
            return f"后备人选中没有可接替该职务且不产生新问题的人选：需补充1名{param}"
        if code == "EL006":
            return "后备人选中没有可任村(居)委会委员、不产生新问题的女性人选：需补充1名"
        missing = m.missing if m is not None and m.missing else 1
        return f"后备人选中缺少可任该职务且不产生新问题的人选：需补充{missing}名"

    def _with_fixes(self, c: Change, targets: list[Target]) -> Change:
        """The met targets this change contributes to (by what it changes)."""
        from dataclasses import replace

        young, woman, college = self.attrs.get(c.person, (False, False, False))
        adds_comm = c.action == "add" and bool(c.committee_post) or (
            c.action == "also_stand" and bool(c.committee_post) and not c.was[1])
        adds_party = c.action == "add" and bool(c.party_post) or (
            c.action == "also_stand" and bool(c.party_post) and not c.was[0])
        newcomer = c.action in ("add", "replace")
        relevant = {
            "ST001": c.action == "move" or (c.action == "also_stand" and c.committee_post == "主任" and c.party_post == "书记"),
            "ST003": newcomer and young,
            "EL006": (newcomer or adds_comm) and woman and bool(c.committee_post),
            "EL004": adds_comm or (c.action == "remove" and bool(c.was[1])),
            "EL007": adds_party or (c.action == "remove" and bool(c.was[0])),
            "ST007": (adds_comm or adds_party) and bool(c.party_post and c.committee_post) or c.action == "remove",
            "ST008": newcomer and college,
            "ST009": newcomer and woman,
        }
        relevant["EL005"] = relevant["EL004"]
        relevant["ST002"] = relevant["ST001"] and c.action == "also_stand"
        codes = set()
        for t in targets:
            if not t.met:
                continue
            if t.row is not None:
                if c.action in ("replace", "remove") and t.row == c.roster_row and t.unit == c.unit:
                    codes.add(t.code)
            elif t.unit is not None:
                if t.unit == c.unit and relevant.get(t.code):
                    codes.add(t.code)
            elif t.group_key == c.unit[: len(t.group_key)] and relevant.get(t.code):
                codes.add(t.code)
        return replace(c, fixes=tuple(sorted(codes)))

    def _figures(self, slate: Roster) -> dict[str, Any]:
        derived = with_derived(slate.frame, self.inp.as_of)
        after = _unit_figures(derived, self.youth, self.college_level)
        group_after = _group_figures(derived, self.college_level)
        units = []
        for key in self.units:
            b = self.figures_before[key]
            a = after.get(key, {})
            units.append({"unit": list(key), "before": b, "after": {k: a.get(k, 0) for k in b}})
        groups = []
        for level, gk in sorted(self.groups):
            b = self.group_before.get((level, gk), {})
            a = group_after.get((level, gk), {})
            groups.append({"level": level, "group": list(gk), "before": b, "after": a})
        return {"units": units, "groups": groups}


def _group_figures(frame: pl.DataFrame, college_level: int) -> dict[tuple[str, tuple[str, ...]], dict[str, int]]:
    """Township and district figures, counting distinct people as the group rules do."""
    c = pl.col
    edu = c("education:level") if "education:level" in frame.columns else pl.lit(None, dtype=pl.Int8)
    m = c("is_member")
    aggs = [
        c("person").filter(m).n_unique().alias("mem"),
        c("person").filter(m & (edu >= college_level).fill_null(False)).n_unique().alias("college"),
        c("person").filter(m & c("is_woman").fill_null(False)).n_unique().alias("women"),
        c("person").filter(c("is_secretary")).n_unique().alias("sec"),
        c("person").filter(c("one_shoulder")).n_unique().alias("one"),
    ]
    out: dict[tuple[str, tuple[str, ...]], dict[str, int]] = {}
    f = frame.with_columns(c("district").fill_null(""), c("township").fill_null(""))
    for level, keys in (("township", ["district", "township"]), ("district", ["district"])):
        for row in f.group_by(keys).agg(aggs).iter_rows(named=True):
            gk = tuple(row[k] for k in keys)
            out[(level, gk)] = {k: int(row[k]) for k in ("mem", "college", "women", "sec", "one")}
    return out


FIGURE_KEYS = ("mem", "party", "comm", "cross", "women_comm", "young", "college", "women", "sec", "one")


def _unit_figures(frame: pl.DataFrame, youth: int, college_level: int) -> dict[UnitKey, dict[str, int]]:
    out: dict[UnitKey, dict[str, int]] = {}
    seen: set[tuple[UnitKey, str]] = set()
    cols = ["person", "district", "township", "unit", "party_post", "committee_post", "is_woman", "age", "education:level"]
    for d in frame.select([c for c in cols if c in frame.columns]).iter_rows(named=True):
        if d["unit"] is None or not (d["party_post"] or d["committee_post"]):
            continue
        key = unit_key(d["district"], d["township"], d["unit"])
        if (key, d["person"]) in seen:
            continue
        seen.add((key, d["person"]))
        f = out.setdefault(key, dict.fromkeys(FIGURE_KEYS, 0))
        p, c, w = d["party_post"], d["committee_post"], bool(d["is_woman"])
        f["mem"] += 1
        f["party"] += bool(p)
        f["comm"] += bool(c)
        f["cross"] += bool(p and c)
        f["women_comm"] += bool(c and w)
        f["young"] += d["age"] is not None and d["age"] <= youth
        f["college"] += (d.get("education:level") or -1) >= college_level
        f["women"] += w
        f["sec"] += p == "书记"
        f["one"] += p == "书记" and c == "主任"
    return out


def _figure(f: Finding) -> str:
    return f.message


def suggest(inp: Inputs) -> Plan:
    """The plan for a slate and a reserve pool (see the module's docstring)."""
    planner = Planner(inp)
    plan = planner.solve()
    plan.roster_path = ", ".join(s.path for s in inp.roster.sources)
    plan.pool_path = ", ".join(s.path for s in inp.pool.roster.sources)
    return plan


