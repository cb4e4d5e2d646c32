"""The one place where the web page calls the library: `vetting.api`, as the command line does.

Everything the page can do goes through these functions (the server and its worker call nothing
else of `vetting`), so the page and `vetting lint` / `vetting stats` cannot drift apart: the
policy's default date, waivers, baselines and notices are decided once, in `vetting.api`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UserError

# Output kinds a check writes, with the file name stem a person gets when downloading.
OUTPUTS = {
    "xlsx": ("标注名单", "annotated", ".xlsx"),
    "html": ("审查报告", "report", ".html"),
    "json": ("审查结果", "findings", ".json"),
    "stats": ("结构统计", "statistics", ".xlsx"),
    # with a reserve pool (`vetting suggest`): the plan and the proposed slate
    "plan": ("调整建议", "suggestion", ".json"),
    "slate": ("调整后名单", "proposed-slate", ".xlsx"),
    # the joint review (`vetting review`): the requests to the departments (one workbook each, in
    # a zip), and with their returns the ledger, the merged roster and the 资格审查表
    "requests": ("联审请求", "review-requests", ".zip"),
    "ledger": ("联审台账", "review-ledger", ".xlsx"),
    "merged": ("合并后的名单", "merged-roster", ".xlsx"),
    "forms": ("资格审查表", "review-forms", ".html"),
}
OUT_FILES = {
    "xlsx": "annotated.xlsx", "html": "report.html", "json": "report.json", "stats": "stats.xlsx",
    "plan": "suggest.json", "slate": "slate.xlsx",
    "requests": "requests.zip", "ledger": "ledger.xlsx", "merged": "merged.xlsx", "forms": "forms.html",
}
REQUESTS_DIR = "requests"  # the request workbooks, as `vetting review requests -o DIR` writes them
SUGGEST_TIME_LIMIT = 60.0  # seconds for the solver, as `vetting suggest` by default


@dataclass
class CheckRequest:
    """What a person gave on the page. Paths are relative to the check's folder (the worker's
    working directory), so every message and report names the files as the person knows them."""

    rosters: list[str]
    policy: str  # a shipped policy's name (national, regional/panji-2021) or an uploaded file
    as_of: str | None = None  # YYYY-MM-DD
    waivers: str | None = None
    previous: list[str] = field(default_factory=list)  # the previous term's roster (statistics)
    reserve: list[str] = field(default_factory=list)  # the reserve pool (suggestions)
    units: str | None = None  # the unit table (单位信息)
    lang: str = "zh"
    baseline: str | None = None  # the last check's baseline: what changed since then
    returns: list[str] = field(default_factory=list)  # the departments' returns (联审回复)
    hits_only: list[str] = field(default_factory=list)  # `DEPT=FILE`, as `--hits-only` takes them
    review_round: int = 1  # the round of the requests written (`review requests --round`)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckRequest:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


def shipped_policies() -> list[dict[str, Any]]:
    """Every shipped policy: its name (as `--policy` takes it), title and election date."""
    from ..api import load_policy
    from ..policy.resolve import shipped_policies_dir

    root = shipped_policies_dir()
    out = []
    for p in sorted(root.glob("**/policy.yaml"), key=lambda p: (len(p.parts), str(p))):
        name = p.parent.relative_to(root).as_posix()
        try:
            pol = load_policy([str(p)])
        except UserError:  # a shipped policy is tested; skip rather than break the page
            continue
        out.append(_describe(pol, name))
    return out


def shipped_policy_path(name: str) -> Path | None:
    from ..policy.resolve import shipped_policies_dir

    root = shipped_policies_dir().resolve()
    p = (root / name / "policy.yaml").resolve()
    return p if p.is_relative_to(root) and p.is_file() else None


def _describe(pol: Any, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "title": pol.title or pol.name,
        "version": pol.version,
        "as_of": pol.as_of.isoformat() if pol.as_of else None,
        # the joint review's departments (for the hits-only choice of a return)
        "departments": [d.name for d in pol.review.departments] if pol.review is not None else [],
    }


def check_policy(path: Path, folder: Path) -> dict[str, Any]:
    """An uploaded policy file: its description, or its errors with line and column."""
    from ..api import load_policy

    try:
        pol = load_policy([str(path)])
    except UserError as e:
        return {"ok": False, "error": error_dict(e, folder)}
    return {"ok": True, "policy": _describe(pol, path.name)}


def error_dict(e: UserError, folder: Path | None = None) -> dict[str, Any]:
    """A UserError as the page shows it; the private folder's path is not shown (file names are)."""

    def clean(s: str | None) -> str | None:
        if s is None or folder is None:
            return s
        for prefix in {str(f) + sep for f in (folder, folder.resolve()) for sep in ("/", "\\")}:
            s = s.replace(prefix, "")
        return s

    return {
        "message": clean(e.message),
        "where": clean(e.where),
        "path": clean(e.path),
        "line": e.line,
        "column": e.column,
        "details": [clean(d) for d in e.details],
        "hint": clean(e.hint),
    }


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"选举日无法识别：{value} / not a date (YYYY-MM-DD)") from None


