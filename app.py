"""The dashboard's entry: page list, shared sidebar, theme. `streamlit run app.py`."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    url_path: str


# The order is the sidebar's order; the first page opens by default.
PAGES = (
    PageSpec("pages/imports.py", "nav.imports", ":material/upload_file:", "imports"),
)


def run() -> None:
    import streamlit as st

    from pages._common import language_switch, routed, t

    st.set_page_config(page_title="Voice of the customer", page_icon=":material/forum:", layout="wide")
    language_switch()
    pages = [st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path,
                     default=(i == 0)) for i, spec in enumerate(PAGES)]
    with routed():
        st.navigation(pages).run()


if __name__ == "__main__":
    run()
