"""Only a session that drew the uploader for an analyst may send files; files of sessions that are
gone are freed (pages/_uploads.py)."""
from __future__ import annotations

import errno
import threading

import pytest
import streamlit as st
from starlette.exceptions import HTTPException
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from loaders.errors import LoadError
from pages import _uploads
from pages._uploads import UploadGate
from presentation.problems import load_error_text

MB = 1024 * 1024
GONE_SECONDS = 180.0     # Streamlit's reconnect window of 2 minutes, times 1.5 (gone_seconds)


def record(file_id: str, size: int = MB) -> UploadedFileRec:
    return UploadedFileRec(file_id=file_id, name=f"{file_id}.csv", type="text/csv", data=b"x" * size)


def held_bytes(files: MemoryUploadedFileManager) -> int:
    return sum(len(f.data) for session in files.file_storage.values() for f in session.values())


@pytest.fixture
def connected():
    return {"analyst", "viewer"}


@pytest.fixture
def gate(connected):
    return UploadGate(lambda session_id: session_id in connected, GONE_SECONDS)


def test_only_a_permitted_connected_session_is_let_through(gate, connected):
    gate.permit("analyst")
    assert gate.accepts("analyst")
    assert not gate.accepts("viewer")          # connected, but its page drew no uploader
    assert not gate.accepts("stranger")        # not a session at all
    assert gate.forbid("analyst") and not gate.accepts("analyst")
    assert not gate.forbid("viewer")


def test_files_of_a_session_gone_longer_than_a_reconnect_are_freed(gate, connected):
    files = MemoryUploadedFileManager("/_stcore/upload_file")
    gate.permit("analyst")
    for i in range(3):
        files.add_file("analyst", record(f"f{i}", 60 * MB))
    files.add_file("viewer", record("v"))
    connected.discard("analyst")               # the browser closed: Streamlit keeps it for a reconnect
    assert gate.sweep(files, now=1000.0) == []
    assert gate.sweep(files, now=1000.0 + GONE_SECONDS - 1) == []
    assert held_bytes(files) == 181 * MB
    assert gate.sweep(files, now=1000.0 + GONE_SECONDS) == ["analyst"]
    assert held_bytes(files) == MB             # the connected viewer's own entry stays
    assert not gate.may_upload("analyst")


def test_a_session_that_comes_back_in_time_keeps_its_files(gate, connected):
    files = MemoryUploadedFileManager("/_stcore/upload_file")
    gate.permit("analyst")
    files.add_file("analyst", record("f"))
    connected.discard("analyst")
    gate.sweep(files, now=0.0)
    connected.add("analyst")                   # reconnected within Streamlit's 2 minutes
    gate.sweep(files, now=60.0)
    connected.discard("analyst")
    assert gate.sweep(files, now=GONE_SECONDS + 1) == []   # gone again only from this sweep on
    assert held_bytes(files) == MB


def test_files_are_kept_half_as_long_again_as_streamlit_keeps_a_session_for_a_reconnect(monkeypatch):
    assert st.get_option("server.disconnectedSessionTTL") == 120    # Streamlit's default
    assert _uploads.gone_seconds() == GONE_SECONDS                  # 1.5 x 120
    options = {"server.disconnectedSessionTTL": 4}                  # a server started with the option
    monkeypatch.setattr(_uploads.st, "get_option", options.__getitem__)
    assert _uploads.gone_seconds() == 6.0                           # 1.5 x 4


class FakeRuntime:
    def __init__(self, connected):
        self.uploaded_file_mgr = MemoryUploadedFileManager("/_stcore/upload_file")
        self.connected = connected

    def is_active_session(self, session_id):
        return session_id in self.connected


def test_installed_in_a_server_the_endpoint_and_the_file_store_refuse_a_viewer(monkeypatch, connected, tmp_path):
    server = FakeRuntime(connected)
    monkeypatch.setattr(_uploads, "_installed", None)
    monkeypatch.setattr(_uploads, "_spooled", None)
    monkeypatch.setattr(_uploads, "spool_folder", lambda port: tmp_path / f"uploads-{port}")
    monkeypatch.setattr(_uploads.runtime, "exists", lambda: True)
    monkeypatch.setattr(_uploads.runtime, "get_instance", lambda: server)
    monkeypatch.setattr(_uploads, "gone_seconds", lambda: 6 * 3600.0)   # no sweep while the test runs
    gate = _uploads.install()
    assert _uploads.install() is gate
    # what Streamlit's upload route asks before it reads the body
    assert not server.is_active_session("viewer")
    with pytest.raises(HTTPException) as refused:
        server.uploaded_file_mgr.add_file("viewer", record("v"))
    assert refused.value.status_code == 403
    assert held_bytes(server.uploaded_file_mgr) == 0
    gate.permit("analyst")
    assert server.is_active_session("analyst")
    server.uploaded_file_mgr.add_file("analyst", record("a"))
    # kept on disk: Streamlit's store lists the file and holds none of its bytes
    assert held_bytes(server.uploaded_file_mgr) == 0
    [kept] = server.uploaded_file_mgr.get_files("analyst", ["a"])
    assert (kept.file_id, kept.name, kept.data) == ("a", "a.csv", b"")
    spooled = _uploads._spooled.path("analyst", "a")
    assert spooled.name == "upload.csv" and spooled.read_bytes() == b"x" * MB
    assert spooled.parent.parent == tmp_path / "uploads-8501"
    server.uploaded_file_mgr.add_file("analyst", record("b", 3))
    server.uploaded_file_mgr.remove_file("analyst", "a")          # the analyst took it out of the widget
    assert not spooled.exists() and _uploads._spooled.path("analyst", "a") is None
    assert _uploads._spooled.bytes_held() == 3
    server.uploaded_file_mgr.remove_session_files("analyst")      # the session ended
    assert _uploads._spooled.bytes_held() == 0 and list((tmp_path / "uploads-8501").iterdir()) == []


