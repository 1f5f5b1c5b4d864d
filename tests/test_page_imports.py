"""The imports page in AppTest: upload, correct the mapping, import, refuse bad rows, undo, and who
may do any of it. Every import is checked in the database afterwards."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import PROJECT_ROOT, TEST_DATA, copy_demo_store
from streamlit.testing.v1 import AppTest

from loaders.access import MAX_FAILURES, set_passphrase
from loaders.importer import import_file
from presentation.upload import WORD_JOINER
from store.db import connect, quote_identifier

PASSPHRASE = "correct horse battery"
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@pytest.fixture
def store(db_path, monkeypatch):
    """The page's store: the app opens FEEDBACK_DB; tests read it through their own connection."""
    monkeypatch.setenv("FEEDBACK_DB", str(db_path))
    connection = connect(db_path)
    yield connection
    connection.close()


def imports_page(at: AppTest) -> AppTest:
    """The app opens on the overview; the imports page is one click away."""
    return at.run().switch_page("pages/imports.py").run()


@pytest.fixture
def app(store) -> AppTest:
    return imports_page(AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60))


def rows(store, sql, *params):
    return store.execute(sql, list(params)).fetchall()


def count(store, table) -> int:
    return store.execute("SELECT count(*) FROM " + quote_identifier(table)).fetchone()[0]


def upload(at: AppTest, *names: str) -> AppTest:
    files = [(name, (TEST_DATA / name).read_bytes(), MIME[name.rsplit(".", 1)[1]]) for name in names]
    return at.file_uploader(key="upload.files").set_value(files).run()


def keyed(elements, prefix: str) -> list:
    return [e for e in elements if e.key and e.key.startswith(prefix)]


def import_button(at: AppTest, index: int = 0):
    return keyed(at.button, "upload.import.")[index]


def tables_headed(at: AppTest, *columns: str) -> list:
    """The tables (read-only or editable) whose first columns are these, as DataFrames."""
    return [d.value for d in at.dataframe if list(d.value.columns[:len(columns)]) == list(columns)]


