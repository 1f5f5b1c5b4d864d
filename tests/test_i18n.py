"""Every word in two languages, read from the locale files, and no user-facing words outside them."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from presentation.i18n import LANGUAGES, LOCALES, MISSING, placeholders, texts, translate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((PROJECT_ROOT / "pages").glob("*.py"))
PRESENTATION = sorted((PROJECT_ROOT / "presentation").glob("*.py"))
ENTRIES = [PROJECT_ROOT / "app.py", PROJECT_ROOT / "loaders" / "__main__.py", PROJECT_ROOT / "analytics" / "__main__.py"]
ENGLISH = texts("en")

# Streamlit calls whose string arguments a reader sees
DISPLAY_CALLS = {
    "title", "header", "subheader", "markdown", "caption", "write", "text", "info", "warning", "error",
    "success", "toast", "metric", "button", "radio", "selectbox", "multiselect", "segmented_control", "pills",
    "toggle", "checkbox", "slider", "select_slider", "date_input", "expander", "tabs", "page_link", "Page",
    "popover", "download_button", "number_input", "text_input", "badge", "set_page_config",
}
# keyword arguments that are identifiers or formats, not words
TECHNICAL_KWARGS = {"key", "icon", "format", "width", "type", "selection_mode", "on_select", "on_click", "on_change",
                    "theme", "url_path", "layout", "page_icon", "label_visibility", "default", "value", "options",
                    "divider", "mime", "file_name", "kind", "bind", "shortcut", "visibility"}
# markdown directives: icons (:material/upload:) and colours (:red[...]) are not words
DIRECTIVES = re.compile(r":material/[a-z_]+:|:(?:red|green|gray|grey|blue|orange|violet|rainbow|primary)\[")
# widgets whose second argument is a list of options: codes are fine there when a format_func names them
OPTION_WIDGETS = {"radio", "selectbox", "multiselect", "segmented_control", "pills", "select_slider"}


def test_there_is_one_file_per_language():
    assert sorted(p.stem for p in LOCALES.glob("*.json")) == sorted(LANGUAGES)
    assert len(ENGLISH) > 400


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_key_is_in_every_language(language):
    assert sorted(set(ENGLISH) ^ set(texts(language))) == []
    assert [key for key, text in texts(language).items() if not text.strip()] == []


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_both_languages_take_the_same_values(key):
    names = {language: placeholders(texts(language)[key]) for language in LANGUAGES}
    assert all(n == names["en"] for n in names.values()), f"{key}: {names}"


# A value right before a word in 's' is a count whose noun must agree with it: such texts put the noun in a
# plural block. These words follow a value without being its noun.
NOT_NOUNS = {"is", "as", "vs", "was", "has", "this"}


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_english_nouns_agree_with_their_counts(key):
    flat = re.sub(r"\{\s*\w+\s*,\s*plural\s*,.*", "", ENGLISH[key])  # the plural blocks and what follows them
    nouns = [m.group(2) for m in re.finditer(r"\{(\w+)\} (\w{2,}s)\b", flat) if m.group(2) not in NOT_NOUNS]
    assert nouns == [], f"{key}: {ENGLISH[key]}"


@pytest.mark.parametrize("key, values, expected", [
    ("upload.imported_skipped", {"skipped": "1"}, "1 row with problems was skipped and recorded with the batch."),
    ("upload.imported_skipped", {"skipped": "25,926"},
     "25,926 rows with problems were skipped and recorded with the batch."),
    ("finding.trend", {"metric": "NPS", "value": "31.0", "month": "Oct 2026", "low": "28.0", "high": "33.0", "k": 1},
     "NPS 31.0 in Oct 2026; between 28.0 and 33.0 over the last month"),
    ("finding.trend", {"metric": "NPS", "value": "31.0", "month": "Oct 2026", "low": "28.0", "high": "33.0", "k": 12},
     "NPS 31.0 in Oct 2026; between 28.0 and 33.0 over the last 12 months"),
    ("chart.iceberg_visible_label", {"n": "1"}, "1 complaining customer\n(what we see)"),
    ("chart.iceberg_visible_label", {"n": "0"}, "0 complaining customers\n(what we see)"),
    ("unit.points", {"value": "1.0"}, "1.0 points"),      # a decimal reads as plural ('1.0 points')
    ("unit.points", {"value": "\u22121"}, "\u22121 point"),
    ("upload.some_bad", {"bad": "1", "total": "4"},        # a plural inside a plural's branch
     "1 of 4 rows has problems. Fix it in the file and upload it again, or import the good rows and skip it."),
    ("upload.some_bad", {"bad": "3", "total": "4"},
     "3 of 4 rows have problems. Fix them in the file and upload it again, or import the good rows and skip these."),
    ("title.pareto", {"k": 1, "m": 1, "share": "100%"}, "1 of 1 cause makes up 100% of complaints"),
    ("title.pareto", {"k": 2, "m": 7, "share": "81%"}, "2 of 7 causes make up 81% of complaints"),
])
def test_plurals_agree_in_english(key, values, expected):
    assert translate(key, "en", **values) == expected


def test_chinese_has_no_plurals_to_choose():
    assert translate("upload.imported_skipped", "zh", skipped="1") == "已跳过 1 行有问题的数据，并随批次记录。"
    assert not any("plural" in text for text in texts("zh").values())


@pytest.mark.parametrize("text, values, expected", [
    ("{n, plural, =0 {none} one {# item} other {# items}}", {"n": 0}, "none"),
    ("{n, plural, =0 {none} one {# item} other {# items}}", {"n": "2,001"}, "2,001 items"),
    ("#{k}: {n, plural, one {# row} other {# rows}}", {"k": 3, "n": 1}, "#3: 1 row"),  # '#' counts only in a branch
])
def test_the_plural_construct(monkeypatch, text, values, expected):
    monkeypatch.setitem(texts("en"), "test.plural", text)
    assert translate("test.plural", "en", **values) == expected
    assert placeholders(text) == set(values)


def test_translate_falls_back_safely():
    assert translate("fmt.n", "en", n=None) == "n = " + MISSING     # None is never printed
    assert translate("fmt.n", "en") == "n = " + MISSING              # nor is a value left out a crash
    assert translate("fmt.n", "fr", n=3) == "n = 3"                  # an unknown language reads English
    assert translate("no.such.key", "zh") == "no.such.key"           # and an unknown key shows itself
    assert translate("upload.imported", "zh", rows="1,234", file="a.csv", batch="ab12cd34") == \
        "已从 a.csv 导入 1,234 行，批次 ab12cd34。"


def test_the_files_are_plain_json_objects_of_strings():
    for path in LOCALES.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()), path.name


def _keys_named(paths) -> tuple[set[str], set[str]]:
    """Keys given as literals to t(), translate() and labels() (a labels() prefix names keys under it),
    and the literal starts of keys built with an f-string (t(f"kind.{kind}"))."""
    keys, starts = set(), set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None) and getattr(node.func, "id", getattr(node.func, "attr", None))
            if not isinstance(node, ast.Call) or name not in ("t", "translate", "labels") or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                (starts if name == "labels" else keys).add(first.value + ("." if name == "labels" else ""))
            elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
                starts.add(first.values[0].value)
    return keys, starts


def test_every_key_the_code_names_exists():
    keys, starts = _keys_named(PAGES + PRESENTATION + ENTRIES)
    assert len(keys) > 250 and len(starts) > 20, "the check found too few keys"
    assert sorted(keys - set(ENGLISH)) == []
    assert sorted(s for s in starts if not any(key.startswith(s) for key in ENGLISH)) == []


def test_every_call_gives_the_values_its_text_takes():
    """A value left out reads as '—' on screen; here it fails instead."""
    missing = []
    for path in PAGES + PRESENTATION + ENTRIES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
                    "t", "translate") and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            if any(k.arg is None for k in node.keywords):  # **values: checked where they are built
                continue
            left_out = placeholders(ENGLISH.get(node.args[0].value, "")) - {k.arg for k in node.keywords}
            if left_out:
                missing.append((path.name, node.lineno, node.args[0].value, sorted(left_out)))
    assert missing == []


def _strings_with_words(node) -> list[str]:
    """String constants under `node` that contain letters, not counting t(...) and translate(...)."""
    found = []

    def visit(n):
        if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) in (
                "t", "translate", "labels"):
            return
        if isinstance(n, ast.Subscript):  # frame["column"], row["key"]: data access, not words
            visit(n.value)
            return
        if (isinstance(n, ast.Constant) and isinstance(n.value, str)
                and re.search(r"[^\W\d_]", DIRECTIVES.sub("", n.value))):
            found.append(n.value)
        for child in ast.iter_child_nodes(n):
            visit(child)

    visit(node)
    return found


def user_facing_literals(source: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", None))
        if name not in DISPLAY_CALLS:
            continue
        args = list(node.args)
        formatted = any(k.arg == "format_func" for k in node.keywords)
        if name in OPTION_WIDGETS and formatted:
            args = args[:1]
        parts = args + [k.value for k in node.keywords if k.arg not in TECHNICAL_KWARGS | {"format_func"}]
        for part in parts:
            problems += _strings_with_words(part)
    return problems


@pytest.mark.parametrize("path", PAGES + [PROJECT_ROOT / "app.py"], ids=lambda p: p.name)
def test_pages_show_no_words_outside_the_translation_table(path):
    assert user_facing_literals(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source, expected", [
    ('st.title("Overview")', ["Overview"]),
    ('st.metric(label=f"NPS {x}", value=v)', ["NPS "]),
    ('st.info(t("empty.store"))', []),
    ('st.markdown(f"**{x}**")', []),
    ('st.markdown(f"#### :material/description: {name}")', []),
    ('st.header(t("a"), divider="gray")', []),
    ('st.download_button(t("a"), data, file_name=name, mime="text/csv", on_click="ignore")', []),
    ('st.caption(rows[choice]["source_file"])', []),
    ('st.markdown(f":red[**{x}**] items")', ["**] items"]),
    ('st.segmented_control(t("a"), ("radar", "bars"), key="csi_view", format_func=labels("csi.view"))', []),
    ('st.segmented_control(t("a"), ("Radar", "Bars"), key="csi_view")', ["Radar", "Bars"]),
])
def test_the_literal_check_catches_words(source, expected):
    assert user_facing_literals(source) == expected


# Streamlit's own placeholder of an empty list box is English in every language ('Choose an option')
LIST_BOXES = {"selectbox", "multiselect"}
PLACEHOLDER_CALLS = {"choose", "t"}


def list_boxes_without_placeholder(source: str) -> list[int]:
    """The lines of st.selectbox / st.multiselect calls (drawn directly, or handed to url_choice) that
    give no placeholder from the translation table: choose(options) or t(key)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", None))
        drawn = node.args[0] if name == "url_choice" and node.args else node.func
        if getattr(drawn, "attr", getattr(drawn, "id", None)) not in LIST_BOXES:
            continue
        given = next((k.value for k in node.keywords if k.arg == "placeholder"), None)
        if not (isinstance(given, ast.Call) and getattr(given.func, "id", None) in PLACEHOLDER_CALLS):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", PAGES + [PROJECT_ROOT / "app.py"], ids=lambda p: p.name)
