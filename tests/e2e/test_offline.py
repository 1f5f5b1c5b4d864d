"""Nothing leaves the machine when a page loads: every request that is not to the dashboard itself
is blocked and counted, on every page, in both languages and in presentation mode."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from app import PAGES, route
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("query", ["lang=en", "lang=zh&present=1"])
def test_no_page_asks_anything_of_another_host(app_url, browser, query):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    own, outside = urlparse(app_url).hostname, []

    def only_here(handle):
        url = handle.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == own:
            handle.continue_()
        else:
            outside.append(url)
            handle.abort()

    context.route("**/*", only_here)
    try:
        tab = context.new_page()
        for spec in PAGES:
            tab.goto(f"{app_url}/{route(spec)}?{query}&month=2026-10")
            wait_for_app(tab)
        assert outside == []
    finally:
        context.close()
