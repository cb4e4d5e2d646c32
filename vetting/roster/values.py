"""Scalar value normalisers for roster cells (see spec/roster.md, "Values").

Every parser is pure: it takes one cell as text and returns the canonical value, ``None`` for a
blank-like cell, or raises `ValueParseError` (with a Chinese and an English message naming the
value) for a value it cannot read. Parsers clean their input themselves, so they also accept raw
cells; `PARSERS` maps each `FieldType` of `columns.py` (except ``id_number``, which
`vetting.roster.idnumber.analyze_id` handles because it reports a status instead of raising)
to its parser.

Why one module of ~780 lines: it is a flat list of small independent parsers (one per field
type, each with its word lists), and the field-type registry maps each type to its parser here
in one place; nothing in it holds state.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal


class ValueParseError(ValueError):
    """A cell value that cannot be read; carries a message for people in Chinese and English."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_zh} ({self.message_en})"


# --------------------------------------------------------------------------------------------
# Text clean-up and blanks

_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20
# Surrounding characters removed by `clean`: white space (incl. U+3000 and NBSP), zero-width
# space and the byte-order mark that copy-and-paste and CSV files leave behind.
_STRIP = " \t\r\n\v\f\u00a0\u3000\u2000\u2001\u2002\u2003\u2009\u200b\u202f\ufeff"

BLANK_LIKE: frozenset[str] = frozenset({"", "/", "-", "—", "——", "－"})
NUMERIC_BLANK_LIKE: frozenset[str] = BLANK_LIKE | {"无", "暂无"}
# A cell saying there is nothing to report (a list of relatives, a department's answer, a text
# column tested with `present`): not blank, but no content either.
NONE_WORDS: frozenset[str] = frozenset({"无", "没有", "否", "暂无", "未发现", "无此情况"})


_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")  # what `to_halfwidth` changes


def to_halfwidth(s: str) -> str:
    """Full-width ASCII forms (U+FF01..U+FF5E) to ASCII; the ideographic space to a space."""
    return s.translate(_HALFWIDTH)


def clean(s: str | None) -> str | None:
    """Half-width digits and letters, surrounding white space removed; ``''`` becomes ``None``."""
    if s is None:
        return None
    s = str(s)
    # (ASCII text has nothing to make half-width, and all of `_STRIP` it can hold is white space;
    # other text is translated only when it holds a full-width form: most does not)
    if s.isascii():
        out = s.strip()
    else:
        out = (to_halfwidth(s) if _FULL_WIDTH.search(s) else s).strip(_STRIP).strip()
    return out or None


_DIGITS_LETTERS = {
    cp: cp - 0xFEE0
    for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}


def clean_text(s: str | None) -> str | None:
    """Free text as the user wrote it: full-width digits and letters become half-width, the
    surrounding white space goes, and Chinese punctuation (，。：) stays as it is."""
    if s is None:
        return None
    out = str(s).translate(_DIGITS_LETTERS).strip(_STRIP).strip()
    return out or None


def is_blank(s: str | None, *, numeric: bool = False) -> bool:
    """True for a blank-like cell; in date, number, percent and year columns also 无 / 暂无."""
    v = clean(s)
    if v is None:
        return True
    return v in (NUMERIC_BLANK_LIKE if numeric else BLANK_LIKE)


def _quote(s: str) -> str:
    return f"“{s}”"


# --------------------------------------------------------------------------------------------
# Flags

# 连任/现任 and 新任/新进 are how ledgers answer 是否连任 (yes: an incumbent; no: a newcomer).
FLAG_TRUE: frozenset[str] = frozenset({"是", "有", "√", "✓", "✔", "y", "yes", "true", "1", "连任", "现任"})
FLAG_FALSE: frozenset[str] = frozenset(
    {"否", "无", "没有", "×", "✗", "✘", "✕", "n", "no", "false", "0", "新任", "新进", "新提名"}
)
# Trailing punctuation ignored when matching flag words: `无。` is `无`.
_TRAILING_PUNCT = "。.!！;；,，、"


def _flag_word(s: str) -> bool | None:
    w = s.rstrip(_TRAILING_PUNCT).strip().lower()
    if w in ("1.0", "0.0"):  # a numeric cell rendered as a float
        w = w[0]
    if w in FLAG_TRUE:
        return True
    if w in FLAG_FALSE:
        return False
    return None


