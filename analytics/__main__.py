"""Command line for the dashboard's numbers: `python -m analytics summary --json`, and the monthly
review as a file: `python -m analytics report --month 2026-10 --out review.html` (or `--format pptx`
for a PowerPoint deck), and the polarity of texts on standard input:
`python -m analytics score-texts [--db PATH] [--lang auto|en|zh]`.

Opens the store read-only, calls the library, and turns our errors into one line on stderr and
exit code 1.
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
import sys
from datetime import date

from analytics.alerts import alerts_for
from analytics.filters import Filters
from analytics.stats import MIN_N
from analytics.summary import plain, significant, summary, summary_family, summary_period
from analytics.targets import period_figures, target_gaps, targets_in_force
from presentation.alerts import alert_records, target_records
from presentation.findings import marked, what_changed
from presentation.formats import fmt_period
from presentation.commands import run_command
from presentation.i18n import DEFAULT_LANGUAGE, LANGUAGES
from presentation.labels import DataLabels, labelled
from store.db import connect, default_db_path, masked, unreachable_store
from store.errors import FeedbackError
from store.labels import label_table
from store.sentiment_model import latest_model
from text.encoding import UndecodableText, text_lines
from text.labels import sentiment_label
from text.sentiment import polarities
from text.tiers import TIERS


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 by default; ours is 1
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(1)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date of the form YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description="The dashboard's numbers from the command line.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    cmd = commands.add_parser("summary", help="NPS, CSI, gaps, complaints and sentiment of a period")
    cmd.add_argument("--db", default=None, help="the DuckDB file (default: env FEEDBACK_DB, else data/feedback.duckdb)")
    cmd.add_argument("--from", dest="date_from", type=_day, help="first day, YYYY-MM-DD (default: the data's first)")
    cmd.add_argument("--to", dest="date_to", type=_day, help="last day, inclusive (default: the data's last)")
    cmd.add_argument("--branch", action="append", default=[], help="only this branch (repeatable)")
    cmd.add_argument("--region", action="append", default=[], help="only this region (repeatable)")
    cmd.add_argument("--tier", action="append", default=[], choices=TIERS,
                     help="only customers of this tier: key, core or general (repeatable)")
    cmd.add_argument("--sla-hours", type=float, default=24.0, help="complaint resolution SLA in hours (default 24)")
    cmd.add_argument("--min-n", type=int, default=MIN_N,
                     help=f"below this many responses a figure is too few to judge (default {MIN_N})")
    cmd.add_argument("--lang", choices=sorted(LANGUAGES), default=DEFAULT_LANGUAGE,
                     help="the language of the findings' sentences")
    cmd.add_argument("--json", action="store_true", help="print one JSON object")

    cmd = commands.add_parser("report", help="the monthly review as one self-contained, masked HTML file,"
                                             " or a PowerPoint deck")
    cmd.add_argument("--month", required=True, help="the month to review, YYYY-MM")
    cmd.add_argument("--db", default=None, help="the DuckDB file (default: env FEEDBACK_DB, else data/feedback.duckdb)")
    cmd.add_argument("--out", required=True, help="the file to write")
    cmd.add_argument("--format", choices=("html", "pptx"), default="html",
                     help="html: one self-contained page (default); pptx: one slide per section, native charts")
    cmd.add_argument("--lang", choices=sorted(LANGUAGES), default=DEFAULT_LANGUAGE, help="the report's language")
    cmd.add_argument("--branch", action="append", default=[], help="only this branch (repeatable)")
    cmd.add_argument("--region", action="append", default=[], help="only this region (repeatable)")
    cmd.add_argument("--tier", action="append", default=[], choices=TIERS,
                     help="only customers of this tier: key, core or general (repeatable)")

    cmd = commands.add_parser("score-texts", help="polarity in [-1, 1] of each line of standard input")
    cmd.add_argument("--db", default=None, help="a store whose learned sentiment model to use (default: the rule"
                                                " baseline alone)")
    cmd.add_argument("--lang", choices=("auto", "en", "zh"), default="auto",
                     help="the texts' language (default auto: by the share of CJK characters)")
    return parser


def _score_texts(args) -> int:
    # bytes, not sys.stdin's text: texts saved from Excel come as UTF-16 or GBK as often as UTF-8
    try:
        texts = text_lines(sys.stdin.buffer.read(), "standard input")
    except UndecodableText as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    try:
        model = None
        if args.db:
            con = connect(args.db, read_only=True, create=False)
            try:
                model = latest_model(con)
            finally:
                con.close()
        scores = polarities(texts, args.lang, model)
    except FeedbackError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    sys.stdout.write("".join(f"{polarity_line(score)}\n" for score in scores))
    return 0


def polarity_line(score: float) -> str:
    """A polarity as score-texts prints it: four decimals, unless rounding would move it across the
    neutral band's edge (0.050004 printed 0.0500 reads neutral, not positive); then every digit."""
    short = f"{score:.4f}"
    return short if sentiment_label(float(short)) == sentiment_label(score) else repr(float(score))


