"""Reading departments' returns (回复) with the roster readers.

A return is a department's filled request workbook (recognised by its `说明` sheet) or any
xlsx/csv with an ID number column, a name column and answer columns named by the roster headers
or their aliases. The table itself is read by `vetting.roster.readers.read_table` (title rows,
renamed headers, GBK CSV, IDs stored as numbers…); this module works out which department and
round it is, and reads each row's answers as data. It decides nothing about the roster: that is
`merge.py`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..policy.review import Department, ReviewConfig
from ..roster import idnumber, values
from ..roster.columns import BUILTIN_BY_KEY, FieldSpec
from ..roster.headers import HeaderMatcher, normalize_header
from ..roster.readers import RawTable, read_table

# Column keys of a return besides the evidence columns.
CONCLUSION = "review_conclusion"
REMARK = "review_remark"
DOC_NO = "review_doc_no"
RETURN_FIELDS: tuple[FieldSpec, ...] = (
    BUILTIN_BY_KEY["id_number"],
    BUILTIN_BY_KEY["name"],
    *(replace(BUILTIN_BY_KEY[k], required=False) for k in ("district", "township", "unit", "gender")),
    FieldSpec(key=CONCLUSION, header="核查结论", aliases=("核查结果", "审查结论", "审核结论", "结论", "核查意见", "审查意见"), title_en="conclusion"),
    FieldSpec(key=REMARK, header="说明", aliases=("情况说明", "核查情况", "具体情况", "备注", "问题说明"), title_en="remark"),
    FieldSpec(key=DOC_NO, header="回复文号", aliases=("文号",), title_en="reference"),
)
# Headers of request columns that carry nothing to merge (kept by the reader, not reported).
REQUEST_ONLY = ("序号", "拟任职务")

CONCLUSION_WORDS: dict[str, str] = {
    "无": "无", "没有": "无", "否": "无", "未发现": "无", "无问题": "无", "正常": "无", "通过": "无",
    "合格": "无", "无异常": "无", "未发现问题": "无", "无不良记录": "无", "无违法犯罪记录": "无",
    "有": "有", "是": "有", "有问题": "有", "发现问题": "有", "存在问题": "有", "不通过": "有",
    "待查": "待查", "核查中": "待查", "待核实": "待查", "正在核查": "待查", "待定": "待查",
}
HITS_ONLY_RE = re.compile(r"仅列(?:出)?有问题(?:的)?人员|只列(?:出)?有问题(?:的)?人员|仅列有情况人员")
_LABEL_VALUE = re.compile(r"^\s*(?P<label>[^:：\s]{1,8})\s*[:：]?\s*(?P<value>.*?)\s*$")
_ROUND_RE = re.compile(r"第\s*(?P<n>\d+|[一二三四五六七八九十])\s*轮")
_FILE_RE = re.compile(r"^联审-(?P<round>\d+)-(?P<dept>.+)$")
_ZH_NUM = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")}
DEPT_LABELS = ("核查单位", "部门", "回复单位", "核查部门", "填报单位", "单位")
ROUND_LABELS = ("轮次", "核查轮次")
DOC_LABELS = ("回复文号", "文号")
DATE_LABELS = ("回复日期", "日期", "核查日期")
BATCH_LABELS = ("批次号", "批次")
METHOD_LABELS = ("核查方式",)


@dataclass(slots=True)
class ReturnRow:
    row: int  # the row a person sees in the file
    id_raw: str | None
    id_numeric: bool  # stored as a number by Excel
    name: str | None
    conclusion: str | None  # 核查结论 as written
    remark: str | None
    answers: dict[str, str]  # key -> text as written, for the department's non-blank answer cells

    @property
    def id_result(self) -> idnumber.IdResult:
        return _analyze(self.id_raw, self.id_numeric)


_ID_CACHE: dict[tuple[str | None, bool], idnumber.IdResult] = {}


def _analyze(raw: str | None, numeric: bool) -> idnumber.IdResult:
    """`analyze_id`, once per distinct cell: the same people come back from every department."""
    got = _ID_CACHE.get((raw, numeric))
    if got is None:
        if len(_ID_CACHE) > 200_000:
            _ID_CACHE.clear()
        got = _ID_CACHE[(raw, numeric)] = idnumber.analyze_id(raw, numeric_cell=numeric)
    return got


@dataclass
class ReturnFile:
    path: str
    sheet: str | None
    department: Department
    round: int
    rows: list[ReturnRow]
    batch: str | None = None  # from the 说明 sheet of a request workbook
    doc_no: str | None = None  # 文号
    date: str | None = None
    hits_only: bool = False
    how: str = ""  # how the department was recognised: 说明 / 表头上方 / 文件名 / --hits-only
    ignored_columns: list[str] = field(default_factory=list)  # other departments' columns
    header_row: int = 0
    columns: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # key -> (header, letter)

    def cell(self, key: str) -> tuple[str | None, str | None]:
        """(header as written, column letter) of a recognised column."""
        return self.columns.get(key, (None, None))

    @property
    def name(self) -> str:
        return Path(self.path).name


def _parse_round(text: str) -> int | None:
    text = values.to_halfwidth(text).strip()
    if text.isdigit():
        return int(text)
    m = _ROUND_RE.search(text)
    if m:
        n = m["n"]
        return int(n) if n.isdigit() else _ZH_NUM[n]
    return None


def _labelled(texts: list[str], labels: tuple[str, ...]) -> str | None:
    """The value after a label: `核查单位：公安局`, `核查单位 公安局` (a label cell followed by a
    value cell, joined by the reader with a space)."""
    for t in texts:
        t = values.to_halfwidth(t).replace(":", "：")
        for label in labels:
            m = re.search(rf"(?:^|\s){re.escape(label)}\s*(?:[：]\s*|\s+)(?P<v>\S.*?)\s*$", t)
            if m:
                v = m["v"]
                # a second label on the same line (`核查单位：公安局 回复日期：…`) ends the value
                v = re.split(r"\s+(?=[^\s：]{1,6}：)", v)[0].strip()
                return v or None
    return None


def _sheet_pairs(path: str, data: bytes) -> dict[str, str] | None:
    """The `说明` sheet of a request workbook as label -> value, or None when there is none."""
    import io

    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, OSError, ValueError):
        return None  # read_table reports an unreadable workbook properly
    names = [n for n in wb.sheet_names if normalize_header(n) == "说明"]
    if not names:
        return None
    rows = wb.get_sheet_by_name(names[0]).to_python(skip_empty_area=False)
    out: dict[str, str] = {}
    for row in rows:
        cells = [str(v).strip() for v in row if v is not None and str(v).strip()]
        if len(cells) >= 2:
            label = cells[0].rstrip(":：").strip()
            out.setdefault(label, cells[1])
    return out


def _data_sheet(path: Path) -> str | None:
    """The sheet with the answers: the first visible one that is not `说明`."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError):
        return None
    for meta in wb.sheets_metadata:
        if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet and normalize_header(str(meta.name)) != "说明":
            return str(meta.name)
    return None


