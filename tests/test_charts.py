"""Charts carry exactly the analytics' numbers: read back from fig.to_dict(), not from pictures."""
from __future__ import annotations

from datetime import datetime

import dbrows
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from analytics.complaints import ComplaintIceberg, cause_pareto
from analytics.csi import ImportancePerformance
from analytics.gaps import Gap5Result
from analytics.nps import nps_trend
from presentation import charts, findings

COLORS = charts.COLORS


def traces(fig) -> dict:
    """Traces by name (the name a reader sees in the legend)."""
    return {t.get("name"): t for t in fig.to_dict()["data"]}


def test_pareto_bars_cumulative_line_and_80_percent_line_equal_the_analytics(con):
    for cause, k in {"Long waiting time": 5, "Fees": 3, "App": 1, "Card": 1}.items():
        dbrows.complaints(con, [{"cause": cause, "received_at": datetime(2026, 3, 3)}] * k)
    pareto = cause_pareto(con)
    fig = charts.pareto(pareto, title=findings.pareto_title(pareto, "en"), language="en")
    data = traces(fig)
    bars, line, eighty = data["Complaints"], data["Cumulative share"], data["80% line"]
    assert bars["y"] == pareto["count"].tolist() == [5, 3, 1, 1]
    assert list(line["y"]) == pytest.approx([100 * v for v in pareto["cumulative"]]) == [50, 80, 90, 100]
    assert list(eighty["y"]) == [80.0, 80.0] and eighty["yaxis"] == "y2" and line["yaxis"] == "y2"
    # the vital few (up to 80%) are the dark bars
    assert bars["marker"]["color"] == [COLORS["current"]] * 2 + [COLORS["comparison"]] * 2
    assert fig.to_dict()["layout"]["title"]["text"] == "2 of 4 causes make up 80% of complaints"
    assert charts.pareto(pareto.iloc[0:0], title="", language="en") is None


ATTRIBUTES = pd.DataFrame({
    "item_code": ["A", "B", "C"], "attribute": ["Waiting time", "Staff courtesy", "Fees"],
    "satisfaction_now": [55.0, 80.0, 60.0], "n_now": [120, 118, 119],
    "satisfaction_before": [63.0, 74.0, float("nan")], "n_before": [110, 111, 0],
    "delta": [-8.0, 6.0, float("nan")], "t": [0.0] * 3, "df": [0.0] * 3, "p_value": [0.001, 0.2, float("nan")],
    "significant": [True, False, False]})


def test_radar_closes_each_loop_on_the_attributes():
    fig = charts.attribute_radar(ATTRIBUTES, title="t", now_label="Oct 2026", vs_label="Sep 2026", language="en")
    data = traces(fig)
    assert data["Oct 2026"]["r"] == [55.0, 80.0, 60.0, 55.0]
    assert data["Sep 2026"]["r"] == [63.0, 74.0, None, 63.0]  # no data is a gap, not a zero
    assert data["Oct 2026"]["theta"] == ["Waiting time", "Staff courtesy", "Fees", "Waiting time"]
    assert fig.to_dict()["layout"]["polar"]["radialaxis"]["range"] == [0, 100]


# Four attributes, 90° apart: a loop through r₁, r₂ crosses the bisector at 2·r₁·r₂·cos 45° / (r₁ + r₂);
# 60, 60 → 42.43 (2.43 from the 40), 60, 100 → 53.03 (6.97 from the 60), 100, 100 → 70.71 (9.29 from
# the 80). The scale goes where the crossing is farthest from its numbers, at 90 − (k + ½)·90 degrees.
@pytest.mark.parametrize("loops, angle", [
    ([[60, 60, 60, 60]], 45.0),                           # alike everywhere: the first gap
    ([[60, 60, 100, 100]], -135.0),                       # the gap between the two 100s
    # with 80, 80, 60, 60 too (80, 80 → 56.57; 80, 60 → 48.49): the gaps clear by 2.43, 6.97, 2.43,
    # 6.97; the first of the two clearest
    ([[60, 60, 100, 100], [80, 80, 60, 60]], -45.0),
    ([[60, None, 100, 100]], 45.0),                       # no line between 60 and a missing attribute
])
def test_the_radars_scale_stands_where_no_line_crosses_its_numbers(loops, angle):
    assert charts.scale_angle(loops) == pytest.approx(angle)


def test_bar_and_line_views_show_the_same_numbers_and_mark_only_significant_differences():
    bars = traces(charts.attribute_bars(ATTRIBUTES, title="t", now_label="now", vs_label="before", language="en"))
    # sorted by satisfaction now, lowest at the bottom: Waiting time 55, Fees 60, Staff courtesy 80
    assert bars["now"]["x"] == [55.0, 60.0, 80.0]
    assert bars["now"]["text"] == ["55.0 ▼8.0", "60.0", "80.0"]
    line = traces(charts.attribute_profile(ATTRIBUTES, title="t", now_label="now", vs_label="before", language="en"))
    assert line["now"]["y"] == [55.0, 80.0, 60.0]
    assert line["before"]["y"] == [63.0, 74.0, None]


