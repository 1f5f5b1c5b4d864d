"""Themes: texts grouped by what they are about in both languages, named by their top words, labels
kept when edited; on the demo data the planted rising cause (mobile-app complaints) is a rising theme."""
from __future__ import annotations

import pickle
from datetime import date, datetime

import pandas as pd
import pytest

from analytics.filters import Filters
from analytics.sentiment import rising_themes, themes_by_sentiment
from conftest import copy_demo_store
from loaders import learning
from loaders.importer import import_file, undo
from loaders.learning import refresh_themes_if_due
from store import themes as store_themes
from store.db import connect
from store.themes import rename_theme, save_theme_model, save_themes, theme_list
from text.causes import theme_causes
from text.model_format import THEME_FORMAT, format_of
from text.themes import ThemeModel, Themes, find_themes, fit_themes
from text.tokens import one_script

# four topics, two per language, 40 texts each: each text a topic's words and its own number
TOPICS = {
    "app": ["The mobile app crashes at login", "Login to the mobile app fails", "The app crashes when I log in"],
    "queue": ["Long queue at the branch counter", "Only one counter open, long queue", "The branch queue was long"],
    "手机银行": ["手机银行登录闪退", "手机银行一登录就闪退", "登录手机银行总是闪退"],
    "排队": ["网点排队时间长", "网点只开一个窗口排队", "排队等窗口等了很久"],
}


def test_texts_of_one_topic_share_a_theme_and_topics_differ():
    texts, topic_of = [], []
    for topic, phrasings in TOPICS.items():
        for i in range(40):
            texts.append(f"{phrasings[i % 3]} #{i}")
            topic_of.append(topic)
    found = find_themes(texts)
    assert len(found.names) == 160 // 40
    by_topic = {topic: {found.assignment[i] for i, t in enumerate(topic_of) if t == topic} for topic in TOPICS}
    assert all(len(themes) == 1 for themes in by_topic.values())
    assert len({next(iter(themes)) for themes in by_topic.values()}) == 4
    # named by the topic's own words (jieba cuts 手机银行 into 手机, 银行)
    names = {topic: set(found.names[next(iter(by_topic[topic]))]) for topic in TOPICS}
    assert names["app"] == {"app", "login", "mobile"} and names["手机银行"] == {"登录", "手机", "银行"}


def test_signs_alone_and_non_answers_have_no_theme():
    # 80 texts of two topics, and 40 of WeChat codes, emoji and remarks that answer nothing: before,
    # the codes were read as Chinese ("[强][强]" a text of the word 强) and took a theme of their own
    texts = [f"{TOPICS['app'][i % 3]} #{i}" for i in range(40)] + [f"{TOPICS['排队'][i % 3]} #{i}" for i in range(40)]
    signs = ["[强][强]", "[强]", "[抓狂][抓狂]", "👍👍", "No comment.", "同上", "暂无意见", "[怒]"] * 5
    found = find_themes(texts + signs)
    assert found.assignment[80:] == [None] * 40
    assert all(theme is not None for theme in found.assignment[:80]) and len(found.names) == 2
    assert not any("强" in word or "抓狂" in word for name in found.names for word in name)


def test_an_edited_label_stays_for_the_same_top_words(con):
    texts = ["a", "b"]
    save_themes(con, texts, Themes([0, 1], [["app", "login"], ["queue", "counter"]]))
    rename_theme(con, 0, "Mobile app")
    save_themes(con, texts + ["c"], Themes([1, 0, 0], [["queue", "counter"], ["app", "login"]]))
    assert theme_list(con) == [(0, "queue · counter", ["queue", "counter"], False),
                               (1, "Mobile app", ["app", "login"], True)]


def test_a_chinese_theme_is_named_by_its_chinese_words():
    """40 Chinese texts, all about the app: 30 of '新版APP总是卡顿' (app, 新版, 总是) and 10 of
    'APP新版一直卡顿' (app, 新版, 一直); 卡顿 is a sentiment word and left out. One theme (40 // 40).
    TF-IDF (smooth idf = ln(41 / (1 + df)) + 1): app and 新版 1 (in every text), 总是 ln(41/31) + 1
    = 1.280, 一直 ln(41/11) + 1 = 2.316. Each text's weights at unit length: the first kind's app and
    新版 1/1.907 = 0.524, 总是 1.280/1.907 = 0.671; the second's app and 新版 1/2.713 = 0.369, 一直
    2.316/2.713 = 0.853. The centre: 总是 30 × 0.671 / 40 = 0.503, app and 新版 (30 × 0.524 + 10 × 0.369)
    / 40 = 0.485, 一直 10 × 0.853 / 40 = 0.213. The three heaviest words are 总是, app, 新版: the name
    takes the three heaviest Chinese ones instead."""
    texts = [f"{'APP新版一直卡顿' if i % 4 == 3 else '新版APP总是卡顿'} #{i}" for i in range(40)]
    assert find_themes(texts).names == [["总是", "新版", "一直"]]


