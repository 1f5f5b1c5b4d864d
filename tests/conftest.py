"""Shared fixtures: a fresh store per test, in tmp_path, and the demo store built once per run."""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from loaders.demo import DEMO_FOLDER, FILE_NAMES
from loaders.importer import import_file
from bench.postgres import Cluster
from presentation.alerts import after_import
from presentation.upload import WORD_JOINER
import store.db as store_db
from store.db import connect
import dbrows
from store.targets import set_target

TEST_DATA = PROJECT_ROOT / "tests" / "data"
DEMO_RESPONSES = 1500
# how long a worker waits for another worker's demo store before it gives up
DEMO_BUILD_WAIT_S = 600


def build_demo_store(path: Path) -> Path:
    """The demo store the page, report and browser tests read: 1,500 survey responses, written by
    `python -m loaders demo` as an analyst would, its files beside it."""
    done = subprocess.run([sys.executable, "-m", "loaders", "demo", "--db", str(path), "--responses",
                           str(DEMO_RESPONSES), "--files", str(path.parent / "demo-files")],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"`python -m loaders demo` failed with code {done.returncode}:\n{done.stderr[-3000:]}")
    return path


def run_folder(tmp_path_factory) -> Path:
    """A folder this test run's processes share: the run's own base folder, which pytest-xdist's
    workers each have a subfolder of (without xdist the parent would be every run's folder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory, name: str, build) -> Path:
    """A store of the run, `build(path)` run by whichever process of the run asks first; the others
    wait for it.

    Creating a folder is atomic, so exactly one process wins the right to build; it marks the store
    ready (or failed, with the error) when the build has ended, and nobody writes to it afterwards.
    """
    root = run_folder(tmp_path_factory) / name
    store, ready, failed = root / "demo.duckdb", root / "ready", root / "failed"
    try:
        root.mkdir()
    except FileExistsError:
        deadline = time.monotonic() + DEMO_BUILD_WAIT_S
        while not ready.exists():
            if failed.exists():
                pytest.fail(f"the store {name} could not be built: {failed.read_text(encoding='utf-8')}")
            if time.monotonic() > deadline:
                pytest.fail(f"no store in {root} after {DEMO_BUILD_WAIT_S} s")
            time.sleep(0.2)
        return store
    try:
        build(store)
    except BaseException as e:
        failed.write_text(str(e), encoding="utf-8")
        raise
    ready.touch()
    return store


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    """The run's one demo store; tests read copies of it (copy_demo_store), never this file, since
    DuckDB lets one process at a time open a file for writing."""
    return built_once(tmp_path_factory, "demo-store", build_demo_store)


COMMITTED_IMPORTS = "imports.json"


def import_committed_demo(path: Path) -> None:
    """The committed demo spreadsheets imported one by one as an analyst would; each import's kind
    and rejected rows written beside the store (COMMITTED_IMPORTS), for the tests of the import."""
    con = connect(path)
    try:
        results = {kind: import_file(con, DEMO_FOLDER / name) for kind, name in FILE_NAMES.items()}
    finally:
        con.close()
    imports = {kind: {"kind": r.kind, "rows_rejected": r.rows_rejected} for kind, r in results.items()}
    (path.parent / COMMITTED_IMPORTS).write_text(json.dumps(imports), encoding="utf-8")


@pytest.fixture(scope="session")
def committed_demo_master(tmp_path_factory) -> Path:
    """The committed demo spreadsheets (data/demo: 4,000 survey responses, the planted stories at
    full strength) imported as an analyst would, and nothing else: no alert rules checked yet. Built
    once per run like demo_master; tests read copies (copy_demo_store)."""
    return built_once(tmp_path_factory, "committed-demo", import_committed_demo)


def copy_demo_store(master: Path, folder: Path) -> Path:
    path = folder / "demo.duckdb"
    shutil.copyfile(master, path)
    return path


def alerted_demo_store(master: Path, folder: Path) -> Path:
    """A copy of the committed demo with its alert rules checked and two targets: NPS +30 and
    within SLA 95% (the alerts' page and browser tests read the same store)."""
    path = copy_demo_store(master, folder)
    con = connect(path)
    try:
        after_import(con, "test")
        set_target(con, "nps", 30)
        set_target(con, "within_sla", 95)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory) -> Path:
    """An empty store with the current schema, written once per process and copied for each `con`."""
    path = tmp_path_factory.mktemp("template") / "empty.duckdb"
    connect(path).close()
    return path


