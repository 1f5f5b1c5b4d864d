"""A dashboard server asked to stop (SIGTERM, as stop_app and a service manager ask) removes the
folder that held its uploads (pages/_uploads.py): analysts' files do not outlive the server."""
from __future__ import annotations

import pytest
from conftest import copy_demo_store

from bench.browser import start_app, stop_app
from pages._uploads import spool_folder
from tests.e2e.conftest import wait_for_app, worker_port

pytestmark = pytest.mark.e2e


def test_a_stopped_server_leaves_no_uploads_folder(demo_master, tmp_path, page):
    port = worker_port()
    process = start_app(copy_demo_store(demo_master, tmp_path), port)
    try:
        page.goto(f"http://127.0.0.1:{port}/imports")
        wait_for_app(page)
        assert spool_folder(port).is_dir()
    finally:
        stop_app(process)
    assert not spool_folder(port).exists()