def shown(markdown: str) -> str:
    """Markdown as the reader sees it: the page escapes file names and e-mails (presentation.upload.plain),
    and breaks addresses with an invisible word joiner."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def texts(elements) -> list[str]:
    return [shown(e.value) for e in elements]


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# --- empty and with data ---------------------------------------------------------------------

def test_empty_store_shows_open_uploads_and_an_empty_history(app):
    no_exception(app)
    assert texts(app.title) == ["Imports"]
    assert app.info[0].value.startswith("Uploads are open")
    assert "Nothing has been imported yet." in texts(app.info)
    assert len(app.file_uploader) == 1
    assert [b.key for b in app.get("download_button")] == [
        "upload.template.survey", "upload.template.nps", "upload.template.complaints",
        "upload.template.management_survey", "upload.template.standards"]
    assert not keyed(app.button, "upload.undo")


@pytest.mark.slow
def test_with_data_the_history_and_row_counts_show_it(store):
    import_file(store, TEST_DATA / "nps_gbk.csv")
    import_file(store, TEST_DATA / "complaints_bom.csv")
    at = imports_page(AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60))
    no_exception(at)
    history = tables_headed(at, "Batch")[0]
    assert sorted(history["File"]) == ["complaints_bom.csv", "nps_gbk.csv"]
    assert set(history["By"]) == {"command line"}
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["NPS responses"], metrics["Complaints"], metrics["Import batches"]) == ("5", "3", "2")
    assert at.selectbox(key="upload.undo_batch").options  # analysts (open mode) may undo


def test_a_browsing_replica_offers_no_upload_undo_or_edit(store, monkeypatch):
    # FEEDBACK_READ_ONLY=1 opens the store read-only: offering an upload that can only fail would
    # tell the reader "anyone may import" (the open dashboard's words) on a replica where nobody may
    import_file(store, TEST_DATA / "nps_gbk.csv")
    store.close()  # a DuckDB file is open read-only in a process that holds it for writing nowhere
    monkeypatch.setenv("FEEDBACK_READ_ONLY", "1")
    at = imports_page(AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60))
    no_exception(at)
    assert at.info[0].value == ("This copy of the dashboard is for reading only (FEEDBACK_READ_ONLY=1): imports,"
                                " undos and changes are made on the other copies.")
    assert len(at.file_uploader) == 0
    assert not keyed(at.selectbox, "upload.undo_batch")
    assert sorted(tables_headed(at, "Batch")[0]["File"]) == ["nps_gbk.csv"]


# --- upload and import -----------------------------------------------------------------------


def test_an_import_whose_learning_failed_is_shown_imported_with_a_warning(app, store, monkeypatch):
    from loaders import importer
    from store.errors import QueryError

    def learn(con, new_texts=None):
        raise QueryError("the themes could not be stored; the previous ones stay (Out of Memory Error)")

    monkeypatch.setattr(importer, "learn", learn)
    upload(app, "nps_gbk.csv")
    import_button(app).click().run()
    no_exception(app)
    assert texts(app.success)[0].startswith("Imported 5 rows from nps_gbk.csv as batch ")
    assert texts(app.warning) == [
        "The rows are imported, but the sentiment model and the themes were not brought up to date this time"
        " (the themes could not be stored; the previous ones stay (Out of Memory Error)). The new texts keep"
        " the sentiment of the current model and wait for a theme; the next import tries again."]
    assert count(store, "nps_response") == 5

@pytest.mark.slow
def test_gbk_csv_with_chinese_headers_imports_through_the_page(app, store):
    upload(app, "nps_gbk.csv")
    no_exception(app)
    assert any("Detected as NPS. 5 rows under the header on row 1." in c.value for c in app.caption)
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["Rows in the file"], metrics["Good rows"], metrics["Rows with problems"]) == ("5", "5", "0")
    mapping = app.data_editor[0].value
    assert mapping["column"].tolist()[:3] == ["客户编号", "日期", "推荐得分"]
    preview = tables_headed(app, "Row", "Customer ID")[0]
    assert preview["Customer ID"].tolist() == ["C001", "C002", "C003", "C004", "C005"]
    import_button(app).click().run()
    no_exception(app)
    assert texts(app.success)[0].startswith("Imported 5 rows from nps_gbk.csv as batch ")
    assert {m.label: m.value for m in app.metric}["NPS responses"] == "5"
    assert rows(store, "SELECT kind, source_file, rows_accepted, rows_rejected, imported_by, status"
                       " FROM import_batch") == [("nps", "nps_gbk.csv", 5, 0, "upload page", "imported")]
    assert rows(store, "SELECT customer_id, responded_at, score, touchpoint, comment FROM nps_response"
                       " WHERE row_no = 2") == [("C001", dt.datetime(2026, 9, 1), 10, "手机银行", "服务很好，非常满意")]
    # the file stays in the uploader; it is now recognised as imported and offers no second import
    assert any("This file was imported on" in i.value for i in app.info)
    assert not keyed(app.button, "upload.import.")


@pytest.mark.slow
def test_survey_workbook_with_questions_sheet_imports_its_ratings(app, store):
    upload(app, "survey_questions.xlsx")
    no_exception(app)
    assert app.selectbox(key=keyed(app.selectbox, "upload.sheet.")[0].key).value == "Responses"
    ratings_preview = tables_headed(app, "Row", "Item code")[0]
    assert len(ratings_preview) == 9
    import_button(app).click().run()
    no_exception(app)
    assert (count(store, "survey_response"), count(store, "survey_rating")) == (3, 9)
    assert rows(store, "SELECT item_code, dimension, kind, score, scale_max FROM survey_rating"
                       " WHERE row_no = 2 AND kind = 'expectation'") == [("T1", "tangibles", "expectation", 6.0, 7.0)]


@pytest.mark.slow
def test_several_files_at_once_each_get_their_own_card(app, store):
    upload(app, "nps_gbk.csv", "complaints_bom.csv")
    no_exception(app)
    assert len(keyed(app.button, "upload.import.")) == 2
    import_button(app, 1).click().run()
    assert (count(store, "complaint"), count(store, "nps_response")) == (3, 0)
    assert rows(store, "SELECT complaint_ref, escalated, cause FROM complaint ORDER BY row_no LIMIT 2") == \
        [("K1", False, "Long waiting time"), ("K2", True, "Fees and charges")]


@pytest.mark.slow
def test_a_file_needing_a_corrected_mapping_imports_after_correction(app, store):
    upload(app, "nps_needs_mapping.csv")
    assert "The headers do not say which kind of file this is" in app.warning[0].value
    assert not keyed(app.button, "upload.import.")
    app.selectbox(key=keyed(app.selectbox, "upload.kind.")[0].key).set_value("nps").run()
    no_exception(app)
    assert app.error[0].value == "Map a column to Date, Recommend score (0-10): a file of this kind needs it."
    editor = app.data_editor[0]
    assert editor.value["target"].tolist() == ["ignore", "ignore", "ignore", "comment"]
    app.session_state[editor.key] = {"edited_rows": {0: {"target": "customer_id"}, 1: {"target": "responded_at"},
                                                     2: {"target": "score"}},
                                     "added_rows": [], "deleted_rows": []}
    app.run()
    no_exception(app)
    assert not app.error
    assert "Mapping corrected" in " ".join(c.value for c in app.caption)
    assert app.success[0].value == "Every row is good: 3 rows are ready to import."
    import_button(app).click().run()
    no_exception(app)
    assert rows(store, "SELECT customer_id, responded_at, score, comment FROM nps_response ORDER BY row_no") == [
        ("M1", dt.datetime(2026, 10, 1), 9, "Quick and friendly service"),
        ("M2", dt.datetime(2026, 10, 2), 3, "排队太久了"),
        ("M3", dt.datetime(2026, 10, 3), 10, None)]
    assert rows(store, "SELECT count(*) FROM saved_mapping WHERE kind = 'nps'") == [(1,)]


@pytest.mark.slow
def test_a_mapping_mistake_is_explained_and_blocks_the_import(app):
    upload(app, "nps_gbk.csv")
    editor = app.data_editor[0]
    app.session_state[editor.key] = {"edited_rows": {3: {"target": "branch"}}, "added_rows": [],
                                     "deleted_rows": []}
    app.run()
    assert app.error[0].value == ("Branch is mapped from two columns, '触点' and '网点'. Keep one and set the"
                                  " other to ignore.")
    assert not keyed(app.button, "upload.import.")


@pytest.mark.slow
def test_bad_rows_refuse_the_file_then_import_with_the_skip_option(app, store):
    upload(app, "nps_out_of_range.csv")
    no_exception(app)
    assert app.warning[0].value.startswith("2 of 4 rows have problems.")
    problems = tables_headed(app, "Row", "Column", "Value")[0]
    assert problems.values.tolist() == [
        [3, "Score", "11", "is outside the scale 0-10", "Use a value from 0 to 10, or correct the scale in the mapping."],
        [4, "Score", "-1", "is outside the scale 0-10", "Use a value from 0 to 10, or correct the scale in the mapping."]]
    assert keyed(app.get("download_button"), "upload.report.")
    import_button(app).click().run()
    assert app.error[0].value.startswith("Nothing was imported: 2 of 4 rows have problems")
    assert (count(store, "import_batch"), count(store, "nps_response")) == (0, 0)
    app.checkbox(key=keyed(app.checkbox, "upload.skip.")[0].key).check().run()
    import_button(app).click().run()
    no_exception(app)
    assert texts(app.success)[0] == ("Imported 2 rows from nps_out_of_range.csv as batch "
                                    f"{rows(store, 'SELECT id::VARCHAR FROM import_batch')[0][0][:8]}. 2 rows with problems"
                                    " were skipped and recorded with the batch.")
    assert rows(store, "SELECT customer_id, score FROM nps_response ORDER BY row_no") == [("C1", 9), ("C4", 8)]
    assert rows(store, "SELECT rows_accepted, rows_rejected FROM import_batch") == [(2, 2)]
    skipped = tables_headed(app, "Row", "Column", "Value", "Problem", "How to fix")[-1]
    assert skipped["Value"].tolist() == ["11", "-1"]


@pytest.mark.slow
def test_undo_asks_first_then_removes_exactly_that_batch(store):
    kept_nps = import_file(store, TEST_DATA / "nps_gbk.csv")
    kept = import_file(store, TEST_DATA / "complaints_bom.csv")
    gone = import_file(store, TEST_DATA / "title_rows.csv")
    at = imports_page(AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60))
    at.selectbox(key="upload.undo_batch").set_value(gone.batch_id).run()
    at.button(key="upload.undo_button").click().run()
    no_exception(at)
    assert any(m.startswith(f"Batch {gone.batch_id[:8]}: 2 rows of NPS from title_rows.csv")
               for m in texts(at.markdown))
    assert count(store, "nps_response") == 7                    # asked, not yet done
    at.button(key="upload.undo_cancel").click().run()
    assert count(store, "nps_response") == 7 and "upload.undo_pending" not in at.session_state
    at.button(key="upload.undo_button").click().run()
    at.button(key="upload.undo_yes").click().run()
    no_exception(at)
    assert any(s.startswith(f"Undone: batch {gone.batch_id[:8]} (2 rows from title_rows.csv)")
               for s in texts(at.success))
    assert rows(store, "SELECT DISTINCT batch_id::VARCHAR FROM nps_response") == [(kept_nps.batch_id,)]
    assert count(store, "nps_response") == 5 and count(store, "complaint") == 3
    assert rows(store, "SELECT status FROM import_batch WHERE id = ?", gone.batch_id) == [("undone",)]
    assert rows(store, "SELECT status FROM import_batch WHERE id = ?", kept.batch_id) == [("imported",)]


# --- who may change data ---------------------------------------------------------------------

@pytest.fixture
def locked(store) -> AppTest:
    set_passphrase(store, PASSPHRASE)
    import_file(store, TEST_DATA / "nps_gbk.csv")
    return imports_page(AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60))


def unlock(at: AppTest, attempt: str, name: str = "") -> AppTest:
    at.text_input(key="upload.unlock_name").input(name)
    at.text_input(key="upload.unlock_passphrase").input(attempt)
    return at.button(key="FormSubmitter:upload.unlock_form-Unlock").click().run()


def assert_viewer(at: AppTest) -> None:
    assert not at.file_uploader
    assert not keyed(at.button, "upload.undo")
    assert not keyed(at.selectbox, "upload.undo")
    assert tables_headed(at, "Batch")[0]["File"].tolist() == ["nps_gbk.csv"]   # the history is for everyone


def test_a_viewer_sees_no_uploader_and_no_undo(locked):
    no_exception(locked)
    assert_viewer(locked)
    assert locked.expander[0].label == "Analyst sign-in"


@pytest.mark.slow
def test_a_forged_grant_in_the_session_does_not_unlock(locked):
    locked.session_state["access.grant"] = {"token": "0" * 64, "at": dt.datetime.now(), "who": "mallory"}
    locked.run()
    assert_viewer(locked)


@pytest.mark.slow
def test_wrong_passphrase_is_refused(locked, store):
    unlock(locked, "not the passphrase")
    no_exception(locked)
    assert locked.error[0].value == ("That passphrase is not right. After 4 more wrong attempts sign-in locks"
                                     " for a while.")
    assert_viewer(locked)


@pytest.mark.slow
def test_attempts_are_rate_limited_even_for_the_right_passphrase(locked):
    for i in range(MAX_FAILURES):
        unlock(locked, f"guess number {i}")
    assert locked.error[0].value == "Too many wrong passphrases: sign-in is locked for 30 s."
    unlock(locked, PASSPHRASE)
    assert locked.error[0].value.startswith("Too many wrong passphrases: sign-in is locked for")
    assert_viewer(locked)
    # a new session (another tab, a reload) is locked too: the count lives in the store
    fresh = imports_page(AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60))
    assert fresh.warning[0].value.startswith("Too many wrong passphrases")


@pytest.mark.slow
def test_right_passphrase_unlocks_upload_and_undo_until_locked_again(locked, store):
    unlock(locked, PASSPHRASE, name="Li Na")
    no_exception(locked)
    assert locked.success[0].value == "Unlocked for analyst Li Na."
    # the data files' uploader and the label table's
    assert len(locked.file_uploader) == 2 and locked.button(key="upload.undo_button")
    upload(locked, "complaints_bom.csv")
    import_button(locked).click().run()
    assert rows(store, "SELECT imported_by FROM import_batch WHERE kind = 'complaints'") == [("Li Na",)]
    locked.button(key="upload.lock").click().run()
    assert not locked.file_uploader and not keyed(locked.button, "upload.undo")


@pytest.mark.slow
def test_a_new_passphrase_locks_unlocked_sessions(locked, store):
    unlock(locked, PASSPHRASE)
    assert locked.file_uploader
    set_passphrase(store, "a completely new passphrase")
    locked.run()
    assert not locked.file_uploader


OIDC_SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                         "client_id": "dashboard", "client_secret": "s",
                         "server_metadata_url": "https://login.example/.well-known/openid-configuration"},
                "analysts": {"emails": ["li.na@bank.example", "@analytics.bank.example"]}}


@pytest.mark.parametrize("user, analyst, message", [
    ({"is_logged_in": True, "email": "li.na@bank.example"}, True, "Signed in as li.na@bank.example (analyst)."),
    ({"is_logged_in": True, "email": "wang@analytics.bank.example"}, True,
     "Signed in as wang@analytics.bank.example (analyst)."),
    ({"is_logged_in": True, "email": "manager@bank.example"}, False,
     "Signed in as manager@bank.example, who is not on the analysts' list: you can read the history but not"
     " import or undo."),
    ({"is_logged_in": False}, False, "Importing and undoing are for analysts. Sign in with your work account."),
])
def test_oidc_analysts_are_the_allow_listed_emails(store, user, analyst, message):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.secrets.update(OIDC_SECRETS)
    at.user = user
    imports_page(at)
    no_exception(at)
    assert message in texts(at.success) + texts(at.info)
    assert bool(at.file_uploader) is analyst
    assert (at.button(key="upload.sign_in") is not None) if not user["is_logged_in"] else True


# --- in Chinese ------------------------------------------------------------------------------

def test_the_page_in_chinese(store):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "zh"
    imports_page(at)
    upload(at, "nps_out_of_range.csv")
    no_exception(at)
    assert texts(at.title) == ["数据导入"]
    assert [h.value for h in at.header] == ["上传文件", "导入历史", "目标与预警", "数据标签（中英文）", "数据库中的行数", "客户等级",
                                            "导入模板"]
    assert at.warning[0].value == "4 行中有 2 行存在问题。请在文件中修正后重新上传，或只导入有效行并跳过这些行。"
    problems = tables_headed(at, "行号", "列", "值")[0]
    assert problems.columns.tolist() == ["行号", "列", "值", "问题", "修改方法"]
    assert problems["问题"].tolist() == ["超出量表范围 0-10", "超出量表范围 0-10"]
    assert import_button(at).label == "导入"


@pytest.mark.slow
def test_the_demo_files_import_through_the_page_as_they_do_from_the_command_line(app, store, tmp_path,
                                                                                    committed_demo_master):
    from loaders.demo import DEMO_FOLDER, FILE_NAMES

    files = [(name, (DEMO_FOLDER / name).read_bytes(), MIME[name.rsplit(".", 1)[1]])
             for name in FILE_NAMES.values()]
    app.file_uploader(key="upload.files").set_value(files).run()
    no_exception(app)
    for i in range(len(files)):
        keyed(app.button, "upload.import.")[0].click().run()
        no_exception(app)
    by_page = {t: count(store, t) for t in ("survey_response", "survey_rating", "nps_response",
                                            "complaint", "management_rating", "service_standard")}
    # The same files through the command line's import, into a second store: the run's import of
    # them (conftest.import_committed_demo), read from a copy.
    reference = connect(copy_demo_store(committed_demo_master, tmp_path))
    by_cli = {t: count(reference, t) for t in by_page}
    reference.close()
    assert by_page == by_cli
    assert by_page["survey_response"] == 4000 and by_page["nps_response"] == 6000
    assert rows(store, "SELECT count(*) FROM import_batch WHERE imported_by = 'upload page'") == [(5,)]


# --- files from survey platforms ---------------------------------------------------------------

def upload_platform(at: AppTest, name: str) -> AppTest:
    kind = name.rsplit(".", 1)[1]
    files = [(name, (TEST_DATA / "platforms" / name).read_bytes(), MIME.get(kind, "text/plain"))]
    return at.file_uploader(key="upload.files").set_value(files).run()


@pytest.mark.slow
def test_a_qualtrics_export_imports_with_its_question_texts(app, store):
    upload_platform(app, "qualtrics.csv")
    no_exception(app)
    assert any("Detected as Survey. 12 rows under the header on row 1. An export of Qualtrics"
               in c.value for c in app.caption), [c.value for c in app.caption]
    mapping = app.data_editor[0].value
    items = mapping[mapping["target"] == "rating"]
    assert items["item_text"].tolist()[:2] == ["The branch was clean and tidy", "Staff were friendly"]
    import_button(app).click().run()
    no_exception(app)
    assert rows(store, "SELECT rows_accepted FROM import_batch") == [(12,)]
    assert count(store, "survey_rating") == 58


@pytest.mark.slow
def test_a_survey_without_dates_asks_for_the_fieldwork_date(app, store):
    upload_platform(app, "survey_no_dates.csv")
    no_exception(app)
    assert any("No column holds the date" in w.value for w in app.warning)
    assert not keyed(app.button, "upload.import.")
    app.date_input(key=keyed(app.date_input, "upload.date.")[0].key).set_value(dt.date(2026, 10, 15)).run()
    no_exception(app)
    import_button(app).click().run()
    no_exception(app)
    assert rows(store, "SELECT DISTINCT responded_at FROM survey_response") == [(dt.datetime(2026, 10, 15),)]


@pytest.mark.slow
def test_a_complaint_list_without_dates_asks_for_the_date_received(app, store):
    # a category and the customer's words, no date: before, "Map a column to Received" and no way on
    lines = "".join(f"C{i},The app logged me out {i} times,{('Billing', 'App')[i % 2]}\n" for i in range(12))
    files = [("complaints.csv", ("Customer_ID,Complaint,Category\n" + lines).encode("utf-8"), "text/csv")]
    app.file_uploader(key="upload.files").set_value(files).run()
    no_exception(app)
    assert any("No column holds the date each complaint was received" in w.value for w in app.warning)
    assert not [e for e in app.error if "Map a column" in e.value]
    asked = keyed(app.date_input, "upload.date.")
    assert [d.label for d in asked] == ["Date received"]
    assert not keyed(app.button, "upload.import.")
    app.date_input(key=asked[0].key).set_value(dt.date(2026, 10, 15)).run()
    no_exception(app)
    import_button(app).click().run()
    no_exception(app)
    assert rows(store, "SELECT received_at, count(*) FROM complaint GROUP BY received_at") == [
        (dt.datetime(2026, 10, 15), 12)]


@pytest.mark.slow
def test_answers_no_known_scale_has_are_asked_and_stay_asked_once_scored(app, store):
    upload_platform(app, "google_forms_own_words.csv")
    no_exception(app)
    assert any("(bad, so-so)" in shown(w.value) for w in app.warning), [w.value for w in app.warning]
    assert not keyed(app.button, "upload.import.")
    asked = keyed(app.number_input, "upload.answer.")
    assert [n.key.rsplit(".", 1)[1] for n in asked] == ["bad", "so-so"]
    asked[0].set_value(1).run()
    # one word scored: the other is still asked, and the scored one keeps its input
    assert [n.value for n in keyed(app.number_input, "upload.answer.")] == [1, None]
    assert not keyed(app.button, "upload.import.")
    keyed(app.number_input, "upload.answer.")[1].set_value(2).run()
    no_exception(app)
    assert [n.value for n in keyed(app.number_input, "upload.answer.")] == [1, 2]
    import_button(app).click().run()
    no_exception(app)
    # as in the command line's test: the first item's answers average 3.5 on a scale of 4
    assert rows(store, "SELECT count(*) FROM survey_rating") == [(58,)]


@pytest.mark.slow
def test_unsure_choice_numbers_and_a_place_answered_in_numbers_are_asked(app, store):
    upload_platform(app, "wjx_codes.xlsx")
    no_exception(app)
    assert not keyed(app.button, "upload.import.")
    choice = keyed(app.radio, "upload.choice.")
    assert [r.label for r in choice] == ["7、柜员的业务熟练度"]
    choice[0].set_value("rating").run()
    # the place question is asked next; the answered choice stays drawn with its answer
    assert [r.value for r in keyed(app.radio, "upload.choice.")] == ["rating"]
    name = keyed(app.radio, "upload.name.")
    assert [r.label for r in name] == ["9、您本次办理业务的网点是？"]
    name[0].set_value("ignore").run()
    no_exception(app)
    import_button(app).click().run()
    no_exception(app)
    # 58 ratings of the known items and 12 of the column the analyst called a rating
    assert rows(store, "SELECT count(*) FROM survey_rating") == [(70,)]


@pytest.mark.slow
def test_ratings_with_decimals_are_asked_about(app, store):
    upload(app, "bad/decimal_comma_halves.csv")
    no_exception(app)
    assert not keyed(app.button, "upload.import.")
    assert any("3 questions hold numbers with decimals on a rating's range" in w.value for w in app.warning), \
        [w.value for w in app.warning]
    assert not any("numbers of the choices picked" in w.value for w in app.warning)
    for radio in keyed(app.radio, "upload.choice."):
        radio.set_value("rating").run()
    no_exception(app)
    import_button(app).click().run()
    no_exception(app)
    # four respondents, three items each, 4,5 and 2,5 among them
    assert rows(store, "SELECT count(*), sum(score) FROM survey_rating") == [(12, 47.0)]


@pytest.mark.slow
def test_new_items_wait_for_the_analysts_confirmation(app, store):
    import_file(store, TEST_DATA / "platforms" / "qualtrics.csv")
    upload_platform(app, "qualtrics_new_item.csv")
    no_exception(app)
    assert any("1 new item," in w.value for w in app.warning)
    assert import_button(app).disabled
    keyed(app.checkbox, "upload.accept_items.")[0].check().run()
    import_button(app).click().run()
    no_exception(app)
    assert count(store, "survey_response") == 24


def test_when_two_kinds_fit_the_page_asks(app):
    upload_platform(app, "complaints_with_scores.csv")
    no_exception(app)
    assert any("This file could be Survey or Complaints" in w.value for w in app.warning), \
        [w.value for w in app.warning]


@pytest.mark.slow
def test_in_presentation_mode_the_skipped_rows_show_no_complaint_reference(store, tmp_path):
    log = tmp_path / "complaints.csv"
    lines = (TEST_DATA / "complaints_bom.csv").read_text(encoding="utf-8-sig").splitlines()
    log.write_text("\n".join([lines[0], lines[1], lines[1].replace("C001", "C009"), *lines[2:]]), encoding="utf-8")
    assert import_file(store, log, skip_invalid=True).rows_rejected == 1
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params["present"] = "1"
    at = imports_page(at)
    no_exception(at)
    skipped = [t.value for t in at.table if list(t.value.columns[:3]) == ["Row", "Column", "Value"]]
    assert [shown(v) for v in skipped[0]["Column"]] == ["Complaint ID"]
    assert skipped[0]["Value"].tolist() == ["••"]          # K1, masked whole


def test_cells_that_say_there_is_no_value_are_named_before_the_import(app, store):
    # the CFPB's "None" sub-issue and an "N/A" customer: the report says what will be stored blank
    text = ("Date received,Issue,Sub-issue,Customer ID,Consumer complaint narrative\n"
            "2026-10-01,Billing,None,N/A,They charged me twice\n"
            "2026-10-02,Billing,Late fee,C2,The fee was wrong\n"
            "2026-10-03,Service,None,N/A,Rude staff at the counter\n")
    app.file_uploader(key="upload.files").set_value([("cfpb.csv", text.encode(), MIME["csv"])]).run()
    no_exception(app)
    # one box for the file, a line per column
    assert [i for i in texts(app.info) if "only say there is no value" in i] == [
        "- 2 cells in column “Sub-issue” only say there is no value (“None” × 2) and are read as blank."
        " To keep such a word as a value, write it another way in the file (e.g. “No Sub-issue”).\n"
        "- 2 cells in column “Customer ID” only say there is no value (“N/A” × 2) and are read as blank."
        " To keep such a word as a value, write it another way in the file (e.g. “No Customer ID”)."]
    preview = tables_headed(app, "Row", "Customer ID")[0]
    assert preview["Customer ID"].isna().tolist() == [True, False, True]
    import_button(app).click().run()
    no_exception(app)
    assert rows(store, "SELECT sub_cause, customer_id FROM complaint ORDER BY row_no") == [
        (None, None), ("Late fee", "C2"), (None, None)]
