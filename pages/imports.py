"""Imports: analysts upload spreadsheets, check the mapping and rows, import and undo; everyone reads
the history and the row counts, and may download the templates.

Every change of data goes through presentation.upload.run_import / run_undo, which check the role this
run computed on the server; the controls are only drawn for analysts as well.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.filters import filter_options
from loaders.access import AccessError
from loaders.columns import KINDS, RATING_KINDS
from loaders.errors import DuplicateRows, LoadError, UnknownKindError, ValidationError
from loaders.importer import history, rejected_rows, row_counts
from loaders.templates import TEMPLATE_FILES, template_workbook
from pages import _keys as keys
from pages._access import access_panel, current_access
from pages._common import (
    choose, cursor, download_buttons, language, load, masked_problems, presenting, require_router, show_frame,
    show_table, t
)
from pages._uploads import file_uploader, held_by_server, permit_uploads, upload_bytes, upload_path
from presentation.problems import blanked_notices, duplicates_refusal, duplicates_skipped
from presentation.alerts import run_summary
from presentation.upload import (
    EARLIEST_ALLOWED, LATEST_ALLOWED, RATING_DETAIL_COLUMNS, UPLOAD_TYPES, Access, Checked, MappingProblem, Reading,
    check_upload, dates_refused, error_text, imported_as, notices,
    lacks_ratings, mapping_from_table, mapping_table, missing_fields, plain, preview_labels, problems_frame,
    read_upload, released, report_file_name, run_import, run_undo, target_label, target_options, with_mapping,
    item_change_counts, kind_candidates, only_the_date_missing, open_decisions, platform_label, TIER_CHOICES,
    run_tier_change, tier_overview, word_changes, place_label, rule_lines, run_set_rules, run_set_target,
    target_placeholder, target_places, targets_table, label_editor_frame, run_import_labels, run_save_labels,
    change_delta, change_value, answers_table, answers_from_table, choice_overrides, with_zero_na, zero_na_columns,
    rescored_note
)
from store.alerts import alert_rules
from store.errors import FeedbackError, StoreBusy
from store.labels import LABEL_COLUMNS, LABEL_FIELDS, values_to_label
from store.rules import DEFAULT_RULES
from store.targets import TARGET_METRICS, targets
from store.tiers import TierError, TierRules

require_router()

PROBLEMS_SHOWN = 200
PLAIN = "off"  # st.metric's delta without arrow or colour
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
    files = file_uploader(t("upload.files"), UPLOAD_TYPES, keys.UPLOAD_FILES, accept_multiple_files=True,
                          help=t("upload.files_help"))
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
    if result.duplicates is not None:
        message += " " + plain(duplicates_skipped(result.duplicates, language()))
    st.success(message, icon=":material/check_circle:")
    if result.learning_problem:
        st.warning(t("upload.learning_failed", reason=plain(result.learning_problem)), icon=":material/warning:")
    if result.rescored is not None:
        st.info(rescored_note(result.rescored, language()), icon=":material/sync:")
    if outcome.alerts is not None and run_summary(outcome.alerts, language()):
        st.caption(":material/notifications: " + plain(run_summary(outcome.alerts, language())))
    if outcome.changes:
        st.caption(t("upload.changes"))
        columns = st.columns(max(len(outcome.changes), 4))
        for column, change in zip(columns, outcome.changes):
            # not a tested change (DESIGN.md): no arrow and no colour, only the difference
            column.metric(t(change.key), change_value(change), change_delta(change, language()),
                          delta_color=PLAIN, delta_arrow=PLAIN,
                          help=f"{number(change.before)} → {number(change.after)}")


def _reading(upload, kind: str, sheet: str | None, answers: tuple = (None,) * 5 + ((), ())) -> Reading:
    """`answers`: the header row, fieldwork date, date order, dates allowed, scores of answer words and
    column overrides the analyst gave so far."""
    cache = st.session_state.setdefault(keys.UPLOAD_READINGS, {})
    key = (upload.file_id, kind, sheet, *answers)
    if key not in cache:
        cur = cursor()
        try:
            with upload_path(upload) as path:
                cache[key] = read_upload(cur, upload.name, path, kind, sheet, *answers)
        except LoadError as e:    # the server could not write the upload to its disk
            cache[key] = Reading(upload.name, (), None, e)
        finally:
            cur.close()
        read = cache[key]
        if sheet is None and read.prepared is not None:
            cache[(upload.file_id, kind, read.prepared.source.sheet, *answers)] = read
    return cache[key]


def _answers(fid: str) -> tuple:
    day = st.session_state.get(keys.upload_date(fid))
    earliest = st.session_state.get(keys.upload_dates_from(fid))
    latest = st.session_state.get(keys.upload_dates_to(fid))
    words = st.session_state.get(keys.upload_open_words(fid), {})
    scores = tuple((word, st.session_state[keys.upload_answer(fid, word)]) for word in words
                   if st.session_state.get(keys.upload_answer(fid, word)) is not None)
    columns = st.session_state.get(keys.upload_open_choices(fid), {})
    overrides = choice_overrides({column: st.session_state.get(keys.upload_choice(fid, column)) for column in columns})
    names = st.session_state.get(keys.upload_open_names(fid), {})
    overrides += tuple(f"{column}={st.session_state[keys.upload_name(fid, column)]}" for column in names
                       if st.session_state.get(keys.upload_name(fid, column)))
    return (st.session_state.get(keys.upload_header_row(fid)), day.isoformat() if day else None,
            st.session_state.get(keys.upload_date_order(fid)), earliest.isoformat() if earliest else None,
            latest.isoformat() if latest else None, scores, overrides)


def _forget(file_id: str) -> None:
    for cache in (keys.UPLOAD_READINGS, keys.UPLOAD_CHECKS):
        held = st.session_state.get(cache, {})
        for key in [k for k in held if k[0] == file_id]:
            del held[key]


def _checked(file_id: str, prepared, held: int = 0) -> Checked:
    cache = st.session_state.setdefault(keys.UPLOAD_CHECKS, {})
    key = (file_id, prepared.source.sheet, prepared.mapping.to_json(), prepared.dates_from, prepared.dates_to)
    if key not in cache:
        cur = cursor()
        try:
            checked = check_upload(cur, prepared, held_bytes=held)
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
    if reading.prepared is not None and released(reading.prepared) \
            and imported_as(batches, reading.prepared.source.sha256) is None:
        # an import let go of the cells and did not land (refused, or undone since): read the file again
        _forget(fid)
        reading = _reading(upload, kind, st.session_state.get(keys.upload_sheet(fid)), _answers(fid))
    if reading.sheets:
        kind_column, sheet_column, header_column, note_column = st.columns([1, 1, 1, 2],
                                                                           vertical_alignment="bottom")
        current = reading.prepared.source.sheet if reading.prepared else None
        index = reading.sheets.index(current) if current in reading.sheets else 0
        sheet_column.selectbox(t("upload.sheet"), reading.sheets, index=index, key=keys.upload_sheet(fid),
                               placeholder=choose(reading.sheets))
    else:
        kind_column, header_column, note_column = st.columns([1, 1, 3], vertical_alignment="bottom")
    kind_column.selectbox(t("upload.kind"), ["auto", *KINDS], format_func=kind_label, key=keys.upload_kind(fid),
                          placeholder=choose(KINDS))
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
        st.code(error_text(reading.error, language()), language=None, wrap_lines=True)
        return
    prepared = reading.prepared
    source = prepared.source
    for notice in notices(prepared, language()):
        st.info(plain(notice), icon=":material/info:")
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
        checked = _checked(fid, prepared, held_by_server(upload))
    except FeedbackError as e:
        st.error(t("upload.cannot_read"), icon=":material/error:")
        st.code(error_text(e, language()), language=None, wrap_lines=True)
        return
    if dates_refused(checked) or st.session_state.get(keys.upload_dates_from(fid)) is not None \
            or st.session_state.get(keys.upload_dates_to(fid)) is not None:
        earliest_column, latest_column = st.columns(2)
        earliest_column.date_input(t("upload.dates_from"), value=None, min_value=EARLIEST_ALLOWED,
                                   key=keys.upload_dates_from(fid), help=t("upload.dates_help"))
        latest_column.date_input(t("upload.dates_to"), value=None, max_value=LATEST_ALLOWED,
                                 key=keys.upload_dates_to(fid), help=t("upload.dates_help"))
    validation_report(fid, prepared, checked)
    import_controls(fid, access, prepared, checked, accept_items, held_by_server(upload))


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
        complaints = prepared.mapping.kind == "complaints"
        if "no_date" in decisions:
            st.warning(t("upload.no_date.complaints" if complaints else "upload.no_date"), icon=":material/event:")
        label = t("upload.received_date" if complaints else "upload.fieldwork_date")
        if st.date_input(label, value=None, key=keys.upload_date(fid)) is None:
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


def _still_asked(state_key: str, new: dict | None) -> dict:
    """The questions of one kind asked about a file so far, with the new ones added: a question
    answered earlier stays asked (its widget drawn), since its answer is what settled it."""
    asked = {**st.session_state.get(state_key, {}), **(new or {})}
    st.session_state[state_key] = asked
    return asked


def answer_questions(fid: str, decisions: dict) -> bool:
    """Scores for answers no known scale has; False while they are asked for. The words stay asked
    (their inputs drawn) once seen, so the scores given live on."""
    decision = decisions.get("answer_words")
    words = _still_asked(keys.upload_open_words(fid), decision and dict.fromkeys(decision.values["words"]))
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
    columns = _still_asked(keys.upload_open_choices(fid), decision and dict.fromkeys(decision.values["columns"]))
    if not columns:
        return True
    if decision is not None and decision.values.get("with_decimals"):
        # numbers with decimals (4.5): half points, or averages pasted in
        st.warning(t("upload.unsure_decimals", n=len(decision.values["with_decimals"]),
                     columns=", ".join(plain(c) for c in decision.values["with_decimals"])), icon=":material/help:")
    if decision is not None and len(decision.values.get("with_decimals") or ()) < len(decision.values["columns"]):
        st.warning(t("upload.unsure_choices", n=len(columns)), icon=":material/help:")
    for column in columns:
        st.radio(plain(column), ["rating", "choice"], index=None, horizontal=True, key=keys.upload_choice(fid, column),
                 format_func=lambda choice: t(f"upload.unsure.{choice}"))
    return decision is None


def name_questions(fid: str, decisions: dict) -> bool:
    """A name field (branch, channel …) fed choice numbers: keep the numbers as names, or leave the
    column out; False while not answered."""
    decision = decisions.get("coded_names")
    names = _still_asked(keys.upload_open_names(fid), decision and decision.values["columns"])
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
    notices = [plain(notice) for notice in blanked_notices(report.blanked, language())]
    if notices:
        # one box for the file, a line per column: a log with many such columns is one notice to read
        st.info(notices[0] if len(notices) == 1 else "\n".join(f"- {n}" for n in notices), icon=":material/info:")
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


def import_controls(fid: str, access: Access, prepared, checked: Checked, accept_items: bool = True,
                    held: int = 0) -> None:
    """`held`: the upload's bytes the server holds while the file is imported."""
    report = checked.report
    skip = False
    if report.rows_invalid and report.rows_valid:
        skip = st.checkbox(t("upload.skip_invalid", good=f"{report.rows_valid:,}", bad=f"{report.rows_invalid:,}"),
                           key=keys.upload_skip(fid))
    found = checked.duplicates
    skip_duplicates = False
    if found is not None and found.rows:
        # the same words the import would refuse with; the tick box below when some rows are new
        st.warning(plain(duplicates_refusal(prepared.source.file_name, found, language(), on_page=True)),
                   icon=":material/content_copy:")
        if not found.new_rows:
            return
        skip_duplicates = st.checkbox(t("upload.skip_duplicates", new=f"{found.new_rows:,}", rows=f"{found.rows:,}"),
                                      key=keys.upload_skip_duplicates(fid))
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
                             accept_new_items=accept_items, skip_duplicates=skip_duplicates, held_bytes=held)
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
    except DuplicateRows as e:   # rows landed from elsewhere since the check
        bar.empty()
        st.warning(plain(duplicates_refusal(e.file_name, e.duplicates, language(), on_page=True)),
                   icon=":material/content_copy:")
        return
    except StoreBusy:
        bar.empty()
        st.info(t("error.busy_import"), icon=":material/hourglass_top:")
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
    # the undo offers the batch just imported first, whatever was picked before
    st.session_state[keys.UPLOAD_UNDO_BATCH] = outcome.result.batch_id
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
                                     format_func=lambda batch_id: batch_label(live[batch_id]), placeholder=choose(live))
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
        except StoreBusy:
            st.info(t("error.busy_undo"), icon=":material/hourglass_top:")
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
                              format_func=lambda batch_id: batch_label(with_skips[batch_id]),
                              placeholder=choose(with_skips))
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


