"""Time each page of the running dashboard in headless Chromium, from opening it to its charts drawn.

The dashboard is started with `streamlit run app.py` on the benchmark's store and every page of
app.PAGES (whatever main holds) is timed; see time_pages for the order. "Drawn" means: the script run has ended (stApp's data-test-script-state is "notRunning", what
Streamlit's own browser tests wait for), the main block has content, every
visible Plotly chart has its SVG, every visible Vega chart its canvas or SVG, every visible data
frame its canvas (a table in a closed expander is not drawn until it is opened), and the page
stays like that for SETTLE_SECONDS (the time is taken when it last changed, on the page's clock).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.measure import tree_pss_mb

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SETTLE_SECONDS = 0.5

DRAWN = """() => {
  const shown = (e) => e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return -1;
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (!main || main.querySelectorAll('*').length <= 5) return -1;
  if (main.querySelector('[data-testid="stSkeleton"]')) return -1;
  for (const chart of main.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (shown(chart) && !chart.querySelector('.main-svg')) return -1;
  for (const chart of main.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]'))
    if (shown(chart) && !chart.querySelector('canvas, svg')) return -1;
  for (const frame of main.querySelectorAll('[data-testid="stDataFrame"]'))
    if (shown(frame) && !frame.querySelector('canvas')) return -1;
  return main.querySelectorAll('*').length;
}"""


# Remembers when the script run last ended (stApp's data-test-script-state turning "notRunning", as
# Streamlit's own browser tests wait for it), on the page's clock, so a page's time splits into the
# server's run and the browser's drawing after it.
WATCH_SCRIPT = """
window.__scriptDone = 0;
new MutationObserver(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute('data-test-script-state');
  if (state === 'running') window.__scriptDone = -1;
  else if (state === 'notRunning' && window.__scriptDone <= 0) window.__scriptDone = performance.now();
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-test-script-state']});
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


REFERENCE_APP = "bench/reference_app.py"


def start_app(db: Path, port: int, timeout: float = 60, script: str = "app.py",
              options: dict[str, object] | None = None) -> subprocess.Popen:
    """`streamlit run` on the store `db`, returned once its health check answers; `options`: more
    of Streamlit's server options ({"server.disconnectedSessionTTL": 4}).

    The server's output goes to a temporary file, which no pipe can fill and block; if the server
    exits before it answers, the error shows the end of that output.
    """
    env = dict(os.environ, FEEDBACK_DB=str(db))
    output = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         *(word for name, value in (options or {}).items() for word in (f"--{name}", str(value)))],
        cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output.seek(0)
            said = output.read().decode("utf-8", "replace")[-4000:]
            raise RuntimeError(f"the dashboard exited with code {process.returncode}:\n{said}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the dashboard did not answer within {timeout:.0f} s")


def stop_app(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Resolves once the page has been drawn (DRAWN > 0) and unchanged for `settle` ms, checked every
# animation frame: [when it last changed, now, settled], on the page's clock; gives up after `limit`
# ms. A table's grid that fills in after the charts counts from when it filled in.
SETTLED = """([settle, limit]) => new Promise((resolve) => {
  const start = performance.now();
  let size = null, since = start;
  const tick = () => {
    const now = performance.now(), current = (%s)();
    if (current !== size) { size = current; since = now; }
    if (current > 0 && now - since >= settle) resolve([since, now, true]);
    else if (now - start > limit) resolve([since, now, false]);
    else requestAnimationFrame(tick);
  };
  tick();
})""" % DRAWN


def open_and_wait(context, url: str, timeout: float) -> dict:
    """Seconds from navigation to the page drawn (and staying drawn), and whether it errored.

    Each call opens a new tab: a new Streamlit session, as when a manager opens a link.
    """
    tab = context.new_page()
    try:
        started = time.perf_counter()
        tab.goto(url)
        since, now, settled = tab.evaluate(SETTLED, [SETTLE_SECONDS * 1000, timeout * 1000])
        if not settled:
            raise RuntimeError(f"{url} was not drawn, or kept changing, for {timeout:.0f} s")
        drawn = time.perf_counter() - started - (now - since) / 1000
        charts = tab.locator('[data-testid="stPlotlyChart"], [data-testid="stVegaLiteChart"]').count()
        errors = tab.locator('[data-testid="stException"]').count()
        script_done = max(tab.evaluate("() => window.__scriptDone || 0"), 0) / 1000
        return {"seconds": round(drawn, 3), "script_done_s": round(script_done, 3),
                "charts": charts, "exceptions": errors}
    finally:
        tab.close()


def address(spec) -> str:
    """A page's path on the server: app.route() where app.py has it (the default page is the root)."""
    import app

    route = getattr(app, "route", None)
    return route(spec) if route else spec.url_path


def manager_browser(playwright, profile: str):
    """Chromium on a profile kept for the whole run, as a returning manager's browser is.

    Its HTTP cache and V8's code cache carry over from one tab, and one server, to the next, as long
    as every server answers at the same address (the dashboard has one). A fresh incognito context
    keeps no code cache: every page would compile Plotly's 4.7 MB module from nothing, which a
    browser that has opened the dashboard before does not.
    """
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 1600, "height": 1000},
        locale="en-US")
    context.add_init_script(WATCH_SCRIPT)
    return context


