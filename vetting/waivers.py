"""Waivers (approved exceptions) and baselines (findings accepted for now).

A waiver file lists exceptions approved by the vetting authority:

    waivers:
      - codes: [ST004]
        person: "410103198503081234"     # an ID number, or
        unit: {township: 侯寨乡, unit: 尖岗村}   # a unit (or just its name)
        reason: 经区委组织部研究同意，该同志继续提名
        approved_by: 二七区委组织部
        expires: 2021-12-31              # "never" only for info rules

A waived finding is reported as waived (never counted for the exit code). An expired waiver no
longer applies and the finding says so; a waiver that matches nothing is reported (WV001); one
that expires within 30 days is noted (WV002).

A baseline records findings by content key (`finding_key`), so a CI check fails only on new
ones; baselined findings that no longer occur are listed as fixed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from . import __version__
from .documents import LoadedYaml, at, raise_problems, read_yaml, validate
from .dq import BUILTIN_RULES, WV_RULES
from .errors import Problem, UserError
from .findings import Finding, Location, Severity, Subject, Waiver, finding_keys
from .messages import pick
from .policy.model import CODE_PATTERN, _Model
from .policy.resolve import EffectivePolicy
from .roster.idnumber import analyze_id

EXPIRY_NOTICE_DAYS = 30
# Categories whose rules are bars, never exceptions: a waiver for them is an error (WV003).
HARD_CATEGORIES = ("十不能",)


def today() -> dt.date:
    """The real date waivers expire against; VETTING_TODAY (YYYY-MM-DD) fixes it for tests."""
    fixed = os.environ.get("VETTING_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


class UnitRef(_Model):
    unit: str
    township: str | None = None
    district: str | None = None


class WaiverEntry(_Model):
    codes: list[str] = Field(min_length=1)
    person: str | None = Field(default=None, description="the person's ID number")
    unit: UnitRef | str | None = None
    reason: str = Field(min_length=2)
    approved_by: str = Field(min_length=2)
    expires: dt.date | str

    # Words people write for a key, where spelling-closeness would suggest the wrong one
    # (`until` is closer to `unit` than to `expires`).
    KEY_SYNONYMS: ClassVar[dict[str, str]] = {
        "until": "expires", "expiry": "expires", "expire": "expires", "valid_until": "expires",
        "expires_on": "expires", "code": "codes", "rule": "codes", "rules": "codes", "id": "person",
        "id_number": "person", "approver": "approved_by", "approved": "approved_by",
    }

    @field_validator("codes", mode="before")
    @classmethod
    def _codes(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("codes")
    @classmethod
    def _code_pattern(cls, v: list[str]) -> list[str]:
        # a field check (not the model's): reported with the other fields' errors, not after them
        import re

        for c in v:
            if not re.match(CODE_PATTERN, c):
                raise ValueError(f"“{c}”不是规则代码（如 ST004） / '{c}' is not a rule code")
        return v

    @field_validator("person", mode="before")
    @classmethod
    def _person(cls, v: Any) -> Any:
        # An ID number written without quotes is a YAML integer (exact: 18 digits fit)
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("expires")
    @classmethod
    def _expires(cls, v: dt.date | str) -> dt.date | str:
        if isinstance(v, str) and v != "never":
            raise ValueError(
                f"expires 须为到期日（如 2026-12-31）或 never，而不是“{v}” / expires must be a date (YYYY-MM-DD) or 'never'"
            )
        return v

    @model_validator(mode="after")
    def _who(self) -> WaiverEntry:
        if (self.person is None) == (self.unit is None):
            raise ValueError(
                "每条豁免须写 person（身份证号）或 unit（村(社区)，重名时写 乡镇/村）中的一个 / "
                "a waiver names exactly one of person (ID number) or unit"
            )
        return self

    @property
    def unit_ref(self) -> UnitRef | None:
        """The unit: a mapping, a name, or `乡镇/村` (`县/乡镇/村`) where names repeat."""
        if isinstance(self.unit, str):
            parts = [p.strip() for p in self.unit.replace("›", "/").replace("／", "/").split("/") if p.strip()]
            if len(parts) >= 3:
                return UnitRef(district=parts[-3], township=parts[-2], unit=parts[-1])
            if len(parts) == 2:
                return UnitRef(township=parts[0], unit=parts[1])
            return UnitRef(unit=self.unit.strip())
        return self.unit


class WaiverFile(_Model):
    waivers: list[WaiverEntry]


@dataclass
class LoadedWaivers:
    entries: list[WaiverEntry]
    src: LoadedYaml
    ids: list[str | None]  # normalised ID numbers, per entry
    hard: list[list[str]] = field(default_factory=list)  # per entry: its codes that are hard bars


def load_waivers(path: Path, policy: EffectivePolicy) -> LoadedWaivers:
    src = read_yaml(path)
    doc: WaiverFile = validate(WaiverFile, src, what="豁免清单")
    errors: list[Problem] = []
    ids: list[str | None] = []
    for i, w in enumerate(doc.waivers):
        for j, code in enumerate(w.codes):
            sev = _severity(code, policy)
            if sev is None:
                errors.append(at(src.pos(("waivers", i, "codes", j)), f"规则 {code} 不存在 / unknown rule code"))
            elif w.expires == "never" and sev is not Severity.INFO:
                errors.append(at(
                    src.pos(("waivers", i, "expires")),
                    f"只有“提示”级规则的豁免可以永不过期，{code} 是 {sev.value} / only info rules may be waived with"
                    " expires: never",
                ))
        if w.person is not None:
            res = analyze_id(str(w.person))
            if res.normalized is None:
                errors.append(at(src.pos(("waivers", i, "person")), "不是有效的身份证号码 / not a valid ID number"))
            ids.append(res.normalized)
        else:
            ids.append(None)
    raise_problems(errors, "豁免清单", src.path)
    hard = [[c for c in w.codes if is_hard_bar(c, policy)] for w in doc.waivers]
    return LoadedWaivers(doc.waivers, src, ids, hard)


def is_hard_bar(code: str, policy: EffectivePolicy) -> bool:
    """A statutory (`locked`) rule or one of the 十不能: a bar, not an exception to approve."""
    er = policy.rules.get(code)
    return er is not None and (er.rule.locked or er.rule.category in HARD_CATEGORIES)


def _severity(code: str, policy: EffectivePolicy) -> Severity | None:
    if code in policy.rules:
        return policy.rules[code].rule.severity
    if code in BUILTIN_RULES:
        return BUILTIN_RULES[code].severity
    return None


def _matches(w: WaiverEntry, wid: str | None, f: Finding) -> bool:
    if f.code not in w.codes:
        return False
    if wid is not None:
        return f.subject.id_number == wid
    ref = w.unit_ref
    assert ref is not None
    s = f.subject
    return (
        s.unit == ref.unit
        and (ref.township is None or s.township == ref.township)
        and (ref.district is None or s.district == ref.district)
    )


def apply_waivers(findings: list[Finding], waivers: LoadedWaivers, *, lang: str = "zh") -> list[Finding]:
    now = today()
    out: list[Finding] = []
    used = [False] * len(waivers.entries)
    for f in findings:
        new = f
        for i, (w, wid) in enumerate(zip(waivers.entries, waivers.ids, strict=True)):
            if not _matches(w, wid, f) or (waivers.hard and f.code in waivers.hard[i]):
                continue  # (a hard bar stays whatever the waiver says: WV003 below)
            used[i] = True
            expires = w.expires if isinstance(w.expires, str) else w.expires.isoformat()
            if isinstance(w.expires, dt.date) and w.expires < now:
                note = pick(lang, f"（{w.approved_by}的豁免已于{expires}过期）", f" (waiver by {w.approved_by} expired on {expires})")
                new = replace(f, message=f.message + note)
                continue
            new = f.with_waiver(Waiver(reason=w.reason, approved_by=w.approved_by, expires=expires))
            break
        out.append(new)
    for i, w in enumerate(waivers.entries):
        pos = waivers.src.pos(("waivers", i))
        loc = Location(path=waivers.src.path, row=pos.line)
        who = _who(w, waivers.ids[i])
        hard = waivers.hard[i] if waivers.hard else []
        for code in hard:
            out.append(_wv("WV003", loc, lang, (
                pick(lang, f"{code}是硬性条件（法定资格或“十不能”），不能豁免（{who}）；该问题照常报告", f"{code} is a hard bar (a statutory rule or one of the 十不能): it cannot be waived ({who});"
                " the finding stays")
            )))
        if not used[i] and len(hard) < len(w.codes):
            out.append(_wv("WV001", loc, lang, (
                pick(lang, f"{'、'.join(w.codes)}的豁免（{who}）没有匹配到任何问题，请核对代码和人员", f"waiver for {', '.join(w.codes)} ({who}) matches no finding")
            )))
        if isinstance(w.expires, dt.date) and now <= w.expires <= now + dt.timedelta(days=EXPIRY_NOTICE_DAYS):
            out.append(_wv("WV002", loc, lang, (
                pick(lang, f"{'、'.join(w.codes)}的豁免（{who}）将于{w.expires.isoformat()}到期", f"waiver for {', '.join(w.codes)} ({who}) expires on {w.expires.isoformat()}")
            )))
    return out


def _who(w: WaiverEntry, wid: str | None) -> str:
    if wid is not None:
        from .pii import mask_id

        return mask_id(wid) or ""
    ref = w.unit_ref
    assert ref is not None
    return "".join(p for p in (ref.district, ref.township, ref.unit) if p)


def _wv(code: str, loc: Location, lang: str, message: str) -> Finding:
    rule = WV_RULES[code]
    return Finding(
        code=code, severity=rule.severity, category=rule.category, scope=rule.scope,
        title=rule.title(lang), message=message, subject=Subject(), location=loc,
        source=rule.source,
    )


# ---------------------------------------------------------------------------------------------
# Baselines


def write_baseline(path: Path, findings: list[Finding], as_of: dt.date) -> None:
    keys = finding_keys(findings)
    doc = {
        "tool": {"name": "vetting", "version": __version__},
        "as_of": as_of.isoformat(),
        "findings": [
            {"key": k, "code": f.code, "group": "/".join(p or "" for p in (f.subject.district, f.subject.township, f.subject.unit)),
             "person": f.subject.person}
            for k, f in zip(keys, findings, strict=True)
            if f.waiver is None
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def apply_baseline(path: Path, findings: list[Finding]) -> tuple[list[Finding], list[dict[str, Any]]]:
    """(the findings not in the baseline, the baselined entries no longer found)."""
    from .documents import check_document_file
    from .documents.yamlsafe import check_json_depth

    check_document_file(path, str(path), what="基线文件")
    try:
        text = path.read_text(encoding="utf-8")
        check_json_depth(text, str(path))
        doc = json.loads(text)
        entries = doc["findings"]
        known = {e["key"]: e for e in entries}
    except json.JSONDecodeError as e:
        raise UserError(
            f"基线文件不是有效的 JSON：{e.msg} / not valid JSON", path=str(path), line=e.lineno, column=e.colno,
            hint="用 --write-baseline 重新生成 / write it again with --write-baseline",
        ) from None
    except (ValueError, KeyError, TypeError) as e:
        raise UserError(f"基线文件无法读取：{e} / not a vetting baseline", path=str(path), hint="用 --write-baseline 生成") from None
    keys = finding_keys(findings)
    new = [f for f, k in zip(findings, keys, strict=True) if k not in known]
    present = set(keys)
    fixed = [e for k, e in known.items() if k not in present]
    return new, fixed
