"""Merging the departments' returns into a roster, with provenance (spec/review.md).

    roster + returns --read--> answers --latest round per department--> merged cells
                                     \\--> RV findings, the ledger's statuses

Rules, in the order they apply:
- rows are matched by normalised ID number only (15-digit numbers converted); an ID that is
  missing, malformed or damaged by Excel is RV009 and never matched by name;
- a row whose 核查结论 is 无 answers 无 for every column of its department; a row with a blank
  核查结论 and blank answers is not an answer; a hits-only return answers 无 for everyone of the
  request it does not list;
- a later round supersedes an earlier one for the same department and person (no RV004; the
  earlier answer stays in the history); a department's latest round is the highest round of
  its returns, and a person counts as answered by it only when answered in that round (RV001);
- where several departments answer a column, any 有 wins, and the text names each department
  that said 有; dates keep the latest, ratings and rates the lowest (RV004 when they differ);
- the roster's own value of a column nobody answered stays; one that somebody answered is
  replaced by the answers (the cell comment keeps the old value); a 有 typed into the roster
  that the departments answer 无 is replaced too, and said (RV004), never dropped silently.
Why one module of ~600 lines: the rules above are one algorithm over shared state (`_Merger`:
answers by person and department, rounds, provenance); splitting it would pass that state
between modules. Reading returns is returns.py, the ledger ledger.py.
The roster file is never written: the merged roster is a new frame in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from ..errors import UserError
from ..findings import Finding, Location, Subject
from ..policy.resolve import EffectivePolicy
from ..policy.review import Department, ReviewConfig
from ..roster import values
from ..roster.columns import FieldSpec
from ..roster.load import Roster, parse_field
from ..roster.types import field_type
from .codes import RV_RULES
from .people import People, Person, batch_id, roster_people
from .returns import CONCLUSION, ReturnFile, ReturnRow, read_conclusion, read_return

INFO_TYPES = frozenset({"term_rating", "assessment", "percent", "number"})
NUMERIC_TYPES = frozenset({"date", "year", "percent", "number"})


@dataclass(frozen=True)
class Provenance:
    """Where one department's answer came from."""

    department: str
    path: str
    sheet: str | None
    row: int | None  # None: not listed in a hits-only return
    round: int
    doc_no: str | None = None
    date: str | None = None

    def cite(self) -> str:
        """`公安机关，第2轮，公(2021)12号，联审-2-公安机关.xlsx 第14行`."""
        parts = [self.department, f"第{self.round}轮"]
        if self.doc_no:
            parts.append(self.doc_no)
        name = Path(self.path).name
        parts.append(f"{name} 第{self.row}行" if self.row is not None else f"{name} 未列出（仅列有问题人员，视为无）")
        return "，".join(parts)


@dataclass
class Answer:
    """One department's answer for one person, from one return row (or a hits-only list)."""

    department: str
    id: str
    round: int
    status: str  # 无 | 有 | 待查
    values: dict[str, tuple[str, Any, str]]  # key -> (text as written, parsed, "hit" | "info")
    nones: set[str]
    unreadable: set[str]
    remark: str | None
    prov: Provenance
    superseded: bool = False

    def same_content(self, other: Answer) -> bool:
        return (self.status, {k: v[1] for k, v in self.values.items()}, self.nones, self.unreadable) == (
            other.status, {k: v[1] for k, v in other.values.items()}, other.nones, other.unreadable)


@dataclass
class MergedCell:
    key: str
    text: str  # the value written into the roster
    hit: bool  # not a plain 无
    provenance: list[Provenance]
    departments: list[str]  # the departments whose answers make the value
    roster_value: str | None = None  # what the roster had in the cell before, when different

    def cite(self) -> str:
        return "；".join(dict.fromkeys(p.cite() for p in self.provenance))


@dataclass
class DeptStatus:
    """A cell of the ledger: one person, one department."""

    status: str  # 无 | 有 | 待查 | 未回复
    answer: Answer | None  # the department's latest answer for the person (any round)
    current: bool  # answered in the department's latest round
    text: str = ""  # 有：what