def return_matcher(evidence: dict[str, FieldSpec]) -> HeaderMatcher:
    return HeaderMatcher([*RETURN_FIELDS, *evidence.values()])


def read_return(
    path: str | Path,
    config: ReviewConfig,
    evidence: dict[str, FieldSpec],
    *,
    department: str | None = None,
    hits_only: bool = False,
) -> ReturnFile:
    """Read one return file. `department` (from `--hits-only DEPT=FILE`) names its department."""
    shown = str(path)
    p = Path(path)
    matcher = return_matcher(evidence)
    table = read_table(p, matcher=matcher, sheet=_data_sheet(p))
    pairs = _sheet_pairs(shown, p.read_bytes()) if p.suffix.lower() in (".xlsx", ".xlsm") else None
    # Text above the header (titles, `核查单位：X`) and metadata lines below the table.
    notes = [t for _, t in table.notes]
    dept: Department | None = None
    how = ""
    if department is not None:
        dept = config.by_name(department)
        if dept is None:
            raise UserError(
                f"联审部门“{department}”不在政策的部门名单中 / unknown department '{department}'",
                path=shown,
                hint="政策中的部门：" + "、".join(d.name for d in config.departments),
            )
        how = "--hits-only"
    if dept is None and pairs:
        named = next((pairs[k] for k in DEPT_LABELS if k in pairs), None)
        if named:
            dept = config.by_name(named)
            how = "说明"
            if dept is None:
                raise _unknown_department(shown, named, config)
    if dept is None:
        named = _labelled(notes, DEPT_LABELS)
        if named:
            dept = config.by_name(named)
            how = "表头上方"
            if dept is None:
                raise _unknown_department(shown, named, config)
    stem = values.to_halfwidth(p.stem)
    m = _FILE_RE.match(stem)
    if dept is None:
        candidate = m["dept"] if m else stem
        dept = config.by_name(candidate)
        how = "文件名"
    if dept is None:
        raise UserError(
            "无法确定这份回复是哪个联审部门的 / cannot tell which department this return is from",
            path=shown,
            hint=(
                "请用 vetting review requests 生成的文件（带“说明”页），或在表头上方加一行“核查单位：公安局”，"
                "或把文件命名为“联审-<轮次>-<部门>.xlsx”。政策中的部门：" + "、".join(d.name for d in config.departments)
            ),
        )
    rnd: int | None = None
    if pairs:
        rtext = next((pairs[k] for k in ROUND_LABELS if k in pairs), None)
        rnd = _parse_round(rtext) if rtext else None
    if rnd is None:
        rtext = _labelled(notes, ROUND_LABELS)
        rnd = _parse_round(rtext) if rtext else None
    if rnd is None:
        rnd = next((r for r in (_parse_round(t) for t in notes) if r is not None), None)
    if rnd is None and m:
        rnd = int(m["round"])
    if rnd is None:
        rnd = _parse_round(stem) if _ROUND_RE.search(stem) else None
    batch = next((pairs[k] for k in BATCH_LABELS if k in pairs), None) if pairs else None
    doc_no = _pair_value(pairs, DOC_LABELS) or _labelled(notes, DOC_LABELS)
    date = _pair_value(pairs, ("回复日期",)) or _labelled(notes, DATE_LABELS)
    method = _pair_value(pairs, METHOD_LABELS) or _labelled(notes, METHOD_LABELS) or ""
    if not hits_only and (HITS_ONLY_RE.search(method) or any(HITS_ONLY_RE.search(t) for t in notes)):
        hits_only = True
    rf = ReturnFile(
        path=shown, sheet=table.sheet, department=dept, round=rnd or 1, rows=[], batch=batch,
        doc_no=doc_no, date=date, hits_only=hits_only, how=how, header_row=table.header_row,
    )
    _rows(table, matcher, dept, rf)
    return rf