@pytest.mark.parametrize("words, language, expected", [
    (["app", "总是", "新版", "一直"], "zh", ["总是", "新版", "一直"]),
    (["app", "总是", "login"], "en", ["app", "login"]),
    (["app", "login"], "zh", ["app", "login"]),          # no Chinese word: one script still, the first's
    (["总是", "app", "新版"], None, ["总是", "新版"]),     # no language: the first word's
    ([], "zh", []),
])
def test_one_script(words, language, expected):
    assert one_script(words, language) == expected


def test_a_derived_cause_pairs_its_word_with_one_of_its_language():
    # 排队 leads all five texts (5 > 3 > 2); beside it atm three times, 窗口 twice: the name takes 窗口
    assert set(theme_causes(["排队 ATM"] * 3 + ["排队 窗口"] * 2)) == {"排队 / 窗口"}


def test_the_themes_carry_their_words_and_the_label_given_them(con):
    texts = ["The mobile app crashes", "Long queue at the counter", "网点排队时间长"]
    con.execute("INSERT INTO nps_response (batch_id, row_no, responded_at, score, comment, sentiment)"
                " SELECT uuid(), 1, TIMESTAMP '2026-01-05', 9, unnest(?), -0.5", [texts])
    save_themes(con, texts, Themes([0, 1, 2], [["app", "mobile"], ["queue", "counter"], ["排队", "网点"]]))
    rename_theme(con, 2, "Queues in branches")
    found = themes_by_sentiment(con, None, "nps")
    assert [(theme, None if pd.isna(label) else label, n) for theme, label, n in
            found[["theme", "theme_label", "n"]].itertuples(index=False)] == [
        ("app · mobile", None, 1), ("queue · counter", None, 1), ("排队 · 网点", "Queues in branches", 1)]


def _themed_month_texts(con) -> None:
    """October: "app crash" three times (-0.5, -0.3, -0.1), "queue long" once (0.4), a text of no theme
    once; September: "app crash" once, "queue long" twice; themes app, queue and fees (no text)."""
    rows = [("2026-10-03", "app crash", -0.5), ("2026-10-04", "app crash", -0.3), ("2026-10-05", "app crash", -0.1),
            ("2026-10-06", "queue long", 0.4), ("2026-10-07", "a text of no theme", -0.9),
            ("2026-09-03", "app crash", -0.2), ("2026-09-04", "queue long", 0.1), ("2026-09-05", "queue long", 0.3)]
    for day, text, polarity in rows:
        con.execute("INSERT INTO nps_response (batch_id, row_no, responded_at, score, comment, sentiment)"
                    " VALUES (uuid(), 1, CAST(? AS TIMESTAMP), 5, ?, ?)", [day, text, polarity])
    save_themes(con, ["app crash", "queue long"], Themes([0, 1], [["app"], ["queue"], ["fees"]]))


OCTOBER = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
SEPTEMBER = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))


def test_a_months_themes_count_its_themed_texts_by_hand(con):
    _themed_month_texts(con)
    found = themes_by_sentiment(con, OCTOBER, "nps")
    # app: n 3, mean -0.3, sd sqrt((0.04 + 0 + 0.04) / 2) = 0.2, all three negative; queue: n 1, positive
    assert found[["theme", "n", "negative_share", "positive_share"]].values.tolist() == [
        ["app", 3, 1.0, 0.0], ["queue", 1, 0.0, 1.0]]
    assert found["mean"].tolist() == pytest.approx([-0.3, 0.4])
    rising = rising_themes(con, OCTOBER, SEPTEMBER, "nps")
    # themed texts: 4 now, 3 before; app 3/4 against 1/3 (rise 5/12), fees 0 and 0, queue 1/4 against 2/3
    assert rising[["theme", "count_now", "count_before"]].values.tolist() == [
        ["app", 3, 1], ["fees", 0, 0], ["queue", 1, 2]]
    assert rising["total_now"].tolist() == [4, 4, 4] and rising["total_before"].tolist() == [3, 3, 3]
    assert rising["share_now"].tolist() == pytest.approx([0.75, 0.0, 0.25])
    assert rising["share_before"].tolist() == pytest.approx([1 / 3, 0.0, 2 / 3])


