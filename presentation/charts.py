"""Every chart of the dashboard, built from analytics results with one theme and one colour meaning.

Pure: no Streamlit. Each function takes results (DataFrames, dataclasses) and the title that states
the chart's finding (presentation.findings), and returns a Plotly figure whose data tests read with
`fig.to_dict()`. Colour has one meaning everywhere: GOOD green, BAD red, NEUTRAL grey; "this period"
is dark blue and the comparison light blue. Colour is never the only signal: changes also carry an
arrow or a word, and every chart states its unit and its n.
"""
from __future__ import annotations

import copy
import hashlib
import html
import math
import re

import pandas as pd
import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

from analytics.gaps import clear_side
from presentation.formats import char_columns as _width
from presentation.formats import clipped, fmt_count, fmt_month, fmt_n, fmt_number, fmt_share, fmt_signed, fmt_term
from presentation.labels import AS_GIVEN, as_given
from presentation.i18n import translate
from presentation.masking import mask_text

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
    margin=dict(l=10, r=20, t=12, b=10),
    bargap=0.25,
))


_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+")


_NO_LINE_START = set("）」』】〉》，。、；：！？)]}.,;:!?%")
_GLUE = {"=", "±"}


def wrap(text: str, width: int = 52) -> str:
    """Break a title into lines of about `width` columns with <br> (a Chinese character counts two).

    Latin words stay whole, 'n = 68' stays on one line, and no line starts with closing
    punctuation; Chinese may break between any other two characters. The text is plain text:
    Plotly reads <b>, <a href> and the like in labels as markup, so every line is escaped; a line
    break the words themselves ask for is a newline in the text.
    """
    if "\n" in str(text):
        return "<br>".join(wrap(part, width) for part in str(text).split("\n") if part.strip())
    lines, line, used, previous = [], "", 0, ""
    for token in _TOKENS.findall(str(text)):
        if token.isspace():
            if used:
                line, used = line + " ", used + 1
            continue
        size = sum(_width(c) for c in token)
        glued = token in _NO_LINE_START or token in _GLUE or previous in _GLUE
        if used and used + size > width and not glued:
            lines.append(line.rstrip())
            line, used = "", 0
        line += token
        used += size
        previous = token
    lines.append(line.rstrip())
    return "<br>".join(chart_text(x) for x in lines if x)


def chart_text(value) -> str:
    """Plain text (a branch, a cause, a sentence about them) as Plotly shows it, markup escaped."""
    return html.escape(str(value), quote=False)


def _figure(title: str, subtitle: str | None = None, height: int = HEIGHT, wide: bool = False,
            legend: bool = True) -> go.Figure:
    """A figure in the theme, its title (the finding) and subtitle wrapped to the chart's width.

    The title hangs from the top of the figure and the top margin is reserved for it (see
    _title_margin), so a two-line title is never clipped; `height` is the plot's own share, the
    title's lines are added to it.
    """
    width = 100 if wide else 48
    lines = wrap(title, width)
    sub = wrap(subtitle, int(width * 1.3)) if subtitle else ""
    title_lines = lines.count("<br>") + 1
    sub_lines = sub.count("<br>") + 1 if sub else 0
    total = height + 30 * title_lines + 40 * sub_lines
    # Plotly centres a title's lines on its anchor line by line: each line after the first moves the
    # block up by about half a line (15 px), which the anchor gives back
    top = (TITLE_TOP + 15 * (title_lines - 1)) / total
    # one layout given to the constructor: each update_layout call validates the template again
    # meta keeps the words unwrapped, for a page that writes the title above the chart (title_apart)
    return go.Figure(layout=dict(template=TEMPLATE, height=total,
                                 title=dict(text=lines, subtitle=dict(text=sub), yref="container", y=1 - top,
                                            yanchor="top"),
                                 margin=dict(t=_title_margin(title_lines, sub_lines, legend)),
                                 meta=dict(title=str(title), subtitle=str(subtitle or ""),
                                           title_room=30 * title_lines + 40 * sub_lines,
                                           title_margin=TITLE_TOP + 32 + 28 * (title_lines - 1) + 40 * sub_lines)))