def test_nps_mix_stacks_the_shares_of_each_month(con):
    dbrows.nps(con, [10, 9, 8, 0], responded_at=datetime(2026, 3, 5))
    dbrows.nps(con, [10, 5], responded_at=datetime(2026, 4, 5))
    trend = nps_trend(con)
    fig = charts.nps_mix(trend, title="t", language="en")
    data = traces(fig)
    assert data["Promoters (9–10)"]["y"] == [50.0, 50.0]
    assert data["Passives (7–8)"]["y"] == [25.0, 0.0]
    assert data["Detractors (0–6)"]["y"] == [25.0, 50.0]
    assert data["Promoters (9–10)"]["x"] == ["2026-03", "2026-04"]
    assert data["NPS"]["text"] == ["<b>+25</b>", "<b>0</b>"]
    assert fig.to_dict()["layout"]["xaxis"]["ticktext"] == ["Mar<br>2026", "Apr"]


def test_nps_trend_band_is_the_margin(con):
    dbrows.nps(con, [10, 9, 8, 0], responded_at=datetime(2026, 3, 5))
    dbrows.nps(con, [10, 5, 9], responded_at=datetime(2026, 4, 5))
    trend = nps_trend(con)
    data = charts.nps_trend(trend, title="t", language="zh").to_dict()["data"]
    upper, lower, line = data
    assert line["y"] == trend["score"].tolist()
    # adjusted Wald: March P 2, D 1, n 4 → n' 7, centre 100·(2.75 − 1.75)/7 = 14.29, SE 29.82;
    # April P 2, D 1, n 3 → n' 6, centre 16.67, SE 34.69: the band is centre ± 1.96·SE, not score ± margin
    assert lower["y"] == pytest.approx([14.2857 - 1.96 * 29.820, 16.6667 - 1.96 * 34.694], abs=1e-2)
    assert upper["y"] == pytest.approx([14.2857 + 1.96 * 29.820, 16.6667 + 1.96 * 34.694], abs=1e-2)


BRANCHES = pd.DataFrame({
    "branch": ["Guangzhou Tianhe", "Xiamen Siming"], "score": [-20.0, 15.0], "n": [80, 60],
    "moe95": [20.0, 22.0], "promoters": [20, 20], "passives": [24, 25], "detractors": [36, 15],
    "score_before": [15.0, 10.0], "n_before": [75, 55], "moe95_before": [20.0, 22.0],
    "delta": [-35.0, 5.0], "significant": [True, False], "ci_low": [-40.0, -5.0], "ci_high": [0.0, 37.0]})


def test_group_nps_bars_margins_and_marked_changes():
    data = charts.group_nps(BRANCHES, "branch", title="t", language="en").to_dict()["data"]
    bars, labels = data
    assert bars["x"] == [-20.0, 15.0] and bars["y"] == ["Guangzhou Tianhe", "Xiamen Siming"]
    assert bars["error_x"]["array"] == [20.0, 22.0]  # up to the interval's high end
    assert bars["error_x"]["arrayminus"] == [20.0, 20.0]  # down to its low end
    assert labels["text"] == ["−20.0 (n = 80) ▼35.0", "+15.0 (n = 60)"]
    assert labels["textfont"]["color"] == [COLORS["bad"], COLORS["ink"]]


def test_negative_share_bars_carry_their_group_for_selection():
    table = pd.DataFrame({"branch": ["North", "South"], "n": [50, 40], "mean": [0.1, -0.1],
                          "ci_low": [0.0, -0.2], "ci_high": [0.2, 0.0], "negative_share": [0.3, 0.2],
                          "negative_ci_low": [0.2, 0.1], "negative_ci_high": [0.4, 0.35],
                          "positive_share": [0.5, 0.5], "positive_ci_low": [0.4, 0.4],
                          "positive_ci_high": [0.6, 0.6]})
    bars = charts.group_negative_share(table, "branch", title="t", language="en").to_dict()["data"][0]
    assert bars["x"] == pytest.approx([20.0, 30.0])
    assert bars["customdata"] == ["South", "North"]
    assert bars["error_x"]["array"] == pytest.approx([15.0, 10.0])
    assert bars["error_x"]["arrayminus"] == pytest.approx([10.0, 10.0])


def test_resolution_histogram_colours_the_sla():
    table = pd.DataFrame({"hours_from": [0.0, 24.0], "hours_to": [24.0, float("nan")], "count": [8, 2],
                          "share": [0.8, 0.2], "within_sla": [True, False]})
    bars = charts.resolution_histogram(table, 24, title="t", language="en").to_dict()["data"][0]
    assert bars["y"] == [8, 2] and bars["x"] == ["≤ 24", "> 24"]
    assert bars["marker"]["color"] == [COLORS["good"], COLORS["bad"]]


def test_iceberg_carries_its_counts():
    # 80 complaints from 75 customers: the customers are what the share divides
    fig = charts.iceberg(ComplaintIceberg(80, 0.05, 1500.0, 75), title="t", language="en")
    data = traces(fig)
    assert data["Complaints"]["customdata"] == [75]
    assert data["Silent dissatisfied"]["customdata"] == [1425.0]  # 1,500 dissatisfied, 75 of them complained
    # the tip is named by what it counts: the 75 customers, not the 80 complaints
    assert data["labels"]["text"][1].split("<br>") == ["75 complaining customers", "(what we see)"]
    assert charts.iceberg(ComplaintIceberg(0, 0.05, None), title="t", language="en") is None