def test_rising_themes_are_judged_as_a_family_by_benjamini_hochberg(con):
    """Five themes, 100 themed texts in October and 100 in September (counts now, before): app 20, 10;
    fees 30, 12; queue 40, 66; staff 10, 12; atm 0, 0 (no test: no member of the family, m = 4).
    Two-proportion z-tests on the pooled share (z = Δ / sqrt(p̂(1 − p̂)(1/100 + 1/100)), p = erfc(|z|/√2)):
    app p̂ 0.15, z = 0.10 / 0.0504975 = 1.98030, p = 0.047670; fees p̂ 0.21, z = 0.18 / 0.0576021 =
    3.12489, p = 0.0017787; queue p̂ 0.53, z = -0.26 / 0.0705833 = -3.68359, p = 0.00022997; staff
    p̂ 0.11, z = -0.02 / 0.0442493 = -0.45198, p = 0.65128. Benjamini–Hochberg, ranked by p: queue
    4/1 × 0.00022997 = 0.00091988, fees 4/2 × 0.0017787 = 0.0035575, app 4/3 × 0.047670 = 0.063561,
    staff 4/4 × 0.65128. Fees rose (q < 0.05, share up); app's p is under 0.05 but its q is not: one
    of four tests, it is not called rising; queue's q is small but its share fell."""
    counts = {"app": (20, 10), "fees": (30, 12), "queue": (40, 66), "staff": (10, 12)}
    rows = [(day, f"{theme} text") for theme, (now, before) in counts.items()
            for day, k in (("2026-10-10", now), ("2026-09-10", before)) for _ in range(k)]
    con.execute("INSERT INTO nps_response (batch_id, row_no, responded_at, score, comment, sentiment)"
                " SELECT uuid(), 1, CAST(r.day AS TIMESTAMP), 8, r.text, 0.0 FROM (SELECT unnest(?) AS day,"
                " unnest(?) AS text) r", [[day for day, _ in rows], [text for _, text in rows]])
    save_themes(con, [f"{theme} text" for theme in counts], Themes([0, 1, 2, 3], [["app"], ["fees"], ["queue"],
                                                                                   ["staff"], ["atm"]]))
    rising = rising_themes(con, OCTOBER, SEPTEMBER, "nps").set_index("theme")
    assert rising.loc[["app", "fees", "queue", "staff"], "p_value"].tolist() == pytest.approx(
        [0.047670, 0.0017787, 0.00022997, 0.65128], rel=1e-4)
    assert rising.loc[["app", "fees", "queue", "staff"], "q_value"].tolist() == pytest.approx(
        [0.063561, 0.0035575, 0.00091988, 0.65128], rel=1e-4)
    assert pd.isna(rising.loc["atm", "p_value"]) and pd.isna(rising.loc["atm", "q_value"])
    assert rising.index[rising["rising"]].tolist() == ["fees"]


@pytest.fixture(scope="module")
def demo_con(demo_master, tmp_path_factory):
    con = connect(copy_demo_store(demo_master, tmp_path_factory.mktemp("themes")))
    yield con
    con.close()


APP_WORDS = {"app", "mobile", "手机", "手机银行"}


def _about_the_app(label: str) -> bool:
    return bool(APP_WORDS & set(label.split(" · ")))


def test_the_demo_planted_rising_cause_is_the_top_rising_theme(demo_con):
    # loaders/demo.py: "Mobile app problems" complaints rise over the last four months
    recent = Filters(date_from=date(2026, 7, 1), date_to=date(2026, 10, 31))
    before = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 6, 30))
    rising = rising_themes(demo_con, recent, before, "complaint")
    top = rising.iloc[0]
    assert _about_the_app(top["theme"]) and top["rising"], rising


# The demo's comments disagree with their writer's score as often as real ones do (loaders/demo.py
# DISCORDANT_SHARE); the learned model must still read complaints, in words its comments never held,
# by the baseline rather than by the comments' prior (text/learned.py known_share).
def test_the_demos_rising_app_complaints_read_negative(demo_con):
    recent = Filters(date_from=date(2026, 7, 1), date_to=date(2026, 10, 31))
    before = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 6, 30))
    top = rising_themes(demo_con, recent, before, "complaint").iloc[0]
    themes = themes_by_sentiment(demo_con, recent, "complaint")
    app = themes[themes["theme"] == top["theme"]].iloc[0]
    assert app["negative_share"] > 0.5        # complaints about the app read negative


