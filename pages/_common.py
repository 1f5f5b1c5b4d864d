"""What every page shares: the cached store connection, cached analytics, the language, presentation
mode, the words, and the few ways the dashboard shows things (headline tiles, findings, charts,
tables, quotes).

Presentation mode (?present=1) is for the monthly review on a shared screen: larger text, the
filters tucked away, and every table and quote masked (presentation.masking) here, in the only
functions through which a page shows customers' data.
"""
from __future__ import annotations

import contextlib
import contextvars
import hashlib
import importlib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from pages import _keys as keys
from analytics.memo import shared_results
from analytics.targets import TargetGap
from presentation.alerts import ALERT, target_sentence
from presentation.charts import ENLARGED, PROJECTOR_REM, drawn_once, enlarged, masked, title_apart
from presentation.findings import BAD, NEUTRAL, Change, Finding, change_note, fmt_value, tile_delta, tile_detail
from presentation.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from presentation.labels import AS_GIVEN, DataLabels, as_given, data_label, labelled
from presentation.export import XLSX_MIME, to_csv_bytes, to_xlsx_bytes
from presentation.masking import ID_COLUMNS, mask_id, mask_problems, mask_text
from presentation.upload import plain
from store.db import SharedStore, commits, data_version, default_db_path, reading, unreachable_store
from store.db import cursor as store_cursor
from store.errors import FeedbackError, StoreBusy
from store.labels import label_table

LANGUAGE_KEY = keys.LANGUAGE
IMPORTS_PAGE = "pages/imports.py"
_router = threading.local()


class routed:
    """Marks a script run that went through app.py's st.navigation (see require_router), and starts
    its list of the charts drawn (show_chart)."""

    def __enter__(self):
        _router.active = True
        _router.charts = {}

    def __exit__(self, *exc):
        _router.active = False
        _router.charts = None


def require_router() -> None:
    """Hand a page opened without app.py over to the router.

    Streamlit runs its legacy pages/ mode until some session has called st.navigation, so on a
    fresh server a deep link (/nps) runs the page file alone: no sidebar, no filters, and the
    folder's files listed as pages. Switching that mode off and rerunning routes it properly.
    """
    if getattr(_router, "active", False):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


@st.cache_resource(show_spinner=False)
def _store(path: str) -> SharedStore:
    # One store per process; sessions run on their own threads and each query takes its own cursor
    # (DuckDB's multi-threading guide). No spinner: app.warm_up opens it outside any page.
    return SharedStore(path)


# The ticket of each session's current run (SharedStore.hold): a query names its run by it, from
# the script's thread or a load_all thread that joined the run.
_run_tickets: dict[str, int] = {}
# per session, what its current run has read once (_once_per_run): (this process's commits then, answers)
_run_reads: dict[str, tuple[int, dict]] = {}


def _session_key() -> str | None:
    context = get_script_run_ctx()
    return context.session_id if context is not None else None


@contextlib.contextmanager
def store_held():
    """Around a script run: the store stays open until the run ends (a DuckDB file is let go of when
    no run holds it, so that an import from the command line can open it; SharedStore)."""
    store = _store(default_db_path())
    ticket = store.hold()
    session = _session_key()
    if session is not None:
        _run_tickets[session] = ticket
        _run_reads.pop(session, None)
    try:
        yield
    finally:
        if session is not None and _run_tickets.get(session) == ticket:
            del _run_tickets[session]
            _run_reads.pop(session, None)
        store.release(ticket)


def _once_per_run(name: str, read):
    """`read()`'s answer, read once per script run of this session while this process writes nothing
    (store.db.commits): a page asks for the data version before each figure it loads (and its
    labels), and on a lake every read of it is a question to the catalog. A write of this run (an
    import, a saved follow-up) reads again; another program's lands by the next run."""
    session = _session_key()
    if session is None:
        return read()
    writes = commits()
    kept = _run_reads.get(session)
    if kept is None or kept[0] != writes:
        kept = _run_reads[session] = (writes, {})
    if name not in kept[1]:
        kept[1][name] = read()
    return kept[1][name]


def _ticket() -> int | None:
    session = _session_key()
    return _run_tickets.get(session) if session is not None else None


