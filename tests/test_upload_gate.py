"""Only a session that drew the uploader for an analyst may send files; files of sessions that are
gone are freed (pages/_uploads.py)."""
from __future__ import annotations

import pytest
from starlette.exceptions import HTTPException
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from pages import _uploads
from pages._uploads import GONE_SECONDS, UploadGate

MB = 1024 * 1024


def record(file_id: str, size: int = MB) -> UploadedFileRec:
    return UploadedFileRec(file_id=file_id, name=f"{file_id}.csv", type="text/csv", data=b"x" * size)


def held_bytes(files: MemoryUploadedFileManager) -> int:
    return sum(len(f.data) for session in files.file_storage.values() for f in session.values())


@pytest.fixture
def connected():
    return {"analyst", "viewer"}


@pytest.fixture
def gate(connected):
    return UploadGate(lambda session_id: session_id in connected)


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


class FakeRuntime:
    def __init__(self, connected):
        self.uploaded_file_mgr = MemoryUploadedFileManager("/_stcore/upload_file")
        self.connected = connected

    def is_active_session(self, session_id):
        return session_id in self.connected


def test_installed_in_a_server_the_endpoint_and_the_file_store_refuse_a_viewer(monkeypatch, connected):
    server = FakeRuntime(connected)
    monkeypatch.setattr(_uploads, "_installed", None)
    monkeypatch.setattr(_uploads.runtime, "exists", lambda: True)
    monkeypatch.setattr(_uploads.runtime, "get_instance", lambda: server)
    monkeypatch.setattr(_uploads, "SWEEP_SECONDS", 3600)
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
    assert held_bytes(server.uploaded_file_mgr) == MB
