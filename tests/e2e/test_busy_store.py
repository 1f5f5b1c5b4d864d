"""Twenty readers browse the dashboard while the command line imports a file and then undoes it, on
the dashboard's own DuckDB file: both commands land, no page shows an error box (only the previous
figures or the short "an import is finishing" notice), and no row is lost or counted twice."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, copy_demo_store

from bench.browser import start_app, stop_app
from tests.e2e.conftest import screenshot, worker_port
from store.db import connect

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.ci]

SESSIONS = 20
ROWS = 20_000
ROUTES = ("", "nps", "complaints", "sentiment", "csi", "branches", "imports", "gaps", "review")
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
# Settled: the script run has ended and nothing is loading (conftest's wait_for_app, for many tabs).
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')
    && document.querySelectorAll('[data-testid="stMainBlockContainer"] *').length > 5;
}"""


@pytest.fixture
def busy_app(demo_master, tmp_path):
    db = copy_demo_store(demo_master, tmp_path)
    port = worker_port()
    process = start_app(db, port)
    yield db, f"http://127.0.0.1:{port}"
    stop_app(process)


def nps_rows(db: Path) -> int:
    """NPS rows in the store, read by a program of its own as the command line reads it."""
    said = subprocess.run([sys.executable, "-c", "import sys; from store.db import connect;"
                           " print(connect(sys.argv[1], read_only=True).execute("
                           "'SELECT count(*) FROM nps_response').fetchone()[0])", str(db)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert said.returncode == 0, said.stderr
    return int(said.stdout)


def browse_round(tabs, url: str, round_no: int, errors: list) -> None:
    """Every tab opens its next page at once; then each is awaited and looked at for error boxes."""
    for i, tab in enumerate(tabs):
        tab.goto(f"{url}/{ROUTES[(i + round_no) % len(ROUTES)]}", wait_until="commit")
    for i, tab in enumerate(tabs):
        # polled by time: a tab in the background may draw no animation frames
        tab.wait_for_function(SETTLED, polling=250, timeout=300_000)
        found = tab.locator(ERRORS)
        if found.count():
            errors.append((round_no, tab.url, found.first.inner_text()[:300]))
            screenshot(tab, f"busy-store-error-{round_no}-{i}")


def run_while_browsing(command: list[str], tabs, url: str, errors: list, rounds: list) -> subprocess.CompletedProcess:
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started = time.monotonic()
    while process.poll() is None:
        browse_round(tabs, url, len(rounds), errors)
        rounds.append(time.monotonic() - started)
    out, err = process.communicate()
    browse_round(tabs, url, len(rounds), errors)        # and once more with the command's work done
    rounds.append(time.monotonic() - started)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def test_twenty_readers_browse_while_the_command_line_imports_and_undoes(busy_app, browser, tmp_path):
    db, url = busy_app
    before = nps_rows(db)
    lines = ["Customer ID,Date,Branch,Score"] + [f"N{i},2026-10-{i % 28 + 1:02d},Guangzhou Tianhe,{i % 11}"
                                                 for i in range(ROWS)]
    november = tmp_path / "november-extra.csv"
    november.write_text("\n".join(lines) + "\n", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    tabs = [context.new_page() for _ in range(SESSIONS)]
    errors: list = []
    rounds: list = []
    try:
        for i, tab in enumerate(tabs):              # every session open before the commands start
            tab.goto(f"{url}/{ROUTES[i % len(ROUTES)]}")
            tab.wait_for_function(SETTLED, polling=250, timeout=300_000)
        imported = run_while_browsing([sys.executable, "-m", "loaders", "import", str(november), "--db", str(db)],
                                      tabs, url, errors, rounds)
        assert imported.returncode == 0, imported.stderr
        assert nps_rows(db) == before + ROWS
        # the dashboard shows the import on its next run
        tabs[0].goto(f"{url}/imports")
        tabs[0].wait_for_function(SETTLED, polling=250, timeout=300_000)
        assert f"{before + ROWS:,}" in tabs[0].locator('[data-testid="stMain"]').inner_text()
        batch = re.search(r"as batch ([0-9a-f-]{36})", imported.stdout).group(1)
        undone = run_while_browsing([sys.executable, "-m", "loaders", "undo", batch[:8], "--db", str(db)],
                                    tabs, url, errors, rounds)
        assert undone.returncode == 0, undone.stderr
        assert nps_rows(db) == before
        listed = subprocess.run([sys.executable, "-m", "loaders", "history", "--db", str(db)], cwd=PROJECT_ROOT,
                                capture_output=True, text=True, timeout=300)
        assert listed.returncode == 0 and "undone" in listed.stdout, listed.stderr
    finally:
        context.close()
    assert errors == []
    assert len(rounds) >= 4
    con = connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM import_batch WHERE source_file = 'november-extra.csv'"
                           " AND status = 'undone'").fetchone() == (1,)
    finally:
        con.close()