# --- customer tiers --------------------------------------------------------------------------

RULE_FIELDS = ("key_value", "key_products", "core_value", "core_products")


def tiers_section(access: Access) -> None:
    st.header(t("tiers.title"), divider="gray")
    st.caption(t("tiers.help"))
    cur = cursor()
    try:
        overview = tier_overview(cur, language())
    finally:
        cur.close()
    moved = st.session_state.pop(keys.TIERS_SAVED, None)
    if moved is not None:
        st.success(t("tiers.saved", rows=f"{moved:,}"), icon=":material/check_circle:")
    show_table(overview.counts, {"source": "tiers.source", **{tier: f"tier.{tier}" for tier in TIER_CHOICES}},
               formats={tier: "%d" for tier in TIER_CHOICES})
    editable = access.analyst and not presenting()
    if not editable:
        rule_inputs(overview.rules, disabled=True)
        word_table(overview.words, disabled=True)
        return
    with st.form(keys.TIERS_FORM, border=False):
        chosen = rule_inputs(overview.rules, disabled=False)
        edited = word_table(overview.words, disabled=False)
        if not st.form_submit_button(t("tiers.save"), type="primary", icon=":material/save:", key=keys.TIERS_SAVE):
            return
    cur = cursor()
    try:
        # the role is decided again on this run, as for an import
        changed = run_tier_change(cur, current_access(), TierRules(**chosen),
                                  word_changes(overview.words, edited) if edited is not None else None)
    except AccessError:
        st.error(t("access.denied"), icon=":material/block:")
        return
    except TierError as e:
        st.error(plain(str(e)), icon=":material/error:")
        return
    except FeedbackError as e:
        st.error(t("upload.failed"), icon=":material/error:")
        st.code(str(e), language=None, wrap_lines=True)
        return
    finally:
        cur.close()
    st.session_state[keys.TIERS_SAVED] = sum(changed.values())
    st.rerun()


