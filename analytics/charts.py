"""Every chart of the dashboard, built from analytics results with one theme and one colour meaning.

Pure: no Streamlit. Each function takes results (DataFrames, dataclasses) and the title that states
the chart's finding (analytics.findings), and returns a Plotly figure whose data tests read with
`fig.to_dict()`. Colour has one meaning everywhere: GOOD green, BAD red, NEUTRAL grey; "this period"
is dark blue and the comparison light blue. Colour is never the only signal: changes also carry an
arrow or a word, and every chart states its unit and its n.
"""
from __future__ import annotations

import math
import unicodedata

import pandas as pd
import plotly.graph_objects as go

from analytics.formats import (fmt_count, fmt_hours, fmt_month, fmt_n, fmt_number, fmt_share, fmt_signed,
                               fmt_term)
from analytics.gaps import GapModel
from analytics.i18n import translate

COLORS = {
    "good": "#1a7f37",
    "bad": "#c62828",
    "neutral": "#6b7280",
    "current": "#1f4e79",
    "comparison": "#8fb3d9",
    "band": "rgba(31, 78, 121, 0.16)",
    "ink": "#1f2937",
    "grid": "#e5e7eb",
    "passive": "#b8bec6",
    "water": "#d6e6f5",
}
UP, DOWN = "▲", "▼"
FONT_FAMILY = ("Noto Sans, 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', "
               "Arial, sans-serif")
FONT_SIZE = 16
TITLE_SIZE = 21
HEIGHT = 430

TEMPLATE = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT_FAMILY, size=FONT_SIZE, color=COLORS["ink"]),
    title=dict(font=dict(size=TITLE_SIZE, color=COLORS["ink"]), x=0, xanchor="left", y=0.97,
               yanchor="top", pad=dict(l=4), subtitle=dict(font=dict(size=15, color=COLORS["neutral"]))),
    paper_bgcolor="white",
    plot_bgcolor="white",
    colorway=[COLORS["current"], COLORS["comparison"], COLORS["neutral"]],
    xaxis=dict(showgrid=False, linecolor=COLORS["ink"], ticks="outside", tickfont=dict(size=15),
               title=dict(font=dict(size=16)), automargin=True, zeroline=False),
    yaxis=dict(gridcolor=COLORS["grid"], linecolor=COLORS["ink"], tickfont=dict(size=15),
               title=dict(font=dict(size=16)), automargin=True, zeroline=False),
    legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1, font=dict(size=15),
                bgcolor="rgba(255,255,255,0)"),
    hoverlabel=dict(font=dict(size=15, family=FONT_FAMILY)),
    margin=dict(l=10, r=20, t=100, b=10),
    bargap=0.25,
))


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def wrap(text: str, width: int = 52) -> str:
    """Break a title into lines of about `width` columns (a Chinese character counts two) with <br>."""
    lines, line, used = [], "", 0
    tokens = []
    for part in str(text).split(" "):
        # Chinese has no spaces: let every wide character be a break point
        if any(_width(c) == 2 for c in part):
            tokens.extend([(c, False) for c in part[:-1]] + [(part[-1], True)] if part else [("", True)])
        else:
            tokens.append((part, True))
    for token, spaced in tokens:
        size = sum(_width(c) for c in token)
        if used and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0
        line += token + (" " if spaced else "")
        used += size + (1 if spaced else 0)
    lines.append(line.rstrip())
    return "<br>".join(x for x in lines if x)


def _figure(title: str, subtitle: str | None = None, height: int = HEIGHT, wide: bool = False) -> go.Figure:
    lines = wrap(title, 100 if wide else 52)
    top = 58 + 27 * lines.count("<br>") + (26 if subtitle else 0)
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, height=height + top - 58,
                      title=dict(text=lines, subtitle=dict(text=subtitle or "")),
                      margin=dict(t=top + 34))
    return fig


def _months(months, language: str) -> list[str]:
    return [fmt_month(m, language) for m in months]


def _none_if_nan(values) -> list:
    out = []
    for v in values:
        try:
            out.append(None if v is None or math.isnan(float(v)) else float(v))
        except (TypeError, ValueError):
            out.append(None)
    return out


def _band(fig: go.Figure, x: list, low: list, high: list, name: str) -> None:
    """A shaded 95% interval drawn under a line (upper edge, then lower edge filled to it)."""
    fig.add_trace(go.Scatter(x=x, y=high, mode="lines", line=dict(width=0), hoverinfo="skip",
                             showlegend=False, name=name))
    fig.add_trace(go.Scatter(x=x, y=low, mode="lines", line=dict(width=0), fill="tonexty",
                             fillcolor=COLORS["band"], hoverinfo="skip", name=name, showlegend=True))


# -- trends -----------------------------------------------------------------------------------------