def title_apart(fig: go.Figure) -> tuple[str, str, go.Figure]:
    """(title, subtitle, the figure without them): a page writes the words as text that wraps to any
    width, where a title inside the figure is cut when the chart is drawn narrower than it was
    wrapped for. The figure gives back the height and top margin it kept for them."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else None
    if not meta or "title" not in meta:
        return "", "", fig
    spec = fig.to_dict()
    layout = spec["layout"]
    layout.setdefault("title", {}).update(text="")
    layout["title"].setdefault("subtitle", {}).update(text="")
    layout.pop("meta", None)
    layout["height"] = max(int(fig.layout.height) - int(meta["title_room"]), 120)
    # what stays above the plot holds a legend: Plotly wants a few px more for it than under a
    # title, so 12 of the title's px are kept
    layout.setdefault("margin", {})["t"] = max(int(fig.layout.margin.t) - int(meta["title_margin"]) + 12, 12)
    # the copy of a figure already validated: validating it again cost more than the rest of the page's
    # drawing of it (show_chart)
    return meta["title"], meta["subtitle"], go.Figure(spec, _validate=False)


TITLE_TOP = 8  # px above the title


def _title_margin(title_lines: int, sub_lines: int, legend: bool) -> int:
    """The top margin: room for the title and subtitle, and below them for the legend (38 px) or
    a gap (12).

    The margin is set, not found by Plotly's title automargin: that measures the title only
    after the chart is drawn and then draws the whole chart again, and when the margin is already
    wide enough it leaves a bottom-anchored title's subtitle over the plot. Measured in Chromium
    with Noto Sans CJK SC (the first of FONT_FAMILY that fonts-noto-cjk installs), on English and
    Chinese titles: a title line is 30 px, each further one 27, and a subtitle adds 38 (its line and
    the space above it); the estimate is 2–3 px over.
    """
    return TITLE_TOP + 32 + 28 * (title_lines - 1) + 40 * sub_lines + (38 if legend else 12)


# Widths of a character in ems: ASCII's measured in Chromium with FONT_FAMILY (its Latin letters are
# Noto Sans CJK SC's) and rounded up by 0.01; any other character by its kind, a little over the
# widest of that kind (Chinese characters are a full em: 1.02 keeps a label of four a pixel clear
# of what Plotly asks for it in presentation mode's larger font).
_ASCII_EM = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '.,:-()/&%+",
    (0.573, 0.628, 0.498, 0.63, 0.564, 0.332, 0.574, 0.617, 0.285, 0.285, 0.562, 0.294, 0.936, 0.62, 0.616,
     0.63, 0.63, 0.398, 0.478, 0.367, 0.617, 0.531, 0.812, 0.508, 0.531, 0.485,
     0.612, 0.667, 0.619, 0.698, 0.599, 0.562, 0.699, 0.738, 0.303, 0.504, 0.656, 0.553, 0.822, 0.733, 0.752,
     0.643, 0.752, 0.645, 0.593, 0.609, 0.731, 0.595, 0.888, 0.583, 0.541, 0.597,
     *[0.565] * 10, 0.29, 0.288, 0.288, 0.288, 0.288, 0.357, 0.348, 0.348, 0.402, 0.69, 0.931, 0.565)))
_EM_WIDTH = {"digit": 0.58, "upper": 0.9, "lower": 0.94, "space": 0.29, "other": 0.62, "wide": 1.02}


def _text_width(text: str, size: float) -> float:
    """About how wide a line of text is drawn, in px, at font size `size` (an overestimate)."""
    total = 0.0
    for ch in text:
        em = _ASCII_EM.get(ch)
        if em is None:
            if _width(ch) == 2:
                kind = "wide"
            elif ch.isdigit():
                kind = "digit"
            elif ch.isspace():
                kind = "space"
            elif ch.isupper():
                kind = "upper"
            elif ch.islower():
                kind = "lower"
            else:
                kind = "other"
            em = _EM_WIDTH[kind]
        total += em * size
    return total


def _plain_lines(label) -> list[str]:
    return re.sub(r"<(?!br)[^>]*>", "", str(label)).split("<br>")


def _number_labels(values: list, axis_range, suffix) -> list[str]:
    """The widest tick label a numeric axis could get: its range's ends or the data's, written
    with a thousands separator and the axis's suffix (Plotly's own labels are no wider)."""
    numbers = [float(v) for v in [*values, *(axis_range or ())] if isinstance(v, (int, float))
               and not isinstance(v, bool) and not math.isnan(float(v))]
    if not numbers:
        return []
    big = max(abs(v) for v in numbers)
    text = f"{big:,.0f}" if big >= 10 else f"{big:.2f}"
    return [("−" if min(numbers) < 0 else "") + text + (suffix or "")]


def reserve_margins(fig: go.Figure) -> go.Figure:
    """The figure with margins wide enough for its axes' tick labels and titles, set beforehand.

    Axis automargin measures the labels only after the chart is drawn, and if the margins must
    grow Plotly draws the whole chart a second time. Reserving a little more than the labels
    need (estimated from the text, see _text_width) spares that second pass; automargin stays on,
    so a label wider than estimated still gets its room. drawn_once does the same on its own copy.
    """
    # read as plain dicts: every attribute read through plotly's objects resolves the template
    spec = fig.to_dict()
    wider = _wider_margins(spec["layout"], spec["data"])
    if wider:
        fig.update_layout(margin=wider)
    return fig


def _wider_margins(layout: dict, data: list[dict]) -> dict[str, int]:
    """The margins (side: px) a plain figure's layout and traces must widen to for its axes' labels."""
    template = (layout.get("template") or {}).get("layout", {})
    plotted: dict[str, list] = {"x": [], "y": []}
    for trace in data:
        if trace.get("type") in ("scatter", "bar"):
            for letter in ("x", "y"):
                plotted.setdefault(trace.get(f"{letter}axis") or letter, []).extend(trace.get(letter) or ())
    need = {}
    for reference, values in plotted.items():
        letter = reference[0]
        axis, base = layout.get(f"{letter}axis{reference[1:]}", {}), template.get(f"{letter}axis", {})

        def setting(*path, default=None):
            for source in (axis, base):
                for key in path:
                    source = source.get(key) if isinstance(source, dict) else None
                if source is not None:
                    return source
            return default

        if (setting("visible") is False or setting("showticklabels") is False
                or not setting("automargin", default=False)):
            continue
        numeric = False
        if axis.get("ticktext"):
            labels = list(axis["ticktext"])
        elif any(isinstance(v, str) for v in values) or axis.get("type") == "category":
            labels = [v for v in dict.fromkeys(values) if v is not None]
        else:
            labels, numeric = _number_labels(values, axis.get("range"), axis.get("ticksuffix")), True
        size = setting("tickfont", "size", default=FONT_SIZE)
        title_size = setting("title", "font", "size", default=FONT_SIZE)
        title = (axis.get("title") or {}).get("text")
        title_lines = str(title).count("<br>") + 1 if title else 0
        widest = max((_text_width(line, size) for label in labels for line in _plain_lines(label)), default=0)
        if letter == "y":
            side = "r" if axis.get("side") == "right" else "l"
            room = widest + 24 + 1.6 * title_size * title_lines
        else:
            lines = max((len(_plain_lines(label)) for label in labels), default=1)
            side = "t" if axis.get("side") == "top" else "b"
            room = 1.4 * size * lines + 14 + 1.6 * title_size * title_lines
            angle = setting("tickangle")
            if isinstance(angle, (int, float)) and angle % 180:
                # a turned label reaches down by its width's share at that angle, plus its line's
                turn = math.radians(angle)
                room += widest * abs(math.sin(turn)) - 1.4 * size * lines * (1 - abs(math.cos(turn)))
            if numeric:
                # a number axis can end on a tick: half its label hangs past the plot's right edge
                need["r"] = max(need.get("r", 0), math.ceil(widest / 2 + 12))
        need[side] = max(need.get(side, 0), math.ceil(room))
    margin = {**template.get("margin", {}), **layout.get("margin", {})}
    return {side: value for side, value in need.items() if value > margin.get(side, 0)}


def drawn_once(fig: go.Figure) -> go.Figure:
    """The same chart in the form Plotly draws once: its margins reserved for its labels (see
    reserve_margins), its template written into its own layout, and a data revision that names its
    content.

    Streamlit styles a chart once more just after drawing it, calling Plotly.react with a copy of
    its figure. Plotly.react compares layout.template by identity, and every data array by identity
    too unless layout.datarevision is set: the copy would be drawn a second time from scratch. With
    no template and a revision that changes exactly when the figure does, the copy is found
    unchanged and a changed figure is still drawn anew.
    """
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    wider = _wider_margins(layout, spec.get("data", []))
    template = layout.pop("template", None) or {}
    if any(template.get("data", {}).values()):  # trace defaults are not written out: keep them
        return reserve_margins(fig)
    layout.setdefault("margin", {}).update(wider)
    defaults = dict(template.get("layout") or {})
    # a template's axis settings apply to every axis of that letter
    axes = {name for name in layout if re.fullmatch(r"[xy]axis\d*", name)}
    for trace, plain in zip(fig.data, spec.get("data", [])):
        if "xaxis" in trace:  # a cartesian trace: on x and y unless it names other axes
            axes.update(f"{letter}axis{(plain.get(f'{letter}axis') or letter)[1:]}" for letter in ("x", "y"))
    for letter in ("x", "y"):
        axis_defaults = defaults.pop(f"{letter}axis", None)
        if axis_defaults:
            defaults.update({name: axis_defaults for name in axes if name[0] == letter})
    _fill(layout, defaults)
    layout.pop("datarevision", None)
    layout["datarevision"] = hashlib.blake2b(to_json_plotly(spec).encode(), digest_size=8).hexdigest()
    # validated when it was built; built unvalidated from an empty template, it gets no default
    # template either (nor pays for building one), and None leaves it without any
    layout["template"] = {}
    drawn = go.Figure(spec, _validate=False)
    drawn.layout.template = None
    return drawn


def _fill(own: dict, defaults: dict) -> None:
    """Set in `own` what `defaults` sets and `own` does not, nested dicts followed key by key."""
    for key, value in defaults.items():
        if key not in own:
            own[key] = copy.deepcopy(value)
        elif isinstance(value, dict) and isinstance(own[key], dict):
            _fill(own[key], value)


def _months(months, language: str) -> list[str]:
    return [fmt_month(m, language) for m in months]


# The plot's width, in px, where a month axis is drawn narrowest: a half-width chart beside the
# sidebar at 1280 px (two side by side on the sentiment page, the overview, a slide) or a full-width
# one; its tick labels at presentation mode's size (charts.enlarged), the larger the dashboard draws.
MONTH_PLOT_WIDTH = {False: 320, True: 760}
MONTH_TICK_FONT = FONT_SIZE * 1.25
MONTH_TICK_GAP = 12  # px kept clear between two labels


def month_ticks(months, language: str, plot_width: float,
                font_size: float = MONTH_TICK_FONT) -> tuple[list[str], list[str]]:
    """(tick values, tick labels) for months 'YYYY-MM' on a plot `plot_width` px wide: 'Oct' or
    '10月', the year under the first label and under the first of each new year.

    Every k-th month is labelled, counted back from the latest so that it always is, with the
    smallest k at which no two neighbouring labels come closer than MONTH_TICK_GAP: half of each
    one's widest line (_text_width) against the k months' width between their centres.
    """
    months = list(months)
    if not months:
        return [], []
    slot = plot_width / len(months)
    for step in range(1, len(months) + 1):
        shown = list(range(len(months) - 1, -1, -step))[::-1]
        text = []
        for k, i in enumerate(shown):
            name = translate(f"month.{int(months[i][5:7])}", language)
            if k == 0 or months[i][:4] != months[shown[k - 1]][:4]:
                name += "<br>" + translate("fmt.year", language, year=int(months[i][:4]))
            text.append(name)
        widths = [max(_text_width(line, font_size) for line in _plain_lines(label)) for label in text]
        if all((a + b) / 2 + MONTH_TICK_GAP <= step * slot for a, b in zip(widths, widths[1:])):
            break
    return [months[i] for i in shown], text


def category_ticks(labels, plot_width: float, font_size: float = MONTH_TICK_FONT,
                   max_lines: int = 3) -> tuple[list[str], int]:
    """(tick labels, angle) for categories side by side on a plot `plot_width` px wide: each label
    on one line when neighbours stay MONTH_TICK_GAP apart, else wrapped into narrower lines (at most
    `max_lines`), else on one line turned 45°, where no width is too narrow for them."""
    labels = [str(label) for label in labels]
    slot = plot_width / max(len(labels), 1)
    text, widths = [], []
    for label in labels:
        columns = sum(_width(c) for c in label)
        for lines in range(1, max_lines + 1):
            # in lines of about equal length (a whole Chinese character each), not a full line and a stub
            wrapped = wrap(label, 2 * math.ceil(columns / (2 * lines)))
            width = max(_text_width(html.unescape(line), font_size) for line in _plain_lines(wrapped))
            if width + MONTH_TICK_GAP <= slot or lines == max_lines:
                break
        text.append(wrapped)
        widths.append(width)
    if all(t.count("<br>") < max_lines for t in text) and \
            all((a + b) / 2 + MONTH_TICK_GAP <= slot for a, b in zip(widths, widths[1:])):
        return text, 0
    return [chart_text(label) for label in labels], -45


def _month_axis(fig: go.Figure, months, language: str, wide: bool = False) -> None:
    """Months as categories 'YYYY-MM', labelled as many as fit the chart's width (month_ticks)."""
    values, text = month_ticks(months, language, MONTH_PLOT_WIDTH[wide])
    fig.update_xaxes(type="category", tickmode="array", tickvals=values, ticktext=text, tickangle=0,
                     title_text=translate("axis.month", language))


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


# The parts of a trace that a reader sees as text (customdata too: hover templates show it).
_SHOWN_TEXT = ("x", "y", "theta", "text", "hovertext", "labels", "customdata", "name")


def masked(figure: go.Figure) -> go.Figure:
    """A copy of the chart with every label, hover text and title passed through the masking rules
    (presentation.masking): for presentation mode and the report, where names, phones and ids in a
    branch, a cause or a term must not show either."""
    data = figure.to_dict()
    for trace in data.get("data", []):
        for key in _SHOWN_TEXT:
            if key in trace:
                trace[key] = _mask_values(trace[key])
    layout = data.get("layout", {})
    for node in [layout.get("title"), (layout.get("title") or {}).get("subtitle"), *layout.get("annotations", [])]:
        if isinstance(node, dict) and isinstance(node.get("text"), str):
            node["text"] = mask_text(node["text"])
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis", "polar")) and isinstance(axis, dict):
            # a category axis's own order names the categories as the traces do
            for key in ("ticktext", "categoryarray"):
                if key in axis:
                    axis[key] = _mask_values(axis[key])
    return go.Figure(data)


def _mask_values(values):
    if isinstance(values, str):
        return mask_text(values)
    if isinstance(values, (list, tuple)):
        return [_mask_values(v) for v in values]
    if hasattr(values, "tolist"):
        return _mask_values(values.tolist())
    return values


ENLARGED = 1.25  # presentation mode's charts: every font a quarter larger


PROJECTOR_REM = 24  # px: a slide's rem on a 1920×1080 projector (the review's SLIDES_CSS)


def slide_enlargement(rem: float | None) -> float:
    """How much larger a slide's charts draw their words when the slide's rem is `rem` px: ENLARGED
    on the projector (PROJECTOR_REM) and, on a smaller window, as much less as the slide's own words
    (the review's SLIDES_CSS sizes a rem by the window, 14–24 px). Plotly sizes its words in px, so
    without this a smaller screen kept the projector's sizes in a smaller slide, and the gap
    diagram's words ran out of their boxes. ENLARGED while the rem is unknown."""
    return ENLARGED * (rem or PROJECTOR_REM) / PROJECTOR_REM


def enlarged(figure: go.Figure, factor: float = ENLARGED) -> go.Figure:
    """The same chart with every font (titles, ticks, labels, legends) `factor` times larger and the
    plot as much taller: presentation mode's charts, read from the back of a meeting room."""
    spec = figure.to_dict()
    _scale_fonts(spec, factor, False)
    layout = spec.setdefault("layout", {})
    if layout.get("height"):
        layout["height"] = round(layout["height"] * factor)
    margin = layout.get("margin") or {}
    if margin.get("t"):
        margin["t"] = round(margin["t"] * factor)
    return go.Figure(spec)


