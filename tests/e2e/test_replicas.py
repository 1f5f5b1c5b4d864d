"""Two `streamlit run` replicas and the command line on one lake (issue 24), in a real browser: an
import through one replica's upload page, or from the command line, is seen by the other replica on
its next interaction, and so is an undo made through a replica."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import PROJECT_ROOT, TEST_DATA
from playwright.sync_api import expect

from bench.browser import start_app, stop_app
from store.db import connect
from tests.e2e.conftest import wait_for_app, worker_port
from tests.e2e.test_upload import UPLOADER, metric

pytestmark = pytest.mark.e2e


def cli(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "loaders", *args], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def go(tab, title: str) -> None:
    """To another page by the sidebar's link: a script run of the same session, as a manager's click."""
    tab.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    tab.wait_for_timeout(300)
    wait_for_app(tab)
    errors = tab.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"{title}: {errors.first.inner_text()}"


def rerun(tab, title: str) -> None:
    """The replica's next interaction: away from the page and back."""
    go(tab, "Overview")
    go(tab, title)


def counts(tab) -> tuple[str, str]:
    """The Imports page's tiles: NPS answers and complaints in the store."""
    return metric(tab, "NPS responses"), metric(tab, "Complaints")


def nps_shown(tab) -> tuple[str, str]:
    """The NPS page's tile: its value and its n (September's few answers: "too few to judge (n = 5)")."""
    tile = tab.locator('[data-testid="stMetric"]').filter(has=tab.get_by_text("NPS", exact=True)).first
    return tile.locator('[data-testid="stMetricValue"]').inner_text().strip(), tab.get_by_text(
        "too few to judge (n = ").first.inner_text().strip()


def test_replicas_and_the_command_line_see_each_others_imports_and_undos(postgres_cluster, tmp_path, monkeypatch,
                                                                         browser):
    monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(tmp_path / "lake-data"))
    url = postgres_cluster.lake_url()
    cli("import", str(TEST_DATA / "complaints_bom.csv"), "--db", url)        # September's complaints
    # three more September answers: 10, 10, 0
    more = tmp_path / "more_nps.csv"
    more.write_text("Customer ID,Date,Score\nD1,2026-09-20,10\nD2,2026-09-21,10\nD3,2026-09-22,0\n", encoding="utf-8")
    ports = {worker_port()}
    while len(ports) < 2:
        ports.add(worker_port())
    replicas = [start_app(url, port, timeout=600) for port in ports]
    contexts = [browser.new_context(viewport={"width": 1600, "height": 1000}, locale="en-US") for _ in replicas]
    try:
        first, second = (context.new_page() for context in contexts)
        for tab, replica, page in ((first, replicas[0], "imports"), (second, replicas[1], "nps")):
            port = replica.args[replica.args.index("--server.port") + 1]
            tab.goto(f"http://127.0.0.1:{port}/{page}?lang=en")
            wait_for_app(tab)
            expect(tab.locator('[data-testid="stException"]')).to_have_count(0)
        assert counts(first) == ("0", "3")
        expect(second.get_by_text("too few to judge (n = ")).to_have_count(0)     # no answer yet

        # through the first replica's upload page: nps_gbk.csv, September's 10, 9, 7, 6, 0
        first.locator(UPLOADER).set_input_files(str(TEST_DATA / "nps_gbk.csv"))
        wait_for_app(first)
        first.get_by_role("button", name="Import", exact=True).click()
        expect(first.get_by_text("Imported 5 rows from nps_gbk.csv")).to_be_visible(timeout=60_000)
        wait_for_app(first)
        assert counts(first) == ("5", "3")
        go(first, "NPS")
        rerun(second, "NPS")
        # (2 promoters − 2 detractors) / 5
        assert nps_shown(first) == nps_shown(second) == ("0.0", "too few to judge (n = 5)")

        # from the command line, a third process: (4 − 3) / 8 = 12.5
        cli("import", str(more), "--db", url)
        rerun(first, "NPS")
        rerun(second, "NPS")
        assert nps_shown(first) == nps_shown(second) == ("+12.5", "too few to judge (n = 8)")

        # an undo through the second replica's Imports page: 10, 10, 0 left, (2 − 1) / 3 = 33.3
        go(second, "Imports")
        second.get_by_label("Batch to undo").click()
        second.get_by_role("option").filter(has_text="nps_gbk.csv").click()
        wait_for_app(second)
        second.get_by_role("button", name="Undo…").click()
        second.get_by_role("dialog").get_by_role("button", name="Yes, undo it").click()
        expect(second.get_by_text("Undone: batch")).to_be_visible(timeout=60_000)
        wait_for_app(second)
        assert counts(second) == ("3", "3")
        rerun(first, "NPS")
        assert nps_shown(first) == ("+33.3", "too few to judge (n = 3)")
    finally:
        for context in contexts:
            context.close()
        for replica in replicas:
            stop_app(replica)
    con = connect(url, read_only=True)
    try:
        assert con.execute("SELECT source_file, status FROM import_batch ORDER BY source_file").fetchall() == [
            ("complaints_bom.csv", "imported"), ("more_nps.csv", "imported"), ("nps_gbk.csv", "undone")]
        assert con.execute("SELECT count(*) FROM nps_response").fetchone()[0] == 3
    finally:
        con.close()