@pytest.mark.parametrize("language, lines", [
    ("en", ["about 1,425 dissatisfied", "who did not complain"]), ("zh", ["约 1,425 位", "不满意但未投诉"])])
def test_the_icebergs_words_break_where_they_ask_and_show_no_markup(language, lines):
    fig = charts.iceberg(ComplaintIceberg(80, 0.05, 1500.0, 75), title="t", language=language)
    label = traces(fig)["labels"]["text"][2]
    assert label.split("<br>") == lines  # the break the words ask for; no escaped "&lt;br&gt;" shown


def test_gap_diagram_writes_every_gap():
    summaries = {"gap5": ("−0.39 points (n = 36)", "bad"), "gap1": ("no data", "neutral")}
    fig = charts.gap_model_diagram(summaries, title="t", language="en")
    pairs = {gap: text for gap, text in traces(fig)["gaps"]["customdata"]}
    assert pairs["gap5"] == "−0.39 points (n = 36)"
    assert pairs["gap1"] == "no data"
    assert set(pairs) == {"gap1", "gap2", "gap3", "gap4", "gap5"}


def test_gap_diagram_is_drawn_without_annotations():
    # words as text traces and arrows as markers: the browser measures every annotation apart
    fig = charts.gap_model_diagram({}, title="t", language="en")
    data = traces(fig)
    assert not fig.layout.annotations
    assert len(data["boxes"]["text"]) == 6 and "Perceived service" in data["boxes"]["text"]
    assert list(data["arrows"]["marker"]["size"]).count(16) == 4


def test_a_title_gets_its_top_margin_before_it_is_drawn():
    # 8 px above, one title line 32, a subtitle 40 (its line and the space above it), no legend: a
    # gap of 12 (the browser drew this title's block 8 to 67 px from the top)
    fig = charts.gap_model_diagram({}, title="t", language="en")
    assert fig.layout.margin.t == 8 + 32 + 40 + 12
    assert (fig.layout.title.yref, fig.layout.title.yanchor) == ("container", "top")
    assert fig.layout.title.y == pytest.approx(1 - 8 / fig.layout.height)
    # two title lines (48 columns each), each further line 28, no subtitle, no legend
    title = "Complaints about waiting times rose for the third month running in the north"
    fig = charts.count_trend(["2026-01"], [3], title=title, y_title="n", language="en")
    assert fig.layout.title.text.count("<br>") == 1
    assert fig.layout.margin.t == 8 + 32 + 28 + 12
    # the second line would lift the block by half a line: its anchor is 15 px lower to give it back
    assert fig.layout.title.y == pytest.approx(1 - (8 + 15) / fig.layout.height)
    # a legend takes 38 px under the title: a trend with its interval band, one line, no subtitle
    fig = charts.interval_trend(["2026-01"], [0.1], [0.0], [0.2], [40], title="t", y_title="", language="en")
    assert fig.layout.margin.t == 8 + 32 + 38


def test_reserved_margins_fit_the_labels_and_keep_wider_ones():
    fig = go.Figure(go.Bar(y=["Guangzhou Tianhe", "Foshan"], x=[1200, 80], orientation="h"),
                    layout=dict(template=charts.TEMPLATE))
    fig.update_xaxes(title_text="Complaints")
    charts.reserve_margins(fig)
    # "Guangzhou Tianhe" at 15 px, letter by letter: G .699 u .617 a .573 n .62 g .574 z .485 h .617
    # o .616 u .617, space .29, T .609 i .285 a .573 n .62 h .617 e .564 = 8.976 em = 134.6 px (Chromium
    # draws it 131.2 px wide), and 24 px for the ticks and the room presentation mode's larger font
    # needs, rounded up: 159
    assert fig.layout.margin.l == 159
    # one line of tick labels (1.4 x 15 = 21), 14 for the ticks, the title 1.6 x 16 = 25.6: 61
    assert fig.layout.margin.b == 61
    # a number axis may end on the tick "1,200" (1 .565 , .288 2 .565 0 .565 0 .565 = 2.548 em =
    # 38.2 px): half of it past the plot's right edge and 12 px: 31.1, rounded up
    assert fig.layout.margin.r == 32
    fig.update_layout(margin=dict(l=300))
    assert charts.reserve_margins(fig).layout.margin.l == 300


def test_reserved_margins_reach_as_far_down_as_turned_labels():
    fig = go.Figure(go.Bar(x=["Guangzhou Tianhe", "Foshan"], y=[3, 1]), layout=dict(template=charts.TEMPLATE))
    fig.update_xaxes(title_text="Branch", tickangle=-45)
    charts.reserve_margins(fig)
    # "Guangzhou Tianhe" is 134.6 px at 15 px (above); turned 45° it reaches 134.6 x sin 45° = 95.2 px
    # down, and its line's 21 px height counts at cos 45°: 14.85; 14 for the ticks, the title 25.6:
    # 149.6, rounded up
    assert fig.layout.margin.b == 150
    fig.update_xaxes(tickangle=0)
    fig.update_layout(margin=dict(b=0))
    assert charts.reserve_margins(fig).layout.margin.b == 61


