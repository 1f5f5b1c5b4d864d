"""Every page of the running dashboard opens on demo data with no exception shown."""
from __future__ import annotations

import pytest

from app import PAGES, route
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_opens_without_exception(app_url, page, spec, lang):
    page.goto(f"{app_url}/{route(spec)}?lang={lang}")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stMainBlockContainer"] h1').count() >= 1
    screenshot(page, f"smoke-{spec.url_path}-{lang}")
