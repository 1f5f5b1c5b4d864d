"""Who may change data, decided on the server on every run, and the sign-in that grants it.

- OIDC: when `.streamlit/secrets.toml` has an [auth] section, analysts sign in with st.login and
  are those whose e-mail is on the list `[analysts] emails = [...]` (an entry '@example.com'
  admits a whole domain). An empty list admits nobody.
- Passphrase: otherwise, when `python -m loaders set-passphrase` has stored one, an analyst
  unlocks the page with it (argon2, failures rate-limited in the store; loaders/access.py).
- Open: with neither (the demo), everyone may upload, and the page says so.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from loaders.access import (
    GRANT_HOURS, MAX_FAILURES, check_passphrase, grant_valid, locked_for, passphrase_hash, source_key
)
from pages import _keys as keys
from pages._common import cursor, read_only_store, t
from presentation.upload import Access, email_allowed, plain
from store.errors import FeedbackError


def _secrets_section(name: str):
    try:
        section = st.secrets.get(name)
    except (FileNotFoundError, KeyError):
        return None
    except Exception:  # StreamlitSecretNotFoundError when there is no secrets.toml at all
        return None
    return section or None


def oidc_configured() -> bool:
    return _secrets_section("auth") is not None


def analyst_emails() -> list[str]:
    section = _secrets_section("analysts") or {}
    emails = section.get("emails", [])
    return [emails] if isinstance(emails, str) else list(emails)


def _login_provider() -> str | None:
    section = _secrets_section("analysts") or {}
    return section.get("provider") or None


def current_access() -> Access:
    """The role of this session, from the identity provider or the store, never from the browser."""
    if read_only_store():
        # a browsing replica cannot write: no upload, undo or edit is offered that would then fail
        return Access("read_only", False)
    if oidc_configured():
        if st.user.get("is_logged_in"):
            email = st.user.get("email")
            return Access("oidc", email_allowed(email, analyst_emails()), email)
        return Access("oidc", False)
    cur = cursor()
    try:
        if passphrase_hash(cur) is None:
            return Access("open", True)
        grant = st.session_state.get(keys.ANALYST_GRANT)
        if grant and dt.datetime.now() - grant["at"] < dt.timedelta(hours=GRANT_HOURS) \
                and grant_valid(cur, grant["token"]):
            return Access("passphrase", True, grant.get("who"))
    finally:
        cur.close()
    st.session_state.pop(keys.ANALYST_GRANT, None)
    return Access("passphrase", False)


def access_panel(access: Access, *, open_key: str = "access.open",
                 viewer_key: str = "access.viewer_passphrase") -> None:
    """What the page says about the reader's role, and the sign-in or sign-out; `open_key` and
    `viewer_key` name what an open dashboard and a viewer are told (the Imports page's by default)."""
    if access.mode == "open":
        st.info(t(open_key), icon=":material/lock_open:")
    elif access.mode == "read_only":
        st.info(t("access.read_only"), icon=":material/visibility:")
    elif access.mode == "passphrase":
        _passphrase_panel(access, viewer_key)
    else:
        _oidc_panel(access)


def _passphrase_panel(access: Access, viewer_key: str) -> None:
    if access.analyst:
        text, button = st.columns([5, 1], vertical_alignment="center")
        who = access.who
        text.success(t("access.unlocked", who=plain(who)) if who else t("access.unlocked_anonymous"),
                     icon=":material/verified_user:")
        if button.button(t("access.lock"), key=keys.UPLOAD_LOCK_BUTTON, icon=":material/lock:",
                         width="stretch"):
            st.session_state.pop(keys.ANALYST_GRANT, None)
            st.rerun()
        return
    with st.expander(t("access.unlock_title"), icon=":material/lock:"):
        st.caption(t(viewer_key))
        with st.form(keys.UPLOAD_UNLOCK_FORM, clear_on_submit=True, border=False):
            name = st.text_input(t("access.name"), key=keys.UPLOAD_UNLOCK_NAME, max_chars=80)
            attempt = st.text_input(t("access.passphrase"), type="password", key=keys.UPLOAD_UNLOCK_PASSPHRASE)
            submitted = st.form_submit_button(t("access.unlock"), type="primary")
        if submitted:
            _unlock(name.strip(), attempt)
        else:
            cur = cursor()
            try:
                wait = locked_for(cur, source=_source())
            finally:
                cur.close()
            if wait:
                st.warning(t("access.locked", seconds=wait), icon=":material/timer:")


def _unlock(name: str, attempt: str) -> None:
    if not attempt:
        st.warning(t("access.empty"))
        return
    cur = cursor()
    try:
        result = check_passphrase(cur, attempt, source=_source())
    except FeedbackError as e:
        st.error(t("access.failed", error=str(e)), icon=":material/error:")
        return
    finally:
        cur.close()
    if result.busy:
        st.warning(t("access.busy"), icon=":material/hourglass_top:")
    elif result.accepted:
        st.session_state[keys.ANALYST_GRANT] = {"token": result.grant, "at": dt.datetime.now(),
                                                "who": name or None}
        st.rerun()
    elif result.locked_seconds:
        st.error(t("access.locked", seconds=result.locked_seconds), icon=":material/timer:")
    else:
        st.error(t("access.wrong", left=max(MAX_FAILURES - result.failures, 0)))


def _source() -> str:
    """Where this session's sign-in attempts come from, as the store counts them (a digest of the
    browser's address): one viewer's wrong guesses lock that address, not every analyst."""
    address = st.context.ip_address
    return source_key(address if isinstance(address, str) else None)  # None where no browser is (AppTest)


def _oidc_panel(access: Access) -> None:
    text, button = st.columns([5, 1], vertical_alignment="center")
    if not st.user.get("is_logged_in"):
        text.info(t("access.viewer_oidc"), icon=":material/lock:")
        if button.button(t("access.sign_in"), key=keys.UPLOAD_SIGN_IN, type="primary", width="stretch"):
            try:
                st.login(_login_provider()) if _login_provider() else st.login()
            except Exception as e:  # e.g. Authlib missing, or an incomplete [auth] section
                st.error(t("access.login_failed", error=str(e)))
        return
    if access.analyst:
        text.success(t("access.analyst_oidc", email=plain(access.who)), icon=":material/verified_user:")
    else:
        text.info(t("access.not_analyst", email=plain(st.user.get("email") or "?")), icon=":material/visibility:")
    if button.button(t("access.sign_out"), key=keys.UPLOAD_SIGN_OUT, width="stretch"):
        st.logout()
