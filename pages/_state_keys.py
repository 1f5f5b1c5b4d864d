"""Session-state keys in one place: shared ones plain, page-only ones prefixed with their page.

None of these is a widget key except where a function builds one for a widget, so a browser
cannot set the others (Streamlit only writes widget values it was sent for widgets it drew).
"""
from __future__ import annotations

# Shared: an analyst's unlocked passphrase session (pages/_access.py).
ANALYST_GRANT = "access.grant"

# The upload page (pages/imports.py).
UPLOAD_FILES = "upload.files"
UPLOAD_READINGS = "upload.readings"
UPLOAD_CHECKS = "upload.checks"
UPLOAD_LAST_IMPORT = "upload.last_import"
UPLOAD_LAST_UNDO = "upload.last_undo"
UPLOAD_UNDO_BATCH = "upload.undo_batch"
UPLOAD_UNDO_BUTTON = "upload.undo_button"
UPLOAD_UNDO_PENDING = "upload.undo_pending"
UPLOAD_UNDO_YES = "upload.undo_yes"
UPLOAD_UNDO_CANCEL = "upload.undo_cancel"
UPLOAD_SKIPPED_BATCH = "upload.skipped_batch"
UPLOAD_UNLOCK_FORM = "upload.unlock_form"
UPLOAD_UNLOCK_NAME = "upload.unlock_name"
UPLOAD_UNLOCK_PASSPHRASE = "upload.unlock_passphrase"
UPLOAD_LOCK_BUTTON = "upload.lock"
UPLOAD_SIGN_IN = "upload.sign_in"
UPLOAD_SIGN_OUT = "upload.sign_out"


def upload_kind(file_id: str) -> str:
    return f"upload.kind.{file_id}"


def upload_sheet(file_id: str) -> str:
    return f"upload.sheet.{file_id}"


def upload_mapping(file_id: str, kind: str, sheet: str | None) -> str:
    return f"upload.mapping.{file_id}.{kind}.{sheet or ''}"


def upload_skip(file_id: str) -> str:
    return f"upload.skip.{file_id}"


def upload_import(file_id: str) -> str:
    return f"upload.import.{file_id}"


def upload_report(file_id: str) -> str:
    return f"upload.report.{file_id}"


def upload_template(kind: str) -> str:
    return f"upload.template.{kind}"