def parse_flag(s: str | None) -> bool | None:
    """是/否 column: ``True``, ``False``, or ``None`` (blank = unknown)."""
    v = clean(s)
    if v is None or is_blank(v):
        return None
    flag = _flag_word(v)
    if flag is None:
        raise ValueParseError(
            f"无法识别的是/否值{_quote(v)}，应填“是”或“否”",
            f'cannot read "{v}" as yes/no; write 是 (yes) or 否 (no)',
        )
    return flag


def parse_flag_text(s: str | None) -> bool | None:
    """Evidence column: the flag words, and any other non-blank text (a description) is True.

    The none-words (无, 没有, 否 and the other false words) mean "no finding". The caller keeps the
    original text for messages.
    """
    v = clean(s)
    if v is None or is_blank(v):
        return None
    flag = _flag_word(v)
    return True if flag is None else flag


# --------------------------------------------------------------------------------------------
# Dates

Precision = Literal["day", "month", "year"]


@dataclass(frozen=True)
class DateValue:
    """A date known to day, month or year precision: any day in ``lo..hi`` (inclusive)."""

    lo: date
    hi: date
    precision: Precision

    @classmethod
    def of_day(cls, d: date) -> DateValue:
        return cls(d, d, "day")

    @classmethod
    def of_month(cls, year: int, month: int) -> DateValue:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), "month")

    @classmethod
    def of_year(cls, year: int) -> DateValue:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @property
    def exact(self) -> date | None:
        """The day, when the precision is a day."""
        return self.lo if self.precision == "day" else None

    def contains(self, d: date) -> bool:
        return self.lo <= d <= self.hi

    @property
    def display(self) -> str:
        """`1985年3月8日`, `1985年3月` or `1985年`."""
        d = self.lo
        if self.precision == "day":
            return f"{d.year}年{d.month}月{d.day}日"
        if self.precision == "month":
            return f"{d.year}年{d.month}月"
        return f"{d.year}年"

    @property
    def iso(self) -> str:
        """`1985-03-08`, `1985-03` or `1985`."""
        d = self.lo
        if self.precision == "day":
            return d.isoformat()
        if self.precision == "month":
            return f"{d.year:04d}-{d.month:02d}"
        return f"{d.year:04d}"

    def __str__(self) -> str:
        return self.iso


EXCEL_SERIAL_MAX = 2958465  # 9999-12-31 in Excel's 1900 date system
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61 = 1900-03-01 (Excel counts a 1900-02-29)

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_RE_SEP_DATE = re.compile(
    r"^(?P<y>\d{4})\s*(?P<sep>[-./])\s*(?P<m>\d{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<d>\d{1,2}))?" + _TIME + "$"
)
_RE_ZH_DATE = re.compile(
    r"^(?P<y>\d{4})\s*年(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号]?)?)?$"
)
_RE_DIGITS = re.compile(r"^(?P<int>\d+)(?:\.(?P<frac>\d+))?$")


def excel_serial_to_date(serial: int) -> date:
    """A day number of Excel's 1900 date system (day 1 = 1900-01-01; day 60 does not exist)."""
    if serial < 1 or serial > EXCEL_SERIAL_MAX or serial == 60:
        raise ValueError(f"not an Excel date serial: {serial}")
    if serial < 60:
        return date(1899, 12, 31) + timedelta(days=serial)
    return _EXCEL_EPOCH + timedelta(days=serial)


def _date_error(v: str, zh: str, en: str) -> ValueParseError:
    return ValueParseError(f"日期{_quote(v)}无效：{zh}", f'invalid date "{v}": {en}')


def _build_date(v: str, y: int, m: int | None, d: int | None) -> DateValue:
    if y < 1000:
        raise _date_error(v, f"年份{y}不合理", f"year {y} is not plausible")
    if m is None:
        return DateValue.of_year(y)
    if not 1 <= m <= 12:
        raise _date_error(v, f"月份{m}不存在", f"there is no month {m}")
    if d is None:
        return DateValue.of_month(y, m)
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        raise _date_error(v, f"{y}年{m}月没有{d}日", f"{y}-{m:02d} has no day {d}")
    return DateValue.of_day(date(y, m, d))


