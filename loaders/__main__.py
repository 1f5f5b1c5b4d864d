"""Command line of the loaders: demo, import, history, undo, templates, set-passphrase, themes, tiers,
migrate, maintain, save-lake-secret, and the targets and alert rules an analyst sets: set-target,
targets, alert-rules, check-alerts.

Each command opens the store, calls one library function, and turns the dashboard's own errors
into a readable message and a non-zero exit code. Like app.py and `python -m analytics`, it is an
entry on top of every layer: it words the rows' problems with the upload page's own renderer
(presentation.problems), in English or Chinese, and checks the alert rules after an import
(presentation.alerts), as the upload page does.
"""
from __future__ import annotations

import gc

# One command, then the process ends: the objects the imports below make (pandas', pyarrow's, ours)
# live until then, and the collector would walk them all again whenever the command's own objects
# set it off (issue 24's whole-process floors). It waits for the imports, then leaves them out.
if __name__ == "__main__":
    gc.disable()

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loaders.columns import ColumnMapping
from loaders.errors import (DecisionNeeded, DuplicateRows, KindDecisionNeeded, LoadError,
                            RowProblem, ValidationError)
from loaders.importer import check, describe, import_prepared, pending, prepare
from loaders.validate import missing_required
from presentation.alerts import alert_sentence, run_summary
from presentation.commands import run_command
from presentation.formats import fmt_count
from presentation.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from presentation.upload import checked_alerts, rescored_note
from presentation.problems import (
    LISTED, blanked_notices, duplicates_refusal, duplicates_skipped, fix_text, load_error_text, notice_text,
    problem_line, problem_lines, problem_text, refusal
)
from store.alerts import alert_rules, set_rule
from store.db import connect, default_db_path, set_import_memory, unreachable_store
from store.errors import FeedbackError
from store.rules import RULES
from store.targets import TARGET_METRICS, set_target, targets, written_value
from store.tiers import TierRules, parse_word, save_rules, save_words, stored_words, tier_counts, tier_rules