def interval_trend(months, values, lows, highs, ns, *, title: str, y_title: str, language: str,
                   value_format: str = "number", subtitle: str | None = None, y_range=None,
                   height: int = 360) -> go.Figure:
    """A monthly line with its 95% interval as a band; points carry their month for selection.

    value_format: 'number' (one decimal), 'signed' (NPS), 'share' (0–1 shown as %), 'polarity'.
    """
    if len(months) == 0:
        return None
    x = _months(months, language)
    values, lows, highs = _none_if_nan(values), _none_if_nan(lows), _none_if_nan(highs)
    scale = 100.0 if value_format == "share" else 1.0
    shown = [None if v is None else v * scale for v in values]
    fig = _figure(title, subtitle, height)
    _band(fig, x, [None if v is None else v * scale for v in lows],
          [None if v is None else v * scale for v in highs], translate("chart.interval95", language))
    labels = {"signed": lambda v: fmt_signed(v, 1), "share": lambda v: fmt_share(v),
              "polarity": lambda v: fmt_signed(v, 2)}.get(value_format, lambda v: fmt_number(v, 1))
    fig.add_trace(go.Scatter(
        x=x, y=shown, mode="lines+markers", name=translate("chart.value", language),
        line=dict(color=COLORS["current"], width=3), marker=dict(size=9),
        customdata=[[m, int(n)] for m, n in zip(months, ns)],
        hovertemplate="%{x}: %{text}<br>n = %{customdata[1]}<extra></extra>",
        text=[labels(v) for v in values], showlegend=False))
    fig.update_yaxes(title_text=y_title, range=y_range, ticksuffix="%" if value_format == "share" else "")
    fig.update_xaxes(title_text=translate("axis.month", language), type="category")
    return fig


