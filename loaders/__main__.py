"""Command line of the loaders: demo, import, history, undo, templates, set-passphrase, migrate, maintain.

Each command opens the store, calls one library function, and turns the dashboard's own errors
into a readable message and a non-zero exit code. Like app.py and `python -m analytics`, it is an
entry on top of every layer: it words the rows' problems with the upload page's own renderer
(presentation.problems), in English or Chinese.
"""
from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loaders.errors import ValidationError
from presentation.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from presentation.problems import problem_lines, refusal
from store.db import connect, default_db_path
from store.errors import FeedbackError

EXIT_INVALID = 2


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
    imp.add_argument("--skip-invalid", action="store_true",
                     help="import the valid rows and record the invalid ones with the batch")
    imp.add_argument("--db", default=None)
    imp.add_argument("--progress", action="store_true",
                     help="print each step (reading, validating, scoring sentiment, writing) to stderr"
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

    mig = commands.add_parser("migrate", help="copy every table of the store into a new or empty store"
                                              " (a DuckDB file into a lake, or back), checked")
    mig.add_argument("--to", required=True, dest="target",
                     help="the new store: a DuckDB file or ducklake:postgres:dbname=… host=…"
                          " (with FEEDBACK_LAKE_DATA naming its data folder)")
    mig.add_argument("--db", default=None, help="the store to copy (default: env FEEDBACK_DB or data/feedback.duckdb)")

    mnt = commands.add_parser("maintain", help="merge a lake's small files, expire week-old snapshots and"
                                               " delete the files no snapshot needs")
    mnt.add_argument("--db", default=None)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValidationError as e:
        print(f"error: {refusal(e, getattr(args, 'lang', DEFAULT_LANGUAGE))}", file=sys.stderr)
        return EXIT_INVALID
    except FeedbackError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


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
    finally:
        con.close()
    for result in results:
        print(f"imported {result.kind}: {result.rows_accepted} rows from {result.file_name}"
              f" (batch {result.batch_id[:8]})")
    print(f"demo store ready at {_db(args)}; spreadsheets in {folder}")
    return 0


def cmd_import(args) -> int:
    from loaders.importer import import_file

    started = time.perf_counter()

    def progress(_fraction: float, step: str) -> None:
        print(f"progress: {time.perf_counter() - started:.3f} s {step}", file=sys.stderr, flush=True)

    con = connect(_db(args))
    try:
        result = import_file(con, args.file, kind=args.kind, sheet=args.sheet,
                             skip_invalid=args.skip_invalid, progress=progress if args.progress else None)
    finally:
        con.close()
    where = f", sheet '{result.sheet}'" if result.sheet else ""
    extra = f", {result.ratings} ratings" if result.ratings else ""
    print(f"imported {result.kind}: {result.rows_accepted} rows{extra} from {result.file_name}{where}"
          f" as batch {result.batch_id}")
    if result.rows_rejected:
        print(translate("problems.skipped", args.lang, rows=f"{result.rows_rejected:,}"))
        for line in problem_lines(result.skipped, result.skipped_problems, args.lang):
            print("  " + line)
    return 0


def cmd_history(args) -> int:
    from loaders.importer import history

    con = connect(_db(args), read_only=False)
    try:
        batches = history(con)
    finally:
        con.close()
    if batches.empty:
        print("no imports yet")
        return 0
    print(f"{'batch':8}  {'kind':17}  {'rows':>8}  {'skipped':>7}  {'imported at':16}  {'status':8}  file")
    for b in batches.itertuples():
        sheet = f" [{b.source_sheet}]" if b.source_sheet else ""
        print(f"{b.id[:8]:8}  {b.kind:17}  {b.rows_accepted:>8}  {b.rows_rejected:>7}  "
              f"{b.imported_at:%Y-%m-%d %H:%M}  {b.status:8}  {b.source_file}{sheet}")
    return 0


def cmd_undo(args) -> int:
    from loaders.importer import undo

    con = connect(_db(args))
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
        con = connect(_db(args))
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
    another order differs in its last bits."""
    if isinstance(first, dict) and isinstance(second, dict):
        return first.keys() == second.keys() and all(same_figures(first[k], second[k]) for k in first)
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


COMMANDS = {"demo": cmd_demo, "import": cmd_import, "history": cmd_history, "undo": cmd_undo,
            "templates": cmd_templates, "set-passphrase": cmd_set_passphrase, "migrate": cmd_migrate,
            "maintain": cmd_maintain}

if __name__ == "__main__":
    sys.exit(main())