def _from_serial(v: str, number: float) -> DateValue:
    serial = math.floor(number)
    try:
        return DateValue.of_day(excel_serial_to_date(serial))
    except ValueError:
        raise _date_error(
            v,
            f"不是有效的Excel日期序号（应在1至{EXCEL_SERIAL_MAX}之间，且不为60）",
            f"not a valid Excel date serial (1..{EXCEL_SERIAL_MAX}, not 60)",
        ) from None


def _parse_number_date(v: str, whole: str, frac: str | None) -> DateValue:
    """All-digit forms: YYYY, YYYYMM, YYYYMMDD, YYYY.MM, and Excel serial numbers.

    A serial is a 5-digit number, or a number with a decimal point: ``31000``, ``31000.0``,
    ``31000.75`` (a date and time), ``123.0``. A short number with a fraction (``85.3``) is
    rejected rather than read as a day of 1900.
    """
    n = len(whole)
    zero_frac = frac is None or set(frac) == {"0"}
    if n == 4:
        if zero_frac:  # 1985 (also as a float: 1985.0)
            return _build_date(v, int(whole), None, None)
        if frac is not None and len(frac) <= 2:  # 1985.3 / 1985.03
            return _build_date(v, int(whole), int(frac), None)
    elif zero_frac and n in (6, 8):  # 198503, 19850308 (also 198503.0)
        d = int(whole[6:8]) if n == 8 else None
        return _build_date(v, int(whole[:4]), int(whole[4:6]), d)
    elif n == 5 or (frac is not None and (n > 5 or zero_frac)):
        return _from_serial(v, float(f"{whole}.{frac or 0}"))
    raise _date_error(v, "无法识别的日期格式", "unrecognised date format")


def parse_date(s: str | None) -> DateValue | None:
    """A date of day, month or year precision; blank-likes (incl. 无, 暂无) give ``None``.

    Forms: ``1985-03-08`` (optionally with a time: ``1985-03-08 00:00:00``), ``1985-3-8``,
    ``1985.03``, ``1985.03.08``, ``1985/3/8``, ``1985/03``, ``1985年3月``, ``1985年3月8日`` (or
    ``号``), ``1985年``, ``198503``, ``19850308``, ``1985``, and Excel serial numbers (5 digits,
    or a number with a decimal point other than ``YYYY.M``/``YYYY.MM``: ``31000``, ``31000.0``;
    see `_parse_number_date`).
    """
    v = clean(s)
    if v is None or is_blank(v, numeric=True):
        return None
    m = _RE_DIGITS.match(v)
    if m:
        return _parse_number_date(v, m["int"], m["frac"])
    m = _RE_SEP_DATE.match(v) or _RE_ZH_DATE.match(v)
    if m:
        month = m["m"]
        day = m["d"]
        return _build_date(v, int(m["y"]), int(month) if month else None, int(day) if day else None)
    raise _date_error(
        v,
        "无法识别的日期格式，请写作如1985-03-08、1985.03或1985年3月",
        "unrecognised date format; write it like 1985-03-08, 1985.03 or 1985年3月",
    )


# --------------------------------------------------------------------------------------------
# Education