def test_drawn_once_writes_the_template_out_and_names_the_content():
    months = ["2026-01", "2026-02"]
    fig = charts.interval_trend(months, [-0.2, 0.1], [-0.35, 0.0], [-0.05, 0.2], [40, 50], title="t",
                                y_title="", language="en", value_format="polarity")
    fig.add_trace(go.Scatter(x=months, y=[3, 4], yaxis="y2"))
    drawn = charts.drawn_once(fig)
    layout = drawn.to_dict()["layout"]
    # no template reaches the browser (Plotly.react compares one by identity), not even plotly's default
    assert layout["template"] is None
    assert '"template":null' in pio.to_json(drawn, validate=False)
    # the template's settings are the figure's own now, its axis settings on every axis traces use
    assert layout["font"] == {"family": charts.FONT_FAMILY, "size": charts.FONT_SIZE, "color": charts.COLORS["ink"]}
    assert layout["yaxis"]["gridcolor"] == layout["yaxis2"]["gridcolor"] == charts.COLORS["grid"]
    assert layout["yaxis2"]["tickfont"] == {"size": 15}
    assert layout["xaxis"]["ticks"] == "outside" and layout["xaxis"]["showgrid"] is False
    # what the figure set itself wins over the template
    assert layout["margin"]["t"] == fig.layout.margin.t and layout["margin"]["r"] == 20
    # and the margins are reserved for the labels, as reserve_margins reserves them
    assert (layout["margin"]["l"], layout["margin"]["b"]) == (64, 82)
    assert layout["xaxis"]["type"] == "category"
    # the data revision changes exactly when the figure does
    assert charts.drawn_once(fig).layout.datarevision == drawn.layout.datarevision
    moved = go.Figure(fig)
    moved.data[-1].y = (3, 5)
    relabelled = go.Figure(fig)
    relabelled.update_xaxes(ticktext=["a", "b"])
    revisions = {charts.drawn_once(f).layout.datarevision for f in (fig, moved, relabelled)}
    assert len(revisions) == 3
    # a radar chart gets no cartesian axes
    radar = charts.drawn_once(charts.attribute_radar(ATTRIBUTES, title="t", now_label="Oct 2026",
                                                     vs_label="Sep 2026", language="en"))
    assert not {"xaxis", "yaxis"} & set(radar.to_dict()["layout"])


def test_reserved_margins_read_numbers_and_month_labels():
    months = ["2026-01", "2026-02"]
    fig = charts.interval_trend(months, [-0.2, 0.1], [-0.35, 0.0], [-0.05, 0.2], [40, 50], title="t",
                                y_title="", language="en", value_format="polarity")
    charts.reserve_margins(fig)
    # the widest number is −0.35: minus .62 (any other character) + 0 .565 + point .288 + 3 .565
    # + 5 .565 = 2.603 em = 39.05 px, and 24 px for the ticks, rounded up: 64
    assert fig.layout.margin.l == 64
    # two lines of month labels (the year under January) and the axis title: 42 + 14 + 25.6
    assert fig.layout.margin.b == 82
    hidden = charts.reserve_margins(charts.gap_model_diagram({}, title="t", language="en"))
    assert (hidden.layout.margin.l, hidden.layout.margin.b) == (0, 0)


def test_importance_performance_places_each_attribute_and_keeps_labels_apart():
    table = pd.DataFrame({"item_code": ["A", "B", "C", "D"], "attribute": ["Waiting time", "Fees", "Staff", "App"],
                          "importance": [4.4, 4.3, 3.0, 3.1], "satisfaction": [50.0, 51.0, 80.0, 52.0],
                          "n": [10] * 4, "quadrant": ["fix_first", "fix_first", "possible_overkill", "low_priority"]})
    grid = ImportancePerformance("stated", 3.7, 58.25, table)
    data = traces(charts.importance_performance(grid, title="t", x_title="x", language="en"))
    assert data["Fix first"]["x"] == [4.4, 4.3] and data["Fix first"]["y"] == [50.0, 51.0]
    # two close points get different label positions
    assert data["Fix first"]["textposition"][0] != data["Fix first"]["textposition"][1]


def test_empty_inputs_give_no_chart():
    empty = ATTRIBUTES.iloc[0:0]
    assert charts.attribute_radar(empty, title="t", now_label="a", vs_label="b", language="en") is None
    assert charts.group_nps(BRANCHES.iloc[0:0], "branch", title="t", language="en") is None


def test_group_nps_of_answers_that_name_no_group_is_no_chart():
    # a file without the column: one "(not given)" bar would only repeat the page's NPS
    unnamed = BRANCHES.iloc[0:1].assign(branch=[None])
    assert charts.group_nps(unnamed, "branch", title="t", language="en") is None
    both = pd.concat([unnamed, BRANCHES.iloc[1:2]], ignore_index=True)
    assert charts.group_nps(both, "branch", title="t", language="en").to_dict()["data"][0]["y"] == [
        "(not given)", "Xiamen Siming"]
    assert charts.nps_mix(pd.DataFrame({"month": [], "n": [], "score": [], "promoters": [], "passives": [],
                                        "detractors": []}), title="t", language="en") is None