def _scale_fonts(node, factor: float, in_font: bool) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if in_font and key == "size" and isinstance(value, (int, float)):
                node[key] = value * factor
            elif in_font and key == "size" and isinstance(value, (list, tuple)):
                node[key] = [v * factor if isinstance(v, (int, float)) else v for v in value]
            else:
                _scale_fonts(value, factor, key.endswith("font"))
    elif isinstance(node, (list, tuple)):
        for item in node:
            _scale_fonts(item, factor, False)


# -- trends -----------------------------------------------------------------------------------------

def interval_trend(months, values, lows, highs, ns, *, title: str, y_title: str, language: str,
                   value_format: str = "number", subtitle: str | None = None, y_range=None,
                   height: int = 360, wide: bool = False) -> go.Figure:
    """A monthly line with its 95% interval as a band; points carry their month for selection.

    value_format: 'number' (one decimal), 'signed' (NPS), 'share' (0–1 shown as %), 'polarity'.
    """
    if len(months) == 0:
        return None
    x = list(months)
    pretty = _months(x, language)
    values, lows, highs = _none_if_nan(values), _none_if_nan(lows), _none_if_nan(highs)
    scale = 100.0 if value_format == "share" else 1.0
    shown = [None if v is None else v * scale for v in values]
    fig = _figure(title, subtitle, height, wide=wide)
    _band(fig, x, [None if v is None else v * scale for v in lows],
          [None if v is None else v * scale for v in highs], translate("chart.interval95", language))
    labels = {"signed": lambda v: fmt_signed(v, 1), "share": lambda v: fmt_share(v),
              "polarity": lambda v: fmt_signed(v, 2)}.get(value_format, lambda v: fmt_number(v, 1))
    fig.add_trace(go.Scatter(
        x=x, y=shown, mode="lines+markers", name=translate("chart.value", language),
        line=dict(color=COLORS["current"], width=3), marker=dict(size=10),
        customdata=[[m, int(n), p] for m, n, p in zip(x, ns, pretty)],
        hovertemplate="%{customdata[2]}: %{text}<br>n = %{customdata[1]}<extra></extra>",
        text=[labels(v) for v in values], showlegend=False))
    fig.update_yaxes(title_text=y_title, range=y_range, ticksuffix="%" if value_format == "share" else "")
    _month_axis(fig, x, language, wide)
    return fig


def count_trend(months, counts, *, title: str, y_title: str, language: str, height: int = 360,
                wide: bool = False) -> go.Figure:
    """Counts per month as bars with their value on top."""
    if len(months) == 0:
        return None
    x = list(months)
    fig = _figure(title, None, height, legend=False)
    fig.add_trace(go.Bar(x=x, y=[int(c) for c in counts], marker_color=COLORS["current"],
                         text=[fmt_count(c) for c in counts], textposition="outside", cliponaxis=False,
                         name=y_title, customdata=_months(x, language),
                         hovertemplate="%{customdata}: %{y}<extra></extra>"))
    top = max([int(c) for c in counts] + [1])
    fig.update_yaxes(title_text=y_title, range=[0, top * 1.15])
    _month_axis(fig, x, language, wide)
    return fig


def nps_mix(trend: pd.DataFrame, *, title: str, language: str, height: int = 440) -> go.Figure:
    """Promoters, passives and detractors as stacked shares per month, the NPS written above."""
    if trend.empty:
        return None
    x = list(trend["month"])
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
    _month_axis(fig, x, language, wide=True)
    return fig


# -- CSI --------------------------------------------------------------------------------------------

def _short(text: str, width: int = 22) -> str:
    return wrap(text, width)


def _stored(table: pd.DataFrame, column: str) -> list:
    """The column's values as the data holds them (presentation.labels keeps them beside a label):
    what a selected point passes back to a query or a link."""
    kept = f"{column}{AS_GIVEN}"
    return table[kept if kept in table.columns else column].tolist()


def _hover_names(table: pd.DataFrame, column: str, language: str) -> list[str]:
    """Each row's label whole, for hover text, with the value as the data holds it beneath where the
    label differs from it (presentation.labels keeps it in `<column>_as_given`)."""
    shown = [chart_text(v) if v is not None else translate("fmt.unknown", language) for v in table[column]]
    given = as_given(table, column)
    if given is None:
        return shown
    return [s if s == chart_text(g) else s + "<br>" + chart_text(translate("chart.as_given", language, value=g))
            for s, g in zip(shown, given)]


RADAR_TICKS = (20, 40, 60, 80, 100)


def scale_angle(loops: list[list], ticks=RADAR_TICKS) -> float:
    """Where a radar's radial scale goes (degrees, counterclockwise from the right, as Plotly's
    radialaxis.angle): midway between two neighbouring attributes, so that it stays clear of their
    names, and of those gaps the one where the loops cross the scale farthest from any of its
    numbers, so that no line runs through one; the first gap when all are alike.

    The attributes run clockwise from the top (angular axis rotation 90), k at 90 − k·360/N. A loop
    joins r₁ and r₂ on two spokes Δ = 360/N apart by a straight line, which crosses the bisector at
    ρ = 2·r₁·r₂·cos(Δ/2) / (r₁ + r₂).
    """
    count = max((len(loop) for loop in loops), default=0)
    if count < 2:
        return 90.0
    step = 360 / count
    half = math.cos(math.radians(step / 2))
    best, clearest = 0, -1.0
    for k in range(count):
        clearance = math.inf
        for loop in loops:
            r1, r2 = loop[k], loop[(k + 1) % count]
            if r1 is None or r2 is None:
                continue
            crossing = 2 * r1 * r2 * half / (r1 + r2) if r1 + r2 > 0 else 0.0
            clearance = min(clearance, *(abs(crossing - tick) for tick in ticks))
        if clearance > clearest + 1e-9:
            best, clearest = k, clearance
    return 90 - (best + 0.5) * step


def attribute_radar(table: pd.DataFrame, *, title: str, now_label: str, vs_label: str, language: str,
                    height: int = 560) -> go.Figure:
    """Attribute satisfaction (0–100) on a radar, this selection over the comparison.

    `table` is csi.compare_attributes' result; the loops are closed by repeating the first point.
    """
    if table.empty:
        return None
    theta = [_short(a, 18) for a in table["attribute"]]
    names = _hover_names(table, "attribute", language)
    fig = _figure(title, translate("chart.radar_note", language), height, wide=True)
    for column, name, color, fill in (("satisfaction_before", vs_label, COLORS["comparison"], "none"),
                                      ("satisfaction_now", now_label, COLORS["current"], "toself")):
        r = _none_if_nan(table[column])
        fig.add_trace(go.Scatterpolar(
            r=r + r[:1], theta=theta + theta[:1], name=name, mode="lines+markers",
            line=dict(color=color, width=3 if column == "satisfaction_now" else 2.5,
                      dash="solid" if column == "satisfaction_now" else "dash"),
            marker=dict(size=8), fill=fill, fillcolor="rgba(31, 78, 121, 0.10)", hovertext=names + names[:1],
            hovertemplate="%{hovertext}: %{r:.1f}<extra>" + name + "</extra>"))
    between = scale_angle([_none_if_nan(table[c]) for c in ("satisfaction_before", "satisfaction_now")], RADAR_TICKS)
    fig.update_layout(polar=dict(
        radialaxis=dict(range=[0, 100], tickvals=list(RADAR_TICKS), tickfont=dict(size=13, color=COLORS["neutral"]),
                        gridcolor=COLORS["grid"], angle=between, tickangle=between, linecolor=COLORS["grid"]),
        angularaxis=dict(tickfont=dict(size=15), gridcolor=COLORS["grid"], direction="clockwise", rotation=90),
        bgcolor="white"), margin=dict(l=132, r=132, b=60),
        legend=dict(orientation="v", x=0, xanchor="left", y=1, yanchor="top"))
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
    names = _hover_names(order, "attribute", language)
    fig = _figure(title, translate("chart.bars_note", language), 120 + 52 * len(order), wide=True)
    fig.add_trace(go.Bar(y=y, x=_none_if_nan(order["satisfaction_before"]), orientation="h", name=vs_label,
                         marker_color=COLORS["comparison"],
                         text=[fmt_number(v, 1) for v in order["satisfaction_before"]], textposition="outside",
                         cliponaxis=False, hovertext=names,
                         hovertemplate="%{hovertext}: %{x:.1f}<extra>" + vs_label + "</extra>"))
    fig.add_trace(go.Bar(
        y=y, x=_none_if_nan(order["satisfaction_now"]), orientation="h", name=now_label,
        marker_color=COLORS["current"],
        text=[fmt_number(v, 1) + _marker(d, s) for v, d, s in
              zip(order["satisfaction_now"], order["delta"], order["significant"])],
        textposition="outside", cliponaxis=False,
        textfont=dict(color=[COLORS["good"] if s and d > 0 else COLORS["bad"] if s and d < 0 else COLORS["ink"]
                             for d, s in zip(order["delta"], order["significant"])]),
        hovertext=names, hovertemplate="%{hovertext}: %{x:.1f}<extra>" + now_label + "</extra>"))
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
    names = _hover_names(table, "attribute", language)
    fig = _figure(title, translate("chart.profile_note", language), height, wide=True)
    fig.add_trace(go.Scatter(x=x, y=_none_if_nan(table["satisfaction_before"]), name=vs_label,
                             mode="lines+markers", line=dict(color=COLORS["comparison"], width=3, dash="dash"),
                             marker=dict(size=10), hovertext=names,
                             hovertemplate="%{hovertext}: %{y:.1f}<extra>" + vs_label + "</extra>"))
    now, before = _none_if_nan(table["satisfaction_now"]), _none_if_nan(table["satisfaction_before"])
    fig.add_trace(go.Scatter(
        x=x, y=now, name=now_label, mode="lines+markers+text",
        line=dict(color=COLORS["current"], width=3.5), marker=dict(size=11),
        text=[fmt_number(v, 1) + _marker(d, s) for v, d, s in
              zip(table["satisfaction_now"], table["delta"], table["significant"])],
        # each value on the side away from the comparison's line
        textposition=["bottom center" if n is not None and b is not None and n < b else "top center"
                      for n, b in zip(now, before)],
        textfont=dict(size=14, color=[_change_color(d, s) for d, s in zip(table["delta"], table["significant"])]),
        hovertext=names, hovertemplate="%{hovertext}: %{y:.1f}<extra>" + now_label + "</extra>"))
    values = [v for v in _none_if_nan(table["satisfaction_now"]) + _none_if_nan(table["satisfaction_before"])
              if v is not None]
    low = max(0.0, math.floor((min(values) if values else 0) / 10) * 10 - 10)
    fig.update_yaxes(title_text=translate("axis.satisfaction_100", language), range=[low, 100])
    fig.update_xaxes(type="category", tickangle=0)
    return fig