def test_themes_are_not_found_again_before_the_texts_grow(demo_con):
    assert not refresh_themes_if_due(demo_con)


def test_the_reviews_most_common_theme_is_the_months_top_theme(demo_con):
    from analytics.review import representative_verbatims

    october = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    top = themes_by_sentiment(demo_con, october, "complaint").iloc[0]
    theme = [v for v in representative_verbatims(demo_con, october) if v.kind == "common_theme"][0]
    assert (theme.theme_from, theme.theme, theme.theme_count) == ("theme", top["theme"], top["n"])
    assert theme.theme_n == int(themes_by_sentiment(demo_con, october, "complaint")["n"].sum())
    # its quote is one of the theme's complaints
    assert demo_con.execute("SELECT theme_id FROM text_theme WHERE text = ?", [theme.text]).fetchone()[0] == top["theme_id"]


@pytest.mark.slow
def test_themes_placed_a_chunk_at_a_time_are_those_found_at_once(con, monkeypatch):
    """A store's themes: found on a sample of its texts, then every text placed in its nearest theme,
    a few at a time (three here). With every text in the sample, each text's theme is the one
    find_themes gives them all at once."""
    texts = sorted(f"{TOPICS[topic][i % 3]} #{i}" for topic in TOPICS for i in range(40))
    monkeypatch.setattr(store_themes, "THEME_CHUNK", 3)
    con.execute("CREATE TEMP TABLE some_texts AS SELECT unnest(?) AS text", [texts])
    assert save_theme_model(con, fit_themes(texts), "SELECT text FROM some_texts") == 160
    at_once = find_themes(texts)
    placed = dict(con.execute("SELECT text, theme_id FROM text_theme").fetchall())
    assert placed == dict(zip(texts, at_once.assignment))
    assert [r[2] for r in theme_list(con)] == at_once.names


def test_a_theme_sample_smaller_than_the_texts_places_every_text(con, monkeypatch):
    """Themes found on 200 of the 400 texts (the cap lowered to 200, about 100 a language: two themes
    a language, TEXTS_PER_THEME 40): every text is placed, and the four topics land in four themes."""
    monkeypatch.setattr(learning, "MAX_THEME_TEXTS", 200)
    topic_of = {}
    rows = []
    for topic, phrasings in TOPICS.items():
        for i in range(100):
            text = f"{phrasings[i % 3]} #{i}"
            topic_of[text] = topic
            rows.append(text)
    con.execute("INSERT INTO nps_response (batch_id, row_no, responded_at, score, comment)"
                " SELECT uuid(), 1, TIMESTAMP '2026-01-05', 9, unnest(?)", [rows])
    assert refresh_themes_if_due(con)
    placed = dict(con.execute("SELECT text, theme_id FROM text_theme").fetchall())
    assert set(placed) == set(rows)
    assert con.execute("SELECT texts FROM theme LIMIT 1").fetchone()[0] == 400
    by_topic = {topic: {placed[t] for t in rows if topic_of[t] == topic} for topic in TOPICS}
    assert all(len(themes) == 1 for themes in by_topic.values())
    assert len({next(iter(themes)) for themes in by_topic.values()}) == 4


def test_the_themes_due_check_gives_the_distinct_counts_answer(con, monkeypatch):
    """Themes are found again at 25% more distinct texts than the last run grouped: after each change
    refresh_themes_if_due answers as the distinct count by hand does, counted or not."""
    texts = [f"{phrasings[i % 3]} #{i}" for phrasings in TOPICS.values() for i in range(10)]   # 40 distinct

    def nps_comments(comments):
        con.execute("INSERT INTO nps_response (batch_id, row_no, responded_at, score, comment)"
                    " SELECT uuid(), 1, TIMESTAMP '2026-01-05', 9, unnest(?)", [comments])

    nps_comments(texts)
    assert refresh_themes_if_due(con)                          # the first themes: 40 texts, the next at 50
    steps = [
        (lambda: nps_comments([f"new {i}" for i in range(5)] + texts[:5]), 45),     # 5 repeats count once
        (lambda: nps_comments(texts[5:20]), 45),
        (lambda: nps_comments([f"new {i}" for i in range(5, 9)]), 49),
        (lambda: con.execute("INSERT INTO complaint (batch_id, row_no, received_at, description)"
                             " VALUES (uuid(), 1, TIMESTAMP '2026-01-05', 'new 9')"), 50),
    ]
    for change, distinct in steps:
        change()
        assert learning.distinct_texts(con) == distinct
        assert refresh_themes_if_due(con) == (distinct >= 50)
    assert con.execute("SELECT max(texts) FROM theme").fetchone()[0] == 50