@contextlib.contextmanager
def busy_notice():
    """Around a run: while another program (an import, an undo from the command line) has the store,
    whatever the page could not draw gives way to a short notice, never an error box; while the
    store cannot be reached (a lake's PostgreSQL stopped), one line that says so."""
    try:
        yield
    except StoreBusy:
        st.info(t("error.busy"), icon=":material/hourglass_top:")
    except Exception as e:
        _say_unreachable(e)


def _say_unreachable(error: Exception) -> None:
    """One error line for a store that could not be reached; any other error is raised again."""
    failure = unreachable_store(error)
    if failure is None:
        raise error
    st.error(t("error.unreachable", message=markdown_text(str(failure))))


def cursor():
    return store_cursor(_store(default_db_path()).connection(_ticket()))


def read_only_store() -> bool:
    """Whether this replica opens the store read-only (FEEDBACK_READ_ONLY=1): for browsing only."""
    return _store(default_db_path()).read_only


def current_version() -> str:
    """The store's data version; while another program has the store, the one last read, so that
    the figures already computed for it are shown (StoreBusy when none was read yet)."""
    return _once_per_run("data_version", _read_version)


def _read_version() -> str:
    store = _store(default_db_path())
    try:
        cur = store_cursor(store.connection(_ticket()))
    except StoreBusy:
        if store.last_version is None:
            raise
        return store.last_version
    try:
        store.last_version = data_version(cur)
        return store.last_version
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(store: str, version: str, function: str, args: tuple, kwargs: tuple):
    # `store` and `version` are only cache keys: a new import changes the version, so the next
    # rerender reads the new data and every other rerender costs a dictionary lookup.
    module, _, name = function.rpartition(".")
    run = getattr(importlib.import_module(module), name)
    cur = cursor()
    try:
        with reading(cur):
            return run(cur, *args, **dict(kwargs))
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=8)
def _cached_labels(store: str, version: str) -> DataLabels:
    cur = cursor()
    try:
        return DataLabels.from_frame(label_table(cur))
    finally:
        cur.close()


def data_labels() -> DataLabels:
    """The store's labels of the data's own values (presentation.labels), read again when the data
    version moves (a label's edit moves it, as every write does)."""
    return _cached_labels(default_db_path(), current_version())


def for_reader(result):
    """A result as the reader sees it: the data's own labels (items, dimensions, causes, touchpoints,
    channels) in the reader's language, the values as given kept beside them (presentation.labels).
    A page calls it on what it draws, after any analytics that combine results."""
    return labelled(result, data_labels(), language())


def data_format(field: str):
    """A format_func for a widget whose options are the data's values of `field` (branch, region …):
    the value stays what the URL and the queries hold, the reader sees its label."""
    shown, lang = data_labels(), language()
    return lambda value: data_label(field, value, lang, shown)


def data_value(field: str, value) -> str:
    """One value of `field` as the reader sees it (its label in the reader's language)."""
    return data_label(field, value, language(), data_labels())


def load(function, *args, **kwargs):
    """Call an analytics function on the store, cached by its arguments and the data version.

    Every analytics call a page makes goes through here or load_all (so a benchmark can time each
    one). A failure of the store is shown as one readable line, never a traceback.
    """
    return load_all(call(function, *args, **kwargs))[0]


@dataclass(frozen=True)
class Call:
    """One analytics call for load_all: call(csi_by, window, "month", weights=w)."""

    function: object
    args: tuple
    kwargs: tuple


def call(function, *args, **kwargs) -> Call:
    return Call(function, tuple(args), tuple(sorted(kwargs.items())))


def load_all(*calls: Call) -> list:
    """load() for independent calls, two at a time; their results in the calls' order.

    The one place the dashboard computes concurrently (analytics below it run sequentially). A
    month's query reads one or two of DuckDB's row groups and so keeps one core busy: a page's
    independent figures, asked for together, use both cores the first time they are computed,
    which the review and gaps pages' p95 floor (bench/, 250 ms at a million responses) needs.
    """
    store = default_db_path()

    def run(one: Call):
        name = f"{one.function.__module__}.{one.function.__name__}"
        return _cached(store, version, name, one.args, one.kwargs)

    try:
        version = current_version()
        if len(calls) == 1:
            return [run(calls[0])]
        context = get_script_run_ctx()

        def join_the_run():  # the threads' cache lookups then belong to this session's run
            if context is not None:
                add_script_run_ctx(threading.current_thread(), context)

        # one memo for the calls (analytics.memo): a figure two of them ask for (the survey's items,
        # a month's CSI) is computed once; each thread runs in a copy of this context, which holds it
        with shared_results(), ThreadPoolExecutor(max_workers=2, initializer=join_the_run) as pool:
            futures = [pool.submit(contextvars.copy_context().run, run, one) for one in calls]
            return [future.result() for future in futures]
    except StoreBusy:  # another program (an import) holds a DuckDB file: a notice, not an error
        st.info(t("error.busy"), icon=":material/hourglass_top:")
        st.stop()
    except FeedbackError as e:
        st.error(t("error.query", message=markdown_text(str(e))))
        st.stop()
    except Exception as e:  # DuckDB's own: a lake's catalog or files out of reach mid-run
        _say_unreachable(e)
        st.stop()