def time_reference(context, port: int, timeout: float, opens: int = 3) -> dict:
    """The reference page (Streamlit and four Plotly charts, no data) opened like a page: on a
    server of its own at the dashboard's address, once to warm it, then `opens` times in new tabs."""
    app = start_app(Path("unused"), port, timeout, script=REFERENCE_APP)
    try:
        open_and_wait(context, f"http://127.0.0.1:{port}/", timeout)
        seconds = [open_and_wait(context, f"http://127.0.0.1:{port}/", timeout)["seconds"] for _ in range(opens)]
    finally:
        stop_app(app)
    return {"seconds": sorted(seconds)[len(seconds) // 2], "runs_seconds": seconds, "charts": 4}


def time_pages_quickly(db: Path, timeout: float = 60) -> dict:
    """The smoke test's form: one server, one page opened to warm it, then each page once."""
    from playwright.sync_api import sync_playwright

    from app import PAGES

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    pages: dict = {}
    app_memory: list[float] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = manager_browser(playwright, profile)
        port = free_port()
        launched = time.perf_counter()
        app = start_app(db, port, timeout)
        ready = time.perf_counter() - launched
        try:
            cold = open_and_wait(context, f"http://127.0.0.1:{port}/{address(PAGES[-1])}", timeout)
            for spec in PAGES:
                opened = open_and_wait(context, f"http://127.0.0.1:{port}/{address(spec)}", timeout)
                app_memory.append(tree_pss_mb(app.pid))
                pages[spec.url_path] = {"first_s": opened["seconds"], "again_s": None,
                                        "first_script_done_s": opened["script_done_s"],
                                        "charts": opened["charts"], "exceptions": opened["exceptions"],
                                        "warmed_by": PAGES[-1].url_path}
        finally:
            stop_app(app)
        try:
            reference = time_reference(context, port, timeout, opens=1)
        finally:
            context.close()
    return {"rows": None, "pages": pages, "cold_open_s": {"page": PAGES[-1].url_path, "seconds": cold["seconds"],
                                                        "server_ready_s": round(ready, 3)},
            "reference_page": reference,
            "app_peak_pss_mb": round(max(app_memory), 1) if app_memory else None,
            "app_pss_mb_after_each_page": [round(m, 1) for m in app_memory]}


def time_pages(db: Path, timeout: float = 60) -> dict:
    """Each page on a server of its own (caches empty for it), then all pages on one server.

    One browser profile serves the whole run (see manager_browser) and every server answers at the
    same address. First the browser opens every page once on a fresh server, as a manager's
    browser has before: the very first of these opens, fresh browser and fresh server, is
    reported apart (cold_open_s), with the seconds from starting the server to its health check
    answering (server_ready_s: app.warm_up runs before it answers). Then per page: a fresh server; another page opened first, so
    the server has done its imports and opened the store; then the page timed in a new tab twice:
    "first" with the server's caches empty for it, "again" with them filled. Last, one server
    opens every page in turn and its memory is read after each: the app's peak with every cache
    filled.
    """
    from playwright.sync_api import sync_playwright

    from app import PAGES

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    pages: dict = {}
    app_memory: list[float] = []
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = manager_browser(playwright, profile)
        try:
            launched = time.perf_counter()
            app = start_app(db, port, timeout)
            ready = time.perf_counter() - launched
            try:
                visits = [open_and_wait(context, f"{base}/{address(spec)}", timeout) for spec in PAGES]
            finally:
                stop_app(app)
            cold = {"page": PAGES[0].url_path, "seconds": visits[0]["seconds"], "server_ready_s": round(ready, 3)}
            for i, spec in enumerate(PAGES):
                app = start_app(db, port, timeout)
                try:
                    warm_up = PAGES[(i + 1) % len(PAGES)]
                    open_and_wait(context, f"{base}/{address(warm_up)}", timeout)
                    first = open_and_wait(context, f"{base}/{address(spec)}", timeout)
                    again = open_and_wait(context, f"{base}/{address(spec)}", timeout)
                finally:
                    stop_app(app)
                pages[spec.url_path] = {"first_s": first["seconds"], "again_s": again["seconds"],
                                        "first_script_done_s": first["script_done_s"],
                                        "charts": first["charts"],
                                        "exceptions": first["exceptions"] + again["exceptions"],
                                        "warmed_by": warm_up.url_path}
            app = start_app(db, port, timeout)
            try:
                for spec in PAGES:
                    open_and_wait(context, f"{base}/{address(spec)}", timeout)
                    app_memory.append(tree_pss_mb(app.pid))
            finally:
                stop_app(app)
            reference = time_reference(context, port, timeout)
        finally:
            context.close()
    return {"rows": None, "pages": pages, "cold_open_s": cold, "reference_page": reference,
            "browser": "one persistent Chromium profile for the run; every server at one address",
            "app_peak_pss_mb": round(max(app_memory), 1) if app_memory else None,
            "app_pss_mb_after_each_page": [round(m, 1) for m in app_memory]}