def shown(markdown: str) -> str:
    """Markdown as the reader sees it: the pages escape every text drawn from data (backslashes) and
    break addresses with an invisible word joiner (presentation.upload.plain)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "feedback.duckdb"


STORES = ("file", "lake")


def pytest_addoption(parser) -> None:
    parser.addoption("--store", choices=(*STORES, "both"), default="both",
                     help="the stores the store fixtures (con, con_url, store_url) open: a DuckDB file, a"
                          " DuckLake with its catalog in a throw-away PostgreSQL cluster, or both (each such"
                          " test runs once on each)")


def pytest_generate_tests(metafunc) -> None:
    if "store_kind" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("--store")
        metafunc.parametrize("store_kind", STORES if chosen == "both" else (chosen,))


def _known_copy(url: str) -> None:
    """A copied lake is opened as one this process has already found (connect() asks the catalog
    whether a lake is there only for a URL it has not opened before): the copy is of a lake that
    was opened. Tests that look for a missing or new lake take store_url or make their own."""
    store_db._known_lakes.add(url)


@pytest.fixture
def con_url(request, store_kind: str, db_path: Path, tmp_path: Path, monkeypatch) -> str:
    """Where `con` opens its store, for a test that opens it again (a command, a page): on the lake
    a lake of the test's own with the current schema, else db_path, a copy of the empty store with
    the schema. A test that takes `built` gets a copy of its module's built store instead."""
    copied = _built_store(request, store_kind) if "store_build" in request.fixturenames else None
    if store_kind == "lake":
        data = tmp_path / "lake-data"
        monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(data))
        url = request.getfixturevalue("postgres_cluster").copied_lake_url(
            copied.template if copied else request.getfixturevalue("lake_template"), data)
        _known_copy(url)
        if copied:
            shutil.copytree(copied.data, data, dirs_exist_ok=True)
        return url
    shutil.copyfile(copied.template if copied else request.getfixturevalue("schema_template"), db_path)
    return str(db_path)


# -- stores built once and copied ------------------------------------------------------------------
# A module whose tests each start from the same imports defines a fixture `store_build` returning a
# function build(con, folder) -> value; its tests take `built` (that value) and `con` opens a copy of
# the store build made, once per process and store kind: on a lake each import is many catalog
# round trips, a copy one CREATE DATABASE … TEMPLATE (the lake keeps small tables in its catalog and
# names its data files relative to its data folder, which is copied too).

@dataclass(frozen=True)
class BuiltStore:
    template: str        # a DuckDB file, or the PostgreSQL database of a lake
    data: Path | None    # the lake's data folder
    value: object        # what the build returned


_built_stores: dict[tuple, BuiltStore] = {}


def _built_store(request, store_kind: str) -> BuiltStore:
    build = request.getfixturevalue("store_build")
    key = (build, store_kind)
    if key not in _built_stores:
        folder = request.getfixturevalue("tmp_path_factory").mktemp("built")
        data = None
        if store_kind == "lake":
            data = folder / "lake-data"
            url = request.getfixturevalue("postgres_cluster").copied_lake_url(
                request.getfixturevalue("lake_template"), data)
            _known_copy(url)
            template = re.search(r"dbname=(\S+)", url).group(1)
        else:
            url = template = str(folder / "built.duckdb")
            shutil.copyfile(request.getfixturevalue("schema_template"), url)
        con = connect(url)
        try:
            value = build(con, folder)
        finally:
            con.close()
        _built_stores[key] = BuiltStore(template, data, value)
    return _built_stores[key]


@pytest.fixture
def built(store_build, store_kind: str, con_url: str):
    """What the module's store_build returned when it built the store `con` opens a copy of."""
    return _built_stores[(store_build, store_kind)].value


def import_good_rows(con, folder) -> None:
    """A module's `store_build` for tests of refused files: one import of nps_gbk.csv, built once per
    worker and store kind even when two modules use it."""
    import_file(con, TEST_DATA / "nps_gbk.csv")


