"""`--format html`: one self-contained page that reviewers would rather look at than read.

Everything is inline (CSS, a small script, SVG charts drawn here in Python); a Content Security
Policy forbids the page to load anything, so it works offline and a hostile value in a roster
cannot make it call out. Every value from the user's files is escaped.

Layout: a header with the summary figures as big numbers; charts of the roster's make-up
(age bands, education, and per township the women / 一肩挑 / cross-appointment shares against
the policy's targets); a filter bar; the findings as a drill-down district -> township -> unit ->
person of `<details>` sections with counts and severity badges (group findings at their
level); and the rules that fired, with their rationale and source (each finding links there
and carries a tooltip with the same).

The page is assembled here; its words are in `html_text`, its model (tree and figures) in
`html_model`, its charts in `html_charts`, its style and script in `html_assets/` (package data).
"""

from __future__ import annotations

from collections import Counter
from importlib.resources import files
from pathlib import Path

from ..findings import Finding, Severity
from ..messages import pick
from ..result import TOOL, LintResult
from . import ReportOptions, present_message, present_subject
from .html_charts import _charts, _pct
from .html_model import (
    _build_tree,
    _counts,
    _Node,
    _Person,
    _stats,
)
from .html_text import _T, LEVELS, SEVERITIES, e
from .ruleinfo import RuleInfo, rule_info

# ---------------------------------------------------------------------------------------------
# Findings