EXIT_INVALID = 2
EXIT_DECISION = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="build a store from realistic demo spreadsheets")
    demo.add_argument("--db", default=None, help="store path (default: env FEEDBACK_DB or data/feedback.duckdb)")
    demo.add_argument("--months", type=int, default=24)
    demo.add_argument("--responses", type=int, default=4000, help="survey responses (NPS 1.5x, complaints 0.3x)")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--files", default=None,
                      help="folder to write the demo spreadsheets to (default: a temporary folder)")

    imp = commands.add_parser("import", help="import one csv/xlsx file as one batch")
    imp.add_argument("file")
    imp.add_argument("--kind", default="auto",
                     choices=["auto", "survey", "nps", "complaints", "management", "standards"])
    imp.add_argument("--sheet", default=None)
    imp.add_argument("--header-row", type=int, default=None, metavar="N",
                     help="the row (counted from 1) that names the columns, when the guess is wrong")
    imp.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                     help="the fieldwork date of every row (a survey file without a date column)")
    imp.add_argument("--date-order", default=None, choices=["dmy", "mdy"],
                     help="read dates like 03/04/2026 day first (dmy) or month first (mdy)")
    imp.add_argument("--allow-dates-from", default=None, metavar="YYYY-MM-DD",
                     help="accept dates from this day on (default 1990-01-01: an earlier date is refused at its row)")
    imp.add_argument("--allow-dates-to", default=None, metavar="YYYY-MM-DD",
                     help="accept dates up to this day (default today: a later date is refused at its row)")
    imp.add_argument("--map", action="append", default=[], metavar="SOURCE=FIELD",
                     help="map a column to a field, to 'ignore', or to 'item:CODE' (repeatable)")
    imp.add_argument("--answer", action="append", default=[], metavar="ANSWER=SCORE",
                     help="the score of an answer given as words, e.g. \"Very good=4\" (SCORE na: not applicable;"
                          " repeatable)")
    imp.add_argument("--na-code", action="append", default=[], metavar="COLUMN=CODE",
                     help="the code that means 'not applicable' in a rated item's column, e.g. \"Q1=0\" (repeatable)")
    imp.add_argument("--mapping", default=None, metavar="FILE.json",
                     help="a whole mapping, in the form the Imports page saves and --json prints")
    imp.add_argument("--accept-new-items", action="store_true",
                     help="import a survey that adds items, changes a scale or changes the CSI's weights")
    imp.add_argument("--dry-run", action="store_true", help="decide and validate, write nothing")
    imp.add_argument("--json", action="store_true", help="print the whole decision as JSON")
    imp.add_argument("--skip-invalid", action="store_true",
                     help="import the valid rows and record the invalid ones with the batch")
    imp.add_argument("--skip-duplicates", action="store_true",
                     help="import only the rows the store does not hold yet (same content, or the same complaint"
                          " or response id) and say how many were skipped")
    imp.add_argument("--db", default=None)
    imp.add_argument("--progress", action="store_true",
                     help="print each step (reading, validating, scoring sentiment, writing, learning from the scores)"
                          " to stderr"
                          " with the seconds elapsed, for a large file")
    imp.add_argument("--lang", choices=sorted(LANGUAGES), default=DEFAULT_LANGUAGE,
                     help="the language of the rows' problems")

    hist = commands.add_parser("history", help="list imported batches")
    hist.add_argument("--db", default=None)

    und = commands.add_parser("undo", help="remove one batch's rows")
    und.add_argument("batch_id", help="the batch id, or a unique start of it")
    und.add_argument("--db", default=None)

    tpl = commands.add_parser("templates", help="write the bilingual import templates")
    tpl.add_argument("--out", default="data/templates")

    pas = commands.add_parser("set-passphrase",
                              help="set the analyst passphrase the upload page asks for (read from stdin"
                                   " or a prompt); --clear opens uploads to everyone again")
    pas.add_argument("--clear", action="store_true", help="remove the passphrase")
    pas.add_argument("--db", default=None)

    thm = commands.add_parser("themes", help="list the themes of the stored texts; --rename ID LABEL gives one"
                                             " a label of your own")
    thm.add_argument("--rename", nargs=2, metavar=("ID", "LABEL"), help="the theme's id and its new label")
    thm.add_argument("--db", default=None)

    tie = commands.add_parser("tiers", help="show the customer tiers, or set the rules that give a tier from the"
                                            " value columns and the tier a file's tier word names; every"
                                            " stored row's tier follows at once")
    tie.add_argument("--key-value", type=float, metavar="X", help="key when the annual value is at least X")
    tie.add_argument("--key-products", type=float, metavar="N", help="key when the products held are at least N")
    tie.add_argument("--core-value", type=float, metavar="Y", help="else core when the annual value is at least Y")
    tie.add_argument("--core-products", type=float, metavar="M",
                     help="else core when the products held are at least M")
    tie.add_argument("--clear-rules", action="store_true", help="no rules: the value columns give no tier")
    tie.add_argument("--word", action="append", default=[], metavar="WORD=TIER",
                     help="the tier a file's tier word names: key, core, general or none (repeatable)")
    tie.add_argument("--json", action="store_true", help="print the rules, words and counts as JSON")
    tie.add_argument("--db", default=None)

    mig = commands.add_parser("migrate", help="copy every table of the store into a new or empty store"
                                              " (a DuckDB file into a lake, or back), checked")
    mig.add_argument("--to", required=True, dest="target",
                     help="the new store: a DuckDB file or ducklake:postgres:dbname=… host=…"
                          " (with FEEDBACK_LAKE_DATA naming its data folder)")
    mig.add_argument("--db", default=None, help="the store to copy (default: env FEEDBACK_DB or data/feedback.duckdb)")

    rsc = commands.add_parser("rescore", help="score every stored text again with this version's sentiment"
                                              " baseline (and the store's learned model), when its scores are"
                                              " of an earlier one, as the next import would")
    rsc.add_argument("--db", default=None)

    sec = commands.add_parser("save-lake-secret",
                              help="keep a lake's credentials as this user's DuckDB secret, so that no URL or"
                                   " variable holds them: postgres, its catalog's server, user and password;"
                                   " s3, the bucket of an s3:// data folder (the password or secret key"
                                   " read from stdin or a prompt); --remove forgets it")
    sec.add_argument("kind", choices=("postgres", "s3"))
    sec.add_argument("--host", help="postgres: the server")
    sec.add_argument("--port", type=int, default=5432, help="postgres: the server's port")
    sec.add_argument("--user", help="postgres: the user")
    sec.add_argument("--key-id", help="s3: the access key id")
    sec.add_argument("--region", help="s3: the bucket's region")
    sec.add_argument("--endpoint", help="s3: another service than AWS (HOST:PORT of MinIO, Ceph, …)")
    sec.add_argument("--url-style", choices=("vhost", "path"), help="s3: path for most services other than AWS")
    sec.add_argument("--no-ssl", action="store_true", help="s3: plain http to the endpoint")
    sec.add_argument("--remove", action="store_true", help="remove the secret of this kind saved before")

    mnt = commands.add_parser("maintain", help="merge a lake's small files, expire week-old snapshots and"
                                               " delete the files no snapshot needs")
    mnt.add_argument("--db", default=None)

    tgt = commands.add_parser("set-target", help="set (or --clear) the target of a metric for the company,"
                                                 " a region or a branch; shares in percent")
    tgt.add_argument("metric", choices=sorted(TARGET_METRICS))
    tgt.add_argument("value", nargs="?", type=float, help="the target (a share in percent: 90 for 90%%)")
    place = tgt.add_mutually_exclusive_group()
    place.add_argument("--region", default=None, help="the target of this region only")
    place.add_argument("--branch", default=None, help="the target of this branch only")
    tgt.add_argument("--clear", action="store_true", help="remove the target")
    tgt.add_argument("--db", default=None)

    tgs = commands.add_parser("targets", help="list the targets in force")
    tgs.add_argument("--db", default=None)

    rul = commands.add_parser("alert-rules", help="list the alert rules; with a rule, switch it --on or --off"
                                                  " or change its --threshold")
    rul.add_argument("rule", nargs="?", choices=RULES)
    switch = rul.add_mutually_exclusive_group()
    switch.add_argument("--on", action="store_true", help="switch the rule on")
    switch.add_argument("--off", action="store_true", help="switch the rule off")
    rul.add_argument("--threshold", type=float, default=None, help="the rule's threshold (see README, Alerts)")
    rul.add_argument("--db", default=None)

    chk = commands.add_parser("check-alerts", help="check the alert rules on the latest month now, as every"
                                                   " import does: record new alerts, e-mail unsent ones")
    chk.add_argument("--lang", choices=sorted(LANGUAGES), default=DEFAULT_LANGUAGE,
                     help="the language of the alerts printed")
    chk.add_argument("--db", default=None)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValidationError as e:
        language = getattr(args, "lang", DEFAULT_LANGUAGE)
        _say_json(args, {"status": "invalid", "validation": {
            "rows_total": e.rows_total, "rows_invalid": e.rows_invalid,
            "problem_count": max(e.problem_count or 0, len(e.problems)),
            "problems": [_problem_dict(p, language) for p in e.problems[:LISTED]]}})
        print(f"error: {refusal(e, language)}", file=sys.stderr)
        return EXIT_INVALID
    except DuplicateRows as e:
        # a decision when some rows are new (the flag imports them), a plain refusal when none is
        language = getattr(args, "lang", DEFAULT_LANGUAGE)
        dup = e.duplicates
        _say_json(args, {"status": "duplicates", "duplicates": {
            "rows": dup.rows, "total": dup.total, "new_rows": dup.new_rows,
            "batches": [{"batch_id": b.batch_id, "source_file": b.source_file, "imported_at": b.imported_at,
                         "rows": b.rows} for b in dup.batches]}})
        print(f"error: {duplicates_refusal(e.file_name, dup, language)}", file=sys.stderr)
        return EXIT_DECISION if dup.new_rows else 1
    except (KindDecisionNeeded, DecisionNeeded) as e:
        _say_json(args, {"status": "decision_needed", "decisions": [_decision_of(e)]})
        print(f"decision needed: {e}", file=sys.stderr)
        return EXIT_DECISION
    except LoadError as e:
        # a file that cannot be read: its code, where it is and the words in --lang; exit 2 like
        # invalid rows when the file itself is at fault (it has a code), else 1
        language = getattr(args, "lang", DEFAULT_LANGUAGE)
        words = load_error_text(e, language)
        _say_json(args, {"status": "invalid" if e.code else "error", "error": {**e.as_dict(), "text": words}})
        print(f"error: {words}", file=sys.stderr)
        return EXIT_INVALID if e.code else 1
    except FeedbackError as e:
        _say_json(args, {"status": "error", "error": {"message": str(e)}})
        print(f"error: {e}", file=sys.stderr)
        return 1
    except Exception as e:
        # a lake's catalog lost mid-command (PostgreSQL stopped or restarting): one line, not a
        # traceback; the command's transaction was rolled back with the connection
        failure = unreachable_store(e)
        if failure is None:
            raise
        _say_json(args, {"status": "error", "error": {"message": str(failure)}})
        print(f"error: {failure}", file=sys.stderr)
        return 1