_PLACEHOLDER_VALUES = ("（由核查单位填写）", "(由核查单位填写)", "由核查单位填写")


def _pair_value(pairs: dict[str, str] | None, labels: tuple[str, ...]) -> str | None:
    if not pairs:
        return None
    for k in labels:
        v = pairs.get(k)
        if v and v.strip() not in _PLACEHOLDER_VALUES:
            return v.strip()
    return None


def _unknown_department(path: str, named: str, config: ReviewConfig) -> UserError:
    return UserError(
        f"回复文件写明的核查单位“{named}”不在政策的联审部门中 / department '{named}' is not in the policy",
        path=path,
        hint="政策中的部门（及别名）：" + "；".join(f"{d.name}（{'、'.join(d.aliases)}）" if d.aliases else d.name for d in config.departments)
        + "。可在地区政策的 review: 中给部门加别名。",
    )


def _rows(table: RawTable, matcher: HeaderMatcher, dept: Department, rf: ReturnFile) -> None:
    cols: dict[str, int] = {}
    for j, h in enumerate(table.headers):
        key = matcher.match(h)
        if key is None or key in cols:
            continue
        cols[key] = j
    answer_cols = [(k, cols[k]) for k in dept.answers if k in cols]
    rf.columns = {k: (table.headers[j], table.letters[j]) for k, j in cols.items()}
    known = {"id_number", "name", "district", "township", "unit", "gender", CONCLUSION, REMARK, DOC_NO}
    rf.ignored_columns = [
        table.headers[j] for k, j in cols.items() if k not in known and k not in dept.answers
    ]
    col_values: dict[int, list[str | None]] = {}

    def column(j: int) -> list[str | None]:
        if j not in col_values:
            col_values[j] = table.column_values(j)
        return col_values[j]

    n = table.n_rows
    id_j = cols.get("id_number")
    name_j = cols.get("name")
    conc_j = cols.get(CONCLUSION)
    rem_j = cols.get(REMARK)
    doc_j = cols.get(DOC_NO)
    ids = column(id_j) if id_j is not None else [None] * n
    names = column(name_j) if name_j is not None else [None] * n
    concs = column(conc_j) if conc_j is not None else [None] * n
    rems = column(rem_j) if rem_j is not None else [None] * n
    docs = column(doc_j) if doc_j is not None else [None] * n
    answers = [(k, column(j)) for k, j in answer_cols]
    numeric = table.numeric[id_j] if id_j is not None and table.numeric else set()
    for i in range(n):
        if rf.doc_no is None and docs[i]:
            rf.doc_no = docs[i]
        if ids[i] is None and names[i] is None and _metadata_row(table, i, rf):
            continue
        got = {k: v for k, vals in answers if (v := vals[i]) is not None and v.strip()}
        nm = names[i]
        rf.rows.append(ReturnRow(
            table.rows[i], ids[i], i in numeric, values.clean_text(nm) if nm else None, concs[i] or None,
            values.clean_text(rems[i]) if rems[i] else None, got,
        ))


