"""The file uploader speaks the reader's language: in Chinese its button and its size-and-type line
are ours (Streamlit writes them in English only), in English they are Streamlit's own."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

# What the reader sees in the drop zone: the visible text of its spans and what our style adds after.
SHOWN = """() => {
  const zone = document.querySelector('.st-key-upload-files [data-testid="stFileUploaderDropzone"]');
  const visible = e => e.getBoundingClientRect().width > 0 && getComputedStyle(e).display !== 'none';
  const texts = [...zone.querySelectorAll('p, span')].filter(e => !e.children.length && visible(e))
    .map(e => e.textContent.trim()).filter(t => t && t !== 'upload');
  const after = [...zone.querySelectorAll('*')].map(e => getComputedStyle(e, '::after').content)
    .filter(c => c && c !== 'none' && c !== 'normal').map(c => c.replace(/^"|"$/g, ''));
  return [...texts, ...after];
}"""


@pytest.mark.parametrize("language, expected", [
    ("zh", ["上传文件", "每个文件不超过 500 MB · 格式：XLSX、XLSM、XLS、ODS、CSV、TXT、TSV"]),
    ("en", ["Upload", "500MB per file • XLSX, XLSM, XLS, ODS, CSV, TXT, TSV"]),
])
def test_the_uploader_speaks_the_readers_language(app_url, page, language, expected):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{app_url}/imports?lang={language}")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzone"]').first.wait_for(timeout=20_000)
    assert page.evaluate(SHOWN) == expected
    screenshot(page, f"uploader-{language}", width=1280)
