"""`vetting suggest`: plans on generated districts whose minimal plan is known, checked by
applying the plan and linting the result with the real linter.

How the minimum is known:
- by construction (test_known_minimum): every planted defect sits in its own unit and can only
  be fixed by changes in that unit; each defect's lower bound is argued in `District.village`
  (a missing young member or woman needs one person more or one other; a 书记 who is not 主任
  needs him to stand for 主任 and the other 主任 to step down to 委员: two changes). The
  expected plan reaches the sum of the lower bounds, so it is minimal;
- by brute force (test_brute_force_minimum): every set of at most two candidate changes is
  applied and linted, and the best (least weighted shortfall, then fewest changes) is compared
  with the solver's plan under --max-changes 2.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

pytest.importorskip("highspy")

from typer.testing import CliRunner  # noqa: E402

from vetting.cli import app  # noqa: E402
from vetting.engine import evaluate  # noqa: E402
from vetting.policy.resolve import load_policies  # noqa: E402
from vetting.roster.load import load_roster  # noqa: E402
from vetting.suggest.apply import Step, apply_steps  # noqa: E402
from vetting.suggest.plan import (  # noqa: E402
    ADD_COMBOS,
    SEVERITY_WEIGHT,
    TARGET_CODES,
    Inputs,
    finding_id,
    suggest,
)
from vetting.suggest.pool import load_pool  # noqa: E402

from .suggest_gen import AS_OF, District  # noqa: E402

runner = CliRunner()


def _inputs(roster_path: Path, pool_path: Path, **kw) -> Inputs:  # noqa: ANN003
    pol = load_policies(["national"])
    roster = load_roster([roster_path], fields=pol.fields.values())
    pool = load_pool([pool_path], fields=pol.fields.values())
    return Inputs(roster=roster, pool=pool, policy=pol, as_of=AS_OF, **kw)


def _score(findings, before_ids) -> float:  # noqa: ANN001
    """The weighted shortfall of the targeted findings left: what the plan minimises first."""
    total = 0.0
    for f in findings:
        if f.code not in TARGET_CODES or finding_id(f) not in before_ids:
            continue
        m = f.measure
        if f.code == "ST007" and m is not None:
            short = 0.3333 * m.denominator - m.numerator
        else:
            short = float(m.missing) if m is not None and m.missing else 1.0
        total += SEVERITY_WEIGHT[f.severity.value] * short
    return round(total, 6)


def _lint_xlsx(path: Path):  # noqa: ANN202
    pol = load_policies(["national"])
    return evaluate(load_roster([path], fields=pol.fields.values()), pol, as_of=AS_OF)


def _district(tmp_path: Path) -> tuple[District, dict[str, object]]:
    d = District()
    d.village("甲村", defect="noyoung")
    d.village("乙村", defect="nowoman")
    d.village("丙村", defect="split")
    combo = d.village("丁村", defect="combo")
    for n in range(6):
        d.village(f"好{n}村")
    who = {
        "barred": d.reserve(woman=True, age=30, unit=None, crime="2018年因盗窃罪被判处有期徒刑6个月"),
        "relative": d.reserve(woman=True, age=29, unit="丁村", relative_of=combo[1]),
        "young1": d.reserve(woman=False, age=28, unit="甲村"),
        "young2": d.reserve(woman=False, age=29, unit="甲村"),
        "woman": d.reserve(woman=True, age=40, unit="乙村"),
        "young_d": d.reserve(woman=False, age=30, unit="丁村"),
        "woman_d": d.reserve(woman=True, age=42, unit="丁村"),
        "both_d": d.reserve(woman=True, age=31, unit="丁村"),
    }
    return d, who


def test_known_minimum(tmp_path: Path) -> None:
    d, who = _district(tmp_path)
    roster_path, pool_path = d.write(tmp_path)
    plan = suggest(_inputs(roster_path, pool_path))
    got = [(c.action, c.unit[2], c.name, c.party_post, c.committee_post) for c in plan.changes]
    assert got == [
        ("add", "甲村", who["young1"].name, None, "委员"),  # the earlier of two equal people
        ("add", "乙村", who["woman"].name, None, "委员"),
        ("also_stand", "丙村", d.units[2][2][0].name, "书记", "主任"),
        ("move", "丙村", d.units[2][2][3].name, None, "委员"),
        ("add", "丁村", who["both_d"].name, None, "委员"),  # one person fixes both targets
    ]
    assert plan.status == "optimal" and not plan.unmet and plan.new_findings == []
    assert {t.code for t in plan.targets} == {"ST001", "ST003", "EL004", "EL006", "ST007"}
    excluded = {e.name: e for e in plan.excluded}
    assert excluded[who["barred"].name].error and "TN02" in excluded[who["barred"].name].codes
    # the relative of a 丁村 member is never placed in 丁村
    assert who["relative"].name not in {c.name for c in plan.changes}

    # apply the plan through the xlsx and lint it: no targeted finding left, no new one
    out = tmp_path / "slate.xlsx"
    res = runner.invoke(app, ["suggest", str(roster_path), "--reserve", str(pool_path), "--as-of", "2021-01-10",
                              "-f", "xlsx", "-o", str(out)])
    assert res.exit_code == 0, res.output
    pol = load_policies(["national"])
    before = evaluate(load_roster([roster_path], fields=pol.fields.values()), pol, as_of=AS_OF)
    after = _lint_xlsx(out)
    before_ids = {finding_id(f) for f in before}
    assert [f.code for f in after if finding_id(f) not in before_ids] == []
    assert [f.code for f in after if f.code in TARGET_CODES] == []
    assert len(before) > len(after)


def test_output_is_deterministic(tmp_path: Path) -> None:
    d, _ = _district(tmp_path)
    roster_path, pool_path = d.write(tmp_path)
    outs = []
    for i in range(2):
        res = runner.invoke(app, ["suggest", str(roster_path), "--reserve", str(pool_path), "--as-of", "2021-01-10",
                                  "-f", "json"])
        assert res.exit_code == 0, res.output
        x = tmp_path / f"s{i}.xlsx"
        runner.invoke(app, ["suggest", str(roster_path), "--reserve", str(pool_path), "--as-of", "2021-01-10",
                            "-f", "xlsx", "-o", str(x)])
        outs.append((res.stdout, x.read_bytes()))
    assert outs[0] == outs[1]
    doc = json.loads(outs[0][0])
    assert [c["action"] for c in doc["changes"]] == ["add", "add", "also_stand", "move", "add"]
    assert doc["unmet"] == []
    assert all("*" in c["id_number"] for c in doc["changes"])  # masked
    assert {e["codes"][0] for e in doc["excluded_pool"] if e["error"]} == {"TN02"}


def test_unmet_target_reports_shortfall_and_relaxation(tmp_path: Path) -> None:
    d = District()
    d.village("甲村", defect="noyoung")
    d.village("乙村", defect="nowoman")
    for n in range(8):
        d.village(f"好{n}村")
    d.reserve(woman=True, age=40, unit="乙村")
    d.reserve(woman=False, age=50, unit="甲村")  # over-age new entrant: would bring ST004
    roster_path, pool_path = d.write(tmp_path)
    res = runner.invoke(app, ["suggest", str(roster_path), "--reserve", str(pool_path), "--as-of", "2021-01-10",
                              "-f", "json"])
    assert res.exit_code == 1, res.output
    doc = json.loads(res.stdout)
    assert [(c["action"], c["unit"]["unit"]) for c in doc["changes"]] == [("add", "乙村")]
    assert [(u["code"], u["group"], u["shortfall"]) for u in doc["unmet"]] == [("ST003", "城关镇甲村", 1.0)]
    assert "35岁以下" in doc["unmet"][0]["relaxation"]
    assert [e["codes"] for e in doc["excluded_pool"]] == [["ST004"]]


def test_max_changes_and_keep(tmp_path: Path) -> None:
    d, who = _district(tmp_path)
    roster_path, pool_path = d.write(tmp_path)
    plan = suggest(_inputs(roster_path, pool_path, max_changes=2))
    assert len(plan.changes) == 2 and plan.unmet
    assert plan.new_findings == []
    # a full 村委会 leaves replace as the only way to a member aged 35 or under: the one member
    # whose posts the pool person can take is replaced, unless --keep protects him
    d2 = District()
    members = d2.village("甲村", defect="noyoung")
    for _ in range(4):  # 村委会 of 7: nobody can be added
        members.append(d2.person(woman=False, age=44, party="委员", committee="委员"))
    for n in range(9):
        d2.village(f"好{n}村")
    d2.reserve(woman=False, age=29, unit="甲村")
    (tmp_path / "d2").mkdir()
    r2, p2 = d2.write(tmp_path / "d2")
    plan = suggest(_inputs(r2, p2))
    assert [(c.action, c.replaces_name) for c in plan.changes] == [("replace", members[3].name)]
    keep = frozenset({members[3].id, *(m.name for m in members[4:])})
    plan = suggest(_inputs(r2, p2, keep=keep))
    assert plan.changes == [] and [t.code for t in plan.unmet] == ["ST003"]
    res = runner.invoke(app, ["suggest", str(r2), "--reserve", str(p2), "--as-of", "2021-01-10",
                              "--keep", "不在名单上的人"])
    assert res.exit_code == 2 and "不在名单上的人" in res.output


def test_time_limit_reached_says_so(tmp_path: Path) -> None:
    d, _ = _district(tmp_path)
    roster_path, pool_path = d.write(tmp_path)
    res = runner.invoke(app, ["suggest", str(roster_path), "--reserve", str(pool_path), "--as-of", "2021-01-10",
                              "--time-limit", "0.001", "-f", "json"])
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["status"] == "time_limit" and doc["changes"] == [] and len(doc["unmet"]) == len(doc["targets"])
    assert "达到求解时限" in res.stderr


def test_pool_person_already_on_the_slate_is_not_proposed(tmp_path: Path) -> None:
    d = District()
    d.village("甲村", defect="noyoung")
    other = d.village("乙村")
    for n in range(8):
        d.village(f"好{n}村")
    young = other[3]  # 乙村's young member is also on the reserve list, for 甲村
    d.pool.append(young)
    young.unit, young.posts = "甲村", "村(居)委会委员"
    roster_path, pool_path = d.write(tmp_path)
    plan = suggest(_inputs(roster_path, pool_path))
    assert plan.changes == []
    assert [(e.name, e.reason) for e in plan.excluded] == [(young.name, "已在拟任人选名单中")]


def _candidates(inp: Inputs) -> list[list[Step]]:
    """Every single change the plan may contain, independently of the solver's model."""
    f = inp.roster.frame
    rows = f.select("unit", "party_post", "committee_post").to_dicts()
    pool = inp.pool.roster.frame.select("unit").to_dicts()
    units = {r["unit"] for r in rows}
    out: list[list[Step]] = []

    def fits(j: int, combo: tuple[str | None, str | None]) -> bool:
        """The posts are among those the pool's 可任职务 names (blank: any)."""
        allowed = inp.pool.eligible[j]
        posts = {("party", combo[0])} if combo[0] else set()
        posts |= {("committee", combo[1])} if combo[1] else set()
        return allowed is None or posts <= allowed

    for u in sorted(units):
        idx = [i for i, r in enumerate(rows) if r["unit"] == u]
        for j, p in enumerate(pool):
            if p["unit"] not in (None, u):
                continue
            out += [[Step("add", None, j, c[0], c[1], idx[-1])] for c in ADD_COMBOS if fits(j, c)]
            for i in idx:
                r = rows[i]
                c = (r["party_post"], r["committee_post"])
                if r["party_post"] != "书记" and r["committee_post"] != "主任" and fits(j, c):
                    out.append([Step("replace", i, j, r["party_post"], r["committee_post"], i)])
        sec = [i for i in idx if rows[i]["party_post"] == "书记" and rows[i]["committee_post"] != "主任"]
        dirs = [i for i in idx if rows[i]["committee_post"] == "主任"]
        if sec:
            pair = [Step("also_stand", sec[0], None, "书记", "主任", sec[0])]
            pair += [Step("move", dirs[0], None, rows[dirs[0]]["party_post"], "委员", dirs[0])] if dirs else []
            out.append(pair)
        for i in idx:
            r = rows[i]
            if r["party_post"] and not r["committee_post"] and r["party_post"] != "书记":
                out.append([Step("also_stand", i, None, r["party_post"], "委员", i)])
            if r["committee_post"] and not r["party_post"] and r["committee_post"] != "主任":
                out.append([Step("also_stand", i, None, "委员", r["committee_post"], i)])
    return out