def rule_inputs(rules: TierRules, disabled: bool) -> dict[str, float | None]:
    st.caption(t("tiers.rules_help"))
    columns = st.columns(len(RULE_FIELDS))
    return {name: column.number_input(t(f"tiers.{name}"), min_value=0.0, value=getattr(rules, name),
                                      step=1.0, format="%g", placeholder=t("tiers.unused"),
                                      key=keys.tiers_rule(name), disabled=disabled)
            for column, name in zip(columns, RULE_FIELDS)}


def word_table(words: pd.DataFrame, disabled: bool) -> pd.DataFrame | None:
    if words.empty:
        st.caption(t("tiers.no_words"))
        return None
    st.caption(t("tiers.words_help"))
    return st.data_editor(
        words, key=keys.TIERS_WORDS, hide_index=True, width="stretch", disabled=True if disabled else ["word", "rows"],
        column_config={"word": st.column_config.TextColumn(t("tiers.word")),
                       "tier": st.column_config.SelectboxColumn(t("tiers.tier"), options=list(TIER_CHOICES),
                                                                required=True, format_func=lambda v: t(f"tier.{v}")),
                       "rows": st.column_config.NumberColumn(t("tiers.rows"), format="%d")})


# --- the data's own labels ------------------------------------------------------------------

ALL_FIELDS = "all"


