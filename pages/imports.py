"""Imports: analysts upload spreadsheets, check the mapping and rows, import and undo; everyone reads
the history and the row counts, and may download the templates.

Every change of data goes through presentation.upload.run_import / run_undo, which check the role this
run computed on the server; the controls are only drawn for analysts as well.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from loaders.access import AccessError
from loaders.columns import KINDS, RATING_KINDS
from loaders.errors import UnknownKindError, ValidationError
from loaders.importer import history, rejected_rows, row_counts
from loaders.templates import TEMPLATE_FILES, template_workbook
from pages import _keys as keys
from pages._access import access_panel, current_access
from pages._common import (
    cursor, download_buttons, language, masked_problems, presenting, require_router, show_frame, t
)
from pages._uploads import permit_uploads
from presentation.upload import (
    RATING_DETAIL_COLUMNS, UPLOAD_TYPES, Access, Checked, MappingProblem, Reading, check_upload, imported_as,
    lacks_ratings, mapping_from_table, mapping_table, missing_fields, plain, preview_labels, problems_frame,
    read_upload, report_file_name, run_import, run_undo, target_label, target_options, with_mapping,
    item_change_counts, kind_candidates, only_the_date_missing, open_decisions, platform_label, answers_table,
    answers_from_table, choice_overrides, with_zero_na, zero_na_columns
)
from store.errors import FeedbackError

require_router()

PROBLEMS_SHOWN = 200
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
def kind_label(kind: str) -> str:
    return t("upload.kind_auto") if kind == "auto" else t(f"kind.{kind}")


def number(value) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


# --- upload ----------------------------------------------------------------------------------

def upload_section(access: Access, batches: pd.DataFrame) -> None:
    st.header(t("upload.title"), divider="gray")
    show_last_import()
    permit_uploads()
    files = st.file_uploader(t("upload.files"), type=list(UPLOAD_TYPES), accept_multiple_files=True,
                             key=keys.UPLOAD_FILES, help=t("upload.files_help"))
    present = {f.file_id for f in files}
    for cache in (keys.UPLOAD_READINGS, keys.UPLOAD_CHECKS):
        kept = {k: v for k, v in st.session_state.get(cache, {}).items() if k[0] in present}
        st.session_state[cache] = kept
    for upload in files:
        with st.container(border=True):
            upload_card(upload, access, batches)


def show_last_import() -> None:
    outcome = st.session_state.get(keys.UPLOAD_LAST_IMPORT)
    if outcome is None:
        return
    result = outcome.result
    message = t("upload.imported", rows=f"{result.rows_accepted:,}", file=plain(result.file_name),
                batch=result.batch_id[:8])
    if result.rows_rejected:
        message += " " + t("upload.imported_skipped", skipped=f"{result.rows_rejected:,}")
    st.success(message, icon=":material/check_circle:")
    if outcome.changes:
        st.caption(t("upload.changes"))
        columns = st.columns(max(len(outcome.changes), 4))
        for column, change in zip(columns, outcome.changes):
            delta = None
            if change.before is not None and change.after is not None:
                delta = number(change.after - change.before)
                delta = delta if delta.startswith("-") else "+" + delta
            column.metric(t(change.key), number(change.after), delta,
                          help=f"{number(change.before)} → {number(change.after)}")


def _reading(upload, kind: str, sheet: str | None, answers: tuple = (None, None, None)) -> Reading:
    """`answers`: the header row, fieldwork date and date order the analyst gave so far."""
    cache = st.session_state.setdefault(keys.UPLOAD_READINGS, {})
    key = (upload.file_id, kind, sheet, *answers)
    if key not in cache:
        cur = cursor()
        try:
            cache[key] = read_upload(cur, upload.name, upload.getvalue(), kind, sheet, *answers)
        finally:
            cur.close()
        read = cache[key]
        if sheet is None and read.prepared is not None:
            cache[(upload.file_id, kind, read.prepared.source.sheet, *answers)] = read
    return cache[key]


def _answers(fid: str) -> tuple:
    day = st.session_state.get(keys.upload_date(fid))
    words = st.session_state.get(keys.upload_open_words(fid), ())
    scores = tuple((word, st.session_state[keys.upload_answer(fid, word)]) for word in words
                   if st.session_state.get(keys.upload_answer(fid, word)) is not None)
    columns = st.session_state.get(keys.upload_open_choices(fid), ())
    overrides = choice_overrides({column: st.session_state.get(keys.upload_choice(fid, column)) for column in columns})
    names = st.session_state.get(keys.upload_open_names(fid), {})
    overrides += tuple(f"{column}={st.session_state[keys.upload_name(fid, column)]}" for column in names
                       if st.session_state.get(keys.upload_name(fid, column)))
    return (st.session_state.get(keys.upload_header_row(fid)), day.isoformat() if day else None,
            st.session_state.get(keys.upload_date_order(fid)), scores, overrides)


def _checked(file_id: str, prepared) -> Checked:
    cache = st.session_state.setdefault(keys.UPLOAD_CHECKS, {})
    key = (file_id, prepared.source.sheet, prepared.mapping.to_json())
    if key not in cache:
        cur = cursor()
        try:
            checked = check_upload(cur, prepared)
        finally:
            cur.close()
        # Only the latest check of a file is kept: a big file's report and preview weigh.
        for stale in [k for k in cache if k[0] == file_id]:
            del cache[stale]
        cache[key] = checked
    return cache[key]


def upload_card(upload, access: Access, batches: pd.DataFrame) -> None:
    fid = upload.file_id
    st.markdown(f"#### :material/description: {plain(upload.name)}")
    # Read first (with the kind and sheet chosen on the last run) to know whether a sheet is chosen.
    kind = st.session_state.get(keys.upload_kind(fid), "auto")
    reading = _reading(upload, kind, st.session_state.get(keys.upload_sheet(fid)), _answers(fid))
    if reading.sheets:
        kind_column, sheet_column, header_column, note_column = st.columns([1, 1, 1, 2],
                                                                           vertical_alignment="bottom")
        current = reading.prepared.source.sheet if reading.prepared else None
        index = reading.sheets.index(current) if current in reading.sheets else 0
        sheet_column.selectbox(t("upload.sheet"), reading.sheets, index=index, key=keys.upload_sheet(fid))
    else:
        kind_column, header_column, note_column = st.columns([1, 1, 3], vertical_alignment="bottom")
    kind_column.selectbox(t("upload.kind"), ["auto", *KINDS], format_func=kind_label, key=keys.upload_kind(fid))
    header_column.number_input(t("upload.header_row"), min_value=1, value=None, step=1,
                               key=keys.upload_header_row(fid), help=t("upload.header_row_help"))
    if isinstance(reading.error, UnknownKindError):
        candidates = kind_candidates(reading.error)
        if candidates:
            st.warning(t("upload.kind_candidates", kinds=t("upload.or").join(t(f"kind.{k}") for k in candidates)),
                       icon=":material/help:")
        else:
            st.warning(t("upload.kind_unknown"), icon=":material/help:")
        return
    if reading.error is not None:
        st.error(t("upload.cannot_read"), icon=":material/error:")
        st.code(str(reading.error), language=None, wrap_lines=True)
        return
    prepared = reading.prepared
    source = prepared.source
    note = t("upload.rows_read", rows=f"{source.row_count:,}", header=source.header_row)
    if kind == "auto":
        note = t("upload.detected", kind=t(f"kind.{prepared.mapping.kind}")) + " " + note
    if prepared.mapping.platform:
        note += " " + t("upload.platform", platform=platform_label(prepared.mapping.platform))
    note_column.caption(note)
    earlier = imported_as(batches, source.sha256)
    if earlier is not None:
        # Importing it again would be refused as a duplicate; say so instead of offering it.
        st.info(t("upload.already_imported", when=f"{earlier['imported_at']:%Y-%m-%d %H:%M}",
                  batch=earlier["id"][:8]), icon=":material/history:")
        return

    st.markdown(f"**{t('upload.mapping')}**")
    if prepared.mapping_origin == "saved":
        st.info(t("upload.mapping_saved"), icon=":material/bookmark:")
    else:
        st.caption(t("upload.mapping_inferred"))
    mapping = mapping_editor(fid, prepared)
    if mapping is None:
        return
    if mapping.choice_columns:
        st.caption(t("upload.choices_note", columns=", ".join(plain(c) for c in mapping.choice_columns)))
    mapping = answers_editor(fid, mapping, prepared.source.sheet)
    if mapping is None:
        return
    zero = st.session_state.get(keys.upload_zero_na(fid), ())
    if zero:
        mapping = with_zero_na(mapping, zero)
        st.caption(t("upload.zero_na_done", columns=", ".join(plain(c) for c in zero)))
    prepared = with_mapping(prepared, mapping)
    if prepared.mapping_origin == "edited":
        st.caption(t("upload.mapping_edited"))
    missing = missing_fields(mapping, language())
    if missing and not only_the_date_missing(mapping):
        st.error(t("upload.missing_required", fields=missing), icon=":material/error:")
        return
    accept_items = decisions_panel(fid, prepared)
    if accept_items is None:
        return
    if lacks_ratings(mapping):
        st.error(t("upload.no_ratings"), icon=":material/error:")
        return
    try:
        checked = _checked(fid, prepared)
    except FeedbackError as e:
        st.error(t("upload.cannot_read"), icon=":material/error:")
        st.code(str(e), language=None, wrap_lines=True)
        return
    validation_report(fid, prepared, checked)
    import_controls(fid, access, prepared, checked, accept_items)


def decisions_panel(fid: str, prepared) -> bool | None:
    """Ask what the loaders cannot decide alone. None while an answer is missing; else whether the
    analyst accepted the survey's item changes (True when there are none). An answer's widget stays
    drawn once given, so its value lives on."""
    cur = cursor()
    try:
        decisions = {d.code: d for d in open_decisions(cur, prepared)}
    finally:
        cur.close()
    if "no_date" in decisions or st.session_state.get(keys.upload_date(fid)) is not None:
        if "no_date" in decisions:
            st.warning(t("upload.no_date"), icon=":material/event:")
        if st.date_input(t("upload.fieldwork_date"), value=None, key=keys.upload_date(fid)) is None:
            return None
    if not all([answer_questions(fid, decisions), choice_questions(fid, decisions), name_questions(fid, decisions)]):
        return None
    if "ambiguous_dates" in decisions or st.session_state.get(keys.upload_date_order(fid)) is not None:
        order = st.radio(t("upload.date_order"), ["dmy", "mdy"], index=None, key=keys.upload_date_order(fid),
                         format_func=lambda choice: t(f"upload.date_order.{choice}"))
        if order is None:
            return None
    decision = decisions.get("item_changes")
    if decision is None:
        return True
    counts = item_change_counts(decision)
    weights = t(f"upload.weights.{counts['weights']}") if counts["weights"] else ""
    st.warning(t("upload.items_change", new=counts["new"], close=counts["close"], rescaled=counts["rescaled"],
                 weights=weights), icon=":material/warning:")
    return st.checkbox(t("upload.accept_items"), key=keys.upload_accept_items(fid))


def answer_questions(fid: str, decisions: dict) -> bool:
    """Scores for answers no known scale has; False while they are asked for. The words stay asked
    (their inputs drawn) once seen, so the scores given live on."""
    decision = decisions.get("answer_words")
    if decision is not None:
        # words answered earlier stay asked: their scores are what settled them
        seen = st.session_state.get(keys.upload_open_words(fid), ())
        st.session_state[keys.upload_open_words(fid)] = tuple(dict.fromkeys([*seen, *decision.values["words"]]))
    words = st.session_state.get(keys.upload_open_words(fid), ())
    if not words:
        return True
    if decision is not None:
        st.warning(t("upload.unknown_answers", column=", ".join(plain(c) for c in decision.values["columns"]),
                     words=", ".join(plain(w) for w in words)), icon=":material/help:")
    columns = st.columns(min(len(words), 4))
    for i, word in enumerate(words):
        columns[i % 4].number_input(t("upload.unknown_answer_score", word=plain(word)), value=None, step=1.0,
                                    key=keys.upload_answer(fid, word))
    return decision is None


def choice_questions(fid: str, decisions: dict) -> bool:
    """What each column of numbers that may be choice numbers is; False while one is not answered."""
    decision = decisions.get("choice_or_rating")
    if decision is not None:
        seen = st.session_state.get(keys.upload_open_choices(fid), ())
        st.session_state[keys.upload_open_choices(fid)] = tuple(dict.fromkeys([*seen, *decision.values["columns"]]))
    columns = st.session_state.get(keys.upload_open_choices(fid), ())
    if not columns:
        return True
    if decision is not None:
        st.warning(t("upload.unsure_choices", n=len(columns)), icon=":material/help:")
    for column in columns:
        st.radio(plain(column), ["rating", "choice"], index=None, horizontal=True, key=keys.upload_choice(fid, column),
                 format_func=lambda choice: t(f"upload.unsure.{choice}"))
    return decision is None


def name_questions(fid: str, decisions: dict) -> bool:
    """A name field (branch, channel …) fed choice numbers: keep the numbers as names, or leave the
    column out; False while not answered."""
    decision = decisions.get("coded_names")
    if decision is not None:
        st.session_state[keys.upload_open_names(fid)] = {**st.session_state.get(keys.upload_open_names(fid), {}),
                                                         **decision.values["columns"]}
    names = st.session_state.get(keys.upload_open_names(fid), {})
    if not names:
        return True
    if decision is not None:
        st.warning(t("upload.coded_names", n=len(names)), icon=":material/help:")
    for column, name in names.items():
        st.radio(plain(column), [name, "ignore"], index=None, horizontal=True, key=keys.upload_name(fid, column),
                 format_func=lambda choice, name=name: t("upload.coded_names.ignore") if choice == "ignore" else
                 t("upload.coded_names.keep", field=target_label("survey", name, language()).rstrip(" *")))
    return decision is None


def answers_editor(fid: str, mapping, sheet: str | None):
    """The scores of answers given as words, correctable; the mapping they say, or None after showing
    why not."""
    lang = language()
    table = answers_table(mapping, lang)
    if table.empty:
        return mapping
    st.markdown(f"**{t('upload.answers_title')}**")
    st.caption(t("upload.answers_help"))
    config = {
        "column": st.column_config.TextColumn(t("upload.answers.column"), disabled=True),
        "answer": st.column_config.TextColumn(t("upload.answers.answer"), disabled=True),
        "score": st.column_config.NumberColumn(t("upload.answers.score"), format="%g"),
        "read_on": st.column_config.TextColumn(t("upload.answers.set"), disabled=True),
    }
    edited = st.data_editor(table, key=keys.upload_answers(fid, mapping.kind, sheet), column_config=config,
                            hide_index=True, num_rows="fixed", width="stretch", placeholder="")
    try:
        return answers_from_table(edited, mapping)
    except MappingProblem as problem:
        st.error(problem.message(lang), icon=":material/error:")
        return None


def mapping_editor(fid: str, prepared):
    """The mapping as an editable table; returns the mapping it says, or None after showing why not."""
    kind = prepared.mapping.kind
    lang = language()
    config = {
        "column": st.column_config.TextColumn(t("upload.col.column"), disabled=True, pinned=True),
        "sample": st.column_config.TextColumn(t("upload.col.sample"), disabled=True),
        "target": st.column_config.SelectboxColumn(
            t("upload.col.target"), options=target_options(kind), required=True,
            format_func=lambda option: target_label(kind, option, lang), help=t("upload.col.target_help")),
        "item_code": st.column_config.TextColumn(t("upload.col.item_code"), help=t("upload.col.item_code_help")),
        "item_text": st.column_config.TextColumn(t("upload.col.item_text")),
        "rating_kind": st.column_config.SelectboxColumn(
            t("upload.col.rating_kind"), options=list(RATING_KINDS),
            format_func=lambda option: t(f"rating_kind.{option}")),
        "dimension": st.column_config.TextColumn(t("upload.col.dimension"), help=t("upload.col.dimension_help")),
        "scale_min": st.column_config.NumberColumn(t("upload.col.scale_min"), format="%g"),
        "scale_max": st.column_config.NumberColumn(t("upload.col.scale_max"), format="%g"),
        "na_code": st.column_config.NumberColumn(t("upload.col.na_code"), format="%g",
                                                 help=t("upload.col.na_code_help")),
    }
    order = ["column", "sample", "target"] + (list(RATING_DETAIL_COLUMNS) if kind == "survey" else [])
    edited = st.data_editor(mapping_table(prepared), key=keys.upload_mapping(fid, kind, prepared.source.sheet),
                            column_config=config, column_order=order, hide_index=True, num_rows="fixed",
                            width="stretch", placeholder="")
    try:
        return mapping_from_table(edited, prepared)
    except MappingProblem as problem:
        st.error(problem.message(lang), icon=":material/error:")
        return None


def validation_report(fid: str, prepared, checked: Checked) -> None:
    report = checked.report
    st.markdown(f"**{t('upload.report')}**")
    total, good, bad = st.columns(3)
    total.metric(t("upload.rows_total"), f"{report.rows_total:,}")
    good.metric(t("upload.rows_good"), f"{report.rows_valid:,}")
    bad.metric(t("upload.rows_bad"), f"{report.rows_invalid:,}")
    if report.rows_invalid:
        st.warning(t("upload.some_bad", bad=f"{report.rows_invalid:,}", total=f"{report.rows_total:,}"),
                   icon=":material/warning:")
        frame = problems_frame(checked.problems, language())
        if len(frame) > PROBLEMS_SHOWN or report.problem_count > len(frame):
            st.caption(t("upload.problems_shown", shown=f"{min(len(frame), PROBLEMS_SHOWN):,}",
                         count=f"{report.problem_count:,}"))
        show_frame(frame.head(PROBLEMS_SHOWN),
                   height=min(38 + 35 * min(len(frame), PROBLEMS_SHOWN), 400))
        zero = zero_na_columns(checked.problems)
        if zero and st.button(t("upload.zero_na", columns=", ".join(plain(c) for c in zero)),
                              key=keys.upload_zero_na_button(fid), icon=":material/block:"):
            st.session_state[keys.upload_zero_na(fid)] = zero
            st.rerun()
        st.caption(t("upload.download_report"))
        download_buttons(frame, Path(report_file_name(prepared.source.file_name)).stem, key=keys.upload_report(fid))
    else:
        st.success(t("upload.all_good", rows=f"{report.rows_valid:,}"), icon=":material/check_circle:")
    st.markdown(f"**{t('upload.preview')}**")
    frames = checked.preview
    main_table = next(iter(frames))
    if frames[main_table].empty:
        st.caption(t("upload.preview_none"))
        return
    for table, frame in frames.items():
        if table == "survey_rating":
            if frame.empty:
                continue
            st.caption(t("upload.preview_ratings"))
            frame = frame.assign(kind=frame["kind"].map(lambda k: t(f"rating_kind.{k}")))
        labels = preview_labels(prepared.mapping.kind, table, frame.columns, language())
        dates = {labels[c]: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
                 for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])}
        show_frame(frame.rename(columns=labels), column_config=dates)


def import_controls(fid: str, access: Access, prepared, checked: Checked, accept_items: bool = True) -> None:
    report = checked.report
    skip = False
    if report.rows_invalid and report.rows_valid:
        skip = st.checkbox(t("upload.skip_invalid", good=f"{report.rows_valid:,}", bad=f"{report.rows_invalid:,}"),
                           key=keys.upload_skip(fid))
    if not st.button(t("upload.import"), key=keys.upload_import(fid), type="primary",
                     icon=":material/upload:", disabled=not accept_items):
        return
    bar = st.progress(0.0, text=t("upload.progress.start"))

    def progress(fraction: float, message: str) -> None:
        key = f"upload.progress.{message}"
        bar.progress(min(max(fraction, 0.0), 1.0), text=t(key) if key in _PROGRESS_KEYS else message)

    cur = cursor()
    try:
        outcome = run_import(cur, access, prepared, skip_invalid=skip, progress=progress,
                             accept_new_items=accept_items)
    except ValidationError as e:
        bar.empty()
        if e.rows_invalid >= e.rows_total:
            st.error(t("upload.refused_all", total=f"{e.rows_total:,}"), icon=":material/block:")
        else:
            st.error(t("upload.refused", bad=f"{e.rows_invalid:,}", total=f"{e.rows_total:,}"),
                     icon=":material/block:")
        return
    except AccessError:
        bar.empty()
        st.error(t("access.denied"), icon=":material/block:")
        return
    except FeedbackError as e:
        bar.empty()
        st.error(t("upload.failed"), icon=":material/error:")
        st.code(str(e), language=None, wrap_lines=True)
        return
    finally:
        cur.close()
    st.session_state[keys.UPLOAD_LAST_IMPORT] = outcome
    st.session_state.pop(keys.UPLOAD_LAST_UNDO, None)
    st.rerun()


_PROGRESS_KEYS = {f"upload.progress.{m}" for m in ("reading", "validating", "scoring sentiment", "writing",
                                                   "learning from the scores", "done")}


# --- history ---------------------------------------------------------------------------------

def imported_by_label(who) -> str:
    """A person's name as written; the names the dashboard gives itself in the reader's language."""
    if who is None or (isinstance(who, float) and who != who):
        return t("upload.by_cli")
    return {"upload page": t("upload.by_page"), "analyst": t("upload.by_analyst")}.get(who, who)


def batch_label(batch: dict) -> str:
    return (f"{batch['id'][:8]} · {t('kind.' + batch['kind'])} · {batch['source_file']} · "
            f"{batch['rows_accepted']:,} · {batch['imported_at']:%Y-%m-%d %H:%M}")


def history_section(access: Access, batches: pd.DataFrame) -> None:
    st.header(t("imports.history"), divider="gray")
    undone = st.session_state.get(keys.UPLOAD_LAST_UNDO)
    if undone:
        st.success(t("upload.undone", batch=undone[0][:8], rows=f"{undone[3]:,}", file=plain(undone[2])),
                   icon=":material/undo:")
    if batches.empty:
        st.info(t("imports.none"))
        return
    shown = batches.assign(
        id=batches["id"].str[:8],
        imported_by=batches["imported_by"].map(imported_by_label),
        source_sheet=batches["source_sheet"].fillna(""),
        kind=batches["kind"].map(lambda k: t(f"kind.{k}")),
        status=batches["status"].map(lambda s: t(f"status.{s}")),
    )[["id", "kind", "source_file", "source_sheet", "rows_accepted", "rows_rejected", "imported_by",
       "imported_at", "status", "undone_at"]]
    shown.columns = [t(k) for k in ("col.batch", "col.kind", "col.file", "col.sheet", "col.rows", "col.skipped",
                                    "col.imported_by", "col.imported_at", "col.status", "col.undone_at")]
    show_frame(shown, download="import-history",
               column_config={t("col.imported_at"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
                              t("col.undone_at"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
    if not access.analyst:
        return
    undo_controls(batches)
    skipped_rows(batches)


def undo_controls(batches: pd.DataFrame) -> None:
    live = {b["id"]: b for b in batches[batches["status"] == "imported"].to_dict("records")}
    if not live:
        return
    choice_column, button_column = st.columns([4, 1], vertical_alignment="bottom")
    choice = choice_column.selectbox(t("upload.undo_choose"), list(live), key=keys.UPLOAD_UNDO_BATCH,
                                     format_func=lambda batch_id: batch_label(live[batch_id]))
    if button_column.button(t("upload.undo"), key=keys.UPLOAD_UNDO_BUTTON, icon=":material/undo:",
                            width="stretch"):
        st.session_state[keys.UPLOAD_UNDO_PENDING] = choice
    # The dialog stays open while an undo waits for its confirmation, so every run draws it again.
    pending = st.session_state.get(keys.UPLOAD_UNDO_PENDING)
    if pending in live:
        st.dialog(t("upload.undo_title"), on_dismiss=_forget_pending_undo)(confirm_undo)(live[pending])


def _forget_pending_undo() -> None:
    st.session_state.pop(keys.UPLOAD_UNDO_PENDING, None)


def confirm_undo(batch: dict) -> None:
    st.write(t("upload.undo_confirm", batch=batch["id"][:8], rows=f"{batch['rows_accepted']:,}",
               kind=t(f"kind.{batch['kind']}"), file=plain(batch["source_file"]),
               when=f"{batch['imported_at']:%Y-%m-%d %H:%M}"))
    yes, no = st.columns(2)
    if yes.button(t("upload.undo_yes"), key=keys.UPLOAD_UNDO_YES, type="primary", width="stretch"):
        # The role is decided again here: this runs as its own fragment, on its own request.
        cur = cursor()
        try:
            st.session_state[keys.UPLOAD_LAST_UNDO] = run_undo(cur, current_access(), batch["id"])
        except AccessError:
            st.error(t("access.denied"), icon=":material/block:")
            return
        except FeedbackError as e:
            st.error(plain(str(e)))
            return
        finally:
            cur.close()
            _forget_pending_undo()
        st.session_state.pop(keys.UPLOAD_LAST_IMPORT, None)
        st.rerun()
    if no.button(t("upload.cancel"), key=keys.UPLOAD_UNDO_CANCEL, width="stretch"):
        _forget_pending_undo()
        st.rerun()


def skipped_rows(batches: pd.DataFrame) -> None:
    with_skips = {b["id"]: b for b in batches[batches["rows_rejected"] > 0].to_dict("records")}
    if not with_skips:
        return
    with st.expander(t("upload.skipped_title"), icon=":material/playlist_remove:"):
        choice = st.selectbox(t("upload.skipped_choose"), list(with_skips), key=keys.UPLOAD_SKIPPED_BATCH,
                              format_func=lambda batch_id: batch_label(with_skips[batch_id]))
        cur = cursor()
        try:
            skipped = masked_problems(rejected_rows(cur, choice))
        finally:
            cur.close()
        frame = problems_frame(skipped, language())
        show_frame(frame)
        st.caption(t("upload.skipped_download"))
        download_buttons(frame, Path(report_file_name(with_skips[choice]["source_file"])).stem,
                         key=keys.UPLOAD_SKIPPED_DOWNLOAD)


# --- rows and templates ----------------------------------------------------------------------

def counts_section(counts: dict[str, int]) -> None:
    st.header(t("imports.row_counts"), divider="gray")
    columns = st.columns(4)
    for i, (table, count) in enumerate(counts.items()):
        columns[i % 4].metric(t(f"table.{table}"), f"{count:,}")


@st.cache_data(show_spinner=False)
def _template(kind: str) -> bytes:
    return template_workbook(kind)


def templates_section() -> None:
    st.header(t("upload.templates"), divider="gray")
    st.caption(t("upload.templates_help"))
    columns = st.columns(len(KINDS))
    for column, kind in zip(columns, KINDS):
        column.download_button(t(f"kind.{kind}"), data=_template(kind), file_name=TEMPLATE_FILES[kind],
                               mime=XLSX_MIME, key=keys.upload_template(kind), icon=":material/download:",
                               on_click="ignore", width="stretch")


# --- the page --------------------------------------------------------------------------------

st.title(t("imports.title"))
access = current_access()
access_panel(access)
cur = cursor()
try:
    batches = history(cur)
    counts = row_counts(cur)
finally:
    cur.close()
if access.analyst and presenting():
    st.info(t("present.imports"), icon=":material/co_present:")
elif access.analyst:
    upload_section(access, batches)
history_section(access, batches)
counts_section(counts)
templates_section()