# -- each import's new texts placed in the stored themes ------------------------------------------

def _nps_file(folder, name: str, rows: list[tuple[int, str | None]]):
    """An NPS file of (score, comment) rows, one customer and day each; scores 7 and 8 label nothing,
    so no sentiment model is trained beside the themes."""
    lines = ["客户编号,日期,推荐得分,评论"]
    lines += [f'C{name}{i},2026-03-{1 + i % 28:02d},{score},"{comment or ""}"' for i, (score, comment) in enumerate(rows)]
    path = folder / f"{name}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _topic_texts(numbers) -> dict[str, str]:
    return {f"{phrasings[i % 3]} #{i}": topic for topic, phrasings in TOPICS.items() for i in numbers}


def _themes_of(con) -> dict[str, int]:
    return dict(con.execute("SELECT text, theme_id FROM text_theme").fetchall())


def _first_themes(con, folder) -> dict[str, str]:
    """160 texts, 40 a topic (two topics a language: two themes a language, TEXTS_PER_THEME 40)."""
    first = _topic_texts(range(40))
    import_file(con, _nps_file(folder, "first", [(8, text) for text in first]), kind="nps")
    return first


def test_an_import_below_the_refit_share_places_its_new_texts_in_the_stored_themes(con, tmp_path):
    first = _first_themes(con, tmp_path)
    found = con.execute("SELECT theme_id, found_at, texts, top_words FROM theme ORDER BY theme_id").fetchall()
    assert len(found) == 4 and {row[2] for row in found} == {160}
    assert con.execute("SELECT version, texts FROM theme_model").fetchall() == [(1, 160)]
    theme_of_topic = {topic: {t for text, t in _themes_of(con).items() if first[text] == topic} for topic in TOPICS}
    assert all(len(themes) == 1 for themes in theme_of_topic.values())
    # 20 new texts (5 a topic) and 3 the store holds: 160 → 180 distinct, 12.5% more, under the 25% refit
    new = _topic_texts(range(100, 105))
    import_file(con, _nps_file(tmp_path, "second", [(7, text) for text in [*new, *list(first)[:3]]]), kind="nps")
    assert con.execute("SELECT theme_id, found_at, texts, top_words FROM theme ORDER BY theme_id").fetchall() == found
    assert con.execute("SELECT version, texts FROM theme_model").fetchall() == [(1, 160)]
    themes = _themes_of(con)
    assert len(themes) == 180
    # each new text is in its topic's theme, as the texts the themes were found on
    assert {text: themes[text] for text in new} == {text: next(iter(theme_of_topic[topic])) for text, topic in new.items()}
    # and the sentiment page's themes count them: 45 texts a topic, one NPS row each, and the app
    # topic's first three texts (the repeats) a second row each
    assert sorted(themes_by_sentiment(con, None, "nps")["n"].tolist()) == [45, 45, 45, 48]


@pytest.mark.slow
def test_undoing_an_import_whose_texts_were_placed_leaves_the_other_themes(con, tmp_path):
    first = _first_themes(con, tmp_path)
    before = _themes_of(con)
    page_before = themes_by_sentiment(con, None, "nps")
    second = import_file(con, _nps_file(tmp_path, "second", [(7, text) for text in _topic_texts(range(100, 105))]),
                         kind="nps")
    undo(con, second.batch_id)
    after = _themes_of(con)
    assert {text: after[text] for text in first} == before
    assert len(con.execute("SELECT * FROM theme").fetchall()) == 4
    assert con.execute("SELECT version FROM theme_model").fetchall() == [(1,)]
    # a theme kept for a text no row holds now is counted by nothing: the figures are those before
    pd.testing.assert_frame_equal(themes_by_sentiment(con, None, "nps"), page_before)