@pytest.mark.parametrize("text, width, expected", [
    ("No attribute differs significantly from Sep 2026", 20, "No attribute differs<br>significantly from<br>Sep 2026"),
    ("优先改进：Problem resolution", 20, "优先改进：Problem<br>resolution"),
    ("负面占比最高：广州天河", 10, "负面占比最<br>高：广州天<br>河"),
])
def test_wrap_keeps_words_whole(text, width, expected):
    assert charts.wrap(text, width) == expected


def test_wrap_never_splits_an_n_or_starts_a_line_with_closing_punctuation():
    for width in range(8, 40):
        for text in ("median 17.9 h (n = 68)", "中位数 17.9 小时（n = 68），显著"):
            lines = charts.wrap(text, width).split("<br>")
            assert any("n = 68" in line for line in lines), (width, lines)
            assert not any(line[0] in "）)，" for line in lines), (width, lines)


def test_enlarged_charts_scale_every_font_and_the_height_but_not_the_data():
    fig = charts.count_trend(["2026-09", "2026-10"], [3, 5], title="Complaints", y_title="n", language="en")
    big = charts.enlarged(fig, 1.25).to_dict()
    small = fig.to_dict()
    assert big["data"][0]["y"] == small["data"][0]["y"] == [3, 5]
    assert big["layout"]["height"] == round(small["layout"]["height"] * 1.25)
    template = big["layout"]["template"]["layout"]
    assert template["font"]["size"] == charts.FONT_SIZE * 1.25
    assert template["title"]["font"]["size"] == charts.TITLE_SIZE * 1.25
    assert template["xaxis"]["tickfont"]["size"] == 15 * 1.25
    assert big["data"][0]["marker"] == small["data"][0]["marker"]  # a marker's size is not a font's


def test_enlarged_keeps_per_point_font_sizes_in_step():
    fig = charts.go.Figure(charts.go.Scatter(x=[1, 2], y=[1, 2], mode="text", text=["a", "b"],
                                             textfont=dict(size=[14, 17])))
    assert list(charts.enlarged(fig, 2).to_dict()["data"][0]["textfont"]["size"]) == [28, 34]


# --- month ticks and cause labels that never overlap (month_ticks, category_ticks) ----------------

TWELVE = ["2025-11", "2025-12"] + [f"2026-{m:02d}" for m in range(1, 11)]


@pytest.mark.parametrize("language, width, values, text", [
    # half width, 320 px for 12 months: 26.7 px each, labels at 20 px. '11月' is 2×0.565 + 1.02 =
    # 2.15 em = 43 px: neighbours need 43 + 12 > 26.7 (every month) and, every 2nd, '12月<br>2025年'
    # beside '2月<br>2026年' need 65.6 + 12 = 77.6 > 53.3 ('2025年' = 4×0.565 + 1.02 em = 65.6 px);
    # every 3rd: '1月<br>2026年' (65.6) beside '4月' (1.585 em = 31.7): 48.7 + 12 = 60.7 ≤ 80
    ("zh", 320, ["2026-01", "2026-04", "2026-07", "2026-10"], ["1月<br>2026年", "4月", "7月", "10月"]),
    # English: 'Dec<br>2025' beside 'Feb<br>2026' every 2nd: '2025' = 45.2 px, 45.2 + 12 = 57.2 > 53.3
    ("en", 320, ["2026-01", "2026-04", "2026-07", "2026-10"], ["Jan<br>2026", "Apr", "Jul", "Oct"]),
    # full width, 760 px: 63.3 px a month; 'Nov<br>2025' (45.2) beside 'Dec' (35.2): 40.2 + 12 fits
    ("en", 760, TWELVE, ["Nov<br>2025", "Dec", "Jan<br>2026", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                         "Sep", "Oct"]),
    # but '11月<br>2025年' (65.6) beside '12月' (43): 54.3 + 12 = 66.3 > 63.3, so every 2nd month
    ("zh", 760, TWELVE[1::2], ["12月<br>2025年", "2月<br>2026年", "4月", "6月", "8月", "10月"]),
])
def test_month_ticks_leave_room_between_labels(language, width, values, text):
    assert charts.month_ticks(TWELVE, language, width) == (values, text)


def test_the_latest_month_is_always_labelled_and_a_short_trend_keeps_every_month():
    assert charts.month_ticks(TWELVE[:5], "zh", 320)[0][-1] == "2026-03"
    assert charts.month_ticks(["2026-03", "2026-04"], "en", 320) == (["2026-03", "2026-04"], ["Mar<br>2026", "Apr"])


def test_a_half_width_trend_labels_every_third_month_in_chinese():
    frame = pd.DataFrame({"month": TWELVE, "mean": [0.1] * 12, "ci_low": [0.0] * 12, "ci_high": [0.2] * 12,
                          "n": [40] * 12})
    axis = charts.polarity_trend(frame, title="t", language="zh").to_dict()["layout"]["xaxis"]
    assert axis["tickvals"] == ["2026-01", "2026-04", "2026-07", "2026-10"]
    wide = charts.csi_trend(frame.rename(columns={"mean": "csi"}), title="t", language="zh", wide=True)
    assert len(wide.to_dict()["layout"]["xaxis"]["tickvals"]) == 6


CAUSES_ZH = ["手机银行故障", "收费问题", "等候时间长", "其他", "员工态度", "银行卡问题", "交易差错", "开户问题"]