def language() -> str:
    return st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)


def t(key: str, **values) -> str:
    return translate(key, language(), **values)


def labels(prefix: str):
    """A format_func for a widget's options: 'previous' → t('filters.compare.previous').

    The language is bound now, so the labels stay right when the widget formats them later.
    """
    lang = language()
    return lambda value: translate(f"{prefix}.{value}", lang)


def choose(options, *, many: bool = False) -> str:
    """The words an empty list box shows, in the reader's language: Streamlit's own ('Choose an
    option', 'Choose options', 'No options to select') are English whatever the page's language.
    Every st.selectbox and st.multiselect in pages/ passes one (tests/test_i18n.py checks it)."""
    if len(options) == 0:
        return t("widget.no_options")
    return t("widget.choose_many" if many else "widget.choose_one")


# -- a page's own choices in the link ------------------------------------------------------------------
# Streamlit's bind="query-params" writes what the widget shows (its format_func's words) into the
# URL, so one view had one link in English and another in Chinese. These write the option itself.

def option_from_link(given: list[str], options, default, readings, *, multiple: bool = False):
    """The option(s) a link's parameter names: by the option itself, or, for a link made before the
    link held options, by its words in any language (`readings`: one format_func per language).
    Whatever names no option is dropped, silently: the default stands (a multiselect keeps the rest)."""
    by_text = {str(option): option for option in options}
    for shown_as in readings:
        for option in options:
            by_text.setdefault(str(shown_as(option)), option)
    found = [by_text[text] for text in given if text in by_text]
    if multiple:
        return list(dict.fromkeys(found))
    return found[-1] if found else default


def url_choice(draw, label: str, options, *, key: str, default, words: str | None = None,
               field: str | None = None, **kwargs):
    """A page's own widget (`draw`: st.segmented_control, st.selectbox, st.multiselect, or a
    column's) kept in the link under its key, as the option (`previous`, the branch as stored),
    never as the words shown. It reads `words.<option>` in the reader's language (labels()), or the
    data's label of `field` (data_format()); a list `default` makes it a multiple choice. The link
    is read when the widget starts (a fresh session, or the page opened again; a page switch empties
    the link, so the choice last made in this session stands in for it); the widget's state then holds
    the choice, and the link follows it, without the parameter while it is the default."""
    multiple = isinstance(default, (list, tuple))
    if words is not None:
        readings = [lambda v, lang=lang: translate(f"{words}.{v}", lang) for lang in LANGUAGES]
        shown_as = labels(words)
    else:
        shown = data_labels()
        readings = [lambda v, lang=lang: data_label(field, v, lang, shown) for lang in LANGUAGES]
        shown_as = data_format(field)
    lang, kept = language(), st.session_state.get(keys.kept(key))
    if key not in st.session_state:
        given = st.query_params.get_all(key)
        if not given and kept is not None:  # back from another page, whose link had no room for it
            given = kept[1] if multiple else [kept[1]]
        st.session_state[key] = option_from_link(given, options, list(default) if multiple else default, readings,
                                                 multiple=multiple)
    elif kept is not None and kept[0] != lang:
        # a list box goes on showing its choice in the words it was picked in unless told it again
        st.session_state[key] = st.session_state[key]
    value = draw(label, options, key=key, format_func=shown_as, **kwargs)
    st.session_state[keys.kept(key)] = (lang, list(value) if multiple else value)
    keep_in_link(key, [str(v) for v in value] if multiple else value,
                 [str(v) for v in default] if multiple else default)
    return value


def keep_in_link(key: str, value, default) -> None:
    """The link's parameter `key` set to `value` (a list: repeated), or removed when it is `default`."""
    if value == default or value is None or value == []:
        if key in st.query_params:
            del st.query_params[key]
        return
    current = st.query_params.get_all(key)
    if current != (value if isinstance(value, list) else [str(value)]):
        st.query_params[key] = value