@pytest.mark.slow
def test_an_import_without_new_texts_does_not_load_the_theme_model(con, tmp_path, monkeypatch):
    first = _first_themes(con, tmp_path)
    loaded = []

    def latest(con):
        loaded.append(True)
        return store_themes.latest_theme_model(con)

    monkeypatch.setattr(learning, "latest_theme_model", latest)
    import_file(con, _nps_file(tmp_path, "scores", [(7, None), (8, None)]), kind="nps")           # no text
    import_file(con, _nps_file(tmp_path, "again", [(7, text) for text in list(first)[:5]]), kind="nps")  # none new
    assert loaded == []
    import_file(con, _nps_file(tmp_path, "new", [(7, "Long queue at the branch counter #200")]), kind="nps")
    assert loaded == [True]


def test_themes_without_a_stored_model_are_found_again_at_the_next_import(con, tmp_path):
    """A store's themes from before the model was kept (upgrade 17), or given without it: no new text
    could be placed in them, so the next import finds them again, however few its texts."""
    first = _first_themes(con, tmp_path)
    save_themes(con, list(first), Themes([0] * len(first), [["old"]]))
    assert con.execute("SELECT count(*) FROM theme_model").fetchone()[0] == 0
    import_file(con, _nps_file(tmp_path, "one", [(7, "Long queue at the branch counter #200")]), kind="nps")
    assert con.execute("SELECT version, texts FROM theme_model").fetchall() == [(1, 161)]
    assert len(_themes_of(con)) == 161 and len(theme_list(con)) == 4


@pytest.mark.slow
def test_a_theme_models_format_is_read_without_loading_it():
    texts = [f"{TOPICS[topic][i % 3]} #{i}" for topic in TOPICS for i in range(40)]
    blob = fit_themes(texts).to_bytes()
    assert format_of(blob) == THEME_FORMAT
    assert ThemeModel.from_bytes(blob).assign(texts) == find_themes(texts).assignment
    assert ThemeModel.from_bytes(pickle.dumps((THEME_FORMAT - 1, None))) is None


# -- the themes by month (store schema.sql theme_month) ------------------------------------------------

def _themed_months(con) -> None:
    """Texts of three sources over four months (August to November 2026) in three batches, two
    branches; themes app, queue and fees found for them (every batch then listed in theme_batch)."""
    import dbrows

    texts = {"app": ["app crash", "app login fails"], "queue": ["queue long", "long queue again"],
             "fees": ["fees too high"]}
    flat = [(theme, text) for theme, group in texts.items() for text in group]
    with dbrows.together(con):
        for k in range(24):
            month = 8 + k % 4
            theme, text = flat[k % len(flat)]
            branch = ("North", "South")[k % 2]
            when = f"2026-{month:02d}-{1 + k:02d}"
            polarity = round(-0.9 + 0.08 * k, 2)
            if k % 3 == 0:
                dbrows.nps(con, [k % 11], comment=text, sentiment=polarity, branch=branch,
                           responded_at=date.fromisoformat(when), batch_id="nps-a" if k < 12 else "nps-b")
            elif k % 3 == 1:
                dbrows.complaints(con, [{"description": text, "sentiment": polarity, "branch": branch,
                                         "received_at": date.fromisoformat(when), "batch_id": "complaints-a"}])
            else:
                dbrows.respondent(con, [], comment=text, sentiment=polarity, branch=branch,
                                  responded_at=date.fromisoformat(when), batch_id="survey-a")
        # a text no theme holds
        dbrows.nps(con, [3], comment="nothing in common", sentiment=-0.2, responded_at=date(2026, 10, 9),
                   batch_id="nps-a")
    names = list(texts)
    save_themes(con, [text for _, text in flat], Themes([names.index(theme) for theme, _ in flat],
                                                        [["app"], ["queue"], ["fees"]]))


def _by_text(con, compute):
    """`compute()` with no batch listed in theme_batch: every theme read through text_theme, as before
    the themes by month."""
    listed = con.execute("SELECT batch_id FROM theme_batch").fetchall()
    con.execute("DELETE FROM theme_batch")
    try:
        return compute()
    finally:
        con.executemany("INSERT INTO theme_batch VALUES (?)", [list(row) for row in listed])


MONTHS = [OCTOBER, Filters(date_from=date(2026, 8, 1), date_to=date(2026, 11, 30)),
          Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31), branches=("South",)),
          Filters(date_from=date(2026, 9, 10), date_to=date(2026, 10, 20))]