def _say_json(args, data: dict) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _decision_of(error) -> dict:
    if isinstance(error, KindDecisionNeeded):
        return {"code": "kind", "flag": "--kind", "message": str(error),
                "candidates": [{"kind": c.kind, "score": c.score, "reasons": list(c.reasons),
                                "dropped_ratings": list(c.dropped_ratings)} for c in error.candidates]}
    return {"code": error.code, "flag": error.flag, "message": str(error), "values": error.values}


def _db(args) -> str:
    return args.db or default_db_path()


def cmd_demo(args) -> int:
    from loaders.demo import generate, write_files
    from loaders.importer import import_file

    folder = Path(args.files) if args.files else Path(tempfile.mkdtemp(prefix="feedback-demo-"))
    files = write_files(generate(months=args.months, responses=args.responses, seed=args.seed), folder)
    con = connect(_db(args))
    try:
        # Demo files go through the same import as an analyst's, so the demo store is what
        # importing data/demo/ by hand gives.
        results = [import_file(con, path) for path in files.values()]
        alerts = checked_alerts(con, "python -m loaders demo")
    finally:
        con.close()
    for result in results:
        print(f"imported {result.kind}: {result.rows_accepted} rows from {result.file_name}"
              f" (batch {result.batch_id[:8]})")
    print(run_summary(alerts, DEFAULT_LANGUAGE))
    print(f"demo store ready at {_db(args)}; spreadsheets in {folder}")
    return 0