def count_trend(months, counts, *, title: str, y_title: str, language: str, height: int = 360) -> go.Figure:
    """Counts per month as bars with their value on top."""
    if len(months) == 0:
        return None
    x = _months(months, language)
    fig = _figure(title, None, height)
    fig.add_trace(go.Bar(x=x, y=[int(c) for c in counts], marker_color=COLORS["current"],
                         text=[fmt_count(c) for c in counts], textposition="outside", cliponaxis=False,
                         name=y_title, hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    fig.update_xaxes(title_text=translate("axis.month", language), type="category")
    return fig


def nps_mix(trend: pd.DataFrame, *, title: str, language: str, height: int = 440) -> go.Figure:
    """Promoters, passives and detractors as stacked shares per month, the NPS written above."""
    if trend.empty:
        return None
    x = _months(trend["month"], language)
    n = trend["n"].astype(float)
    fig = _figure(title, translate("chart.nps_mix_note", language), height, wide=True)
    for column, color, key in (("detractors", COLORS["bad"], "nps.detractors"),
                               ("passives", COLORS["passive"], "nps.passives"),
                               ("promoters", COLORS["good"], "nps.promoters")):
        share = [100.0 * c / t if t else None for c, t in zip(trend[column], n)]
        fig.add_trace(go.Bar(x=x, y=share, name=translate(key, language), marker_color=color,
                             text=[f"{v:.0f}%" if v is not None else "" for v in share],
                             textposition="inside", insidetextanchor="middle",
                             textfont=dict(color="white" if column != "passives" else COLORS["ink"], size=14),
                             hovertemplate="%{x}: %{y:.1f}%<extra>" + translate(key, language) + "</extra>"))
    fig.add_trace(go.Scatter(
        x=x, y=[103] * len(x), mode="text", showlegend=False, hoverinfo="skip",
        text=[f"<b>{fmt_signed(s, 0)}</b>" for s in trend["score"]], textposition="top center",
        textfont=dict(size=15, color=COLORS["ink"]), name=translate("metric.nps", language)))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text=translate("axis.share_of_responses", language), range=[0, 112],
                     ticksuffix="%", tickvals=[0, 25, 50, 75, 100])
    fig.update_xaxes(title_text=translate("axis.month", language), type="category")
    return fig


# -- CSI --------------------------------------------------------------------------------------------

def _short(text: str, width: int = 22) -> str:
    return wrap(text, width)


def attribute_radar(table: pd.DataFrame, *, title: str, now_label: str, vs_label: str, language: str,
                    height: int = 560) -> go.Figure:
    """Attribute satisfaction (0–100) on a radar, this selection over the comparison.

    `table` is csi.compare_attributes' result; the loops are closed by repeating the first point.
    """
    if table.empty:
        return None
    theta = [_short(a, 18) for a in table["attribute"]]
    fig = _figure(title, translate("chart.radar_note", language), height, wide=True)
    for column, name, color, fill in (("satisfaction_before", vs_label, COLORS["comparison"], "none"),
                                      ("satisfaction_now", now_label, COLORS["current"], "toself")):
        r = _none_if_nan(table[column])
        fig.add_trace(go.Scatterpolar(
            r=r + r[:1], theta=theta + theta[:1], name=name, mode="lines+markers",
            line=dict(color=color, width=3 if column == "satisfaction_now" else 2.5,
                      dash="solid" if column == "satisfaction_now" else "dash"),
            marker=dict(size=8), fill=fill, fillcolor="rgba(31, 78, 121, 0.10)",
            hovertemplate="%{theta}: %{r:.1f}<extra>" + name + "</extra>"))
    fig.update_layout(polar=dict(
        radialaxis=dict(range=[0, 100], tickvals=[20, 40, 60, 80, 100], tickfont=dict(size=13),
                        gridcolor=COLORS["grid"], angle=90, tickangle=90),
        angularaxis=dict(tickfont=dict(size=15), gridcolor=COLORS["grid"], direction="clockwise"),
        bgcolor="white"), margin=dict(l=110, r=110))
    return fig


def _marker(delta, significant) -> str:
    if not significant or delta is None or (isinstance(delta, float) and math.isnan(delta)) or delta == 0:
        return ""
    return f" {UP if delta > 0 else DOWN}{fmt_number(abs(delta), 1)}"


def attribute_bars(table: pd.DataFrame, *, title: str, now_label: str, vs_label: str, language: str) -> go.Figure:
    """The same attribute satisfaction as grouped horizontal bars; a significant difference is marked."""
    if table.empty:
        return None
    order = table.sort_values("satisfaction_now", na_position="first")
    y = [_short(a, 30) for a in order["attribute"]]
    fig = _figure(title, translate("chart.bars_note", language), 120 + 52 * len(order), wide=True)
    fig.add_trace(go.Bar(y=y, x=_none_if_nan(order["satisfaction_before"]), orientation="h", name=vs_label,
                         marker_color=COLORS["comparison"],
                         text=[fmt_number(v, 1) for v in order["satisfaction_before"]], textposition="outside",
                         cliponaxis=False, hovertemplate="%{y}: %{x:.1f}<extra>" + vs_label + "</extra>"))
    fig.add_trace(go.Bar(
        y=y, x=_none_if_nan(order["satisfaction_now"]), orientation="h", name=now_label,
        marker_color=COLORS["current"],
        text=[fmt_number(v, 1) + _marker(d, s) for v, d, s in
              zip(order["satisfaction_now"], order["delta"], order["significant"])],
        textposition="outside", cliponaxis=False,
        textfont=dict(color=[COLORS["good"] if s and d > 0 else COLORS["bad"] if s and d < 0 else COLORS["ink"]
                             for d, s in zip(order["delta"], order["significant"])]),
        hovertemplate="%{y}: %{x:.1f}<extra>" + now_label + "</extra>"))
    fig.update_layout(barmode="group", legend=dict(traceorder="reversed"))
    fig.update_xaxes(title_text=translate("axis.satisfaction_100", language), range=[0, 108],
                     showgrid=True, gridcolor=COLORS["grid"])
    return fig


def attribute_profile(table: pd.DataFrame, *, title: str, now_label: str, vs_label: str, language: str,
                      height: int = 470) -> go.Figure:
    """The same attribute satisfaction as two profile lines across the attributes."""
    if table.empty:
        return None
    x = [_short(a, 14) for a in table["attribute"]]
    fig = _figure(title, translate("chart.profile_note", language), height, wide=True)
    fig.add_trace(go.Scatter(x=x, y=_none_if_nan(table["satisfaction_before"]), name=vs_label,
                             mode="lines+markers", line=dict(color=COLORS["comparison"], width=3, dash="dash"),
                             marker=dict(size=10), hovertemplate="%{x}: %{y:.1f}<extra>" + vs_label + "</extra>"))
    fig.add_trace(go.Scatter(
        x=x, y=_none_if_nan(table["satisfaction_now"]), name=now_label, mode="lines+markers+text",
        line=dict(color=COLORS["current"], width=3.5), marker=dict(size=11),
        text=[fmt_number(v, 1) + _marker(d, s) for v, d, s in
              zip(table["satisfaction_now"], table["delta"], table["significant"])],
        textposition="top center", textfont=dict(size=14),
        hovertemplate="%{x}: %{y:.1f}<extra>" + now_label + "</extra>"))
    values = [v for v in _none_if_nan(table["satisfaction_now"]) + _none_if_nan(table["satisfaction_before"])
              if v is not None]
    low = max(0.0, math.floor((min(values) if values else 0) / 10) * 10 - 10)
    fig.update_yaxes(title_text=translate("axis.satisfaction_100", language), range=[low, 100])
    fig.update_xaxes(type="category", tickangle=0)
    return fig


QUADRANT_COLORS = {"fix_first": COLORS["bad"], "keep_up": COLORS["good"], "low_priority": COLORS["neutral"],
                   "possible_overkill": COLORS["comparison"]}


def importance_performance(grid, *, title: str, x_title: str, language: str, height: int = 560) -> go.Figure:
    """Attributes by importance (x) and satisfaction (y), split at the means; 'fix first' in red."""
    table = grid.table
    if table.empty or grid.importance_mean is None:
        return None
    fig = _figure(title, translate("chart.ip_note", language), height, wide=False)
    for quadrant, color in QUADRANT_COLORS.items():
        part = table[table["quadrant"] == quadrant]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["importance"].astype(float).tolist(), y=part["satisfaction"].astype(float).tolist(),
            mode="markers+text", name=translate(f"quadrant.{quadrant}", language),
            marker=dict(size=15, color=color, symbol="diamond" if quadrant == "fix_first" else "circle",
                        line=dict(color="white", width=1)),
            text=[_short(a, 16) for a in part["attribute"]], textposition="top center", textfont=dict(size=13),
            customdata=part["item_code"].tolist(),
            hovertemplate="%{text}<br>%{x:.2f}, %{y:.1f}<extra></extra>"))
    fig.add_vline(x=grid.importance_mean, line=dict(color=COLORS["neutral"], dash="dot", width=2))
    fig.add_hline(y=grid.satisfaction_mean, line=dict(color=COLORS["neutral"], dash="dot", width=2))
    xs = table["importance"].astype(float)
    ys = table["satisfaction"].astype(float)
    x_pad = (xs.max() - xs.min()) * 0.15 or 0.1
    y_pad = (ys.max() - ys.min()) * 0.2 or 2
    fig.update_xaxes(title_text=x_title, range=[xs.min() - x_pad, xs.max() + x_pad], showgrid=True,
                     gridcolor=COLORS["grid"])
    fig.update_yaxes(title_text=translate("axis.satisfaction_100", language),
                     range=[ys.min() - y_pad, ys.max() + y_pad])
    fig.update_layout(legend=dict(orientation="h", y=-0.18, yanchor="top", x=0, xanchor="left"))
    return fig