QUADRANT_COLORS = {"fix_first": COLORS["bad"], "keep_up": COLORS["good"], "low_priority": COLORS["neutral"],
                   "possible_overkill": COLORS["comparison"]}
_POSITIONS = (("top center", 0, 1), ("bottom center", 0, -1), ("middle right", 1, 0), ("middle left", -1, 0),
              ("top right", 1, 1), ("top left", -1, 1), ("bottom right", 1, -1), ("bottom left", -1, -1))


def _text_size(text: str, font: float) -> tuple[float, float]:
    lines = text.split("<br>")
    return (max(sum(_width(c) for c in line) for line in lines) * font * 0.55, len(lines) * font * 1.25)


def place_labels(xs, ys, texts, x_range, y_range, size=(620, 400), font=13) -> list[str]:
    """A text position per point so that labels overlap neither each other nor the markers.

    Greedy, in the chart's pixel space estimated from `size`: each label takes the first of eight
    positions around its point that is free, or 'top center' when none is.
    """
    sx = size[0] / ((x_range[1] - x_range[0]) or 1)
    sy = size[1] / ((y_range[1] - y_range[0]) or 1)
    points = [((x - x_range[0]) * sx, (y - y_range[0]) * sy) for x, y in zip(xs, ys)]
    taken = [(px - 9, py - 9, px + 9, py + 9) for px, py in points]
    # the four corners hold the quadrants' names
    w, h = size
    taken += [(0, 0, 150, 24), (w - 150, 0, w, 24), (0, h - 24, 150, h), (w - 150, h - 24, w, h)]
    chosen = []
    for (px, py), text in zip(points, texts):
        w, h = _text_size(text, font)
        pick = "top center"
        for name, dx, dy in _POSITIONS:
            cx, cy = px + dx * (w / 2 + 10), py + dy * (h / 2 + 10)
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            inside = box[0] >= 0 and box[2] <= size[0] and box[1] >= 0 and box[3] <= size[1]
            clear = all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in taken)
            if inside and clear:
                pick = name
                taken.append(box)
                break
        chosen.append(pick)
    return chosen


def importance_performance(grid, *, title: str, x_title: str, language: str, height: int = 520) -> go.Figure:
    """Attributes by importance (x) and satisfaction (y), split at the means; 'fix first' in red."""
    table = grid.table
    if table.empty or grid.importance_mean is None:
        return None
    fig = _figure(title, translate("chart.ip_note", language), height, legend=False)
    xs = table["importance"].astype(float)
    ys = table["satisfaction"].astype(float)
    x_pad = (xs.max() - xs.min()) * 0.18 or 0.1
    y_pad = (ys.max() - ys.min()) * 0.22 or 2
    x_range = [xs.min() - x_pad, xs.max() + x_pad]
    y_range = [ys.min() - y_pad, ys.max() + y_pad]
    labels = [_short(a, 16) for a in table["attribute"]]
    where = dict(zip(table["item_code"], place_labels(xs, ys, labels, x_range, y_range)))
    for quadrant, color in QUADRANT_COLORS.items():
        part = table[table["quadrant"] == quadrant]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["importance"].astype(float).tolist(), y=part["satisfaction"].astype(float).tolist(),
            mode="markers+text", name=translate(f"quadrant.{quadrant}", language),
            marker=dict(size=16, color=color, symbol="diamond" if quadrant == "fix_first" else "circle",
                        line=dict(color="white", width=1)),
            text=[_short(a, 16) for a in part["attribute"]], textposition=[where[c] for c in part["item_code"]],
            textfont=dict(size=13, color=color if quadrant == "fix_first" else COLORS["ink"]),
            customdata=part["item_code"].tolist(), hovertext=_hover_names(part, "attribute", language),
            hovertemplate="%{hovertext}<br>%{x:.2f}, %{y:.1f}<extra></extra>"))
    fig.add_vline(x=grid.importance_mean, line=dict(color=COLORS["neutral"], dash="dot", width=2))
    fig.add_hline(y=grid.satisfaction_mean, line=dict(color=COLORS["neutral"], dash="dot", width=2))
    for quadrant, x, y, xanchor, yanchor in (("fix_first", 1, 0, "right", "bottom"),
                                             ("keep_up", 1, 1, "right", "top"),
                                             ("low_priority", 0, 0, "left", "bottom"),
                                             ("possible_overkill", 0, 1, "left", "top")):
        fig.add_annotation(x=x, y=y, xref="paper", yref="paper", xanchor=xanchor, yanchor=yanchor,
                           text=translate(f"quadrant.{quadrant}", language).upper(), showarrow=False,
                           font=dict(size=14, color=QUADRANT_COLORS[quadrant]))
    fig.update_xaxes(title_text=x_title, range=x_range, showgrid=True, gridcolor=COLORS["grid"])
    fig.update_yaxes(title_text=translate("axis.satisfaction_100", language), range=y_range)
    fig.update_layout(showlegend=False)
    return fig


# -- gap model --------------------------------------------------------------------------------------

GAP_TONE_COLORS = {"good": COLORS["good"], "bad": COLORS["bad"], "neutral": COLORS["neutral"]}


# The diagram's words are drawn at GAP_FONT px and enlarged by presentation mode (enlarged, ×1.25):
# its boxes and bands are measured at the enlarged size, so the words fit them at either.
GAP_FONT = 15
GAP_MEASURE = GAP_FONT * 1.25


def _block(text: str, bold_lines: int = 0) -> tuple[float, float]:
    """(width, height) in px of a block of `text` ('<br>' between lines; the first `bold_lines` bold)
    at GAP_MEASURE: Plotly sets lines 1.3 em apart."""
    lines = _plain_lines(text)
    widths = [_text_width(html.unescape(line), GAP_MEASURE) * (1.08 if i < bold_lines else 1.0)
              for i, line in enumerate(lines)]
    return max(widths), len(lines) * GAP_MEASURE * 1.3


def gap_model_layout(language: str, summaries: dict) -> dict:
    """Where the five-gap diagram's boxes and words go, in px at GAP_MEASURE (the figure keeps
    x and y at one scale, so a px here stays a px's share however large the figure is drawn).

    Returns boxes {name: (x0, y0, x1, y1)}, labels {gap: (x, y, align, text)} with the block's box
    in `label_boxes`, the separator's y, the loop's x, and the diagram's width and height. The
    centre column holds the model's chain (management's view → standards → delivery → perceived,
    expected on top); gap 1 and gap 3 and the sides' names stand to its left, gap 5, the promise,
    gap 4 and gap 2 to its right; y grows downwards here, the figure turns it over.
    """
    pad_x, pad_y, space = 0.6 * GAP_MEASURE, 0.3 * GAP_MEASURE, 0.6 * GAP_MEASURE
    words = {name: wrap(translate(f"gapbox.{name}", language), 16 if name == "communications" else 26)
             for name in ("expected", "perceived", "delivery", "communications", "standards", "management")}
    sizes = {name: _block(text) for name, text in words.items()}
    labels = {}
    for gap in ("gap1", "gap2", "gap3", "gap4", "gap5"):
        name = wrap(translate(f"gap.{gap}", language), 24)
        value = wrap(summaries.get(gap, ("", "neutral"))[0], 28)
        text = f"<b>{name}</b><br>{value}" if value else f"<b>{name}</b>"
        labels[gap] = (text, _block(text, name.count("<br>") + 1))
    sides = [translate(f"gapbox.{side}", language) for side in ("customer", "provider")]
    side_w = max(_text_width(side, GAP_MEASURE * 13 / 15) for side in sides)
    centre_w = max(sizes[n][0] for n in words if n != "communications") + 2 * pad_x
    promise_w = sizes["communications"][0] + 2 * pad_x
    left_w = max(labels["gap1"][1][0], labels["gap3"][1][0], side_w)
    right_w = max(promise_w, *(labels[g][1][0] for g in ("gap2", "gap4", "gap5")))
    loop_x = 0.0
    centre_x0 = loop_x + space + left_w + space
    centre_x1 = centre_x0 + centre_w
    right_x0 = centre_x1 + 2 * space
    width = right_x0 + right_w + space / 2

    def band(*gaps, least=1.6 * GAP_MEASURE):
        return max([least, *(labels[g][1][1] + space for g in gaps)])

    heights = {name: sizes[name][1] + 2 * pad_y for name in words}
    delivery_h = max(heights["delivery"], heights["communications"])
    sides_band = 2 * GAP_MEASURE * 1.3 + space
    y = space / 2
    boxes, label_at = {}, {}
    boxes["expected"] = (centre_x0, y, centre_x1, y + heights["expected"])
    y = boxes["expected"][3]
    band_a = band("gap5")
    label_at["gap5"] = (right_x0, y + band_a / 2, "left")
    y += band_a
    boxes["perceived"] = (centre_x0, y, centre_x1, y + heights["perceived"])
    # gap 1 stands left of the customer's two boxes, where the loop's top arm leaves room
    label_at["gap1"] = (centre_x0 - space, (boxes["expected"][3] + boxes["perceived"][3]) / 2, "right")
    y = boxes["perceived"][3]
    separator = y + sides_band / 2
    y += sides_band
    boxes["delivery"] = (centre_x0, y + (delivery_h - heights["delivery"]) / 2, centre_x1,
                         y + (delivery_h + heights["delivery"]) / 2)
    boxes["communications"] = (right_x0, y + (delivery_h - heights["communications"]) / 2, right_x0 + promise_w,
                               y + (delivery_h + heights["communications"]) / 2)
    y += delivery_h
    band_c = band("gap3", "gap4")
    label_at["gap3"] = (centre_x0 - space, y + band_c / 2, "right")
    label_at["gap4"] = (right_x0, y + band_c / 2, "left")
    y += band_c
    boxes["standards"] = (centre_x0, y, centre_x1, y + heights["standards"])
    y = boxes["standards"][3]
    band_d = band("gap2")
    label_at["gap2"] = (right_x0, y + band_d / 2, "left")
    y += band_d
    boxes["management"] = (centre_x0, y, centre_x1, y + heights["management"])
    height = boxes["management"][3] + space / 2
    label_boxes = {}
    for gap, (x, middle, align) in label_at.items():
        w, h = labels[gap][1]
        x0 = x if align == "left" else x - w
        label_boxes[gap] = (x0, middle - h / 2, x0 + w, middle + h / 2)
    return {"boxes": boxes, "words": words, "labels": {g: (*label_at[g], labels[g][0]) for g in labels},
            "label_boxes": label_boxes, "separator": separator, "loop_x": loop_x, "sides": sides,
            "width": width, "height": height, "space": space}