def cmd_import(args) -> int:
    started = time.perf_counter()

    def progress(_fraction: float, step: str) -> None:
        print(f"progress: {time.perf_counter() - started:.3f} s {step}", file=sys.stderr, flush=True)

    mapping = None
    if args.mapping:
        try:
            mapping = ColumnMapping.from_json(Path(args.mapping).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise LoadError(f"--mapping {args.mapping}: cannot read the mapping ({e})") from e
    con = connect(_db(args))
    try:
        if args.progress:
            progress(0.05, "reading")
        return _import(con, args, mapping, progress)
    finally:
        con.close()


def _import(con, args, mapping, progress) -> int:
    prepared = prepare(con, args.file, kind=args.kind, sheet=args.sheet, mapping=mapping,
                       header_row=args.header_row, fieldwork_date=args.date, overrides=args.map,
                       date_order=args.date_order, dates_from=args.allow_dates_from,
                       dates_to=args.allow_dates_to, answers=parse_answers(args.answer),
                       na_codes=parse_na_codes(args.na_code))
    # the file's cells are held from here on: DuckDB gets what they leave of the import's memory
    set_import_memory(con, prepared.source.table.nbytes)
    open_decisions = pending(prepared, args.accept_new_items)
    if args.progress:
        progress(0.25, "validating")
    report = check(con, prepared) if not open_decisions and not missing_required(prepared.mapping) else None
    described = describe(prepared, report)
    if report is not None:
        # the loaders give the problems as codes; their words are presentation's, in --lang
        described["validation"]["problems"] = [_problem_dict(p, args.lang) for p in report.problems[:LISTED]]
    if open_decisions:
        _say(args, described, "decision_needed")
        for decision in open_decisions:
            print(f"decision needed: {decision.message}", file=sys.stderr)
        return EXIT_DECISION
    if args.dry_run:
        if report is None:
            check(con, prepared)   # raises what is missing, as an import would
        _say(args, described, "invalid" if report.rows_invalid else "dry_run")
        if report.rows_invalid:
            _print_problems(args, report)
        return EXIT_INVALID if report.rows_invalid and not args.skip_invalid else 0
    # the command imports its prepared file once: its cells are let go of once staged
    result = import_prepared(con, prepared, skip_invalid=args.skip_invalid,
                             progress=progress if args.progress else None,
                             accept_new_items=args.accept_new_items,
                             skip_duplicates=args.skip_duplicates, release_rows=True, checked=report)
    if args.progress:
        progress(0.99, "checking the alert rules")
    alerts = checked_alerts(con, "python -m loaders import")
    if args.progress:
        progress(1.0, "alert rules checked")
    described["batch_id"] = result.batch_id
    described["imported"] = {"rows": result.rows_accepted, "rows_skipped": result.rows_rejected,
                             "rows_duplicate": result.rows_duplicate, "ratings": result.ratings}
    described["status_words"] = [{"word": w, "step": s, "rows": r} for w, s, r in result.status_words]
    described["tier_words"] = [{"word": w, "tier": t, "rows": r} for w, t, r in result.tier_words]
    described["tiers"] = {str(t): r for t, r in result.tiers}
    described["alerts"] = {"month": alerts.month, "new": len(alerts.new), "sent": alerts.sent,
                           "problem": alerts.problem}
    described["learning_problem"] = result.learning_problem
    described["rescored"] = (None if result.rescored is None else
                             {"texts": result.rescored[0], "rows_changed": result.rescored[1]})
    _say(args, described, "imported")
    if not args.json:
        where = f", sheet '{result.sheet}'" if result.sheet else ""
        extra = f", {result.ratings} ratings" if result.ratings else ""
        print(f"imported {result.kind}: {result.rows_accepted} rows{extra} from {result.file_name}{where}"
              f" as batch {result.batch_id}")
        if result.rows_rejected:
            print(translate("problems.skipped", args.lang, rows=f"{result.rows_rejected:,}"))
            for line in problem_lines(result.skipped, result.skipped_problems, args.lang):
                print("  " + line)
        if result.duplicates is not None:
            print(duplicates_skipped(result.duplicates, args.lang))
        for line in _status_word_lines(result.status_words, args.lang):
            print(line)
        for line in _tier_word_lines(result.tier_words, args.lang):
            print(line)
        if run_summary(alerts, args.lang):
            # on stderr, like the progress: the import's own result stays the output's last line
            print(run_summary(alerts, args.lang), file=sys.stderr)
    if result.learning_problem:
        print(translate("upload.learning_failed", args.lang, reason=result.learning_problem), file=sys.stderr)
    if result.rescored is not None and not args.json:
        print(rescored_note(result.rescored, args.lang), file=sys.stderr)
    return 0


def parse_answers(pairs: list[str]) -> dict[str, float | None]:
    """`--answer "ANSWER=SCORE"` pairs (the answer may hold '='; the score is after the last one)."""
    answers: dict[str, float | None] = {}
    for pair in pairs:
        word, sep, score = pair.rpartition("=")
        word, score = word.strip(), score.strip()
        if not sep or not word or not score:
            raise LoadError(f"--answer {pair!r}: write it as \"ANSWER=SCORE\", e.g. \"Very good=4\" or \"N/A=na\"")
        if score.lower() in ("na", "n/a"):
            answers[word] = None
            continue
        try:
            answers[word] = float(score)
        except ValueError:
            raise LoadError(f"--answer {pair!r}: the score must be a number, or na for not applicable") from None
    return answers


def parse_na_codes(pairs: list[str]) -> dict[str, float]:
    """`--na-code "COLUMN=CODE"` pairs (the column may hold '='; the code is after the last one)."""
    codes = {}
    for pair in pairs:
        column, sep, code = pair.rpartition("=")
        try:
            codes[column.strip()] = float(code)
        except ValueError:
            sep = ""
        if not sep or not column.strip():
            raise LoadError(f"--na-code {pair!r}: write it as \"COLUMN=CODE\", e.g. \"Q1=0\"")
    return codes


def _say(args, described: dict, status: str) -> None:
    """The decision: as JSON with --json, else a few readable lines (kind, platform, columns)."""
    if args.json:
        print(json.dumps({"status": status, **described}, ensure_ascii=False, indent=2, default=str))
        return
    platform = f" exported by {described['platform']}" if described["platform"] else ""
    rows = described["header_rows"]
    header = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]}-{rows[-1]}"
    print(f"{described['file']}: {described['kind']}{platform}; header {header}; {described['rows']:,} rows")
    for notice in described.get("notices", ()):
        print(f"note: {notice_text(notice['code'], notice['values'], args.lang)}")
    blanked = described.get("validation", {}).get("blanked", ())
    for line in blanked_notices([(b["column"], b["cell"], b["rows"]) for b in blanked], args.lang):
        print(f"note: {line}")
    for column in described["columns"]:
        target = column["target"]
        if target.startswith("item:"):
            na = "" if column["na_code"] is None else f", N/A {column['na_code']:g}"
            target += f" '{column['item_text']}' ({column['rating_kind']}, scale {column['scale_min']:g}-" \
                      f"{column['scale_max']:g}{na})"
        elif target == "ignore" and column.get("platform_column"):
            target = "ignore (the platform's own column)"
        elif target == "ignore" and column.get("choice_numbers"):
            target = "ignore (a choice question's numbers)"
        elif target == "ignore" and column.get("choice_or_rating"):
            target = "? (scores of a rating, or not: say which)"
        elif target == "ignore" and column.get("unknown_answers"):
            target = "? (answers on no known scale: " + ", ".join(column["unknown_answers"]) + ")"
        print(f"  {column['column']} -> {target}")
        if column.get("answers"):
            scores = "; ".join(f"{word} = {'n/a' if score is None else f'{score:g}'}"
                               for word, score in column["answers"].items())
            read_on = column["answer_set_levels"] or column["answer_set"] or "your scores"
            print(f"      answers: {scores} (read on: {read_on})")
    for name, value in described["constants"].items():
        print(f"  (every row) -> {name} = {value}")
    validation = described.get("validation")
    if validation:
        print(f"{validation['rows_valid']:,} of {validation['rows_total']:,} rows valid;"
              f" {validation['problem_count']:,} problems")