def labels_section() -> None:
    """The label table for analysts: edit it, download it, send one back (presentation.upload)."""
    st.header(t("labels.title"), divider="gray")
    st.caption(t("labels.help"))
    saved = st.session_state.pop(keys.LABELS_SAVED, None)
    if saved is not None:
        st.success(t("labels.saved", **{k: f"{v:,}" for k, v in saved.items()}) if any(saved.values())
                   else t("labels.unchanged"), icon=":material/check_circle:")
    # the data's values to label are read once per data version (every survey, NPS and complaint row's
    # branch, region and channel: most of this page's time at ten million rows, on every rerun)
    values = load(values_to_label)
    cur = cursor()
    try:
        table = label_editor_frame(cur, values)
    finally:
        cur.close()
    if table.empty:
        st.info(t("labels.empty"))
        return
    field = st.selectbox(t("labels.show_field"), [ALL_FIELDS, *LABEL_FIELDS], key=keys.LABELS_FIELD,
                         format_func=lambda f: t("labels.all_fields") if f == ALL_FIELDS else t(f"labels.field.{f}"),
                         placeholder=choose(LABEL_FIELDS))
    names = {f: t(f"labels.field.{f}") for f in LABEL_FIELDS}
    shown = table if field == ALL_FIELDS else table[table["field"] == field]
    edited = st.data_editor(
        shown.assign(field=shown["field"].map(names)), key=f"{keys.LABELS_EDITOR}.{field}", hide_index=True,
        width="stretch", height=420, num_rows="fixed", placeholder="—",
        column_config={"field": st.column_config.TextColumn(t("labels.col.field"), disabled=True, width="small"),
                       "value": st.column_config.TextColumn(t("labels.col.value"), disabled=True),
                       "label_en": st.column_config.TextColumn(t("labels.col.en")),
                       "label_zh": st.column_config.TextColumn(t("labels.col.zh"))})
    if st.button(t("labels.save"), key=keys.LABELS_SAVE, type="primary", icon=":material/save:"):
        edited = edited.assign(field=shown["field"].to_numpy())
        whole = edited if field == ALL_FIELDS else pd.concat([table[table["field"] != field], edited])
        _change_labels(lambda cur: run_save_labels(cur, current_access(), whole[LABEL_COLUMNS]))
    download_buttons(table, "labels", key=keys.LABELS_DOWNLOAD)
    permit_uploads()
    upload = file_uploader(t("labels.file"), ["csv", "xlsx"], keys.LABELS_FILE)
    if upload is not None and st.button(t("labels.import"), key=keys.LABELS_IMPORT, icon=":material/upload:"):
        _change_labels(lambda cur: run_import_labels(cur, current_access(), upload.name, upload_bytes(upload)))