def gap_model_diagram(summaries: dict, *, title: str, language: str, height: int | None = None) -> go.Figure:
    """The five-gap model (Parasuraman, Zeithaml & Berry 1985) with each gap's value beside it.

    `summaries` maps 'gap1'…'gap5' to (value text, tone) from findings.gap_summaries; the trace
    of gap labels carries them (customdata: gap, text) for tests. The boxes are sized to their
    words (gap_model_layout) and x and y keep one scale, so a narrow or short figure shrinks the
    drawing whole rather than squeezing its words out of their boxes.
    """
    at = gap_model_layout(language, summaries)
    width, tall = at["width"], at["height"]
    # drawn at GAP_FONT in a figure as tall as the layout measured at the enlarged size: room to spare
    fig = _figure(title, translate("chart.gap_model_note", language), height or round(tall * GAP_FONT / GAP_MEASURE + 40),
                  wide=True, legend=False)
    flip = lambda y: tall - y  # noqa: E731 (the layout's y grows downwards, the figure's upwards)
    boxes = at["boxes"]
    # The words are text traces, not annotations: the browser measures each annotation apart, and
    # the diagram had seventeen. Shapes are gathered and set once: each add_shape revalidates every
    # one added before it.
    shapes = [dict(type="rect", x0=x0, x1=x1, y0=flip(y1), y1=flip(y0), line=dict(color=COLORS["current"], width=2),
                   fillcolor="#eef4fb", layer="below", name=name) for name, (x0, y0, x1, y1) in boxes.items()]
    shapes.append(dict(type="line", x0=at["loop_x"], x1=width, y0=flip(at["separator"]), y1=flip(at["separator"]),
                       line=dict(color=COLORS["neutral"], dash="dash")))
    delivery, promise = boxes["delivery"], boxes["communications"]
    middle = (delivery[1] + delivery[3]) / 2
    shapes.append(dict(type="line", x0=delivery[2], x1=promise[0], y0=flip(middle), y1=flip(middle),
                       line=dict(color=COLORS["neutral"], width=1.6)))
    # gap 1 runs the long way round, from the customers' expectation to management's view of it
    expected, management = boxes["expected"], boxes["management"]
    top, bottom, loop = flip((expected[1] + expected[3]) / 2), flip((management[1] + management[3]) / 2), at["loop_x"]
    shapes.append(dict(type="path", path=f"M {expected[0]} {top} L {loop} {top} L {loop} {bottom} L {management[0]} {bottom}",
                       line=dict(color=COLORS["neutral"], width=1.6, dash="dot")))
    fig.update_layout(shapes=shapes)
    fig.add_trace(go.Scatter(
        x=[(b[0] + b[2]) / 2 for b in boxes.values()], y=[flip((b[1] + b[3]) / 2) for b in boxes.values()],
        mode="text", hoverinfo="skip", text=[at["words"][name] for name in boxes], textposition="middle center",
        textfont=dict(size=GAP_FONT, color=COLORS["ink"]), showlegend=False, name="boxes"))
    space, separator = at["space"], flip(at["separator"])
    fig.add_trace(go.Scatter(
        x=[loop + space / 2] * 2, y=[separator + 3, separator - 3], mode="text", hoverinfo="skip", showlegend=False,
        name="sides", text=at["sides"], textposition=["top right", "bottom right"],
        textfont=dict(size=13, color=COLORS["neutral"])))
    # each arrow is a line ending in an arrowhead marker turned along it (its tip is the point)
    centre = (delivery[0] + delivery[2]) / 2
    standards, perceived = boxes["standards"], boxes["perceived"]
    arrows_x, arrows_y = [], []
    for (x0, y0, x1, y1) in ((centre, management[1], centre, standards[3]), (centre, standards[1], centre, delivery[3]),
                             (centre, delivery[1], centre, perceived[3]),
                             (promise[0] + (promise[2] - promise[0]) / 3, promise[1], perceived[2],
                              (perceived[1] + perceived[3]) / 2)):
        arrows_x += [x0, x1, None]
        arrows_y += [flip(y0), flip(y1), None]
    fig.add_trace(go.Scatter(
        x=arrows_x, y=arrows_y, mode="lines+markers", hoverinfo="skip", showlegend=False, name="arrows",
        line=dict(color=COLORS["neutral"], width=1.6),
        marker=dict(symbol="arrow", angleref="previous", color=COLORS["neutral"], size=[0, 16, 0] * 4)))
    gaps = ["gap5", "gap4", "gap3", "gap2", "gap1"]
    fig.add_trace(go.Scatter(
        x=[at["labels"][g][0] for g in gaps], y=[flip(at["labels"][g][1]) for g in gaps], mode="text",
        hoverinfo="skip", text=[at["labels"][g][3] for g in gaps],
        textposition=["middle right" if at["labels"][g][2] == "left" else "middle left" for g in gaps],
        textfont=dict(size=GAP_FONT, color=[GAP_TONE_COLORS.get(summaries.get(g, ("", "neutral"))[1], COLORS["neutral"])
                                            for g in gaps]),
        customdata=[[g, summaries.get(g, ("", "neutral"))[0]] for g in gaps], showlegend=False, name="gaps"))
    fig.update_xaxes(visible=False, range=[-space / 2, width], fixedrange=True, constrain="domain")
    # one scale for x and y: a figure of another shape leaves room around the drawing, never squeezes
    # it. The room is taken from the axes' domain: met by widening the ranges instead (Plotly's
    # default), each new size widened them again from the last, and the drawing shrank for good.
    fig.update_yaxes(visible=False, range=[0, tall], fixedrange=True, scaleanchor="x", scaleratio=1, constrain="domain")
    fig.update_layout(margin=dict(l=0, r=0, b=0))
    return fig


def dumbbell(labels, expectation, perception, gaps, *, title: str, left_name: str, right_name: str,
             x_title: str, language: str, x_range=None, hover: list[str] | None = None,
             sides: list[int] | None = None) -> go.Figure:
    """Two values per row joined by a line (expectation ○ → perception ●), the gap written at the end.

    The line and the gap are red where the second value falls short of the first, green where it
    exceeds it; with `sides` (analytics.gaps.clear_side of each row's interval) only where the
    interval says so, grey where it includes 0. `hover` names the rows whole on hover (_hover_names).
    """
    hover = hover if hover is not None else [chart_text(v) for v in labels]
    labels = [_short(str(v), 30) for v in labels]
    if sides is None:
        sides = [0 if g is None else -1 if g < 0 else 1 for g in _none_if_nan(gaps)]
    tones = [{-1: COLORS["bad"], 1: COLORS["good"], 0: COLORS["neutral"]}[side] for side in sides]
    fig = _figure(title, None, 110 + 50 * len(labels), wide=True)
    fig.add_traces(_row_lines(labels, _none_if_nan(expectation), _none_if_nan(perception), tones))
    fig.add_trace(go.Scatter(x=_none_if_nan(expectation), y=labels, mode="markers", name=left_name,
                             marker=dict(size=15, color="white", line=dict(color=COLORS["ink"], width=2.5)),
                             hovertext=hover, hovertemplate="%{hovertext}: %{x:.2f}<extra>" + left_name + "</extra>"))
    fig.add_trace(go.Scatter(x=_none_if_nan(perception), y=labels, mode="markers", name=right_name,
                             marker=dict(size=15, color=COLORS["current"]), hovertext=hover,
                             hovertemplate="%{hovertext}: %{x:.2f}<extra>" + right_name + "</extra>"))
    ends = [max(v for v in (e, p) if v is not None) if (e is not None or p is not None) else None
            for e, p in zip(_none_if_nan(expectation), _none_if_nan(perception))]
    fig.add_trace(go.Scatter(
        x=[None if end is None else end for end in ends], y=labels, mode="text", showlegend=False,
        text=[f"  {fmt_signed(g, 2)}" if g is not None else "" for g in _none_if_nan(gaps)],
        textposition="middle right", hoverinfo="skip", name=translate("chart.gap", language),
        textfont=dict(size=15, color=tones)))
    fig.update_xaxes(title_text=x_title, range=x_range, showgrid=True, gridcolor=COLORS["grid"])
    fig.update_yaxes(autorange="reversed", showgrid=False, categoryorder="array",
                     categoryarray=list(dict.fromkeys(labels)))
    return fig


def _row_lines(labels, starts, ends, colors, width: float = 5) -> list[go.Scatter]:
    """Each row's line from its start to its end, in its colour: one trace per colour, its rows'
    lines apart (None between them). A trace per row cost Plotly a draw of its own (22 rows: 42
    against 31 ms in Chromium). The traces list the rows by colour: the chart gives its category
    axis the rows' order itself."""
    segments: dict[str, tuple[list, list]] = {}
    for label, start, end, color in zip(labels, starts, ends, colors):
        if start is None or end is None:
            continue
        xs, ys = segments.setdefault(color, ([], []))
        xs += [start, end, None]
        ys += [label, label, None]
    return [go.Scatter(x=xs[:-1], y=ys[:-1], mode="lines", showlegend=False, hoverinfo="skip",
                       line=dict(color=color, width=width)) for color, (xs, ys) in segments.items()]


# -- NPS --------------------------------------------------------------------------------------------

