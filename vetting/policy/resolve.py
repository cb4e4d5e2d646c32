"""Compose policies: `include` parts, `extends` chains, overrides, disabled and locked rules.

The result, `EffectivePolicy`, is what the engine compiles. It remembers for each rule and each
parameter which file and line set its value (`vetting rules --effective`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..derive import DERIVED_BY_KEY
from ..documents import (
    LoadedYaml,
    Pos,
    as_problems,
    at,
    check_document_file,
    number_hint,
    raise_problems,
    type_words,
    validate,
    value_text,
)
from ..errors import Problem, UserError
from ..findings import Severity
from ..roster.columns import BUILTIN_BY_KEY, FieldSpec
from .cache import read_policy_yaml
from .objects import Param, Rule, SourceDoc, Standard, replaced
from .review import ReviewConfig, check_review, merge_review
from .validate import check_references

if TYPE_CHECKING:  # the models are imported where a file is validated (a cached policy needs none)
    from .model import PolicyFile

POLICY_FILE_NAMES = ("policy.yaml", "policy.yml")


def shipped_policies_dir() -> Path:
    """Shipped policies: inside the installed package, or `policies/` beside it in a checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_shipped_policies", here.parent / "policies"):
        if candidate.is_dir():
            return candidate
    raise UserError("找不到随附的政策目录 policies/ / shipped policies not found")


def shipped_policy_names() -> list[str]:
    root = shipped_policies_dir()
    return sorted(p.parent.name for p in root.glob("*/policy.yaml"))


@dataclass
class EffectiveRule:
    rule: Rule
    policy: str  # name of the policy that defined it
    defined_at: Pos
    severity_at: Pos
    order: int
    src: LoadedYaml  # the file that defined it, for positions of its parts
    loc: tuple[Any, ...]  # where in that file: ("rules", i)
    set_at: dict[str, Pos] = field(default_factory=dict)  # overridden key -> where

    def pos(self, *sub: Any) -> Pos:
        return self.src.pos(self.loc + sub)


@dataclass
class EffectiveParam:
    name: str
    spec: Param  # declaration (title, unit…) with the effective value
    declared_at: Pos
    set_at: Pos
    policy: str


@dataclass
class PolicyRef:
    name: str
    version: str | None
    path: str
    title: str | None = None
    synthesis: str | None = None


@dataclass
class EffectivePolicy:
    name: str
    version: str | None
    title: str | None
    as_of: dt.date | None
    chain: list[PolicyRef]
    rules: dict[str, EffectiveRule]
    params: dict[str, EffectiveParam]
    fields: dict[str, FieldSpec]
    field_pos: dict[str, Pos]
    sources: dict[str, SourceDoc]
    standards: list[Standard]
    disabled: dict[str, Pos]
    parts: list[PolicyRef]  # included part files, in order (with their synthesis notes)
    review: ReviewConfig | None = None  # the joint review's departments (policy/review.py)

    def param(self, name: str) -> Any:
        return self.params[name].spec.value

    @functools.cached_property
    def all_fields(self) -> dict[str, FieldSpec]:
        """Every field a rule may read: built in, derived (`derive.py`), declared by the policy."""
        from ..units.roster_facts import UNIT_FACT_BY_KEY  # unit-table facts of each person's unit

        out: dict[str, FieldSpec] = dict(BUILTIN_BY_KEY)
        out.update(DERIVED_BY_KEY)
        out.update(UNIT_FACT_BY_KEY)
        out.update(self.fields)
        return out


def resolve_policy_path(spec: str, *, base: Path | None = None) -> Path:
    """A shipped policy name (`national`), a directory holding policy.yaml, or a file path."""
    p = Path(spec)
    if base is not None and not p.is_absolute():
        rel = base / p
        if rel.exists():
            p = rel
    if p.is_dir():
        for name in POLICY_FILE_NAMES:
            if (p / name).exists():
                return p / name
        raise UserError("目录中没有 policy.yaml / no policy.yaml in the directory", path=str(spec))
    if p.exists():
        return p
    if "/" not in spec and "\\" not in spec and not spec.endswith((".yaml", ".yml")):
        shipped = shipped_policies_dir() / spec / "policy.yaml"
        if shipped.exists():
            return shipped
        names = ", ".join(shipped_policy_names())
        raise UserError(
            f"没有名为 '{spec}' 的随附政策，也没有这个文件 / no shipped policy or file named '{spec}'",
            hint=f"随附政策：{names}",
        )
    raise UserError("政策文件不存在 / policy file not found", path=str(spec))