def test_only_the_suffix_of_a_spooled_files_name_reaches_the_disk(tmp_path):
    spooled = _uploads.SpooledUploads(tmp_path)
    for file_id, name, kept_as in (("1", "../../etc/passwd.CSV", "upload.csv"), ("2", "报表 2026.xlsx", "upload.xlsx"),
                                   ("3", "no suffix", "upload"), ("4", "x.c$v", "upload")):
        assert spooled.keep("s", UploadedFileRec(file_id, name, "text/csv", b"abc")).data == b""
        path = spooled.path("s", file_id)
        assert path.name == kept_as and path.parent.parent == tmp_path and path.read_bytes() == b"abc"
    # the same file id sent again replaces the first copy
    first = spooled.path("s", "1")
    spooled.keep("s", UploadedFileRec("1", "a.csv", "text/csv", b"abcd"))
    assert not first.exists() and spooled.bytes_held() == 4 + 3 * 3
    spooled.drop("s", "2")
    assert spooled.path("s", "2") is None and spooled.bytes_held() == 4 + 2 * 3
    spooled.drop("s")
    assert spooled.bytes_held() == 0 and list(tmp_path.iterdir()) == []


def test_the_page_leaves_duckdb_room_for_the_servers_own_memory():
    resident = _uploads.resident_bytes()
    with open("/proc/self/status") as f:
        rss = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
    assert abs(resident - rss) < 64 * MB          # the same figure the kernel reports, read moments apart
    assert resident + 3 <= _uploads.held_by_server(type("Upload", (), {"size": 3})()) <= resident + 3 + 64 * MB


def test_the_upload_is_written_off_the_event_loop_and_read_only_once_whole(monkeypatch, tmp_path):
    spooled = _uploads.SpooledUploads(tmp_path)
    release, writing = threading.Event(), threading.Event()

    def slow_write(place, data):             # a disk that takes its time
        writing.set()
        release.wait(10)
        place.write_bytes(data)

    monkeypatch.setattr(_uploads.SpooledUploads, "_write_bytes", staticmethod(slow_write))
    kept = []
    handed_over = threading.Thread(target=lambda: kept.append(spooled.keep("s", record("a", 3))))
    handed_over.start()
    handed_over.join(5)
    # Streamlit's record comes back while the bytes are still being written
    assert kept and kept[0].data == b"" and writing.wait(5)
    found = []
    reader = threading.Thread(target=lambda: found.append(spooled.path("s", "a")))
    reader.start()
    reader.join(0.3)
    assert found == []                       # the page's run waits for the whole file
    release.set()
    reader.join(5)
    assert found[0].read_bytes() == b"xxx" and spooled.bytes_held() == 3


def test_an_upload_dropped_while_written_leaves_nothing_on_disk(monkeypatch, tmp_path):
    spooled = _uploads.SpooledUploads(tmp_path)
    release, writing = threading.Event(), threading.Event()

    def slow_write(place, data):
        writing.set()
        release.wait(10)
        place.write_bytes(data)

    monkeypatch.setattr(_uploads.SpooledUploads, "_write_bytes", staticmethod(slow_write))
    spooled.keep("s", record("a", 3))
    assert writing.wait(5)
    spooled.drop("s", "a")                   # taken out of the widget before its bytes were on disk
    release.set()
    for thread in threading.enumerate():
        if thread.name == "upload-spool":
            thread.join(5)
    assert spooled.path("s", "a") is None and list(tmp_path.iterdir()) == []


def test_an_upload_the_disk_refused_is_a_load_error_naming_the_file(monkeypatch, tmp_path):
    spooled = _uploads.SpooledUploads(tmp_path)

    def full_disk(place, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_uploads.SpooledUploads, "_write_bytes", staticmethod(full_disk))
    spooled.keep("s", record("a", 3))
    with pytest.raises(LoadError) as refused:
        spooled.path("s", "a", "march.csv")
    assert (refused.value.code, refused.value.file) == ("upload_not_kept", "march.csv")
    assert load_error_text(refused.value, "en") == ("march.csv: the server could not keep the file on its disk "
                                                    "(No space left on device). Upload it again; if it fails "
                                                    "again, the server's disk may be full.")
    assert list(tmp_path.iterdir()) == []