@dataclass
class MergeResult:
    roster: Roster  # the merged roster (a new frame; the file is untouched)
    config: ReviewConfig
    people: People
    returns: list[ReturnFile]
    findings: list[Finding]
    cells: dict[tuple[str, str], MergedCell]  # (ID number, key) -> merged cell
    statuses: dict[tuple[str, str], DeptStatus]  # (ID number, department) -> status
    history: list[Answer]  # every answer read, superseded ones marked
    latest_round: dict[str, int]  # department -> its latest round (0: no return)
    rejected: list[ReturnFile] = field(default_factory=list)  # RV006: not merged
    notes: list[str] = field(default_factory=list)

    def reviewed(self, p: Person) -> bool:
        return all(self.statuses[(p.id, d.name)].status in ("无", "有") and self.statuses[(p.id, d.name)].current
                   for d in self.config.departments if d.required)

    def missing(self, p: Person) -> list[Department]:
        return [d for d in self.config.departments if d.required
                and not (self.statuses[(p.id, d.name)].current and self.statuses[(p.id, d.name)].status in ("无", "有"))]

    @property
    def complete(self) -> bool:
        return all(self.reviewed(p) for p in self.people.people)


def review_config(policy: EffectivePolicy) -> ReviewConfig:
    if policy.review is None or not policy.review.departments:
        chain = " → ".join(r.name for r in policy.chain)
        raise UserError(
            f"政策 {chain} 没有联审部门（review: 一节）/ the policy has no review departments",
            hint="随附的 national 政策带有默认分工（policies/national/review.yaml）；地区政策用 extends: national 即可继承。",
        )
    return policy.review


def read_returns(
    paths: Sequence[str | Path],
    policy: EffectivePolicy,
    *,
    hits_only: Sequence[tuple[str, str | Path]] = (),
    on_progress: Callable[[str], None] | None = None,
) -> list[ReturnFile]:
    """Read every return; `hits_only` pairs (department, file) declare hits-only lists."""
    config = review_config(policy)
    evidence = dict(policy.fields)
    out: list[ReturnFile] = []
    declared = {str(Path(f)): d for d, f in hits_only}
    seen: set[str] = set()
    for p in [*paths, *(f for _, f in hits_only)]:
        key = str(Path(p))
        if key in seen:
            continue
        seen.add(key)
        if on_progress:
            on_progress(str(p))
        dept = declared.get(key)
        out.append(read_return(p, config, evidence, department=dept, hits_only=dept is not None))
    return out