def _label_column(fig: go.Figure, labels: list[str], ends: list[float], texts: list[str], colors: list[str],
                  name: str) -> None:
    """Each row's figures written just right of its bar or interval, clear of the category labels."""
    fig.add_trace(go.Scatter(x=ends, y=labels, mode="text", text=texts, textposition="middle right",
                             textfont=dict(size=15, color=colors), hoverinfo="skip", showlegend=False,
                             name=name, cliponaxis=False))


def _change_color(delta, significant) -> str:
    if not significant or delta is None or (isinstance(delta, float) and math.isnan(delta)) or delta == 0:
        return COLORS["ink"]
    return COLORS["good"] if delta > 0 else COLORS["bad"]


def group_nps(table: pd.DataFrame, column: str, *, title: str, language: str) -> go.Figure:
    """NPS per group (touchpoint, branch) with its 95% margin; a significant change is marked.

    `table` is nps.nps_change_by's result; the change is shown (arrow and colour) only where significant.
    None when no group has a score, or when the only answers are of no group (a file without the
    column): one "(not given)" bar would only repeat the page's NPS.
    """
    order = table[table["score"].notna()].sort_values("score")
    if order.empty or order[column].isna().all():
        return None
    labels = [chart_text(v) if v is not None else translate("fmt.unknown", language) for v in order[column]]
    scores = order["score"].astype(float).tolist()
    # the adjusted-Wald interval is not centred on the score: its two arms are drawn apart
    highs = [h if h is not None else s for s, h in zip(scores, _none_if_nan(order["ci_high"]))]
    lows = [lo if lo is not None else s for s, lo in zip(scores, _none_if_nan(order["ci_low"]))]
    margins = [h - s for s, h in zip(scores, highs)]
    fig = _figure(title, translate("chart.group_nps_note", language), 60 + 40 * len(order), legend=False)
    fig.add_trace(go.Bar(
        y=labels, x=scores, orientation="h", marker_color=COLORS["current"],
        error_x=dict(type="data", symmetric=False, array=margins, arrayminus=[s - lo for s, lo in zip(scores, lows)],
                     color=COLORS["neutral"], thickness=1.5, width=4),
        customdata=_stored(order, column), name=translate("metric.nps", language),
        hovertext=_hover_names(order, column, language), hovertemplate="%{hovertext}: %{x:.1f}<extra></extra>"))
    ends = [max(s + m, 0.0) + 3 for s, m in zip(scores, margins)]
    _label_column(fig, labels, ends,
                  [f"{fmt_signed(s, 1)} ({fmt_n(n, language)}){_marker(d, sig)}"
                   for s, n, d, sig in zip(scores, order["n"], order["delta"], order["significant"])],
                  [_change_color(d, sig) for d, sig in zip(order["delta"], order["significant"])],
                  translate("chart.value", language))
    low = min([-10.0] + [s - m for s, m in zip(scores, margins)])
    high = max([10.0] + ends)
    fig.update_xaxes(title_text=translate("axis.nps", language), range=[low - 5, high + (high - low) * 0.55],
                     showgrid=True, gridcolor=COLORS["grid"], zeroline=True, zerolinecolor=COLORS["ink"],
                     zerolinewidth=1.5)
    fig.update_layout(showlegend=False, bargap=0.35)
    return fig


# -- sentiment --------------------------------------------------------------------------------------

def group_negative_share(table: pd.DataFrame, column: str, *, title: str, language: str) -> go.Figure:
    """Share of negative texts per group with its Wilson 95% interval; bars carry the group for selection."""
    order = table[table["negative_share"].notna()].sort_values("negative_share")
    if order.empty:
        return None
    raw = order[column].tolist()
    labels = [fmt_term("source", v, language) if column == "source" else
              (chart_text(v) if v is not None else translate("fmt.unknown", language)) for v in raw]
    share = [100.0 * v for v in order["negative_share"]]
    highs = [100.0 * h for h in order["negative_ci_high"]]
    fig = _figure(title, translate("chart.negative_note", language), 60 + 40 * len(order), legend=False)
    fig.add_trace(go.Bar(
        y=labels, x=share, orientation="h", marker_color=COLORS["current"],
        error_x=dict(type="data", symmetric=False, array=[h - v for h, v in zip(highs, share)],
                     arrayminus=[v - 100.0 * lo for lo, v in zip(order["negative_ci_low"], share)],
                     color=COLORS["neutral"], thickness=1.5, width=4),
        customdata=_stored(order, column), name=translate("metric.negative_share", language),
        hovertext=labels if column == "source" else _hover_names(order, column, language),
        hovertemplate="%{hovertext}: %{x:.1f}%<extra></extra>"))
    ends = [h + 2 for h in highs]
    _label_column(fig, labels, ends,
                  [f"{fmt_share(v)} ({fmt_n(n, language)})" for v, n in zip(order["negative_share"], order["n"])],
                  [COLORS["ink"]] * len(labels), translate("chart.value", language))
    top = max([10.0] + ends)
    # room for the value labels after the longest bar when the chart is drawn in a narrow column
    fig.update_xaxes(title_text=translate("axis.negative_share", language), range=[0, min(top * 1.75, 180)],
                     ticksuffix="%", showgrid=True, gridcolor=COLORS["grid"],
                     tickvals=[0, 20, 40, 60, 80, 100])
    fig.update_layout(showlegend=False, bargap=0.35)
    return fig


# -- complaints -------------------------------------------------------------------------------------

# A complaint system's export may name dozens of causes, some of eighty letters (the US CFPB's
# "Problem with a credit reporting company's investigation into an existing problem"): a chart shows
# the first causes and the rest as one bar or a note, and a cause's name cut to what its place holds
# (the whole name in its hover text).
CAUSES_SHOWN = 12
CAUSE_COLUMNS = {"bar": 36, "row": 44}


def _distinct(labels: list[str]) -> list[str]:
    """Labels made distinct where two causes' cut names came out alike (a category axis would merge them)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def causes_shown(table: pd.DataFrame, language: str, limit: int = CAUSES_SHOWN) -> pd.DataFrame:
    """A Pareto table (analytics.complaints.pareto) as a chart shows it: its first `limit` causes and
    the others as one last row, "Other causes (k)", their count summed and the cumulative share at
    100%; not one of the vital few, since its causes are each fewer than the last shown. A table of
    at most limit + 1 causes is shown whole."""
    if len(table) <= limit + 1:
        return table
    rest = table.iloc[limit:]
    label = translate("chart.other_causes", language, n=len(rest))
    other = {column: None for column in table.columns}
    other.update({"cause": label, "count": int(rest["count"].sum()), "share": float(rest["share"].sum()),
                  "cumulative": float(table["cumulative"].iloc[-1]), "vital_few": False})
    if f"cause{AS_GIVEN}" in table.columns:
        other[f"cause{AS_GIVEN}"] = label
    shown = pd.concat([table.iloc[:limit], pd.DataFrame([other], columns=table.columns)], ignore_index=True)
    return shown.astype({"count": "int64", "vital_few": bool})


def rising_shown(table: pd.DataFrame, limit: int = CAUSES_SHOWN) -> pd.DataFrame:
    """The causes a rising-causes chart shows: every one whose count changed significantly, then the
    others with the most complaints in either period, `limit` in all (more when more changed
    significantly); in the table's order."""
    if len(table) <= limit:
        return table
    significant = table["significant"].fillna(False).astype(bool)
    size = pd.concat([table["count_now"].fillna(0), table["count_before"].fillna(0)], axis=1).max(axis=1)
    others = size[~significant].sort_values(ascending=False, kind="stable")
    keep = set(table.index[significant]) | set(others.index[:max(limit - int(significant.sum()), 0)])
    return table.loc[[i for i in table.index if i in keep]]


def pareto(table: pd.DataFrame, *, title: str, language: str, height: int = 500, wide: bool = True) -> go.Figure:
    """Complaints per cause (bars, most first), cumulative share (line, right axis) and the 80% line;
    the causes' labels wrapped or turned to fit a full-width chart or, `wide` False, a half-width one.
    At most CAUSES_SHOWN causes and one bar of the others (causes_shown)."""
    if table.empty:
        return None
    table = causes_shown(table, language)
    causes = [chart_text(c) for c in table["cause"]]
    labels, angle = category_ticks(table["cause"], MONTH_PLOT_WIDTH[wide])
    if angle:  # turned, a long name would take the plot's height: cut, whole in the hover text
        causes = _distinct([chart_text(clipped(c, CAUSE_COLUMNS["bar"])) for c in table["cause"]])
        labels = causes
    names = _hover_names(table, "cause", language)
    fig = _figure(title, translate("chart.pareto_note", language), height, wide=True)
    fig.add_trace(go.Bar(
        x=causes, y=table["count"].astype(int).tolist(), name=translate("chart.complaints", language),
        marker_color=[COLORS["current"] if v else COLORS["comparison"] for v in table["vital_few"]],
        text=[fmt_count(c) for c in table["count"]], textposition="outside", cliponaxis=False,
        hovertext=names, hovertemplate="%{hovertext}: %{y}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=causes, y=[100.0 * v for v in table["cumulative"]], name=translate("chart.cumulative", language),
        yaxis="y2", mode="lines+markers", line=dict(color=COLORS["ink"], width=2.5), marker=dict(size=8),
        hovertext=names, hovertemplate="%{hovertext}: %{y:.1f}%<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=[causes[0], causes[-1]] if causes else [], y=[80.0, 80.0], yaxis="y2", mode="lines",
        name=translate("chart.line80", language), line=dict(color=COLORS["neutral"], dash="dash", width=2.5),
        hoverinfo="skip"))
    top = int(table["count"].max()) if len(table) else 1
    fig.update_layout(
        yaxis=dict(title=dict(text=translate("axis.complaints", language)), range=[0, top * PARETO_HEADROOM]),
        yaxis2=dict(title=dict(text=translate("axis.cumulative", language)), overlaying="y", side="right",
                    range=[0, PARETO_SHARE_TOP], ticksuffix="%", showgrid=False, tickvals=[0, 20, 40, 60, 80, 100],
                    tickfont=dict(size=15)))
    fig.update_xaxes(title_text=translate("axis.cause", language), type="category", tickangle=angle,
                     tickmode="array", tickvals=causes, ticktext=labels)
    # on a white label, readable where the line crosses a dark bar; set at once (see gap_model_diagram)
    inside, shifts = _pareto_label_places(fig, table["count"].astype(float).tolist(), table["cumulative"].tolist(),
                                          top)
    fig.update_traces(selector=dict(type="bar"), textposition=["inside" if i else "outside" for i in inside],
                      insidetextanchor="end",
                      textfont=dict(color=["white" if i and v else COLORS["ink"]
                                           for i, v in zip(inside, table["vital_few"])]))
    fig.update_layout(annotations=[
        dict(x=cause, y=100.0 * value, yref="y2", text=fmt_share(value, 0), showarrow=False, yshift=shift,
             bgcolor="rgba(255,255,255,0.85)", borderpad=1, font=dict(size=14))
        for cause, value, shift in zip(causes, table["cumulative"], shifts)])
    return fig