def test_every_list_box_shows_our_placeholder(path):
    assert list_boxes_without_placeholder(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source, expected", [
    ('st.selectbox(t("a"), months, key="m")', [1]),
    ('column.multiselect(t("a"), options, placeholder="Pick")', [1]),
    ('url_choice(left.multiselect, t("a"), S, key=k, default=[])', [1]),
    ('url_choice(st.selectbox, t("a"), S, key=k, default=S[0], placeholder=choose(S))', []),
    ('url_choice(st.segmented_control, t("a"), S, key=k, default="x")', []),
    ('st.selectbox(t("a"), months, placeholder=choose(months))', []),
    ('st.multiselect(t("a"), S, placeholder=t("filters.all"))', []),
])
def test_the_placeholder_check_catches_a_list_box_without_one(source, expected):
    assert list_boxes_without_placeholder(source) == expected


@pytest.mark.parametrize("options, many, expected", [
    (["2026-09", "2026-10"], False, "请选择"),
    (["a"], True, "请选择（可多选）"),
    ([], False, "没有可选项"),
    ({}, True, "没有可选项"),
])
def test_an_empty_list_box_speaks_chinese(monkeypatch, options, many, expected):
    from pages import _common
    monkeypatch.setattr(_common, "language", lambda: "zh")
    assert _common.choose(options, many=many) == expected