EDUCATION_LEVELS: dict[str, int] = {
    "未上学": 0,
    "小学": 1,
    "初中": 2,
    "高中": 3,
    "中专": 3,
    "职高": 3,
    "技校": 3,
    "大专": 4,
    "本科": 5,
    "硕士研究生": 6,
    "博士研究生": 7,
}
# Display name of each level (level 3 covers 高中, 中专, 职高 and 技校).
EDUCATION_NAMES: dict[int, str] = {
    0: "未上学",
    1: "小学",
    2: "初中",
    3: "高中",
    4: "大专",
    5: "本科",
    6: "硕士研究生",
    7: "博士研究生",
}
EDUCATION_NAMES_EN: dict[int, str] = {
    0: "no schooling",
    1: "primary school",
    2: "junior secondary school",
    3: "senior secondary school",
    4: "junior college",
    5: "bachelor's degree",
    6: "master's degree",
    7: "doctorate",
}
_EDUCATION_ALIASES: dict[str, str] = {
    "未上学": "未上学",
    "文盲": "未上学",
    "半文盲": "未上学",
    "文盲半文盲": "未上学",
    "不识字或识字很少": "未上学",
    "小学": "小学",
    "初小": "小学",
    "高小": "小学",
    "初中": "初中",
    "初级中学": "初中",
    "高中": "高中",
    "普高": "高中",
    "普通高中": "高中",
    "高级中学": "高中",
    "中专": "中专",
    "中等专科": "中专",
    "中等专业": "中专",
    "中等专科学校": "中专",
    "中等专业学校": "中专",
    "中师": "中专",
    "职高": "职高",
    "职业高中": "职高",
    "技校": "技校",
    "技工": "技校",
    "技工学校": "技校",
    "中技": "技校",
    "大专": "大专",
    "专科": "大专",
    "大学专科": "大专",
    "高职": "大专",
    "高等专科": "大专",
    "本科": "本科",
    "大学本科": "本科",
    "大学": "本科",
    "研究生": "硕士研究生",
    "硕士": "硕士研究生",
    "硕士研究生": "硕士研究生",
    "研究生硕士": "硕士研究生",
    "博士": "博士研究生",
    "博士研究生": "博士研究生",
    "研究生博士": "博士研究生",
}
_EDU_PREFIX = re.compile(
    r"^(?:全日制|非全日制|在职|函授|自考|成人|电大|网络教育|[\u4e00-\u9fff]{0,3}党校)"
)
_EDU_SUFFIX = re.compile(r"(?:学历|毕业|文化程度|文化|程度|及以下|以下)$")
_EDU_SPLIT = re.compile(r"[/、()（）]+")


def _education_name(v: str) -> str | None:
    w = re.sub(r"\s+", "", v)
    for _ in range(4):  # prefixes and suffixes may stack: 全日制大学本科毕业
        stripped = _EDU_SUFFIX.sub("", _EDU_PREFIX.sub("", w))
        if stripped == w:
            break
        w = stripped
    return _EDUCATION_ALIASES.get(w)


def parse_education(s: str | None) -> tuple[int, str] | None:
    """(level, canonical name): ``大学本科`` -> ``(5, "本科")``; ``研究生`` = 硕士研究生."""
    v = clean(s)
    if v is None or is_blank(v):
        return None
    name = _education_name(v)
    if name is None:
        # `高中(中专)`, `高中/中专`: accepted when all parts name the same level.
        parts = [p for p in _EDU_SPLIT.split(v) if p]
        names = [_education_name(p) for p in parts]
        if len(parts) > 1 and None not in names:
            levels = {EDUCATION_LEVELS[n] for n in names if n is not None}
            if len(levels) == 1:
                name = names[0]
    if name is None:
        raise ValueParseError(
            f"无法识别的学历{_quote(v)}，应为小学、初中、高中、中专、大专、本科、研究生等",
            f'cannot read "{v}" as an education level (小学, 初中, 高中, 中专, 大专, 本科, 研究生 …)',
        )
    return EDUCATION_LEVELS[name], name


# --------------------------------------------------------------------------------------------
# Political status and posts

POLITICAL_STATUSES: tuple[str, ...] = (
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民革党员",
    "民盟盟员",
    "民建会员",
    "民进会员",
    "农工党党员",
    "致公党党员",
    "九三学社社员",
    "台盟盟员",
    "无党派人士",
    "群众",
)
_POLITICAL_ALIASES: dict[str, str] = {
    **{p: p for p in POLITICAL_STATUSES},
    "党员": "中共党员",
    "共产党员": "中共党员",
    "中国共产党党员": "中共党员",
    "预备党员": "中共预备党员",
    "中共预备": "中共预备党员",
    "中国共产党预备党员": "中共预备党员",
    "团员": "共青团员",
    "共青团": "共青团员",
    "中国共产主义青年团团员": "共青团员",
    "群众": "群众",
    "普通群众": "群众",
    "无党派": "无党派人士",
    "民革": "民革党员",
    "民盟": "民盟盟员",
    "民建": "民建会员",
    "民进": "民进会员",
    "农工党": "农工党党员",
    "致公党": "致公党党员",
    "九三学社": "九三学社社员",
    "台盟": "台盟盟员",
}


