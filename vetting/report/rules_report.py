"""`vetting rules` and `vetting explain`: the rule catalogue from the policy data itself."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..display import fmt_share
from ..dq import BUILTIN_RULES, DQ_RULES, RV_RULES, WV_RULES, BuiltinRule
from ..errors import UserError
from ..policy.model import All, AnyOf, Expect, Leaf, Not, Rule
from ..policy.operators import OPERATORS
from ..policy.resolve import SHIPPED_PREFIX, EffectivePolicy, EffectiveRule, shipped_policies_dir


def _operand(v: Any, policy: EffectivePolicy, en: bool) -> str:
    if isinstance(v, str) and v.startswith("$"):
        name = v[1:]
        val = policy.param(name) if name in policy.params else "?"
        shown = fmt_share(val) if isinstance(val, float) and 0 < val < 1 else str(val)
        return f"{shown}（参数 {name}）" if not en else f"{shown} (param {name})"
    if v == "as_of":
        return "基准日" if not en else "as_of"
    if isinstance(v, list):
        return "、".join(map(str, v))
    if v is True:
        return "是" if not en else "yes"
    if v is False:
        return "否" if not en else "no"
    return str(v)


def describe(cond: Any, policy: EffectivePolicy, en: bool = False) -> str:
    """A condition in words, e.g. `刑事处罚 为 是，或 涉黑涉恶 为 是`."""
    fields = policy.all_fields
    if cond is None:
        return ""
    if isinstance(cond, All):
        return ("，且 " if not en else " and ").join(describe(c, policy, en) for c in cond.all)
    if isinstance(cond, AnyOf):
        inner = ("，或 " if not en else " or ").join(describe(c, policy, en) for c in cond.any)
        return f"（{inner}）" if not en else f"({inner})"
    if isinstance(cond, Not):
        return ("并非 " if not en else "not ") + describe(cond.not_, policy, en)
    assert isinstance(cond, Leaf)
    spec = fields.get(cond.field)
    name = (spec.title_en or cond.field) if en and spec else (spec.header if spec else cond.field)
    op, v = cond.operator, cond.operand
    return OPERATORS[op].describe(name, v, _operand(v, policy, en), en)


def _params_used(rule: Rule) -> list[str]:
    text = rule.model_dump_json(by_alias=True)
    import re

    names = re.findall(r'"\$([A-Za-z_][A-Za-z0-9_]*)"', text)
    for tmpl in (rule.message, rule.message_en):
        names += re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", tmpl or "")
    return list(dict.fromkeys(names))


def describe_rule(er: EffectiveRule, policy: EffectivePolicy, en: bool) -> str:
    rule = er.rule
    parts: list[str] = []
    if rule.when is not None:
        parts.append(describe(rule.when, policy, en))
    if rule.same_person is not None:
        parts.append(("the same person in more than one " + rule.same_person.across) if en else "同一人（身份证号码相同）出现在不止一个村(社区)")
    if rule.relatives is not None:
        among = describe(rule.relatives.among, policy, en)
        other = describe(rule.relatives.with_, policy, en) if rule.relatives.with_ else among
        parts.append(f"near relatives: {among} and {other} in one {rule.relatives.within}" if en
                     else f"同一{'村(社区)' if rule.relatives.within == 'unit' else rule.relatives.within}内互为近亲属：{among}；{other}")
    if parts:
        return ("; or " if en else "；或者 ").join(parts)
    if rule.facts is not None:
        from .facts_text import describe_facts

        return describe_facts(rule.facts, policy, en)
    for exp in rule.expectations:
        parts.append(_describe_expect(exp, policy, en))
    return "；".join(parts) if not en else "; ".join(parts)


def _describe_expect(exp: Expect, policy: EffectivePolicy, en: bool) -> str:
    m = exp.measure
    if m == "count":
        what = ("number of members" if en else "成员人数") if exp.count == "all" else (
            ("members with " if en else "满足条件的人数：") + describe(exp.count, policy, en))
    elif m == "share":
        what = ("share of members with " if en else "满足条件的比例：") + describe(exp.share, policy, en)
    else:
        what = f"{m} {getattr(exp, m)}"
    bounds = []
    for b in exp.BOUNDS:
        v = getattr(exp, b)
        if v is not None:
            bounds.append(f"{OPERATORS[b].en if en else OPERATORS[b].zh} {_operand(v, policy, en)}")
    where = f"（{describe(exp.where, policy, en)}）" if exp.where is not None else ""
    sev = f" [{exp.severity.value}]" if exp.severity else ""
    return f"{what}{where} {'; '.join(bounds) if en else '，'.join('应' + b for b in bounds)}{sev}"


def rules_json(policy: EffectivePolicy, *, lang: str = "zh", effective: bool = False) -> str:
    en = lang == "en"
    out: dict[str, Any] = {
        "policy": {"name": policy.name, "version": policy.version, "chain": [r.path for r in policy.chain]},
        "rules": [],
        "params": [],
    }
    for code, er in _builtin_then_policy(policy, DQ_RULES):
        if isinstance(er, BuiltinRule):
            out["rules"].append(_builtin_json(er, lang, effective))
            continue
        r = er.rule
        item: dict[str, Any] = {
            "code": code, "title": r.title_en if en and r.title_en else r.title, "category": r.category,
            "severity": r.severity.value, "scope": r.scope, "source": r.source.cite,
            "locked": r.locked, "what": describe_rule(er, policy, en),
        }
        if effective:
            item["defined_at"] = str(er.defined_at)
            item["severity_set_at"] = str(er.severity_at)
            item["set_at"] = {k: str(v) for k, v in er.set_at.items()}
        out["rules"].append(item)
    for b in [*WV_RULES.values(), *RV_RULES.values()]:
        out["rules"].append(_builtin_json(b, lang, effective))
    for name, p in policy.params.items():
        item = {"name": name, "value": p.spec.value if not hasattr(p.spec.value, "isoformat") else p.spec.value.isoformat(), "title": p.spec.title}
        if p.spec.description:
            item["description"] = p.spec.description  # filled with the effective values
        if effective:
            item["declared_at"] = str(p.declared_at)
            item["set_at"] = str(p.set_at)
        out["params"].append(item)
    out["disabled"] = {code: str(pos) for code, pos in policy.disabled.items()}
    if effective and SHIPPED_PREFIX in json.dumps(out, ensure_ascii=False):
        out["shipped"] = {"prefix": SHIPPED_PREFIX, "path": str(shipped_policies_dir())}  # what `<内置>/…` stands for
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def _builtin_then_policy(
    policy: EffectivePolicy, builtins: dict[str, BuiltinRule]
) -> list[tuple[str, BuiltinRule | EffectiveRule]]:
    """The built-in codes and the policy's rules of the same prefix (DQ009 is a policy rule) in
    code order, then the policy's other rules in the policy's order."""
    prefixes = {code[:2] for code in builtins}
    head: list[tuple[str, BuiltinRule | EffectiveRule]] = [
        (code, b) for code, b in builtins.items() if code not in policy.rules
    ]
    head += [(code, er) for code, er in policy.rules.items() if code[:2] in prefixes]
    rest = [(code, er) for code, er in policy.rules.items() if code[:2] not in prefixes]
    return sorted(head, key=lambda item: item[0]) + rest


def _builtin_json(b: BuiltinRule, lang: str, effective: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": b.code, "title": b.title(lang), "category": b.category, "severity": b.severity.value,
        "scope": b.scope, "source": b.source, "locked": False,
        "what": b.rationale_en if lang == "en" else b.rationale_zh, "builtin": True,
    }
    if effective:
        item["defined_at"] = item["severity_set_at"] = "built in"
        item["set_at"] = {}
    return item


def rules_markdown(policy: EffectivePolicy, *, lang: str = "zh") -> str:
    """The rule reference as Markdown (docs/rules.md is generated from this and checked by a test)."""
    en = lang == "en"
    chain = " → ".join(r.name + (f" {r.version}" if r.version else "") for r in policy.chain)
    out = [
        f"# {'Rule reference' if en else '规则一览'}: {chain}",
        "",
        "<!-- generated by `vetting rules --format markdown > docs/rules.md`; do not edit -->",
        "",
    ]
    by_category: dict[str, list[EffectiveRule]] = {}
    for er in policy.rules.values():
        by_category.setdefault(er.rule.category, []).append(er)
    out += ["## " + ("Data quality (built in)" if en else "数据质量（内置）"), "", "| code | title | severity |" if en else "| 代码 | 规则 | 级别 |", "| --- | --- | --- |"]
    for code, dq in DQ_RULES.items():
        if code not in policy.rules:
            out.append(f"| {code} | {dq.title(lang)} | {dq.severity.value} |")
    out.append("")
    out += ["## " + ("Waivers (built in)" if en else "豁免（内置）"), "", "| code | title | severity |" if en else "| 代码 | 规则 | 级别 |", "| --- | --- | --- |"]
    for code, wv in WV_RULES.items():
        out.append(f"| {code} | {wv.title(lang)} | {wv.severity.value} |")
    out.append("")
    out += ["## " + ("Joint review (built in)" if en else "联审（内置）"), "", "| code | title | severity |" if en else "| 代码 | 规则 | 级别 |", "| --- | --- | --- |"]
    for code, rv in RV_RULES.items():
        out.append(f"| {code} | {rv.title(lang)} | {rv.severity.value} |")
    out.append("")
    for category, items in by_category.items():
        out += [f"## {category}", ""]
        for er in items:
            r = er.rule
            title = (r.title_en or r.title) if en else r.title
            out.append(f"### {r.code} {title}")
            out.append("")
            out.append(f"- {'severity' if en else '级别'}: {r.severity.value}" + (" (locked)" if en and r.locked else "（法定，锁定）" if r.locked else ""))
            out.append(f"- {'scope' if en else '范围'}: {r.scope}" + (f" ({', '.join(r.levels)})" if r.levels else ""))
            if r.who is not None:
                out.append(f"- {'applies to' if en else '适用对象'}: {describe(r.who, policy, en)}")
            out.append(f"- {'checks' if en else '检查内容'}: {describe_rule(er, policy, en)}")
            out.append(f"- {'why' if en else '理由'}: {(r.rationale_en or r.rationale) if en else r.rationale}")
            src = policy.sources.get(r.source.ref or "")
            cite = r.source.cite + (f"（{src.title}）" if src is not None else "")
            out.append(f"- {'source' if en else '依据'}: {cite}")
            used = [n for n in _params_used(r) if n in policy.params]
            if used:
                out.append(f"- {'parameters' if en else '参数'}: " + "，".join(f"`{n}` = {policy.params[n].spec.value}" for n in used))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# `rules --effective` keeps the category, scope and source columns when this many cells are
# left beside the code, severity and file:line columns (and their padding); else it leaves
# them to `vetting rules` and lets the titles wrap.
_EFFECTIVE_ROOM = 50


def print_rules(policy: EffectivePolicy, console: Console, *, lang: str = "zh", effective: bool = False) -> None:
    en = lang == "en"
    chain = " → ".join(f"{r.name}" + (f" {r.version}" if r.version else "") for r in policy.chain)
    console.print(Text(("Policy: " if en else "政策：") + chain, style="bold"))
    items = [*_builtin_then_policy(policy, DQ_RULES), *WV_RULES.items(), *RV_RULES.items()]
    if effective:
        _print_effective(policy, items, console, en)
        return
    table = Table(box=box.SIMPLE_HEAD)
    for h in (("代码", "code"), ("规则", "rule"), ("类别", "category"), ("级别", "severity"), ("范围", "scope"), ("依据", "source")):
        table.add_column(h[1] if en else h[0])
    for code, item in items:
        if isinstance(item, BuiltinRule):
            table.add_row(code, item.title(lang), item.category, item.severity.value, item.scope, item.source)
            continue
        r = item.rule
        table.add_row(code, (r.title_en or r.title) if en else r.title, r.category, r.severity.value, r.scope, r.source.cite)
    console.print(table)
    _print_standards(policy, console, en)


def _print_effective(
    policy: EffectivePolicy, items: list[tuple[str, BuiltinRule | EffectiveRule]], console: Console, en: bool
) -> None:
    """Where each rule and parameter takes its effective value from: the file:line column is
    never cut or wrapped (it is what the option is for); the titles wrap, and on a narrow
    terminal the category, scope and source columns are left out (a note says so)."""
    lang = "en" if en else "zh"
    rows: list[tuple[list[str], str]] = []  # (code, title, category, severity, scope, source), where
    for code, item in items:
        if isinstance(item, BuiltinRule):
            rows.append(([code, item.title(lang), item.category, item.severity.value, item.scope, item.source],
                         "built in" if en else "内置"))
            continue
        r = item.rule
        where = str(item.defined_at)
        if item.severity_at != item.defined_at and "severity" in item.set_at:
            where += f"\n{'severity' if en else '级别'}: {item.severity_at}"
        rows.append(([code, (r.title_en or r.title) if en else r.title, r.category, r.severity.value, r.scope, r.source.cite], where))
    where_head = "defined / severity set at" if en else "定义 / 级别设定于"
    where_width = max(cell_len(line) for _, w in rows for line in [where_head, *w.split("\n")])
    code_width = max(cell_len(c[0]) for c, _ in rows)
    room = console.width - where_width - code_width - len("warning") - 4 * 2
    wide = room >= _EFFECTIVE_ROOM
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("code" if en else "代码", no_wrap=True)
    table.add_column("rule" if en else "规则", overflow="fold", ratio=2)
    if wide:
        table.add_column("category" if en else "类别", overflow="fold", ratio=1)
    table.add_column("severity" if en else "级别", no_wrap=True)
    if wide:
        table.add_column("scope" if en else "范围", overflow="fold", ratio=1)
        table.add_column("source" if en else "依据", overflow="fold", ratio=2)
    table.add_column(where_head, no_wrap=True, min_width=where_width)
    for (code, title, category, severity, scope, source), where in rows:
        cells = [code, title, category, severity, scope, source] if wide else [code, title, severity]
        table.add_row(*cells, where)
    console.print(table)
    if not wide:
        console.print(Text(
            "(narrow terminal: category, scope and source are in `vetting rules`)" if en
            else "（终端较窄：类别、范围、依据见 vetting rules）", style="dim"))
    pt = Table(title="Parameters" if en else "参数", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    pt.add_column("param" if en else "参数", no_wrap=True)
    pt.add_column("value" if en else "值", overflow="fold")
    pt.add_column("meaning" if en else "含义", overflow="fold")
    set_widths = [cell_len(str(p.set_at)) for p in policy.params.values()]
    pt.add_column("set at" if en else "设定于", no_wrap=True, min_width=max(set_widths, default=0))
    for name, p in policy.params.items():
        pt.add_row(name, str(p.spec.value), (p.spec.title_en or p.spec.title) if en else p.spec.title, str(p.set_at))
    console.print(pt)
    if policy.disabled:
        console.print(("Disabled: " if en else "已停用：") + "，".join(f"{c}（{pos}）" for c, pos in policy.disabled.items()))
    shipped = [str(p) for p in [*(e.defined_at for e in policy.rules.values()), *(p.set_at for p in policy.params.values())]]
    if any(s.startswith(SHIPPED_PREFIX) for s in shipped):
        console.print(Text(
            f"{SHIPPED_PREFIX} = {shipped_policies_dir()}"
            + (" (the shipped policies)" if en else "（随附政策所在目录）"), style="dim", overflow="fold"))
    _print_standards(policy, console, en)


def _print_standards(policy: EffectivePolicy, console: Console, en: bool) -> None:
    for std in policy.standards:
        head = f"{'Selection standard' if en else '选人标准'}：{std.name}" + (f"（{std.region}）" if std.region else "")
        console.print(Text(head, style="bold"))
        console.print("  " + "、".join(std.items))
        if std.note:
            console.print(Text("  " + std.note, style="dim"))


def print_explain(policy: EffectivePolicy, code: str, console: Console, *, lang: str = "zh") -> None:
    en = lang == "en"
    if code in BUILTIN_RULES and code not in policy.rules:
        b = BUILTIN_RULES[code]
        console.print(Text(f"{code}  {b.title(lang)}", style="bold"))
        console.print(f"{'severity' if en else '级别'}: {b.severity.value}    {'category' if en else '类别'}: {b.category}")
        console.print(b.rationale_en if en else b.rationale_zh)
        console.print(("source: " if en else "依据：") + b.source)
        return
    er = policy.rules.get(code)
    if er is None:
        import difflib

        close = difflib.get_close_matches(code, list(policy.rules) + list(BUILTIN_RULES), n=3)
        raise UserError(
            f"政策 {policy.name} 中没有规则 {code} / no rule {code}",
            hint=("是否要找：" + "、".join(close)) if close else "用 vetting rules 查看全部规则",
        )
    r = er.rule
    console.print(Text(f"{code}  {(r.title_en or r.title) if en else r.title}", style="bold"))
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="dim", no_wrap=True)
    meta.add_column(overflow="fold")
    meta.add_row("category" if en else "类别", r.category)
    meta.add_row("severity" if en else "级别", r.severity.value + ("  (locked)" if en and r.locked else "（法定，已锁定）" if r.locked else ""))
    meta.add_row("scope" if en else "范围", r.scope + (f" ({', '.join(r.levels)})" if r.levels else ""))
    if r.who is not None:
        meta.add_row("applies to" if en else "适用对象", describe(r.who, policy, en))
    if r.members is not None:
        meta.add_row("members" if en else "统计对象", describe(r.members, policy, en))
    meta.add_row("checks" if en else "检查内容", describe_rule(er, policy, en))
    meta.add_row("why" if en else "理由", (r.rationale_en or r.rationale) if en else r.rationale)
    src = policy.sources.get(r.source.ref or "")
    cite = r.source.cite
    if src is not None:
        cite += f" — {src.title}" + (f"，{src.issuer}" if src.issuer else "") + (f"，{src.date}" if src.date else "")
        if src.region:
            cite += f"（{src.region}）"
        if src.doc:
            cite += f"\n{src.doc}"
    meta.add_row("source" if en else "依据", cite)
    meta.add_row("defined at" if en else "定义于", str(er.defined_at))
    console.print(meta)
    used = [name for name in _params_used(r) if name in policy.params]
    if used:
        pt = Table(title="Parameters" if en else "参数", box=box.SIMPLE_HEAD, title_justify="left")
        for h in (("参数", "param"), ("生效值", "value"), ("含义", "meaning"), ("设定于", "set at")):
            pt.add_column(h[1] if en else h[0], overflow="fold" if h[0] == "含义" else "ellipsis")
        for name in used:
            p = policy.params.get(name)
            if p is not None:
                meaning = (p.spec.title_en or p.spec.title) if en else p.spec.title
                if p.spec.description and not en:  # filled with the effective values (policy.texts)
                    meaning += f"：{p.spec.description}"
                pt.add_row(name, str(p.spec.value) + (p.spec.unit or ""), meaning, str(p.set_at))
        console.print(pt)
    _examples(policy, code, console, en)


@functools.lru_cache(maxsize=256)
def _test_file(path: Path, mtime: float) -> Any:
    from ..policy.testfile import load_test_file

    try:
        return load_test_file(path)[0]
    except UserError:
        return None


def _file_of(shown: str) -> Path:
    """The file a displayed policy path names (`<内置>/national/…` is under the shipped policies)."""
    if shown.startswith(SHIPPED_PREFIX + "/"):
        return (shipped_policies_dir() / shown[len(SHIPPED_PREFIX) + 1:]).resolve()
    return Path(shown).resolve()


def _examples(policy: EffectivePolicy, code: str, console: Console, en: bool) -> None:
    from ..policy.testfile import find_test_files

    layers = [_file_of(ref.path).parent for ref in policy.chain]
    roots = set(layers)
    used = [n for n in _params_used(policy.rules[code].rule) if n in policy.params] if code in policy.rules else []

    def changed_after(root: Path) -> set[str]:
        """The parameters of the rule set by a policy below the one a test folder tests: its
        examples were written for other values."""
        mine = layers.index(root) if root in layers else len(layers)
        out = set()
        for name in used:
            where = _file_of(policy.params[name].set_at.path).parent
            if where in layers and layers.index(where) > mine:
                out.add(name)
        return out

    failing = passing = None
    stale: set[str] = set()
    for root in sorted(roots):
        changed = changed_after(root)
        for path in find_test_files(root):
            tf = _test_file(path, path.stat().st_mtime)
            if tf is None or code not in tf.codes:
                continue
            for case in tf.cases:
                if changed - set(case.params):
                    stale |= changed - set(case.params)
                    continue
                fires = any(e.code == code for e in case.expect)
                if fires and failing is None:
                    failing = (case, tf)
                if not fires and passing is None:
                    passing = (case, tf)
    if stale and (failing is None or passing is None):
        names = ", ".join(sorted(stale))
        console.print(Text(
            f"(the shipped examples were written for other values of {names}: not shown)" if en
            else f"（上级政策随附的其他例子按 {names} 的原值写成，本政策已改，不列出）", style="dim"))
    for label, ex in ((("Failing example", "不通过的例子"), failing), (("Passing example", "通过的例子"), passing)):
        if ex is None:
            continue
        case, tf = ex
        console.print(Text(f"{label[0] if en else label[1]}：{case.name}", style="bold"))
        if case.params:
            shown_params = "，".join(f"{k} = {v}" for k, v in case.params.items())
            console.print(f"  {'with parameters' if en else '参数设为'} {shown_params}")
        for i, row in enumerate(case.rows, 1):
            shown = "，".join(f"{k}: {v}" for k, v in row.items())
            console.print(f"  {'row' if en else '第'}{i}{'' if en else '行'}  {shown}")
        for i, row in enumerate(case.units or [], 1):
            shown = "，".join(f"{k}: {v}" for k, v in row.items())
            console.print(f"  {'unit table row' if en else '单位信息第'}{i}{'' if en else '行'}  {shown}")
        if case.expect:
            console.print("  → " + "；".join(f"{e.code}" + (f" 第{e.row}行" if e.row else f" {e.unit or e.township or e.district or ''}") for e in case.expect))
        else:
            console.print("  → " + ("no finding" if en else "无问题"))