# How a shipped policy file outside the working directory is named in every output (positions,
# `rules --effective`, json/sarif `policies`): stable on every machine, unlike the installed
# path, which `vetting rules --effective` prints once as what this prefix stands for.
SHIPPED_PREFIX = "<内置>"


def _display(path: Path) -> str:
    """Paths in messages: relative to the working directory when below it (a checkout's
    `policies/national/…`, a user's `county.yaml`), a shipped file as `<内置>/national/…`, any
    other file as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        try:
            return f"{SHIPPED_PREFIX}/" + path.resolve().relative_to(shipped_policies_dir().resolve()).as_posix()
        except ValueError:
            return str(path)


@dataclass
class _Layer:
    """One policy (a policy.yaml with its included parts) before merging."""

    path: Path
    doc: PolicyFile
    src: LoadedYaml
    parts: list[tuple[PolicyFile, LoadedYaml]]
    files: list[Path] = field(default_factory=list)  # every file read: the policy's, its parts'
    extends: tuple[str, Path, Path] | None = None  # (extends, folder it is read from, the file it found)


def _load_layer(path: Path) -> _Layer:
    """A policy file and its included parts; every problem of all of them at once."""
    src = read_policy_yaml(path, display=_display(path))  # cached parse (policy/cache.py)
    problems: list[Problem] = []
    doc = _validated(src, problems)
    includes = doc.include if doc is not None else _raw_list(src, "include")
    parts: list[tuple[PolicyFile, LoadedYaml]] = [(doc, src)] if doc is not None else []
    files = [path]
    for i, inc in enumerate(includes):
        ip = (path.parent / inc).resolve()
        if not ip.exists():
            problems.append(at(src.pos(("include", i)), f"包含的文件不存在 '{inc}' / included file not found"))
            continue
        try:
            check_document_file(ip, _display(ip), what=f"包含的 '{inc}' ")
        except UserError as e:
            problems.append(at(src.pos(("include", i)), e.message, e.hint))
            continue
        try:
            psrc = read_policy_yaml(ip, display=_display(ip))
        except UserError as e:  # a syntax error in the part: at its place in the part
            problems += as_problems(e)
            continue
        files.append(ip)
        pdoc = _validated(psrc, problems)
        if pdoc is None:
            continue
        if pdoc.extends or pdoc.include:
            problems.append(at(psrc.pos(("extends",) if pdoc.extends else ("include",)),
                               "被包含的部分不能再 extends 或 include / a part cannot extend or include"))
        parts.append((pdoc, psrc))
    if problems or doc is None:
        raise_problems(problems, "政策文件", src.path)
    assert doc is not None
    return _Layer(path, doc, src, parts, files)


def _validated(src: LoadedYaml, problems: list[Problem]) -> PolicyFile | None:
    """The file as a `PolicyFile`, or None with its problems added."""
    from .model import PolicyFile

    try:
        return validate(PolicyFile, src)
    except UserError as e:
        problems += as_problems(e)
        return None


def _raw_list(src: LoadedYaml, key: str) -> list[str]:
    """A list of names in a file that did not validate (its includes are still checked)."""
    data = src.plain()
    value = data.get(key) if isinstance(data, dict) else None
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _chain(path: Path) -> list[_Layer]:
    """The extends chain from the root ancestor down to `path`."""
    layers: list[_Layer] = []
    seen: list[Path] = []
    current: Path | None = path.resolve()
    while current is not None:
        if current in seen:
            cycle = " -> ".join(_display(p) for p in [*seen, current])
            pos = layers[-1].src.pos(("extends",))
            raise UserError(f"extends 形成循环 / extends cycle: {cycle}", path=pos.path, line=pos.line, column=pos.col)
        seen.append(current)
        if not layers:
            layer = _load_layer(current)
        else:  # an extends target: a problem with it is reported at the extends line too
            try:
                layer = _load_layer(current)
            except UserError as e:
                pos = layers[-1].src.pos(("extends",))
                raise UserError(
                    f"extends 指向的 '{layers[-1].doc.extends}' 不是可用的政策文件 / the extends target is not a"
                    " usable policy",
                    path=pos.path, line=pos.line, column=pos.col,
                    problems=as_problems(e),
                ) from None
        layers.append(layer)
        if layer.doc.extends:
            try:
                base = current.parent
                current = resolve_policy_path(layer.doc.extends, base=base).resolve()
                layer.extends = (layer.doc.extends, base, current)
            except UserError as e:
                pos = layer.src.pos(("extends",))
                raise UserError(
                    f"extends 指向的政策不存在：'{layer.doc.extends}' / extends target not found",
                    path=pos.path, line=pos.line, column=pos.col, hint=e.hint,
                ) from None
        else:
            current = None
    return list(reversed(layers))


def load_policies(specs: list[str]) -> EffectivePolicy:
    """Load and merge policies: each spec's extends chain, later specs layered on earlier ones.

    When none of the files changed since the same specs were last loaded here, the result
    comes from the cache of resolved policies (`policy/effective.py`), not from the files."""
    from .effective import cached_policy, store_policy

    try:
        resolved = [resolve_policy_path(spec).resolve() for spec in specs]
    except UserError:
        resolved = None  # reported below, in the order of the specs
    hit = cached_policy(specs, resolved) if resolved is not None else None
    if hit is not None:
        return hit
    layers: list[_Layer] = []
    seen: set[Path] = set()
    for spec in specs:
        for layer in _chain(resolve_policy_path(spec)):
            if layer.path.resolve() not in seen:
                seen.add(layer.path.resolve())
                layers.append(layer)
    policy = _merge(layers)
    if resolved is not None:
        store_policy(
            specs, resolved, policy,
            [f for layer in layers for f in layer.files],
            [layer.extends for layer in layers if layer.extends is not None],
        )
    return policy


def _merge(layers: list[_Layer]) -> EffectivePolicy:
    errors: list[Problem] = []
    rules: dict[str, EffectiveRule] = {}
    params: dict[str, EffectiveParam] = {}
    fields: dict[str, FieldSpec] = {}
    field_pos: dict[str, Pos] = {}
    sources: dict[str, SourceDoc] = {}
    standards: list[Standard] = []  # (the models' lists, read as the plain classes)
    disabled: dict[str, Pos] = {}
    chain: list[PolicyRef] = []
    parts: list[PolicyRef] = []
    as_of: dt.date | None = None
    review: ReviewConfig | None = None
    order = 0
    for layer in layers:
        top = layer.doc
        chain.append(PolicyRef(top.policy, top.version, layer.src.path, top.title, top.synthesis))
        if top.as_of:
            as_of = top.as_of
        # A policy that states selection standards replaces the inherited ones (its parts add up).
        own_standards = [st for doc, _ in layer.parts for st in doc.standards]
        if own_standards:
            standards = list(own_standards)
        for doc, src in layer.parts:
            if doc is not top:
                parts.append(PolicyRef(doc.policy, doc.version, src.path, doc.title, doc.synthesis))
            for s in doc.sources:
                sources[s.id] = s
            review = merge_review(review, doc.review, doc.policy, src, errors)
            for i, f in enumerate(doc.fields):
                if f.key in fields and field_pos[f.key].path != src.path:
                    pass  # a later policy may redeclare a field (e.g. add aliases): last wins
                fields[f.key] = f
                field_pos[f.key] = src.pos(("fields", i))
            for name, value in doc.params.items():
                pos = src.pos(("params", name))
                if isinstance(value, Param):
                    if name in params and params[name].policy != doc.policy and layer is not layers[0]:
                        prev = params[name]
                        if not _same_type(prev.spec.value, value.value):
                            errors.append(_wrong_param_type(pos, name, prev, value.value))
                            continue
                    problem = _param_range(pos, name, value, value.value)
                    if problem is not None:
                        errors.append(problem)
                        continue
                    params[name] = EffectiveParam(name, value, pos, pos, doc.policy)
                else:
                    if name not in params:
                        close = difflib.get_close_matches(name, list(params), n=1)
                        guess = f"（是否应为 '{close[0]}'？）" if close else ""
                        errors.append(at(
                            pos,
                            f"参数 '{name}' 未在上级政策中声明{guess}；新参数须写成 {{value: …, title: …}} / "
                            f"unknown parameter '{name}': declare new ones with value and title",
                        ))
                        continue
                    prev = params[name]
                    if not _same_type(prev.spec.value, value):
                        errors.append(_wrong_param_type(pos, name, prev, value))
                        continue
                    problem = _param_range(pos, name, prev.spec, value)
                    if problem is not None:
                        errors.append(problem)
                        continue
                    params[name] = EffectiveParam(
                        name, replaced(prev.spec, value=value), prev.declared_at, pos, doc.policy
                    )
            for i, rule in enumerate(doc.rules):
                pos = src.pos(("rules", i))
                if rule.code in rules:
                    prev_r = rules[rule.code]
                    errors.append(at(
                        pos, f"规则代码 {rule.code} 已在 {prev_r.defined_at} 定义；修改继承的规则请用 overrides / "
                        f"duplicate code (use overrides to change an inherited rule)"
                    ))
                    continue
                sev_pos = src.pos(("rules", i, "severity"))
                rules[rule.code] = EffectiveRule(rule, doc.policy, pos, sev_pos, order, src, ("rules", i))
                order += 1
            for code, ov in doc.overrides.items():
                pos = src.pos(("overrides", code))
                if code not in rules:
                    errors.append(at(pos, f"overrides 的规则 {code} 不存在 / no inherited rule {code}"))
                    continue
                er = rules[code]
                update = ov.model_dump(exclude_none=True)
                if er.rule.locked and "severity" in update:
                    new = Severity(update["severity"])
                    if new.rank < er.rule.severity.rank:
                        errors.append(at(
                            pos, f"规则 {code} 已由 {er.defined_at} 锁定（法定要求），不能降低其级别 / "
                            f"locked: its severity cannot be lowered"
                        ))
                        continue
                if "source" in update:
                    update["source"] = ov.source
                er.rule = replaced(er.rule, **update)
                for key in update:
                    er.set_at[key] = src.pos(("overrides", code, key))
                if "severity" in update:
                    er.severity_at = src.pos(("overrides", code, "severity"))
            for i, code in enumerate(doc.disable):
                pos = src.pos(("disable", i))
                if code not in rules:
                    errors.append(at(pos, f"disable 的规则 {code} 不存在 / no rule {code} to disable"))
                    continue
                if rules[code].rule.locked:
                    errors.append(at(
                        pos, f"规则 {code} 已由 {rules[code].defined_at} 锁定（法定要求），不能停用 / "
                        f"locked rule cannot be disabled"
                    ))
                    continue
                disabled[code] = pos
    from .collisions import header_collisions

    errors += header_collisions(fields, field_pos)
    errors += check_review(review, {**fields, **_builtin_fields()})
    if errors:
        raise UserError(
            f"政策有 {len(errors)} 处错误 / {len(errors)} policy error(s)",
            path=chain[-1].path if chain else None,
            problems=errors,
        )
    for code in disabled:
        rules.pop(code, None)
    last = layers[-1].doc
    policy = EffectivePolicy(
        name=last.policy,
        version=last.version,
        title=last.title,
        as_of=as_of,
        chain=chain,
        rules=rules,
        params=params,
        fields=fields,
        field_pos=field_pos,
        sources=sources,
        standards=standards,
        disabled=disabled,
        parts=parts,
        review=review,
    )
    check_references(policy)
    from .texts import fill_texts

    fill_texts(policy)  # parameters in titles and rationales: the effective values
    return policy


def _builtin_fields() -> dict[str, FieldSpec]:
    from ..roster.columns import BUILTIN_BY_KEY

    return dict(BUILTIN_BY_KEY)


def _numeric_pair(a: Any, b: Any) -> bool:
    return isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool) and not isinstance(b, bool)


def _same_type(old: Any, new: Any) -> bool:
    return type(old) is type(new) or _numeric_pair(old, new)


def _wrong_param_type(pos: Pos, name: str, prev: EffectiveParam, value: Any) -> Problem:
    """A parameter set to a value of another kind than its declaration's, at the place it is set."""
    zh, en = type_words(prev.spec.value)
    return at(
        pos,
        f"参数 '{name}' 应为{zh}（如 {value_text(prev.spec.value)}，见 {prev.declared_at} 的声明），实为 {value_text(value)}"
        f" / parameter '{name}' must be {en}",
        number_hint(value) if isinstance(prev.spec.value, int | float) else None,
    )


# The range of a parameter's value, by the unit its declaration gives.
SHARE_UNITS = ("比例",)
COUNT_UNITS = ("岁", "年", "人", "日", "天", "个", "名")


def _param_range(pos: Pos, name: str, spec: Param, value: Any) -> Problem | None:
    """A share outside 0..1 or a negative age, count or number of years, where it is set."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if spec.unit in SHARE_UNITS and not 0 <= value <= 1:
        return at(
            pos,
            f"参数 '{name}' 是比例，应为 0 到 1 之间的小数（如 0.9 表示 90%），实为 {value} / a share is between 0 and 1",
        )
    if spec.unit in COUNT_UNITS and value < 0:
        return at(pos, f"参数 '{name}'（单位：{spec.unit}）不能为负数，实为 {value} / parameter '{name}' cannot be negative")
    return None
