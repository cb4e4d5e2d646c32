"""The unit table's columns: canonical keys, Chinese headers, aliases and value types.

The organisation columns are those of the roster (the same headers and normalisation), so one
row is matched to one roster unit; the other columns are the unit's facts that PR rules read.
"""

from __future__ import annotations

from dataclasses import replace

from ..roster.columns import BUILTIN_BY_KEY, FieldSpec, FieldType


def _u(key: str, header: str, aliases: tuple[str, ...], type_: FieldType, en: str, description: str | None = None) -> FieldSpec:
    return FieldSpec(key=key, header=header, aliases=aliases, type=type_, title_en=en, blank="unknown", description=description)


UNIT_FIELDS: tuple[FieldSpec, ...] = (
    BUILTIN_BY_KEY["district"],
    BUILTIN_BY_KEY["township"],
    replace(BUILTIN_BY_KEY["unit"], aliases=(*BUILTIN_BY_KEY["unit"].aliases, "单位名称", "村(社区)名称")),
    BUILTIN_BY_KEY["unit_type"],
    _u("households", "户数", ("总户数",), "count", "households"),
    _u("multi_ethnic", "是否多民族", ("多民族村(社区)", "是否多民族村(社区)"), "flag", "multi-ethnic"),
    _u("full_members", "正式党员数", ("正式党员人数",), "count", "full Party members"),
    _u("party_org_type", "党组织类型", ("党组织设置",), "party_org_type", "Party organisation type"),
    _u("party_seats", "党组织委员职数", ("党组织班子职数",), "count", "Party committee seats", "含书记、副书记"),
    _u("party_candidates", "党组织委员候选人数", ("党组织候选人数",), "count", "Party committee candidates"),
    _u("committee_seats", "村(居)委会职数", ("村委会职数", "居委会职数"), "count", "committee seats", "含主任、副主任、委员"),
    _u("director_candidates", "主任候选人数", (), "count", "director candidates"),
    _u("deputy_candidates", "副主任候选人数", (), "count", "deputy director candidates", "不设副主任的空白"),
    _u("member_candidates", "村(居)委会委员候选人数", ("村委会委员候选人数", "居委会委员候选人数"), "count", "committee member candidates"),
    _u("deputy_seats", "副主任职数", (), "count", "deputy director seats", "0或空白表示不设副主任"),
    _u("voters", "登记选民数", ("选民人数",), "count", "registered voters"),
    _u("voter_list_date", "选民名单公布日期", ("公布选民名单日期",), "date", "voter list published"),
    _u("candidate_list_date", "候选人名单公布日期", ("正式候选人公布日期",), "date", "candidate list published"),
    _u("audit_published_date", "离任审计结果公布日期", ("任期和离任经济责任审计公布日期",), "date", "outgoing audit published"),
    _u("election_date", "选举日期", ("村(居)委会选举日期",), "date", "election date", "本单位人员的年龄按此日计算（--as-of 优先）；空白按基准日"),
    _u("representatives", "村(居)民代表人数", ("村民代表人数", "居民代表人数"), "count", "representatives"),
    _u("women_representatives", "女性代表人数", ("妇女代表人数",), "count", "women representatives"),
)
UNIT_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in UNIT_FIELDS}
ORG_KEYS = ("district", "township", "unit")
# Facts worked out from others (a derived fact names the columns it comes from).
DERIVED_FACTS: dict[str, FieldSpec] = {
    "member_seats": FieldSpec(
        key="member_seats", header="委员职数", type="count", title_en="committee member seats", blank="unknown",
        description="村(居)委会职数 − 1（主任）− 副主任职数（空白为0）",
    ),
}
FACT_BASIS: dict[str, tuple[str, ...]] = {"member_seats": ("committee_seats", "deputy_seats")}



def fact_fields() -> dict[str, FieldSpec]:
    """Every key a PR rule may read: the unit table's columns and the derived facts."""
    return {**UNIT_BY_KEY, **DERIVED_FACTS}