def parse_political_status(s: str | None) -> str | None:
    """Canonical political status: ``党员`` -> ``中共党员``, ``团员`` -> ``共青团员`` …"""
    v = clean(s)
    if v is None or is_blank(v):
        return None
    out = _POLITICAL_ALIASES.get(re.sub(r"\s+", "", v))
    if out is None:
        raise ValueParseError(
            f"无法识别的政治面貌{_quote(v)}，应为中共党员、中共预备党员、共青团员、群众、"
            "民主党派或无党派人士",
            f'cannot read "{v}" as a political status (中共党员, 中共预备党员, 共青团员, 群众, '
            "a democratic party, 无党派人士)",
        )
    return out


_NO_POST = frozenset({"无", "没有", "否"})
_PARTY_POST_PREFIX = re.compile(
    r"^(?:社区|村|镇|街道)?(?:党委|党总支|党支部|总支|支部|党组织|党)?(?:委员会)?"
)
_PARTY_POSTS: dict[str, str] = {
    "书记": "书记",
    "副书记": "副书记",
    "专职副书记": "副书记",
    "委员": "委员",
    "组织委员": "委员",
    "宣传委员": "委员",
    "青年委员": "委员",
    "妇女委员": "委员",
    "统战委员": "委员",
    "纪检委员": "纪检委员",
    "纪委委员": "纪检委员",
    "纪律检查委员": "纪检委员",
}
_COMMITTEE_POST_PREFIX = re.compile(
    r"^(?:社区居民委员会|社区居委会|村民委员会|居民委员会|村委会|居委会|村委|居委|社区|村|居)"
)
_COMMITTEE_POSTS: dict[str, str] = {"主任": "主任", "副主任": "副主任", "委员": "委员"}
_SUPERVISORY_POST_PREFIX = re.compile(
    r"^(?:社区|村)?(?:村务监督委员会|居务监督委员会|务监督委员会|监督委员会|村监委会|居监委会"
    r"|村监委|居监委|监委会|监委|村务监督|居务监督|监督)?"
)
_SUPERVISORY_POSTS: dict[str, str] = {"主任": "主任", "委员": "委员"}


def _post_text(v: str) -> str:
    # `村(居)委会主任` -> `村委会主任`; brackets were made half-width by `clean`.
    return re.sub(r"\s+", "", v).replace("(居)", "").replace("（居）", "")


def _parse_post(
    s: str | None, prefix: re.Pattern[str], posts: dict[str, str], what_zh: str, what_en: str
) -> str | None:
    v = clean(s)
    if v is None or is_blank(v) or v in _NO_POST:
        return None
    w = _post_text(v)
    out = posts.get(w) or posts.get(prefix.sub("", w, count=1))
    if out is None:
        names = "、".join(dict.fromkeys(posts.values()))
        raise ValueParseError(
            f"无法识别的{what_zh}{_quote(v)}，应为{names}",
            f'cannot read "{v}" as a {what_en} ({", ".join(dict.fromkeys(posts.values()))})',
        )
    return out


def parse_party_post(s: str | None) -> str | None:
    """书记, 副书记, 委员 or 纪检委员 (``党总支书记`` = 书记, ``纪委委员`` = 纪检委员)."""
    return _parse_post(s, _PARTY_POST_PREFIX, _PARTY_POSTS, "党组织职务", "Party post")


def parse_committee_post(s: str | None) -> str | None:
    """主任, 副主任 or 委员 of the villagers'/residents' committee (``村委会主任`` = 主任)."""
    return _parse_post(
        s, _COMMITTEE_POST_PREFIX, _COMMITTEE_POSTS, "村(居)委会职务", "committee post"
    )


def parse_supervisory_post(s: str | None) -> str | None:
    """主任 or 委员 of the supervisory committee (``监委会主任`` = 主任)."""
    return _parse_post(
        s,
        _SUPERVISORY_POST_PREFIX,
        _SUPERVISORY_POSTS,
        "村(居)务监督委员会职务",
        "supervisory committee post",
    )


# --------------------------------------------------------------------------------------------
# Small enumerations

_GENDERS = {"男": "男", "男性": "男", "女": "女", "女性": "女"}


def parse_gender(s: str | None) -> str | None:
    """男 or 女 (also 男性 / 女性)."""
    v = clean(s)
    if v is None or is_blank(v):
        return None
    out = _GENDERS.get(v)
    if out is None:
        raise ValueParseError(
            f"无法识别的性别{_quote(v)}，应为“男”或“女”",
            f'cannot read "{v}" as a gender (男 or 女)',
        )
    return out


