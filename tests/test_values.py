"""Tests for vetting.roster.values (scalar cell normalisers)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vetting.roster.values import (
    ASSESSMENT_LEVELS,
    EDUCATION_LEVELS,
    EDUCATION_NAMES,
    ETHNIC_GROUPS,
    TERM_RATING_LEVELS,
    DateValue,
    ValueParseError,
    clean,
    excel_serial_to_date,
    is_blank,
    parse_assessment,
    parse_committee_post,
    parse_date,
    parse_education,
    parse_ethnicity,
    parse_flag,
    parse_flag_text,
    parse_gender,
    parse_number,
    parse_party_post,
    parse_percent,
    parse_political_status,
    parse_supervisory_post,
    parse_term_rating,
    parse_unit_type,
    parse_years,
    split_id_list,
    to_halfwidth,
)

# --- clean-up ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("４１０１０３", "410103"),
        ("Ｘ", "X"),
        ("ａｂｃＡＢＣ", "abcABC"),
        ("（１）", "(1)"),
        ("\u3000", " "),
        ("汉族", "汉族"),
        ("～！", "~!"),
    ],
)
def test_to_halfwidth(raw: str, expected: str) -> None:
    assert to_halfwidth(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\u3000\u00a0\t\n", None),
        ("\ufeff张三", "张三"),
        ("\u3000 张 三 \u00a0", "张 三"),
        ("１９８５．０３", "1985.03"),
        ("\u200b是\u200b", "是"),
    ],
)
def test_clean(raw: str | None, expected: str | None) -> None:
    assert clean(raw) == expected


@given(st.text(alphabet=st.sampled_from(list(" \t\r\n\x0b\x0c\x1c\x1f\x85\xa0\u3000\u200b\ufeff是a1-/．１")), max_size=8)
     | st.text(max_size=8))
def test_clean_of_ascii_text_as_of_any_text(raw: str) -> None:
    # ASCII text and text without full-width forms take shorter ways: the same result
    from vetting.roster.values import _STRIP, to_halfwidth

    assert clean(raw) == (to_halfwidth(raw).strip(_STRIP).strip() or None)


@pytest.mark.parametrize(
    ("raw", "numeric", "expected"),
    [
        (None, False, True),
        ("", False, True),
        (" / ", False, True),
        ("-", False, True),
        ("—", False, True),
        ("——", False, True),
        ("－", False, True),
        ("无", False, False),
        ("暂无", False, False),
        ("无", True, True),
        ("暂无", True, True),
        ("\u3000暂无 ", True, True),
        ("0", True, False),
        ("是", False, False),
    ],
)
def test_is_blank(raw: str | None, numeric: bool, expected: bool) -> None:
    assert is_blank(raw, numeric=numeric) is expected


# --- flags ------------------------------------------------------------------------------------

TRUE_WORDS = ["是", "有", "√", "✓", "Y", "y", "yes", "YES", "true", "TRUE", "True", "1", "1.0"]
FALSE_WORDS = ["否", "无", "没有", "×", "✗", "N", "n", "no", "No", "false", "FALSE", "0", "0.0"]


@pytest.mark.parametrize("word", TRUE_WORDS)
def test_flag_true(word: str) -> None:
    assert parse_flag(word) is True
    assert parse_flag(f" {word}\u3000") is True
    assert parse_flag_text(word) is True


@pytest.mark.parametrize("word", FALSE_WORDS)
def test_flag_false(word: str) -> None:
    assert parse_flag(word) is False
    assert parse_flag_text(word) is False


@pytest.mark.parametrize("raw", [None, "", " ", "/", "-", "—", "——"])
def test_flag_blank_is_unknown(raw: str | None) -> None:
    assert parse_flag(raw) is None
    assert parse_flag_text(raw) is None


@pytest.mark.parametrize("raw", ["可能", "是否", "2", "待定", "ok"])
def test_flag_unknown_word_is_an_error(raw: str) -> None:
    with pytest.raises(ValueParseError) as e:
        parse_flag(raw)
    assert raw in e.value.message_zh and raw in e.value.message_en
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2015年因盗窃罪被判处有期徒刑1年", True),
        ("有，已整改", True),
        ("无。", False),
        ("没有", False),
        ("否", False),
        ("未发现", True),  # not a none-word: kept as a finding, the caller shows the text
    ],
)
def test_flag_text(raw: str, expected: bool) -> None:
    assert parse_flag_text(raw) is expected


# --- dates ------------------------------------------------------------------------------------


def _day(y: int, m: int, d: int) -> DateValue:
    return DateValue(date(y, m, d), date(y, m, d), "day")


def _month(y: int, m: int) -> DateValue:
    return DateValue(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), "month")


def _year(y: int) -> DateValue:
    return DateValue(date(y, 1, 1), date(y, 12, 31), "year")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1985-03-08", _day(1985, 3, 8)),
        ("1985-03-08 00:00:00", _day(1985, 3, 8)),
        ("1985-03-08T00:00:00", _day(1985, 3, 8)),
        ("1985-3-8", _day(1985, 3, 8)),
        ("1985.03", _month(1985, 3)),
        ("1985.3", _month(1985, 3)),
        ("1985.10", _month(1985, 10)),
        ("1985.03.08", _day(1985, 3, 8)),
        ("1985/3/8", _day(1985, 3, 8)),
        ("1985/3/8 0:00:00", _day(1985, 3, 8)),
        ("1985/03", _month(1985, 3)),
        ("1985-03", _month(1985, 3)),
        ("1985年3月", _month(1985, 3)),
        ("1985年3月8日", _day(1985, 3, 8)),
        ("1985年03月08号", _day(1985, 3, 8)),
        ("1985 年 3 月 8 日", _day(1985, 3, 8)),
        ("198503", _month(1985, 3)),
        ("19850308", _day(1985, 3, 8)),
        ("19850308.0", _day(1985, 3, 8)),
        ("1985", _year(1985)),
        ("1985.0", _year(1985)),
        ("1985年", _year(1985)),
        ("１９８５．０３", _month(1985, 3)),
        ("2000-02-29", _day(2000, 2, 29)),
        ("31000", _day(1984, 11, 14)),
        ("31000.0", _day(1984, 11, 14)),
        ("31000.75", _day(1984, 11, 14)),  # a date and time: the day is kept
        ("31107", _day(1985, 3, 1)),
        ("1.0", _day(1900, 1, 1)),
        ("85.0", _day(1900, 3, 25)),
        ("1000000.0", _day(4637, 11, 26)),
        ("59.0", _day(1900, 2, 28)),
        ("61.0", _day(1900, 3, 1)),
        ("2958465.0", _day(9999, 12, 31)),
    ],
)
def test_parse_date(raw: str, expected: DateValue) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "/", "—", "无", "暂无"])
def test_parse_date_blank(raw: str | None) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "zh_part", "en_part"),
    [
        ("1985-02-30", "1985年2月没有30日", "no day 30"),
        ("1985-02-29", "没有29日", "no day 29"),
        ("1985.13", "月份13", "month 13"),
        ("1985-00-10", "月份0", "month 0"),
        ("19851301", "月份13", "month 13"),
        ("60", "无法识别", "unrecognised"),  # 2 digits without a decimal point: not a serial
        ("60.0", "Excel", "Excel"),  # 1900-02-29 does not exist
        ("0.0", "Excel", "Excel"),
        ("2958466.0", "Excel", "Excel"),
        ("1234567", "无法识别", "unrecognised"),
        ("1985.123", "无法识别", "unrecognised"),
        ("85.3", "无法识别", "unrecognised"),  # not a serial (short, with a fraction)
        ("3000000.5", "Excel", "Excel"),  # a serial (decimal point), out of range
        ("0985", "年份", "year"),
        ("三月", "无法识别", "unrecognised"),
        ("1985-3/8", "无法识别", "unrecognised"),
    ],
)
def test_parse_date_errors(raw: str, zh_part: str, en_part: str) -> None:
    with pytest.raises(ValueParseError) as e:
        parse_date(raw)
    assert raw in e.value.message_zh and raw in e.value.message_en
    assert zh_part in e.value.message_zh
    assert en_part in e.value.message_en


@pytest.mark.parametrize(
    ("value", "display", "iso"),
    [
        (_day(1985, 3, 8), "1985年3月8日", "1985-03-08"),
        (_month(1985, 3), "1985年3月", "1985-03"),
        (_year(1985), "1985年", "1985"),
    ],
)
def test_date_display(value: DateValue, display: str, iso: str) -> None:
    assert value.display == display
    assert value.iso == iso
    assert str(value) == iso


def test_date_value_helpers() -> None:
    m = _month(2000, 2)
    assert m.hi == date(2000, 2, 29)
    assert m.exact is None and _day(2000, 2, 3).exact == date(2000, 2, 3)
    assert m.contains(date(2000, 2, 29)) and not m.contains(date(2000, 3, 1))


def _excel_serial(d: date) -> int:
    if d < date(1900, 3, 1):
        return (d - date(1899, 12, 31)).days
    return (d - date(1899, 12, 30)).days


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_any_day_in_every_form_parses_back(d: date) -> None:
    y, m, dd = d.year, d.month, d.day
    day_forms = [
        d.isoformat(),
        f"{d.isoformat()} 00:00:00",
        f"{y}-{m}-{dd}",
        f"{y}.{m:02d}.{dd:02d}",
        f"{y}.{m}.{dd}",
        f"{y}/{m}/{dd}",
        f"{y}/{m:02d}/{dd:02d}",
        f"{y}年{m}月{dd}日",
        f"{y}年{m:02d}月{dd:02d}号",
        f"{y}{m:02d}{dd:02d}",
    ]
    serial = str(_excel_serial(d))
    if len(serial) != 4:  # 1902..1927: a 4-digit number is a year, never a serial
        day_forms.append(f"{serial}.0")
    if len(serial) == 5:
        day_forms.append(serial)
    for form in day_forms:
        assert parse_date(form) == DateValue(d, d, "day"), form
    month = DateValue.of_month(y, m)
    for form in [
        f"{y}.{m:02d}",
        f"{y}.{m}",
        f"{y}/{m:02d}",
        f"{y}-{m:02d}",
        f"{y}年{m}月",
        f"{y}{m:02d}",
    ]:
        assert parse_date(form) == month, form
        assert (month.lo.day, month.hi + timedelta(days=1)) == (1, date(y + m // 12, m % 12 + 1, 1))
    year = DateValue(date(y, 1, 1), date(y, 12, 31), "year")
    for form in [str(y), f"{y}年"]:
        assert parse_date(form) == year, form


@given(st.integers(1, 2958465).filter(lambda n: n != 60))
def test_excel_serials_are_consecutive_days(serial: int) -> None:
    d = excel_serial_to_date(serial)
    assert _excel_serial(d) == serial
    if serial not in (59, 2958465):
        assert excel_serial_to_date(serial + 1 if serial != 59 else 61) == d + timedelta(days=1)


# --- education --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "level", "name"),
    [
        ("小学", 1, "小学"),
        ("初中", 2, "初中"),
        ("初中及以下", 2, "初中"),
        ("高中", 3, "高中"),
        ("高中毕业", 3, "高中"),
        ("中专", 3, "中专"),
        ("中等专科", 3, "中专"),
        ("中等专业学校", 3, "中专"),
        ("职高", 3, "职高"),
        ("职业高中", 3, "职高"),
        ("技校", 3, "技校"),
        ("技工学校", 3, "技校"),
        ("高中(中专)", 3, "高中"),
        ("高中/中专", 3, "高中"),
        ("大专", 4, "大专"),
        ("大专学历", 4, "大专"),
        ("大学专科", 4, "大专"),
        ("专科", 4, "大专"),
        ("在职大专", 4, "大专"),
        ("省委党校大专", 4, "大专"),
        ("本科", 5, "本科"),
        ("大学本科", 5, "本科"),
        ("本科学历", 5, "本科"),
        ("全日制本科", 5, "本科"),
        ("在职本科", 5, "本科"),
        ("全日制大学本科毕业", 5, "本科"),
        ("研究生", 6, "硕士研究生"),
        ("在职研究生", 6, "硕士研究生"),
        ("硕士", 6, "硕士研究生"),
        ("硕士研究生", 6, "硕士研究生"),
        ("博士", 7, "博士研究生"),
        ("博士研究生", 7, "博士研究生"),
        ("文盲", 0, "未上学"),
        ("半文盲", 0, "未上学"),
        ("初中文化", 2, "初中"),
        ("ｄ", None, None),
    ],
)
def test_parse_education(raw: str, level: int | None, name: str | None) -> None:
    if level is None:
        with pytest.raises(ValueParseError):
            parse_education(raw)
        return
    assert parse_education(raw) == (level, name)


@pytest.mark.parametrize("raw", ["大学生", "高中、大专", "幼儿园", "本科以上"])
def test_parse_education_errors(raw: str) -> None:
    with pytest.raises(ValueParseError) as e:
        parse_education(raw)
    assert raw in e.value.message_zh


def test_education_order() -> None:
    order = ["小学", "初中", "高中", "大专", "本科", "硕士研究生", "博士研究生"]
    assert [EDUCATION_LEVELS[n] for n in order] == [1, 2, 3, 4, 5, 6, 7]
    assert EDUCATION_LEVELS["中专"] == EDUCATION_LEVELS["职高"] == EDUCATION_LEVELS["技校"] == 3
    assert all(EDUCATION_NAMES[lvl] in EDUCATION_LEVELS for lvl in EDUCATION_NAMES)
    assert parse_education(None) is None and parse_education("/") is None


# --- political status and posts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("中共党员", "中共党员"),
        ("党员", "中共党员"),
        ("中国共产党党员", "中共党员"),
        ("中共预备党员", "中共预备党员"),
        ("预备党员", "中共预备党员"),
        ("共青团员", "共青团员"),
        ("团员", "共青团员"),
        ("群众", "群众"),
        ("无党派人士", "无党派人士"),
        ("民革党员", "民革党员"),
        ("民盟", "民盟盟员"),
        ("九三学社社员", "九三学社社员"),
        ("致公党党员", "致公党党员"),
        ("台盟盟员", "台盟盟员"),
        (" 党 员 ", "中共党员"),
    ],
)
def test_parse_political_status(raw: str, expected: str) -> None:
    assert parse_political_status(raw) == expected


@pytest.mark.parametrize("raw", ["积极分子", "入党积极分子", "共产党"])
def test_parse_political_status_errors(raw: str) -> None:
    with pytest.raises(ValueParseError):
        parse_political_status(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("书记", "书记"),
        ("党委书记", "书记"),
        ("党总支书记", "书记"),
        ("党支部书记", "书记"),
        ("村党支部书记", "书记"),
        ("社区党委书记", "书记"),
        ("总支书记", "书记"),
        ("党组织书记", "书记"),
        ("副书记", "副书记"),
        ("党支部副书记", "副书记"),
        ("专职副书记", "副书记"),
        ("社区党委专职副书记", "副书记"),
        ("委员", "委员"),
        ("党委委员", "委员"),
        ("支部委员", "委员"),
        ("组织委员", "委员"),
        ("宣传委员", "委员"),
        ("纪检委员", "纪检委员"),
        ("纪委委员", "纪检委员"),
        ("党总支纪检委员", "纪检委员"),
        ("无", None),
        ("/", None),
        (None, None),
    ],
)
def test_parse_party_post(raw: str | None, expected: str | None) -> None:
    assert parse_party_post(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("主任", "主任"),
        ("村委会主任", "主任"),
        ("居委会主任", "主任"),
        ("村民委员会主任", "主任"),
        ("居民委员会副主任", "副主任"),
        ("社区居委会副主任", "副主任"),
        ("村(居)委会委员", "委员"),
        ("村（居）委会委员", "委员"),
        ("村委委员", "委员"),
        ("副主任", "副主任"),
        ("委员", "委员"),
        ("—", None),
    ],
)
def test_parse_committee_post(raw: str, expected: str | None) -> None:
    assert parse_committee_post(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("主任", "主任"),
        ("监委会主任", "主任"),
        ("村务监督委员会主任", "主任"),
        ("村(居)务监督委员会委员", "委员"),
        ("社区监委会委员", "委员"),
        ("委员", "委员"),
    ],
)
def test_parse_supervisory_post(raw: str, expected: str) -> None:
    assert parse_supervisory_post(raw) == expected


@pytest.mark.parametrize(
    ("parser", "raw"),
    [
        (parse_party_post, "第一书记"),
        (parse_party_post, "主任"),
        (parse_party_post, "党员"),
        (parse_committee_post, "书记"),
        (parse_committee_post, "村委会会计"),
        (parse_supervisory_post, "副主任"),
        (parse_supervisory_post, "监委会书记"),
    ],
)
def test_post_errors(parser: object, raw: str) -> None:
    with pytest.raises(ValueParseError) as e:
        parser(raw)  # type: ignore[operator]
    assert raw in e.value.message_zh and raw in e.value.message_en


# --- small enumerations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"), [("男", "男"), ("女", "女"), ("男性", "男"), (" 女性 ", "女"), ("", None)]
)
def test_parse_gender(raw: str, expected: str | None) -> None:
    assert parse_gender(raw) == expected


def test_parse_gender_error() -> None:
    with pytest.raises(ValueParseError):
        parse_gender("M")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("村", "村"), ("行政村", "村"), ("社区", "社区"), ("居委会", "社区"), ("/", None)],
)
def test_parse_unit_type(raw: str, expected: str | None) -> None:
    assert parse_unit_type(raw) == expected


def test_parse_unit_type_error() -> None:
    with pytest.raises(ValueParseError):
        parse_unit_type("乡镇")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("优秀", "优秀"),
        ("称职", "称职"),
        ("基本称职", "基本称职"),
        ("不称职", "不称职"),
        ("称职等次", "称职"),
    ],
)
def test_parse_term_rating(raw: str, expected: str) -> None:
    assert parse_term_rating(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("优秀", "优秀"), ("合格", "合格"), ("基本合格", "基本合格"), ("不合格", "不合格")],
)
def test_parse_assessment(raw: str, expected: str) -> None:
    assert parse_assessment(raw) == expected


def test_rating_orders_and_errors() -> None:
    assert sorted(TERM_RATING_LEVELS, key=TERM_RATING_LEVELS.__getitem__) == [
        "不称职",
        "基本称职",
        "称职",
        "优秀",
    ]
    assert sorted(ASSESSMENT_LEVELS, key=ASSESSMENT_LEVELS.__getitem__) == [
        "不合格",
        "基本合格",
        "合格",
        "优秀",
    ]
    with pytest.raises(ValueParseError):
        parse_term_rating("合格")
    with pytest.raises(ValueParseError):
        parse_assessment("称职")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("汉", "汉族"),
        ("汉族", "汉族"),
        ("回", "回族"),
        ("维吾尔", "维吾尔族"),
        ("蒙古", "蒙古族"),
        ("穿青人", "穿青人"),
        ("Han", "Han"),
    ],
)
def test_parse_ethnicity(raw: str, expected: str) -> None:
    assert parse_ethnicity(raw) == expected


def test_56_ethnic_groups() -> None:
    assert len(ETHNIC_GROUPS) == len(set(ETHNIC_GROUPS)) == 56
    assert all(g.endswith("族") for g in ETHNIC_GROUPS)


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("83%", 0.83),
        ("83.5%", 0.835),
        ("８３％", 0.83),
        ("83 %", 0.83),
        ("0.83", 0.83),
        ("83", 0.83),
        ("100", 1.0),
        ("100%", 1.0),
        ("1", 1.0),
        ("0", 0.0),
        ("0.5%", 0.005),
        ("无", None),
        ("", None),
    ],
)
def test_parse_percent(raw: str, expected: float | None) -> None:
    result = parse_percent(raw)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["101%", "150", "-5%", "abc", "83%%", "nan"])
def test_parse_percent_errors(raw: str) -> None:
    with pytest.raises(ValueParseError) as e:
        parse_percent(raw)
    assert raw in e.value.message_zh


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12.0), ("-3.5", -3.5), ("1,200", 1200.0), ("1e3", 1000.0), ("暂无", None)],
)
def test_parse_number(raw: str, expected: float | None) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["12个", "inf", "nan", "1,2", "1.2.3"])
def test_parse_number_errors(raw: str) -> None:
    with pytest.raises(ValueParseError):
        parse_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019", (2019,)),
        ("2019年", (2019,)),
        ("2019年度", (2019,)),
        ("2019.0", (2019,)),
        ("2018、2019", (2018, 2019)),
        ("2018,2019年", (2018, 2019)),
        ("2019年，2018年度", (2018, 2019)),
        ("2018；2018", (2018,)),
        ("2018 2020", (2018, 2020)),
        ("无", None),
        ("", None),
    ],
)
def test_parse_years(raw: str, expected: tuple[int, ...] | None) -> None:
    assert parse_years(raw) == expected


@pytest.mark.parametrize("raw", ["1948", "2101", "19", "2019-2020", "去年"])
def test_parse_years_errors(raw: str) -> None:
    with pytest.raises(ValueParseError):
        parse_years(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("41010319850308123X,410103198503081234", ["41010319850308123X", "410103198503081234"]),
        ("a，b、c;d；e f\ng\r\nh", ["a", "b", "c", "d", "e", "f", "g", "h"]),
        (" a、、b ", ["a", "b"]),
        ("４１０１", ["4101"]),
        ("无", []),
        ("没有", []),
        ("", []),
        (None, []),
        ("/", []),
    ],
)
def test_split_id_list(raw: str | None, expected: list[str]) -> None:
    assert split_id_list(raw) == expected


def test_free_text_keeps_chinese_punctuation() -> None:
    from vetting.roster.values import clean_text, parse_text

    assert parse_text("  ２０１９年占用耕地建房，未拆除复耕。 ") == "2019年占用耕地建房，未拆除复耕。"
    assert clean_text("（配偶）ＡＢ") == "（配偶）AB"
