"""Data is text, never markup, and only an analyst's session may send files: the dashboard served on a
small store whose branch, cause and comments are written to look like markup, and whose passphrase is
set, driven with Chromium.

- Every page, in the normal view and in presentation mode, shows the branch `**x** [y](https://e.example)`
  and a comment with `<img src=x onerror=alert(1)>` as literal text: no image, no link, no bold x, no
  KaTeX, no alert.
- A session that signed out (or never signed in) has its uploads refused at Streamlit's upload endpoint,
  and the file it had uploaded is freed.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

from app import PAGES, route
from bench.browser import free_port, start_app, stop_app
from loaders.demo import generate, write_files
from pages._uploads import spool_folder
from presentation.upload import WORD_JOINER
from tests.e2e.conftest import screenshot, sign_in, wait_for_app

pytestmark = pytest.mark.e2e

BRANCH = "**x** [y](https://e.example)"
IMAGE = "<img src=x onerror=alert(1)>"
COMMENT = f"Terrible service, rude staff, never again {IMAGE} see https://e.example/page"
CAUSE = "$E=mc^2$ <a href=https://e.example>fees</a> :red[z]"
PASSPHRASE = "correct horse battery"
TEST_DATA = PROJECT_ROOT / "tests" / "data"


def hostile_files(folder: Path) -> dict[str, Path]:
    """The demo's spreadsheets with one branch renamed, every detractor's and complaint's words made
    markup-like, and one cause renamed."""
    demo = generate(months=6, responses=900, seed=11)
    demo.survey_responses["Branch"] = demo.survey_responses["Branch"].replace("Beijing Chaoyang", BRANCH)
    demo.nps["网点"] = demo.nps["网点"].replace("Beijing Chaoyang", BRANCH)
    demo.complaints["Branch"] = demo.complaints["Branch"].replace("Beijing Chaoyang", BRANCH)
    detractors = demo.nps["推荐得分"].fillna(10) <= 4
    demo.nps.loc[detractors, "评论"] = COMMENT
    demo.complaints["Description"] = COMMENT
    top_cause = demo.complaints["Cause"].mode()[0]
    demo.complaints["Cause"] = demo.complaints["Cause"].replace(top_cause, CAUSE)
    return write_files(demo, folder)


def cli(*args: str, stdin: str = "") -> None:
    subprocess.run([sys.executable, "-m", "loaders", *args], input=stdin, cwd=PROJECT_ROOT, check=True,
                   capture_output=True, text=True)


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "feedback.duckdb"
    for path in hostile_files(folder / "files").values():
        cli("import", str(path), "--db", str(db))
    cli("set-passphrase", "--db", str(db), stdin=PASSPHRASE + "\n")
    port = free_port()
    process = start_app(db, port)
    yield f"http://127.0.0.1:{port}"
    stop_app(process)


# Anything the data could have become: an element made from its markup, or a rendered formula.
_MARKUP = """() => {
  const main = document.querySelector('[data-testid="stApp"]');
  const bold = [...main.querySelectorAll('strong, b')].filter(e => e.textContent.trim() === 'x').length;
  return {
    images: main.querySelectorAll('img[src="x"], img[src$="/x"]').length,
    links: main.querySelectorAll('a[href*="e.example"]').length,
    bold: bold,
    katex: main.querySelectorAll('.katex, .katex-display, mjx-container').length,
    red: [...main.querySelectorAll('span')].filter(e => e.textContent.trim() === 'z'
          && getComputedStyle(e).color === 'rgb(255, 43, 43)').length,
  };
}"""
_TEXT = """() => [document.querySelector('[data-testid="stMain"]').innerText,
                 [...document.querySelectorAll('svg text')].map(t => t.textContent).join('\\n')].join('\\n')"""


@pytest.fixture
def watched(page):
    """The page, with every alert() the data might run recorded (and dismissed)."""
    page.alerts = []

    def on_dialog(dialog):
        page.alerts.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page


def visit(tab, url: str) -> dict:
    tab.goto(url)
    wait_for_app(tab, timeout=120_000)
    charts = tab.locator('[data-testid="stPlotlyChart"]')
    if charts.count():
        charts.first.locator("svg").first.wait_for(timeout=30_000)
        tab.wait_for_timeout(600)
    return tab.evaluate(_MARKUP)


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presentation"])
def test_every_page_shows_markup_in_the_data_as_literal_text(hostile_url, watched, present):
    seen = {}
    for spec in PAGES:
        query = "?present=1" if present else ""
        found = visit(watched, f"{hostile_url}/{route(spec)}{query}")
        assert watched.locator('[data-testid="stException"]').count() == 0, spec.url_path
        assert found == {"images": 0, "links": 0, "bold": 0, "katex": 0, "red": 0}, spec.url_path
        # the word joiner that keeps addresses from becoming links is invisible; compare without it
        seen[spec.url_path] = watched.evaluate(_TEXT).replace(WORD_JOINER, "")
        screenshot(watched, f"hostile-{spec.url_path}-{'present' if present else 'normal'}")
    assert watched.alerts == []
    # where the branch, the cause and the comments are drawn as text, they read as written
    assert BRANCH in seen["nps"] and BRANCH in seen["sentiment"]
    assert CAUSE in seen["complaints"].replace("\n", " ") or "$E=mc^2$" in seen["complaints"]
    if not present:  # presenting, the review shows one section a screen
        assert IMAGE in seen["review"]


def test_the_review_report_writes_the_data_as_text(hostile_url, browser, tmp_path):
    context = browser.new_context(accept_downloads=True)
    tab = context.new_page()
    try:
        visit(tab, f"{hostile_url}/review")
        with tab.expect_download() as download:
            tab.get_by_role("button", name="Download the report (HTML)").click()
        report = Path(download.value.path()).read_text(encoding="utf-8")
    finally:
        context.close()
    assert "<img src=x" not in report and 'href="https://e.example' not in report
    assert "&lt;img src=x onerror=alert(1)&gt;" in report or "&lt;img" in report


# --- uploads --------------------------------------------------------------------------------------

# the data files' uploader; the label table's comes after it on the page
UPLOADER = '[data-testid="stFileUploaderDropzoneInput"] >> nth=0'


def upload_bytes_in_memory(url: str) -> int:
    """What Streamlit's file store holds now, from its own metrics (cache_memory_bytes)."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=10) as answer:
        text = answer.read().decode()
    return sum(int(float(m.group(1))) for m in
               re.finditer(r'cache_memory_bytes\{[^}]*cache_type="UploadedFileManager"[^}]*\}\s+(\S+)', text))


