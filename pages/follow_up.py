"""Closing the loop: the period's detractors, low-satisfaction respondents and open complaints, who
follows each up, by when, how it stands and what came of it; analysts edit the list here or bring an
edited spreadsheet back, everyone else reads it; what following up achieved, with its n."""
from __future__ import annotations

import streamlit as st

from analytics.follow_up import chosen_counts, current_hour, follow_up_list, follow_up_outcome, items_without_id
from loaders.access import AccessError
from loaders.errors import ValidationError
from pages import _keys as keys
from pages._access import access_panel, current_access
from pages._common import (
    call, cursor, deferred_download_buttons, language, load_all, markdown_text, masked_problems, presenting,
    require_router, show_chart, show_frame, show_table, t, url_choice
)
from pages._filters import selection
from pages._uploads import file_uploader, permit_uploads, upload_bytes
from presentation.follow_up import (
    EDITABLE, SHOWN_COLUMNS, editor_overlay, list_file, outcome_tiles, overdue_styles, page_identity, page_span,
    pending_after, readable_list, run_import_list, run_save_pending, shared_screen_columns, shown_list, status_label,
    status_title, with_pending
)
from presentation import charts
from presentation.formats import fmt_count
from presentation.upload import plain, problems_frame
from store.errors import FeedbackError
from store.follow_up import SOURCES, STATUSES

require_router()
chosen = selection()
lang, now = language(), chosen.current
as_of = current_hour()

st.title(t("follow_up.title"))
st.caption(markdown_text(chosen.period()))
st.markdown(t("follow_up.intro"))
access = current_access()
editing = access.analyst and not presenting()
if presenting():
    st.info(t("follow_up.present"), icon=":material/co_present:")
else:
    access_panel(access, open_key="access.open_edits", viewer_key="access.viewer_edits")

left, right = st.columns(2)
statuses = url_choice(left.multiselect, t("follow_up.filter_status"), STATUSES, key=keys.FOLLOW_UP_STATUS,
                      default=[], words="follow_up.status", placeholder=t("follow_up.all"))
sources = url_choice(right.multiselect, t("follow_up.filter_source"), SOURCES, key=keys.FOLLOW_UP_SOURCE,
                     default=[], words="follow_up.source", placeholder=t("follow_up.all"))

# The items drawn at a time (in the list's order); the counts are the store's, the file holds them all.
PAGE_ITEMS = 100
chosen_now = (tuple(statuses), tuple(sources))
if st.session_state.get(keys.FOLLOW_UP_PAGE_OF) != (now, chosen_now):  # another selection: its first page
    st.session_state[keys.FOLLOW_UP_PAGE_OF] = (now, chosen_now)
    st.session_state[keys.FOLLOW_UP_PAGE] = 1
asked_page = int(st.session_state.get(keys.FOLLOW_UP_PAGE) or 1)


def items_call(page: int):
    return call(follow_up_list, now, as_of, *chosen_now, limit=PAGE_ITEMS, offset=(page - 1) * PAGE_ITEMS)


# a saving changes the data version (store.db.data_version), so these are read again after one
outcome, items, without_id = load_all(call(follow_up_outcome, now, as_of), items_call(asked_page),
                                      call(items_without_id, now))
counts = chosen_counts(outcome, *chosen_now)   # the outcome's reading of the list counts it by status
total = int(counts["items"].sum())
page, pages, first, last = page_span(total, asked_page, PAGE_ITEMS)
if page != asked_page:  # fewer pages than the one asked for (the list shrank)
    st.session_state[keys.FOLLOW_UP_PAGE] = page
    items = load_all(items_call(page))[0]

saved = st.session_state.pop(keys.FOLLOW_UP_SAVED, None)
if saved:
    st.success(saved, icon=":material/check_circle:")

st.subheader(t("follow_up.outcome_heading"))
for column, (label, value, detail) in zip(st.columns([1, 1, 1, 1.5, 1.5]), outcome_tiles(outcome, lang)):
    column.metric(label, value, border=True)
    if detail:
        column.caption(detail)
st.caption(t("follow_up.outcome_note", k=fmt_count(outcome.not_reached_rose.k), n=fmt_count(outcome.not_reached_rose.n)))

st.subheader(t("nav.follow_up"))
if without_id:
    st.caption(t("follow_up.without_id", n=without_id))
if outcome.source_gone:
    st.caption(t("follow_up.gone_note", n=outcome.source_gone))
if not total:
    st.info(t("follow_up.empty", period=chosen.period()))
    st.stop()
show_chart(charts.follow_up_status(counts, title=status_title(counts, lang), language=lang))

headers = {column: f"follow_up.col.{column}" for column in SHOWN_COLUMNS}
formats = {"responded_at": "date", "detail": "text", "outcome": "text", "score": "%.0f"}
where, pager = st.columns([4, 1], vertical_alignment="bottom")
where.caption(t("follow_up.page_items", first=fmt_count(first), last=fmt_count(last), n=fmt_count(total)))
if total > PAGE_ITEMS:
    pager.number_input(t("follow_up.page"), min_value=1, max_value=pages, step=1,
                       key=keys.FOLLOW_UP_PAGE)
