"""GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`) and a Markdown
job summary, written to $GITHUB_STEP_SUMMARY when that variable is set (inside Actions)."""

from __future__ import annotations

import os
from pathlib import Path

from ..result import LintResult
from . import ReportOptions
from .ci_common import ci_message, column_index, rule_meta, subject_label

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escaping of a workflow command's message (the part after `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escaping of a workflow command's property values (file, title…)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult, opts: ReportOptions) -> str:
    lines = []
    for f in result.findings:
        props = [f"file={escape_property(f.location.path)}"]
        if f.location.row is not None:
            props.append(f"line={f.location.row}")
            col = column_index(f.location.cell)
            if col:
                props.append(f"col={col}")
        props.append(f"title={escape_property(f'{f.code} {f.title}')}")
        msg = f"{subject_label(f, opts)}: {ci_message(f, opts)}"
        if f.source:
            msg += f" [{f.source}]"
        command = COMMAND[f.severity.value]
        if f.waiver is not None:  # reported, as a notice that does not fail anything
            command = "notice"
            msg = ("[waived] " if opts.lang == "en" else "[已豁免] ") + msg + f" ({f.waiver.reason}; {f.waiver.approved_by})"
        lines.append(f"::{command} {','.join(props)}::{escape_data(msg)}")
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        with Path(summary_path).open("a", encoding="utf-8") as fh:
            fh.write(summary_markdown(result, opts))
    return "".join(line + "\n" for line in lines)


def summary_markdown(result: LintResult, opts: ReportOptions) -> str:
    en = opts.lang == "en"
    c = result.counts()
    out = [
        f"## vetting: {result.policy.name} · {'as of' if en else '基准日'} {result.as_of_text(en)}",
        "",
        f"| {'errors' if en else '错误'} | {'warnings' if en else '警告'} | {'info' if en else '提示'} | {'waived' if en else '已豁免'} | {'rows' if en else '行'} | {'people' if en else '人'} | {'units' if en else '村(社区)'} |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {c['error']} | {c['warning']} | {c['info']} | {c['waived']} | {result.rows} | {result.people} | {result.units} |",
        "",
    ]
    from .per_rule import per_rule

    rows = per_rule(f for f in result.findings if f.waiver is None)
    if rows:
        out += [f"| {'code' if en else '代码'} | {'rule' if en else '规则'} | {'severity' if en else '级别'} | {'count' if en else '数量'} |", "| --- | --- | --- | ---: |"]
        for code, sev, fs in rows:
            m = rule_meta(result, code, opts.lang)
            out.append(f"| {code} | {m.title} | {sev.value} | {len(fs)} |")
        out.append("")
    return "\n".join(out) + "\n"
