"""The people of a roster as the joint review sees them: one entry per normalised ID number
(a person proposed in two units is asked about once), and the batch id of a request."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from ..roster.load import Roster


@dataclass
class Person:
    id: str  # normalised 18-character ID number
    key: str  # pseudonymous person key (findings' subject.person)
    name: str | None
    gender: str | None
    district: str | None
    township: str | None
    unit: str | None  # the first row's unit; `units` has all
    units: list[str] = field(default_factory=list)
    posts: str = ""  # 拟任职务, as one text
    rows: list[int] = field(default_factory=list)  # frame row indices
    src: int = 0
    row: int = 0  # the first row a person sees in the roster file


@dataclass
class People:
    people: list[Person]
    by_id: dict[str, Person]
    unusable: list[tuple[int, int, str | None]]  # (src, row, name) of rows without a usable ID number


_POST_COLS = (("party_post", "党组织"), ("committee_post", "村(居)委会"), ("supervisory_post", "监委会"))


def posts_text(party: str | None, committee: str | None, supervisory: str | None) -> str:
    """`党组织书记、村(居)委会主任` (the same as 一肩挑 says it)."""
    out = []
    for (_, label), v in zip(_POST_COLS, (party, committee, supervisory), strict=True):
        if v:
            out.append(f"{label}{v}")
    return "、".join(out)


def roster_people(roster: Roster) -> People:
    f = roster.frame
    if f.height == 0:
        return People([], {}, [])
    cols = ["_src", "_row", "id_number", "id_number:status", "person", "name", "gender", "district", "township", "unit",
            "party_post", "committee_post", "supervisory_post"]
    data = f.select([c if c in f.columns else pl.lit(None).alias(c) for c in cols]).to_dict(as_series=False)
    people: list[Person] = []
    by_id: dict[str, Person] = {}
    unusable: list[tuple[int, int, str | None]] = []
    for i in range(f.height):
        status = data["id_number:status"][i]
        pid = data["id_number"][i]
        if status not in ("ok", "legacy") or not pid:
            unusable.append((int(data["_src"][i]), int(data["_row"][i]), data["name"][i]))
            continue
        posts = posts_text(data["party_post"][i], data["committee_post"][i], data["supervisory_post"][i])
        p = by_id.get(pid)
        if p is None:
            p = Person(
                id=pid, key=data["person"][i], name=data["name"][i], gender=data["gender"][i],
                district=data["district"][i], township=data["township"][i], unit=data["unit"][i],
                src=int(data["_src"][i]), row=int(data["_row"][i]),
            )
            by_id[pid] = p
            people.append(p)
            p.posts = posts
        elif posts and posts not in p.posts.split("；"):
            p.posts = f"{p.posts}；{data['unit'][i]}：{posts}" if p.posts else posts
        p.rows.append(i)
        if data["unit"][i] and data["unit"][i] not in p.units:
            p.units.append(data["unit"][i])
    return People(people, by_id, unusable)


def batch_id(round_: int, department: str, ids: Iterable[str]) -> str:
    """A request's identity: round + department + the people listed (their ID numbers, hashed:
    the id reveals none of them). The same roster gives the same id, whatever its row order."""
    h = hashlib.blake2b(digest_size=5, person=b"vetting-rv1")
    h.update(f"{round_}|{department}|".encode())
    for pid in sorted(set(ids)):
        h.update(pid.encode() + b",")
    return f"LS{round_}-{h.hexdigest().upper()}"