# -- gap model --------------------------------------------------------------------------------------

GAP_TONE_COLORS = {"good": COLORS["good"], "bad": COLORS["bad"], "neutral": COLORS["neutral"]}


def gap_model_diagram(summaries: dict, *, title: str, language: str, height: int = 640) -> go.Figure:
    """The five-gap model (Parasuraman, Zeithaml & Berry 1985) with each gap's value on its arrow.

    `summaries` maps 'gap1'…'gap5' to (value text, tone) from findings.gap_summaries.
    """
    fig = _figure(title, translate("chart.gap_model_note", language), height, wide=True)
    boxes = {
        "expected": (5.0, 9.0), "perceived": (5.0, 7.0), "delivery": (5.0, 4.6),
        "communications": (9.3, 4.6), "standards": (5.0, 2.8), "management": (5.0, 1.0),
    }
    half_w, half_h = 1.75, 0.42
    for name, (x, y) in boxes.items():
        w = 1.45 if name == "communications" else half_w
        fig.add_shape(type="rect", x0=x - w, x1=x + w, y0=y - half_h, y1=y + half_h,
                      line=dict(color=COLORS["current"], width=2), fillcolor="#eef4fb", layer="below")
        fig.add_annotation(x=x, y=y, text=wrap(translate(f"gapbox.{name}", language), 30 if w > 1.5 else 24),
                           showarrow=False, font=dict(size=15))
    fig.add_shape(type="line", x0=0.0, x1=11.0, y0=5.8, y1=5.8, line=dict(color=COLORS["neutral"], dash="dash"))
    fig.add_annotation(x=0.0, y=6.05, text=translate("gapbox.customer", language), showarrow=False,
                       xanchor="left", font=dict(size=14, color=COLORS["neutral"]))
    fig.add_annotation(x=0.0, y=5.55, text=translate("gapbox.provider", language), showarrow=False,
                       xanchor="left", font=dict(size=14, color=COLORS["neutral"]))
    # the flow between the boxes
    for (x0, y0, x1, y1) in ((5.0, 1.42, 5.0, 2.38), (5.0, 3.22, 5.0, 4.18), (5.0, 5.02, 5.0, 6.58),
                             (9.3, 5.02, 6.75, 6.75)):
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                           showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.6,
                           arrowcolor=COLORS["neutral"])
    fig.add_shape(type="line", x0=6.75, x1=7.85, y0=4.6, y1=4.6, line=dict(color=COLORS["neutral"], width=1.6))
    # gap 1: the long way round, from the customers' expectation to management's perception of it
    fig.add_shape(type="path", path="M 3.25 9.0 L 1.9 9.0 L 1.9 1.0 L 3.25 1.0",
                  line=dict(color=COLORS["neutral"], width=1.6, dash="dot"))
    placements = {
        "gap5": (6.95, 8.0, "left"), "gap4": (7.3, 3.95, "center"), "gap3": (6.95, 3.7, "left"),
        "gap2": (6.95, 1.9, "left"), "gap1": (1.75, 5.0, "right"),
    }
    for gap, (x, y, anchor) in placements.items():
        text, tone = summaries.get(gap, ("", "neutral"))
        label = f"<b>{translate(f'gap.{gap}', language)}</b><br>{wrap(text, 30)}"
        fig.add_annotation(x=x, y=y, text=label, showarrow=False, xanchor=anchor, align=anchor,
                           font=dict(size=15, color=GAP_TONE_COLORS.get(tone, COLORS["neutral"])),
                           bgcolor="rgba(255,255,255,0.9)")
    fig.update_xaxes(visible=False, range=[-2.6, 11.0], fixedrange=True)
    fig.update_yaxes(visible=False, range=[0.3, 9.6], fixedrange=True)
    fig.update_layout(margin=dict(l=0, r=0, b=0))
    return fig


