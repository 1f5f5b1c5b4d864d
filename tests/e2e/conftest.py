"""Start the dashboard on a free port with a temporary demo store; drive it with Debian's Chromium."""
from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, TEST_DATA, built_once, copy_demo_store
from playwright.sync_api import expect

from bench.browser import CHROMIUM, CHROMIUM_ARGS as BENCH_CHROMIUM_ARGS, start_app, stop_app

CHROMIUM_ARGS = [*BENCH_CHROMIUM_ARGS, "--disable-quic", "--disable-sync"]
# What must appear after a rerun is given as long as a loaded machine needs (a save's message did
# not appear within Playwright's default 5 s while two workers and other work shared the cores);
# what appears sooner passes sooner.
expect.set_options(timeout=20_000)
ARTIFACTS = PROJECT_ROOT / "artifacts" / "screenshots"


# Below Linux's default ephemeral range (32768-60999), so no socket bound to port 0 takes them.
TEST_PORTS = range(20_000, 32_000)


def worker_port() -> int:
    """A free port that no other pytest-xdist worker of this run takes: worker gwN takes only ports
    equal to N modulo the number of workers, so two dashboards started at once never share one.
    (Filtering free_port() by remainder would not do: Linux hands bind(port 0) odd ports only.)"""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    ports = list(range(TEST_PORTS.start + worker, TEST_PORTS.stop, workers))
    random.shuffle(ports)
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {TEST_PORTS} for pytest-xdist worker {worker}")


@pytest.fixture(scope="session")
def demo_db(demo_master, tmp_path_factory) -> Path:
    return copy_demo_store(demo_master, tmp_path_factory.mktemp("e2e"))


def import_complaint_log(path: Path) -> None:
    """A store that holds a complaint log (tests/data/complaints_bom.csv), imported by the command line."""
    subprocess.run([sys.executable, "-m", "loaders", "import", str(TEST_DATA / "complaints_bom.csv"), "--db",
                    str(path)], cwd=PROJECT_ROOT, check=True, capture_output=True, text=True)


@pytest.fixture(scope="session")
def complaint_master(tmp_path_factory) -> Path:
    """The run's one store holding a complaint log (import_complaint_log); tests serve copies of it."""
    return built_once(tmp_path_factory, "complaint-store", import_complaint_log)


@pytest.fixture(scope="session")
def app_url(demo_db):
    port = worker_port()
    process = start_app(demo_db, port)
    yield f"http://127.0.0.1:{port}"
    stop_app(process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium fonts-noto-cjk` (make test does it)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="en-US")
    tab = context.new_page()
    yield tab
    context.close()


# The script run has ended (stApp's script state, as Streamlit's own browser tests wait), nothing
# is loading, a slide is drawn for this window, and the sidebar lists the dashboard's pages rather than the files of pages/ (on a
# fresh server a deep link first runs in Streamlit's legacy mode until require_router() reruns it).
_SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')) return false;
  if (document.querySelector('a[href$="/common"], a[href$="/keys"]')) return false;
  // a slide is drawn for the rem the server assumed until the browser says its own (pages/_common.py
  // slide_rem): settled once the slide is drawn for the rem this window has
  const root = document.documentElement, drawnFor = root.dataset.slideDrawnFor;
  if (drawnFor && document.querySelector('.st-key-review-slide')
      && +drawnFor !== Math.round(parseFloat(getComputedStyle(root).fontSize) * 10) / 10) return false;
  return document.querySelectorAll('[data-testid="stMainBlockContainer"] *').length > 5;
}"""


def wait_for_app(tab, timeout: float = 60_000) -> None:
    """Until the dashboard's script run has ended and the page is drawn (see _SETTLED)."""
    tab.wait_for_selector('[data-testid="stMain"]', timeout=timeout)
    tab.wait_for_function(_SETTLED, timeout=timeout)
    tab.wait_for_timeout(300)
    tab.wait_for_function(_SETTLED, timeout=timeout)


def sign_in(tab, passphrase: str, name: str | None = None) -> None:
    """Opens the analyst sign-in, types the name and passphrase, and submits the form once the typing
    is committed: each field is left (Tab) before the click, because a field committing its value on
    the button's mousedown re-draws the form under the pointer and the click can be lost. Returns when
    the form has been taken (it clears itself on submit) and the run it started has ended."""
    tab.get_by_text("Analyst sign-in").click()
    if name is not None:
        tab.get_by_label("Your name (shown in the import history)").fill(name)
        tab.get_by_label("Your name (shown in the import history)").press("Tab")
    field = tab.get_by_label("Analyst passphrase")
    field.fill(passphrase)
    field.press("Tab")
    wait_for_app(tab)
    tab.get_by_role("button", name="Unlock").click()
    tab.wait_for_function(
        """() => { const f = [...document.querySelectorAll('input[type=password]')];
                   return f.every(i => i.value === ''); }""", timeout=60_000)
    wait_for_app(tab)


def screenshot(tab, name: str, width: int = 1600) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so the window grows to fit it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    viewport = tab.viewport_size
    height = tab.evaluate("() => Math.max(document.querySelector('[data-testid=\"stMain\"]').scrollHeight,"
                          " document.body.scrollHeight)")
    tab.set_viewport_size({"width": width, "height": min(int(height) + 40, 8000)})
    tab.wait_for_timeout(400)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path))
    tab.set_viewport_size(viewport)
    return path
