"""Answers exported as words (and numbers that are a choice's position), from survey tools' exports.

The files in tests/data/platforms/ are built by make_platform_files.py from each tool's documented
export layout with invented rows, the same twelve respondents as the numeric exports (see
test_platform_files.py): 58 answered matrix cells of 60, item 1's scores 5,4,2,3,4,5,3,4,2,4,5,4
(sum 45, mean 3.75), overall satisfaction 5,4,2,2,4,5,3,4,2,4,5,5 (sum 45, mean 3.75), NPS 25.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import PROJECT_ROOT, TEST_DATA
from openpyxl import load_workbook

from loaders.answers import answer_sets, numbered, numbers_role, read_answer_columns
from loaders.columns import ColumnMapping
from loaders.errors import DecisionNeeded, ValidationError
from loaders.importer import import_file, prepare, undo
from presentation.upload import answers_from_table, answers_table, choice_overrides

PLATFORMS = TEST_DATA / "platforms"
ITEMS_SHORT = ["Clean and tidy branch", "Friendly staff", "Quick service", "Clear explanations",
               "Convenient opening hours"]
ITEMS = ["The branch was clean and tidy", "Staff were friendly", "You were served quickly",
         "Staff explained things clearly", "The opening hours suit you"]
ITEMS_ZH = ["环境整洁", "员工态度", "办理速度", "解释清楚", "营业时间"]
SATISFIED_5 = {"Very dissatisfied": 1.0, "Dissatisfied": 2.0, "Neither satisfied nor dissatisfied": 3.0,
               "Satisfied": 4.0, "Very satisfied": 5.0}


# --- words to scores --------------------------------------------------------------------------

@pytest.mark.parametrize("values, scores, answer_set", [
    (["Very satisfied", "Satisfied", "Neither satisfied nor dissatisfied", "Dissatisfied", "N/A"],
     {"Dissatisfied": 2.0, "Neither satisfied nor dissatisfied": 3.0, "Satisfied": 4.0, "Very satisfied": 5.0,
      "N/A": None}, "satisfaction_5"),
    (["Somewhat dissatisfied", "Extremely satisfied", "Somewhat satisfied"],
     {"Somewhat dissatisfied": 2.0, "Somewhat satisfied": 3.0, "Extremely satisfied": 4.0}, "satisfaction_4"),
    (["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"],
     {"Strongly disagree": 1.0, "Disagree": 2.0, "Neither agree nor disagree": 3.0, "Agree": 4.0,
      "Strongly agree": 5.0}, "agreement_5"),
    (["Strongly agree", "Agree", "Somewhat agree", "Somewhat disagree"],   # two 'agree' levels: 7 points
     {"Somewhat disagree": 3.0, "Somewhat agree": 5.0, "Agree": 6.0, "Strongly agree": 7.0}, "agreement_7"),
    (["Excellent", "Good", "Fair", "Poor"], {"Poor": 1.0, "Fair": 2.0, "Good": 3.0, "Excellent": 4.0}, "quality_4"),
    (["Excellent", "Very good", "Good", "Fair", "Poor"],
     {"Poor": 1.0, "Fair": 2.0, "Good": 3.0, "Very good": 4.0, "Excellent": 5.0}, "quality_5"),
    (["Extremely likely", "Somewhat likely", "Neither likely nor unlikely", "Extremely unlikely"],
     {"Extremely unlikely": 1.0, "Neither likely nor unlikely": 3.0, "Somewhat likely": 4.0,
      "Extremely likely": 5.0}, "likelihood_5"),
    (["非常满意", "比较满意", "一般", "不太满意", "非常不满意", "不适用"],
     {"非常不满意": 1.0, "不太满意": 2.0, "一般": 3.0, "比较满意": 4.0, "非常满意": 5.0, "不适用": None}, "satisfaction_5"),
    (["非常同意", "同意", "一般", "不同意", "非常不同意"],
     {"非常不同意": 1.0, "不同意": 2.0, "一般": 3.0, "同意": 4.0, "非常同意": 5.0}, "agreement_5"),
    # 问卷星's 认同 ("identify with") for agreeing: a real export's answers, 完全不认同 to 非常认同
    (["认同", "非常认同", "一般", "不认同", "完全不认同"],
     {"完全不认同": 1.0, "不认同": 2.0, "一般": 3.0, "认同": 4.0, "非常认同": 5.0}, "agreement_5"),
    (["很好", "好", "一般", "差", "很差"], {"很差": 1.0, "差": 2.0, "一般": 3.0, "好": 4.0, "很好": 5.0},
     "quality_5_very_poor"),
    (["5 - Very satisfied", "4 - Satisfied", "1 - Very dissatisfied"],
     {"1 - Very dissatisfied": 1.0, "4 - Satisfied": 4.0, "5 - Very satisfied": 5.0}, "numbered"),
    (["0 - Not at all likely", "7", "10 - Extremely likely", "Not applicable"],
     {"0 - Not at all likely": 0.0, "10 - Extremely likely": 10.0, "Not applicable": None}, "numbered"),
])
def test_words_are_scored_on_their_known_set(values, scores, answer_set):
    read = read_answer_columns({"q": values})["q"]
    assert (read.scores, read.unknown) == (scores, ())
    assert answer_sets(read.scores)["answer_set"] == answer_set


def test_words_among_numbers_beyond_their_set_are_asked_about():
    # a passenger survey's items hold 0 to 10 and, in some rows, Good or Poor: read on the quality
    # set, Good was 3 and Poor 1 on a 0-10 item, without a word
    read = read_answer_columns({"Seat_Comfort": ["Good", "10", "0", "Poor", "6", "3"]})["Seat_Comfort"]
    assert (read.scores, read.scale, read.answer_set, read.unknown) == ({}, (0.0, 10.0), None, ("good", "poor"))
    # the analyst's scores place them on the numbers' scale
    read = read_answer_columns({"Seat_Comfort": ["Good", "10", "0", "Poor", "6"]}, {"Good": 8, "Poor": 2})["Seat_Comfort"]
    assert (read.scores, read.scale, read.unknown) == ({"Poor": 2.0, "Good": 8.0}, (0.0, 10.0), ())
    # numbers within the set's points stay beside its words (4 - Good and 2 on a 5-point set)
    read = read_answer_columns({"q": ["Very good", "Good", "2", "Excellent"]})["q"]
    assert read.unknown == () and read.scores["Good"] == 3.0


def test_one_questionnaire_is_read_on_one_set():
    # alone, a column answered only Satisfied / Very satisfied fits 4 points; with its sibling's
    # Neither ... it is read on the 5 point set the file uses
    read = read_answer_columns({"a": ["Satisfied", "Very satisfied"],
                                "b": ["Neither satisfied nor dissatisfied", "Satisfied"]})
    assert read["a"].scores == {"Satisfied": 4.0, "Very satisfied": 5.0}
    assert read["a"].scale == (1.0, 5.0)


@pytest.mark.parametrize("values, unknown", [
    (["Very satisfied", "Satisfied", "Okay"], ("okay",)),
    (["Excellent", "Good", "So-so", "Bad"], ("bad", "so-so")),
])
def test_words_in_no_known_set_wait_for_the_analyst(values, unknown):
    assert read_answer_columns({"q": values})["q"].unknown == unknown


@pytest.mark.parametrize("values", [["Shanghai", "Hangzhou"], ["男", "女"], ["Good", "Great service", "Slow"],
                                    ["2026-10-01", "2026-10-02"], ["Plan 2", "Plan 3"]])
def test_text_that_is_not_answers_is_left_alone(values):
    assert read_answer_columns({"q": values}) == {}


@pytest.mark.parametrize("text, expected", [("5 - Very satisfied", 5.0), ("10 - Extremely likely", 10.0),
                                            ("非常满意(5分)", 5.0), ("4分", 4.0), ("2 - Plan B", None),
                                            ("2026-10-01", None)])
def test_numbered_answers(text, expected):
    assert numbered(text) == expected


@pytest.mark.parametrize("text, low, high, matrix, coded, role", [
    ("1、您的性别", 1, 2, False, True, "choice"),
    ("2、您来自哪个城市", 1, 3, False, True, "choice"),
    ("3、您使用的服务类型", 1, 4, False, True, "choice"),
    ("What is your gender?", 1, 3, False, True, "choice"),
    ("5、您对我行服务的总体满意度？", 1, 5, False, True, "rating"),
    ("4、(环境整洁)", 1, 5, True, True, "rating"),
    ("7、柜员的业务熟练度", 1, 4, False, True, "unsure"),      # says neither: ask
    ("您对哪个方面最满意", 1, 5, False, True, "unsure"),        # says both: ask
    ("Q7", 1, 2, False, True, "choice"),                        # two answers are no rating scale
    ("Cleanliness", 1, 5, False, False, "rating"),              # a plain file's numbers are scores
])
def test_numbers_a_choice_or_a_rating(text, low, high, matrix, coded, role):
    assert numbers_role(text, low, high, matrix, coded) == role


# --- the exports ---------------------------------------------------------------------------------

WORD_EXPORTS = [
    # file, platform, ratings' item texts, scale max, item 1's answers, item 1's mean, overall's answers,
    # ratings imported, mean overall, header rows
    ("microsoft_forms_words.xlsx", "microsoft_forms", ITEMS_SHORT, 5.0,
     {"Dissatisfied": 2.0, "Neither satisfied nor dissatisfied": 3.0, "Satisfied": 4.0, "Very satisfied": 5.0},
     3.75, "satisfaction_5", 58),
    # Poor / Fair / Good / Excellent: a 5 is an Excellent, so item 1 is 4,4,2,3,4,4,3,4,2,4,4,4 = 42 -> 3.5
    ("google_forms_words.csv", "google_forms", ITEMS_SHORT, 4.0,
     {"Fair": 2.0, "Good": 3.0, "Excellent": 4.0}, 3.5, "satisfaction_5", 58),
    ("qualtrics_choice_text.csv", "qualtrics", ITEMS, 5.0,
     {"Somewhat disagree": 2.0, "Neither agree nor disagree": 3.0, "Somewhat agree": 4.0, "Strongly agree": 5.0},
     3.75, "satisfaction_5", 58),
    # the matrix's 58 and the parking question's 11 (one 不适用)
    ("wjx_text.xlsx", "wjx", ITEMS_ZH + ["您对网点周边停车的评价"], 5.0,
     {"不太满意": 2.0, "一般": 3.0, "比较满意": 4.0, "非常满意": 5.0}, 3.75, "satisfaction_5", 69),
]


@pytest.mark.parametrize("name, platform, items, scale_max, first_answers, first_mean, overall_set, ratings",
                         WORD_EXPORTS)
@pytest.mark.slow
def test_an_export_with_word_answers_imports_scored(con, name, platform, items, scale_max, first_answers,
                                                    first_mean, overall_set, ratings):
    prepared = prepare(con, PLATFORMS / name)
    mapping = prepared.mapping
    assert (mapping.kind, mapping.platform, prepared.decisions) == ("survey", platform, ())
    assert [r.item_text for r in mapping.ratings] == items
    assert [r.scale_max for r in mapping.ratings][:5] == [scale_max] * 5
    first = mapping.ratings[0].column
    assert mapping.answers[first] == first_answers
    overall = mapping.fields["overall_satisfaction"]
    assert answer_sets(mapping.answers[overall])["answer_set"] == overall_set
    assert mapping.overall_scale == (1.0, 5.0)

    result = import_file(con, PLATFORMS / name)
    assert (result.rows_accepted, result.rows_rejected, result.ratings) == (12, 0, ratings)
    assert con.execute("SELECT avg(score) FROM survey_rating WHERE item_text = ?", [items[0]]).fetchone()[0] == first_mean
    assert con.execute("SELECT sum(overall_satisfaction) FROM survey_response").fetchone()[0] == 45
    promoters, detractors, n = con.execute(
        "SELECT count_if(likelihood_to_recommend >= 9), count_if(likelihood_to_recommend <= 6),"
        " count(likelihood_to_recommend) FROM survey_response").fetchone()
    assert (promoters, detractors, n) == (6, 3, 12)


def test_qualtrics_choice_text_reads_the_labelled_end_points_and_leaves_the_group_words(con):
    mapping = prepare(con, PLATFORMS / "qualtrics_choice_text.csv").mapping
    assert mapping.answers["Q4"] == {"0 - Not at all likely": 0.0, "10 - Extremely likely": 10.0}
    assert "Q4_NPS_GROUP" in mapping.platform_columns and "Q1" in mapping.ignored
    import_file(con, PLATFORMS / "qualtrics_choice_text.csv")
    assert con.execute("SELECT likelihood_to_recommend FROM survey_response ORDER BY row_no").fetchall()[3] == (0,)


def test_wjx_text_reads_not_applicable_as_a_blank(con):
    import_file(con, PLATFORMS / "wjx_text.xlsx")
    # parking: item 1's scores with respondent 7's 3 not applicable -> (45 - 3) / 11
    assert con.execute("SELECT count(score), sum(score) FROM survey_rating WHERE item_text = '您对网点周边停车的评价'"
                       ).fetchone() == (11, 42)


def test_words_no_known_scale_has_are_asked_for_and_scored_by_the_analyst(con):
    prepared = prepare(con, PLATFORMS / "google_forms_own_words.csv")
    assert [d.code for d in prepared.decisions] == ["answer_words"]
    assert prepared.decisions[0].values["words"] == ["bad", "so-so"]
    with pytest.raises(DecisionNeeded) as asked:
        import_file(con, PLATFORMS / "google_forms_own_words.csv")
    assert asked.value.flag == '--answer "ANSWER=SCORE"'
    result = import_file(con, PLATFORMS / "google_forms_own_words.csv", answers={"So-so": 2, "Bad": 1})
    assert result.ratings == 58
    assert con.execute("SELECT avg(score), max(scale_max) FROM survey_rating WHERE item_text = ?",
                       [ITEMS_SHORT[0]]).fetchone() == (3.5, 4.0)


def test_wjx_coded_choices_are_choices_and_the_unsure_one_is_asked(con):
    prepared = prepare(con, PLATFORMS / "wjx_codes.xlsx")
    mapping = prepared.mapping
    assert mapping.choice_columns == ("1、您的性别", "2、您来自哪个城市", "3、您使用的服务类型")
    assert mapping.unsure_columns == ("7、柜员的业务熟练度",)
    assert [r.item_text for r in mapping.ratings] == ITEMS_ZH
    # the branch question answered 1-3 would make branches named 1, 2 and 3: asked too
    assert mapping.fields["branch"] == "9、您本次办理业务的网点是？"
    assert [d.code for d in prepared.decisions] == ["choice_or_rating", "coded_names"]
    with pytest.raises(DecisionNeeded) as asked:
        import_file(con, PLATFORMS / "wjx_codes.xlsx")
    assert '--map "7、柜员的业务熟练度=ignore"' in str(asked.value)
    with pytest.raises(DecisionNeeded) as asked:
        import_file(con, PLATFORMS / "wjx_codes.xlsx", overrides=["7、柜员的业务熟练度=item:熟练度"])
    assert asked.value.code == "coded_names" and '--map "9、您本次办理业务的网点是？=ignore"' in str(asked.value)
    # the analyst says it is a rating: 1,4,3,2 three times -> 30 / 12 = 2.5
    result = import_file(con, PLATFORMS / "wjx_codes.xlsx",
                         overrides=["7、柜员的业务熟练度=item:熟练度", "9、您本次办理业务的网点是？=ignore"])
    assert result.ratings == 58 + 12
    assert con.execute("SELECT avg(score) FROM survey_rating WHERE item_code = '熟练度'").fetchone()[0] == 2.5


def test_qualtrics_numeric_values_of_choice_questions_are_choices(con):
    prepared = prepare(con, PLATFORMS / "qualtrics_numeric_choices.csv")
    mapping = prepared.mapping
    assert (mapping.choice_columns, mapping.unsure_columns) == (("Q1", "Q6", "Q8"), ("Q9",))
    assert [r.item_code for r in mapping.ratings] == ["Q2_1", "Q2_2", "Q2_3", "Q2_4", "Q2_5"]
    assert [d.code for d in prepared.decisions] == ["choice_or_rating"]
    result = import_file(con, PLATFORMS / "qualtrics_numeric_choices.csv", overrides=["Q9=ignore"])
    assert (result.rows_accepted, result.ratings) == (12, 58)


def test_an_answer_a_saved_mapping_does_not_know_is_a_problem_naming_the_flag(con, tmp_path):
    first = import_file(con, PLATFORMS / "microsoft_forms_words.xlsx")
    saved = prepare(con, PLATFORMS / "microsoft_forms_words.xlsx")
    assert saved.mapping_origin == "saved"
    book = load_workbook(PLATFORMS / "microsoft_forms_words.xlsx")
    book.active["H2"] = "Quite satisfied"         # row 2's Clean and tidy branch
    path = tmp_path / "microsoft_forms_words_next.xlsx"
    book.save(path)
    with pytest.raises(ValidationError) as refused:
        import_file(con, path)
    problem = refused.value.problems[0]
    assert (problem.row, problem.column, problem.value, problem.code, problem.fix_code) == (
        2, "Clean and tidy branch", "Quite satisfied", "not_answer", "answer")
    # the same twelve respondents: the first batch goes, or the store would refuse them as duplicates
    undo(con, first.batch_id)
    result = import_file(con, path, answers={"Quite satisfied": 4})
    assert (result.rows_accepted, result.ratings) == (12, 58)


def test_the_mapping_file_keeps_the_answers_and_an_analyst_may_write_them_as_an_object():
    mapping = ColumnMapping.from_json(json.dumps({"kind": "survey", "answers": {"Q1": {"Top": 5, "N/A": None}}}))
    assert mapping.answers == {"Q1": {"Top": 5.0, "N/A": None}}
    assert ColumnMapping.from_json(mapping.to_json()) == mapping


# --- the command line -----------------------------------------------------------------------------

def run_cli(*args: str):
    return subprocess.run([sys.executable, "-m", "loaders", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT)


@pytest.mark.parametrize("name, column, answers, answer_set", [
    ("microsoft_forms_words.xlsx", "Friendly staff",
     {"Dissatisfied": 2.0, "Neither satisfied nor dissatisfied": 3.0, "Satisfied": 4.0, "Very satisfied": 5.0,
      "N/A": None}, "satisfaction_5"),
    ("google_forms_words.csv", "How would you rate the following? [Quick service]",
     {"Poor": 1.0, "Fair": 2.0, "Good": 3.0, "Excellent": 4.0}, "quality_4"),
    ("qualtrics_choice_text.csv", "Q3",
     {"Somewhat dissatisfied": 2.0, "Neither satisfied nor dissatisfied": 3.0, "Somewhat satisfied": 4.0,
      "Extremely satisfied": 5.0}, "satisfaction_5"),
    ("wjx_text.xlsx", "5、您对网点周边停车的评价", {"差": 2.0, "一般": 3.0, "好": 4.0, "很好": 5.0, "不适用": None},
     "quality_5_very_poor"),
])
@pytest.mark.slow
def test_cli_dry_run_json_shows_every_answers_score(db_path, name, column, answers, answer_set):
    done = run_cli("import", str(PLATFORMS / name), "--dry-run", "--json", "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)
    assert (decision["status"], decision["validation"]["rows_valid"]) == ("dry_run", 12)
    entry = {c["column"]: c for c in decision["columns"]}[column]
    assert (entry["answers"], entry["answer_set"]) == (answers, answer_set)
    assert decision["mapping"]["answers"][column] == answers


@pytest.mark.slow
def test_cli_asks_for_unknown_words_and_unsure_numbers_naming_the_flags(db_path):
    words = run_cli("import", str(PLATFORMS / "google_forms_own_words.csv"), "--dry-run", "--json",
                    "--db", str(db_path))
    assert words.returncode == 3 and '--answer "bad=SCORE"' in words.stderr
    assert json.loads(words.stdout)["decisions"][0]["values"]["words"] == ["bad", "so-so"]
    scored = run_cli("import", str(PLATFORMS / "google_forms_own_words.csv"), "--answer", "So-so=2",
                     "--answer", "Bad=1", "--dry-run", "--json", "--db", str(db_path))
    assert scored.returncode == 0, scored.stderr
    entry = {c["column"]: c for c in json.loads(scored.stdout)["columns"]}[
        "How would you rate the following? [Quick service]"]
    assert entry["answers"] == {"Bad": 1.0, "So-so": 2.0, "Good": 3.0, "Excellent": 4.0}
    codes = run_cli("import", str(PLATFORMS / "wjx_codes.xlsx"), "--dry-run", "--json", "--db", str(db_path))
    assert codes.returncode == 3 and '--map "7、柜员的业务熟练度=ignore"' in codes.stderr
    decided = json.loads(codes.stdout)
    columns = {c["column"]: c for c in decided["columns"]}
    assert columns["1、您的性别"]["choice_numbers"] and columns["7、柜员的业务熟练度"]["choice_or_rating"]
    settled = run_cli("import", str(PLATFORMS / "wjx_codes.xlsx"), "--map", "7、柜员的业务熟练度=ignore",
                      "--map", "9、您本次办理业务的网点是？=branch", "--db", str(db_path))
    assert settled.returncode == 0, settled.stderr
    assert "imported survey: 12 rows, 58 ratings" in settled.stdout


@pytest.mark.slow
def test_a_later_zero_on_a_1_based_item_says_so_and_takes_the_na_code_flag(db_path, tmp_path):
    first = run_cli("import", str(PLATFORMS / "survey_no_dates.csv"), "--date", "2026-10-15", "--db", str(db_path))
    assert first.returncode == 0, first.stderr
    later = tmp_path / "survey_next.csv"
    later.write_bytes((PLATFORMS / "survey_no_dates.csv").read_bytes() + b"C300,Hangzhou Xihu,0,4,3,\n")
    refused = run_cli("import", str(later), "--date", "2026-11-15", "--db", str(db_path))
    assert refused.returncode == 2
    assert "row 10, column 'Cleanliness': is 0, outside the scale 1-5" in refused.stderr
    assert '--na-code "COLUMN=0"' in refused.stderr
    done = run_cli("import", str(later), "--date", "2026-11-15", "--na-code", "Cleanliness=0", "--json",
                   "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    imported = json.loads(done.stdout)
    # 9 rows x 3 items, the one 0 not applicable -> 26 ratings
    assert imported["imported"] == {"rows": 9, "rows_skipped": 0, "rows_duplicate": 0, "ratings": 26}
    assert {c["column"]: c for c in imported["columns"]}["Cleanliness"]["na_code"] == 0.0
    wrong = run_cli("import", str(later), "--date", "2026-11-15", "--na-code", "Comment=0", "--db", str(db_path))
    assert wrong.returncode == 1 and "'Comment' is not a rated item's column" in wrong.stderr


# --- the page's tables ------------------------------------------------------------------------------

def test_the_answers_table_shows_each_word_and_takes_the_analysts_scores(con):
    mapping = prepare(con, PLATFORMS / "google_forms_words.csv").mapping
    table = answers_table(mapping, "en")
    quick = table[table["column"] == "How would you rate the following? [Quick service]"]
    assert list(zip(quick["answer"], quick["score"])) == [("Poor", 1.0), ("Fair", 2.0), ("Good", 3.0),
                                                          ("Excellent", 4.0)]
    assert quick["read_on"].iloc[0].startswith("4 points: Poor < Fair < Good < Excellent · also possible on a scale of 5")
    overall = table[table["column"] == "Overall, how satisfied are you with our bank?"]
    assert overall["read_on"].iloc[0].startswith("5 points: Dissatisfied < Neither satisfied nor dissatisfied")
    # the analyst reads Excellent as 5 on a 5 point scale
    table.loc[table["answer"] == "Excellent", "score"] = 5.0
    corrected = answers_from_table(table, mapping)
    assert corrected.answers["How would you rate the following? [Quick service]"]["Excellent"] == 5.0
    assert answers_from_table(answers_table(mapping, "zh"), mapping) is mapping
    assert choice_overrides({"7、柜员的业务熟练度": "rating", "1、您的性别": "choice", "2、您来自哪个城市": None}) == (
        "7、柜员的业务熟练度=item:柜员的业务熟练度", "1、您的性别=ignore")