@pytest.mark.parametrize("width, text, angle", [
    # 1200 px for 8: 150 px each; the longest, 6 characters × 1.02 em × 20 px = 122 px, + 12 fits
    (1200, CAUSES_ZH, 0),
    # 760 px: 95 px each; in two lines of 3 (61 px) each neighbour pair fits, 4 in one line (82 + 12)
    (760, ["手机银<br>行故障", "收费问题", "等候时<br>间长", "其他", "员工态度", "银行卡<br>问题", "交易差错", "开户问题"], 0),
    # 320 px: 40 px each, less than one character and a gap in three lines: turned instead
    (320, CAUSES_ZH, -45),
])
def test_cause_labels_wrap_or_turn_to_fit(width, text, angle):
    assert charts.category_ticks(CAUSES_ZH, width) == (text, angle)


def test_the_pareto_labels_its_causes_for_its_width():
    table = pd.DataFrame({"cause": CAUSES_ZH, "count": [23, 15, 9, 8, 8, 5, 5, 2]})
    table["cumulative"] = table["count"].cumsum() / table["count"].sum()
    table["vital_few"] = table["cumulative"] <= 0.8
    half = charts.pareto(table, title="t", language="zh", wide=False).to_dict()["layout"]["xaxis"]
    full = charts.pareto(table, title="t", language="zh").to_dict()["layout"]["xaxis"]
    assert (half["tickangle"], half["ticktext"]) == (-45, CAUSES_ZH)
    assert (full["tickangle"], full["ticktext"][0]) == (0, "手机银<br>行故障")
    assert half["tickvals"] == full["tickvals"] == CAUSES_ZH  # the bars stay on the causes as named


def test_the_slides_pareto_lists_its_causes_in_rows_with_their_cumulative_share():
    table = pd.DataFrame({"cause": ["App", "Fees", "Queue", "Card"], "count": [5, 3, 1, 1]})
    table["cumulative"] = table["count"].cumsum() / table["count"].sum()  # 5/10, 8/10, 9/10, 10/10
    table["vital_few"] = table["cumulative"] <= 0.8
    fig = charts.pareto_rows(table, title="2 of 4 causes make up 80% of complaints", language="en").to_dict()
    (bars,) = fig["data"]
    assert (bars["orientation"], list(bars["y"]), list(bars["x"])) == ("h", ["App", "Fees", "Queue", "Card"], [5, 3, 1, 1])
    assert list(bars["text"]) == ["5 · 50%", "3 · 80%", "1 · 90%", "1 · 100%"]
    assert bars["marker"]["color"] == [COLORS["current"]] * 2 + [COLORS["comparison"]] * 2
    # the most first at the top, no slanted names, no second axis, no legend
    layout = fig["layout"]
    assert layout["yaxis"]["autorange"] == "reversed" and "yaxis2" not in layout and layout["showlegend"] is False
    assert charts.pareto_rows(table.iloc[0:0], title="", language="en") is None


# A complaint system's export names many causes, some long (the US CFPB's published issue names).
LONG_CAUSES = ["Problem with a credit reporting company's investigation into an existing problem",
               "Incorrect information on your report", "Improper use of your report",
               "Attempts to collect debt not owed", "Managing an account"] + [f"Cause number {i}" for i in range(10)]


def long_pareto(counts=None):
    counts = counts or [40, 30, 20, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1, 1]   # 147 in all
    return pareto_table(zip(LONG_CAUSES, counts))


def test_a_pareto_of_many_causes_shows_twelve_and_the_others_as_one_bar():
    table = long_pareto()
    shown = charts.causes_shown(table, "en")
    assert shown["cause"].tolist() == LONG_CAUSES[:12] + ["Other causes (3)"]
    assert shown["count"].tolist() == [40, 30, 20, 10, 9, 8, 7, 6, 5, 4, 3, 2, 3]
    assert shown["cumulative"].iloc[-1] == 1.0 and shown["share"].iloc[-1] == pytest.approx(3 / 147)
    assert not shown["vital_few"].iloc[-1]
    assert charts.causes_shown(table, "zh")["cause"].iloc[-1] == "其他原因（3 个）"
    # thirteen causes are shown whole: one "other" bar would stand for a single cause
    assert charts.causes_shown(table.iloc[:13], "en")["cause"].tolist() == LONG_CAUSES[:13]
    figure = charts.pareto(table, title="t", language="en")
    fig, bars = figure.to_dict(), traces(figure)["Complaints"]
    assert list(bars["y"]) == [40, 30, 20, 10, 9, 8, 7, 6, 5, 4, 3, 2, 3]
    # turned under thirteen narrow bars, each name is cut to 36 columns; the hover text keeps it whole
    axis = fig["layout"]["xaxis"]
    assert axis["tickangle"] == -45
    assert axis["ticktext"][0] == "Problem with a credit reporting com…"
    assert max(len(t) for t in axis["ticktext"]) <= 36
    assert bars["hovertext"][0] == LONG_CAUSES[0]
    rows = traces(charts.pareto_rows(table, title="t", language="en"))["Complaints"]
    assert len(rows["y"]) == 13 and rows["y"][-1] == "Other causes (3)"


def pareto_table(pairs):
    from analytics.complaints import pareto
    return pareto(list(pairs))


