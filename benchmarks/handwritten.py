"""The baseline: the national policy's rules written directly in polars, for one roster CSV.

    python benchmarks/handwritten.py benchmarks/data/roster-1m.csv

What a competent engineer would write for this file without `vetting`: read the CSV as strings,
parse dates, flags, levels and ID numbers with polars expressions (each parsed value computed
once and reused), evaluate the rules of `policies/national/*.yaml` as filters, group-bys and
joins, and print the number of findings per code as JSON. It keeps vetting's meaning of every
rule, including the three-valued answers (a month-only date at a bound, a blank political status
or gender is "cannot decide": DQ010) and the data-quality checks, so that its counts equal
`vetting lint`'s on the generated rosters (`benchmarks/run.py --check` compares them).

What it does not do, and vetting does: find the header row among title rows (it knows the file
has one title line), match header aliases, normalise full-width characters and white space,
parse every date format of the roster contract (only those the generated files use), report
where each finding is (row, cell) and write a message for it, mask personal data.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

import polars as pl

AS_OF = dt.date(2021, 1, 10)
TODAY = dt.date.today()
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# The national policy's parameters.
ADULT_AGE, PARTY_MAX, PARTY_MIN = 18, 7, 3
RATING_LOOKBACK, ECO_YEARS, DETENTION_YEARS, RESIGN_YEARS = 3, 5, 5, 3
RECOMMENDATION_MIN = 0.5
SECRETARY_MIN_PARTY_YEARS, LEADER_MIN_EDUCATION = 1, 3  # 高中
YOUTH_MAX, NEW_MAX, INCUMBENT_MAX, LEADER_MAX = 35, 45, 55, 60
ONE_SHOULDER_TARGET, CROSS_TARGET = 0.9, 0.3333

BLANKS = ["/", "-", "—", "——"]
TRUE_WORDS = ["是", "有", "√", "✓", "y", "yes", "true", "1"]
FALSE_WORDS = ["否", "无", "没有", "×", "✗", "n", "no", "false", "0"]
NONE_WORDS = ["无", "没有", "否", "暂无", "无此情况"]
EDUCATION = {"小学": 1, "初中": 2, "高中": 3, "中专": 3, "职高": 3, "技校": 3, "大专": 4,
             "本科": 5, "大学本科": 5, "研究生": 6, "硕士研究生": 6, "博士研究生": 7}
POLITICAL = {"中共党员": "中共党员", "党员": "中共党员", "中共预备党员": "中共预备党员",
             "预备党员": "中共预备党员", "共青团员": "共青团员", "群众": "群众", "无党派人士": "无党派人士"}
PARTY_POSTS = {"书记": "书记", "副书记": "副书记", "委员": "委员", "组织委员": "委员",
               "宣传委员": "委员", "纪检委员": "纪检委员"}
COMMITTEE_POSTS = {"主任": "主任", "副主任": "副主任", "委员": "委员"}
TERM_RATINGS = ["优秀", "称职", "基本称职", "不称职"]
ASSESSMENTS = ["优秀", "合格", "基本合格", "不合格"]

c = pl.col


def years_before(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year - n)
    except ValueError:
        return d.replace(year=d.year - n, day=28)


def read(path: str) -> pl.DataFrame:
    data = Path(path).read_bytes()
    try:
        data[:1 << 20].decode("utf-8")
        enc = "utf8"
    except UnicodeDecodeError:
        data = data.decode("gb18030").encode("utf-8")
        enc = "utf8"
    return pl.read_csv(data, skip_rows=1, infer_schema=False, null_values=BLANKS, encoding=enc)


# -- value parsers (expressions) --------------------------------------------------------------

DATE_RE = r"^(\d{4})(?:[-./年](\d{1,2})(?:[-./月](\d{1,2})日?)?月?)?$"


def date_parts(raw: pl.Expr, key: str) -> pl.Expr:
    """Year, month and day of 1985-03-08, 1985.03, 1985年3月, 1985/3/8 and 1985 (also 1985.0,
    as Excel writes a year stored as a number), as a struct to unnest (one regex pass)."""
    g = raw.str.replace(r"^(\d{4})\.0+$", "$1").str.extract_groups(DATE_RE)
    return g.struct.rename_fields([f"{key}_y", f"{key}_m", f"{key}_d"]).alias(key)


def date_stage1(key: str) -> list[pl.Expr]:
    """The first and last day of the month (of the year, when there is no month)."""
    y = c(f"{key}_y").cast(pl.Int32)
    m = c(f"{key}_m").cast(pl.Int8)
    ok_m = m.is_null() | m.is_between(1, 12)
    first = pl.date(y.fill_null(2000), pl.when(ok_m).then(m.fill_null(1)).otherwise(1), 1)
    return [
        (y.is_not_null() & (y >= 1000) & ok_m).alias(f"{key}_ok"),
        c(f"{key}_d").cast(pl.Int16).alias(f"{key}_d"),
        first.alias(f"{key}_first"),
        pl.when(m.is_null()).then(pl.date(y.fill_null(2000), 12, 31)).otherwise(first.dt.month_end()).alias(f"{key}_last"),
    ]


def date_stage2(key: str) -> list[pl.Expr]:
    """(first possible day, last possible day, unreadable): a month-only date is the range of
    its month."""
    d, first, last = c(f"{key}_d"), c(f"{key}_first"), c(f"{key}_last")
    valid = c(f"{key}_ok") & (d.is_null() | ((d >= 1) & (d <= last.dt.day())))
    day = first + pl.duration(days=d.cast(pl.Int32) - 1)
    return [
        pl.when(valid).then(pl.when(d.is_null()).then(first).otherwise(day)).alias(f"{key}_lo"),
        pl.when(valid).then(pl.when(d.is_null()).then(last).otherwise(day)).alias(f"{key}_hi"),
        (c(f"{key}_given") & ~valid).alias(f"{key}_bad"),
    ]


def full_years(d: pl.Expr) -> pl.Expr:
    """Full years from d to AS_OF (a birthday on AS_OF counts)."""
    before = (d.dt.month() > AS_OF.month) | ((d.dt.month() == AS_OF.month) & (d.dt.day() > AS_OF.day))
    return AS_OF.year - d.dt.year().cast(pl.Int32) - before.cast(pl.Int32)


def three(true_when: pl.Expr, false_when: pl.Expr) -> pl.Expr:
    return pl.when(true_when).then(True).when(false_when).then(False)


def window(lo: pl.Expr, hi: pl.Expr, years: int) -> pl.Expr:
    """A date within 近N年 (after AS_OF - N years); blank = no; a month at the edge = unknown."""
    cut = years_before(AS_OF, years)
    return pl.when(lo.is_null()).then(False).otherwise(three(lo > cut, hi <= cut))


def check_ok(first17: pl.Expr, actual: pl.Expr) -> pl.Expr:
    """ISO 7064 MOD 11-2 of 17 digits (as an integer) against the check value (X = 10)."""
    total = pl.sum_horizontal([(first17 // 10 ** (16 - i)) % 10 * w for i, w in enumerate(WEIGHTS)])
    return ((12 - total % 11) % 11) == actual


def check_char(first17: pl.Expr) -> pl.Expr:
    total = pl.sum_horizontal([(first17 // 10 ** (16 - i)) % 10 * w for i, w in enumerate(WEIGHTS)])
    v = (12 - total % 11) % 11
    return pl.when(v == 10).then(pl.lit("X")).otherwise(v.cast(pl.String))


def main(path: str, times: bool = False) -> dict[str, int]:
    started = last = time.perf_counter()

    def lap(what: str) -> None:
        nonlocal last
        now = time.perf_counter()
        if times:
            print(f"{what:24} {now - last:6.2f} s  ({now - started:.2f} s)", file=sys.stderr)
        last = now

    raw = read(path)
    counts: dict[str, int] = {}

    def add(code: str, k: int) -> None:
        if k:
            counts[code] = counts.get(code, 0) + int(k)

    lap("read")
    # -- stage 1: parse every column once ---------------------------------------------------
    dates = {"birth": "出生年月", "join": "入党时间", "sanction_end": "处分影响期截止",
             "eco": "破坏生态环境时间", "detention": "行政拘留时间", "resign": "责令辞职时间"}
    exprs: list[pl.Expr] = []
    # Dates in stages, so that each regex runs once per column (no shared sub-expressions on
    # an eager frame).
    parts = raw.select(
        [date_parts(c(h), k) for k, h in dates.items()] + [c(h).is_not_null().alias(f"{k}_given") for k, h in dates.items()]
    ).unnest(list(dates))
    parts = parts.with_columns([e for k in dates for e in date_stage1(k)])
    parsed_dates = parts.select([e for k in dates for e in date_stage2(k)])
    del parts
    flag_text = ["政治表现问题", "刑事处罚", "涉黑涉恶", "正在接受审查调查", "非法宗教邪教黄赌毒", "宗族宗派干扰",
                 "拉票贿选", "聚众闹事违法信访", "应急处置失职", "长期外出", "侵占集体资产未整改",
                 "违法用地建房未整改", "道德品行问题", "拖欠集体款项", "身体不能正常履职"]
    for h in flag_text:
        exprs.append((c(h).is_not_null() & ~c(h).is_in(FALSE_WORDS)).alias(h))
    flags = ["是否现任", "被依法罢免", "失信被执行人", "被剥夺政治权利", "丧失行为能力", "留党察看期内", "签订承诺书"]
    for h in flags:
        exprs += [pl.when(c(h).is_in(TRUE_WORDS)).then(True).when(c(h).is_in(FALSE_WORDS)).then(False).alias(h),
                  (c(h).is_not_null() & ~c(h).is_in(TRUE_WORDS + FALSE_WORDS)).alias(f"{h}_bad")]
    idr = c("身份证号").str.to_uppercase()
    party = c("拟任党组织职务").str.replace(r"^(?:党支部|党总支|党委)", "").replace_strict(PARTY_POSTS, default=None)
    committee = c("拟任村(居)委会职务").str.replace(r"^(?:村委会|居委会)", "").replace_strict(COMMITTEE_POSTS, default=None)
    supervisory = c("拟任村(居)务监督委员会职务").replace_strict({"主任": "主任", "委员": "委员"}, default=None)
    years = c("不合格党员年度").str.extract(r"^(\d{4})(?:年度|年)?$").cast(pl.Int32)
    rate_num = c("民主推荐得票率").str.strip_suffix("%").cast(pl.Float64, strict=False)
    rate = pl.when(c("民主推荐得票率").str.ends_with("%") | (rate_num > 1)).then(rate_num / 100).otherwise(rate_num)
    unit = c("村(社区)")
    exprs += [
        c("县(市、区)").alias("district"), c("乡镇(街道)").alias("township"), unit.alias("unit"), c("姓名").alias("name"),
        idr.alias("id"),
        idr.str.contains(r"^[0-9]{17}[0-9X]$").alias("id18"),
        idr.str.slice(0, 17).str.to_integer(strict=False).alias("first17"),
        pl.when(idr.str.slice(17, 1) == "X").then(10).otherwise(idr.str.slice(17, 1).str.to_integer(strict=False)).alias("check"),
        idr.str.slice(6, 8).str.to_date("%Y%m%d", strict=False).alias("id_birth18"),
        idr.str.contains(r"^[0-9]{15}$").alias("id15"),
        ("19" + idr.str.slice(6, 6)).str.to_date("%Y%m%d", strict=False).alias("id_birth15"),
        idr.str.contains(r"^[0-9]+(?:\.[0-9]*)?[eE]\+?[0-9]+$").alias("id_sci"),
        party.alias("party_post"), committee.alias("committee_post"), supervisory.alias("supervisory_post"),
        (c("拟任党组织职务").is_not_null() & party.is_null()).alias("party_bad"),
        (c("拟任村(居)委会职务").is_not_null() & committee.is_null()).alias("committee_bad"),
        (c("拟任村(居)务监督委员会职务").is_not_null() & supervisory.is_null()).alias("supervisory_bad"),
        c("性别").replace_strict({"男": "男", "女": "女", "男性": "男", "女性": "女"}, default=None).alias("gender_decl"),
        c("学历").replace_strict(EDUCATION, default=None, return_dtype=pl.Int8).alias("edu"),
        c("政治面貌").replace_strict(POLITICAL, default=None).alias("political"),
        pl.coalesce(
            c("类型").replace_strict({"村": "村", "社区": "社区", "行政村": "村", "居委会": "社区"}, default=None),
            pl.when(unit.str.contains("(?:社区|居委会|居民委员会)$")).then(pl.lit("社区"))
            .when(unit.str.contains("(?:村|村委会|村民委员会)$")).then(pl.lit("村")),
        ).alias("unit_type"),
        years.alias("unq_year"), (c("不合格党员年度").is_not_null() & years.is_null()).alias("unq_bad"),
        rate.alias("rate"), (c("民主推荐得票率").is_not_null() & (rate.is_null() | (rate > 1))).alias("rate_bad"),
        pl.when(c("任期考核").is_in(TERM_RATINGS)).then(c("任期考核")).alias("term_rating"),
        pl.when(c("考察结论").is_in(ASSESSMENTS)).then(c("考察结论")).alias("assessment"),
        (c("任期考核").is_not_null() & ~c("任期考核").is_in(TERM_RATINGS)).alias("rating_bad"),
        (c("考察结论").is_not_null() & ~c("考察结论").is_in(ASSESSMENTS)).alias("assess_bad"),
        (c("党纪政务处分").is_not_null() & ~c("党纪政务处分").is_in(NONE_WORDS)).alias("sanction"),
        (c("其他不宜情形").is_not_null() & ~c("其他不宜情形").is_in(NONE_WORDS)).alias("other_bar"),
        c("近亲属身份证号").alias("relatives_raw"),
        (c("拟任党组织职务").is_null() & c("拟任村(居)委会职务").is_null() & c("拟任村(居)务监督委员会职务").is_null()).alias("no_post"),
        (c("学历").is_not_null() & c("学历").replace_strict(EDUCATION, default=None, return_dtype=pl.Int8).is_null()).alias("edu_bad"),
        (c("政治面貌").is_not_null() & c("政治面貌").replace_strict(POLITICAL, default=None).is_null()).alias("political_bad"),
        (c("性别").is_not_null() & ~c("性别").is_in(["男", "女", "男性", "女性"])).alias("gender_bad"),
    ]
    f = pl.concat([raw.select(exprs), parsed_dates], how="horizontal")
    del raw, parsed_dates

    lap("stage 1 (parse)")
    # -- stage 2: ID numbers, birth dates, genders ------------------------------------------
    ok18 = c("id18") & check_ok(c("first17"), c("check")) & c("id_birth18").is_between(dt.date(1900, 1, 1), TODAY)
    legacy = c("id15") & c("id_birth15").is_between(dt.date(1900, 1, 1), TODAY)
    f = f.with_columns(ok18=ok18.fill_null(False), legacy=legacy.fill_null(False))
    # 15-digit numbers (rare) converted on their rows only.
    leg = f.filter(c("legacy")).select(leg17=c("id").str.slice(0, 6) + "19" + c("id").str.slice(6, 9))
    leg = leg.select(c("leg17") + check_char(c("leg17").str.to_integer()))["leg17"]
    id_norm = f["id"].zip_with(f["ok18"], pl.Series([None], dtype=pl.String)).scatter(f["legacy"].arg_true(), leg)
    f = f.with_columns(
        id_norm=id_norm,
        status=pl.when(c("ok18")).then(pl.lit("ok")).when(c("legacy")).then(pl.lit("legacy"))
        .when(c("id").is_null()).then(pl.lit("blank"))
        .when(c("id_sci") | (c("id18") & c("id").str.ends_with("000"))).then(pl.lit("damaged"))
        .otherwise(pl.lit("malformed")),
    )
    f = f.with_columns(
        usable=c("id_norm").is_not_null(),
        id_birth=c("id_norm").str.slice(6, 8).str.to_date("%Y%m%d", strict=False),
        id_gender=pl.when(c("id_norm").str.slice(16, 1).str.to_integer(strict=False) % 2 == 1).then(pl.lit("男"))
        .when(c("id_norm").is_not_null()).then(pl.lit("女")),
    )
    in_range = (c("id_birth") >= c("birth_lo")) & (c("id_birth") <= c("birth_hi"))
    use_id = c("id_birth").is_not_null() & (c("birth_lo").is_null() | in_range.fill_null(False))
    f = f.with_columns(
        dq002_b=(c("birth_lo").is_not_null() & c("id_birth").is_not_null() & ~in_range).fill_null(False),
        dq002_g=(c("gender_decl").is_not_null() & c("id_gender").is_not_null() & (c("gender_decl") != c("id_gender"))).fill_null(False),
        birth_lo=pl.when(use_id).then(c("id_birth")).otherwise(c("birth_lo")),
        birth_hi=pl.when(use_id).then(c("id_birth")).otherwise(c("birth_hi")),
        gender=pl.coalesce(c("gender_decl"), c("id_gender")),
        person=pl.when(c("usable")).then(c("id_norm")).otherwise(c("name").fill_null("") + "|" + c("unit").fill_null("")).hash(),
    )
    lap("stage 2 (ids, births)")
    # -- stage 3: derived values ------------------------------------------------------------
    f = f.with_columns(
        age_min=full_years(c("birth_hi")), age_max=full_years(c("birth_lo")),
        py_min=full_years(c("join_hi")), py_max=full_years(c("join_lo")),
        is_secretary=(c("party_post") == "书记").fill_null(False),
        is_director=(c("committee_post") == "主任").fill_null(False),
        on_party=c("party_post").is_not_null(), on_committee=c("committee_post").is_not_null(),
        is_woman=c("gender") == "女",
        is_new=~c("是否现任"),
    )
    f = f.with_columns(
        is_member=c("on_party") | c("on_committee"),
        one_shoulder=c("is_secretary") & c("is_director"),
        cross=c("on_party") & c("on_committee"),
        leader=c("is_secretary") | c("is_director"),
    )

    lap("stage 3 (derived)")
    # -- data quality -------------------------------------------------------------------------
    dq = f.select(
        DQ001=(c("status") == "malformed").sum(), DQ006=(c("status") == "damaged").sum(),
        DQ007=(c("status") == "legacy").sum(),
        DQ002=c("dq002_b").sum() + c("dq002_g").sum(),
        DQ003=pl.sum_horizontal(
            [c(f"{k}_bad").sum() for k in dates]
            + [c(f"{h}_bad").sum() for h in flags]
            + [c(x).sum() for x in ("party_bad", "committee_bad", "supervisory_bad", "edu_bad", "political_bad",
                                    "gender_bad", "unq_bad", "rate_bad", "rating_bad", "assess_bad")]
        ),
        DQ004=(c("status") == "blank").sum() + c("name").is_null().sum() + c("unit").is_null().sum() + c("no_post").sum(),
    ).row(0, named=True)
    for k, v in dq.items():
        add(k, v)
    # DQ005: the same person again in the same unit (later occurrences).
    keys = ["district", "township", "unit"]
    located = f.filter(c("usable") & c("unit").is_not_null())
    add("DQ005", located.height - located.select(*keys, "id_norm").n_unique())

    lap("data quality")
    # -- person rules: (who, condition) with three-valued conditions --------------------------
    T = pl.lit(True)

    def isv(col: str) -> pl.Expr:  # `is: true` on an evidence column (blank = no)
        return c(col).fill_null(False)

    age_above = lambda n: three(c("age_min") > n, c("age_max") <= n)  # noqa: E731
    rules: dict[str, tuple[pl.Expr, pl.Expr]] = {
        "EL001": (T, three(c("age_max") < ADULT_AGE, c("age_min") >= ADULT_AGE)),
        "EL002": (T, isv("被剥夺政治权利")),
        "EL003": (c("on_party"), pl.when(c("political").is_null()).then(None).otherwise(c("political") != "中共党员")
                  | isv("留党察看期内")),
        "EL009": (c("supervisory_post").is_not_null(), c("on_party") | c("on_committee")),
        "EL011": (T, isv("丧失行为能力")),
        "TN01": (T, isv("政治表现问题")),
        "TN02": (T, isv("刑事处罚") | isv("涉黑涉恶")),
        "TN03": (T, pl.when(c("sanction_end_lo").is_null()).then(False).otherwise(three(c("sanction_end_lo") > AS_OF, c("sanction_end_hi") <= AS_OF))
                 | isv("正在接受审查调查")),
        "TN04": (T, isv("非法宗教邪教黄赌毒") | isv("宗族宗派干扰")),
        "TN05": (T, isv("拉票贿选")),
        "TN06": (T, isv("聚众闹事违法信访")),
        "TN07": (T, isv("应急处置失职") | (c("term_rating") == "不称职").fill_null(False) | isv("被依法罢免")
                 | (c("unq_year") >= AS_OF.year - RATING_LOOKBACK).fill_null(False) | isv("长期外出")),
        "TN08": (T, isv("侵占集体资产未整改")),
        "TN09": (T, isv("违法用地建房未整改") | window(c("eco_lo"), c("eco_hi"), ECO_YEARS) | isv("失信被执行人")),
        "TN10": (T, c("other_bar")),
        "SQ01": (T, isv("道德品行问题")),
        "SQ02": (T, (c("rate") < RECOMMENDATION_MIN).fill_null(False)),
        "SQ03": (T, isv("拖欠集体款项")),
        "SQ04": (T, window(c("detention_lo"), c("detention_hi"), DETENTION_YEARS)),
        "SQ05": (T, (c("签订承诺书") == False).fill_null(False)),  # noqa: E712
        "SQ06": (T, isv("身体不能正常履职")),
        "SQ07": (T, window(c("resign_lo"), c("resign_hi"), RESIGN_YEARS)),
        "SD001": (c("leader"), c("assessment").is_null()),
        "SD002": (T, (c("assessment") == "不合格").fill_null(False)),
        "SD003": (c("is_secretary"), c("join_lo").is_null()
                  | three(c("py_max") < SECRETARY_MIN_PARTY_YEARS, c("py_min") >= SECRETARY_MIN_PARTY_YEARS)),
        "SD004": (c("leader"), c("is_new") & three(c("edu") < LEADER_MIN_EDUCATION, c("edu") >= LEADER_MIN_EDUCATION)),
        "ST001": (c("is_secretary"), ~c("is_director")),
        "ST004": (c("is_member"), c("is_new") & age_above(NEW_MAX)),
        "ST005": (c("is_member"), c("是否现任") & age_above(INCUMBENT_MAX)),
        "ST006": (c("leader"), age_above(LEADER_MAX)),
        "DQ009": (T, c("sanction") & c("sanction_end_lo").is_null()),
    }
    person = f.select(
        [(w & e).fill_null(False).sum().alias(code) for code, (w, e) in rules.items()]
        + [(w & e.is_null()).sum().alias(f"{code}:undecided") for code, (w, e) in rules.items()]
    ).row(0, named=True)
    for k, v in person.items():
        add("DQ010" if k.endswith(":undecided") else k, v)

    lap("person rules")
    # -- group rules ----------------------------------------------------------------------------
    def count(m: pl.Expr, cond: pl.Expr | None = None, unknown_as: bool = False) -> pl.Expr:
        sel = m if cond is None else m & cond.fill_null(unknown_as)
        return c("person").filter(sel).n_unique()

    unit_groups = f.group_by(keys).agg(
        village=(c("unit_type") == "村").drop_nulls().first(),
        community=(c("unit_type") == "社区").drop_nulls().first(),
        committee=count(c("on_committee")),
        women_lo=count(c("on_committee"), c("is_woman")), women_hi=count(c("on_committee"), c("is_woman"), True),
        party=count(c("on_party")),
        secretaries=count(c("is_member"), c("is_secretary")), directors=count(c("is_member"), c("is_director")),
        members=count(c("is_member")),
        young_lo=count(c("is_member"), three(c("age_max") <= YOUTH_MAX, c("age_min") > YOUTH_MAX)),
        young_hi=count(c("is_member"), three(c("age_max") <= YOUTH_MAX, c("age_min") > YOUTH_MAX), True),
        cross=count(c("is_member"), c("cross")),
    )
    g = unit_groups.select(
        EL004=(c("village") & ((c("committee") < 3) | (c("committee") > 7))).sum(),
        EL005=(c("community") & ((c("committee") < 5) | (c("committee") > 9))).sum(),
        EL006=((c("village") | c("community")) & (c("committee") > 0) & (c("women_hi") == 0)).sum(),
        EL007=((c("party") > PARTY_MAX).sum() + (c("party") < PARTY_MIN).sum()),
        EL012=((c("secretaries") > 1).sum() + (c("directors") > 1).sum()),
        ST003=(c("young_hi") < 1).sum(),
        ST007=((c("members") > 0) & (c("cross") / c("members") < CROSS_TARGET - 1e-12)).sum(),
        DQ010=(
            c("village").is_null().sum() * 2 + c("community").is_null().sum() * 2  # EL004-EL006 `where`
            + ((c("village") | c("community")).fill_null(False)
               & (c("committee") > 0) & (c("women_lo") == 0) & (c("women_hi") > 0)).sum()
            + ((c("young_lo") < 1) & (c("young_hi") >= 1)).sum()
        ),
    ).row(0, named=True)
    for k, v in g.items():
        add(k, v)
    for level in (["district", "township"], ["district"]):
        s = f.group_by(level).agg(
            n=count(c("is_secretary")), lo=count(c("is_secretary"), c("one_shoulder")),
        ).filter((c("n") > 0) & (c("lo") / c("n") < ONE_SHOULDER_TARGET - 1e-12))
        add("ST002", s.height)

    lap("group rules")
    # -- cross-row rules --------------------------------------------------------------------------
    # EL008: one person (ID number) proposed in two or more units: every row concerned.
    add("EL008", f.filter(c("usable")).select(
        (pl.concat_str([c(k).fill_null("") for k in keys], separator="\x1f").n_unique().over("id_norm") > 1).sum()
    ).item())
    # Near relatives (either lists the other) in the same unit. EL010: both on the committee,
    # each row of a pair; EL009: a supervisor and a 两委 member, on the supervisor's row.
    f = f.with_columns(is_supervisor=c("supervisory_post").is_not_null()).with_row_index("i")
    involved = c("is_member") | c("is_supervisor")
    rel = (
        f.filter(c("relatives_raw").is_not_null())
        .select(*keys, "i", "on_committee", "is_member", "is_supervisor", involved.alias("involved"),
                tok=c("relatives_raw").str.extract_all(r"[^,，、;；\s]+"))
        .explode("tok")
    )
    rel = rel.filter(~c("tok").is_in(["无", "没有", "暂无"]) & c("tok").is_not_null())
    # 15-digit (old) numbers converted, as for the people themselves
    old15 = c("tok").str.contains(r"^[0-9]{15}$") & ("19" + c("tok").str.slice(6, 6)).str.to_date("%Y%m%d", strict=False).is_between(dt.date(1900, 1, 1), TODAY)
    rel = rel.with_columns(t17=pl.when(old15).then(c("tok").str.slice(0, 6) + "19" + c("tok").str.slice(6, 9)))
    rel = rel.with_columns(n17=c("t17").str.to_integer(strict=False))
    rel = rel.with_columns(tok=pl.when(c("t17").is_not_null()).then(c("t17") + check_char(c("n17"))).otherwise(c("tok")))
    tok = c("tok").str.to_uppercase()
    first17 = tok.str.slice(0, 17).str.to_integer(strict=False)
    last_char = tok.str.slice(17, 1)
    valid = (
        tok.str.contains(r"^[0-9]{17}[0-9X]$")
        & check_ok(first17, pl.when(last_char == "X").then(10).otherwise(last_char.str.to_integer(strict=False)))
        & tok.str.slice(6, 8).str.to_date("%Y%m%d", strict=False).is_between(dt.date(1900, 1, 1), TODAY)
    ).fill_null(False)
    rel = rel.with_columns(valid=valid)
    add("DQ003", rel.filter(~c("valid")).height)
    people = f.filter(involved & c("usable")).select(
        *keys, tok=c("id_norm"), j=c("i"), j_committee=c("on_committee"), j_member=c("is_member"),
        j_supervisor=c("is_supervisor"),
    )
    edges = (
        rel.filter(c("valid") & c("involved"))
        .with_columns(tok=tok)
        .join(people, on=[*keys, "tok"], how="inner", nulls_equal=True)
        .filter(c("i") != c("j"))
    )
    el010 = edges.filter(c("on_committee") & c("j_committee")).select(a=pl.min_horizontal("i", "j"), b=pl.max_horizontal("i", "j")).n_unique()
    add("EL010", 2 * el010)
    el009 = (
        edges.filter((c("is_member") & c("j_supervisor")) | (c("is_supervisor") & c("j_member")))
        .select(a=pl.min_horizontal("i", "j"), b=pl.max_horizontal("i", "j")).unique()
        .join(f.select(a=c("i"), sa=c("is_supervisor")), on="a").join(f.select(b=c("i"), sb=c("is_supervisor")), on="b")
    )
    add("EL009", el009.select(c("sa").sum() + c("sb").sum()).item())
    lap("cross-row rules")
    return dict(sorted(counts.items()))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--times"]
    if len(args) != 1:
        sys.exit("usage: python benchmarks/handwritten.py [--times] ROSTER.csv")
    print(json.dumps(main(args[0], times="--times" in sys.argv), ensure_ascii=False))