@pytest.mark.parametrize("selection", MONTHS, ids=["october", "four months", "a branch", "days"])
def test_the_themes_by_month_equal_the_themes_by_text(con, selection):
    from same import assert_same

    from analytics.filters import previous_period
    from analytics.review import common_theme_of_themes
    from analytics.sentiment import themes_and_how

    _themed_months(con)
    before = previous_period(selection)
    for source in ("all", "nps", "complaint", "survey"):
        found, by_month = themes_and_how(con, selection, source)
        assert by_month
        assert_same(found, _by_text(con, lambda: themes_by_sentiment(con, selection, source)))
        assert_same(rising_themes(con, selection, before, source),
                    _by_text(con, lambda: rising_themes(con, selection, before, source)))
    assert_same(common_theme_of_themes(con, selection), _by_text(con, lambda: common_theme_of_themes(con, selection)))



ROW_MONTH = "t.month = date_trunc('month', v.happened_at)"


@pytest.mark.parametrize("selections, condition, params", [
    # a month and the month before: both months' rows, no other, each row with its own month's texts
    ([OCTOBER, Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))],
     f"{ROW_MONTH} AND t.month >= $theme_month_from AND t.month <= $theme_month_to",
     {"theme_month_from": datetime(2026, 9, 1), "theme_month_to": datetime(2026, 10, 1)}),
    # days, against the same days a year before: from the earlier's first month to the later's last
    ([Filters(date_from=date(2026, 3, 10), date_to=date(2026, 5, 20)),
      Filters(date_from=date(2025, 3, 10), date_to=date(2025, 5, 20))],
     f"{ROW_MONTH} AND t.month >= $theme_month_from AND t.month <= $theme_month_to",
     {"theme_month_from": datetime(2025, 3, 1), "theme_month_to": datetime(2026, 5, 1)}),
    # a selection open at one end is not bounded at that end
    ([Filters(date_to=date(2026, 5, 20)), Filters(date_from=date(2026, 1, 1), date_to=date(2026, 2, 1))],
     f"{ROW_MONTH} AND t.month <= $theme_month_to", {"theme_month_to": datetime(2026, 5, 1)}),
    ([Filters()], ROW_MONTH, {}),
    # within one calendar month, every row's month is that month: the join needs the text alone
    ([OCTOBER], "t.month = $theme_month", {"theme_month": datetime(2026, 10, 1)}),
    ([Filters(date_from=date(2026, 10, 5), date_to=date(2026, 10, 20)),
      Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 4))],
     "t.month = $theme_month", {"theme_month": datetime(2026, 10, 1)}),
])
def test_the_themes_by_month_read_only_the_selections_months(selections, condition, params):
    from analytics.sentiment import theme_months

    assert theme_months(*selections) == (condition, params)


def test_the_themes_by_month_name_the_rows_date_column():
    from analytics.sentiment import theme_months

    assert theme_months(Filters(date_from=date(2026, 9, 1)), happened="c.received_at") == (
        "t.month = date_trunc('month', c.received_at) AND t.month >= $theme_month_from",
        {"theme_month_from": datetime(2026, 9, 1)})


@pytest.mark.parametrize("selection, before", [
    (Filters(date_from=date(2026, 9, 10), date_to=date(2026, 10, 20)),
     Filters(date_from=date(2025, 9, 10), date_to=date(2025, 10, 20))),
    (Filters(date_to=date(2026, 9, 30)), OCTOBER),
])
def test_rising_themes_by_month_against_any_period_equal_those_by_text(con, selection, before):
    from same import assert_same

    _themed_months(con)
    assert_same(rising_themes(con, selection, before), _by_text(con, lambda: rising_themes(con, selection, before)))
    assert_same(rising_themes(con, before, selection), _by_text(con, lambda: rising_themes(con, before, selection)))


@pytest.mark.parametrize("selection", MONTHS, ids=["october", "four months", "a branch", "days"])
@pytest.mark.parametrize("listed", [True, False], ids=["by month", "by text"])
def test_the_themes_and_their_rise_together_equal_each_alone(con, selection, listed):
    from same import assert_same

    from analytics.filters import previous_period
    from analytics.sentiment import themes_and_rising

    _themed_months(con)
    before = previous_period(selection)
    for source in ("all", "nps", "complaint", "survey"):
        def together():
            return themes_and_rising(con, selection, before, source)

        themes, rising = together() if listed else _by_text(con, together)
        assert_same(themes, themes_by_sentiment(con, selection, source))
        assert_same(rising, rising_themes(con, selection, before, source))
        # not a comparison of two empty frames: October's texts hold themes
        assert selection != OCTOBER or source != "all" or (len(themes) and len(rising))