class _Renderer:
    def __init__(self, result: LintResult, opts: ReportOptions):
        self.result = result
        self.opts = opts
        self.t = _T(opts.lang)
        self.infos: dict[str, RuleInfo] = {}
        self.multi = len(result.inputs) > 1
        self.src_index = {}
        if result.roster is not None:
            self.src_index = {s.path: i for i, s in enumerate(result.roster.sources)}
        self.stats = _stats(result, self.t)

    def info(self, f: Finding) -> RuleInfo:
        if f.code not in self.infos:
            self.infos[f.code] = rule_info(self.result.policy, f.code, self.opts.lang, f)
        return self.infos[f.code]

    # -- pieces ---------------------------------------------------------------------------------
    def badges(self, counts: Counter[str], *, zeros: bool = False) -> str:
        out = []
        for sev in (*SEVERITIES, "waived"):
            n = counts.get(sev, 0)
            if n or zeros:
                out.append(f'<span class="b b-{sev}" title="{e(self.t.count(sev))}">{n}<i>{e(self.t.count(sev))}</i></span>')
        return f'<span class="badges">{"".join(out)}</span>'

    def where(self, f: Finding) -> str:
        loc = f.location
        bits = []
        if self.multi and loc.path:
            bits.append(Path(loc.path).name + (f"·{loc.sheet}" if loc.sheet else ""))
        if loc.cell:  # the cell names the row already
            bits.append(loc.cell)
        elif loc.row is not None:
            bits.append(self.t("row", n=loc.row))
        if loc.column:
            bits.append(loc.column)
        return " · ".join(bits)

    def finding(self, f: Finding) -> str:
        t, opts = self.t, self.opts
        info = self.info(f)
        sev = f.severity.value
        waived = f.waiver is not None
        msg = present_message(f.message, opts)
        s = present_subject(f.subject, opts)
        where = self.where(f)
        tip = f"{f.code} {f.title or info.title}" + (f" 〔{f.source or info.cite}〕" if f.source or info.cite else "") + (
            f"\n{info.rationale}" if info.rationale else "")
        search = " ".join(str(x) for x in (
            f.code, f.title or info.title, msg, s.name, s.id_number, s.district, s.township, s.unit, where, f.category,
            f.source or info.cite, t.sev(sev)) if x).lower()
        measure = ""
        m = f.measure
        if m is not None and m.value is not None and m.target is not None and 0 <= m.value <= 1.5 and 0 < m.target <= 1:
            measure = (f'<span class="meter" title="{e(_pct(m.value))} / {e(t("target"))} {e(_pct(m.target))}">'
                       f'<i class="{"ok" if m.value >= m.target else "low"}" style="width:{min(m.value, 1) * 100:.1f}%"></i>'
                       f'<b style="left:{m.target * 100:.1f}%"></b></span>')
        waiver = ""
        if waived:
            assert f.waiver is not None
            waiver = (f'<div class="waiver">{e(t("waived.by", reason=f.waiver.reason, by=f.waiver.approved_by, expires=f.waiver.expires))}</div>')
        cite = f'<a class="cite" href="#rule-{e(f.code)}">〔{e(f.source or info.cite or t("why"))}〕</a>'
        return (
            f'<div class="f s-{sev}{" is-waived" if waived else ""}" data-code="{e(f.code)}" data-sev="{sev}" '
            f'data-waived="{1 if waived else 0}" data-search="{e(search)}">'
            f'<span class="code c-{sev}" title="{e(tip)}">{e(f.code)}</span>'
            f'<span class="sev l-{"waived" if waived else sev}">{e(t("waived") if waived else t.sev(sev))}</span>'
            f'<div class="fb"><div class="fl1"><span class="ftitle">{e(f.title or info.title)}</span>'
            + (f'<span class="where">{e(where)}</span>' if where else "")
            + f'</div><div class="msg">{e(msg)} {measure}{cite}</div>{waiver}</div></div>'
        )

    def person(self, p: _Person) -> str:
        t, opts = self.t, self.opts
        first = p.findings[0]
        s = present_subject(first.subject, opts)
        rows = sorted({f.location.row for f in p.findings if f.location.row is not None})
        extra = []
        st = self.stats
        if st is not None and rows:
            src = self.src_index.get(first.location.path)
            if src is not None and (src, rows[0]) in st.rows:
                posts, age = st.rows[(src, rows[0])]
                if posts:
                    extra.append(posts)
                if age is not None:
                    extra.append(t("age", n=age))
        row_txt = pick(t.lang, "、", ", ").join(str(r) for r in rows)
        row_label = t("row", n=row_txt) if rows else ""
        name = s.name or pick(t.lang, "（姓名空白）", "(no name)")
        worst = max((f.severity.rank for f in p.findings if f.waiver is None), default=0)
        sev = {3: "error", 2: "warning", 1: "info"}.get(worst, "waived")
        return (
            f'<div class="person p-{sev}"><div class="ph"><span class="pname">{e(name)}</span>'
            f'<span class="pid">{e(s.id_number or "")}</span>'
            + "".join(f'<span class="pmeta">{e(x)}</span>' for x in extra)
            + (f'<span class="prow">{e(row_label)}</span>' if row_label else "")
            + "</div>"
            + "".join(self.finding(f) for f in p.findings)
            + "</div>"
        )

    def node(self, n: _Node, depth: int, n_siblings: int) -> str:
        t = self.t
        findings = list(n.all_findings())
        counts = _counts(findings)
        label = n.name if n.name else t("unnamed", level=t(f"level.{n.level}"))
        figures = []
        st = self.stats
        if st is not None and n.path in st.groups:
            units, people, members = st.groups[n.path]
            if n.level != "unit":
                figures.append(t("units_n", n=units))
                figures.append(t("people_n", n=people))
            else:
                figures.append(t("members_n", n=members))
        pwf = n.people_with_findings()
        if pwf:
            figures.append(t("with_findings", n=pwf))
        # Districts and units open; townships open only when there are few of them, so a county
        # report starts as a list of townships with their badges.
        is_open = n.level in ("district", "unit") or n_siblings <= 4
        body = [self.finding(f) for f in n.groups]
        body += [self.person(p) for p in n.people.values()]
        kids = list(n.children.values())
        body += [self.node(c, depth + 1, len(kids)) for c in kids]
        if st is not None and n.level != "unit" and st.levels and n.level in st.levels:
            nxt = st.levels.index(n.level) + 1
            if nxt < len(st.levels) and st.levels[nxt] == "unit":
                all_units = st.units_by_township.get(n.path, [])
                clean = [u for u in all_units if u not in n.children]
                if clean:
                    body.append(f'<div class="clean"><span>{e(t("clean_units"))}（{len(clean)}）</span>'
                                + "".join(f"<i>{e(u)}</i>" for u in clean) + "</div>")
        return (
            f'<details class="lvl lvl-{n.level}"{" open" if is_open else ""}><summary>'
            f'<span class="lname">{e(label)}</span><span class="lkind">{e(t(f"level.{n.level}"))}</span>'
            f'<span class="lfig">{e(" · ".join(figures))}</span>{self.badges(counts)}</summary>'
            f'<div class="lbody">{"".join(body)}</div></details>'
        )

    # -- sections -------------------------------------------------------------------------------
    def header(self) -> str:
        r, t = self.result, self.t
        p = r.policy
        c = r.counts()
        pol = p.name + (f" {p.version}" if p.version else "")
        if p.title:
            pol = pick(t.lang, f"{p.title}（{pol}）", f"{p.title} ({pol})")
        inputs = []
        for i in r.inputs:
            bits = [t("rows_n", n=i.rows)]
            if i.sheet:
                bits.insert(0, f"{t('sheet')} {i.sheet}")
            inputs.append(f'<li><span class="path">{e(i.path)}</span><span class="dim">{e(" · ".join(bits))}</span></li>')
        if c["error"]:
            verdict, vcls = t("verdict_fail", n=c["error"]), "v-fail"
        elif c["warning"]:
            verdict, vcls = t("verdict_warn", n=c["warning"]), "v-warn"
        else:
            verdict, vcls = t("verdict_ok"), "v-ok"
        big = "".join(
            f'<div class="big k-{k}"><b>{c[k]}</b><span>{e(t.count(k))}</span></div>' for k in (*SEVERITIES, "waived")
        )
        big2 = "".join(
            f'<div class="big k-n"><b>{v}</b><span>{e(t(k))}</span></div>'
            for k, v in (("rows", r.rows), ("people", r.people), ("units", r.units))
        )
        return (
            f'<header class="top"><div class="wrap"><div class="brand">{e(t("title"))}</div>'
            f'<div class="meta"><span><i>{e(t("head.policy"))}</i>{e(pol)}</span>'
            f'<span><i>{e(t("head.as_of"))}</i>{e(r.as_of_text(self.opts.lang == "en"))}</span></div>'
            f'<ul class="inputs"><li class="lab">{e(t("head.inputs"))}</li>{"".join(inputs)}</ul></div></header>'
            f'<section class="wrap summary"><div class="verdict {vcls}">{e(verdict)}</div>'
            f'<div class="bigs" id="summary">{big}<div class="sep"></div>{big2}</div></section>'
        )

    def filters(self, codes: Counter[str]) -> str:
        t = self.t
        opts = "".join(
            f'<option value="{e(code)}">{e(code)} {e(self.infos[code].title)}（{n}）</option>'
            for code, n in sorted(codes.items())
        )
        chips = "".join(
            f'<label class="chip ch-{sev}"><input type="checkbox" data-sev="{sev}" checked>{e(t.count(sev))}</label>'
            for sev in (*SEVERITIES, "waived")
        )
        return (
            f'<div class="filters" id="filters"><input type="search" id="q" placeholder="{e(t("search"))}" '
            f'autocomplete="off"><select id="code"><option value="">{e(t("all_codes"))}</option>{opts}</select>'
            f'{chips}<button type="button" id="expand">{e(t("expand"))}</button>'
            f'<button type="button" id="collapse">{e(t("collapse"))}</button>'
            f'<span class="shown"><b id="nshown">{len(self.result.findings)}</b> / {len(self.result.findings)} '
            f'{e(t("shown"))}</span></div>'
        )

    def rules(self, codes: Counter[str], sev_of: dict[str, str], waived: Counter[str]) -> str:
        t = self.t
        cards = []
        order = sorted(codes, key=lambda c: (-Severity(sev_of[c]).rank, c))
        for code in order:
            info = self.infos[code]
            sev = sev_of[code]
            src = " · ".join(x for x in (info.cite, info.item, info.document) if x)
            rows = []
            if info.what:
                rows.append(f"<dt>{e(t('rule_what'))}</dt><dd>{e(info.what)}</dd>")
            if info.rationale:
                rows.append(f"<dt>{e(t('rule_why'))}</dt><dd>{e(info.rationale)}</dd>")
            if src:
                rows.append(f"<dt>{e(t('rule_source'))}</dt><dd>{e(src)}</dd>")
            wv = f' <span class="b b-waived">{waived[code]}<i>{e(t("waived"))}</i></span>' if waived[code] else ""
            cards.append(
                f'<article class="rule" id="rule-{e(code)}"><h3><span class="code c-{sev}">{e(code)}</span>'
                f'<span class="rt">{e(info.title)}</span><span class="rc">{e(info.category)}</span>'
                f'<button type="button" class="only" data-code="{e(code)}" title="{e(t("see_findings"))}">'
                f'{codes[code]} {e(t.sev(sev))}</button>{wv}</h3><dl>{"".join(rows)}</dl></article>'
            )
        return f'<section class="wrap rules"><h2>{e(t("rules"))}</h2>{"".join(cards)}</section>'

    def page(self) -> str:
        r, t = self.result, self.t
        levels = self.stats.levels if self.stats is not None else [
            lv for lv in LEVELS if any(getattr(f.subject, lv) for f in r.findings)]
        files, root = _build_tree(r.findings, levels)
        codes: Counter[str] = Counter(f.code for f in r.findings)
        waived: Counter[str] = Counter(f.code for f in r.findings if f.waiver is not None)
        sev_of: dict[str, str] = {}
        for f in r.findings:
            self.info(f)
            if f.code not in sev_of or f.severity.rank > Severity(sev_of[f.code]).rank:
                sev_of[f.code] = f.severity.value
        parts = [self.header()]
        if self.stats is not None and self.stats.members:
            parts.append(f'<div class="wrap">{_charts(r, self.stats, t)}</div>')
        from .html_procedure import CSS as procedure_css
        from .html_procedure import procedure_section

        procedure = procedure_section(r, t.lang)
        parts.append(procedure)
        procedure_css = procedure_css if procedure else ""
        body = []
        if files:
            c = _counts(files)
            body.append(
                f'<details class="lvl lvl-files" open><summary><span class="lname">{e(t("files_and_columns"))}</span>'
                f'{self.badges(c)}</summary><div class="lbody">{"".join(self.finding(f) for f in files)}</div></details>'
            )
        if root.groups or root.people:
            c = _counts([*root.groups, *(f for p in root.people.values() for f in p.findings)])
            inner = "".join(self.finding(f) for f in root.groups) + "".join(self.person(p) for p in root.people.values())
            body.append(f'<details class="lvl lvl-root" open><summary><span class="lname">{e(t("level.roster"))}</span>'
                        f'{self.badges(c)}</summary><div class="lbody">{inner}</div></details>')
        kids = list(root.children.values())
        body += [self.node(n, 1, len(kids)) for n in kids]
        findings_html = "".join(body) if body else f'<p class="empty">{e(t("no_findings"))}</p>'
        parts.append(
            f'<section class="wrap findings"><h2>{e(t("findings"))}</h2>{self.filters(codes) if r.findings else ""}'
            f'<div id="tree">{findings_html}</div><p class="empty" id="nomatch" hidden>{e(t("none_match"))}</p></section>'
        )
        if codes:
            parts.append(self.rules(codes, sev_of, waived))
        foot = t("generated_pii" if self.opts.show_pii else "generated", tool=TOOL["name"], version=TOOL["version"])
        parts.append(f'<footer class="wrap">{e(foot)}</footer>')
        lang = "en" if t.lang == "en" else "zh-CN"
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{lang}"><head><meta charset="utf-8">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="referrer" content="no-referrer">'
            f'<title>{e(t("title"))} · {e(r.as_of.isoformat())}</title><style>{CSS}{procedure_css}</style></head>'
            f"<body><script>{ERROR_JS}</script>{''.join(parts)}<script>{JS}</script></body></html>\n"
        )


def render(result: LintResult, opts: ReportOptions) -> str:
    return _Renderer(result, opts).page()



# ---------------------------------------------------------------------------------------------
# Inline style and script: package data, read once


def _asset(name: str) -> str:
    return files(__package__).joinpath("html_assets", name).read_text(encoding="utf-8")


CSS = _asset("page.css")
ERROR_JS = _asset("error.js")
JS = _asset("page.js")