def dumbbell(labels, expectation, perception, gaps, *, title: str, left_name: str, right_name: str,
             x_title: str, language: str, x_range=None) -> go.Figure:
    """Two values per row joined by a line (expectation ○ → perception ●), the gap written at the end.

    The line is red where the second value falls short of the first, green where it exceeds it.
    """
    labels = [_short(str(v), 30) for v in labels]
    fig = _figure(title, None, 110 + 50 * len(labels), wide=True)
    for label, e, p, g in zip(labels, _none_if_nan(expectation), _none_if_nan(perception), _none_if_nan(gaps)):
        if e is None or p is None:
            continue
        fig.add_trace(go.Scatter(x=[e, p], y=[label, label], mode="lines", showlegend=False, hoverinfo="skip",
                                 line=dict(color=COLORS["bad"] if p < e else COLORS["good"], width=5)))
    fig.add_trace(go.Scatter(x=_none_if_nan(expectation), y=labels, mode="markers", name=left_name,
                             marker=dict(size=15, color="white", line=dict(color=COLORS["ink"], width=2.5)),
                             hovertemplate="%{y}: %{x:.2f}<extra>" + left_name + "</extra>"))
    fig.add_trace(go.Scatter(x=_none_if_nan(perception), y=labels, mode="markers", name=right_name,
                             marker=dict(size=15, color=COLORS["current"]),
                             hovertemplate="%{y}: %{x:.2f}<extra>" + right_name + "</extra>"))
    ends = [max(v for v in (e, p) if v is not None) if (e is not None or p is not None) else None
            for e, p in zip(_none_if_nan(expectation), _none_if_nan(perception))]
    fig.add_trace(go.Scatter(
        x=[None if end is None else end for end in ends], y=labels, mode="text", showlegend=False,
        text=[f"  {fmt_signed(g, 2)}" if g is not None else "" for g in _none_if_nan(gaps)],
        textposition="middle right", hoverinfo="skip", name=translate("chart.gap", language),
        textfont=dict(size=15, color=[COLORS["bad"] if g is not None and g < 0 else COLORS["good"]
                                      for g in _none_if_nan(gaps)])))
    fig.update_xaxes(title_text=x_title, range=x_range, showgrid=True, gridcolor=COLORS["grid"])
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return fig


# -- NPS --------------------------------------------------------------------------------------------

def group_nps(table: pd.DataFrame, column: str, *, title: str, language: str) -> go.Figure:
    """NPS per group (touchpoint, branch) with its 95% margin; a significant change is marked."""
    order = table[table["score"].notna()].sort_values("score")
    if order.empty:
        return None
    labels = [str(v) if v is not None else translate("fmt.unknown", language) for v in order[column]]
    fig = _figure(title, translate("chart.group_nps_note", language), 110 + 46 * len(order), wide=True)
    text = [f"{fmt_signed(s, 1)} ({fmt_n(n, language)}){_marker(d, sig)}"
            for s, n, d, sig in zip(order["score"], order["n"], order["delta"], order["significant"])]
    fig.add_trace(go.Bar(
        y=labels, x=order["score"].astype(float).tolist(), orientation="h", marker_color=COLORS["current"],
        error_x=dict(type="data", array=_none_if_nan(order["moe95"]), color=COLORS["neutral"], thickness=1.5),
        text=text, textposition="outside", cliponaxis=False,
        textfont=dict(color=[COLORS["good"] if s and d > 0 else COLORS["bad"] if s and d < 0 else COLORS["ink"]
                             for d, s in zip(order["delta"], order["significant"])]),
        customdata=order[column].tolist(), name=translate("metric.nps", language),
        hovertemplate="%{y}: %{x:.1f}<extra></extra>"))
    low = min([-20.0] + [s - (m or 0) for s, m in zip(order["score"], order["moe95"].fillna(0))])
    high = max([20.0] + [s + (m or 0) for s, m in zip(order["score"], order["moe95"].fillna(0))])
    fig.update_xaxes(title_text=translate("axis.nps", language), range=[low - 10, high + 45], showgrid=True,
                     gridcolor=COLORS["grid"], zeroline=True, zerolinecolor=COLORS["ink"])
    return fig