def language_switch() -> None:
    """Sidebar language choice, kept in the URL so a shared link opens in the same language."""
    widget = keys.choice(LANGUAGE_KEY)
    if LANGUAGE_KEY not in st.session_state:
        from_url = st.query_params.get(keys.URL_LANGUAGE)
        st.session_state[LANGUAGE_KEY] = from_url if from_url in LANGUAGES else DEFAULT_LANGUAGE
    if st.session_state.get(widget) in LANGUAGES:  # the reader's click, before it is drawn again
        st.session_state[LANGUAGE_KEY] = st.session_state[widget]
    codes = list(LANGUAGES)
    st.session_state[LANGUAGE_KEY] = st.sidebar.radio(
        translate("app.language", language()), codes, index=codes.index(language()),
        format_func=LANGUAGES.get, key=widget, horizontal=True)
    if st.query_params.get(keys.URL_LANGUAGE) != st.session_state[LANGUAGE_KEY]:
        st.query_params[keys.URL_LANGUAGE] = st.session_state[LANGUAGE_KEY]


# -- presentation mode --------------------------------------------------------------------------------

PRESENT_ON = "1"


def presenting() -> bool:
    return bool(st.session_state.get(keys.PRESENT, False))


def presentation_switch() -> None:
    """The sidebar's presentation-mode toggle, kept in the URL (?present=1) like the language.

    Drawn on every page and in both modes, so the mode can always be switched off again.
    """
    widget = keys.choice(keys.PRESENT)
    if keys.PRESENT not in st.session_state:
        st.session_state[keys.PRESENT] = st.query_params.get(keys.URL_PRESENT) == PRESENT_ON
    if isinstance(st.session_state.get(widget), bool):  # the reader's click, before it is drawn again
        st.session_state[keys.PRESENT] = st.session_state[widget]
    st.session_state[keys.PRESENT] = st.sidebar.toggle(t("present.toggle"), value=presenting(), key=widget,
                                                       help=t("present.help"))
    if presenting() and st.query_params.get(keys.URL_PRESENT) != PRESENT_ON:
        st.query_params[keys.URL_PRESENT] = PRESENT_ON
    elif not presenting() and keys.URL_PRESENT in st.query_params:
        del st.query_params[keys.URL_PRESENT]
    st.html(f"<style>{TILE_CSS}{PRESENTATION_CSS if presenting() else ''}</style>")


# The slide's rem as the browser computed it (the review's SLIDES_CSS sizes it by the window): a
# slide's words follow the window through CSS, its charts' words are px the server sets
# (charts.slide_enlargement). The server passes the rem it drew for; the browser answers only when
# its own differs (a smaller window, or one resized), so a projector's slides run once. The rem drawn
# for is left on the page (data-slide-drawn-for), where a browser test waits for it to be the
# window's. The script runs in the page and fetches nothing.
_SLIDE_REM_JS = """
export default function ({ data, setStateValue }) {
  document.documentElement.dataset.slideDrawnFor = data;
  let sent = data, timer, frame;
  const send = () => {
    const rem = Math.round(parseFloat(getComputedStyle(document.documentElement).fontSize) * 10) / 10;
    if (rem && rem !== sent) { sent = rem; setStateValue("rem", rem); }
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(send, 250); };
  frame = requestAnimationFrame(send);
  window.addEventListener("resize", later);
  return () => { cancelAnimationFrame(frame); clearTimeout(timer); window.removeEventListener("resize", later); };
}
"""
_slide_rem = st.components.v2.component("voc_dashboard.slide_rem", js=_SLIDE_REM_JS)


def slide_rem() -> float:
    """The rem of the slide on the reader's screen, px; the projector's until the browser has said."""
    state = st.session_state.get(keys.REVIEW_SLIDE_REM)
    said = state.get("rem") if hasattr(state, "get") else None
    assumed = float(said) if said else float(PROJECTOR_REM)
    with st.sidebar:
        result = _slide_rem(key=keys.REVIEW_SLIDE_REM, data=assumed, on_rem_change=lambda: None, height=0)
    rem = getattr(result, "rem", None)
    return float(rem) if rem else assumed


