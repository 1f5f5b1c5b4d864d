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

The files themselves are kept on disk, not in the server's memory (SpooledUploads): Streamlit holds
every upload's bytes for as long as its session keeps the file in the widget, and a file near the
upload limit held beside its import's work took the import over issue 20's memory floor. The page
reads a spooled upload from its file (upload_path) and holds none of its bytes between runs.
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from starlette.exceptions import HTTPException
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from loaders.errors import LoadError
from pages import _keys as keys
from pages._common import language
from presentation.upload import uploader_words_css

# Streamlit keeps a disconnected session for a reconnect for server.disconnectedSessionTTL seconds
# (2 minutes unless set; MemorySessionStorage); its files are kept half as long again, then freed,
# by a sweep that looks SWEEPS_PER_GONE times in that span.
GONE_FACTOR = 1.5
SWEEPS_PER_GONE = 6


def gone_seconds() -> float:
    """How long a session must have been gone before its files are freed: GONE_FACTOR times the
    reconnect window of this server (server.disconnectedSessionTTL), so that a session that comes
    back in time finds its files."""
    return GONE_FACTOR * float(st.get_option("server.disconnectedSessionTTL"))


class UploadGate:
    """The sessions that may upload, and the sweep that frees the files of sessions that are gone."""

    def __init__(self, is_active, gone_after: float):
        self._is_active = is_active          # the runtime's own answer: is this session connected?
        self.gone_after = gone_after         # seconds (gone_seconds)
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
        """Free the files of every session gone for `gone_after` seconds, and forget its permission;
        the sessions freed."""
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
                if now - since >= self.gone_after:
                    freed.append(session_id)
                    self._gone_since.pop(session_id)
                    self._allowed.discard(session_id)
        for session_id in freed:
            files.remove_session_files(session_id)
        return freed


# the only part of an analyst's file name that reaches the file system
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")


class _Spooling:
    """One upload's file on disk, written on a thread of its own; `done` once the write ended."""

    def __init__(self, place: Path):
        self.place = place
        self.done = threading.Event()
        self.error: OSError | None = None