# the file holds the whole selection, read from the store only when asked for (on a thread of
# Streamlit's, outside this run: what it needs of the run is taken now)
shared_screen = presenting()
deferred_download_buttons(
    lambda cur: list_file(cur, now, as_of, *chosen_now, lang, editing=editing, shared_screen=shared_screen),
    "follow-up", key=keys.FOLLOW_UP_DOWNLOAD, headers=None if editing else {c: t(k) for c, k in headers.items()})
if not editing:
    listed = readable_list(items, lang)
    # on the shared screen fewer columns, so the words stay readable
    shown_columns = {c: headers[c] for c in (shared_screen_columns(listed) if presenting() else SHOWN_COLUMNS)}
    show_table(listed, shown_columns, formats=formats, styles=overdue_styles(items, shown_columns))
    if not access.analyst:
        st.caption(t("follow_up.viewer"))
    st.stop()

shown = shown_list(items, lang)
# the edits not yet saved, of this page and the others (each page's editor forgets its own once
# another page is drawn): drawn in place when its editor is drawn first, saved together
pending = st.session_state.get(keys.FOLLOW_UP_PENDING, {})
edits = st.session_state.get(keys.FOLLOW_UP_EDITS, 0)
editor_key, overlay = editor_overlay(st.session_state.get(keys.FOLLOW_UP_DRAWN),
                                     keys.follow_up_editor(edits, page, page_identity(shown)), shown, pending)
st.session_state[keys.FOLLOW_UP_DRAWN] = (editor_key, overlay)
styled = with_pending(shown, overlay).style.apply(lambda _: overdue_styles(items, SHOWN_COLUMNS), axis=None)
edited = st.data_editor(
    styled, key=editor_key, hide_index=True, width="stretch", placeholder="—",
    disabled=[c for c in SHOWN_COLUMNS if c not in EDITABLE],
    column_config={
        **{c: st.column_config.Column(t(k)) for c, k in headers.items()},
        "responded_at": st.column_config.DatetimeColumn(t(headers["responded_at"]), format="YYYY-MM-DD HH:mm"),
        "score": st.column_config.NumberColumn(t(headers["score"]), format="%.0f"),
        "detail": st.column_config.TextColumn(t(headers["detail"]), width="large"),
        "owner": st.column_config.TextColumn(t(headers["owner"]), max_chars=80),
        "due_on": st.column_config.DateColumn(t(headers["due_on"]), format="YYYY-MM-DD"),
        "status": st.column_config.SelectboxColumn(t(headers["status"]), options=STATUSES, required=True,
                                                   format_func=lambda s: status_label(s, lang)),
        "outcome": st.column_config.TextColumn(t(headers["outcome"]), width="large", max_chars=2000),
        "contacted_at": st.column_config.DatetimeColumn(t(headers["contacted_at"]), format="YYYY-MM-DD HH:mm"),
    })
pending = pending_after(pending, shown, edited)
st.session_state[keys.FOLLOW_UP_PENDING] = pending
if pending:
    elsewhere = len(set(pending) - set(shown["item_key"]))
    st.warning(t("follow_up.pending", n=len(pending), other=elsewhere), icon=":material/edit_note:")
    if st.button(t("follow_up.discard"), key=keys.FOLLOW_UP_DISCARD, icon=":material/undo:"):
        st.session_state[keys.FOLLOW_UP_PENDING] = {}
        st.session_state[keys.FOLLOW_UP_EDITS] = edits + 1
        st.rerun()
if st.button(t("follow_up.save"), key=keys.FOLLOW_UP_SAVE, type="primary", icon=":material/save:"):
    cur = cursor()
    try:
        result = run_save_pending(cur, current_access(), pending)
    except AccessError:
        st.error(t("access.denied_edit"), icon=":material/block:")
    except FeedbackError as e:
        st.error(t("follow_up.failed", error=plain(str(e))), icon=":material/error:")
    else:
        st.session_state[keys.FOLLOW_UP_SAVED] = (t("follow_up.saved", n=len(result.changed)) if result.changed
                                                  else t("follow_up.nothing_changed"))
        st.session_state[keys.FOLLOW_UP_PENDING] = {}
        st.session_state[keys.FOLLOW_UP_EDITS] = edits + 1
        st.rerun()
    finally:
        cur.close()

with st.expander(t("follow_up.import_title"), icon=":material/upload_file:"):
    st.caption(t("follow_up.import_help"))
    permit_uploads()
    upload = file_uploader(t("follow_up.import_file"), ["csv", "xlsx"], keys.FOLLOW_UP_FILE)
    if upload is not None and st.button(t("follow_up.import_button"), key=keys.FOLLOW_UP_IMPORT, type="primary",
                                        icon=":material/upload:"):
        cur = cursor()
        try:
            result = run_import_list(cur, current_access(), upload.name, upload_bytes(upload))
        except AccessError:
            st.error(t("access.denied_edit"), icon=":material/block:")
        except ValidationError as e:
            st.error(t("follow_up.import_refused", n=e.rows_invalid), icon=":material/block:")
            show_frame(problems_frame(masked_problems(e.problems), lang))
        except FeedbackError as e:
            st.error(t("follow_up.import_failed", error=plain(str(e))), icon=":material/error:")
        else:
            st.session_state[keys.FOLLOW_UP_SAVED] = t("follow_up.imported", n=len(result.changed),
                                                       file=plain(upload.name), same=len(result.unchanged))
            st.session_state[keys.FOLLOW_UP_EDITS] = edits + 1
            st.rerun()
        finally:
            cur.close()
