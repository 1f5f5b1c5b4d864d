"""Streamlit's upload endpoint, asked directly by a browser session (pages/_uploads.py): a viewer who
never signed in is refused before the body is read, on any page, and nothing is held; an analyst's
files are freed when the analyst's session ends (the tab closed), which Streamlit alone never does."""
from __future__ import annotations

import re

import pytest
from conftest import TEST_DATA, copy_demo_store

from bench.browser import start_app, stop_app
from loaders.access import set_passphrase
from pages._uploads import GONE_FACTOR, SWEEPS_PER_GONE
from store.db import connect
from tests.e2e.conftest import sign_in, wait_for_app, worker_port
from tests.e2e.test_hostile_data import _PUT, UPLOADER, wait_for_bytes

pytestmark = pytest.mark.e2e

PASSPHRASE = "a passphrase only analysts know"
MB = 1024 * 1024
# The server keeps a closed tab's session for a reconnect this many seconds, not Streamlit's 2
# minutes, so that the test of the files freed after it waits seconds rather than minutes.
RECONNECT_SECONDS = 4


@pytest.fixture(scope="module")
def locked_url(demo_master, tmp_path_factory):
    db = copy_demo_store(demo_master, tmp_path_factory.mktemp("endpoint"))
    con = connect(db)
    try:
        set_passphrase(con, PASSPHRASE)
    finally:
        con.close()
    port = worker_port()
    process = start_app(db, port, options={"server.disconnectedSessionTTL": RECONNECT_SECONDS})
    yield f"http://127.0.0.1:{port}"
    stop_app(process)


UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}")


def listen(tab) -> list[bytes]:
    """The frames the server sends the tab over its WebSocket, from now on."""
    frames: list[bytes] = []
    tab.on("websocket", lambda socket: socket.on(
        "framereceived", lambda payload: frames.append(payload if isinstance(payload, bytes) else payload.encode())))
    return frames


def session_ids(frames: list[bytes]) -> list[str]:
    """The ids the server's first message (new_session) carries but its first run's: the session's
    own is among them (its script run's id comes first)."""
    found = [m.decode() for m in UUID.findall(frames[0])]
    return [uuid for uuid in dict.fromkeys(found[1:]) if uuid != found[0]]


@pytest.mark.parametrize("route", ["", "imports"], ids=["overview", "imports"])
def test_a_viewer_who_never_signed_in_is_refused_on_any_page(locked_url, page, route):
    frames = listen(page)
    page.goto(f"{locked_url}/{route}")
    wait_for_app(page)
    assert page.locator(UPLOADER).count() == 0
    candidates = session_ids(frames)
    assert candidates
    for candidate in candidates:
        url = f"{locked_url}/_stcore/upload_file/{candidate}/sent-anyway"
        assert page.evaluate(_PUT, [url, 5 * MB]) == 400
    assert wait_for_bytes(locked_url, lambda held: held > 0, timeout=3) == 0


def test_an_analysts_files_are_freed_when_the_session_ends(locked_url, browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="en-US")
    tab = context.new_page()
    frames = listen(tab)
    tab.goto(f"{locked_url}/imports")
    wait_for_app(tab)
    sign_in(tab, PASSPHRASE)
    tab.locator(UPLOADER).wait_for(state="attached", timeout=60_000)
    tab.locator(UPLOADER).set_input_files(str(TEST_DATA / "nps_gbk.csv"))
    wait_for_app(tab)
    size = (TEST_DATA / "nps_gbk.csv").stat().st_size
    assert wait_for_bytes(locked_url, lambda held: held >= size) >= size
    # the session's own id, found as the viewers' test finds it, lets the analyst's session through
    accepted = [page_id for page_id in session_ids(frames) if tab.evaluate(
        _PUT, [f"{locked_url}/_stcore/upload_file/{page_id}/another", MB]) == 204]
    assert len(accepted) == 1
    assert wait_for_bytes(locked_url, lambda held: held >= size + MB) >= size + MB
    context.close()                               # the tab is gone; Streamlit keeps its session for a reconnect
    gone = GONE_FACTOR * RECONNECT_SECONDS
    # held until the session has been gone `gone` seconds, freed by the next sweep after that
    assert wait_for_bytes(locked_url, lambda held: held == 0, timeout=gone * 0.75) >= size + MB
    freed = wait_for_bytes(locked_url, lambda held: held == 0, timeout=gone + 3 * gone / SWEEPS_PER_GONE)
    assert freed == 0
