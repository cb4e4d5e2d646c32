"""The HTML report's charts: SVG drawn here in Python (no chart library, no script)."""

from __future__ import annotations

import math

from ..result import LintResult
from .html_model import _param, _Share, _Stats
from .html_text import _T, e

# ---------------------------------------------------------------------------------------------
# SVG charts (drawn here: no chart library, no script)

C_ERR, C_WARN, C_INFO, C_OK = "#c5221f", "#e37400", "#1967d2", "#188038"
C_ACCENT, C_MUTED, C_GRID, C_TEXT, C_SUB = "#b3261e", "#a8b3c1", "#e3e7ec", "#202124", "#5f6368"


def _pct(x: float | None) -> str:
    if x is None:
        return "—"
    p = x * 100
    return f"{p:.0f}%" if abs(p - round(p)) < 0.05 else f"{p:.1f}%"


def _svg_text(x: float, y: float, text: str, *, anchor: str = "start", size: float = 12, fill: str = C_TEXT,
              weight: str = "normal", cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
            f'font-weight="{weight}"{c}>{e(text)}</text>')


def _ticks(peak: float, n: int = 4) -> list[int]:
    """Axis ticks from 0 with a round step, covering `peak` in at most n+1 ticks."""
    step = 1
    for m in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000):
        step = m
        if peak <= m * n:
            break
    else:
        step = int(10 ** math.ceil(math.log10(max(peak, 1) / n)))
    top = max(1, math.ceil(peak / step))
    return [step * k for k in range(top + 1)]


def _age_chart(st: _Stats, t: _T) -> str:
    w, h = 480, 232
    left, right, top, bottom = 34, 10, 20, 44
    n = len(st.age_bands)
    peak = max((c for _, c, _ in st.age_bands), default=0)
    ticks = _ticks(peak)
    scale_max = ticks[-1]
    pw, ph = w - left - right, h - top - bottom
    bw = pw / n
    parts = [f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{e(t("age_chart"))}">']
    for v in ticks:
        yy = top + ph - ph * v / scale_max
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{C_GRID}"/>')
        parts.append(_svg_text(left - 6, yy + 4, str(v), anchor="end", size=10, fill=C_SUB))
    for i, (label, count, young) in enumerate(st.age_bands):
        x = left + i * bw + bw * 0.14
        bh = ph * count / scale_max if scale_max else 0
        y = top + ph - bh
        color = C_ACCENT if young else C_MUTED
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw * 0.72:.1f}" height="{bh:.1f}" rx="3" fill="{color}">'
                     f"<title>{e(label)}: {count}</title></rect>")
        if count:
            parts.append(_svg_text(x + bw * 0.36, y - 5, str(count), anchor="middle", size=11, weight="600"))
        parts.append(_svg_text(x + bw * 0.36, top + ph + 16, label, anchor="middle", size=11, fill=C_SUB))
    # A bracket under the young bands.
    young_n = sum(1 for _, _, yg in st.age_bands if yg)
    x0, x1 = left + 4, left + young_n * bw - 4
    yb = top + ph + 26
    parts.append(f'<path d="M{x0:.1f} {yb - 4:.1f} V{yb:.1f} H{x1:.1f} V{yb - 4:.1f}" fill="none" stroke="{C_ACCENT}" stroke-width="1.5"/>')
    parts.append(_svg_text((x0 + x1) / 2, yb + 13, f"≤{st.youth_age}", anchor="middle", size=11, fill=C_ACCENT, weight="600"))
    parts.append("</svg>")
    return "".join(parts)


def _edu_chart(st: _Stats, t: _T) -> str:
    rows = [(name, n, lv) for name, n, lv in st.education]
    if st.edu_unknown:
        rows.append((t("edu_unknown"), st.edu_unknown, None))
    total = sum(n for _, n, _ in rows) or 1
    row_h, top = 25, 4
    left = 16 + 12 * max((len(r[0]) for r in rows), default=2)
    right = 84
    w = 480
    h = top * 2 + row_h * max(len(rows), 1)
    peak = max((n for _, n, _ in rows), default=1) or 1
    pw = w - left - right
    # Darker for higher levels: 小学 … 博士研究生.
    shades = ["#d2e3fc", "#c6dafc", "#aecbfa", "#8ab4f8", "#669df6", "#4285f4", "#1a73e8", "#174ea6"]
    parts = [f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{e(t("edu_chart"))}">']
    for i, (name, n, lv) in enumerate(rows):
        y = top + i * row_h
        color = "#dadce0" if lv is None else shades[max(0, min(len(shades) - 1, int(lv)))]
        bw = pw * n / peak
        parts.append(_svg_text(left - 8, y + row_h / 2 + 4, name, anchor="end", size=12,
                               fill=C_SUB if lv is None else C_TEXT))
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{max(bw, 1.5):.1f}" height="{row_h - 8}" rx="3" fill="{color}">'
                     f"<title>{e(name)}: {n}</title></rect>")
        parts.append(_svg_text(left + bw + 6, y + row_h / 2 + 4, f"{n} · {_pct(n / total)}", size=11, fill=C_SUB))
    parts.append("</svg>")
    return "".join(parts)