def _print_problems(args, report) -> None:
    if args.json:
        return
    for line in problem_lines(report.problems, report.problem_count, args.lang):
        print("  " + line)


def _problem_dict(problem: RowProblem, language: str) -> dict:
    """A row problem for --json: its codes and values, and its words in the chosen language."""
    return {"row": problem.row, "column": problem.column, "value": problem.value, "code": problem.code,
            "fix_code": problem.fix_code, "values": problem.values,
            "problem": problem_text(problem, language), "fix": fix_text(problem, language),
            "message": problem_line(problem, language)}


def _status_word_lines(status_words, language: str) -> list[str]:
    """The complaints' status words with the handling step each was mapped to, and those mapped to none."""
    mapped = [translate("steps.word", language, word=word, step=translate(f"step.{step}", language),
                        rows=fmt_count(rows))
              for word, step, rows in status_words if step is not None]
    unmapped = [translate("steps.unmapped_word", language, word=word, rows=fmt_count(rows))
                for word, step, rows in status_words if step is None]
    lines = []
    if mapped:
        lines.append(translate("steps.mapped", language, words="; ".join(mapped)))
    if unmapped:
        lines.append(translate("steps.unmapped", language, n=len(unmapped), words="; ".join(unmapped)))
    return lines


def _tier_word_lines(tier_words, language: str) -> list[str]:
    """The tier words of a file with the tier each names, and those that name none."""
    # the import's words with their steps' pattern ("steps.word"): "tiers.word" is the page's column header
    mapped = [translate("steps.word", language, word=word, step=translate(f"tier.{tier}", language),
                        rows=fmt_count(rows))
              for word, tier, rows in tier_words if tier is not None]
    unmapped = [translate("steps.unmapped_word", language, word=word, rows=fmt_count(rows))
                for word, tier, rows in tier_words if tier is None]
    lines = []
    if mapped:
        lines.append(translate("tiers.mapped", language, words="; ".join(mapped)))
    if unmapped:
        lines.append(translate("tiers.unmapped", language, n=len(unmapped), words="; ".join(unmapped)))
    return lines


