"""Survey-platform exports on the Imports page in a real browser: each file uploaded as the tool
wrote it, its tool, kind and counts shown, answers given as words shown with their scores, the
questions the loaders cannot settle asked on the page, and the file imported (checked in the store
after the server stops). The files are tests/data/platforms/, built by make_platform_files.py."""
from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_for_app
from tests.e2e.test_upload import Dashboard, settle

pytestmark = pytest.mark.e2e

UPLOADER = '[data-testid="stFileUploaderDropzoneInput"]'


@pytest.fixture
def empty_dashboard(schema_template, tmp_path):
    db = tmp_path / "feedback.duckdb"
    shutil.copyfile(schema_template, db)          # an empty store with the schema
    served = Dashboard(db).start()
    yield served
    served.stop()


def open_imports(tab, dashboard, lang: str) -> None:
    tab.goto(f"{dashboard.url}/imports?lang={lang}")
    wait_for_app(tab)
    expect(tab.locator('[data-testid="stException"]')).to_have_count(0)


def upload_platform_file(tab, name: str) -> None:
    from conftest import TEST_DATA

    tab.locator(UPLOADER).set_input_files([str(TEST_DATA / "platforms" / name)])
    wait_for_app(tab)


def grid_text(tab, index: int) -> str:
    """The cells of an st.data_editor (drawn on a canvas; its accessible table holds the text)."""
    grid = tab.locator('[data-testid="stDataFrame"]').nth(index)
    grid.scroll_into_view_if_needed()
    return grid.locator("table").inner_text()


SURVEY_EXPORTS = [
    # file, language, the tool as the page names it, ratings stored, answers shown (None: numbers)
    ("qualtrics.csv", "en", "Qualtrics", 58, None),
    ("surveymonkey.csv", "en", "SurveyMonkey", 58, None),
    ("google_forms.csv", "en", "Google Forms", 58, None),
    ("microsoft_forms.xlsx", "en", "Microsoft Forms", 58, None),
    ("wjx.xlsx", "zh", "问卷星", 58, None),
    ("tencent.csv", "zh", "腾讯问卷", 58, None),
    ("microsoft_forms_words.xlsx", "en", "Microsoft Forms", 58, "Neither satisfied nor dissatisfied"),
    ("google_forms_words.csv", "en", "Google Forms", 58, "Excellent"),
    ("qualtrics_choice_text.csv", "en", "Qualtrics", 58, "Somewhat agree"),
    ("wjx_text.xlsx", "zh", "问卷星", 69, "比较满意"),
]
WORDS = {"en": {"detected": "Detected as Survey.", "rows": "12 rows under the header on row",
                "platform": "An export of {platform}: its own columns are ignored.",
                "good": "Every row is good: 12 rows are ready to import.", "answers": "Answers read as scores",
                "import": "Import", "imported": "Imported 12 rows from {name}"},
         "zh": {"detected": "识别为满意度问卷。", "rows": "其下共 12 行", "platform": "这是{platform}导出的文件：其自带的列已忽略。",
                "good": "全部有效：12 行可以导入。", "answers": "选项按分数读取", "import": "导入",
                "imported": "已从 {name} 导入 12 行"}}


@pytest.mark.parametrize("name, lang, platform, ratings, answer", SURVEY_EXPORTS)
def test_a_platform_export_is_recognised_shown_and_imported(empty_dashboard, page, name, lang, platform,
                                                            ratings, answer):
    words = WORDS[lang]
    open_imports(page, empty_dashboard, lang)
    upload_platform_file(page, name)
    expect(page.get_by_text(words["detected"], exact=False)).to_be_visible()
    expect(page.get_by_text(words["platform"].format(platform=platform), exact=False)).to_be_visible()
    expect(page.get_by_text(words["good"])).to_be_visible()
    if answer is None:
        assert page.get_by_text(words["answers"], exact=True).count() == 0
    else:
        expect(page.get_by_text(words["answers"], exact=True)).to_be_visible()
        assert answer in grid_text(page, 1)
    screenshot(page, f"platform-{name.replace('.', '-')}-{lang}")
    page.get_by_role("button", name=words["import"], exact=True).click()
    expect(page.get_by_text(words["imported"].format(name=name), exact=False)).to_be_visible(timeout=60_000)
    settle(page)
    assert empty_dashboard.rows("SELECT count(*) FROM survey_response") == [(12,)]
    assert empty_dashboard.rows("SELECT count(*) FROM survey_rating") == [(ratings,)]
    assert empty_dashboard.rows("SELECT sum(overall_satisfaction) FROM survey_response") == [(45,)]


def test_words_on_no_known_scale_are_scored_on_the_page(empty_dashboard, page):
    open_imports(page, empty_dashboard, "en")
    upload_platform_file(page, "google_forms_own_words.csv")
    expect(page.get_by_text("is answered with words no known scale has (bad, so-so)", exact=False)).to_be_visible()
    assert page.get_by_role("button", name="Import", exact=True).count() == 0
    screenshot(page, "platform-own-words-asked-en")
    for word, score in (("bad", "1"), ("so-so", "2")):
        box = page.locator('[data-testid="stNumberInput"]').filter(has_text=f"Score of '{word}'").locator("input")
        box.fill(score)
        box.press("Enter")
        settle(page)
    expect(page.get_by_text("Every row is good: 12 rows are ready to import.")).to_be_visible()
    assert "So-so" in grid_text(page, 1)
    screenshot(page, "platform-own-words-scored-en")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 12 rows from google_forms_own_words.csv", exact=False)).to_be_visible(
        timeout=60_000)
    settle(page)
    # item 1: Excellent 4, Good 3, So-so 2 -> 4,4,2,3,4,4,3,4,2,4,4,4 = 42 of 12
    assert empty_dashboard.rows("SELECT count(*), sum(score) FROM survey_rating WHERE item_text = ?",
                                "Clean and tidy branch") == [(12, 42)]


def test_coded_choices_are_asked_about_on_the_chinese_page(empty_dashboard, page):
    open_imports(page, empty_dashboard, "zh")
    upload_platform_file(page, "wjx_codes.xlsx")
    expect(page.get_by_text("以数字导出的选择题，不计评分：1、您的性别, 2、您来自哪个城市, 3、您使用的服务类型", exact=False)
           ).to_be_visible()
    expect(page.get_by_text("可能是所选选项的序号", exact=False)).to_be_visible()
    assert page.get_by_role("button", name="导入", exact=True).count() == 0
    screenshot(page, "platform-wjx-codes-asked-zh")
    expect(page.get_by_text("本应是名称，却是所选选项的序号", exact=False)).to_be_visible()
    page.get_by_text("评分", exact=True).click()
    settle(page)
    page.get_by_text("不导入该列", exact=True).click()
    settle(page)
    expect(page.get_by_text("全部有效：12 行可以导入。")).to_be_visible()
    screenshot(page, "platform-wjx-codes-answered-zh")
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("已从 wjx_codes.xlsx 导入 12 行", exact=False)).to_be_visible(timeout=60_000)
    settle(page)
    # the matrix's 58 and the proficiency question's 12 (1,4,3,2 three times: 30)
    assert empty_dashboard.rows("SELECT count(*) FROM survey_rating") == [(70,)]
    assert empty_dashboard.rows("SELECT sum(score) FROM survey_rating WHERE item_code = '柜员的业务熟练度'") == [(30,)]
    assert empty_dashboard.rows("SELECT count(branch) FROM survey_response") == [(0,)]
