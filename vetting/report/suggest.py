"""Render a slate plan (`vetting suggest`): console and JSON. ID numbers masked unless asked."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.table import Table

from .. import __version__
from ..messages import Catalogue, text
from ..pii import mask_id, scrub_text
from ..suggest.model import Change, Plan, Target

_TEXT = Catalogue(__name__, {
    "figure.mem": ("“两委”成员", "两委 members"),
    "figure.party": ("党组织委员会", "Party committee"),
    "figure.comm": ("村(居)委会", "villagers' committee"),
    "figure.cross": ("交叉任职", "cross-appointed"),
    "figure.women_comm": ("村(居)委会女性", "women on the villagers' committee"),
    "figure.young": ("35岁以下", "35 or under"),
    "figure.college": ("大专以上", "college or above"),
    "figure.women": ("女性", "women"),
    "figure.one": ("一肩挑", "secretary also director"),
    "status.optimal": ("最优解", "optimal"),
    "status.time_limit": ("达到求解时限，给出目前最好的方案", "time limit reached: the best plan found so far"),
})
FIGURES = ("mem", "party", "comm", "cross", "women_comm", "young", "college", "women", "one")  # in listing order
GROUP_FIGURES = ("one", "sec", "college", "women", "mem")
EXCLUDED_SHOWN = 30  # the console lists every excluded pool person up to this many


def _id(value: str | None, show_pii: bool) -> str | None:
    return value if show_pii or value is None else mask_id(value)


def _text(value: str | None, show_pii: bool) -> str | None:
    return value if show_pii or value is None else scrub_text(value)


def _unit_label(u: tuple[str, ...] | list[str]) -> str:
    return "".join(p for p in u[1:] if p) or "".join(u)


def _changed_figures(before: dict[str, int], after: dict[str, int], youth: str = "35岁以下") -> list[str]:
    out = []
    for k in FIGURES:
        label = _TEXT.text(f"figure.{k}")
        if before.get(k) != after.get(k):
            out.append(f"{youth if k == 'young' else label} {before.get(k, 0)} → {after.get(k, 0)}")
    return out


def _share(n: int, d: int) -> str:
    return f"{n}/{d} = {n / d:.1%}" if d else "—"


def _summary(plan: Plan) -> str:
    counts: dict[str, int] = defaultdict(int)
    for c in plan.changes:
        counts[c.action] += 1
    parts = [text("action." + a) + str(n) for a, n in counts.items()]
    met = sum(1 for t in plan.targets if t.met)
    return (f"共{len(plan.changes)}项调整（{'、'.join(parts) or '无'}）；"
            f"未达到的目标{len(plan.targets)}项中可满足{met}项，仍有{len(plan.unmet)}项无法满足")


def print_report(plan: Plan, console: Console, *, show_pii: bool = False) -> None:
    console.print(f"[bold]后备人选调整方案[/bold]  名单：{plan.roster_path}  后备人选：{plan.pool_path}  基准日：{plan.as_of}")
    status = _TEXT.text(f"status.{plan.status}") if f"status.{plan.status}" in _TEXT.entries else plan.status
    if plan.status == "time_limit":
        gap = f"，与最优的差距不超过 {plan.gap:.1%}" if plan.gap is not None else ""
        console.print(f"[yellow]注意：{status}{gap}（可用 --time-limit 放宽）[/yellow]")
    for note in plan.notes:
        console.print(f"[yellow]注意：{note}[/yellow]")
    by_unit: dict[tuple[str, ...], list[Change]] = defaultdict(list)
    for c in plan.changes:
        by_unit[c.unit].append(c)
    figures = {tuple(u["unit"]): u for u in plan.figures.get("units", [])}
    township = None
    if not plan.changes:
        console.print("\n没有可提出的调整。")
    for ukey, changes in by_unit.items():
        if ukey[1] != township:
            township = ukey[1]
            console.print(f"\n[bold]【{ukey[1] or ukey[0]}】[/bold]")
        console.print(f"  [bold]{ukey[2]}[/bold]")
        for c in changes:
            who = c.name
            if c.pool_row is not None:
                who += f"（后备人选第{c.pool_row}行，{_id(c.id_number, show_pii) or '无身份证号'}）"
            elif c.roster_row is not None:
                who += f"（名单第{c.roster_row}行）"
            if c.action == "replace":
                what = f"接替 {c.replaces_name}（名单第{c.roster_row}行），任{c.post_text}"
            elif c.action == "remove":
                what = f"退出拟任人选（原任{Change(c.action, c.unit, '', '', None, *c.was).post_text}）"
            elif c.action == "move":
                what = f"村(居)委会{c.was[1]}改任{c.committee_post}（调整后：{c.post_text}）"
            elif c.action == "also_stand":
                extra = [f"党组织{c.party_post}" for _ in [0] if c.party_post and c.party_post != c.was[0]]
                extra += [f"村(居)委会{c.committee_post}" for _ in [0] if c.committee_post and c.committee_post != c.was[1]]
                what = f"另任{'、'.join(extra)}（调整后：{c.post_text}）"
            else:
                what = f"任{c.post_text}"
            fixes = f"  [dim]解决 {' '.join(c.fixes)}[/dim]" if c.fixes else ""
            console.print(f"    {text('action.' + c.action)}  {who} {what}{fixes}")
        fig = figures.get(ukey)
        if fig:
            changed = _changed_figures(fig["before"], fig["after"])
            if changed:
                console.print(f"    [dim]调整前→后：{'；'.join(changed)}[/dim]")
    groups = [g for g in plan.figures.get("groups", []) if g["before"] != g["after"]]
    if groups:
        console.print("\n[bold]乡镇(街道)、县(市、区)的比例（调整前 → 后）[/bold]")
        t = Table(show_edge=False, pad_edge=False)
        for h in ("范围", "一肩挑", "大专以上", "女性"):
            t.add_column(h)
        for g in groups:
            b, a = g["before"], g["after"]
            t.add_row(
                "".join(p for p in g["group"] if p) or "全部名单",
                f"{_share(b['one'], b['sec'])} → {_share(a['one'], a['sec'])}",
                f"{_share(b['college'], b['mem'])} → {_share(a['college'], a['mem'])}",
                f"{_share(b['women'], b['mem'])} → {_share(a['women'], a['mem'])}",
            )
        console.print(t)
    if plan.targets:
        console.print("\n[bold]调整前未达到的目标[/bold]")
        t = Table(show_edge=False, pad_edge=False)
        for h in ("代码", "范围", "调整前", "调整后", "说明"):
            t.add_column(h)
        for x in plan.targets:
            if x.met:
                t.add_row(x.code, x.group, _text(x.before, show_pii) or "", "[green]已满足[/green]", "")
            else:
                t.add_row(x.code, x.group, _text(x.before, show_pii) or "", f"[red]{_text(x.after, show_pii)}[/red]",
                          f"缺{x.shortfall:g}人；{x.relaxation or ''}")
        console.print(t)
    if plan.excluded:
        # every one when few; else those with an error-level finding, the others counted
        shown = plan.excluded if len(plan.excluded) <= EXCLUDED_SHOWN else [e for e in plan.excluded if e.error]
        console.print("\n[bold]不能提出的后备人选[/bold]")
        t = Table(show_edge=False, pad_edge=False)
        for h in ("行", "姓名", "身份证号", "原因"):
            t.add_column(h)
        for e in shown:
            t.add_row(str(e.pool_row), e.name, _id(e.id_number, show_pii) or "", _text(e.reason, show_pii) or "")
        if shown:
            console.print(t)
        rest = [e for e in plan.excluded if e not in shown]
        if rest:
            why: dict[str, int] = defaultdict(int)
            for e in rest:
                for code in e.codes or ("可任职务不符" if "可任职务" in e.reason else "其他",):
                    why[code] += 1
            counts = "、".join(f"{k} {n}人" for k, n in sorted(why.items()))
            console.print(f"另有{len(rest)}人任职后会带来新的问题或可任职务不符，未予考虑（{counts}；名单见 -f json 的 excluded_pool）")
    console.print(f"\n{_summary(plan)}")


def _target(t: Target, show_pii: bool) -> dict[str, Any]:
    return {
        "code": t.code, "level": t.level, "group": t.group,
        "unit": list(t.unit) if t.unit else None, "row": t.row, "met": t.met,
        "before": _text(t.before, show_pii), "after": _text(t.after, show_pii),
        "shortfall": t.shortfall, "relaxation": t.relaxation,
    }


def to_dict(plan: Plan, *, show_pii: bool = False) -> dict[str, Any]:
    def unit(u: tuple[str, ...]) -> dict[str, str]:
        return {"district": u[0], "township": u[1], "unit": u[2]}

    return {
        "tool": {"name": "vetting", "version": __version__},
        "as_of": plan.as_of,
        "roster": plan.roster_path,
        "pool": plan.pool_path,
        "status": plan.status,
        "gap": plan.gap,
        "summary": _summary(plan),
        "changes": [
            {
                "action": c.action, "unit": unit(c.unit), "person": c.person, "name": c.name,
                "id_number": _id(c.id_number, show_pii),
                "post": {"party": c.party_post, "committee": c.committee_post},
                "replaces": c.replaces, "replaces_name": c.replaces_name,
                "pool_row": c.pool_row, "roster_row": c.roster_row, "fixes": list(c.fixes),
            }
            for c in plan.changes
        ],
        "unmet": [
            {"code": t.code, "group": t.group, "shortfall": t.shortfall, "relaxation": t.relaxation,
             "figure": _text(t.after, show_pii)}
            for t in plan.unmet
        ],
        "targets": [_target(t, show_pii) for t in plan.targets],
        "before": {
            "units": [{"unit": unit(tuple(u["unit"])), **u["before"]} for u in plan.figures.get("units", [])],
            "groups": [{"level": g["level"], "group": g["group"], **g["before"]} for g in plan.figures.get("groups", [])],
        },
        "after": {
            "units": [{"unit": unit(tuple(u["unit"])), **u["after"]} for u in plan.figures.get("units", [])],
            "groups": [{"level": g["level"], "group": g["group"], **g["after"]} for g in plan.figures.get("groups", [])],
        },
        "excluded_pool": [
            {"pool_row": e.pool_row, "path": e.pool_path, "name": e.name, "id_number": _id(e.id_number, show_pii),
             "person": e.person, "codes": list(e.codes), "error": e.error, "reason": _text(e.reason, show_pii)}
            for e in plan.excluded
        ],
    }


def render_json(plan: Plan, *, show_pii: bool = False) -> str:
    return json.dumps(to_dict(plan, show_pii=show_pii), ensure_ascii=False, indent=2) + "\n"