def _rule_text(rules: TierRules, tier: str) -> str:
    """'annual value >= 50000 or products held >= 5': what puts a customer in `tier`."""
    value, products = getattr(rules, f"{tier}_value"), getattr(rules, f"{tier}_products")
    parts = ([f"annual value >= {value:g}"] if value is not None else []) + (
        [f"products held >= {products:g}"] if products is not None else [])
    return " or ".join(parts) or "(no threshold)"


def cmd_tiers(args) -> int:
    given = {"key_value": args.key_value, "key_products": args.key_products, "core_value": args.core_value,
             "core_products": args.core_products}
    setting = any(v is not None for v in given.values())
    if setting and args.clear_rules:
        raise LoadError("--clear-rules and a rule flag say opposite things: give one or the other")
    words = dict(parse_word(pair) for pair in args.word)
    changed: dict[str, int] = {}
    con = connect(_db(args), create=False)
    try:
        if setting or args.clear_rules:
            changed = save_rules(con, TierRules(**given) if setting else TierRules())
        if words:
            for table, rows in save_words(con, words).items():
                changed[table] = changed.get(table, 0) + rows
        rules, counts, known = tier_rules(con), tier_counts(con), stored_words(con)
    finally:
        con.close()
    result = {"rules": rules.as_dict(), "words": [{"word": w, "tier": t, "rows": int(r)} for w, t, r in
                                                  known.itertuples(index=False)],
              "rows": {f"{source}.{tier}": int(rows) for source, tier, rows in counts.itertuples(index=False)},
              "changed": changed}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    if changed:
        print(f"tiers recomputed: {sum(changed.values()):,} rows changed")
    if rules.any:
        print(f"rules: key if {_rule_text(rules, 'key')}; core if {_rule_text(rules, 'core')}; else general")
    else:
        print("rules: none (rows without a tier word get no tier; set them with --key-value, --core-value, ...)")
    for word, tier, rows in known.itertuples(index=False):
        print(f"  {word} -> {tier or 'no tier (map it with --word WORD=TIER)'}  ({rows:,} rows)")
    for source, tier, rows in counts.itertuples(index=False):
        print(f"{source:16} {tier or 'no tier':8} {rows:>10,}")
    return 0


def cmd_themes(args) -> int:
    from store.themes import rename_theme, theme_list

    con = connect(_db(args), create=False)
    try:
        if args.rename:
            theme_id, label = args.rename
            if not theme_id.isdigit():
                raise LoadError(f"a theme's id is a number, as `python -m loaders themes` lists it, not {theme_id!r}")
            rename_theme(con, int(theme_id), label)
        themes = theme_list(con)
    finally:
        con.close()
    if not themes:
        print("no themes yet: they are found when texts are imported")
        return 0
    for theme_id, label, words, edited in themes:
        print(f"{theme_id:>3}  {label}" + (f"   (top words: {', '.join(words)})" if edited else ""))
    return 0