def test_a_batch_not_yet_by_month_is_read_by_its_texts_until_its_months_are_added(con, monkeypatch):
    import dbrows

    from analytics.sentiment import themes_and_how

    _themed_months(con)
    october = themes_by_sentiment(con, OCTOBER, "nps").set_index("theme")["n"].to_dict()
    # October's NPS texts are row k with 8 + k % 4 = 10 and k % 3 = 0: k = 6 and 18, texts k % 5 = 1
    # ("app login fails") and 3 ("long queue again")
    assert october == {"app": 1, "queue": 1}
    dbrows.nps(con, [2, 4], comment="app crash", sentiment=-0.6, responded_at=date(2026, 10, 28), batch_id="nps-c")
    found, by_month = themes_and_how(con, OCTOBER, "nps")
    assert not by_month and found.set_index("theme")["n"].to_dict() == {"app": 3, "queue": 1}
    # after an import: the themes are not due, the new batch's months are added
    monkeypatch.setattr(learning, "retrain_if_due", lambda con: None)
    monkeypatch.setattr(learning, "refresh_themes_if_due", lambda con: False)
    learning.learn(con)
    found_again, by_month = themes_and_how(con, OCTOBER, "nps")
    assert by_month
    pd.testing.assert_frame_equal(found_again, found, rtol=1e-12)
    # "app crash" was written in October already (row 10, a complaint): one row per month and text
    assert con.execute("SELECT count(*) FROM theme_month WHERE month = '2026-10-01' AND text = 'app crash'"
                       ).fetchone()[0] == 1
    assert store_themes.add_new_batches_themes(con) == 0


def test_a_store_from_step_18_gets_its_themes_by_month(db_path):
    import dbrows

    from analytics.sentiment import themes_and_how

    con = connect(db_path)
    _themed_months(con)
    expected = themes_by_sentiment(con, Filters(date_from=date(2026, 8, 1), date_to=date(2026, 11, 30)))
    dbrows.layout_before(con, 19, "theme_month", "theme_batch")
    con.close()
    again = connect(db_path)
    try:
        found, by_month = themes_and_how(again, Filters(date_from=date(2026, 8, 1), date_to=date(2026, 11, 30)))
        assert by_month
        pd.testing.assert_frame_equal(found, expected, rtol=1e-12)
        # row k is written in month 8 + k % 4 with text k % 5: rows k and k + 20 share both, so the
        # 24 rows hold 20 months and texts (the text of no theme is in none)
        assert again.execute("SELECT count(*) FROM theme_month").fetchone()[0] == 20
        assert again.execute("SELECT count(*) FROM theme_batch").fetchone()[0] == 4  # nps-a, nps-b, complaints-a, survey-a
    finally:
        again.close()


def test_a_batchs_rows_gone_leave_the_themes_by_month_equal_to_those_by_text(con):
    from same import assert_same

    _themed_months(con)
    # as an undo takes a batch's rows: its months and texts stay in theme_month, matching no row of it
    con.execute("DELETE FROM nps_response WHERE batch_id = (SELECT batch_id FROM nps_response"
                " WHERE row_no = 1 ORDER BY responded_at DESC LIMIT 1)")
    whole = Filters(date_from=date(2026, 8, 1), date_to=date(2026, 11, 30))
    assert_same(themes_by_sentiment(con, whole), _by_text(con, lambda: themes_by_sentiment(con, whole)))


def test_an_import_stays_when_another_writer_keeps_its_months_from_being_added(con, monkeypatch):
    from analytics.sentiment import themes_and_how
    from store.errors import StoreBusy

    _themed_months(con)
    import dbrows
    dbrows.nps(con, [2], comment="app crash", sentiment=-0.6, responded_at=date(2026, 10, 28), batch_id="nps-c")

    def busy(con):
        raise StoreBusy("another import or undo is running on this store")

    monkeypatch.setattr(learning, "retrain_if_due", lambda con: None)
    monkeypatch.setattr(learning, "refresh_themes_if_due", lambda con: False)
    monkeypatch.setattr(learning, "add_new_batches_themes", busy)
    learning.learn(con)
    found, by_month = themes_and_how(con, OCTOBER, "nps")
    # still unlisted: October's NPS texts read by their texts, app 1 + 1 and queue 1
    assert not by_month and found.set_index("theme")["n"].to_dict() == {"app": 2, "queue": 1}