# the Pareto's axes: the counts' reach above the tallest bar (room for its count), the shares' top
PARETO_HEADROOM = 1.18
PARETO_SHARE_TOP = 112.0
# px, as drawn: a cumulative share's label (14 px type and its pad) this far above or below its
# point; a bar's count (16 px type) just above its bar or just under its top; the point and its line
SHARE_SHIFT, SHARE_HEIGHT, COUNT_GAP, COUNT_HEIGHT, POINT_REACH = 16, 20, 3, 20, 5


def _pareto_label_places(fig: go.Figure, counts: list[float], shares: list[float],
                         top: float) -> tuple[list[bool], list[int]]:
    """Per cause, whether its count is written inside its bar (under its top) and its cumulative
    share's label shift from the point in px. The count sits above its bar and the share above its
    point unless they would cover each other or the point ("84%" and the line over "961", where a
    cause's share point falls at the top of its bar): then the share goes under its point, or, when
    the point itself is on the count, the count goes inside its bar (the placing that covers least).
    The plot's height is the figure's less its margins, as reserve_margins estimates them."""
    spec = fig.to_dict()
    margin = {**TEMPLATE.layout.margin.to_plotly_json(), **spec["layout"].get("margin", {}),
              **_wider_margins(spec["layout"], spec["data"])}
    plot = max(float(fig.layout.height) - margin.get("t", 0) - margin.get("b", 0), 1.0)

    def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
        return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))

    inside, shifts = [], []
    for count, share in zip(counts, shares):
        bar = plot * count / (top * PARETO_HEADROOM)
        point = plot * 100.0 * share / PARETO_SHARE_TOP
        dot = (point - POINT_REACH, point + POINT_REACH)
        places = [(False, (bar + COUNT_GAP, bar + COUNT_GAP + COUNT_HEIGHT))]
        if bar >= COUNT_HEIGHT + 2 * COUNT_GAP:
            places.append((True, (bar - COUNT_GAP - COUNT_HEIGHT, bar - COUNT_GAP)))
        # the least covered; where several tie, the first: the count above, the share above
        options = []
        for written_inside, written in places:
            for shift in (SHARE_SHIFT, -SHARE_SHIFT):
                label = (point + shift - SHARE_HEIGHT / 2, point + shift + SHARE_HEIGHT / 2)
                options.append((overlap(written, dot) + overlap(written, label), len(options), written_inside, shift))
        _, _, written_inside, shift = min(options)
        inside.append(written_inside)
        shifts.append(shift)
    return inside, shifts


def pareto_rows(table: pd.DataFrame, *, title: str, language: str) -> go.Figure:
    """The Pareto for a half-width slide: a row per cause (most first, at the top), its count and the
    cumulative share written after its bar, the vital few dark. Turned, the causes' names need no
    slanting and the figure no second axis or legend, which left a half-width slide little plot."""
    if table.empty:
        return None
    table = causes_shown(table, language)
    causes = _distinct([_short(chart_text(clipped(c, CAUSE_COLUMNS["row"])), 18) for c in table["cause"]])
    counts = table["count"].astype(int).tolist()
    fig = _figure(title, translate("chart.pareto_rows_note", language), 70 + 44 * len(causes), legend=False)
    fig.add_trace(go.Bar(
        y=causes, x=counts, orientation="h", name=translate("chart.complaints", language),
        marker_color=[COLORS["current"] if v else COLORS["comparison"] for v in table["vital_few"]],
        text=[f"{fmt_count(c)} · {fmt_share(s, 0)}" for c, s in zip(counts, table["cumulative"])],
        textposition="outside", cliponaxis=False, textfont=dict(size=15),
        hovertext=_hover_names(table, "cause", language), customdata=[100.0 * v for v in table["cumulative"]],
        hovertemplate="%{hovertext}: %{x} (%{customdata:.0f}%)<extra></extra>"))
    # room after the longest bar for its words ('23 · 31%')
    fig.update_xaxes(title_text=translate("axis.complaints", language), range=[0, max(counts) * 1.45],
                     showgrid=True, gridcolor=COLORS["grid"])
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_layout(showlegend=False)
    return fig


def rising_causes(table: pd.DataFrame, *, title: str, now_label: str, vs_label: str, language: str,
                  wide: bool = False) -> go.Figure:
    """Each cause's share of complaints before (○) and now (●); a significant rise red, a fall green.

    The test is of the cause's count (complaints.rising_causes), so the marker's direction and colour
    are the count's: when every cause grows, one whose count rose significantly may have lost share,
    and a green ▼ would say the opposite of the test."""
    shown = rising_shown(table)
    order = shown.sort_values("share_now", na_position="first")
    if order.empty:
        return None
    labels = _distinct([_short(clipped(c, CAUSE_COLUMNS["row"]), 26) for c in order["cause"]])
    names = _hover_names(order, "cause", language)
    counted = (order["count_now"].fillna(0) - order["count_before"].fillna(0)).tolist()
    note = translate("chart.rising_note", language)
    if len(shown) < len(table):
        note += translate("chart.causes_not_shown", language, k=len(table) - len(shown))
    fig = _figure(title, note, 110 + 46 * len(order), wide=wide)
    before, now = ([None if v is None else 100 * v for v in _none_if_nan(order[column])]
                   for column in ("share_before", "share_now"))
    fig.add_traces(_row_lines(labels, before, now,
                              [(COLORS["bad"] if d > 0 else COLORS["good"]) if sig and d else COLORS["passive"]
                               for sig, d in zip(order["significant"], counted)]))
    fig.add_trace(go.Scatter(x=before, y=labels, mode="markers", name=vs_label,
                             marker=dict(size=14, color="white", line=dict(color=COLORS["ink"], width=2.5)),
                             hovertext=names, hovertemplate="%{hovertext}: %{x:.1f}%<extra>" + vs_label + "</extra>"))
    fig.add_trace(go.Scatter(
        x=now, y=labels, mode="markers+text", name=now_label, marker=dict(size=14, color=COLORS["current"]),
        text=[(UP if d > 0 else DOWN) if s and d else "" for d, s in zip(counted, order["significant"])],
        # the arrow on the far side of the dot from the line it moved along
        textposition=["middle left" if d < 0 else "middle right"
                      for d in (order["share_now"].fillna(0) - order["share_before"].fillna(0))],
        textfont=dict(size=16, color=[COLORS["bad"] if d > 0 else COLORS["good"] for d in counted]),
        hovertext=names, hovertemplate="%{hovertext}: %{x:.1f}%<extra>" + now_label + "</extra>"))
    # 0 always shown, with the padding autorange gives a marker: rangemode="tozero" puts the plot's
    # edge at 0 itself, and a cause at 0% lost half its dot there
    fig.update_xaxes(title_text=wrap(translate("axis.share_of_complaints", language), 20), ticksuffix="%",
                     autorangeoptions=dict(include=[0]), showgrid=True, gridcolor=COLORS["grid"])
    fig.update_yaxes(categoryorder="array", categoryarray=list(dict.fromkeys(labels)))
    return fig


def resolution_histogram(table: pd.DataFrame, sla_hours: float, *, title: str, language: str,
                         height: int = 420) -> go.Figure:
    """Resolved complaints by hours to resolve; buckets within the SLA green, beyond it red."""
    if table.empty:
        return None

    def label(low, high):
        if high is None or (isinstance(high, float) and math.isnan(high)):
            return f"> {fmt_number(low, 0)}"
        if not low:
            return f"≤ {fmt_number(high, 0)}"
        return f"{fmt_number(low, 0)}–{fmt_number(high, 0)}"

    x = [label(lo, hi) for lo, hi in zip(table["hours_from"], table["hours_to"])]
    fig = _figure(title, None, height, legend=False)
    fig.add_trace(go.Bar(
        x=x, y=table["count"].astype(int).tolist(), name=translate("chart.resolved", language),
        marker_color=[COLORS["good"] if w else COLORS["bad"] for w in table["within_sla"]],
        text=[f"{fmt_count(c)}<br>{fmt_share(s, 0)}" for c, s in zip(table["count"], table["share"])],
        textposition="outside", cliponaxis=False, hovertemplate="%{x}: %{y}<extra></extra>"))
    within = sum(1 for w in table["within_sla"] if w)
    if 0 < within < len(x):
        fig.add_vline(x=within - 0.5, line=dict(color=COLORS["ink"], dash="dash", width=2))
        fig.add_annotation(x=within - 0.5, y=1.0, yref="paper", yanchor="top", xanchor="left", xshift=4,
                           showarrow=False, bgcolor="rgba(255,255,255,0.9)",
                           text=translate("chart.sla_line", language, hours=fmt_number(sla_hours, 0)),
                           font=dict(size=14))
    top = int(table["count"].max()) if len(table) else 1
    fig.update_yaxes(title_text=translate("axis.resolved_complaints", language), range=[0, top * 1.3])
    labels, angle = category_ticks(x, MONTH_PLOT_WIDTH[False])  # drawn at half the page's width
    fig.update_xaxes(title_text=translate("axis.hours_to_resolve", language), type="category", tickangle=angle,
                     tickmode="array", tickvals=x, ticktext=labels)
    return fig