def cmd_history(args) -> int:
    from loaders.importer import history

    con = connect(_db(args), create=False)
    try:
        batches = history(con)
    finally:
        con.close()
    if batches.empty:
        print("no imports yet")
        return 0
    print(f"{'batch':8}  {'kind':17}  {'rows':>8}  {'skipped':>7}  {'imported at':16}  {'status':8}  file")
    for b in batches.itertuples():
        # a csv has no sheet: NULL, which pandas gives as NaN (true, and printed "[nan]")
        sheet = f" [{b.source_sheet}]" if isinstance(b.source_sheet, str) and b.source_sheet else ""
        print(f"{b.id[:8]:8}  {b.kind:17}  {b.rows_accepted:>8}  {b.rows_rejected:>7}  "
              f"{b.imported_at:%Y-%m-%d %H:%M}  {b.status:8}  {b.source_file}{sheet}")
    return 0


def cmd_undo(args) -> int:
    from loaders.importer import undo

    con = connect(_db(args), create=False)
    try:
        batch_id, kind, source_file, rows = undo(con, args.batch_id)
    finally:
        con.close()
    print(f"undone batch {batch_id} ({kind}, {rows} rows from {source_file})")
    return 0


def cmd_templates(args) -> int:
    from loaders.templates import write_templates

    for path in write_templates(Path(args.out)):
        print(f"wrote {path}")
    return 0


def cmd_set_passphrase(args) -> int:
    from loaders.access import clear_passphrase, set_passphrase

    if args.clear:
        con = connect(_db(args), create=False)
        try:
            clear_passphrase(con)
        finally:
            con.close()
        print(f"analyst passphrase removed from {_db(args)}: uploads are open to everyone")
        return 0
    passphrase = _read_passphrase()
    con = connect(_db(args))
    try:
        set_passphrase(con, passphrase)
    finally:
        con.close()
    print(f"analyst passphrase set in {_db(args)}; the upload page asks for it from now on")
    return 0


def _read_passphrase() -> str:
    """From a prompt (typed twice, not echoed) at a terminal, else the first line of stdin."""
    from loaders.access import AccessError

    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("new analyst passphrase: ")
        if getpass.getpass("again: ") != first:
            raise AccessError("the two passphrases differ; nothing was changed")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_save_lake_secret(args) -> int:
    from store.db import remove_lake_secret, save_lake_secret

    if args.remove:
        print(f"the lake's {args.kind} secret was removed" if remove_lake_secret(args.kind)
              else f"no lake {args.kind} secret was saved")
        return 0
    if args.kind == "postgres" and not (args.host and args.user):
        print("error: name the catalog's server and user: --host HOST --user USER", file=sys.stderr)
        return EXIT_INVALID
    if args.kind == "s3" and not args.key_id:
        print("error: name the access key: --key-id ID", file=sys.stderr)
        return EXIT_INVALID
    asked = f"password of {args.user} at {args.host}" if args.kind == "postgres" else "secret access key"
    if sys.stdin.isatty():
        import getpass

        hidden = getpass.getpass(asked + ": ")
    else:
        hidden = sys.stdin.readline().rstrip("\r\n")
    if args.kind == "postgres":
        save_lake_secret("postgres", host=args.host, port=args.port, user=args.user, password=hidden)
        saved, use = f"{args.user}@{args.host}:{args.port}", "a lake URL such as ducklake:postgres:dbname=feedback"
    else:
        save_lake_secret("s3", key_id=args.key_id, secret=hidden, region=args.region, endpoint=args.endpoint,
                         url_style=args.url_style, use_ssl=False if args.no_ssl else None)
        saved, use = f"the access key {args.key_id}", "a lake whose FEEDBACK_LAKE_DATA is s3://…"
    print(f"saved {saved} as your DuckDB {args.kind} secret (~/.duckdb/stored_secrets, readable by you"
          f" alone): {use} needs nothing else now")
    return 0


def cmd_migrate(args) -> int:
    from store.copy import migrate
    from store.db import masked

    copied = migrate(_db(args), args.target)
    for table, rows in copied.items():
        print(f"{table:20} {rows:>10} rows")
    summaries = [_summary(url) for url in (_db(args), args.target)]
    if not same_figures(*(json.loads(summary) for summary in summaries)):
        print("error: the summaries of the two stores differ:", *summaries, sep="\n", file=sys.stderr)
        return 1
    print(f"copied into {masked(args.target)}: every table's rows and the summary are equal;"
          " point FEEDBACK_DB at it")
    return 0


