"""The dashboard's entry: page list, shared sidebar, theme, and the server's warm-up before it answers
anyone. `streamlit run app.py`."""
from __future__ import annotations

import asyncio
import contextlib
import importlib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    url_path: str


# A picture of our own: a material icon as favicon is fetched from Google's font servers on every load.
FAVICON = str(Path(__file__).resolve().parent / "presentation" / "static" / "favicon.png")

# The order is the sidebar's order; the first page opens by default.
PAGES = (
    PageSpec("pages/overview.py", "nav.overview", ":material/dashboard:", "overview"),
    PageSpec("pages/review.py", "nav.review", ":material/co_present:", "review"),
    PageSpec("pages/csi.py", "nav.csi", ":material/radar:", "csi"),
    PageSpec("pages/gaps.py", "nav.gaps", ":material/compare_arrows:", "gaps"),
    PageSpec("pages/nps.py", "nav.nps", ":material/recommend:", "nps"),
    PageSpec("pages/sentiment.py", "nav.sentiment", ":material/sentiment_satisfied:", "sentiment"),
    PageSpec("pages/complaints.py", "nav.complaints", ":material/report:", "complaints"),
    PageSpec("pages/branches.py", "nav.branches", ":material/leaderboard:", "branches"),
    PageSpec("pages/follow_up.py", "nav.follow_up", ":material/phone_callback:", "follow_up"),
    PageSpec("pages/assessment.py", "nav.assessment", ":material/checklist:", "assessment"),
    PageSpec("pages/imports.py", "nav.imports", ":material/upload_file:", "imports"),
)


def route(spec: PageSpec) -> str:
    """The page's address: the default page is the app's root, the others their url_path."""
    return "" if spec == PAGES[0] else spec.url_path


def run() -> None:
    from pages._common import busy_notice, language_switch, presentation_switch, routed, store_held, t
    from pages._filters import sidebar_filters
    from pages._uploads import begin_run, end_run

    begin_run()

    language_switch()
    presentation_switch()
    st.set_page_config(page_title=t("app.title"), page_icon=FAVICON, layout="wide")
    pages = [st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, url_path=route(spec),
                     default=(i == 0)) for i, spec in enumerate(PAGES)]
    home = pages[0]

    def to_the_root() -> None:
        st.switch_page(home, query_params=[(key, value) for key in st.query_params
                                           for value in st.query_params.get_all(key)])

    # The default page is served at the root only; its own name as an address (/overview?month=…,
    # typed or bookmarked) is a hidden page, still reachable by its URL, that hands over to the root
    # with the same query string: the reader lands on the overview in the same state.
    by_its_name = st.Page(to_the_root, title=home.title, icon=PAGES[0].icon, url_path=PAGES[0].url_path,
                          visibility="hidden")
    try:
        with routed(), store_held():
            navigation = st.navigation([*pages, by_its_name])
            with busy_notice():
                sidebar_filters()
                navigation.run()
    finally:  # also when a page stops early (st.stop) or reruns
        end_run()


# What the first page's script run imports (tests/test_app_start.py checks the default page's): the
# pages' shared modules, the default page's analytics and presentation, and Pillow, with which
# st.set_page_config reads the favicon.
WARM_MODULES = ("pages._common", "pages._filters", "pages._uploads", "analytics.alerts", "analytics.complaints",
                "analytics.csi", "analytics.filters", "analytics.nps", "analytics.overview", "analytics.sentiment",
                "analytics.targets", "analytics.trends", "presentation.alerts", "presentation.charts",
                "presentation.findings", "presentation.formats", "PIL.Image")


def warm_up() -> None:
    """What a freshly started server did inside its first reader's page, done before it answers any
    browser (the page-open floor, bench/): import the first page's modules and open the store. A
    store that cannot be opened is reported by the page, as without this."""
    for module in WARM_MODULES:
        importlib.import_module(module)
    from pages._common import open_store_once

    open_store_once()


@contextlib.asynccontextmanager
async def _warmed(_app: st.App):
    await asyncio.to_thread(warm_up)
    yield
    from pages._uploads import remove_spooled

    remove_spooled()


if __name__ == "__main__":  # each script run
    run()
else:  # imported: `streamlit run app.py` finds this st.App and serves app.py through it, warmed up first
    app = st.App(__file__, lifespan=_warmed)
