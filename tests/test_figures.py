"""Figures are defined once: "young" at the policy's youth_max_age, Party members with 预备党员
counted (eligibility reads full members only), and the HTML report's shares are the figures of
`vetting stats`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from vetting import api
from vetting.derive import with_derived
from vetting.report import stats_markdown

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "二七区两委换届拟任人选.xlsx"
AS_OF = dt.date(2021, 1, 10)


def test_young_follows_the_policy(tmp_path: Path) -> None:
    policy = tmp_path / "county.yaml"
    national = ROOT / "policies" / "national" / "policy.yaml"
    policy.write_text(
        f"policy: county\nversion: '1'\nextends: {national}\nparams:\n  youth_max_age: 40\n", encoding="utf-8"
    )
    base = api.stats([EXAMPLE], as_of=AS_OF)
    county = api.stats([EXAMPLE], as_of=AS_OF, policies=[str(policy)])
    assert (base.youth_max_age, county.youth_max_age) == (35, 40)
    young = [r.level_groups("roster")[0].figures["age_35_or_under"].count or 0 for r in (base, county)]
    assert young[0] < young[1]
    text = stats_markdown.render(county)
    assert "40岁以下" in text and "35岁以下" not in text


def test_party_members_count_probationary_members_in_figures_only() -> None:
    frame = pl.DataFrame(
        {"political_status": ["中共党员", "中共预备党员", "群众", None]},
    )
    for col in ("party_post", "committee_post", "supervisory_post", "gender"):
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(col))
    frame = frame.with_columns(
        pl.lit(None, dtype=pl.Boolean).alias("incumbent"),
        *(pl.lit(None, dtype=pl.Date).alias(c) for c in ("birth_date", "birth_date:hi", "party_join_date", "party_join_date:hi")),
    )
    d = with_derived(frame, AS_OF)
    assert d["is_party_member"].to_list() == [True, False, False, None]
    assert d["is_cpc_member"].to_list() == [True, True, False, None]


def test_html_shares_are_the_stats_figures() -> None:
    from vetting.report.html import _T, _stats

    result = api.lint([EXAMPLE], as_of=AS_OF)
    st = _stats(result, _T("zh"))
    assert st is not None
    figures = api.stats([EXAMPLE], as_of=AS_OF)
    by_township = {g.township: g.figures for g in figures.level_groups("township")}
    assert st.women and st.cross and st.one_shoulder
    for shares, key in ((st.women, "women"), (st.cross, "cross_appointed"), (st.one_shoulder, "one_shoulder")):
        for s in shares:
            f = by_township[s.label][key]
            assert (s.num, s.den) == (f.count, f.denominator)
    assert st.young == figures.level_groups("roster")[0].figures["age_35_or_under"].count