def _summary(url: str) -> str:
    """`python -m analytics summary --json` of a store, run as its own process (the loaders never
    import the analytics)."""
    done = subprocess.run([sys.executable, "-m", "analytics", "summary", "--json", "--db", url],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode:
        raise FeedbackError(f"the summary of the copy could not be computed: {done.stderr.strip()}")
    return done.stdout


def same_figures(first, second) -> bool:
    """Two summaries alike, their numbers to 1e-9 of each other: a sum over the same rows read in
    another order differs in its last bits. `as_of` (the moment the follow-up figures were judged
    at, each summary's own) is no figure of the store."""
    if isinstance(first, dict) and isinstance(second, dict):
        return first.keys() == second.keys() and all(same_figures(first[k], second[k]) for k in first
                                                      if k != "as_of")
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(same_figures(a, b) for a, b in zip(first, second))
    if isinstance(first, float) or isinstance(second, float):
        return isinstance(first, (int, float)) and isinstance(second, (int, float)) and \
            math.isclose(first, second, rel_tol=1e-9, abs_tol=1e-12)
    return first == second


def cmd_maintain(args) -> int:
    from store.copy import maintain

    done = maintain(_db(args))
    if not done:
        print("a DuckDB file needs no maintenance beyond the checkpoint just made")
    for what, count in done.items():
        print(f"{what.replace('_', ' ')}: {count}")
    return 0


def cmd_rescore(args) -> int:
    from loaders.learning import rescore_if_baseline_changed
    from store.sentiment_model import baseline_of_scores
    from text.sentiment import BASELINE_VERSION

    con = connect(_db(args), create=False)
    try:
        before = baseline_of_scores(con)
        done = rescore_if_baseline_changed(con)
    finally:
        con.close()
    if done is None:
        print(f"the stored texts are already scored with this version's baseline ({BASELINE_VERSION}): nothing to do")
        return 0
    earlier = f"baseline {before}" if before is not None else "a baseline older than its version's record"
    print(f"{done[0]} distinct texts scored again with baseline {BASELINE_VERSION} (they were scored with {earlier});"
          f" {done[1]} rows changed, the monthly tallies written again")
    return 0


def cmd_set_target(args) -> int:
    if args.clear == (args.value is not None):
        raise FeedbackError("give the target's value, or --clear to remove it")
    scope, subject = ("region", args.region) if args.region else ("branch", args.branch) if args.branch else ("all", None)
    con = connect(_db(args), create=False)
    try:
        set_target(con, args.metric, None if args.clear else args.value, scope, subject, who="python -m loaders")
    finally:
        con.close()
    whose = f" of {subject}" if subject else ""
    print(f"target{whose} for {args.metric} cleared" if args.clear else
          f"target{whose} for {args.metric} set to {args.value:g}; the tiles show the gap to it")
    return 0


def cmd_targets(args) -> int:
    con = connect(_db(args), create=False)
    try:
        book = targets(con)
    finally:
        con.close()
    if book.empty:
        print("no targets yet: `python -m loaders set-target METRIC VALUE` sets one")
    for row in book.itertuples(index=False):
        place = row.subject if isinstance(row.subject, str) else "the company"
        print(f"{row.metric:16} {written_value(row.metric, row.target):>8g}  {place}  (set {row.set_at:%Y-%m-%d %H:%M}"
              f"{' by ' + row.set_by if row.set_by else ''})")
    return 0


def cmd_alert_rules(args) -> int:
    if not args.rule and (args.on or args.off or args.threshold is not None):
        raise FeedbackError("name the rule to change: python -m loaders alert-rules RULE --on|--off|--threshold X")
    con = connect(_db(args), create=False)
    try:
        if args.rule and (args.on or args.off or args.threshold is not None):
            set_rule(con, args.rule, True if args.on else False if args.off else None, args.threshold,
                     who="python -m loaders")
        rules = alert_rules(con)
    finally:
        con.close()
    for rule in rules.values():
        print(f"{rule.name:18} {'on ' if rule.enabled else 'off'}  threshold {rule.threshold:g}")
    return 0


def cmd_check_alerts(args) -> int:
    con = connect(_db(args), create=False)
    try:
        run = checked_alerts(con, "python -m loaders check-alerts")
    finally:
        con.close()
    for row in run.new.itertuples(index=False):
        print(alert_sentence(row, args.lang))
    print(run_summary(run, args.lang))
    return 1 if run.problem else 0


COMMANDS = {"demo": cmd_demo, "import": cmd_import, "history": cmd_history, "undo": cmd_undo,
            "templates": cmd_templates, "set-passphrase": cmd_set_passphrase, "themes": cmd_themes,
            "tiers": cmd_tiers,
            "migrate": cmd_migrate, "maintain": cmd_maintain, "save-lake-secret": cmd_save_lake_secret,
            "rescore": cmd_rescore, "set-target": cmd_set_target, "targets": cmd_targets,
            "alert-rules": cmd_alert_rules, "check-alerts": cmd_check_alerts}

if __name__ == "__main__":
    run_command(main)