def _session_key(folder: Path) -> bytes:
    """The pseudonym key of a session's checks (a random secret kept in the session's private
    folder), so that one check can be compared with the last without revealing ID numbers."""
    import secrets

    path = folder / ".pseudonym-key"
    if not path.is_file():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip().encode()


def run_check(req: CheckRequest, out_dir: Path, progress: Callable[[str, dict[str, Any]], None]) -> dict[str, Any]:
    """Check the rosters and write every output into `out_dir`; return the summary the page shows.

    `vetting lint` and `vetting stats` through the library API (`vetting.api`), then the same
    reporters as `-f html`, `-f json`, `-f xlsx` and `stats -f xlsx`. What changed since the last
    check is the baseline machinery: the last check's baseline applied to this check's findings.
    """
    from .. import api
    from ..findings import finding_keys
    from ..report import ReportOptions, finding_dict, json_report, stats_xlsx
    from ..report import html as html_report
    from ..report import xlsx as xlsx_report
    from ..waivers import apply_baseline

    lang = "en" if req.lang == "en" else "zh"
    shipped = shipped_policy_path(req.policy)
    policies = [str(shipped) if shipped is not None else req.policy]
    notices: list[str] = []  # what `vetting lint` says on stderr, shown on the page

    def notify(n: api.Notice) -> None:
        if n.kind == "warning":
            notices.append(n.text)
        progress("notice", {"text": n.text})

    out_dir.mkdir(parents=True, exist_ok=True)
    progress("lint", {"n": len(req.rosters)})
    result = api.lint(
        [Path(p) for p in req.rosters], policies=policies, as_of=_parse_date(req.as_of),
        waivers=Path(req.waivers) if req.waivers else None, write_baseline=out_dir / "baseline.json",
        units=Path(req.units) if req.units else None, lang=lang, notify=notify,
        pseudonym_key=_session_key(out_dir.resolve().parent.parent),
        returns=[Path(p) for p in req.returns], hits_only=req.hits_only,
    )
    opts = ReportOptions(lang=lang)
    keys = finding_keys(result.findings)
    index = {k: _brief(finding_dict(f, opts)) for k, f in zip(keys, result.findings, strict=True) if f.waiver is None}
    changes: dict[str, Any] | None = None
    if req.baseline and Path(req.baseline).is_file():
        new, fixed = apply_baseline(Path(req.baseline), result.findings)
        before_path = Path(req.baseline).with_name("index.json")
        before = json.loads(before_path.read_text(encoding="utf-8")) if before_path.is_file() else {}
        new_ids = {id(f) for f in new}
        changes = {
            "new": [index[k] for k, f in zip(keys, result.findings, strict=True) if id(f) in new_ids and k in index],
            "fixed": [before.get(e["key"], {"code": e.get("code"), "where": e.get("group")}) for e in fixed],
        }
    (out_dir / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")

    progress("report", {})
    (out_dir / "report.html").write_text(html_report.render(result, opts), encoding="utf-8")
    (out_dir / "report.json").write_text(json_report.render(result, opts), encoding="utf-8")
    xlsx_report.write(result, opts, out_dir / "annotated.xlsx")

    progress("stats", {})
    figures = api.stats(
        [Path(p) for p in req.rosters], policies=policies,
        as_of=result.as_of if not result.unit_dates() else _parse_date(req.as_of),  # (units at their own dates)
        previous=[Path(p) for p in req.previous], units=Path(req.units) if req.units else None,
        notify=lambda n: progress("notice", {"text": n.text}),
    )
    stats_xlsx.write(figures, out_dir / "stats.xlsx")

    review = _review(req, policies, _parse_date(req.as_of), out_dir, progress)  # (dates resolved as lint does)

    suggestion = None
    if req.reserve:
        progress("suggest", {})
        suggestion = _suggest(req, policies, result.as_of, out_dir, progress)

    pol = result.policy
    return {
        "as_of": result.as_of.isoformat(),
        "policy": {"name": pol.name, "title": pol.title, "version": pol.version},
        "inputs": [{"path": i.path, "sheet": i.sheet, "rows": i.rows} for i in result.inputs],
        "summary": {**result.counts(), "rows": result.rows, "people": result.people, "units": result.units},
        "changes": changes,
        "notices": notices,
        "suggest": suggestion,
        "review": review,
        "lang": lang,
    }


def check_returns(returns: list[Path], hits_only: list[str], policy: str, folder: Path) -> dict[str, Any]:
    """Read the departments' returns as `vetting lint --returns` and `vetting review merge` do,
    before a check: which department and round each one is from, or what is wrong with one
    (its file and row). `policy` is a shipped name or an uploaded file."""
    from .. import api
    from ..review.merge import read_returns, review_config
    from ..review.returns import describe
    from ..review.run import expand_returns, parse_hits_only

    shipped = shipped_policy_path(policy)
    try:
        pol = api.load_policy([str(shipped) if shipped is not None else policy])
        departments = [d.name for d in review_config(pol).departments]
        read = read_returns(expand_returns(returns), pol, hits_only=parse_hits_only(hits_only))
    except UserError as e:
        return {"ok": False, "error": error_dict(e, folder)}
    files = []
    for rf in read:
        d = describe(rf)
        files.append({**d, "path": Path(d["path"]).name})
    return {"ok": True, "departments": departments, "returns": files}


def write_requests(req: CheckRequest, out_dir: Path) -> dict[str, Any]:
    """The 联审 requests of a check's rosters, as `vetting review requests -o DIR --round N` writes
    them (dated today), one workbook per department of the policy, zipped for the download."""
    import shutil
    import zipfile

    from .. import api
    from ..review.requests import make_requests

    shipped = shipped_policy_path(req.policy)
    pol = api.load_policy([str(shipped) if shipped is not None else req.policy])
    folder = out_dir / REQUESTS_DIR
    shutil.rmtree(folder, ignore_errors=True)
    run = make_requests([Path(p) for p in req.rosters], pol, folder, round_=req.review_round, date=dt.date.today())
    with zipfile.ZipFile(out_dir / OUT_FILES["requests"], "w", zipfile.ZIP_DEFLATED) as z:
        for w in run.written:
            z.write(w.path, w.path.name)
    return {"round": req.review_round, "files": [w.path.name for w in run.written], "people": len(run.people.people),
            "note": run.note()}


def _review(req: CheckRequest, policies: list[str], as_of: dt.date | None, out_dir: Path,
            progress: Callable[[str, dict[str, Any]], None]) -> dict[str, Any] | None:
    """The joint review's documents, by the functions `vetting review` calls: when returns are
    given, the ledger and the merged roster (`review merge`) and the 资格审查表 with the summary
    page (`review forms --summary`), masked as the command line masks them; the requests to the
    departments are written when asked for. A policy without departments has none; a problem
    here is shown with the review, the check's results stand."""
    from .. import api
    from ..report import ReportOptions
    from ..report.review_console import review_document
    from ..review.forms import render_forms
    from ..review.workbook import write_ledger, write_merged

    pol = api.load_policy(policies)
    if pol.review is None or not pol.review.departments:
        return None
    # the requests are written when asked for (`write_requests`): a county's roster takes a
    # while, and most checks do not need them
    out: dict[str, Any] = {"requests": {"round": req.review_round, "departments": [d.name for d in pol.review.departments]}}
    if not (req.returns or req.hits_only):
        return out
    progress("review", {})
    try:
        run = api.review([Path(p) for p in req.rosters], [Path(p) for p in req.returns], policies=policies, as_of=as_of,
                         hits_only=req.hits_only, lang=req.lang, figures=True,
                         notify=lambda n: progress("notice", {"text": n.text}))
    except UserError as e:
        out["error"] = error_dict(e, Path.cwd())
        return out
    write_ledger(run.ledger, out_dir / OUT_FILES["ledger"])
    write_merged(run.ledger, out_dir / OUT_FILES["merged"], with_ledger=True)
    (out_dir / OUT_FILES["forms"]).write_text(render_forms(run.ledger, run.policy, summary=True), encoding="utf-8")
    doc = review_document(run.ledger, ReportOptions(lang="en" if req.lang == "en" else "zh"))
    rv: dict[str, int] = {}
    titles: dict[str, str] = {}
    for f in doc["findings"]:
        if f["waiver"] is None:
            rv[f["code"]] = rv.get(f["code"], 0) + 1
            titles[f["code"]] = f["title"]
    merged = run.ledger.merge.cells.values()
    out.update(doc["review"])
    out["returns"] = [{**r, "path": Path(r["path"]).name} for r in doc["review"]["returns"]]
    out["rv"] = dict(sorted(rv.items()))
    out["rv_titles"] = titles
    out["rv_summary"] = {k: doc["summary"][k] for k in ("error", "warning", "info")}
    out["merged_cells"] = len(merged)
    out["merged_hits"] = sum(1 for c in merged if c.hit)
    out["conclusions"] = {k: sum(t[k] for t in doc["review"]["townships"]) for k in ("passed", "to_replace", "pending")}
    return out


def _suggest(req: CheckRequest, policies: list[str], as_of: dt.date, out_dir: Path,
             progress: Callable[[str, dict[str, Any]], None]) -> dict[str, Any]:
    """`vetting suggest` on the same rosters with the uploaded reserve pool: the plan as the
    console shows it, its JSON and the proposed slate's workbook (the same renderers). A problem
    with the pool is shown with the suggestion; the check's own results stand."""
    import io

    from rich.console import Console

    from .. import api
    from ..report.suggest import print_report, render_json
    from ..report.suggest_xlsx import write

    try:
        plan = api.suggest(
            [Path(p) for p in req.rosters], [Path(p) for p in req.reserve], policies=policies, as_of=as_of,
            time_limit=SUGGEST_TIME_LIMIT, units=Path(req.units) if req.units else None,
            notify=lambda n: progress("notice", {"text": n.text}),
        )
    except UserError as e:
        return {"error": error_dict(e, Path.cwd())}
    buf = io.StringIO()
    print_report(plan, Console(file=buf, width=120, no_color=True, highlight=False, emoji=False))
    (out_dir / OUT_FILES["plan"]).write_text(render_json(plan), encoding="utf-8")
    write(plan.slate, plan.origin, plan.changes, out_dir / OUT_FILES["slate"], columns_from=plan.slate,
          pool_rows=plan.pool_changes, roster_rows=plan.roster_changes)
    return {"text": buf.getvalue(), "changes": len(plan.changes), "unmet": len(plan.unmet), "status": plan.status}


def _brief(d: dict[str, Any]) -> dict[str, Any]:
    """A finding as the "what changed" list shows it (already masked as the reports are)."""
    s, loc = d["subject"], d["location"]
    where = "/".join(x for x in (s.get("township"), s.get("unit")) if x)
    return {
        "code": d["code"],
        "severity": d["severity"],
        "title": d["title"],
        "message": d["message"],
        "name": s.get("name"),
        "where": where,
        "cell": loc.get("cell") or (f"{loc['row']}" if loc.get("row") else None),
    }
