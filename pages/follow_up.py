"""Closing the loop: the period's detractors, low-satisfaction respondents and open complaints, who
follows each up, by when, how it stands and what came of it; analysts edit the list here or bring an
edited spreadsheet back, everyone else reads it; what following up achieved, with its n."""
from __future__ import annotations

import streamlit as st

from analytics.follow_up import current_hour, follow_up_list, follow_up_outcome, items_without_id, status_counts
from loaders.access import AccessError
from loaders.errors import ValidationError
from pages import _keys as keys
from pages._access import access_panel, current_access
from pages._common import (
    call, cursor, download_buttons, language, load_all, markdown_text, masked_problems, presenting, require_router,
    show_chart, show_frame, show_table, t, url_choice
)
from pages._filters import selection
from pages._uploads import file_uploader, permit_uploads, upload_bytes
from presentation.follow_up import (
    EDITABLE, SHOWN_COLUMNS, export_frame, outcome_tiles, overdue_styles, readable_list, run_import_list,
    run_save_list, shared_screen_columns, shown_list, status_label, status_title
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

# The items drawn (overdue first): a styled grid takes at most STYLED_CELLS cells.
LISTED_ITEMS = 2_000

# a saving changes the data version (store.db.data_version), so these are read again after one
items, outcome, without_id = load_all(call(follow_up_list, now, as_of, tuple(statuses), tuple(sources)),
                                      call(follow_up_outcome, now, as_of), call(items_without_id, now))

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
if items.empty:
    st.info(t("follow_up.empty", period=chosen.period()))
    st.stop()
counts = status_counts(items)
show_chart(charts.follow_up_status(counts, title=status_title(counts, lang), language=lang))

headers = {column: f"follow_up.col.{column}" for column in SHOWN_COLUMNS}
formats = {"responded_at": "date", "detail": "text", "outcome": "text", "score": "%.0f"}
if len(items) > LISTED_ITEMS:  # over all time at a company's scale: the most urgent, the download holds all
    st.caption(t("follow_up.first_items", shown=fmt_count(LISTED_ITEMS), n=fmt_count(len(items))))
if not editing:
    listed = readable_list(items, lang)
    # on the shared screen fewer columns, so the words stay readable
    shown_columns = {c: headers[c] for c in (shared_screen_columns(listed) if presenting() else SHOWN_COLUMNS)}
    show_table(listed, shown_columns, formats=formats, download="follow-up",
               styles=overdue_styles(items, shown_columns), rows=LISTED_ITEMS)
    if not access.analyst:
        st.caption(t("follow_up.viewer"))
    st.stop()

download_buttons(export_frame(items, lang), "follow-up", key=keys.FOLLOW_UP_DOWNLOAD)
items = items.iloc[:LISTED_ITEMS]   # edited in the grid; the rest by the list's file (below)
shown = shown_list(items, lang)
styled = shown.style.apply(lambda _: overdue_styles(items, SHOWN_COLUMNS), axis=None)
edits = st.session_state.get(keys.FOLLOW_UP_EDITS, 0)
edited = st.data_editor(
    styled, key=keys.follow_up_editor(edits), hide_index=True, width="stretch", placeholder="—",
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
if st.button(t("follow_up.save"), key=keys.FOLLOW_UP_SAVE, type="primary", icon=":material/save:"):
    cur = cursor()
    try:
        result = run_save_list(cur, current_access(), shown, edited)
    except AccessError:
        st.error(t("access.denied_edit"), icon=":material/block:")
    except FeedbackError as e:
        st.error(t("follow_up.failed", error=plain(str(e))), icon=":material/error:")
    else:
        st.session_state[keys.FOLLOW_UP_SAVED] = (t("follow_up.saved", n=len(result.changed)) if result.changed
                                                  else t("follow_up.nothing_changed"))
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