_UNIT_TYPES = {
    "村": "村",
    "行政村": "村",
    "村委会": "村",
    "村民委员会": "村",
    "社区": "社区",
    "居委会": "社区",
    "居民委员会": "社区",
}


def _synonym(s: str | None, table: dict[str, str], zh: str, en: str) -> str | None:
    """The canonical word that `s` names in `table` (white space ignored), None for a blank.
    `zh`/`en` say what was expected; `{q}` (the quoted value) and `{v}` (the value) are filled in."""
    v = clean(s)
    if v is None or is_blank(v):
        return None
    out = table.get(re.sub(r"\s+", "", v))
    if out is None:
        raise ValueParseError(zh.replace("{q}", _quote(v)), en.replace("{v}", v))
    return out


def parse_unit_type(s: str | None) -> str | None:
    """村 or 社区 (``行政村`` = 村, ``居委会`` = 社区)."""
    return _synonym(
        s, _UNIT_TYPES,
        "无法识别的类型{q}，应为“村”或“社区”",
        'cannot read "{v}" as a unit type (村 village or 社区 community)',
    )


TERM_RATING_LEVELS: dict[str, int] = {"不称职": 0, "基本称职": 1, "称职": 2, "优秀": 3}
ASSESSMENT_LEVELS: dict[str, int] = {"不合格": 0, "基本合格": 1, "合格": 2, "优秀": 3}
_RATING_SUFFIX = re.compile(r"(?:等次|等级|档次)$")


def _parse_rating(s: str | None, levels: dict[str, int], what_zh: str, what_en: str) -> str | None:
    v = clean(s)
    if v is None or is_blank(v):
        return None
    w = _RATING_SUFFIX.sub("", re.sub(r"\s+", "", v))
    if w not in levels:
        names = "、".join(sorted(levels, key=levels.__getitem__, reverse=True))
        raise ValueParseError(
            f"无法识别的{what_zh}{_quote(v)}，应为{names}",
            f'cannot read "{v}" as a {what_en} ({names})',
        )
    return w


def parse_term_rating(s: str | None) -> str | None:
    """任期考核: 优秀, 称职, 基本称职 or 不称职 (ordered by `TERM_RATING_LEVELS`)."""
    return _parse_rating(s, TERM_RATING_LEVELS, "任期考核等次", "term rating")


def parse_assessment(s: str | None) -> str | None:
    """考察结论: 优秀, 合格, 基本合格 or 不合格 (ordered by `ASSESSMENT_LEVELS`)."""
    return _parse_rating(s, ASSESSMENT_LEVELS, "考察结论", "assessment")


_ETHNIC_GROUPS_TEXT = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 "
    "哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 "
    "柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 "
    "塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 "
    "鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
)
ETHNIC_GROUPS: tuple[str, ...] = tuple(_ETHNIC_GROUPS_TEXT.split())
_ETHNIC_BARE = {g[:-1]: g for g in ETHNIC_GROUPS}


def parse_ethnicity(s: str | None) -> str | None:
    """``汉`` -> ``汉族``: a bare name of one of the 56 groups gets 族; anything else as written."""
    v = clean(s)
    if v is None or is_blank(v):
        return None
    return _ETHNIC_BARE.get(v, v)


# --------------------------------------------------------------------------------------------
# Numbers, percentages, years, lists

_RE_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_RE_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def _number(v: str) -> float | None:
    w = v.replace(" ", "")
    if _RE_GROUPED.match(w):
        w = w.replace(",", "")
    if not _RE_NUMBER.match(w):
        return None
    x = float(w)
    return x if math.isfinite(x) else None


def parse_number(s: str | None) -> float | None:
    """A plain number (``12``, ``-3.5``, ``1,200``); blank-likes incl. 无 / 暂无 give None."""
    v = clean(s)
    if v is None or is_blank(v, numeric=True):
        return None
    x = _number(v)
    if x is None:
        raise ValueParseError(f"无法识别的数值{_quote(v)}", f'cannot read "{v}" as a number')
    return x


_RE_COUNT_SUFFIX = re.compile(r"(?:人|名|个|户|位|席)$")