def upload_bytes_on_disk(url: str) -> int:
    """What the folder the dashboard keeps the server's uploads in holds now (pages/_uploads.py)."""
    total = 0
    for path in spool_folder(urllib.parse.urlsplit(url).port).rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except FileNotFoundError:   # freed while counted
            pass
    return total


def held_upload_bytes(url: str) -> int:
    """What the server holds of uploads, in memory and on disk."""
    return upload_bytes_in_memory(url) + upload_bytes_on_disk(url)


def wait_for_bytes(url: str, test, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while True:
        held = held_upload_bytes(url)
        if test(held) or time.monotonic() > deadline:
            return held
        time.sleep(0.5)


# A PUT to the session's upload URL from inside the page, with the browser's own XSRF token, as the
# uploader itself sends it.
_PUT = """async ([url, size]) => {
  const token = (document.cookie.match(/_streamlit_xsrf=([^;]+)/) || [])[1] || '';
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(size)]), 'junk.csv');
  const answer = await fetch(url, {method: 'PUT', body: form, credentials: 'include',
                                   headers: {'X-Xsrftoken': decodeURIComponent(token)}});
  return answer.status;
}"""


def test_a_signed_out_session_cannot_upload_and_its_file_is_freed(hostile_url, watched):
    uploads = []
    watched.on("request", lambda r: uploads.append(r.url) if "/_stcore/upload_file/" in r.url
               and r.method == "PUT" else None)
    watched.goto(f"{hostile_url}/imports")
    wait_for_app(watched)
    assert watched.locator(UPLOADER).count() == 0
    sign_in(watched, PASSPHRASE)
    watched.locator(UPLOADER).wait_for(state="attached", timeout=60_000)
    watched.locator(UPLOADER).set_input_files(str(TEST_DATA / "nps_gbk.csv"))
    wait_for_app(watched)
    assert len(uploads) == 1
    session_url = uploads[0].rsplit("/", 1)[0]
    size = (TEST_DATA / "nps_gbk.csv").stat().st_size
    assert wait_for_bytes(hostile_url, lambda held: held >= size) >= size
    # kept on disk: the server's memory holds none of the file (issue 20's memory floor)
    assert upload_bytes_in_memory(hostile_url) == 0 and upload_bytes_on_disk(hostile_url) == size
    # the analyst may send another file to the same session
    assert watched.evaluate(_PUT, [f"{session_url}/another-file", 1000]) == 204

    watched.get_by_role("button", name="Lock").click()
    wait_for_app(watched)
    assert watched.locator(UPLOADER).count() == 0
    assert wait_for_bytes(hostile_url, lambda held: held == 0) == 0       # freed on signing out
    # the same session, now a viewer's: refused before the body is read, nothing held
    assert watched.evaluate(_PUT, [f"{session_url}/sent-anyway", 5 * 1024 * 1024]) == 400
    assert wait_for_bytes(hostile_url, lambda held: held > 0, timeout=3) == 0