@pytest.mark.parametrize("seed", range(4))
def test_brute_force_minimum(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    d = District()
    d.village("甲村", defect=rnd.choice(["noyoung", "nowoman", "split", "combo"]))
    for _ in range(3):
        d.reserve(woman=rnd.random() < 0.5, age=rnd.choice([28, 33, 40, 50]), unit=rnd.choice(["甲村", None]),
                  posts=rnd.choice(["村(居)委会委员", "党组织委员", "", "党组织委员、村(居)委会委员"]),
                  member=rnd.random() < 0.6)
    roster_path, pool_path = d.write(tmp_path)
    inp = _inputs(roster_path, pool_path, max_changes=2)
    pol = inp.policy
    before = evaluate(inp.roster, pol, as_of=AS_OF)
    before_ids = {finding_id(f) for f in before}
    best = (_score(before, before_ids), 0)
    cands = _candidates(inp)
    for n in (1, 2):
        for combo in itertools.combinations(cands, n):
            steps = [s for c in combo for s in c]
            if len(steps) > 2:
                continue
            pools = [s.pool for s in steps if s.pool is not None]
            rows = [s.row for s in steps if s.row is not None]
            if len(set(pools)) < len(pools) or len(set(rows)) < len(rows):
                continue
            slate, _, _ = apply_steps(inp.roster, inp.pool.roster, steps)
            after = evaluate(slate, pol, as_of=AS_OF)
            if any(finding_id(f) not in before_ids for f in after):
                continue  # a change that brings a new finding is never proposed
            best = min(best, (_score(after, before_ids), len(steps)))
    plan = suggest(inp)
    after = evaluate(plan.slate, pol, as_of=AS_OF)
    assert plan.new_findings == [] and not [f for f in after if finding_id(f) not in before_ids]
    assert (_score(after, before_ids), len(plan.changes)) == best


def test_bad_pool_and_missing_solver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d, _ = _district(tmp_path)
    roster_path, pool_path = d.write(tmp_path)
    text = pool_path.read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace("村(居)委会委员", "村长")
    pool_path.write_text("\n".join(text) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["suggest", str(roster_path), "--reserve", str(pool_path), "--as-of", "2021-01-10"])
    assert res.exit_code == 2
    assert "村长" in res.output and f"{pool_path}:4" in res.output

    import builtins

    real = builtins.__import__

    def no_highspy(name, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        if name == "highspy":
            raise ImportError(name)
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_highspy)
    res = runner.invoke(app, ["suggest", str(roster_path), "--reserve", str(pool_path)])
    assert res.exit_code == 2
    assert "vetting[suggest]" in res.output


def test_time_limit_is_reported() -> None:
    from vetting.suggest.solver import Model

    m = Model()
    xs = [m.var(f"x{i}", 0, 1) for i in range(60)]
    # a knapsack-like model that takes more than no time at all
    m.row({x: 3 + (i * 7) % 11 for i, x in enumerate(xs)}, -float("inf"), 101)
    res = m.solve([{x: -(5 + (i * 13) % 17) for i, x in enumerate(xs)}], time_limit=1e-9)
    assert res.status == "time_limit"


def test_readme_worked_example_is_the_commands_output() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- suggest-example", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    res = runner.invoke(app, ["suggest", "examples/二七区两委换届拟任人选.csv", "--reserve",
                              "examples/二七区后备人选台账.xlsx", "--as-of", "2021-01-10"])
    assert res.exit_code == 1, res.output
    lines = res.stdout.splitlines()
    assert lines[: len(block.splitlines())] == block.splitlines()
    summary = readme.split("and ends with\n\n```text\n", 1)[1].split("```", 1)[0].strip()
    assert lines[-1] == summary
    # the workbook, whose 单位信息 sheet declares the seats
    part = readme.split("<!-- suggest-units-example", 1)[1]
    block = part.split("```text\n", 1)[1].split("```", 1)[0]
    res = runner.invoke(app, ["suggest", "examples/二七区两委换届拟任人选.xlsx", "--reserve",
                              "examples/二七区后备人选台账.xlsx", "--as-of", "2021-01-10"])
    assert res.exit_code == 1, res.output
    lines = res.stdout.splitlines()
    assert lines[: len(block.splitlines())] == block.splitlines()
    summary = part.split("ending with\n\n```text\n", 1)[1].split("```", 1)[0].strip()
    assert lines[-1] == summary


