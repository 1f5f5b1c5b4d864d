"""Who may send files to the server: only a session whose last run drew the upload widget for an
analyst. Streamlit's upload endpoint (PUT /_stcore/upload_file/<session>/<file>) stores whatever
any live session sends, whether or not its page has an uploader; a viewer could fill the server's
memory with files no page ever reads.

The gate sits in front of that endpoint inside the running server (installed once per process by
app.py): the endpoint first asks the runtime whether the session is active, and the gate answers
no for a session that may not upload, so the request is refused before its body is read; the file
store itself refuses as well (403), in case another route adds files. Files are freed when a run
ends without the uploader (the page changed, the analyst signed out, presentation mode) and when a
session has been gone longer than Streamlit keeps it for a reconnect, which Streamlit itself does
not do: a disconnected session that expires from its reconnect store is never shut down, and its
files would stay.
"""
from __future__ import annotations

import threading
import time

import streamlit as st
from starlette.exceptions import HTTPException
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pages import _keys as keys
from pages._common import language
from presentation.upload import uploader_words_css

# Streamlit keeps a disconnected session for a reconnect for 2 minutes (MemorySessionStorage);
# its files are kept a little longer, then freed.
GONE_SECONDS = 180.0
SWEEP_SECONDS = 30.0


class UploadGate:
    """The sessions that may upload, and the sweep that frees the files of sessions that are gone."""

    def __init__(self, is_active):
        self._is_active = is_active          # the runtime's own answer: is this session connected?
        self._allowed: set[str] = set()
        self._gone_since: dict[str, float] = {}
        self._lock = threading.Lock()

    def permit(self, session_id: str) -> None:
        with self._lock:
            self._allowed.add(session_id)

    def forbid(self, session_id: str) -> bool:
        """Refuse the session's uploads from now on; whether it could upload until now."""
        with self._lock:
            was = session_id in self._allowed
            self._allowed.discard(session_id)
            return was

    def may_upload(self, session_id: str) -> bool:
        with self._lock:
            return session_id in self._allowed

    def accepts(self, session_id: str) -> bool:
        """What the upload endpoint is told when it asks whether the session is active."""
        return self._is_active(session_id) and self.may_upload(session_id)

    def sweep(self, files, now: float) -> list[str]:
        """Free the files of every session gone for GONE_SECONDS, and forget its permission; the
        sessions freed."""
        try:
            held = set(files.file_storage)
        except RuntimeError:  # a file was added while the keys were read: the next sweep sees it
            return []
        freed = []
        with self._lock:
            for session_id in held | self._allowed | set(self._gone_since):
                if self._is_active(session_id):
                    self._gone_since.pop(session_id, None)
                    continue
                since = self._gone_since.setdefault(session_id, now)
                if now - since >= GONE_SECONDS:
                    freed.append(session_id)
                    self._gone_since.pop(session_id)
                    self._allowed.discard(session_id)
        for session_id in freed:
            files.remove_session_files(session_id)
        return freed


_installed: UploadGate | None = None
_install_lock = threading.Lock()


def install() -> UploadGate | None:
    """Put the gate in front of the running server's upload endpoint and file store, once per process.

    None where no server runs (AppTest): nothing can be uploaded there but through the widget.
    """
    global _installed
    if _installed is not None or not runtime.exists():
        return _installed
    with _install_lock:
        if _installed is not None:
            return _installed
        server = runtime.get_instance()
        files = server.uploaded_file_mgr
        gate = UploadGate(server.is_active_session)
        # the upload route asks this before reading the request's body
        server.is_active_session = gate.accepts
        add_file = files.add_file

        def add_file_if_allowed(session_id, file):
            if not gate.may_upload(session_id):
                raise HTTPException(status_code=403, detail="This session may not upload files.")
            add_file(session_id, file)

        files.add_file = add_file_if_allowed

        def sweep_forever():
            while True:
                time.sleep(SWEEP_SECONDS)
                gate.sweep(files, time.monotonic())

        threading.Thread(target=sweep_forever, name="upload-sweep", daemon=True).start()
        _installed = gate
        return gate


def _session_id() -> str | None:
    context = get_script_run_ctx()
    return context.session_id if context is not None else None


def begin_run() -> None:
    """At the start of every full run: no uploader drawn yet."""
    install()
    st.session_state[keys.UPLOADER_DRAWN] = False


def permit_uploads() -> None:
    """The page is about to draw the upload widget for an analyst: this session may send files."""
    st.session_state[keys.UPLOADER_DRAWN] = True
    gate, session_id = install(), _session_id()
    if gate is not None and session_id is not None:
        gate.permit(session_id)


def file_uploader(label: str, types, key: str, **kwargs):
    """st.file_uploader whose own words (its button, its size and type line) are in the reader's
    language (presentation.upload.uploader_words_css)."""
    css = uploader_words_css(key, types, st.get_option("server.maxUploadSize"), language())
    if css:
        st.html(f"<style>{css}</style>")
    return st.file_uploader(label, type=list(types), key=key, **kwargs)


def end_run() -> None:
    """At the end of a full run that drew no uploader: refuse the session's uploads, free its files."""
    if st.session_state.get(keys.UPLOADER_DRAWN):
        return
    gate, session_id = install(), _session_id()
    if gate is not None and session_id is not None:
        gate.forbid(session_id)
        runtime.get_instance().uploaded_file_mgr.remove_session_files(session_id)