# Streamlit sizes its text in rem, so a larger root font enlarges every word on the page (Plotly
# charts carry their own sizes, already set for a projector); the toolbar's menu is hidden. The
# paddings are whole pixels: at 21 px a rem, 2.4rem left the charts a width in fractions of a pixel,
# which Plotly's first drawing rounds and Streamlit's second does not, so each chart was drawn twice.
# A metric tile's comparison ("较2026年3月至6月") wraps under its delta rather than end in "…": a
# Chinese period beside a delta in percentage points is wider than a tile of four in a row.
TILE_CSS = """
[data-testid="stMetric"] div:has(> [data-testid="stMetricDeltaDescription"]) { flex-wrap: wrap; }
[data-testid="stMetricDeltaDescription"] { min-width: 0; }
[data-testid="stMetricDeltaDescription"] :is([data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *) {
  white-space: normal; text-overflow: clip; overflow: visible; }
"""
PRESENTATION_CSS = """
html { font-size: 21px; }
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 46px; padding-left: 50px; padding-right: 50px; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem; }
[data-testid="stMetricDelta"] { font-size: 0.95rem; }
[data-testid="stCaptionContainer"] { font-size: 0.9rem; }
[data-testid="stTable"] table { font-size: 0.95rem; }
[data-testid="stTable"] td :is([data-testid="stMarkdownContainer"], [data-testid="stMarkdownContainer"] *) { white-space: inherit; }
"""


# -- how things are shown ----------------------------------------------------------------------------

_TONE_COLOR = {"good": "green", "bad": "red", "neutral": "gray"}
_TONE_MARK = {"good": ":green[**▲**]", "bad": ":red[**▼**]", "neutral": ":gray[**•**]"}


def show_change(change: Change, vs: str, *, label: str | None = None, detail: str | None = None,
                border: bool = True, target: TargetGap | None = None) -> None:
    """A headline tile: the figure, its change vs the comparison (marked only when significant), its n,
    and its gap to the target when it has one (analytics.targets)."""
    lang = language()
    delta = tile_delta(change, lang)
    arrow = {"up": "up", "down": "down"}.get(change.direction, "off")
    st.metric(markdown_text(label or t(f"metric.{change.metric}")), fmt_value(change.metric, change.value, lang),
              delta=delta, delta_color=_TONE_COLOR[change.tone], delta_arrow=arrow,
              delta_description=markdown_text(change_note(change, lang, vs)), border=border)
    st.caption(markdown_text(detail if detail is not None else tile_detail(change, lang)))
    if target is not None:
        st.caption(":material/flag: " + markdown_text(target_sentence(target, lang)))


def show_alerts(alerts: list[Finding], none: str) -> None:
    """The alerts raised (presentation.alerts.alert_findings), masked on a shared screen like every
    sentence drawn from the data; `none` when there are none."""
    if not alerts:
        st.caption(markdown_text(none))
        return
    st.markdown("\n\n".join(f"{_TONE_MARK[BAD]} {markdown_text(masked_text(finding.text))}" for finding in alerts))


def show_findings(findings: list[Finding]) -> None:
    """Generated sentences as bullets; a good or bad finding carries an arrow as well as its colour.

    One markdown element for them all, a paragraph each: the browser draws every element apart,
    and the review has a dozen findings.
    """
    if findings:
        # an alert's sentence is masked on a shared screen, as the charts' titles are
        st.markdown("\n\n".join(f"{_TONE_MARK.get(finding.tone, _TONE_MARK[NEUTRAL])} "
                                  f"{markdown_text(masked_text(finding.text) if finding.kind == ALERT else finding.text)}"
                                  for finding in findings))