def parse_count(s: str | None) -> int | None:
    """A whole number of people, seats or households (``5``, ``5人``, ``1,200户``, and ``5.0``
    as Excel writes a number); blank-likes incl. 无 / 暂无 give None."""
    v = clean(s)
    if v is None or is_blank(v, numeric=True):
        return None
    x = _number(_RE_COUNT_SUFFIX.sub("", v.replace(" ", "")))
    if x is None or x < 0 or x != int(x):
        raise ValueParseError(
            f"无法识别的人数或职数{_quote(v)}，应为不小于0的整数", f'cannot read "{v}" as a whole number (0 or more)'
        )
    return int(x)


_PARTY_ORG_TYPES = {
    "党支部": "党支部", "支部": "党支部", "党支部委员会": "党支部", "支委会": "党支部",
    "党总支": "党总支", "总支": "党总支", "党总支部": "党总支", "党总支委员会": "党总支",
    "党委": "党委", "党委员会": "党委", "基层党委": "党委",
}


def parse_party_org_type(s: str | None) -> str | None:
    """党支部 / 党总支 / 党委 (the kind of Party organisation a unit has)."""
    return _synonym(
        s, _PARTY_ORG_TYPES,
        "无法识别的党组织类型{q}，应为“党支部”“党总支”或“党委”",
        'cannot read "{v}" as a Party organisation type (党支部, 党总支 or 党委)',
    )


def parse_percent(s: str | None) -> float | None:
    """A fraction: ``83%``, ``83`` and ``0.83`` all give 0.83 (a bare number <= 1 is a fraction)."""
    v = clean(s)
    if v is None or is_blank(v, numeric=True):
        return None
    w = v.replace(" ", "")
    has_sign = w.endswith("%")
    x = _number(w[:-1] if has_sign else w)
    if x is None:
        raise ValueParseError(
            f"无法识别的百分比{_quote(v)}，应写作如83%、0.83或83",
            f'cannot read "{v}" as a percentage; write it like 83%, 0.83 or 83',
        )
    frac = x / 100 if has_sign or x > 1 else x
    if frac < 0 or frac > 1:
        raise ValueParseError(
            f"百分比{_quote(v)}超出0%至100%的范围", f'percentage "{v}" is outside 0% to 100%'
        )
    return frac


YEAR_MIN, YEAR_MAX = 1949, 2100
_YEAR_SPLIT = re.compile(r"[,，、;；/\s]+|和|及")
_RE_YEAR = re.compile(r"^(\d{4})(?:\.0+)?(?:年度|年)?$")


def parse_years(s: str | None) -> tuple[int, ...] | None:
    """One or more years (``2019``, ``2019年度``, ``2018、2019年``), sorted, without repeats."""
    v = clean(s)
    if v is None or is_blank(v, numeric=True):
        return None
    years: set[int] = set()
    for token in _YEAR_SPLIT.split(v):
        if not token:
            continue
        m = _RE_YEAR.match(token)
        if not m or not YEAR_MIN <= int(m[1]) <= YEAR_MAX:
            raise ValueParseError(
                f"无法识别的年份{_quote(token)}（在{_quote(v)}中），应为{YEAR_MIN}至{YEAR_MAX}的四位年份",
                f'cannot read "{token}" (in "{v}") as a year from {YEAR_MIN} to {YEAR_MAX}',
            )
        years.add(int(m[1]))
    if not years:
        return None
    return tuple(sorted(years))


_ID_LIST_SPLIT = re.compile(r"[,，、;；\s]+")


def split_id_list(s: str | None) -> list[str]:
    """Tokens of a list of ID numbers (split on , ， 、 ; ； white space and new lines).

    Blank and the none-words (`NONE_WORDS`: 无, 没有, 暂无…) give ``[]``. Tokens are cleaned
    (half-width) but not validated.
    """
    v = clean(s)
    if v is None or is_blank(v) or v in NONE_WORDS:
        return []
    return [t for t in _ID_LIST_SPLIT.split(v) if t]


def parse_text(s: str | None) -> str | None:
    """Free text: half-width digits and letters, stripped, punctuation kept; blank-likes give None."""
    v = clean_text(s)
    if v is None or is_blank(v):
        return None
    return v


# Every FieldType of `columns.py` except "id_number" (see `vetting.roster.idnumber.analyze_id`).