def test_example_pool_script_reproduces_the_bundled_file(tmp_path: Path) -> None:
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("make_pool", root / "examples" / "make_pool.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "pool.xlsx"
    mod.write(out)
    assert out.read_bytes() == (root / "examples" / "二七区后备人选台账.xlsx").read_bytes()


def test_group_target_is_met_across_units(tmp_path: Path) -> None:
    """Women are 10 of the township's 40 members (25%); the policy wants 30%. Each change adds
    at most one woman, so two changes are needed, and two are enough only if the denominator
    stays 40 (12/40 = 30%; an add makes it 12/41 or 12/42, below 30%): the minimal plan is two
    replacements, in the earliest units, by the earliest pool people."""
    policy = tmp_path / "women.yaml"
    policy.write_text("policy: women-30\nextends: national\nparams: {women_share_target: 0.3}\n", encoding="utf-8")
    d = District()
    units = [d.village(f"{n}村") for n in "甲乙丙丁戊己庚辛壬癸"]
    pool = [d.reserve(woman=True, age=30, unit=None) for _ in range(3)]
    roster_path, pool_path = d.write(tmp_path)
    out = tmp_path / "slate.xlsx"
    args = ["suggest", str(roster_path), "--reserve", str(pool_path), "--as-of", "2021-01-10", "-p", str(policy)]
    res = runner.invoke(app, [*args, "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [(c["action"], c["unit"]["unit"], c["name"], c["replaces_name"], c["fixes"]) for c in doc["changes"]] == [
        ("replace", "甲村", pool[0].name, units[0][3].name, ["ST009"]),
        ("replace", "乙村", pool[1].name, units[1][3].name, ["ST009"]),
    ]
    town = next(g for g in doc["after"]["groups"] if g["level"] == "township")
    assert (town["women"], town["mem"]) == (12, 40)
    assert runner.invoke(app, [*args, "-f", "xlsx", "-o", str(out)]).exit_code == 0
    pol = load_policies([str(policy)])
    slate = load_roster([out], fields=pol.fields.values())  # as a user lints it: every sheet
    assert [s[1] for s in slate.skipped_sheets] == ["调整说明"]  # the change list is not a roster
    after = evaluate(slate, pol, as_of=AS_OF)
    assert after == []  # the slate as written, read back: not one finding


def test_pool_data_quality_errors_exclude_a_person(tmp_path: Path) -> None:
    d = District()
    d.village("甲村", defect="noyoung")
    for n in range(9):
        d.village(f"好{n}村")
    bad = d.reserve(woman=False, age=28, unit="甲村")
    good = d.reserve(woman=False, age=29, unit="甲村")
    roster_path, pool_path = d.write(tmp_path)
    wrong = bad.id[:-1] + ("0" if bad.id[-1] != "0" else "1")  # a wrong check character
    pool_path.write_text(pool_path.read_text(encoding="utf-8").replace(bad.id, wrong), encoding="utf-8")
    res = runner.invoke(app, ["suggest", str(roster_path), "--reserve", str(pool_path), "--as-of", "2021-01-10"])
    assert res.exit_code == 0, res.output
    assert f"增补  {good.name}（后备人选第3行" in res.stdout
    assert f"2  │ {bad.name}" in res.stdout and "校验" in res.stdout
    assert wrong not in res.stdout  # masked


def test_a_plan_the_linter_rejects_is_cut_and_solved_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The model is told the 村委会 may have 99 members, so it adds a young member to a full
    村委会 of 7; the real linter then reports EL004 (a new finding), that plan is cut, and the
    next one replaces a member instead."""
    import vetting.suggest.plan as plan_module

    d = District()
    members = d.village("甲村", defect="noyoung")
    for _ in range(4):
        members.append(d.person(woman=False, age=44, party="委员", committee="委员"))
    for n in range(9):
        d.village(f"好{n}村")
    d.reserve(woman=False, age=29, unit="甲村")
    roster_path, pool_path = d.write(tmp_path)
    monkeypatch.setattr(plan_module, "COMMITTEE_SIZE", {"村": (3, 99), "社区": (5, 99)})
    plan = suggest(_inputs(roster_path, pool_path))
    assert plan.cuts == 1 and plan.new_findings == []
    assert [(c.action, c.replaces_name) for c in plan.changes] == [("replace", members[3].name)]


def test_pool_order_tie_break_is_lexicographic(tmp_path: Path) -> None:
    """丁村 needs a member aged 35 or under and a woman on the 村委会; two adds are needed
    (nobody in the pool is both). Pool rows 1 (young man) and 3 (woman) are near relatives and
    may not sit on one 村委会, so the plans are {1, 4}, {2, 3} and {2, 4}: the smallest sum of
    rows would take {2, 3}; the lexicographically smallest list is [1, 4]."""
    d = District()
    d.village("丁村", defect="combo")
    for n in range(9):
        d.village(f"好{n}村")
    p1 = d.reserve(woman=False, age=28, unit="丁村")
    p2 = d.reserve(woman=False, age=29, unit="丁村")
    p3 = d.reserve(woman=True, age=40, unit="丁村", relative_of=p1)
    p4 = d.reserve(woman=True, age=41, unit="丁村")
    roster_path, pool_path = d.write(tmp_path)
    plan = suggest(_inputs(roster_path, pool_path))
    assert sorted(c.name for c in plan.changes) == sorted([p1.name, p4.name])
    assert not plan.unmet and plan.new_findings == []
    assert p2 and p3


def test_example_plan_applied_and_linted(tmp_path: Path) -> None:
    """The bundled example: the proposed slate, written and read back, has no new finding and
    none of the targets the plan says it meets."""
    out = tmp_path / "slate.xlsx"
    args = ["suggest", "examples/二七区两委换届拟任人选.xlsx", "--reserve", "examples/二七区后备人选台账.xlsx",
            "--as-of", "2021-01-10"]
    res = runner.invoke(app, [*args, "-f", "json"])
    doc = json.loads(res.stdout)
    assert runner.invoke(app, [*args, "-f", "xlsx", "-o", str(out)]).exit_code == 1
    # linted with the unit table of the roster workbook (the slate's file has none of its own)
    from vetting.units.load import attach, load_units, units_for

    book = "examples/二七区两委换届拟任人选.xlsx"
    pol = load_policies(["national"])

    def lint(path: str):  # noqa: ANN202
        roster = load_roster([path], fields=pol.fields.values())
        attach(roster, load_units(units_for([book], book), roster))
        return evaluate(roster, pol, as_of=AS_OF)

    before, after = lint(book), lint(str(out))
    before_ids = {finding_id(f) for f in before}
    assert [f.code for f in after if finding_id(f) not in before_ids] == []
    assert "PR010" in {f.code for f in before} and "PR010" not in {f.code for f in after}
    left = sorted(f.code for f in after if f.code in TARGET_CODES)
    assert left == sorted(u["code"] for u in doc["unmet"])
    assert {u["code"] for u in doc["unmet"]} == {"ST001", "ST002", "ST004", "ST005", "ST006", "ST007",
                                                 "EL004", "EL005", "EL007"}