# -- sentiment --------------------------------------------------------------------------------------

def group_negative_share(table: pd.DataFrame, column: str, *, title: str, language: str) -> go.Figure:
    """Share of negative texts per group with its Wilson 95% interval; bars carry the group for selection."""
    order = table[table["negative_share"].notna()].sort_values("negative_share")
    if order.empty:
        return None
    raw = order[column].tolist()
    labels = [fmt_term("source", v, language) if column == "source" else
              (str(v) if v is not None else translate("fmt.unknown", language)) for v in raw]
    share = [100.0 * v for v in order["negative_share"]]
    fig = _figure(title, translate("chart.negative_note", language), 110 + 46 * len(order), wide=False)
    fig.add_trace(go.Bar(
        y=labels, x=share, orientation="h", marker_color=COLORS["current"],
        error_x=dict(type="data", symmetric=False,
                     array=[100.0 * (h - v) for h, v in zip(order["negative_ci_high"], order["negative_share"])],
                     arrayminus=[100.0 * (v - lo) for lo, v in zip(order["negative_ci_low"], order["negative_share"])],
                     color=COLORS["neutral"], thickness=1.5),
        text=[f"{fmt_share(v)} ({fmt_n(n, language)})" for v, n in zip(order["negative_share"], order["n"])],
        textposition="outside", cliponaxis=False, customdata=raw, name=translate("metric.negative_share", language),
        hovertemplate="%{y}: %{x:.1f}%<extra></extra>"))
    top = max([10.0] + [100.0 * h for h in order["negative_ci_high"].fillna(0)])
    fig.update_xaxes(title_text=translate("axis.negative_share", language), range=[0, top * 1.6], ticksuffix="%",
                     showgrid=True, gridcolor=COLORS["grid"])
    return fig


# -- complaints -------------------------------------------------------------------------------------