def _change_labels(change) -> None:
    # the role is decided again on this run, as for an import
    cur = cursor()
    try:
        st.session_state[keys.LABELS_SAVED] = change(cur)
    except AccessError:
        st.error(t("access.denied"), icon=":material/block:")
        return
    except FeedbackError as e:
        st.error(plain(str(e)))
        return
    finally:
        cur.close()
    st.rerun()


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


# --- targets and alert rules ----------------------------------------------------------------------
# Here rather than on the overview: the overview is what managers read, this page is where analysts
# change what the dashboard holds, behind the same access rule as uploads (presentation.upload checks it
# again on every save, whatever the browser sends).

def targets_section(access: Access) -> None:
    st.header(t("target.title"), divider="gray")
    st.caption(t("target.note"))
    cur = cursor()
    try:
        book, rules, options = targets(cur), alert_rules(cur), filter_options(cur)
    finally:
        cur.close()
    done = st.session_state.pop(keys.TARGET_DONE, None)
    if done:
        st.success(t(done), icon=":material/flag:")
    if access.analyst and not presenting():
        target_controls(access, target_places(options.regions, options.branches))
    st.subheader(t("target.in_force"))
    if book.empty:
        st.caption(t("target.none"))
    else:
        shown = targets_table(book, language())
        shown.columns = [t(f"target.col.{c}") for c in shown.columns]
        show_frame(shown, column_config={t("target.col.set_at"): st.column_config.DatetimeColumn(
            format="YYYY-MM-DD HH:mm")})
    st.subheader(t("alert.rules"))
    st.caption(t("alert.rules_note"))
    if access.analyst and not presenting():
        rule_controls(access, rules)
    else:
        st.markdown(rule_lines(rules, language()))


