"""The one place where the web page calls the library: the same calls as the command line.

Everything the page can do goes through these functions (the server and its worker call nothing
else of `vetting`), so the page and `vetting lint` / `vetting stats` cannot drift apart.
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
}


@dataclass
class CheckRequest:
    """What a person gave on the page. Paths are relative to the check's folder (the worker's
    working directory), so every message and report names the files as the person knows them."""

    rosters: list[str]
    policy: str  # a shipped policy's name (national, regional/panji-2021) or an uploaded file
    as_of: str | None = None  # YYYY-MM-DD
    waivers: str | None = None
    previous: list[str] = field(default_factory=list)  # the previous term's roster (statistics)
    lang: str = "zh"
    baseline: str | None = None  # the last check's baseline: what changed since then

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckRequest:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


def shipped_policies() -> list[dict[str, Any]]:
    """Every shipped policy: its name (as `--policy` takes it), title and election date."""
    from ..policy.resolve import load_policies, shipped_policies_dir

    root = shipped_policies_dir()
    out = []
    for p in sorted(root.glob("**/policy.yaml"), key=lambda p: (len(p.parts), str(p))):
        name = p.parent.relative_to(root).as_posix()
        try:
            pol = load_policies([str(p)])
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
    }


def check_policy(path: Path, folder: Path) -> dict[str, Any]:
    """An uploaded policy file: its description, or its errors with line and column."""
    from ..policy.resolve import load_policies

    try:
        pol = load_policies([str(path)])
    except UserError as e:
        return {"ok": False, "error": error_dict(e, folder)}
    return {"ok": True, "policy": _describe(pol, path.name)}


def error_dict(e: UserError, folder: Path | None = None) -> dict[str, Any]:
    """A UserError as the page shows it; the private folder's path is not shown (file names are)."""

    def clean(s: str | None) -> str | None:
        if s is None or folder is None:
            return s
        for prefix in {str(folder) + "/", str(folder.resolve()) + "/"}:
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


def run_check(req: CheckRequest, out_dir: Path, progress: Callable[[str, dict[str, Any]], None]) -> dict[str, Any]:
    """Check the rosters and write every output into `out_dir`; return the summary the page shows.

    The steps are those of `vetting lint` (load policy, waivers, roster; lint; waivers applied;
    reporters) and `vetting stats` (the statistics workbook), with progress reported by stage.
    """
    from ..engine import lint
    from ..findings import finding_keys, sort_findings
    from ..policy.resolve import load_policies
    from ..report import ReportOptions, finding_dict, json_report, stats_xlsx
    from ..report import html as html_report
    from ..report import xlsx as xlsx_report
    from ..roster.load import load_roster
    from ..stats import DEFAULT_OVER_AGE_CAP, compute_stats
    from ..waivers import apply_baseline, apply_waivers, load_waivers, write_baseline

    lang = "en" if req.lang == "en" else "zh"
    shipped = shipped_policy_path(req.policy)
    progress("policy", {})
    pol = load_policies([str(shipped) if shipped is not None else req.policy])
    loaded_waivers = load_waivers(Path(req.waivers), pol) if req.waivers else None
    notices: list[str] = []  # what `vetting lint` would say on stderr, shown on the page
    date = _parse_date(req.as_of) or pol.as_of
    if date is None:
        date = dt.date.today()
        notices.append(f"注意：未指定选举日，政策也未设定基准日，按今天 {date.isoformat()} 计算年龄。")
    n = len(req.rosters)
    seen: list[str] = []

    def on_file(path: str) -> None:
        seen.append(path)
        progress("read", {"file": Path(path).name, "i": len(seen), "n": n})

    roster = load_roster(req.rosters, fields=pol.fields.values(), lang=lang, on_progress=on_file)
    progress("lint", {"rows": roster.frame.height})
    result = lint(roster, pol, as_of=date, lang=lang)
    if result.rows == 0:
        notices.append("注意：名单中没有读到任何人员数据行（只有表头？）。请确认文件和工作表是否正确。")
    if loaded_waivers is not None:
        result.findings = sort_findings(apply_waivers(result.findings, loaded_waivers, lang=lang))
    opts = ReportOptions(lang=lang)

    # What changed since the last check: the baseline machinery, by content key (not row).
    keys = finding_keys(result.findings)
    index = {k: _brief(finding_dict(f, opts)) for k, f in zip(keys, result.findings, strict=True) if f.waiver is None}
    changes: dict[str, Any] | None = None
    if req.baseline and Path(req.baseline).is_file():
        new, fixed = apply_baseline(Path(req.baseline), result.findings)
        before_index_path = Path(req.baseline).with_name("index.json")
        before = json.loads(before_index_path.read_text(encoding="utf-8")) if before_index_path.is_file() else {}
        new_ids = {id(f) for f in new}
        changes = {
            "new": [index[k] for k, f in zip(keys, result.findings, strict=True) if id(f) in new_ids and k in index],
            "fixed": [before.get(e["key"], {"code": e.get("code"), "where": e.get("group")}) for e in fixed],
        }
    out_dir.mkdir(parents=True, exist_ok=True)
    write_baseline(out_dir / "baseline.json", result.findings, date)
    (out_dir / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")

    progress("report", {})
    (out_dir / "report.html").write_text(html_report.render(result, opts), encoding="utf-8")
    (out_dir / "report.json").write_text(json_report.render(result, opts), encoding="utf-8")
    xlsx_report.write(result, opts, out_dir / "annotated.xlsx")

    progress("stats", {})
    old = load_roster(req.previous, fields=pol.fields.values(), lang=lang) if req.previous else None
    cap = pol.params["incumbent_max_age"].spec.value if "incumbent_max_age" in pol.params else DEFAULT_OVER_AGE_CAP
    if not isinstance(cap, int | float) or isinstance(cap, bool):
        cap = DEFAULT_OVER_AGE_CAP
    stats = compute_stats(roster, as_of=date, policy=pol.name, previous=old, over_age_cap=int(cap))
    stats_xlsx.write(stats, out_dir / "stats.xlsx")

    counts = result.counts()
    return {
        "as_of": date.isoformat(),
        "policy": {"name": pol.name, "title": pol.title, "version": pol.version},
        "inputs": [{"path": i.path, "sheet": i.sheet, "rows": i.rows} for i in result.inputs],
        "summary": {**counts, "rows": result.rows, "people": result.people, "units": result.units},
        "changes": changes,
        "notices": notices,
        "lang": lang,
    }


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