def iceberg(data, *, title: str, language: str, height: int = 420) -> go.Figure:
    """The complaint iceberg: the complaining customers above the waterline, the silent dissatisfied below it.

    A diagram, not a plot: the tip's area is to scale with the part under water (capped so it
    stays drawable), and both numbers are written on it. The two shapes' traces carry their counts
    (customdata) for tests.
    """
    visible = int(data.n_complainants)
    if visible == 0:
        return None
    below = max(float(data.silent_dissatisfied or 0.0) - visible, 0.0)
    fig = _figure(title, translate("chart.iceberg_note", language, share=fmt_share(data.complaint_share, 0)),
                  height, legend=False)
    # under water: a pentagon 10 wide and 6 deep (area 45); the tip: a triangle of matching area
    under_x, under_y = [-5, 5, 3.6, 0.4, -4.2, -5], [0, 0, -4.2, -6, -3.8, 0]
    area = 45.0 * (visible / below if below else 1.0)
    base = min(math.sqrt(area / 0.45), 9.0)
    tip_x, tip_y = [-base / 2, -base * 0.1, base / 2, -base / 2], [0, base * 0.9, 0, 0]
    # every part is a trace, so all of it moves together when the title pushes the plot down
    fig.add_trace(go.Scatter(x=[-8, 8, 8, -8, -8], y=[0, 0, -6.6, -6.6, 0], fill="toself", mode="none",
                             fillcolor=COLORS["water"], hoverinfo="skip", showlegend=False, name="water"))
    fig.add_trace(go.Scatter(x=under_x, y=under_y, fill="toself", mode="lines", fillcolor=COLORS["comparison"],
                             line=dict(color=COLORS["current"], width=1.5), hoverinfo="skip", customdata=[below],
                             showlegend=False, name=translate("chart.iceberg_silent", language)))
    fig.add_trace(go.Scatter(x=tip_x, y=tip_y, fill="toself", mode="lines", fillcolor="white",
                             line=dict(color=COLORS["current"], width=2), hoverinfo="skip", customdata=[visible],
                             showlegend=False, name=translate("chart.iceberg_visible", language)))
    fig.add_trace(go.Scatter(x=[-8, 8], y=[0, 0], mode="lines", line=dict(color=COLORS["current"], width=2),
                             hoverinfo="skip", showlegend=False, name="waterline"))
    fig.add_trace(go.Scatter(
        x=[7.8, base / 2 + 0.6, 0], y=[0.25, max(base * 0.45, 0.6), -2.6], mode="text", hoverinfo="skip",
        showlegend=False, textposition=["top left", "middle right", "middle center"],
        text=[translate("chart.waterline", language),
              wrap(translate("chart.iceberg_visible_label", language, n=fmt_count(visible)), 28),
              wrap(translate("chart.iceberg_silent_label", language, n=fmt_count(below)), 24)],
        textfont=dict(size=[14, 17, 17], color=[COLORS["current"], COLORS["ink"], COLORS["ink"]]), name="labels"))
    fig.update_xaxes(visible=False, range=[-8, 8], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-6.6, max(base * 0.9 + 0.6, 3.0)], fixedrange=True)
    fig.update_layout(margin=dict(l=0, r=0, b=0))
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
                    x_range=_scale_range(table["expectation"], table["perception"]),
                    hover=_hover_names(table, "dimension", language) if as_given(table, "dimension") else None,
                    sides=_sides(table))


def gap5_items(gap, *, title: str, language: str) -> go.Figure | None:
    """gaps.Gap5Result: expectation and perception per item."""
    table = gap.items
    if table.empty:
        return None
    return dumbbell(table["item_text"], table["expectation"], table["perception"], table["gap"], title=title,
                    left_name=translate("chart.expectation", language),
                    right_name=translate("chart.perception", language),
                    x_title=translate("axis.rating", language), language=language,
                    x_range=_scale_range(table["expectation"], table["perception"]),
                    hover=_hover_names(table, "item_text", language), sides=_sides(table))


def _sides(table: pd.DataFrame) -> list[int]:
    """Each gap 5 row's side of 0 by its 95% interval (grey, not red, where it includes 0)."""
    return [clear_side(low, high) for low, high in zip(table["ci_low"], table["ci_high"])]


def gap1_items(gap, *, title: str, language: str) -> go.Figure | None:
    """gaps.Gap1Result: customers' expectation (○) and management's estimate of it (●) per item."""
    table = gap.items
    if table.empty:
        return None
    return dumbbell(table["item_text"], table["expectation"], table["management"], table["gap"], title=title,
                    left_name=translate("chart.customers_expect", language),
                    right_name=translate("chart.management_thinks", language),
                    x_title=translate("axis.rating", language), language=language,
                    x_range=_scale_range(table["expectation"], table["management"]),
                    hover=_hover_names(table, "item_text", language))


# -- the trends each page shows, from the analytics frames as they come ------------------------------

def nps_trend(trend: pd.DataFrame, *, title: str, language: str, height: int = 360, wide: bool = False) -> go.Figure:
    """nps.nps_trend: the score per month with its adjusted-Wald 95% interval (Rocks 2016)."""
    return interval_trend(trend["month"], trend["score"], _none_if_nan(trend["ci_low"]),
                          _none_if_nan(trend["ci_high"]), trend["n"], title=title,
                          y_title=translate("axis.nps", language), language=language, value_format="signed",
                          height=height, wide=wide)


def csi_trend(by_month: pd.DataFrame, *, title: str, language: str, height: int = 360,
              wide: bool = False) -> go.Figure:
    """csi.csi_by(by='month'): CSI per month with its respondent-level 95% interval."""
    return interval_trend(by_month["month"], by_month["csi"], by_month["ci_low"], by_month["ci_high"],
                          by_month["n"], title=title, y_title=translate("axis.csi", language), language=language,
                          height=height, wide=wide)


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


# -- complaint handling steps and the self-assessment (issue 23) ----------------------------------

def handling_funnel(steps: pd.DataFrame, stalls_most: str | None, *, title: str, language: str,
                    height: int = 380) -> go.Figure:
    """analytics.handling's steps: complaints that reached each step (bars, first step on top), each
    bar labelled with how many are at the step now and how many of those stall; the step where most
    stall is red."""
    if steps.empty or not int(steps["reached"].iloc[0]):
        return None
    labels = [translate(f"step.{s}", language) for s in steps["step"]]
    fig = _figure(title, translate("chart.funnel_note", language), height, legend=False)
    fig.add_trace(go.Bar(
        y=labels, x=steps["reached"].astype(int).tolist(), orientation="h",
        name=translate("chart.reached", language),
        marker_color=[COLORS["bad"] if s == stalls_most else COLORS["current"] for s in steps["step"]],
        text=[translate("chart.funnel_label", language, reached=fmt_count(r), now=fmt_count(c), stalled=fmt_count(k))
              for r, c, k in zip(steps["reached"], steps["count"], steps["stalled"])],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{x}<extra></extra>"))
    top = int(steps["reached"].max())
    fig.update_xaxes(title_text=translate("axis.complaints", language), range=[0, top * 1.6])
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


def assessment_radar(sections: pd.DataFrame, *, title: str, now_label: str, last_label: str, language: str,
                     height: int = 520) -> go.Figure:
    """analytics.assessment's sections as percentages (0–100) on a radar: this assessment over the
    team's last one (dashed) when there is one."""
    if sections.empty:
        return None
    theta = [_short(translate(f"assessment.section.{s}", language), 18) for s in sections["section"]]
    fig = _figure(title, translate("chart.assessment_note", language), height, wide=True)
    traces = [("last_percentage", last_label, COLORS["comparison"], "none"),
              ("percentage", now_label, COLORS["current"], "toself")]
    for column, name, color, fill in traces:
        r = _none_if_nan(sections[column])
        if all(v is None for v in r):
            continue
        fig.add_trace(go.Scatterpolar(
            r=r + r[:1], theta=theta + theta[:1], name=name, mode="lines+markers",
            line=dict(color=color, width=3 if column == "percentage" else 2.5,
                      dash="solid" if column == "percentage" else "dash"),
            marker=dict(size=8), fill=fill, fillcolor="rgba(31, 78, 121, 0.10)",
            hovertemplate="%{theta}: %{r:.0f}%<extra>" + name + "</extra>"))
    between = 90 - 180 / len(theta)
    fig.update_layout(polar=dict(
        radialaxis=dict(range=[0, 100], tickvals=[20, 40, 60, 80, 100], ticksuffix="%",
                        tickfont=dict(size=13, color=COLORS["neutral"]), gridcolor=COLORS["grid"], angle=between,
                        tickangle=between, linecolor=COLORS["grid"]),
        angularaxis=dict(tickfont=dict(size=15), gridcolor=COLORS["grid"], direction="clockwise", rotation=90),
        bgcolor="white"), margin=dict(l=132, r=132, b=60),
        legend=dict(orientation="v", x=0, xanchor="left", y=1, yanchor="top"))
    return fig


FOLLOW_UP_COLORS = {"open": COLORS["bad"], "contacted": COLORS["comparison"], "resolved": COLORS["good"],
                    "unreachable": COLORS["passive"]}


def follow_up_status(counts: pd.DataFrame, *, title: str, language: str, height: int = 300) -> go.Figure:
    """analytics.follow_up.status_counts: one bar per reason for following up, split by status
    (open red, contacted light blue, resolved green, could not reach grey)."""
    if counts.empty or not int(counts["items"].sum()):
        return None
    fig = _figure(title, translate("chart.follow_up_note", language), height)
    reasons = list(dict.fromkeys(counts["source"]))
    labels = [translate(f"follow_up.source.{r}", language) for r in reasons]
    for status, color in FOLLOW_UP_COLORS.items():
        part = counts[counts["status"] == status].set_index("source").reindex(reasons)
        fig.add_trace(go.Bar(
            y=labels, x=part["items"].astype(int).tolist(), orientation="h", marker_color=color,
            name=translate(f"follow_up.status.{status}", language),
            hovertemplate="%{y}: %{x}<extra>" + translate(f"follow_up.status.{status}", language) + "</extra>"))
    fig.update_layout(barmode="stack", legend=dict(traceorder="normal"))
    top = int(counts.groupby("source")["items"].sum().max())
    # counts are whole: a short bar gets a tick per item, never 0.2
    fig.update_xaxes(title_text=translate("axis.follow_up_items", language), dtick=1 if top <= 5 else None)
    fig.update_yaxes(autorange="reversed", type="category")
    return fig