def pareto(table: pd.DataFrame, *, title: str, language: str, height: int = 500) -> go.Figure:
    """Complaints per cause (bars, most first), cumulative share (line, right axis) and the 80% line."""
    if table.empty:
        return None
    causes = [_short(str(c), 16) for c in table["cause"]]
    fig = _figure(title, translate("chart.pareto_note", language), height, wide=True)
    fig.add_trace(go.Bar(
        x=causes, y=table["count"].astype(int).tolist(), name=translate("chart.complaints", language),
        marker_color=[COLORS["current"] if v else COLORS["comparison"] for v in table["vital_few"]],
        text=[fmt_count(c) for c in table["count"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=causes, y=[100.0 * v for v in table["cumulative"]], name=translate("chart.cumulative", language),
        yaxis="y2", mode="lines+markers+text", line=dict(color=COLORS["ink"], width=2.5), marker=dict(size=8),
        text=[fmt_share(v, 0) for v in table["cumulative"]], textposition="top left", textfont=dict(size=13),
        hovertemplate="%{x}: %{y:.1f}%<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=[causes[0], causes[-1]] if causes else [], y=[80.0, 80.0], yaxis="y2", mode="lines",
        name=translate("chart.line80", language), line=dict(color=COLORS["bad"], dash="dash", width=2),
        hoverinfo="skip"))
    top = int(table["count"].max()) if len(table) else 1
    fig.update_layout(
        yaxis=dict(title=dict(text=translate("axis.complaints", language)), range=[0, top * 1.18]),
        yaxis2=dict(title=dict(text=translate("axis.cumulative", language)), overlaying="y", side="right",
                    range=[0, 109], ticksuffix="%", showgrid=False, tickvals=[0, 20, 40, 60, 80, 100],
                    tickfont=dict(size=15)))
    fig.update_xaxes(title_text=translate("axis.cause", language), type="category", tickangle=0)
    return fig


def rising_causes(table: pd.DataFrame, *, title: str, now_label: str, vs_label: str, language: str) -> go.Figure:
    """Each cause's share of complaints before (○) and now (●); a significant rise red, a fall green."""
    order = table.sort_values("share_now", na_position="first")
    if order.empty:
        return None
    labels = [_short(str(c), 26) for c in order["cause"]]
    fig = _figure(title, translate("chart.rising_note", language), 110 + 46 * len(order), wide=False)
    for label, b, n, sig in zip(labels, _none_if_nan(order["share_before"]), _none_if_nan(order["share_now"]),
                                order["significant"]):
        if b is None or n is None:
            continue
        color = (COLORS["bad"] if n > b else COLORS["good"]) if sig else COLORS["passive"]
        fig.add_trace(go.Scatter(x=[100 * b, 100 * n], y=[label, label], mode="lines", showlegend=False,
                                 hoverinfo="skip", line=dict(color=color, width=5)))
    fig.add_trace(go.Scatter(x=[None if v is None else 100 * v for v in _none_if_nan(order["share_before"])],
                             y=labels, mode="markers", name=vs_label,
                             marker=dict(size=14, color="white", line=dict(color=COLORS["ink"], width=2.5)),
                             hovertemplate="%{y}: %{x:.1f}%<extra>" + vs_label + "</extra>"))
    fig.add_trace(go.Scatter(
        x=[None if v is None else 100 * v for v in _none_if_nan(order["share_now"])], y=labels,
        mode="markers+text", name=now_label, marker=dict(size=14, color=COLORS["current"]),
        text=[("  " + (UP if d > 0 else DOWN)) if s else "" for d, s in
              zip((order["share_now"].fillna(0) - order["share_before"].fillna(0)), order["significant"])],
        textposition="middle right",
        textfont=dict(size=16, color=[COLORS["bad"] if d > 0 else COLORS["good"] for d in
                                      (order["share_now"].fillna(0) - order["share_before"].fillna(0))]),
        hovertemplate="%{y}: %{x:.1f}%<extra>" + now_label + "</extra>"))
    fig.update_xaxes(title_text=translate("axis.share_of_complaints", language), ticksuffix="%", rangemode="tozero",
                     showgrid=True, gridcolor=COLORS["grid"])
    return fig


def resolution_histogram(table: pd.DataFrame, sla_hours: float, *, title: str, language: str,
                         height: int = 420) -> go.Figure:
    """Resolved complaints by hours to resolve; buckets within the SLA green, beyond it red."""
    if table.empty:
        return None

    def label(low, high):
        if high is None or (isinstance(high, float) and math.isnan(high)):
            return translate("chart.hours_over", language, hours=fmt_number(low, 0))
        return translate("chart.hours_range", language, low=fmt_number(low, 0), high=fmt_number(high, 0))

    x = [label(lo, hi) for lo, hi in zip(table["hours_from"], table["hours_to"])]
    fig = _figure(title, None, height, wide=False)
    fig.add_trace(go.Bar(
        x=x, y=table["count"].astype(int).tolist(), name=translate("chart.resolved", language),
        marker_color=[COLORS["good"] if w else COLORS["bad"] for w in table["within_sla"]],
        text=[f"{fmt_count(c)}<br>{fmt_share(s, 0)}" for c, s in zip(table["count"], table["share"])],
        textposition="outside", cliponaxis=False, hovertemplate="%{x}: %{y}<extra></extra>"))
    within = sum(1 for w in table["within_sla"] if w)
    if 0 < within < len(x):
        fig.add_vline(x=within - 0.5, line=dict(color=COLORS["ink"], dash="dash", width=2))
        fig.add_annotation(x=within - 0.5, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=translate("chart.sla_line", language, hours=fmt_number(sla_hours, 0)),
                           font=dict(size=14))
    top = int(table["count"].max()) if len(table) else 1
    fig.update_yaxes(title_text=translate("axis.resolved_complaints", language), range=[0, top * 1.3])
    fig.update_xaxes(title_text=translate("axis.hours_to_resolve", language), type="category")
    return fig


def iceberg(data, *, title: str, language: str, height: int = 440) -> go.Figure:
    """The complaint iceberg: complaints above the waterline, the estimated silent dissatisfied below."""
    visible = int(data.n_complaints)
    if visible == 0:
        return None
    silent = float(data.silent_dissatisfied or 0.0)
    below = max(silent - visible, 0.0)
    fig = _figure(title, translate("chart.iceberg_note", language, share=fmt_share(data.complaint_share, 0)),
                  height, wide=False)
    fig.add_shape(type="rect", x0=-0.5, x1=1.5, y0=-below * 1.15, y1=0, fillcolor=COLORS["water"],
                  line=dict(width=0), layer="below")
    fig.add_trace(go.Bar(x=[translate("chart.iceberg_column", language)], y=[visible],
                         name=translate("chart.iceberg_visible", language), marker_color=COLORS["current"],
                         width=0.55, text=[translate("chart.iceberg_visible_label", language, n=fmt_count(visible))],
                         textposition="outside", cliponaxis=False, hovertemplate="%{y:,}<extra></extra>"))
    fig.add_trace(go.Bar(x=[translate("chart.iceberg_column", language)], y=[-below],
                         name=translate("chart.iceberg_silent", language), marker_color=COLORS["comparison"],
                         width=0.9, text=[translate("chart.iceberg_silent_label", language, n=fmt_count(below))],
                         textposition="inside", insidetextanchor="middle", textfont=dict(size=16, color=COLORS["ink"]),
                         hovertemplate="%{customdata:,}<extra></extra>", customdata=[below]))
    fig.add_hline(y=0, line=dict(color=COLORS["current"], width=2))
    fig.add_annotation(x=1.45, y=0, text=translate("chart.waterline", language), showarrow=False,
                       xanchor="right", yanchor="bottom", font=dict(size=14, color=COLORS["current"]))
    fig.update_layout(barmode="overlay", showlegend=False)
    fig.update_xaxes(visible=False, range=[-0.5, 1.5])
    top = max(visible, 1)
    fig.update_yaxes(title_text=translate("axis.customers", language), range=[-below * 1.15, top * 3 + below * 0.12],
                     tickformat=",d", zeroline=False)
    return fig


def _scale_range(*columns) -> list[float] | None:
    values = [v for column in columns for v in _none_if_nan(column) if v is not None]
    if not values:
        return None
    return [math.floor(min(values) * 2) / 2 - 0.5, math.ceil(max(values) * 2) / 2 + 0.9]


def gap5_dimensions(gap, *, title: str, language: str) -> go.Figure | None:
    """gaps.Gap5Result: expectation (○) and perception (●) per SERVQUAL dimension, gap 5 at the end."""
    table = gap.dimensions
    if table.empty:
        return None
    return dumbbell([fmt_term("dim", d, language) for d in table["dimension"]], table["expectation"],
                    table["perception"], table["gap"], title=title,
                    left_name=translate("chart.expectation", language),
                    right_name=translate("chart.perception", language),
                    x_title=translate("axis.rating", language), language=language,
                    x_range=_scale_range(table["expectation"], table["perception"]))


def gap5_items(gap, *, title: str, language: str) -> go.Figure | None:
    """gaps.Gap5Result: expectation and perception per item."""
    table = gap.items
    if table.empty:
        return None
    return dumbbell(table["item_text"], table["expectation"], table["perception"], table["gap"], title=title,
                    left_name=translate("chart.expectation", language),
                    right_name=translate("chart.perception", language),
                    x_title=translate("axis.rating", language), language=language,
                    x_range=_scale_range(table["expectation"], table["perception"]))


def gap1_items(gap, *, title: str, language: str) -> go.Figure | None:
    """gaps.Gap1Result: customers' expectation (○) and management's estimate of it (●) per item."""
    table = gap.items
    if table.empty:
        return None
    return dumbbell(table["item_text"], table["expectation"], table["management"], table["gap"], title=title,
                    left_name=translate("chart.customers_expect", language),
                    right_name=translate("chart.management_thinks", language),
                    x_title=translate("axis.rating", language), language=language,
                    x_range=_scale_range(table["expectation"], table["management"]))


# -- the trends each page shows, from the analytics frames as they come ------------------------------

def nps_trend(trend: pd.DataFrame, *, title: str, language: str, height: int = 360) -> go.Figure:
    """nps.nps_trend: the score per month with its 95% margin (score ± 1.96·SE)."""
    lows = [None if s is None or m is None else s - m for s, m in zip(_none_if_nan(trend["score"]),
                                                                       _none_if_nan(trend["moe95"]))]
    highs = [None if s is None or m is None else s + m for s, m in zip(_none_if_nan(trend["score"]),
                                                                        _none_if_nan(trend["moe95"]))]
    return interval_trend(trend["month"], trend["score"], lows, highs, trend["n"], title=title,
                          y_title=translate("axis.nps", language), language=language, value_format="signed",
                          height=height)


def csi_trend(by_month: pd.DataFrame, *, title: str, language: str, height: int = 360) -> go.Figure:
    """csi.csi_by(by='month'): CSI per month with its respondent-level 95% interval."""
    return interval_trend(by_month["month"], by_month["csi"], by_month["ci_low"], by_month["ci_high"],
                          by_month["n"], title=title, y_title=translate("axis.csi", language), language=language,
                          height=height)


def negative_share_trend(by_month: pd.DataFrame, *, title: str, language: str, height: int = 360) -> go.Figure:
    """sentiment.sentiment_by(by='month'): share of negative texts with its Wilson 95% interval."""
    return interval_trend(by_month["month"], by_month["negative_share"], by_month["negative_ci_low"],
                          by_month["negative_ci_high"], by_month["n"], title=title,
                          y_title=translate("axis.negative_share", language), language=language,
                          value_format="share", height=height)


def polarity_trend(by_month: pd.DataFrame, *, title: str, language: str, height: int = 360) -> go.Figure:
    """sentiment.sentiment_by(by='month'): mean polarity with its t 95% interval."""
    return interval_trend(by_month["month"], by_month["mean"], by_month["ci_low"], by_month["ci_high"],
                          by_month["n"], title=title, y_title=translate("axis.polarity", language),
                          language=language, value_format="polarity", height=height)


def complaint_trend(trend: pd.DataFrame, *, title: str, language: str, height: int = 360) -> go.Figure:
    """complaints.complaint_trend: complaints per month."""
    return count_trend(trend["month"], trend["n"], title=title, y_title=translate("axis.complaints", language),
                       language=language, height=height)