def target_controls(access: Access, places: list[str]) -> None:
    lang = language()
    metric_column, place_column, value_column = st.columns(3)
    metric = metric_column.selectbox(t("target.metric"), list(TARGET_METRICS), key=keys.TARGET_METRIC,
                                     format_func=lambda m: t(f"metric.{m}"), placeholder=choose(TARGET_METRICS))
    place = place_column.selectbox(t("target.place"), places, key=keys.TARGET_PLACE,
                                   format_func=lambda p: place_label(p, lang), placeholder=choose(places))
    value = value_column.number_input(t("target.value"), value=None, step=1.0, key=keys.TARGET_VALUE,
                                      placeholder=target_placeholder(metric))
    save_column, clear_column, _ = st.columns([1, 1, 4])
    save = save_column.button(t("target.save"), key=keys.TARGET_SAVE, type="primary", icon=":material/flag:",
                              disabled=value is None, width="stretch")
    clear = clear_column.button(t("target.clear"), key=keys.TARGET_CLEAR, width="stretch")
    if not (save or clear):
        return
    cur = cursor()
    try:
        run_set_target(cur, current_access(), metric, value if save else None, place)
    except AccessError:
        st.error(t("target.denied"), icon=":material/block:")
        return
    except FeedbackError as e:
        st.error(plain(str(e)), icon=":material/error:")
        return
    finally:
        cur.close()
    st.session_state[keys.TARGET_DONE] = "target.saved" if save else "target.cleared"
    st.rerun()


def rule_controls(access: Access, rules) -> None:
    with st.form(keys.RULES_FORM, border=True):
        chosen = {}
        for rule in rules.values():
            on_column, threshold_column = st.columns([3, 2], vertical_alignment="bottom")
            low, high = DEFAULT_RULES[rule.name][2:]
            chosen[rule.name] = (
                on_column.checkbox(t(f"alert.rule.{rule.name}"), value=rule.enabled, key=keys.rule_enabled(rule.name)),
                threshold_column.number_input(t(f"alert.threshold.{rule.name}"), min_value=low, max_value=high,
                                              value=rule.threshold, step=1.0, format="%g",
                                              key=keys.rule_threshold(rule.name)))
        if not st.form_submit_button(t("alert.save_rules"), icon=":material/notifications:"):
            return
    cur = cursor()
    try:
        run_set_rules(cur, current_access(), chosen)
    except AccessError:
        st.error(t("target.denied"), icon=":material/block:")
        return
    except FeedbackError as e:
        st.error(plain(str(e)), icon=":material/error:")
        return
    finally:
        cur.close()
    st.session_state[keys.TARGET_DONE] = "alert.rules_saved"
    st.rerun()


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
targets_section(access)
if access.analyst and not presenting():
    labels_section()
counts_section(counts)
tiers_section(access)
templates_section()