def test_a_name_is_cut_at_its_columns_with_an_ellipsis():
    assert charts.clipped("Managing an account", 36) == "Managing an account"
    assert charts.clipped("Attempts to collect debt not owed", 12) == "Attempts to…"
    assert charts.clipped("信用报告公司对现有问题的调查存在问题", 12) == "信用报告公…"   # a character is 2 columns
    assert charts.clipped("A, b", 3) == "A…"


def test_the_rising_chart_shows_every_significant_cause_then_the_largest():
    causes = [f"Cause {i}" for i in range(16)]
    table = pd.DataFrame({"cause": causes, "count_now": [30, 2, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12],
                          "count_before": [5, 20, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 1]})
    table["share_now"] = table["count_now"] / table["count_now"].sum()
    table["share_before"] = table["count_before"] / table["count_before"].sum()
    table["significant"] = [True, True] + [False] * 13 + [True]
    shown = charts.rising_shown(table)
    # the three significant ones, and the nine others with the most complaints (Cause 2 … Cause 10)
    assert shown["cause"].tolist() == causes[:11] + ["Cause 15"]
    figure = charts.rising_causes(table, title="t", now_label="Apr", vs_label="Mar", language="en")
    assert sorted(traces(figure)["Apr"]["y"]) == sorted(causes[:11] + ["Cause 15"])
    assert figure.to_dict()["layout"]["title"]["subtitle"]["text"].replace("<br>", " ").endswith(
        "two periods' counts); 4 more causes, none with a significant change, are not shown")


@pytest.mark.parametrize("language, summaries", [
    ("en", {"gap1": ("−0.08 points (10 items)", "bad"), "gap2": ("8 of 8 standards fall short", "bad"),
            "gap3": ("7 of 8 standards fall short", "bad"), "gap4": ("7 of 8 standards fall short", "bad"),
            "gap5": ("−0.39 points (n = 36)", "bad")}),
    ("zh", {"gap1": ("−0.08 分（10 个题项）", "bad"), "gap2": ("8 项标准中 8 项未达到", "bad"),
            "gap3": ("8 项标准中 7 项未达到", "bad"), "gap4": ("8 项标准中 7 项未达到", "bad"),
            "gap5": ("−0.39 分（n = 36）", "bad")}),
])
def test_the_gap_diagrams_boxes_fit_their_words_and_nothing_meets(language, summaries):
    at = charts.gap_model_layout(language, summaries)
    # each box is wider than its longest line and taller than its lines at the size presentation mode
    # draws them (15 px × 1.25; Plotly sets lines 1.3 em apart)
    for name, (x0, y0, x1, y1) in at["boxes"].items():
        lines = at["words"][name].split("<br>")
        assert x1 - x0 > max(charts._text_width(line, 18.75) for line in lines)
        assert y1 - y0 > len(lines) * 18.75 * 1.3
    # no two of the boxes and the gaps' words overlap
    blocks = list(at["boxes"].items()) + list(at["label_boxes"].items())
    for i, (a, (ax0, ay0, ax1, ay1)) in enumerate(blocks):
        for b, (bx0, by0, bx1, by1) in blocks[i + 1:]:
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, (a, b)
    # drawn at one scale in x and y: a short figure shrinks the drawing whole, never squeezes it
    layout = charts.gap_model_diagram(summaries, title="t", language=language).to_dict()["layout"]
    assert (layout["yaxis"]["scaleanchor"], layout["yaxis"]["scaleratio"]) == ("x", 1)
    assert layout["xaxis"]["range"][1] == pytest.approx(at["width"])
    assert layout["yaxis"]["range"] == [0, pytest.approx(at["height"])]


# A slide's charts follow its words: 1.25 at the projector's 24-px rem; at 1280×800 a rem is
# min(800 / 45, 1280 / 80) = 16 px, so 1.25 × 16 / 24; at 1440×900, min(20, 18) = 18 px.
@pytest.mark.parametrize("rem, factor", [(None, 1.25), (24, 1.25), (16, 1.25 * 16 / 24), (18, 0.9375)])
def test_a_slides_charts_are_enlarged_as_much_as_its_words(rem, factor):
    assert charts.slide_enlargement(rem) == pytest.approx(factor)


def test_a_gap_5_is_red_or_green_only_where_its_interval_excludes_0():
    # reliability's interval lies below 0 (red), tangibles' above (green), assurance's holds 0 (grey)
    dimensions = pd.DataFrame({"dimension": ["reliability", "tangibles", "assurance"],
                               "expectation": [6.2, 5.7, 6.0], "perception": [5.4, 6.0, 5.7],
                               "gap": [-0.8, 0.3, -0.3], "ci_low": [-1.2, 0.1, -0.7], "ci_high": [-0.4, 0.5, 0.1]})
    gap = Gap5Result(pd.DataFrame(), dimensions, overall=-0.27, n=40)
    fig = charts.gap5_dimensions(gap, title="", language="en").to_dict()
    colors = {y: trace["line"]["color"] for trace in fig["data"] if trace.get("mode") == "lines"
              for y in trace["y"] if y is not None}
    rows = fig["layout"]["yaxis"]["categoryarray"]   # the rows in the table's order
    assert [colors[row] for row in rows] == [COLORS["bad"], COLORS["good"], COLORS["neutral"]]
    (gaps,) = [trace for trace in fig["data"] if trace.get("mode") == "text"]
    assert list(gaps["text"]) == ["  −0.80", "  +0.30", "  −0.30"]
    assert list(gaps["textfont"]["color"]) == [COLORS["bad"], COLORS["good"], COLORS["neutral"]]