def show_chart(figure, *, empty: str = "empty.what.data", key: str | None = None, select: bool = False,
               empty_text: str | None = None, height: int | str = "content", enlarge: float = ENLARGED):
    """A Plotly figure from presentation.charts, drawn with its own theme (not Streamlit's).

    A chart function returns None when it has nothing to draw: the reader gets a sentence saying
    what is missing (`empty` names it), never an empty axis. `height="stretch"` fills what its
    container leaves (a slide in presentation mode) instead of the figure's own height; `enlarge`
    is how much larger presentation mode draws its words (a slide's: charts.slide_enlargement).
    """
    if figure is None:
        st.info(markdown_text(empty_text) if empty_text else t("empty.chart", what=t(empty)))
        return None
    title, subtitle, figure = title_apart(figure)
    if presenting():  # the words drawn above the chart are masked as the chart's own are (charts.masked)
        title, subtitle = mask_text(title), mask_text(subtitle)
    if title:
        st.markdown(f"**{markdown_text(title)}**")
    if subtitle:
        st.caption(markdown_text(subtitle))
    if presenting():
        figure = enlarged(masked(figure), enlarge)
    if select:
        # the modes Streamlit gives a chart whose points can be picked, set before it is drawn:
        # set after, they would make Plotly draw it again
        figure.update_layout(clickmode="event+select", dragmode="pan", hovermode=figure.layout.hovermode or "closest")
    figure = drawn_once(figure)
    key = key or _repeat_key(figure)
    config = {"displayModeBar": False, "displaylogo": False, "responsive": True}
    if select:
        return st.plotly_chart(figure, theme=None, config=config, key=key, on_select="rerun",
                               selection_mode="points", height=height)
    return st.plotly_chart(figure, theme=None, config=config, key=key, height=height)


def _repeat_key(figure) -> str | None:
    """A key for a picture this run has drawn already, else None (Streamlit's own id). Streamlit
    gives two equal charts without a key one id and refuses the second: a file with neither
    touchpoints nor branches made the NPS page's two breakdowns the same "(not given)" bar."""
    drawn = getattr(_router, "charts", None)
    if drawn is None:
        return None
    # drawn_once names a figure's content by its data revision
    picture = figure.layout.datarevision or hashlib.blake2b(figure.to_json().encode(), digest_size=8).hexdigest()
    times = drawn[picture] = drawn.get(picture, 0) + 1
    return None if times == 1 else f"chart-{picture}-{times}"


def selected(event, field: str = "customdata"):
    """The value carried by the first selected point of a chart event, or None."""
    points = getattr(getattr(event, "selection", None), "points", None) or []
    if not points:
        return None
    value = points[0].get(field)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value


def _masked(frame: pd.DataFrame) -> pd.DataFrame:
    """In presentation mode: every text cell with its e-mails, phones and honorific names masked and
    every id column but its tail; otherwise the table as it is (analysts follow customers up)."""
    return _mask_all(frame) if presenting() else frame


def _mask_all(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its e-mails, phones and honorific names masked and every id column but its tail."""
    masked = frame.copy()
    for column in masked.columns:
        if column in ID_COLUMNS:
            masked[column] = masked[column].map(mask_id)
        elif masked[column].dtype == object or pd.api.types.is_string_dtype(masked[column]):
            masked[column] = masked[column].map(lambda v: mask_text(v) if isinstance(v, str) else v)
    return masked


def masked_problems(problems):
    """Rows' problems with their values masked when presenting: a value of an id column (a complaint
    reference) whole."""
    return mask_problems(problems) if presenting() else problems


def masked_text(text: str | None) -> str | None:
    """A customer's words as this mode may show them (masked when presenting)."""
    return mask_text(text) if presenting() else text


def masked_id(value) -> str | None:
    return mask_id(value) if presenting() else value


def show_coloured_table(cells: pd.DataFrame, styles: pd.DataFrame) -> None:
    """A table of ready-made text cells with a CSS style per cell (the branch league): no customer data
    in it, so nothing to mask; drawn static in presentation mode, like every other table."""
    if presenting():  # a static table reads its cells as markdown: the data's words are escaped
        shown = cells.map(lambda v: markdown_text(str(v)))
        shown.columns = [markdown_text(str(c)) for c in cells.columns]
        styled_shown = shown.style.apply(lambda _: styles.set_axis(shown.columns, axis=1), axis=None)
        st.table(styled_shown, hide_index=True)
        return
    styled = cells.style.apply(lambda _: styles, axis=None)
    st.dataframe(styled, hide_index=True, width="stretch")


