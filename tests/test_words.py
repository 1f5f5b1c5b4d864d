"""Words a manager can take at face value: no change marker for a change that rounds to nothing or for a
comparison without data, the undo offering the batch just imported, an empty selection saying what it
lacks, and masked ids as one run of bullets in the report and the slides."""
from __future__ import annotations

import io
from datetime import date

import pytest
from conftest import PROJECT_ROOT, TEST_DATA, copy_demo_store
from openpyxl import Workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from analytics.changes import complaints_headline
from analytics.filters import Filters, covered
from analytics.gaps import NO_ANSWERS_IN_SELECTION, NO_PERCEPTION_ITEMS, gap1, gap5
from analytics.stats import count_rate_test
from loaders.importer import import_file
from presentation.findings import change_note, change_sentence
from presentation.masking import BULLET_FONT, masked_runs
from presentation.report import _words
from presentation.slides import _run
from presentation.upload import Change, change_delta, change_value
from store.db import connect

OCTOBER = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
SEPTEMBER = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))


# --- an import's changes ---------------------------------------------------------------------------

@pytest.mark.parametrize("before, after, language, value, delta", [
    (19.7, 19.68, "en", "19.7", "unchanged"),           # rounds to 0.0: no sign, no arrow
    (19.7, 19.68, "zh", "19.7", "不变"),
    (19.7, 19.3, "en", "19.3", "\u22120.4"),
    (None, 19.7, "en", "19.7", "no figure before"),     # the first NPS data: nothing to compare with
    (None, 19.7, "zh", "19.7", "导入前无数值"),
    (100, 550, "en", "550", "+450"),
    (1500, 1500.0, "en", "1,500", "unchanged"),
])
def test_an_imports_change_reads_plainly(before, after, language, value, delta):
    change = Change("upload.headline.nps", before, after)
    assert (change_value(change), change_delta(change, language)) == (value, delta)


# --- a comparison without data ---------------------------------------------------------------------

@pytest.mark.parametrize("period, data_from, expected", [
    (SEPTEMBER, date(2026, 9, 15), True),     # reaches into the data
    (SEPTEMBER, date(2026, 10, 1), False),    # wholly before it
    (SEPTEMBER, None, True),
    (None, date(2026, 1, 1), False),
])
def test_covered(period, data_from, expected):
    assert covered(period, data_from) is expected


@pytest.mark.parametrize("language, vs, sentence, note", [
    ("en", "Sep 2026", "Complaints 35; no data for Sep 2026 to compare", "no data for Sep 2026"),
    ("zh", "2026年9月", "投诉量 35；2026年9月没有可对比的数据", "2026年9月无数据"),
])
def test_complaints_against_a_month_before_the_data_carry_no_change(language, vs, sentence, note):
    # 35 complaints now, 0 in a month before the data begins: not "+35"
    test = count_rate_test(35, 31, 0, 30)
    change = complaints_headline(test, compared=False)
    assert (change.delta, change.previous, change.significant, change.p_value) == (None, None, False, None)
    assert change_sentence(change, language, vs) == sentence
    assert change_note(change, language, vs) == note
    # the same zero inside the data is a figure: +35, tested
    assert complaints_headline(test).delta == 35


def test_the_first_months_complaints_tile_has_no_change(demo_master, tmp_path, monkeypatch):
    store = copy_demo_store(demo_master, tmp_path)
    monkeypatch.setenv("FEEDBACK_DB", str(store))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params["month"] = "2024-11"  # the demo's first month; October 2024 has no data
    at.run().switch_page("pages/complaints.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tile = next(m for m in at.metric if m.label == "Complaints")
    assert tile.delta in (None, "")
    assert "no data for Oct 2024" in tile.proto.delta_description


# --- an empty selection says what it lacks ------------------------------------------------------------

def test_a_selection_nobody_in_answered_says_so(demo_master, tmp_path):
    con = connect(copy_demo_store(demo_master, tmp_path), read_only=True)
    try:
        # after the data: the survey has expectation and perception questions, management its
        # estimates, but nobody answered in January 2030
        after_the_data = Filters(date_from=date(2030, 1, 1), date_to=date(2030, 1, 31))
        assert gap5(con, after_the_data).missing == NO_ANSWERS_IN_SELECTION
        assert gap1(con, after_the_data).missing == NO_ANSWERS_IN_SELECTION
        assert gap5(con, OCTOBER).missing is None
    finally:
        con.close()


def test_a_survey_without_the_questions_says_which_it_lacks(con, tmp_path):
    book = Workbook()
    for row in (["Date", "Branch", "A01", "A02"], ["2026-10-03", "North 1", 4, 5], ["2026-10-04", "North 1", 3, 2]):
        book.active.append(row)
    book.save(tmp_path / "survey.xlsx")
    import_file(con, tmp_path / "survey.xlsx", kind="survey")
    assert gap5(con).missing == NO_PERCEPTION_ITEMS


# --- undo offers the batch just imported ---------------------------------------------------------------

@pytest.mark.slow
def test_after_an_import_the_undo_offers_that_batch(db_path, monkeypatch):
    monkeypatch.setenv("FEEDBACK_DB", str(db_path))
    con = connect(db_path)
    try:
        older = import_file(con, TEST_DATA / "nps_gbk.csv")
        import_file(con, TEST_DATA / "complaints_bom.csv")
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
        at.switch_page("pages/imports.py").run()
        at.selectbox(key="upload.undo_batch").set_value(older.batch_id).run()
        files = [("title_rows.csv", (TEST_DATA / "title_rows.csv").read_bytes(), "text/csv")]
        at.file_uploader(key="upload.files").set_value(files).run()
        next(b for b in at.button if b.key and b.key.startswith("upload.import.")).click().run()
        assert not at.exception, [e.value for e in at.exception]
        newest = con.execute("SELECT id::VARCHAR FROM import_batch WHERE source_file = 'title_rows.csv'").fetchone()[0]
        assert at.selectbox(key="upload.undo_batch").value == newest
        # the first metric of that name is the import's change; the store's row counts follow
        change = next(m for m in at.metric if m.label == "NPS responses")
        assert (change.value, change.proto.delta) == ("7", "+2")
    finally:
        con.close()


# --- masked ids as one run of bullets -----------------------------------------------------------------

def test_masked_runs():
    assert masked_runs("C0 ••••••• 说 •••") == [("C0 ", False), ("•••••••", True), (" 说 ", False), ("•••", True)]


def test_the_report_draws_a_masked_id_as_one_run_in_a_narrow_font():
    assert str(_words("2026年10月 · ••••••• · <b>")) == ('2026年10月 · <span class="bullets">•••••••</span> · '
                                                        "&lt;b&gt;")


def test_the_slides_draw_a_masked_id_as_one_run_in_a_narrow_font():
    deck = Presentation()
    box = deck.slides.add_slide(deck.slide_layouts[6]).shapes.add_textbox(0, 0, 100, 100)
    _run(box.text_frame.paragraphs[0], "南京鼓楼 · ••••••• · 情感 −0.99", 14)
    runs = [(r.text, r.font.name) for r in box.text_frame.paragraphs[0].runs]
    assert runs == [("南京鼓楼 · ", "Noto Sans CJK SC"), ("•••••••", BULLET_FONT), (" · 情感 −0.99", "Noto Sans CJK SC")]
    ea = box.text_frame.paragraphs[0].runs[1].font._rPr.find(
        "{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
    assert ea.get("typeface") == BULLET_FONT
    Presentation(io.BytesIO(_saved(deck)))  # the run's XML is valid for python-pptx to read back


def _saved(deck) -> bytes:
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