def _share_chart(shares: list[_Share], target: float | None, t: _T, aria: str) -> str:
    """One bar per township: the share, its n/d, and the target as a dashed line; townships of
    several districts under a heading row per district."""
    rows: list[_Share | str] = []
    last: str | None = None
    for s in shares:
        if s.group is not None and s.group != last:
            rows.append(s.group)
            last = s.group
        rows.append(s)
    longest = max((min(len(s.label), 8) for s in shares), default=2)
    row_h, top, bottom = 24, 22, 22
    left, right, w = 12 + 12 * longest, 96, 380
    h = top + bottom + row_h * max(len(rows), 1)
    pw = w - left - right
    parts = [f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{e(aria)}">']
    for k in range(5):
        x = left + pw * k / 4
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{h - bottom}" stroke="{C_GRID}"/>')
        parts.append(_svg_text(x, h - bottom + 14, f"{25 * k}%", anchor="middle", size=10, fill=C_SUB))
    for i, item in enumerate(rows):
        y = top + i * row_h
        mid = y + row_h / 2 + 4
        if isinstance(item, str):
            parts.append(_svg_text(4, mid, item, size=12, weight="700", fill=C_TEXT))
            continue
        s = item
        v = s.value
        label = s.label if len(s.label) <= 8 else s.label[:7] + "…"
        parts.append(f'<text x="{left - 8}" y="{mid:.1f}" text-anchor="end" font-size="12" fill="{C_TEXT}">'
                     f"<title>{e(s.label)}</title>{e(label)}</text>")
        if v is None:
            parts.append(_svg_text(left + 4, mid, t("no_data"), size=11, fill=C_SUB))
            continue
        color = (C_OK if v >= target else C_WARN) if target else "#5b8def"
        bw = pw * min(v, 1.0)
        parts.append(f'<rect x="{left}" y="{y + 5}" width="{max(bw, 1.5):.1f}" height="{row_h - 10}" rx="3" fill="{color}">'
                     f"<title>{e(s.label)}: {s.num}/{s.den} = {_pct(v)}</title></rect>")
        parts.append(_svg_text(left + pw + 8, mid, f"{_pct(v)}", size=11.5, weight="600",
                               fill=C_WARN if target and v < target else C_TEXT))
        parts.append(_svg_text(w - 2, mid, f"{s.num}/{s.den}", anchor="end", size=10.5, fill=C_SUB))
    if target:
        x = left + pw * min(target, 1.0)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{h - bottom}" stroke="{C_ERR}" '
                     f'stroke-width="1.6" stroke-dasharray="4 3"/>')
        parts.append(_svg_text(x, top - 9, f"{t('target')} {_pct(target)}", anchor="end" if target > 0.75 else "middle",
                               size=10.5, fill=C_ERR, weight="600"))
    parts.append("</svg>")
    return "".join(parts)


def _target(result: LintResult, name: str) -> float | None:
    v = _param(result, name)
    if isinstance(v, bool) or not isinstance(v, int | float) or v <= 0:
        return None
    return float(v)


def _charts(result: LintResult, st: _Stats, t: _T) -> str:
    cards = []
    young_p = _pct(st.young / st.members) if st.members else "—"
    note = t("age_note", y=st.youth_age, n=st.young, p=young_p)
    if st.age_unknown:
        note += " · " + t("age_unknown", n=st.age_unknown)
    cards.append(_card(t("age_chart"), t("members_total", n=st.members), _age_chart(st, t), note, wide=True))
    college = sum(n for _, n, lv in st.education if lv is not None and lv >= 4)
    edu_note = t("college_note", n=college, p=_pct(college / st.members) if st.members else "—")
    cards.append(_card(t("edu_chart"), t("members_total", n=st.members), _edu_chart(st, t), edu_note, wide=True))
    if st.women:
        by = t("by_district" if st.share_level == "district" else "by_township")
        for title, shares, param in (
            (t("one_chart", by=by), st.one_shoulder, "one_shoulder_target"),
            (t("cross_chart", by=by), st.cross, "cross_appointment_target"),
            (t("women_chart", by=by), st.women, "women_share_target"),
        ):
            target = _target(result, param)
            sub = f"{t('target')} {_pct(target)}" if target else ""
            cards.append(_card(title, sub, _share_chart(shares, target, t, title), ""))
    return f'<section class="charts"><h2>{e(t("charts"))}</h2><div class="chart-grid">{"".join(cards)}</div></section>'


def _card(title: str, sub: str, svg: str, note: str, *, wide: bool = False) -> str:
    return (f'<figure class="card chart-card{" wide" if wide else ""}"><figcaption><span class="ct">{e(title)}</span>'
            f'<span class="cs">{e(sub)}</span></figcaption>{svg}'
            + (f'<p class="note">{e(note)}</p>' if note else "") + "</figure>")