def show_table(frame: pd.DataFrame, columns: dict[str, str], *, formats: dict[str, str] | None = None,
               height: int | None = None, row_height: int | None = None, download: str | None = None,
               styles: pd.DataFrame | None = None, rows: int | None = None) -> None:
    """A table with translated headers: `columns` maps a column to its label key, in display order.

    Every table of the dashboard goes through here, so presentation mode masks them all in one
    place and draws them as a static table whose text grows with the page's. `download` names the
    file of its csv/xlsx buttons (download_buttons); Streamlit's own table download is off.
    `styles`: a CSS style per cell (the columns of `columns`, the frame's rows), e.g. overdue items.
    `rows`: draw the first this many rows only (the download holds them all): pandas styles at most
    STYLED_CELLS cells, and a browser grid of a hundred thousand rows helps no one.
    """
    headers = {column: t(key) for column, key in columns.items()}
    # a label in the reader's language: the value as the data holds it, at the table's end (presentation.labels),
    # so what the table is for (a gap, a comment) is not pushed out of sight to the right by it
    for column, key in columns.items():
        if as_given(frame, column) is not None:
            headers[f"{column}{AS_GIVEN}"] = t("col.as_given", name=t(key))
    shown = _masked(frame[list(headers)])
    if download:
        download_buttons(shown.rename(columns=headers), download)
    if rows is not None and len(shown) > rows:
        shown = shown.iloc[:rows]
        styles = styles.iloc[:rows] if styles is not None else None
    if presenting():
        text = _as_text(shown, headers, formats or {})
        # at the slides' size a date, a lateness or a name broken over two lines is hard to read:
        # only the columns of running text wrap (a cell's words inherit it: PRESENTATION_CSS)
        aligned = pd.DataFrame("", index=text.index, columns=text.columns)
        if styles is not None:  # the as-given columns beside a labelled one take no style
            aligned = (styles.reindex(columns=list(headers), fill_value="")
                       .set_axis(text.columns, axis=1).set_axis(text.index, axis=0))
        for column, header in headers.items():
            wrap = ("white-space: normal; min-width: 9em" if (formats or {}).get(column) == "text"
                    else "white-space: nowrap")
            aligned[header] = [f"{style}; {wrap}" if style else wrap for style in aligned[header]]
        st.table(text.style.apply(lambda _: aligned, axis=None), hide_index=True, height=height or "content")
        return
    config = {}
    for column, label in headers.items():
        fmt = (formats or {}).get(column)
        if fmt == "date":
            config[column] = st.column_config.DatetimeColumn(label, format="YYYY-MM-DD")
        elif fmt == "text":
            config[column] = st.column_config.TextColumn(label, width="large")
        elif fmt == "short":
            config[column] = st.column_config.TextColumn(label, width="small")
        elif fmt:
            config[column] = st.column_config.NumberColumn(label, format=fmt)
        else:
            config[column] = st.column_config.Column(label)
    kwargs = {"height": height} if height else {}
    if row_height:
        kwargs["row_height"] = row_height
    data = shown
    if styles is not None:
        aligned = styles.reindex(columns=list(shown.columns), fill_value="").set_axis(shown.index, axis=0)
        data = shown.style.apply(lambda _: aligned, axis=None)
    st.dataframe(data, hide_index=True, width="stretch", column_config=config, placeholder="—", **kwargs)


# The most cells pandas styles (styler.render.max_elements); a styled table of more is refused.
STYLED_CELLS = pd.get_option("styler.render.max_elements")


# a verbatim's row, the table's header row and its borders, and the most the table takes (px)
VERBATIM_ROW_PX = 66
TABLE_HEADER_PX = 38
VERBATIM_HEIGHT = 560


def show_verbatims(frame: pd.DataFrame, columns: dict[str, str], formats: dict[str, str] | None = None,
                   download: str = "verbatims") -> None:
    """Customers' own words (and who said them): always customer data, always through show_table.

    Rows are tall enough for a comment of two or three lines to wrap; a few rows take only their
    own height, not a frame of empty rows.
    """
    height = min(VERBATIM_HEIGHT, TABLE_HEADER_PX + VERBATIM_ROW_PX * len(frame))
    show_table(frame, columns, formats=formats, row_height=VERBATIM_ROW_PX, height=height, download=download)


def download_buttons(frame: pd.DataFrame, name: str, key: str | None = None) -> None:
    """The table as shown (masked in presentation mode) as csv and xlsx files whose cells cannot run
    as formulas (presentation.export): in place of Streamlit's own table download, which writes
    cells as they are and is switched off (client.disableDataExport)."""
    csv_column, xlsx_column, _ = st.columns([1, 1, 6])
    csv_column.download_button(t("download.csv"), data=lambda: to_csv_bytes(frame), file_name=f"{name}.csv",
                               mime="text/csv", key=f"{key or 'download.' + name}.csv", icon=":material/download:",
                               on_click="ignore", help=t("download.help"), width="stretch")
    xlsx_column.download_button(t("download.xlsx"), data=lambda: to_xlsx_bytes(frame), file_name=f"{name}.xlsx",
                                mime=XLSX_MIME, key=f"{key or 'download.' + name}.xlsx", icon=":material/download:",
                                on_click="ignore", help=t("download.help"), width="stretch")


