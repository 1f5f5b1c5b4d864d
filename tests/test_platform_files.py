"""Files as analysts receive them: survey-platform exports, complaint logs as systems export them,
and files that are broken, unusual, or need the analyst to decide.

The files in tests/data/platforms/ are built by make_platform_files.py from each platform's
documented layout with invented rows. Every survey export holds the same twelve respondents, so
the expected values below are worked out once from the generator's tables:
- ratings: 12 respondents x 5 items = 60 cells, two left blank (respondent 10's second item,
  respondent 11's fifth) -> 58 ratings;
- item 1 (clean and tidy): 5+4+2+3+4+5+3+4+2+4+5+4 = 45 -> mean 3.75;
- likelihood to recommend 10,8,3,5,9,10,7,8,4,9,10,9: promoters (9-10) 6, detractors (0-6) 3
  -> NPS = 100 x (6 - 3) / 12 = 25;
- respondent 1 answered on 2026-10-01 at 09:05:07.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from conftest import PROJECT_ROOT, TEST_DATA

from loaders.columns import KindEvidence
from loaders.errors import DecisionNeeded, KindDecisionNeeded, MalformedFileError, ValidationError
from loaders.importer import import_file, prepare, undo
from loaders.read import read_source
from presentation.problems import refusal

PLATFORMS = TEST_DATA / "platforms"
ITEMS = ["The branch was clean and tidy", "Staff were friendly", "You were served quickly",
         "Staff explained things clearly", "The opening hours suit you"]
ITEMS_SHORT = ["Clean and tidy branch", "Friendly staff", "Quick service", "Clear explanations",
               "Convenient opening hours"]
ITEMS_ZH = ["环境整洁", "员工态度", "办理速度", "解释清楚", "营业时间"]

SURVEY_EXPORTS = [
    # file, platform, header rows, date column, id column, item texts, branch of row 1, own columns
    ("qualtrics.csv", "qualtrics", [1, 2, 3], "RecordedDate", "ResponseId", ITEMS, "Shanghai Pudong",
     ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
      "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference", "LocationLatitude",
      "LocationLongitude", "DistributionChannel", "UserLanguage", "Q4_NPS_GROUP"]),
    ("qualtrics.xlsx", "qualtrics", [1, 2, 3], "RecordedDate", "ResponseId", ITEMS, "Shanghai Pudong",
     ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
      "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference", "LocationLatitude",
      "LocationLongitude", "DistributionChannel", "UserLanguage", "Q4_NPS_GROUP"]),
    ("surveymonkey.csv", "surveymonkey", [1, 2], "End Date", "Respondent ID", ITEMS_SHORT, "Shanghai Pudong",
     ["Collector ID", "Start Date", "IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1"]),
    ("google_forms.csv", "google_forms", [1], "Timestamp", None, ITEMS_SHORT, "Shanghai Pudong",
     ["Email Address"]),
    ("microsoft_forms.xlsx", "microsoft_forms", [1], "Completion time", "ID",
     [item.lower() for item in ITEMS_SHORT], "Shanghai Pudong", ["Start time", "Email", "Name", "Last modified time"]),
    ("wjx.xlsx", "wjx", [1], "提交答卷时间", "序号", ITEMS_ZH, "上海浦东支行", ["所用时间", "来源", "来源详情", "来自IP"]),
    ("tencent.csv", "tencent", [1], "结束答题时间", "编号", ITEMS_ZH, "上海浦东支行",
     ["开始答题时间", "答题时长", "地理位置国家和地区", "地理位置省", "地理位置市", "自定义字段"]),
]


@pytest.mark.parametrize("name, platform, header_rows, date_column, id_column, items, branch, own",
                         SURVEY_EXPORTS)
def test_a_survey_platform_export_imports_as_it_comes(con, name, platform, header_rows, date_column,
                                                     id_column, items, branch, own):
    prepared = prepare(con, PLATFORMS / name)
    mapping = prepared.mapping
    assert (mapping.kind, mapping.platform) == ("survey", platform)
    source = prepared.source
    assert list(range(source.header_row, source.header_row + source.header_rows)) == header_rows
    assert mapping.fields["responded_at"] == date_column
    assert mapping.fields.get("respondent_id") == id_column
    assert {"branch", "overall_satisfaction", "likelihood_to_recommend", "comment"} <= set(mapping.fields)
    assert [r.item_text for r in mapping.ratings] == items
    assert [(r.scale_min, r.scale_max) for r in mapping.ratings] == [(1.0, 5.0)] * 5
    assert list(mapping.platform_columns) == own
    assert set(own) <= set(mapping.ignored)
    assert prepared.decisions == ()

    result = import_file(con, PLATFORMS / name)
    assert (result.rows_accepted, result.rows_rejected, result.ratings) == (12, 0, 58)
    first = con.execute("SELECT responded_at, branch FROM survey_response ORDER BY row_no LIMIT 1").fetchone()
    assert first == (dt.datetime(2026, 10, 1, 9, 5, 7), branch)
    promoters, detractors, n = con.execute(
        "SELECT count_if(likelihood_to_recommend >= 9), count_if(likelihood_to_recommend <= 6),"
        " count(likelihood_to_recommend) FROM survey_response").fetchone()
    assert 100 * (promoters - detractors) / n == 25.0
    assert con.execute("SELECT avg(score) FROM survey_rating WHERE item_text = ?", [items[0]]).fetchone()[0] == 3.75
    assert con.execute("SELECT count(*) FROM survey_response WHERE comment IS NOT NULL").fetchone()[0] == 7


def test_qualtrics_legacy_codes_give_way_to_the_names_below_them(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_text("V1,V2,V8,V9,Q1,Q2\nResponseID,ResponseSet,StartDate,EndDate,Service was quick,"
                    "Staff were kind\nR_1,Default,2026-10-01 09:00:00,2026-10-01 09:02:00,4,5\n"
                    "R_2,Default,2026-10-02 10:00:00,2026-10-02 10:03:00,3,4\n", encoding="utf-8")
    source = read_source(path)
    assert (source.header_rows, source.headers[:4]) == (2, ("ResponseID", "ResponseSet", "StartDate", "EndDate"))
    assert source.texts[4:] == ("Service was quick", "Staff were kind")


def test_complaint_database_export_maps_its_columns_and_keeps_line_breaks(con):
    prepared = prepare(con, PLATFORMS / "consumer_complaints.csv")
    assert prepared.mapping.kind == "complaints"
    assert prepared.mapping.fields == {
        "received_at": "Date received", "product": "Product", "cause": "Issue", "sub_cause": "Sub-issue",
        "description": "Consumer complaint narrative", "region": "State", "channel": "Submitted via",
        "status": "Company response to consumer", "complaint_ref": "Complaint ID"}
    result = import_file(con, PLATFORMS / "consumer_complaints.csv")
    assert (result.rows_accepted, result.rows_rejected) == (8, 0)
    rows = con.execute("SELECT complaint_ref, region, status, description FROM complaint ORDER BY row_no").fetchall()
    assert rows[0][:3] == ("9100000", "CA", "Closed with explanation")
    assert rows[0][3] == ("I deposited a check on XX/XX/2026 and the funds were never made available.\n\n"
                          "I called twice and was told to wait.")
    assert rows[2][3] == "A collector keeps calling about a debt that is not mine.\nI sent a letter; \"they ignored it\"."


def test_a_complaint_database_extract_with_its_own_column_names_keeps_the_status(con, tmp_path):
    # an analyst's extract of the same database, names in snake case and "to" dropped
    path = tmp_path / "extract.csv"
    path.write_text("complaint_id,submitted_via,date_submitted,date_received,state,product,issue,"
                    "company_public_response,company_response_consumer,timely_response\n"
                    "4848023,Referral,2021-10-24,2021-10-27,NY,Mortgage,Applying for a mortgage,"
                    "Company chooses not to provide a public response,Closed with explanation,Yes\n"
                    "3621464,Web,2020-04-24,2020-04-24,FL,Money transfer,Lost or stolen check,,In progress,Yes\n",
                    encoding="utf-8")
    fields = prepare(con, path).mapping.fields
    assert fields["status"] == "company_response_consumer" and fields["received_at"] == "date_received"
    assert fields["region"] == "state" and fields["cause"] == "issue"


def test_a_column_of_us_states_is_a_region_never_a_status(con, tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("Ticket,Received,Description,State\nT1,2026-10-01,Card blocked abroad,CA\n"
                    "T2,2026-10-02,Long queue at the branch,TX\nT3,2026-10-03,App crashed,NY\n", encoding="utf-8")
    fields = prepare(con, path).mapping.fields
    assert fields.get("region") == "State" and "status" not in fields


def test_chinese_complaint_log_maps_types_content_and_open_cases(con):
    prepared = prepare(con, PLATFORMS / "complaints_zh.xlsx")
    assert prepared.mapping.fields == {
        "complaint_ref": "工单编号", "received_at": "受理时间", "channel": "受理渠道", "customer_id": "客户编号",
        "cause": "投诉类型", "sub_cause": "问题类型", "description": "投诉内容", "status": "处理状态",
        "resolved_at": "办结时间", "satisfaction_after": "回访满意度", "branch": "所属网点"}
    result = import_file(con, PLATFORMS / "complaints_zh.xlsx")
    assert (result.rows_accepted, result.rows_rejected) == (6, 0)
    # two complaints have no resolution date: open, not an error
    assert con.execute("SELECT count(*) FROM complaint WHERE resolved_at IS NULL").fetchone()[0] == 2


def test_text_never_maps_into_a_number_and_ratings_are_not_dropped(con):
    prepared = prepare(con, PLATFORMS / "airline_like.csv")
    mapping = prepared.mapping
    assert mapping.kind == "survey"
    assert "overall_satisfaction" not in mapping.fields and "satisfaction" in mapping.ignored
    assert len(mapping.ratings) == 14
    # 20 passengers x 14 services = 280 cells; a rating of 0 means not applicable: 3 a row for the
    # 10 even-numbered rows, 2 for the others (the generator's (3i + 5k) mod 6) -> 280 - 50 = 230
    assert import_file(con, PLATFORMS / "airline_like.csv").ratings == 230


def test_headers_id_date_q1_make_a_survey_not_a_complaint_log(con):
    mapping = prepare(con, PLATFORMS / "id_date_questions.csv").mapping
    assert (mapping.kind, [r.item_code for r in mapping.ratings]) == ("survey", ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"])


def test_when_two_kinds_fit_it_asks_naming_the_candidates(con):
    with pytest.raises(KindDecisionNeeded) as asked:
        prepare(con, PLATFORMS / "complaints_with_scores.csv")
    assert "--kind survey or --kind complaints" in str(asked.value)
    assert [e.kind for e in asked.value.candidates][:2] == ["survey", "complaints"]
    assert all(isinstance(e, KindEvidence) for e in asked.value.candidates)
    chosen = prepare(con, PLATFORMS / "complaints_with_scores.csv", kind="complaints").mapping
    assert chosen.ignored == ("Q1", "Q2", "Q3")


def test_title_rows_and_a_group_row_above_the_header(con):
    source = read_source(PLATFORMS / "title_two_header_rows.xlsx")
    assert (source.header_row, source.row_count) == (5, 6)
    assert source.headers == ("Respondent", "Date", "Cleanliness", "Friendliness", "Speed", "Satisfaction")
    forced = read_source(PLATFORMS / "title_two_header_rows.xlsx", header_row=5)
    assert forced.headers == source.headers


@pytest.mark.parametrize("name, row, code", [("truncated.csv", 4, "unclosed_quote"),
                                             ("too_many_fields.csv", 4, "too_many_cells")])
def test_a_broken_csv_is_refused_with_its_row(name, row, code):
    with pytest.raises(MalformedFileError) as refused:
        read_source(PLATFORMS / name)
    assert (refused.value.row, refused.value.code) == (row, code)
    assert f"row {row}" in str(refused.value)


def test_utf16_tab_separated_text_reads(con):
    source = read_source(PLATFORMS / "nps_utf16.txt")
    assert (source.encoding, source.headers, source.row_count) == ("utf-16", ("Customer ID", "Date", "Score", "Comment"), 6)
    assert import_file(con, PLATFORMS / "nps_utf16.txt").rows_accepted == 6


def test_a_survey_without_dates_needs_the_fieldwork_date(con):
    prepared = prepare(con, PLATFORMS / "survey_no_dates.csv")
    assert [d.code for d in prepared.decisions] == ["no_date"]
    with pytest.raises(DecisionNeeded):
        import_file(con, PLATFORMS / "survey_no_dates.csv")
    result = import_file(con, PLATFORMS / "survey_no_dates.csv", fieldwork_date="2026-10-15")
    assert (result.rows_accepted, result.ratings) == (8, 24)
    assert con.execute("SELECT DISTINCT responded_at FROM survey_response").fetchall() == [(dt.datetime(2026, 10, 15),)]


def test_a_questions_sheet_is_found_by_its_content(con):
    mapping = prepare(con, PLATFORMS / "servqual_item_sheet.xlsx").mapping
    by_column = {r.column: r for r in mapping.ratings}
    assert len(by_column) == 10
    assert (by_column["P_S01"].item_text, by_column["P_S01"].dimension, by_column["P_S01"].kind) == (
        "Modern-looking equipment", "tangibles", "perception")
    assert {(r.scale_min, r.scale_max) for r in mapping.ratings} == {(1.0, 7.0)}


@pytest.mark.slow
def test_renamed_codes_keep_the_items_and_new_items_wait_for_the_analyst(con):
    import_file(con, PLATFORMS / "qualtrics.csv")
    renamed = prepare(con, PLATFORMS / "qualtrics_next_month.csv")
    assert renamed.decisions == ()
    assert [r.item_code for r in renamed.mapping.ratings] == ["Q2_1", "Q2_2", "Q2_3", "Q2_4", "Q2_5"]
    next_month = import_file(con, PLATFORMS / "qualtrics_next_month.csv")
    assert con.execute("SELECT count(DISTINCT position) FROM survey_item").fetchone()[0] == 5
    with pytest.raises(DecisionNeeded) as asked:
        import_file(con, PLATFORMS / "qualtrics_new_item.csv")
    assert asked.value.flag == "--accept-new-items"
    assert asked.value.values["new_items"] == [["Q7_6", "Parking was easy to find"]]
    # the same responses with one more item: next month's batch holds them, so it is undone first
    undo(con, next_month.batch_id)
    assert import_file(con, PLATFORMS / "qualtrics_new_item.csv", accept_new_items=True).ratings == 58 + 12


def test_exact_problem_counts(con, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("Customer ID,Date,Score\n" + "".join(f"C{i},2026-10-01,{11 if i < 60 else 5}\n"
                                                         for i in range(120)), encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        import_file(con, path, kind="nps")
    assert (refused.value.rows_invalid, refused.value.problem_count) == (60, 60)
    assert refusal(refused.value, "en").endswith("... and 10 more problems")


# --- the command line --------------------------------------------------------------------------

def run_cli(*args: str):
    return subprocess.run([sys.executable, "-m", "loaders", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT)


@pytest.mark.slow
def test_cli_dry_run_json_prints_the_whole_decision(db_path):
    done = run_cli("import", str(PLATFORMS / "surveymonkey.csv"), "--dry-run", "--json", "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)
    assert (decision["status"], decision["kind"], decision["platform"], decision["header_rows"]) == (
        "dry_run", "survey", "surveymonkey", [1, 2])
    columns = {c["column"]: c for c in decision["columns"]}
    friendly = columns["Please rate the branch on each of the following. - Friendly staff"]
    assert (friendly["target"], friendly["scale_min"], friendly["scale_max"], friendly["na_code"]) == (
        "item:Friendly staff", 1.0, 5.0, None)
    assert (columns["IP Address"]["target"], columns["IP Address"]["platform_column"]) == ("ignore", True)
    assert decision["validation"]["rows_valid"] == 12
    assert "batch_id" not in decision


@pytest.mark.slow
def test_cli_exit_codes(db_path, tmp_path):
    asked = run_cli("import", str(PLATFORMS / "survey_no_dates.csv"), "--db", str(db_path))
    assert asked.returncode == 3 and "--date YYYY-MM-DD" in asked.stderr
    kinds = run_cli("import", str(PLATFORMS / "complaints_with_scores.csv"), "--json", "--db", str(db_path))
    assert kinds.returncode == 3 and "--kind survey or --kind complaints" in kinds.stderr
    assert json.loads(kinds.stdout)["decisions"][0]["code"] == "kind"
    broken = run_cli("import", str(PLATFORMS / "truncated.csv"), "--db", str(db_path))
    assert broken.returncode == 2 and "truncated.csv, row 4" in broken.stderr
    done = run_cli("import", str(PLATFORMS / "survey_no_dates.csv"), "--date", "2026-10-15",
                   "--map", "Speed=ignore", "--json", "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    imported = json.loads(done.stdout)
    assert imported["imported"] == {"rows": 8, "rows_skipped": 0, "rows_duplicate": 0, "ratings": 16}
    assert imported["batch_id"] and imported["constants"] == {"responded_at": "2026-10-15"}
    # the mapping --json printed, saved to a file, imports the next file the same way
    mapping_file = tmp_path / "mapping.json"
    mapping_file.write_text(json.dumps(imported["mapping"]), encoding="utf-8")
    again = tmp_path / "next.csv"
    again.write_bytes((PLATFORMS / "survey_no_dates.csv").read_bytes() + b"C200,Hangzhou Xihu,4,4,3,\n")
    # (the file's first eight rows are the batch's: only the new one is imported)
    reused = run_cli("import", str(again), "--mapping", str(mapping_file), "--skip-duplicates", "--db", str(db_path))
    assert reused.returncode == 0, reused.stderr
    assert "imported survey: 1 rows, 2 ratings" in reused.stdout
    assert "8 rows were already in the store and were skipped" in reused.stdout


@pytest.mark.parametrize("name, expected", [
    # the generator's ten descriptions per file. Each text joins the theme of its most widespread
    # shared word: the three app texts share 闪退 / app, the two about manner 态度; 时间 is in two
    # texts like 排队, so the text with 时间 but no 排队 leads a theme of its own; the two fee texts in
    # Chinese (年费, 收费) share no word after jieba, so they keep no cause.
    ("complaints_no_cause_zh.csv", {"排队 / 时间": 2, "时间 / 长": 1, "闪退 / 手机": 3, "态度": 2}),
    ("complaints_no_cause_en.csv", {"queue": 1, "long / queue": 1, "counter / long": 2, "app": 3,
                                    "rude / staff": 1, "fee": 2}),
])
def test_a_log_without_causes_gets_the_themes_of_its_descriptions(con, name, expected):
    import_file(con, PLATFORMS / name)
    counts = dict(con.execute("SELECT cause, count(*) FROM complaint WHERE cause IS NOT NULL GROUP BY cause").fetchall())
    assert counts == expected
    assert con.execute("SELECT DISTINCT cause_source FROM complaint WHERE cause IS NOT NULL").fetchall() == [("derived",)]