def _text(result: dict) -> str:
    nps, csi, complaints, sentiment = result["nps"], result["csi"], result["complaints"], result["sentiment"]

    def show(value, digits=1):
        return "–" if value is None else f"{value:.{digits}f}"

    low, high = nps["ci95"] or (None, None)
    few = ", too few to judge" if nps["too_few"] else ""

    return "\n".join([
        f"period      {result['period']['from']} – {result['period']['to']}",
        f"NPS         {show(nps['score'])} (95% CI {show(low)} to {show(high)}; n {nps['n']}{few})",
        f"CSI         {show(csi['score'])} ({csi['weights'] or 'no'} weights, n {csi['n']})",
        f"gap 5       {show(result['gaps']['gap5_overall'], 2)}",
        f"complaints  {complaints['n']}, median {show(complaints['median_hours_to_resolve'])} h to resolve",
        f"sentiment   {show(sentiment['mean'], 2)} (n {sentiment['n']})",
    ])


def _findings(con, filters: Filters, family, language: str) -> list[dict]:
    """The overview's marked findings, in its order, each with its sentence in `language`."""
    if family is None:
        return []
    _, previous = summary_period(con, filters)
    return [f.record() for f in marked(what_changed(family, language, fmt_period(previous, language)))]


def _report(args) -> int:
    from analytics.filters import data_range, month_filters, month_of
    from analytics.review import month_review
    from presentation.report import report_html
    from presentation.slides import review_pptx

    filters = Filters(branches=tuple(args.branch), regions=tuple(args.region), tiers=tuple(args.tier))
    try:
        month_filters(filters, args.month)  # a readable error for '2026-13' before the store is opened
        con = connect(args.db or default_db_path(), read_only=True, create=False)
        try:
            # the data's own labels in the report's language, as the review page shows them
            labels = DataLabels.from_frame(label_table(con))
            review = labelled(month_review(con, args.month, filters), labels, args.lang)
            first, last = data_range(con)
            if not review.has_data:
                page = None
            elif args.format == "pptx":
                page = review_pptx(review, args.lang, labels)
            else:
                page = report_html(review, args.lang, labels=labels).encode("utf-8")
        finally:
            con.close()
    except FeedbackError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # one readable line, as for the summary
        print(f"error: the report failed unexpectedly ({type(e).__name__}: {e})", file=sys.stderr)
        return 1
    if page is None:
        covers = f"the data covers {month_of(first)} – {month_of(last)}" if first else "the store is empty"
        print(f"error: no survey responses, NPS responses or complaints in {args.month} with these filters"
              f" ({covers})", file=sys.stderr)
        return 1
    try:
        with open(args.out, "wb") as out:
            out.write(page)
    except OSError as e:
        print(f"error: cannot write {args.out}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"wrote the review of {args.month} to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "report":
        return _report(args)
    if args.command == "score-texts":
        return _score_texts(args)
    if args.date_from and args.date_to and args.date_from > args.date_to:
        print(f"error: --from {args.date_from} is after --to {args.date_to}", file=sys.stderr)
        return 1
    if not args.sla_hours > 0:
        print(f"error: --sla-hours must be above 0, not {args.sla_hours}", file=sys.stderr)
        return 1
    if args.min_n < 1:
        print(f"error: --min-n must be at least 1, not {args.min_n}", file=sys.stderr)
        return 1
    filters = Filters(date_from=args.date_from, date_to=args.date_to,
                      branches=tuple(args.branch), regions=tuple(args.region), tiers=tuple(args.tier))
    try:
        con = connect(args.db or default_db_path(), read_only=True, create=False)
        try:
            family = summary_family(con, filters, args.min_n)
            result = summary(con, filters, sla_hours=args.sla_hours, min_n=args.min_n, family=family)
            result["findings"] = _findings(con, filters, family, args.lang)
            period, _ = summary_period(con, filters)
            result["alerts"] = plain(alert_records(alerts_for(con, period), args.lang))
            gaps = target_gaps(period_figures(con, period, args.sla_hours, args.min_n), targets_in_force(con, period))
            result["targets"] = plain(target_records(gaps))
        finally:
            con.close()
    except FeedbackError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # a bug still gets one readable line, not a traceback, on the analyst's screen
        failure = unreachable_store(e)  # a lake's catalog lost mid-command
        print(f"error: {failure}" if failure else
              masked(f"error: the summary failed unexpectedly ({type(e).__name__}: {e})"), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(significant(result), ensure_ascii=False, allow_nan=False))
    else:
        print(_text(result))
    return 0


if __name__ == "__main__":
    run_command(main)
