"""The common written forms of a date read in polars, a column of distinct texts at a time:
`values.parse_date` gives the same result for each of them (one Python call a distinct text
cost more than the rest of a date column's parsing). The other texts (odd forms, a time of
day, white space, full-width digits, impossible dates: they need a message) are left for
`values.parse_date`.

Forms read here, digits ASCII, nothing around them: `1985-03-08`, `1985/3/8`, `1985.03.08`,
`19850308`, `1985年3月8日` (日, 号 or nothing), `1985-03`, `1985/3`, `198503`, `1985年3月`,
`1985.03` / `1985.3` (`1985.0` / `1985.00`: the year), `1985`, `1985年`; a year from 1000 on,
a month 1-12, a day of that month.
"""

from __future__ import annotations

import polars as pl

from .._collect import engine_for

_Y = "([0-9]{4})"
_M = "([0-9]{1,2})"
# (pattern, precision): the year is group 1, the month group 2, the day group 3.
_FORMS: tuple[tuple[str, str], ...] = (
    (f"^{_Y}-{_M}-{_M}$", "day"),
    (f"^{_Y}/{_M}/{_M}$", "day"),
    (f"^{_Y}\\.{_M}\\.{_M}$", "day"),
    (f"^{_Y}([0-9]{{2}})([0-9]{{2}})$", "day"),
    (f"^{_Y}年{_M}月{_M}[日号]?$", "day"),
    (f"^{_Y}[-/]{_M}$", "month"),
    (f"^{_Y}年{_M}月$", "month"),
    (f"^{_Y}([0-9]{{2}})$", "month"),
    (f"^{_Y}\\.{_M}$", "dot"),  # 1985.03 is March, 1985.00 the year (as a number)
    (f"^{_Y}年?$", "year"),
)
PRECISION = pl.Enum(["day", "month", "year"])  # a date's precision, as the roster holds it


def read_dates(texts: pl.Series) -> tuple[pl.DataFrame, list[str]]:
    """Of distinct date texts (no nulls): those of the forms above as a frame `v` (the text),
    `lo`, `hi` (dates) and `prec` (day | month | year); and the others, for `parse_date`."""
    s = texts.cast(pl.String).alias("v")
    v = pl.col("v")
    ys, ms, ds, kinds = [], [], [], []
    for pattern, kind in _FORMS:
        y = v.str.extract(pattern, 1)
        ys.append(y)
        ms.append(v.str.extract(pattern, 2) if kind != "year" else pl.lit(None, dtype=pl.String))
        ds.append(v.str.extract(pattern, 3) if kind == "day" else pl.lit(None, dtype=pl.String))
        kinds.append(pl.when(y.is_not_null()).then(pl.lit(kind)))
    y, m, d = pl.col("y"), pl.col("m"), pl.col("d")
    frame = (
        pl.DataFrame({"v": s})
        .lazy()
        .select(
            v,
            pl.coalesce(ys).cast(pl.Int32).alias("y"),
            pl.coalesce(ms).cast(pl.Int32).alias("m"),
            pl.coalesce(ds).cast(pl.Int32).alias("d"),
            pl.coalesce(kinds).alias("kind"),
        )
        # `1985.00` (a number with a zero fraction) is the year 1985; `1985.03` its March.
        .with_columns(
            pl.when(pl.col("kind") == "dot").then(pl.when(m == 0).then(pl.lit("year")).otherwise(pl.lit("month")))
            .otherwise(pl.col("kind")).alias("kind"),
            pl.when((pl.col("kind") == "dot") & (m == 0)).then(None).otherwise(m).alias("m"),
        )
        .with_columns(
            ok=(y >= 1000) & (m.is_null() | m.is_between(1, 12)).fill_null(False)
            & (d.is_null() | (d >= 1) & (d <= pl.date(y, m.clip(1, 12), 1).dt.month_end().dt.day().cast(pl.Int32))).fill_null(False)
        )
        .collect(engine=engine_for(s.len()))
    )
    read = pl.col("ok").fill_null(False) & pl.col("kind").is_not_null()
    good = frame.filter(read)
    rest = frame.filter(~read)["v"].to_list()
    lo = pl.date(y, m.fill_null(1), d.fill_null(1))
    out = good.select(
        v,
        lo.alias("lo"),
        pl.when(pl.col("kind") == "day").then(lo)
        .when(pl.col("kind") == "month").then(lo.dt.month_end())
        .otherwise(pl.date(y, 12, 31)).alias("hi"),
        pl.col("kind").cast(PRECISION).alias("prec"),
    )
    return out, rest