_META_LABELS = DOC_LABELS + DATE_LABELS + DEPT_LABELS + ROUND_LABELS + METHOD_LABELS + ("填表人", "联系电话", "经办人")


def _metadata_row(table: RawTable, i: int, rf: ReturnFile) -> bool:
    """A row below the table with no ID number and no name that reads `文号：…`, `回复日期：…`:
    the return's metadata, not a person. Anything else stays a row (and is reported)."""
    texts = [v for j in range(len(table.headers)) if (v := table.column_values(j)[i])]
    if not texts or not _labelled([" ".join(texts)], _META_LABELS):
        return False
    joined = [" ".join(texts)]
    rf.doc_no = rf.doc_no or _labelled(joined, DOC_LABELS)
    rf.date = rf.date or _labelled(joined, DATE_LABELS)
    if HITS_ONLY_RE.search(joined[0]):
        rf.hits_only = True
    return True


def read_conclusion(text: str) -> str | None:
    """核查结论 as 无 / 有 / 待查, or None when it cannot be read."""
    v = values.clean(text)
    if v is None:
        return None
    v = v.rstrip("。.!！;；,，、").replace(" ", "")
    if v in CONCLUSION_WORDS:
        return CONCLUSION_WORDS[v]
    if v.startswith(("有", "存在", "发现")) and "未发现" not in v:
        return "有"
    if v.startswith(("无", "未发现", "没有")):
        return "无"
    return None


def describe(rf: ReturnFile) -> dict[str, Any]:
    """What was recognised, for notes on stderr and the ledger's file list."""
    return {
        "path": rf.path, "department": rf.department.name, "round": rf.round, "how": rf.how,
        "rows": len(rf.rows), "hits_only": rf.hits_only, "doc_no": rf.doc_no, "batch": rf.batch,
    }