def deferred_download_buttons(make, name: str, key: str | None = None, headers: dict[str, str] | None = None) -> None:
    """download_buttons for a file made only when one of them is clicked: `make(cursor)` reads its
    frame from the store then (a list the page draws a page of, whose whole the file holds), so
    a page that is only looked at never reads it; masked in presentation mode as every table is, then
    its columns headed by `headers` (column -> header)."""
    frame = deferred_frame(make, presenting(), headers)
    csv_column, xlsx_column, _ = st.columns([1, 1, 6])
    csv_column.download_button(t("download.csv"), data=lambda: to_csv_bytes(frame()), file_name=f"{name}.csv",
                               mime="text/csv", key=f"{key or 'download.' + name}.csv", icon=":material/download:",
                               on_click="ignore", help=t("download.help"), width="stretch")
    xlsx_column.download_button(t("download.xlsx"), data=lambda: to_xlsx_bytes(frame()), file_name=f"{name}.xlsx",
                                mime=XLSX_MIME, key=f"{key or 'download.' + name}.xlsx", icon=":material/download:",
                                on_click="ignore", help=t("download.help"), width="stretch")


def deferred_frame(make, masking: bool, headers: dict[str, str] | None = None):
    """What deferred_download_buttons writes, as a function of nothing: Streamlit runs it on a thread
    of its own, outside the script run, so what the run knows (presentation mode) is given now, and
    the store is held for the read as a run holds it (SharedStore.hold)."""
    store = _store(default_db_path())

    def frame() -> pd.DataFrame:
        ticket = store.hold()
        try:
            cur = store_cursor(store.connection(ticket))
            try:
                with reading(cur):
                    made = make(cur)
            finally:
                cur.close()
        finally:
            store.release(ticket)
        made = _mask_all(made) if masking else made
        return made.rename(columns=headers) if headers else made

    return frame


def show_frame(frame: pd.DataFrame, *, download: str | None = None, **kwargs) -> None:
    """A table whose columns are already labelled (the upload page's previews and reports), masked
    in presentation mode like every other."""
    shown = _masked(frame)
    if download:
        download_buttons(shown, download)
    if presenting():
        st.table(pd.DataFrame({str(column): [_cell_text(v) for v in shown[column]] for column in shown.columns}),
                 hide_index=True)
        return
    st.dataframe(shown, hide_index=True, width="stretch", **{"placeholder": "—", **kwargs})


def _cell_text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M")
    return markdown_text(str(value))


def _as_text(frame: pd.DataFrame, headers: dict[str, str], formats: dict[str, str]) -> pd.DataFrame:
    """The table as show_table formats it, in words: its headers, numbers and dates as text."""
    def cell(value, fmt):
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "—"
        if fmt == "date":
            return pd.Timestamp(value).strftime("%Y-%m-%d")
        if fmt and fmt not in ("text", "short"):
            try:
                return fmt % value
            except (TypeError, ValueError):
                return str(value)
        return markdown_text(str(value))

    return pd.DataFrame({header: [cell(v, formats.get(column)) for v in frame[column]]
                         for column, header in headers.items()})


def markdown_text(text: str) -> str:
    """Text shown in markdown exactly as written: a customer's words, a file's, and every sentence
    generated from the data (findings, titles, notes), which carry branch and cause names."""
    return plain(text)


def show_quote(label: str, text: str, meta: str, customer_id: str | None, sentiment: str) -> None:
    """A customer's words as a quote with who said them and when; masked in presentation mode."""
    with st.container(border=True):
        st.markdown(f"**{markdown_text(label)}**")
        st.markdown(f"“{markdown_text(masked_text(text) or '')}”")
        who = masked_id(customer_id)
        st.caption(" · ".join(markdown_text(part) for part in (meta, who, sentiment) if part))


def open_store_once() -> None:
    """Open the store and let go of it, as a script run does (app.warm_up); a failure is not shown
    here but by the first page that reads the store."""
    store = _store(default_db_path())
    ticket = store.hold()
    try:
        store_cursor(store.connection(ticket)).close()
    except Exception:  # the page's own open says what is wrong, in the reader's language
        pass
    finally:
        store.release(ticket)