def test_a_rising_causes_marker_follows_the_tested_count_not_the_share():
    # every cause grew: App 10 → 25 complaints (significant by the count test) while its share fell
    # from 10/50 = 20% to 25/139 = 18.0%; Fees 40 → 114, not marked. The arrow is App's count: ▲, red
    table = pd.DataFrame({"cause": ["App", "Fees"], "count_now": [25, 114], "count_before": [10, 40],
                          "share_now": [25 / 139, 114 / 139], "share_before": [0.2, 0.8],
                          "significant": [True, False]})
    fig = charts.rising_causes(table, title="t", now_label="Oct 2026", vs_label="Sep 2026", language="en")
    data = fig.to_dict()["data"]
    now = next(t for t in data if t.get("name") == "Oct 2026")
    assert dict(zip(now["y"], now["text"])) == {"App": "▲", "Fees": ""}
    lines = [t for t in data if t.get("mode") == "lines"]
    assert {y: t["line"]["color"] for t in lines for y in t["y"] if y is not None} == {
        "App": COLORS["bad"], "Fees": COLORS["passive"]}


def test_each_rows_line_is_drawn_in_one_trace_per_colour():
    # four items: two short (red), one clear (grey), one over (green); each row's line runs from its
    # expectation to its perception, the rows of a colour apart (None) in one trace
    items = pd.DataFrame({"item_text": ["Clean", "Quick", "Polite", "Open late"],
                          "expectation": [6.0, 6.5, 5.0, 5.5], "perception": [5.0, 6.0, 5.5, 5.4],
                          "gap": [-1.0, -0.5, 0.5, -0.1], "ci_low": [-1.5, -0.9, 0.2, -0.4],
                          "ci_high": [-0.5, -0.1, 0.8, 0.2]})
    fig = charts.gap5_items(Gap5Result(items, pd.DataFrame(), overall=-0.3, n=40), title="t",
                            language="en").to_dict()
    lines = {trace["line"]["color"]: (list(trace["x"]), list(trace["y"]))
             for trace in fig["data"] if trace.get("mode") == "lines"}
    assert lines == {COLORS["bad"]: ([6.0, 5.0, None, 6.5, 6.0], ["Clean", "Clean", None, "Quick", "Quick"]),
                     COLORS["good"]: ([5.0, 5.5], ["Polite", "Polite"]),
                     COLORS["neutral"]: ([5.5, 5.4], ["Open late", "Open late"])}
    assert fig["layout"]["yaxis"]["categoryarray"] == ["Clean", "Quick", "Polite", "Open late"]


def test_masking_a_chart_masks_its_category_order_as_its_rows():
    causes = pd.DataFrame({"cause": ["Call 13812345678 back", "Fees"], "count_now": [5, 9], "count_before": [4, 9],
                           "share_now": [5 / 14, 9 / 14], "share_before": [4 / 13, 9 / 13], "significant": [False, False]})
    fig = charts.masked(charts.rising_causes(causes, title="t", now_label="now", vs_label="before",
                                             language="en")).to_dict()
    rows = fig["layout"]["yaxis"]["categoryarray"]
    assert "13812345678" not in " ".join(rows)
    assert set(rows) == {y for trace in fig["data"] for y in trace["y"] if y is not None}


def pareto_labels(counts):
    """(where each count is written, each cumulative share's label shift) of a Pareto of `counts`."""
    figure = charts.pareto(pareto_table(zip(["App", "Fees", "Queue", "Card"], counts)), title="t", language="en")
    bars = traces(figure)["Complaints"]
    return list(bars["textposition"]), [a["yshift"] for a in figure.to_dict()["layout"]["annotations"]]


def test_a_cumulative_share_never_covers_a_bars_count():
    # the counts' axis reaches 1.18 × the tallest bar, the shares' 112%: here Fees' bar top (90 / 118
    # = 0.763 of the plot) and its share point (190 / 222 = 85.6%, 0.764) are one height, and the
    # line and point would cross its count: the count is written inside the bar, the share above
    assert pareto_labels([100, 90, 32]) == (["outside", "inside", "outside"], [16, 16, 16])
    # Fees' point a little under its bar's top (190 / 238 = 79.8%, 0.713 against 0.763): the share
    # above the point would cover the count above the bar, so it is written under the point
    assert pareto_labels([100, 90, 48]) == (["outside", "outside", "outside"], [16, -16, 16])
    # points far from their bars' tops: every count above its bar, every share above its point
    assert pareto_labels([50, 30, 15, 5]) == (["outside"] * 4, [16] * 4)
    # a count inside its bar is white on the vital few's dark bar
    figure = charts.pareto(pareto_table(zip(["App", "Fees", "Queue"], [100, 90, 32])), title="t", language="en")
    assert traces(figure)["Complaints"]["textfont"]["color"] == [COLORS["ink"], "white", COLORS["ink"]]
