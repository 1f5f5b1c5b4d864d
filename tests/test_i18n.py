"""Every word in two languages, and no user-facing words outside the one translation table."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from presentation.i18n import _REVIEW_TEXT, _VIEWS_TEXT, LANGUAGES, TEXT

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((PROJECT_ROOT / "pages").glob("*.py"))
ANALYTICS = sorted((PROJECT_ROOT / "analytics").glob("*.py"))

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
                    "divider", "mime", "file_name", "kind", "bind", "shortcut"}
# markdown directives: icons (:material/upload:) and colours (:red[...]) are not words
DIRECTIVES = re.compile(r":material/[a-z_]+:|:(?:red|green|gray|grey|blue|orange|violet|rainbow|primary)\[")
# widgets whose second argument is a list of options: codes are fine there when a format_func names them
OPTION_WIDGETS = {"radio", "selectbox", "multiselect", "segmented_control", "pills", "select_slider"}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_key_has_every_language(key):
    for language in LANGUAGES:
        assert TEXT[key].get(language, "").strip(), f"{key} has no {language}"


# Dates are spelt with different parts in each language ('Oct 2026' / '2026年10月').
DIFFERENT_PARTS = {"fmt.month", "fmt.date"}


@pytest.mark.parametrize("key", sorted((set(_VIEWS_TEXT) | set(_REVIEW_TEXT)) - DIFFERENT_PARTS))
def test_both_languages_take_the_same_values(key):
    names = [{f[1] for f in string.Formatter().parse(TEXT[key][language]) if f[1]} for language in LANGUAGES]
    assert all(n == names[0] for n in names), f"{key}: {names}"


def _literal_keys(paths) -> set[str]:
    keys = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
                    "t", "translate") and node.args and isinstance(node.args[0], ast.Constant):
                keys.add(node.args[0].value)
    return keys


def test_every_key_the_code_names_exists():
    used = _literal_keys(PAGES + ANALYTICS + [PROJECT_ROOT / "app.py"])
    assert used, "the check found no keys"
    assert sorted(used - set(TEXT)) == []


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