def import_nps_comments(con, folder: Path, name: str, comments: dict[str, tuple[int, str]]) -> None:
    """An NPS csv `name` of {customer: (score, comment)}, one a day from 2 March 2026, imported."""
    path = folder / name
    rows = "".join(f"{customer},2026-03-{i + 2:02d},{score},{comment}\n"
                   for i, (customer, (score, comment)) in enumerate(comments.items()))
    path.write_text("Customer,Date,NPS,Comment\n" + rows, encoding="utf-8")
    import_file(con, path, kind="nps")


@contextlib.contextmanager
def reopened_before(con, path: Path, step: int, *tables: str):
    """The store at `path`, open on `con`, made one whose layout stopped before upgrade `step`
    (dbrows.layout_before, `tables` dropped), closed and opened again: the upgrade runs on opening.
    Yields the new connection and closes it at the end."""
    dbrows.layout_before(con, step, *tables)
    con.close()
    again = connect(path)
    try:
        yield again
    finally:
        again.close()


@pytest.fixture
def good_rows(con, built) -> None:
    """`con` opens a store holding nps_gbk.csv's rows, a copy of one imported once (`built`): a
    refused file must leave them as they were. The module's `store_build` returns import_good_rows."""
    assert con.execute("SELECT count(*) FROM nps_response").fetchone()[0] > 0


@pytest.fixture
def con(con_url: str):
    connection = connect(con_url)
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def navigation_mode():
    """Every AppTest run goes through app.py's st.navigation, as a served dashboard's does."""
    from bench.page_calls import served_navigation

    with served_navigation():
        yield


# -- the two stores -------------------------------------------------------------------------------
# Tests that take `con`, `con_url` or `store_url` run on a DuckDB file and on a DuckLake whose
# catalog is in PostgreSQL (--store picks one), each test on a store of its own. Each process of the
# run (each pytest-xdist worker) starts its own cluster; a test's lake is a copy of one made once.

_signed_lake_config = store_db._lake_config


@pytest.fixture(scope="session")
def extensions_verified_once():
    """The lake's extensions loaded once with their signatures checked, as every store opens them;
    the test process's later lake opens then skip the check (store_db._lake_config patched).

    DuckDB checks an extension's signature each time a new database instance loads it, by hashing
    the whole file (ducklake and postgres_scanner together are tens of megabytes), and every lake
    a test opens is a new instance, twice over (connect() looks for the catalog first): the hashing
    was a large share of a lake test's time. The files are the same ones checked here; the commands and
    dashboards the tests start in processes of their own open lakes unpatched, with the check.
    """
    directory = store_db._extension_directory()
    with duckdb.connect(config=_signed_lake_config(directory)) as checked:
        for name in ("postgres_scanner", "ducklake"):
            checked.execute(f"LOAD {name}")
    store_db._lake_config = lambda directory: {**_signed_lake_config(directory), "allow_unsigned_extensions": True}
    yield
    store_db._lake_config = _signed_lake_config


@pytest.fixture(scope="session")
def postgres_cluster(extensions_verified_once):
    cluster = Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def lake_template(postgres_cluster, tmp_path_factory) -> str:
    """The database of an empty lake with the current schema, which con_url copies per test."""
    url = postgres_cluster.lake_url()
    previous = os.environ.get("FEEDBACK_LAKE_DATA")
    # the copies each get a data folder of their own (copied_lake_url); nothing is written here
    os.environ["FEEDBACK_LAKE_DATA"] = str(tmp_path_factory.mktemp("template-lake-data"))
    try:
        connect(url).close()
    finally:
        if previous is None:
            del os.environ["FEEDBACK_LAKE_DATA"]
        else:
            os.environ["FEEDBACK_LAKE_DATA"] = previous
    return re.search(r"dbname=(\S+)", url).group(1)


@pytest.fixture
def store_url(store_kind: str, request, tmp_path: Path, monkeypatch) -> str:
    """Where a test creates its store: a DuckDB file, or a PostgreSQL database that holds no lake yet."""
    if store_kind == "file":
        return str(tmp_path / "feedback.duckdb")
    monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(tmp_path / "lake-data"))
    return request.getfixturevalue("postgres_cluster").lake_url()