class _Merger:
    def __init__(self, roster: Roster, policy: EffectivePolicy, returns: list[ReturnFile], lang: str):
        self.roster = roster
        self.policy = policy
        self.config = review_config(policy)
        self.fields: dict[str, FieldSpec] = dict(roster.fields)
        self.returns = returns
        self.lang = lang
        self.people = roster_people(roster)
        self.findings: list[Finding] = []
        self.notes: list[str] = []
        self.answers: dict[tuple[str, str, int], Answer] = {}  # (dept, id, round)
        self.answer_rows: dict[tuple[str, str, int], tuple[ReturnFile, ReturnRow]] = {}
        self._parsed: dict[tuple[str, str], tuple[str, Any] | Exception] = {}

    # -- findings ------------------------------------------------------------------------------
    def _finding(self, code: str, message: str, *, person: Person | None = None, subject: Subject | None = None,
                 location: Location | None = None) -> None:
        rule = RV_RULES[code]
        if subject is None and person is not None:
            subject = Subject(person.district, person.township, person.unit, person.name, person.id, person.key)
        if location is None and person is not None:
            location = self.roster.location(person.src, person.row)
        self.findings.append(Finding(
            code=code, severity=rule.severity, category=rule.category, scope="person" if subject and subject.person else "file",
            title=rule.title(self.lang), message=message, subject=subject or Subject(),
            location=location or Location(), source=rule.source,
        ))

    @staticmethod
    def _loc(rf: ReturnFile, row: int | None, column: str | None = None, letter: str | None = None) -> Location:
        return Location(path=rf.path, sheet=rf.sheet, row=row, column=column,
                        cell=f"{letter}{row}" if letter and row is not None else None)

    # -- reading answers -----------------------------------------------------------------------
    def _parse(self, key: str, text: str) -> tuple[str, Any] | Exception:
        """(kind, parsed) of one answer cell: kind "none" | "hit" | "info" | "blank"; an exception
        when it cannot be read. Cached by (key, text): answers repeat."""
        got = self._parsed.get((key, text))
        if got is not None:
            return got
        spec = self.fields[key]
        typ = spec.type
        cv = values.clean(text)
        result: tuple[str, Any] | Exception
        if cv is None or values.is_blank(cv):
            result = ("blank", None)
        elif cv.rstrip("。.") in values.NONE_WORDS:
            result = ("none", None)
        else:
            try:
                parse = field_type(typ).parse
                assert parse is not None, typ
                v = parse(cv)
            except values.ValueParseError as e:
                result = e
            else:
                if v is None:
                    result = ("blank", None)
                elif typ in ("flag", "flag_text"):
                    result = ("hit", True) if v else ("none", None)
                elif typ in INFO_TYPES:
                    result = ("info", v)
                else:
                    result = ("hit", v)
        self._parsed[(key, text)] = result
        return result

    def _subject_of_row(self, row: ReturnRow, person: Person | None) -> Subject:
        if person is not None:
            return Subject(person.district, person.township, person.unit, person.name, person.id, person.key)
        res = row.id_result
        return Subject(name=row.name, id_number=res.normalized or (values.clean(row.id_raw) if row.id_raw else None))

    def read(self) -> None:
        by_dept: dict[str, list[ReturnFile]] = {}
        self.rejected: list[ReturnFile] = []
        all_ids = [p.id for p in self.people.people]
        for rf in self.returns:
            if rf.batch is not None:
                expected = batch_id(rf.round, rf.department.name, all_ids)
                if rf.batch != expected:
                    self._finding("RV006", (
                        f"{rf.name}（{rf.department.name}，第{rf.round}轮）的批次号 {rf.batch} 与按本名单生成的请求"
                        f"（{expected}，{len(all_ids)}人）不一致：名单在发函后有变动，或这是别处的文件；该文件未合并"
                    ), location=Location(path=rf.path, sheet="说明"))
                    self.rejected.append(rf)
                    continue
            if rf.ignored_columns:
                self.notes.append(
                    f"{rf.name}：列“{'、'.join(rf.ignored_columns)}”不由{rf.department.name}核查（按政策的联审分工），未合并"
                )
            by_dept.setdefault(rf.department.name, []).append(rf)
            self._read_file(rf)
        self.latest: dict[str, int] = {
            d.name: max((rf.round for rf in by_dept.get(d.name, [])), default=0) for d in self.config.departments
        }

    def _read_file(self, rf: ReturnFile) -> None:
        dept = rf.department
        listed: set[str] = set()
        for row in rf.rows:
            res = row.id_result  # (cached per distinct cell)
            person = self.people.by_id.get(res.normalized) if res.normalized else None
            if not res.usable:
                why = res.message_zh or "身份证号码为空"
                if res.status == "blank":
                    why = "身份证号码为空"
                self._finding("RV009", f"{rf.department.name}的回复中{row.name or '此行'}的身份证号码无法使用（{why}），未合并，也不按姓名匹配",
                              subject=self._subject_of_row(row, None), location=self._loc(rf, row.row, *rf.cell("id_number")))
                continue
            pid = res.normalized
            assert pid is not None
            if person is None:
                self._finding("RV002", f"{rf.department.name}的回复列出的{row.name or ''}（身份证号 {pid}）不在本名单中，未合并",
                              subject=self._subject_of_row(row, None), location=self._loc(rf, row.row, *rf.cell("id_number")))
                continue
            if row.name and person.name and row.name != person.name and _name_key(row.name) != _name_key(person.name):
                self._finding("RV003", (
                    f"{rf.department.name}的回复中此身份证号码的姓名为“{row.name}”，名单中为“{person.name}”（同号不同名）；"
                    "已按身份证号码合并，请核对是否抄错号码"
                ), person=person, location=self._loc(rf, row.row, *rf.cell("id_number")))
            answer = self._answer(rf, row, person)
            if answer is None:
                continue
            listed.add(pid)
            self._keep(rf, row, answer, person)
        if rf.hits_only:
            for p in self.people.people:
                if p.id in listed or (dept.name, p.id, rf.round) in self.answers:
                    continue
                prov = Provenance(dept.name, rf.path, rf.sheet, None, rf.round, rf.doc_no, rf.date)
                self.answers[(dept.name, p.id, rf.round)] = Answer(dept.name, p.id, rf.round, "无", {}, set(dept.answers), set(), None, prov)

    def _answer(self, rf: ReturnFile, row: ReturnRow, person: Person) -> Answer | None:
        dept = rf.department
        conclusion: str | None = None
        unreadable: set[str] = set()
        if row.conclusion is not None:
            conclusion = read_conclusion(row.conclusion)
            if conclusion is None:
                self._finding("RV005", f"{dept.name}的核查结论“{row.conclusion}”无法识别，应填“无”“有”或“待查”", person=person,
                              location=self._loc(rf, row.row, *rf.cell(CONCLUSION)))
                unreadable.add("核查结论")
        vals: dict[str, tuple[str, Any, str]] = {}
        nones: set[str] = set()
        for key, raw in row.answers.items():
            got = self._parse(key, raw)
            if isinstance(got, Exception):
                msg = getattr(got, "message_zh", str(got))
                column, letter = rf.cell(key)
                self._finding("RV005", f"{dept.name}回复的“{column}”为“{raw}”，无法识别：{msg}", person=person,
                              location=self._loc(rf, row.row, column, letter))
                unreadable.add(key)
                continue
            kind, v = got
            if kind == "none":
                nones.add(key)
            elif kind in ("hit", "info"):
                vals[key] = (values.clean_text(raw) or raw, v, kind)
        hits = [k for k, v in vals.items() if v[2] == "hit"]
        if conclusion is None and not vals and not nones and not unreadable:
            if not rf.hits_only:
                return None  # a blank row is not an answer (RV001 stays)
            conclusion = "有"  # listed in a hits-only return: something to report
            if len(dept.answers) == 1 and self.fields[dept.answers[0]].type in ("flag", "flag_text"):
                vals[dept.answers[0]] = (row.remark or "有", True, "hit")
                hits = [dept.answers[0]]
        if conclusion in ("无", "有", None):
            nones |= {k for k in dept.answers if k not in vals and k not in unreadable}
        if conclusion == "有" and not hits and not unreadable:
            self._finding("RV007", (
                f"{dept.name}的核查结论为“有”，但“{'、'.join(self.fields[k].header for k in dept.answers)}”都没有写明情况"
                + (f"（说明：{row.remark}）" if row.remark else "") + "，请部门补充"
            ), person=person, location=self._loc(rf, row.row, *(rf.cell(CONCLUSION) if row.conclusion else (None, None))))
        if conclusion == "待查" or unreadable:
            status = "待查"
        elif conclusion is not None:  # the department's own conclusion decides (a 是 in 签订承诺书 is no problem)
            status = conclusion
        else:
            status = "有" if hits else "无"
        prov = Provenance(dept.name, rf.path, rf.sheet, row.row, rf.round, rf.doc_no, rf.date)
        return Answer(dept.name, person.id, rf.round, status, vals, nones, unreadable, row.remark, prov)

    def _keep(self, rf: ReturnFile, row: ReturnRow, answer: Answer, person: Person) -> None:
        k = (answer.department, answer.id, answer.round)
        old = self.answers.get(k)
        if old is None:
            self.answers[k] = answer
            self.answer_rows[k] = (rf, row)
            return
        if old.same_content(answer):
            return
        old_rf, _ = self.answer_rows[k]
        where = f"第{old.prov.row}行" if old_rf is rf else f"{old_rf.name} 第{old.prov.row}行"
        self._finding("RV008", (
            f"{answer.department}第{answer.round}轮对此人回复了两次且不一致（另见{where}：{_answer_text(old, self.fields)}；"
            f"此行：{_answer_text(answer, self.fields)}）；合并时取“有”"
        ), person=person, location=self._loc(rf, row.row, *rf.cell("id_number")))
        if answer.status == "有" and old.status != "有":
            self.answers[k] = answer
            self.answer_rows[k] = (rf, row)
        elif answer.status == "有" and old.status == "有":
            for key, v in answer.values.items():
                if key in old.values and old.values[key][1] != v[1]:
                    old.values[key] = (f"{old.values[key][0]}；{v[0]}", old.values[key][1], old.values[key][2])
                elif key not in old.values:
                    old.values[key] = v
                    old.nones.discard(key)

    # -- the latest answer per department and person -------------------------------------------
    def effective(self) -> tuple[dict[tuple[str, str], DeptStatus], list[Answer]]:
        latest_answer: dict[tuple[str, str], Answer] = {}
        history: list[Answer] = []
        for (dept, pid, _rnd), a in sorted(self.answers.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
            prev = latest_answer.get((dept, pid))
            if prev is not None:
                prev.superseded = True
            latest_answer[(dept, pid)] = a
            history.append(a)
        statuses: dict[tuple[str, str], DeptStatus] = {}
        for p in self.people.people:
            for d in self.config.departments:
                got = latest_answer.get((d.name, p.id))
                if got is None:
                    statuses[(p.id, d.name)] = DeptStatus("未回复", None, False)
                    continue
                current = got.round == self.latest[d.name]
                statuses[(p.id, d.name)] = DeptStatus(got.status, got, current, _answer_text(got, self.fields))
        return statuses, history

    def missing_findings(self, statuses: dict[tuple[str, str], DeptStatus]) -> None:
        for p in self.people.people:
            for d in self.config.departments:
                if not d.required:
                    continue
                st = statuses[(p.id, d.name)]
                rnd = self.latest[d.name] or 1
                if st.answer is None:
                    msg = f"{d.name}尚未回复" + (f"（第{rnd}轮）" if self.latest[d.name] else "（没有收到该部门的回复文件）")
                elif not st.current:
                    msg = f"{d.name}第{rnd}轮尚未回复（第{st.answer.round}轮的结论为“{st.answer.status}”，已被新一轮请求取代）"
                elif st.answer.status == "待查" and not st.answer.unreadable:
                    msg = f"{d.name}第{rnd}轮回复“待查”，尚未给出结论（{st.answer.prov.cite()}）"
                else:
                    continue
                self._finding("RV001", msg, person=p)

    # -- merged cells ---------------------------------------------------------------------------
    def merge_cells(self, statuses: dict[tuple[str, str], DeptStatus]) -> dict[tuple[str, str], MergedCell]:
        cells: dict[tuple[str, str], MergedCell] = {}
        keys = self.config.keys
        answering = {k: self.config.answering(k) for k in keys}
        raw_cols = {k: self.roster.frame[f"{k}:raw"].to_list() if f"{k}:raw" in self.roster.frame.columns else None for k in keys}
        for p in self.people.people:
            for key in keys:
                hits: list[tuple[str, str, Any, Provenance | None]] = []
                nones: list[tuple[str, Provenance]] = []
                infos: list[tuple[str, str, Any, Provenance]] = []
                for d in answering[key]:
                    st = statuses[(p.id, d.name)]
                    a = st.answer
                    if a is None:
                        continue
                    if key in a.values:
                        text, v, kind = a.values[key]
                        (hits if kind == "hit" else infos).append((d.name, text, v, a.prov))  # type: ignore[arg-type]
                    elif key in a.nones:
                        nones.append((d.name, a.prov))
                if not hits and not nones and not infos:
                    continue
                col = raw_cols[key]
                own = col[p.rows[0]] if col is not None else None
                cell = self._combine(p, key, hits, nones, infos)
                if cell is None:
                    continue
                if own is not None and values.clean_text(own) != cell.text:
                    cell.roster_value = values.clean_text(own)
                    got = self._parse(key, own)
                    if not cell.hit and not isinstance(got, Exception) and got[0] == "hit":
                        spec = self.fields[key]
                        self._finding("RV004", (
                            f"“{spec.header}”：名单中原填“{cell.roster_value}”，而{'、'.join(cell.departments)}回复无；"
                            "已按部门回复合并为“无”，请核实"
                        ), person=p, location=self._cell_location(p, key))
                cells[(p.id, key)] = cell
        return cells

    def _combine(self, p: Person, key: str, hits: list[tuple[str, str, Any, Provenance | None]],
                 nones: list[tuple[str, Provenance]], infos: list[tuple[str, str, Any, Provenance]]) -> MergedCell | None:
        spec = self.fields[key]
        typ = spec.type
        dept_hits = hits
        if dept_hits and nones:
            said = "、".join(dict.fromkeys(h[0] for h in dept_hits))
            denied = "、".join(dict.fromkeys(n[0] for n in nones))
            self._finding("RV004", (
                f"“{spec.header}”：{said}回复有（{'；'.join(h[1] for h in dept_hits)}），{denied}回复无；合并时取“有”，请与部门核实"
            ), person=p, location=self._cell_location(p, key))
        if hits:
            provs = [h[3] for h in hits if h[3] is not None]
            depts = list(dict.fromkeys(h[0] for h in hits))
            if typ == "date":
                distinct = {h[2].lo for h in hits}
                if len(distinct) > 1:
                    self._finding("RV004", (
                        f"“{spec.header}”：" + "，".join(f"{h[0]}回复{h[1]}" for h in dept_hits) + "，日期不同；合并时取最晚的，请与部门核实"
                    ), person=p, location=self._cell_location(p, key))
                best = max(hits, key=lambda h: (h[2].hi, h[2].lo))
                text = best[1]
            elif typ == "year":
                years = sorted({y for h in hits for y in h[2]})
                text = "、".join(str(y) for y in years)
            elif typ == "flag":
                text = "是"
            else:  # flag_text, text: each department's words with its name
                text = "；".join(_with_department(h[1], h[0]) for h in hits)
            return MergedCell(key, text, True, provs, depts)
        if infos:
            distinct = {i[2] for i in infos}
            if len(distinct) > 1:
                self._finding("RV004", (
                    f"“{spec.header}”：" + "，".join(f"{i[0]}回复{i[1]}" for i in infos) + "，不一致；合并时取较低的，请与部门核实"
                ), person=p, location=self._cell_location(p, key))
            best = min(infos, key=lambda i: _info_rank(typ, i[2]))
            return MergedCell(key, best[1], True, [best[3]], [best[0]])
        return MergedCell(key, "否" if typ == "flag" else "无", False, [n[1] for n in nones], [n[0] for n in nones])

    def _cell_location(self, p: Person, key: str) -> Location:
        return self.roster.location(p.src, p.row, key if key in self.roster.present else None)


def _info_rank(typ: str, v: Any) -> Any:
    if typ == "term_rating":
        return values.TERM_RATING_LEVELS.get(v, 99)
    if typ == "assessment":
        return values.ASSESSMENT_LEVELS.get(v, 99)
    return v


_FLAG_WORDS = values.FLAG_TRUE | {"有", "是"}


def _with_department(text: str, dept: str) -> str:
    t = text.strip()
    if t.lower() in _FLAG_WORDS:
        return f"有（{dept}）"
    return f"{t}（{dept}）"


def _name_key(name: str) -> str:
    """Names compare without spaces and with one middle dot (`阿依古丽·买买提`)."""
    return "".join(values.to_halfwidth(name).split()).replace("•", "·").replace("．", "·").replace(".", "·")


def _answer_text(a: Answer, fields: dict[str, FieldSpec]) -> str:
    """无 / 有：刑事处罚（…） / 待查, as the ledger shows it."""
    if a.status == "有":
        parts = [f"{fields[k].header}（{v[0]}）" for k, v in a.values.items() if v[2] == "hit"]
        return "有：" + ("；".join(parts) if parts else (a.remark or "未说明"))
    if a.status == "待查":
        what = "、".join(fields[k].header if k in fields else k for k in sorted(a.unreadable))
        return "待查" + (f"：{what}无法识别" if what else "")
    return "无"


def apply_cells(roster: Roster, people: People, cells: dict[tuple[str, str], MergedCell], lang: str = "zh") -> Roster:
    """A new Roster whose evidence columns hold the merged values (raw text and parsed)."""
    frame = roster.frame
    by_key: dict[str, list[tuple[int, str]]] = {}
    for (pid, key), cell in cells.items():
        for i in people.by_id[pid].rows:
            by_key.setdefault(key, []).append((i, cell.text))
    merged = Roster(frame=frame, sources=roster.sources, fields=roster.fields, findings=list(roster.findings))
    new_cols: list[pl.Series] = []
    for key, items in by_key.items():
        name = f"{key}:raw"
        base = frame[name] if name in frame.columns else pl.Series(name, [None] * frame.height, dtype=pl.String)
        texts = base.to_list()
        for i, t in items:
            texts[i] = t
        raw = pl.Series(name, texts, dtype=pl.String)
        new_cols.append(raw)
        for out_name, col in parse_field(merged, key, raw, lang).items():
            new_cols.append(col.alias(out_name))
    if new_cols:
        merged.frame = frame.with_columns(new_cols)
    return merged


def merge_returns(
    roster: Roster, policy: EffectivePolicy, returns: list[ReturnFile], *, lang: str = "zh"
) -> MergeResult:
    """Merge read returns into the roster (in memory) and report RV001-RV009."""
    m = _Merger(roster, policy, returns, lang)
    m.read()
    statuses, history = m.effective()
    m.missing_findings(statuses)
    cells = m.merge_cells(statuses)
    merged = apply_cells(roster, m.people, cells, lang)
    return MergeResult(
        roster=merged, config=m.config, people=m.people, returns=[r for r in returns if r not in m.rejected],
        findings=m.findings, cells=cells, statuses=statuses, history=history, latest_round=m.latest,
        rejected=m.rejected, notes=m.notes,
    )


def _fields_of(cond: Any) -> set[str]:
    """The fields a rule's condition reads (walking the policy model, not the compiled checks)."""
    from ..policy.objects import All, AnyOf, Leaf, Not

    if cond is None:
        return set()
    if isinstance(cond, Leaf):
        return {cond.field}
    if isinstance(cond, All):
        return set().union(*(_fields_of(c) for c in cond.all))
    if isinstance(cond, AnyOf):
        return set().union(*(_fields_of(c) for c in cond.any))
    if isinstance(cond, Not):
        return _fields_of(cond.not_)
    return set()


def cite_provenance(findings: list[Finding], merge: MergeResult, policy: EffectivePolicy) -> list[Finding]:
    """Findings of policy rules that read a merged cell (other than a plain 无) cite where it came
    from: `受过刑事处罚：…（公安机关，第2轮，联审-2-公安机关.xlsx 第14行）`."""
    reads: dict[str, set[str]] = {}
    for code, er in policy.rules.items():
        r = er.rule
        keys: set[str] = set()
        keys |= _fields_of(r.when) | _fields_of(r.who)
        reads[code] = keys
    by_person = {p.key: p for p in merge.people.people}
    out: list[Finding] = []
    for f in findings:
        p = by_person.get(f.subject.person or "")
        read = reads.get(f.code)
        if p is None or not read:
            out.append(f)
            continue
        keys = read
        cites = [merge.cells[(p.id, k)].cite() for k in sorted(keys)
                 if (p.id, k) in merge.cells and merge.cells[(p.id, k)].hit and merge.cells[(p.id, k)].provenance]
        if cites:
            f = replace(f, message=f"{f.message}（{'；'.join(dict.fromkeys(cites))}）")
        out.append(f)
    return out
