"""The HTML report's model: the drill-down tree of findings, and the figures its charts and
tree show (read from `vetting stats`, so that the page and `vetting stats` agree)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..findings import Finding
from ..result import LintResult
from .html_text import _T, LEVELS, MAX_SHARE_ROWS, SCOPE_DEPTH

# ---------------------------------------------------------------------------------------------
# The drill-down tree


@dataclass
class _Person:
    key: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class _Node:
    level: str  # "root" | district | township | unit
    name: str | None
    path: tuple[str | None, ...]
    groups: list[Finding] = field(default_factory=list)  # group findings at this level
    people: dict[str, _Person] = field(default_factory=dict)
    children: dict[str | None, _Node] = field(default_factory=dict)

    def all_findings(self) -> Iterable[Finding]:
        yield from self.groups
        for p in self.people.values():
            yield from p.findings
        for c in self.children.values():
            yield from c.all_findings()

    def people_with_findings(self) -> int:
        return len(self.people) + sum(c.people_with_findings() for c in self.children.values())


def _is_person_finding(f: Finding) -> bool:
    """About one person (whatever the rule's scope: a cross-row rule over the whole roster still
    names the person and row it is reported at)."""
    s = f.subject
    return f.scope not in ("column", "file") and bool(
        s.person or s.name or s.id_number or f.location.row is not None
    )


def _person_key(f: Finding) -> str:
    return f.subject.person or f"{f.location.path}#{f.location.row}"


def _build_tree(findings: list[Finding], levels: list[str]) -> tuple[list[Finding], _Node]:
    """(file-level findings, the tree root)."""
    files: list[Finding] = []
    root = _Node("root", None, ())
    for f in findings:
        if f.scope in ("column", "file"):
            files.append(f)
            continue
        s = f.subject
        values = {"district": s.district, "township": s.township, "unit": s.unit}
        person = _is_person_finding(f)
        if person:
            depth = len(levels)
        elif f.scope in SCOPE_DEPTH:
            depth = len([lv for lv in levels if SCOPE_DEPTH[lv] <= SCOPE_DEPTH[f.scope]])
        else:  # the whole roster
            depth = 0
        node = root
        for lv in levels[:depth]:
            v = values[lv]
            if v not in node.children:
                node.children[v] = _Node(lv, v, (*node.path, v))
            node = node.children[v]
        if person:
            node.people.setdefault(_person_key(f), _Person(_person_key(f))).findings.append(f)
        else:
            node.groups.append(f)
    return files, root


def _counts(findings: Iterable[Finding]) -> Counter[str]:
    c: Counter[str] = Counter()
    for f in findings:
        c["waived" if f.waiver is not None else f.severity.value] += 1
    return c


# ---------------------------------------------------------------------------------------------
# Statistics for the charts and the tree's per-level figures


@dataclass
class _Share:
    label: str
    num: int
    den: int
    group: str | None = None  # the district, when there are several

    @property
    def value(self) -> float | None:
        return self.num / self.den if self.den else None


@dataclass
class _Stats:
    members: int = 0
    age_bands: list[tuple[str, int, bool]] = field(default_factory=list)  # label, count, young
    age_unknown: int = 0
    young: int = 0
    youth_age: int = 35
    education: list[tuple[str, int, int | None]] = field(default_factory=list)  # name, count, level
    edu_unknown: int = 0
    women: list[_Share] = field(default_factory=list)
    one_shoulder: list[_Share] = field(default_factory=list)
    cross: list[_Share] = field(default_factory=list)
    # per group path (district, township[, unit]): (units, people, members)
    groups: dict[tuple[str | None, ...], tuple[int, int, int]] = field(default_factory=dict)
    share_level: str = "township"
    units_by_township: dict[tuple[str | None, ...], list[str]] = field(default_factory=dict)
    # (source index, row) -> (posts, age) for the people shown in the tree
    rows: dict[tuple[int, int], tuple[str, int | None]] = field(default_factory=dict)
    levels: list[str] = field(default_factory=lambda: list(LEVELS))


def _param(result: LintResult, name: str) -> Any:
    p = result.policy.params.get(name)
    return p.spec.value if p is not None else None


def _stats(result: LintResult, t: _T) -> _Stats | None:
    roster = result.roster
    if roster is None or roster.frame.height == 0:
        return None
    from ..derive import with_derived
    from ..stats import compute_stats

    unit_dates = dict(result.dates.by_unit) if result.dates is not None else None
    df = with_derived(roster.frame, result.as_of, None, unit_dates)  # a loaded roster always has the canonical columns
    st = _Stats()
    youth = _param(result, "youth_max_age")
    st.youth_age = int(youth) if isinstance(youth, int | float) and not isinstance(youth, bool) else 35
    st.levels = [lv for lv in LEVELS if lv in df.columns and df[lv].null_count() < df.height]
    if "unit" not in st.levels and "unit" in df.columns:
        st.levels.append("unit")

    members = df.filter(pl.col("is_member"))
    distinct = members.unique(subset=["person"], keep="first", maintain_order=True)

    # Age: 5-year bands ending at the youth age (35): ≤25, 26–30, 31–35, 36–40 … 56–60, >60.
    y = st.youth_age
    edges = [y - 10 + 5 * k for k in range(8)]  # upper edges: 25, 30 … 60
    ages = [a for a in distinct["age"].to_list()]
    known = [int(a) for a in ages if a is not None]
    st.age_unknown = len(ages) - len(known)
    bands: list[tuple[str, int, bool]] = []
    bands.append((f"≤{edges[0]}", sum(1 for a in known if a <= edges[0]), True))
    for lo, hi in zip(edges, edges[1:], strict=False):
        bands.append((f"{lo + 1}–{hi}", sum(1 for a in known if lo < a <= hi), hi <= y))
    bands.append((f">{edges[-1]}", sum(1 for a in known if a > edges[-1]), False))
    st.age_bands = bands

    # Education, in level order.
    edu = distinct.group_by("education").agg(pl.len().alias("n"), pl.col("education:level").first().alias("lv"))
    rows = sorted(
        ((r["education"], int(r["n"]), r["lv"]) for r in edu.iter_rows(named=True) if r["education"] is not None),
        key=lambda x: (x[2] if x[2] is not None else 99, x[0]),
    )
    st.education = [(name, n, lv) for name, n, lv in rows]
    st.edu_unknown = int(sum(r["n"] for r in edu.iter_rows(named=True) if r["education"] is None))

    # Per township: shares of distinct people, read from the figures `vetting stats` computes.
    gkeys = [k for k in ("district", "township") if k in st.levels]
    multi_district = "district" in gkeys and df["district"].n_unique() > 1
    if multi_district and df.select(gkeys).n_unique() > MAX_SHARE_ROWS:
        gkeys, multi_district = ["district"], False  # too many townships to draw: by district
    if gkeys:
        st.share_level = gkeys[-1]
    figures = compute_stats(
        roster, as_of=result.as_of, policy=result.policy.name, by=st.share_level if gkeys else "district",
        youth_max_age=st.youth_age, unit_dates=unit_dates,
    )
    whole = figures.level_groups("roster")[0].figures
    st.members = whole["members"].count or 0
    st.young = whole["age_35_or_under"].count or 0
    if gkeys:
        for gs in figures.level_groups(st.share_level):
            if gs.key[-1] is None:
                continue
            label = str(gs.key[-1])
            grp = str(gs.district or "") if multi_district else None
            f = gs.figures
            st.women.append(_Share(label, f["women"].count or 0, f["women"].denominator or 0, grp))
            st.cross.append(_Share(label, f["cross_appointed"].count or 0, f["cross_appointed"].denominator or 0, grp))
            st.one_shoulder.append(_Share(label, f["one_shoulder"].count or 0, f["one_shoulder"].denominator or 0, grp))

    # Per-level figures for the tree: units, people, members.
    for depth in range(1, len(st.levels) + 1):
        keys = st.levels[:depth]
        g = df.group_by(keys).agg(
            pl.col("unit").drop_nulls().n_unique().alias("units") if "unit" in df.columns else pl.lit(0).alias("units"),
            pl.col("person").n_unique().alias("people"),
            pl.col("person").filter(pl.col("is_member")).n_unique().alias("members"),
        )
        for r in g.iter_rows(named=True):
            st.groups[tuple(r[k] for k in keys)] = (int(r["units"]), int(r["people"]), int(r["members"]))
    if "unit" in st.levels:
        parent = st.levels[: st.levels.index("unit")]
        units = df.filter(pl.col("unit").is_not_null()).select([*parent, "unit"]).unique(maintain_order=True)
        for urow in units.iter_rows():
            st.units_by_township.setdefault(tuple(urow[:-1]), []).append(str(urow[-1]))

    # Posts and age of the rows that findings point at.
    wanted = {(i, f.location.row) for f in result.findings for i, s in enumerate(roster.sources)
              if f.location.row is not None and f.location.path == s.path}
    if wanted:
        keys_df = pl.DataFrame(
            {"_src": [w[0] for w in wanted], "_row": [w[1] for w in wanted]},
            schema={"_src": df.schema["_src"], "_row": df.schema["_row"]},
        )
        sub = df.join(keys_df, on=["_src", "_row"], how="inner")
        for r in sub.iter_rows(named=True):
            posts = [r.get(k) for k in ("party_post", "committee_post", "supervisory_post")]
            labels = []
            for k, p in zip(("party_post", "committee_post", "supervisory_post"), posts, strict=True):
                if p:
                    labels.append(_post_label(k, str(p), t.lang))
            st.rows[(int(r["_src"]), int(r["_row"]))] = ("、".join(labels) if t.lang != "en" else ", ".join(labels), r.get("age"))
    return st


def _post_label(key: str, post: str, lang: str) -> str:
    if lang == "en":
        return {"party_post": "Party ", "committee_post": "committee ", "supervisory_post": "supervisory "}[key] + post
    if key == "party_post":
        return "党组织" + post if post in ("委员",) else post
    if key == "committee_post":
        return "村(居)委" + post if post in ("委员",) else post
    return "监委会" + post