class SpooledUploads:
    """Uploaded files kept in a folder of their own, one file per upload; Streamlit's file store is
    given the record without its bytes (the widget still lists the file by its id and name).

    Streamlit's upload route hands the file over on the server's event loop, which also serves every
    session's messages; writing a file near the upload limit there would hold them all up, so the
    bytes are written on a thread, and whoever asks for the file's path (the page's next run) waits
    until the file is whole. The record is given to Streamlit at once: the browser's rerun that
    follows the upload must find the file in the widget, and nothing asks for a rerun later."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._paths: dict[tuple[str, str], _Spooling] = {}
        self._lock = threading.Lock()

    def keep(self, session_id: str, file: UploadedFileRec) -> UploadedFileRec:
        suffix = Path(file.name).suffix
        place = Path(tempfile.mkdtemp(dir=self.folder)) / f"upload{suffix.lower() if _SUFFIX.fullmatch(suffix) else ''}"
        spooling = _Spooling(place)
        key = (session_id, file.file_id)
        with self._lock:
            replaced = self._paths.get(key)
            self._paths[key] = spooling
        if replaced is not None:
            shutil.rmtree(replaced.place.parent, ignore_errors=True)
        threading.Thread(target=self._write, args=(key, spooling, file.data), name="upload-spool",
                         daemon=True).start()
        return file._replace(data=b"")

    @staticmethod
    def _write_bytes(place: Path, data: bytes) -> None:
        place.write_bytes(data)

    def _write(self, key: tuple[str, str], spooling: _Spooling, data: bytes) -> None:
        try:
            self._write_bytes(spooling.place, data)
        except OSError as e:      # the disk is full, or the upload was dropped while it was written
            spooling.error = e
        finally:
            with self._lock:
                kept = self._paths.get(key) is spooling
            if not kept or spooling.error is not None:
                # dropped or replaced while written: its folder may have been removed before the file
                # was made in it
                shutil.rmtree(spooling.place.parent, ignore_errors=True)
            spooling.done.set()

    def path(self, session_id: str, file_id: str, name: str | None = None) -> Path | None:
        """The upload's file once it is whole; None if the session holds no such upload. A LoadError
        (naming the file `name`) if the server could not write it."""
        with self._lock:
            spooling = self._paths.get((session_id, file_id))
        if spooling is None:
            return None
        spooling.done.wait()
        if spooling.error is not None:
            reason = spooling.error.strerror or str(spooling.error)
            raise LoadError(f"the upload could not be kept on the server's disk: {reason}", code="upload_not_kept",
                            file=name, values={"reason": reason})
        return spooling.place

    def drop(self, session_id: str, file_id: str | None = None) -> None:
        """Delete one upload of the session, or all of them."""
        with self._lock:
            gone = [self._paths.pop(key) for key in list(self._paths)
                    if key[0] == session_id and file_id in (None, key[1])]
        for spooling in gone:
            shutil.rmtree(spooling.place.parent, ignore_errors=True)

    def bytes_held(self) -> int:
        """The bytes on disk of the uploads kept, once the writes under way have ended."""
        with self._lock:
            kept = list(self._paths.values())
        for spooling in kept:
            spooling.done.wait()
        return sum(s.place.stat().st_size for s in kept if s.error is None and s.place.exists())


def spool_folder(port: int) -> Path:
    """Where a server on `port` keeps its uploads (one server per port at a time; the tests find a
    running server's uploads here)."""
    return Path(tempfile.gettempdir()) / f"feedback-uploads-{port}"


_installed: UploadGate | None = None
_spooled: SpooledUploads | None = None
_install_lock = threading.Lock()


def install() -> UploadGate | None:
    """Put the gate in front of the running server's upload endpoint and file store, once per process.

    None where no server runs (AppTest): nothing can be uploaded there but through the widget.
    """
    global _installed, _spooled
    if _installed is not None or not runtime.exists():
        return _installed
    with _install_lock:
        if _installed is not None:
            return _installed
        server = runtime.get_instance()
        files = server.uploaded_file_mgr
        gate = UploadGate(server.is_active_session, gone_seconds())
        # the upload route asks this before reading the request's body
        server.is_active_session = gate.accepts
        folder = spool_folder(st.get_option("server.port"))
        # a server killed before it could clean up left its port's folder behind
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(mode=0o700, parents=True)
        atexit.register(shutil.rmtree, folder, True)
        spooled = SpooledUploads(folder)
        add_file, remove_file, remove_session_files = files.add_file, files.remove_file, files.remove_session_files

        def add_file_if_allowed(session_id, file):
            if not gate.may_upload(session_id):
                raise HTTPException(status_code=403, detail="This session may not upload files.")
            add_file(session_id, spooled.keep(session_id, file))

        def remove_spooled_file(session_id, file_id):
            remove_file(session_id, file_id)
            spooled.drop(session_id, file_id)

        def remove_spooled_session_files(session_id):
            remove_session_files(session_id)
            spooled.drop(session_id)

        files.add_file = add_file_if_allowed
        files.remove_file = remove_spooled_file
        files.remove_session_files = remove_spooled_session_files

        # a reconnect window set to 0 would otherwise sweep without a pause
        pause = max(gate.gone_after / SWEEPS_PER_GONE, 1.0)

        def sweep_forever():
            while True:
                time.sleep(pause)
                gate.sweep(files, time.monotonic())

        threading.Thread(target=sweep_forever, name="upload-sweep", daemon=True).start()
        _installed, _spooled = gate, spooled
        return gate


def remove_spooled() -> None:
    """The server's uploads folder removed, at its shutdown (app.py's st.App): uvicorn ends a server
    asked to stop (SIGTERM) by the signal itself after the shutdown, and so runs no atexit function."""
    if _spooled is not None:
        shutil.rmtree(_spooled.folder, ignore_errors=True)


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


@contextmanager
def upload_path(upload) -> Iterator[Path]:
    """The uploaded file on disk, named by its suffix alone: the spooled file where the server
    spooled it (once it is whole; a LoadError if it could not be written), else (AppTest, no server)
    a temporary copy of the widget's bytes."""
    session_id = _session_id()
    spooled = _spooled.path(session_id, upload.file_id, upload.name) if _spooled is not None and session_id else None
    if spooled is not None:
        yield spooled
        return
    suffix = Path(upload.name).suffix
    with tempfile.TemporaryDirectory(prefix="feedback-upload-") as folder:
        path = Path(folder) / f"upload{suffix.lower() if _SUFFIX.fullmatch(suffix) else ''}"
        path.write_bytes(upload.getvalue())
        yield path


def upload_bytes(upload) -> bytes:
    """The uploaded file's bytes (small files the page reads whole: label and follow-up lists)."""
    with upload_path(upload) as path:
        return path.read_bytes()


def resident_bytes() -> int:
    """This process's resident memory now (Linux; 0 where /proc is not there)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def held_by_server(upload) -> int:
    """What the server holds beside a check or import of `upload`, which DuckDB's share of the import's
    memory leaves room for: the upload's bytes in Streamlit's store (none once kept on disk) and the
    server's own resident memory (Streamlit, its sessions' caches). The command line's import has
    none of the server's, and the page's whole peak measured in process, without it, was within
    19 MB of issue 20's floor on a complaint log near the upload limit."""
    return upload.size + resident_bytes()
