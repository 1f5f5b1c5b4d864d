"""The benchmark's steps, each run by bench/run.py in a process of its own.

`python -m bench.steps STEP JSON` runs one step with the JSON object as its arguments and prints
one JSON object (its own measurements) as the last line of stdout. The ingest steps need no code
here: they are `python -m loaders import`, exactly as analysts run it.
"""
from __future__ import annotations

import contextvars
import importlib
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

# The full scale of issue 8; --scale multiplies every count.
FULL_SURVEY = 1_000_000
FULL_NPS = 1_000_000
FULL_COMPLAINTS = 200_000
XLSX_SHARE = 0.1              # the xlsx holds every tenth survey response: 100,000 at full scale
SERVQUAL_SHARE = 0.1          # paired SERVQUAL items for 100,000 of the million
FULL_ENGLISH_TEXTS = 100_000  # distinct comments scored for the sentiment rates
FULL_CHINESE_TEXTS = 20_000
MIN_TEXTS = 4_000             # English texts at the least (the smoke test); both cores are used
MIN_CHINESE_TEXTS = 1_000     # Chinese is several times slower per text
TRAINING_LABELS = 100_000     # labelled comments the learned model is trained on for its time
# The branch filter of the "branch" variant: the demo's declining branch.
FILTER_BRANCH = "Guangzhou Tianhe"
# The tier filter of the "tier" variant: key customers, the fewest.
FILTER_TIER = "key"


def _now() -> float:
    return time.perf_counter()


def percentile(values: list[float], share: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def timing_summary(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"p50_ms": round(percentile(ms, 0.5), 2), "p95_ms": round(percentile(ms, 0.95), 2),
            "min_ms": round(min(ms), 2), "runs": len(ms)}


# --- generate --------------------------------------------------------------------------------

def _write_workbook(path: Path, sheets: dict) -> None:
    """An xlsx as Excel users send it: dates as dates, blank cells empty (openpyxl, write-only)."""
    import pandas as pd
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, frame in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(list(frame.columns))
        columns = []
        for name in frame.columns:
            series = frame[name]
            if pd.api.types.is_datetime64_any_dtype(series):
                values = [None if pd.isna(v) else v.date() for v in series]
            else:
                values = [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v)
                          for v in series.astype(object)]
            columns.append(values)
        for row in zip(*columns):
            sheet.append(row)
    workbook.save(path)


def month_parts(months: list[tuple[str, int]], limit: int) -> list[list[str]]:
    """Whole months, in order, gathered into parts of at most `limit` rows each, as an analyst splits
    an export that is over the loaders' row limit (loaders/bounds.MAX_ROWS): a part takes the next
    month while it still fits. `months` is (month, rows) in the file's order."""
    parts: list[list[str]] = []
    rows = 0
    for month, n in months:
        if n > limit:
            raise ValueError(f"{month} alone has {n:,} rows, over the {limit:,} a file may hold")
        if parts and rows + n <= limit:
            parts[-1].append(month)
            rows += n
        else:
            parts.append([month])
            rows = n
    return parts


def _write_parts(frame, name: str, folder: Path, limit: int, write) -> list[Path]:
    """`frame` written by `write(frame, path)` as one file, or, over `limit` rows, as parts of whole
    months (by its first date column) named survey.part1.csv, survey.part2.csv, ..."""
    if len(frame) <= limit:
        write(frame, folder / name)
        return [folder / name]
    date_column = next(c for c in frame.columns if str(frame[c].dtype).startswith("datetime64"))
    month = frame[date_column].dt.strftime("%Y-%m")
    counts = month.value_counts(sort=False)
    ordered = sorted(counts.items())
    stem, suffix = name.rsplit(".", 1)
    paths = []
    for k, months in enumerate(month_parts([(m, int(n)) for m, n in ordered], limit), start=1):
        path = folder / f"{stem}.part{k}.{suffix}"
        write(frame[month.isin(months)], path)
        paths.append(path)
    return paths


def step_generate(args: dict) -> dict:
    from loaders.demo import generate

    scale, folder = float(args["scale"]), Path(args["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"survey": max(200, round(FULL_SURVEY * scale)), "nps": max(200, round(FULL_NPS * scale)),
              "complaints": max(100, round(FULL_COMPLAINTS * scale))}
    started = _now()
    demo = generate(responses=counts["survey"], nps_responses=counts["nps"], complaints=counts["complaints"],
                    servqual_share=SERVQUAL_SHARE, seed=int(args.get("seed", 7)))
    generated = _now() - started
    # `split_rows`: the csvs over that many rows are written as parts of whole months (issue 24's
    # ten million responses, over the loaders' row limit); `xlsx: false` leaves the survey's workbook
    # out (at ten million its tenth is a million rows, which only the full run's xlsx step reads)
    limit = int(args.get("split_rows") or 0) or None
    with_xlsx = args.get("xlsx", True)
    names = ("survey.csv", "survey.xlsx", "nps.csv", "complaints.csv", "management.xlsx", "standards.csv")
    files = {name: folder / name for name in names if with_xlsx or name != "survey.xlsx"}
    parts: dict[str, list[Path]] = {}
    # The formats analysts send: a survey saved as "CSV UTF-8", the NPS export of a Chinese
    # Windows Excel (GBK, CRLF), the complaint log as UTF-8 with a byte-order mark.
    writers = {
        "survey.csv": (demo.survey_responses,
                       lambda frame, path: frame.to_csv(path, index=False, date_format="%Y-%m-%d")),
        "nps.csv": (demo.nps, lambda frame, path: frame.to_csv(path, index=False, encoding="gbk", lineterminator="\r\n",
                                                               date_format="%Y-%m-%d")),
        "complaints.csv": (demo.complaints,
                           lambda frame, path: frame.to_csv(path, index=False, encoding="utf-8-sig",
                                                            lineterminator="\r\n", date_format="%Y-%m-%d %H:%M")),
    }
    for name, (frame, write) in writers.items():
        if limit is None:
            write(frame, files[name])
        else:
            parts[name] = _write_parts(frame, name, folder, limit, write)
            if parts[name] != [files[name]]:
                del files[name]
    if with_xlsx:
        sample = demo.survey_responses.iloc[::round(1 / XLSX_SHARE)]
        _write_workbook(files["survey.xlsx"], {"Responses": sample, "Questions": demo.survey_questions})
    _write_workbook(files["management.xlsx"], {"Estimates": demo.management})
    demo.standards.to_csv(files["standards.csv"], index=False, encoding="utf-8", float_format="%g")

    survey = demo.survey_responses
    rating_columns = [c for c in survey.columns if c[:1] in "AIEP" and c[1:2] in "0_"]
    cells = int(survey[rating_columns].notna().sum().sum())
    not_applicable = int((survey[[c for c in rating_columns if c.startswith("A")]] == 0).sum().sum())
    return {
        "rows": counts["survey"] + counts["nps"] + counts["complaints"],
        "generate_seconds": round(generated, 3),
        "files": {name: str(path) for name, path in files.items()},
        "file_mb": {name: round(path.stat().st_size / 2 ** 20, 1) for name, path in files.items()},
        "parts": {name: [{"file": str(path), "rows": _data_rows(path), "mb": round(path.stat().st_size / 2 ** 20, 1)}
                         for path in paths] for name, paths in parts.items()},
        "data": {
            "survey_responses": len(survey),
            "attribute_ratings": int(survey[[f"A{i:02d}" for i in range(1, 11)]].notna().sum().sum())
            - not_applicable,
            "rating_cells": cells,
            "survey_ratings_stored": cells - not_applicable,
            "importance_share": round(float(survey["I_A01"].notna().mean()), 4),
            "servqual_respondents": int(survey["P_S01"].notna().sum()),
            "survey_comments": int(survey["Comment"].notna().sum()),
            "xlsx_rows": len(sample) if with_xlsx else 0,
            "nps_responses": len(demo.nps),
            "complaints": len(demo.complaints),
        },
    }


def _data_rows(path: Path) -> int:
    """A generated csv's rows (its lines but the header; the generator writes no line breaks in a cell)."""
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(2 ** 24), b"")) - 1


# --- the limit -------------------------------------------------------------------------------

def step_limit(args: dict) -> dict:
    """The same csv by plain DuckDB read_csv into a table of a fresh database file, as an analyst's
    script writes it: the path in the SQL. Not bound as a parameter: DuckDB's client imports pandas
    to look at the first value bound (it compares it with pandas' NaT and NA), a start-up the plain
    script does not pay, and the peer would be slower than the one the floor means."""
    import duckdb

    started = _now()
    con = duckdb.connect(args["db"])
    con.execute("CREATE TABLE survey AS SELECT * FROM read_csv('" + str(args["csv"]).replace("'", "''") + "')")
    rows = con.execute("SELECT count(*) FROM survey").fetchone()[0]
    con.close()
    return {"rows": rows, "inner_seconds": round(_now() - started, 3)}


# --- whole processes (issue 24) ---------------------------------------------------------------

# An analyst's own NPS export, not the demo generator's: four columns, a million rows by default.
WHOLE_NPS_ROWS = 1_000_000
WHOLE_NPS_BRANCHES = 40


def step_nps_csv(args: dict) -> dict:
    """An independent NPS csv: response_id, date (two years), branch, nps score (0-10), from a seed."""
    import duckdb

    rows, path = int(args.get("rows", WHOLE_NPS_ROWS)), Path(args["csv"])
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SELECT setseed(?)", [float(args.get("seed", 0.24))])
    # single-threaded, so that the seed gives the same file every time
    con.execute("SET threads = 1")
    con.execute(
        "COPY (SELECT 'N' || lpad(CAST(i AS VARCHAR), 7, '0') AS response_id,"
        " DATE '2024-01-01' + CAST(floor(random() * 730) AS INTEGER) AS date,"
        " 'Branch ' || CAST(1 + CAST(floor(random() * ?) AS INTEGER) AS VARCHAR) AS branch,"
        " CAST(least(10, greatest(0, round(7.5 + 2.2 * sqrt(-2 * ln(random() + 1e-12)) * cos(2 * pi() * random()))))"
        " AS INTEGER) AS \"nps score\" FROM range(1, ? + 1) t(i)) TO '" + str(path).replace("'", "''")
        + "' (HEADER, DELIMITER ',')", [WHOLE_NPS_BRANCHES, rows])
    con.close()
    return {"rows": rows, "file_mb": round(path.stat().st_size / 2 ** 20, 1)}


def step_peer_nps_script(args: dict) -> dict:
    """The analyst's pandas script: read the csv, NPS and its monthly trend (promoters 9-10, detractors
    0-6, DESIGN.md), printed. Its whole process is the peer of `python -m analytics summary --json`."""
    import pandas as pd

    frame = pd.read_csv(args["csv"], parse_dates=["date"])
    score = frame["nps score"]
    promoter, detractor = (score >= 9).astype(int), (score <= 6).astype(int)
    month = frame["date"].dt.strftime("%Y-%m")
    monthly = pd.DataFrame({"month": month, "promoter": promoter, "detractor": detractor}).groupby("month").mean()
    trend = {m: round(100 * (p - d), 4) for m, p, d in monthly.itertuples(name=None)}
    return {"rows": len(frame), "nps": round(100 * (promoter.mean() - detractor.mean()), 4), "n": int(score.count()),
            "by_month": trend}


def whole_process_pair(ours: list[float], peer: list[float], limit: float, strictly_below: bool = False) -> dict:
    """Ours against the peer, run in turn: every run's seconds, the ratio ours/peer of each pair, their
    median (the figure a floor is judged on: it holds when the machine's speed drifts between pairs)
    and the verdict against `limit` (ratio <= limit, or < limit when `strictly_below`)."""
    ratios = [a / b for a, b in zip(ours, peer)]
    ratio = percentile(ratios, 0.5)
    return {"ours_seconds": [round(s, 3) for s in ours], "peer_seconds": [round(s, 3) for s in peer],
            "ours_median_s": round(percentile(ours, 0.5), 3), "peer_median_s": round(percentile(peer, 0.5), 3),
            "ratios": [round(r, 3) for r in ratios], "ratio": round(ratio, 3),
            "limit": f"{'<' if strictly_below else '<='} {limit:g}",
            "met": ratio < limit if strictly_below else ratio <= limit}


# --- sentiment -------------------------------------------------------------------------------

def _rate(texts: list[str], workers: int | None, model=None) -> dict:
    from text.sentiment import score_texts

    started = _now()
    scored = score_texts(texts, workers=workers, parallel_from=2 if workers != 1 else 10 ** 12, model=model)
    seconds = _now() - started
    assert len(scored) == len(set(texts))
    return {"texts": len(texts), "seconds": round(seconds, 3), "per_s": round(len(texts) / seconds, 1)}


def _reference_rate(texts: list[str], score) -> dict:
    """The reference scorers (TextBlob, SnowNLP, exact and faster than the packages) on one core."""
    started = _now()
    for text in texts:
        score(text)
    seconds = _now() - started
    return {"texts": len(texts), "seconds": round(seconds, 3), "per_s": round(len(texts) / seconds, 1)}


def _learned_model(english: list[str], chinese: list[str]):
    """A model learned from the texts labelled by the baseline's sign: the time it takes and what it
    scores are what matter here, not what it learned."""
    from text.learned import fit_learned
    from text.sentiment import baseline_polarities

    texts, languages, labels = [], [], []
    for language, chosen in (("en", english), ("zh", chinese)):
        signs = baseline_polarities(language, chosen) > 0
        texts += chosen
        languages += [language] * len(chosen)
        labels += [int(sign) for sign in signs]
    started = _now()
    model = fit_learned(texts, languages, labels, [1] * len(texts), baseline_polarities)
    return model, {"labels": len(texts), "english": len(english), "chinese": len(chinese),
                   "seconds": round(_now() - started, 3)}


def step_sentiment(args: dict) -> dict:
    """Comments per second on distinct texts, baseline and learned, both cores and one; training at
    100k labelled comments; the references; the demo mix's repeats counted."""
    import os

    import duckdb

    from loaders.demo import distinct_texts
    from text.chinese_sentiment import positive_probability
    from text.english_sentiment import english_polarity as textblob_polarity
    from text.sentiment import detect_language

    scale = float(args["scale"])
    english = distinct_texts(max(MIN_TEXTS, round(FULL_ENGLISH_TEXTS * scale)), "en")
    chinese = distinct_texts(max(MIN_CHINESE_TEXTS, round(FULL_CHINESE_TEXTS * scale)), "zh")
    result = {"cores": os.cpu_count(), "english": _rate(english, None), "chinese": _rate(chinese, None)}
    result["chinese_one_core"] = _rate(chinese[: len(chinese) // 4], 1)
    # One core on a quarter of the texts: what the process pool adds.
    result["english_one_core"] = _rate(english[: len(english) // 4], 1)
    # Training at 100k labelled comments (half each language; fewer in a smoke run), then the
    # learned model's rates on texts it did not learn from.
    half = max(MIN_CHINESE_TEXTS, round(TRAINING_LABELS * scale)) // 2
    model, result["training"] = _learned_model(distinct_texts(half, "en", seed=11), distinct_texts(half, "zh", seed=11))
    result["learned_english"] = _rate(english, None, model)
    result["learned_chinese"] = _rate(chinese, None, model)
    result["reference_textblob_one_core"] = _reference_rate(english[:2000], textblob_polarity)
    result["reference_snownlp_one_core"] = _reference_rate(chinese[:500], positive_probability)

    # The demo mix: the survey file's comments, many of them the same templated sentence.
    con = duckdb.connect()
    counts = con.execute(
        "SELECT \"Comment\" AS text, count(*) AS n FROM read_csv(?, all_varchar = true)"
        " WHERE \"Comment\" IS NOT NULL AND trim(\"Comment\") <> '' GROUP BY 1", [args["csv"]]).fetchall()
    con.close()
    by_language: dict[str, dict[str, int]] = {}
    for text, n in counts:
        language = detect_language(text) or "none"
        entry = by_language.setdefault(language, {"comments": 0, "distinct": 0})
        entry["comments"] += n
        entry["distinct"] += 1
    result["demo_mix"] = {
        "comments": sum(e["comments"] for e in by_language.values()),
        "distinct": sum(e["distinct"] for e in by_language.values()),
        "by_language": by_language,
    }
    result["rows"] = len(english) + len(chinese)
    return result


# --- the peer: pandas reading -------------------------------------------------------------------

def step_peer_read_csv(args: dict) -> dict:
    import pandas as pd

    started = _now()
    frame = pd.read_csv(args["csv"])
    return {"rows": len(frame), "inner_seconds": round(_now() - started, 3)}


def step_peer_read_xlsx(args: dict) -> dict:
    import pandas as pd

    started = _now()
    frame = pd.read_excel(args["xlsx"], engine="openpyxl")
    return {"rows": len(frame), "inner_seconds": round(_now() - started, 3)}


# --- queries ---------------------------------------------------------------------------------

def variants(con, only: list[str] | None = None) -> dict:
    """The selections pages are timed on: current, previous and trend per variant.

    month: what a page opens on, the latest full month of data against the month before, no other
    filter (the issue's "no filter"); month_branch: the same for one branch ("a branch filter");
    all_time: a custom period over the whole range of the data, against the equally long period
    before it (empty), the heaviest a manager can ask for; month_tier: the month for key customers.
    """
    from analytics.filters import (
        Filters, month_filters, previous_period, resolve_period, same_period_last_year, trend_window
    )

    whole = resolve_period(con, Filters())
    chosen = {}
    if whole.date_to is not None:
        last = whole.date_to
        month = month_filters(Filters(), last.strftime("%Y-%m"))
        if month.date_to != last:  # the last month is not over: take the one before
            month = previous_period(month)
        chosen["month"] = month
        chosen["month_branch"] = replace(month, branches=(FILTER_BRANCH,))
        chosen["all_time"] = whole
        chosen["month_tier"] = replace(month, tiers=(FILTER_TIER,))
    result = {}
    for name, current in chosen.items():
        if only and name not in only:
            continue
        result[name] = {"name": name, "current": current, "previous": previous_period(current),
                        "last_year": same_period_last_year(current), "trend": trend_window(current)}
    return result


def resolve(path: str):
    """The function a recorded call names ('analytics.nps.nps_change')."""
    module_name, _, function_name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), function_name)


def variant_url(selection: dict) -> dict[str, str]:
    """The dashboard's URL that opens a page on a variant's selection."""
    current = selection["current"]
    if selection["name"] == "all_time":
        url = {"from": current.date_from.isoformat(), "to": current.date_to.isoformat()}
    else:
        url = {"month": current.date_from.strftime("%Y-%m")}
    if current.branches:
        url["branch"] = current.branches[0]
    if current.tiers:
        url["tier"] = current.tiers[0]
    return url


def headline(con, current) -> dict:
    """A few numbers the peer must reproduce, so its speed is compared on the same results."""
    from analytics.complaints import cause_pareto, complaint_counts
    from analytics.csi import csi_score
    from analytics.gaps import gap5
    from analytics.nps import nps_score
    from analytics.sentiment import sentiment_summary

    pareto = cause_pareto(con, current)
    return {
        "nps": nps_score(con, current).score,
        "csi": csi_score(con, current).score,
        "gap5": gap5(con, current).overall,
        "sentiment_mean": sentiment_summary(con, current).mean,
        "complaints": complaint_counts(con, current).n,
        "top_cause_count": int(pareto["count"].iloc[0]) if len(pareto) else None,
    }


def step_queries(args: dict) -> dict:
    """Every analytics call of every page, p50/p95 over repeated renders, per filter variant.

    The calls are recorded by running each page with AppTest at the variant's URL (bench/page_calls),
    which also warms DuckDB's buffers; p50/p95 are over the renders after that, timed by calling the
    same functions with the same arguments on the dashboard's connection, the calls a page asks for
    together two at a time as it does (render). Nothing is cached between renders (the dashboard
    caches per data version; the first render after an import pays this).
    """
    from bench.page_calls import record
    from store.db import connect

    # the app's configuration, so the recorder's dashboard and these timings share one database
    con = connect(args["db"])
    reps = int(args["reps"])
    chosen = variants(con, args.get("variants"))
    report: dict = {}
    checks: dict = {}
    recorded: dict = {}
    started = _now()
    for variant, selection in chosen.items():
        checks[variant] = headline(con, selection["current"])
        url = variant_url(selection)
        record_started = _now()
        pages = {page: [(path, resolve(path), call_args, kwargs, group) for path, call_args, kwargs, group in calls]
                 for page, calls in record(Path(args["db"]), url).items()}
        recorded[variant] = {"url": url, "seconds": round(_now() - record_started, 3)}
        totals = {page: [] for page in pages}
        per_call = {page: [[] for _ in calls] for page, calls in pages.items()}
        with ThreadPoolExecutor(max_workers=2) as pool:
            for _ in range(reps):
                for page, calls in pages.items():
                    page_started = _now()
                    for i, seconds in enumerate(render(con, calls, pool)):
                        per_call[page][i].append(seconds)
                    totals[page].append(_now() - page_started)
        for page, calls in pages.items():
            entry = {**timing_summary(totals[page]), "calls": []}
            for i, (path, _, call_args, kwargs, group) in enumerate(calls):
                entry["calls"].append({"call": _describe(path, call_args, kwargs), "together": group,
                                       **timing_summary(per_call[page][i])})
            report.setdefault(page, {})[variant] = entry
    con.close()
    return {"rows": None, "inner_seconds": round(_now() - started, 3), "reps": reps, "pages": report,
            "headline": checks, "recorded": recorded,
            "variants": {v: {k: _plain_filters(s[k]) for k in ("current", "previous", "last_year", "trend")}
                         for v, s in chosen.items()}}


def render(con, calls: list[tuple], pool: ThreadPoolExecutor) -> list[float]:
    """One render's analytics: each call's seconds, the calls made in order as the page makes them,
    the calls of one load_all group two at a time (pages._common.load_all), each on its own cursor."""
    from analytics.memo import shared_results
    from store.db import cursor as store_cursor
    from store.db import reading

    seconds = [0.0] * len(calls)

    def timed(i: int) -> None:
        _, function, call_args, kwargs, _ = calls[i]
        cursor = store_cursor(con)
        started = _now()
        try:
            # as pages._common._cached runs it: one read transaction per call
            with reading(cursor):
                function(cursor, *call_args, **kwargs)
        finally:
            seconds[i] = _now() - started
            cursor.close()

    i = 0
    while i < len(calls):
        group, end = calls[i][4], i + 1
        while group is not None and end < len(calls) and calls[end][4] == group:
            end += 1
        if end - i > 1:
            with shared_results():  # one memo per load_all, as the page has it
                futures = [pool.submit(contextvars.copy_context().run, timed, k) for k in range(i, end)]
                for future in futures:
                    future.result()
        else:
            timed(i)
        i = end
    return seconds


def _describe(path: str, args: tuple, kwargs: dict) -> str:
    shown = [a if isinstance(a, str) else repr(a) for a in args]
    shown += [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{path.rsplit('.', 1)[-1]}({', '.join(shown)})"


def _plain_filters(filters) -> dict | None:
    if filters is None:
        return None
    return {k: (v.isoformat() if isinstance(v, (date, datetime)) else list(v) if isinstance(v, tuple) else v)
            for k, v in filters.__dict__.items() if v not in ((), None)}


# --- the same pages on a DuckLake with its catalog in PostgreSQL -----------------------------------

# The selections of whole months (variants): the lake's floor is for what managers open every day.
WHOLE_MONTH_VARIANTS = ("month", "month_branch", "month_tier")


def compare_stores(file_seconds: list[float], lake_seconds: list[float]) -> dict:
    """One page's renders on both stores: each store's timing_summary and the lake's p50 and p95 over
    the file's."""
    on_file, on_lake = timing_summary(file_seconds), timing_summary(lake_seconds)
    return {"file": on_file, "lake": on_lake,
            "lake_over_file_p50": round(on_lake["p50_ms"] / on_file["p50_ms"], 2) if on_file["p50_ms"] else None,
            "lake_over_file_p95": round(on_lake["p95_ms"] / on_file["p95_ms"], 2) if on_file["p95_ms"] else None}


def _close(a, b) -> bool:
    # the stores sum in different orders: equal up to the last digits of a float
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


def step_lake_queries(args: dict) -> dict:
    """Every page's analytics on the file store and on the same rows moved to a PostgreSQL lake.

    A throw-away PostgreSQL cluster (bench/postgres.py) holds the catalog; `python -m loaders migrate`
    copies the store into it as an operator would. The calls are recorded once per variant on the
    file (bench/page_calls); each render then runs them on the file and on the lake in turn, so both
    meet the same moments of a busy machine. Without PostgreSQL's programs the step says so and
    measures nothing.
    """
    from bench.page_calls import record
    from bench.postgres import NOT_INSTALLED, Cluster, installed_bin
    from store.db import connect

    if installed_bin() is None:
        return {"rows": None, "skipped": NOT_INSTALLED}
    reps = int(args["reps"])
    lake_data = Path(args["folder"]) / "lake-data"
    cluster = Cluster().start()
    try:
        url = cluster.lake_url()
        env = {**os.environ, "FEEDBACK_LAKE_DATA": str(lake_data)}
        started = _now()
        moved = subprocess.run([sys.executable, "-m", "loaders", "migrate", "--db", args["db"], "--to", url],
                               cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
        migrate_seconds = _now() - started
        if moved.returncode:
            raise RuntimeError(f"`python -m loaders migrate` failed with code {moved.returncode}:"
                               f" {(moved.stderr or moved.stdout)[-3000:]}")
        on_file, on_lake = connect(args["db"]), connect(url)
        try:
            chosen = variants(on_file, args.get("variants") or list(WHOLE_MONTH_VARIANTS))
            report: dict = {}
            with ThreadPoolExecutor(max_workers=2) as pool:
                for variant, selection in chosen.items():
                    pages = {page: [(path, resolve(path), call_args, kwargs, group)
                                    for path, call_args, kwargs, group in calls]
                             for page, calls in record(Path(args["db"]), variant_url(selection)).items()}
                    times = {page: {"file": [], "lake": []} for page in pages}
                    # one render first on each, to warm both stores' caches as the recording warmed the file's
                    for rep in range(reps + 1):
                        for page, calls in pages.items():
                            for store, con in (("file", on_file), ("lake", on_lake)):
                                page_started = _now()
                                render(con, calls, pool)
                                if rep:
                                    times[page][store].append(_now() - page_started)
                    for page, measured in times.items():
                        report.setdefault(page, {})[variant] = {
                            **compare_stores(measured["file"], measured["lake"]), "calls": len(pages[page])}
            same = None
            if "month" in chosen:
                ours, theirs = (headline(con, chosen["month"]["current"]) for con in (on_file, on_lake))
                same = {name: _close(value, theirs[name]) for name, value in ours.items()}
        finally:
            on_file.close()
            on_lake.close()
    finally:
        cluster.stop()
    return {"rows": None, "migrate_seconds": round(migrate_seconds, 3), "reps": reps, "pages": report,
            "headline_equal": same}


# --- the peer: pandas on every rerun --------------------------------------------------------------

def step_peer_queries(args: dict) -> dict:
    from bench import peer
    from store.db import connect

    started = _now()
    frames, read_seconds = peer.load(args["files"])
    load_seconds = _now() - started
    con = connect(args["db"], read_only=True)
    peer.attach_sentiment(frames, con)
    chosen = variants(con, args.get("variants"))
    con.close()
    reps = int(args["reps"])
    report: dict = {}
    checks: dict = {}
    for variant, selection in chosen.items():
        checks[variant] = peer.headline(frames, selection["current"])
        totals = {page: [] for page in peer.PAGES}
        for _ in range(reps + 1):
            for page, render in peer.PAGES.items():
                page_started = _now()
                render(frames, selection)
                totals[page].append(_now() - page_started)
        for page in peer.PAGES:
            computed = timing_summary(totals[page][1:])
            reading = sum(read_seconds[name] for name in peer.PAGE_FILES[page]) * 1000
            # an uncached script reads its files again on every rerun, then computes
            report.setdefault(page, {})[variant] = {
                "first_ms": round(totals[page][0] * 1000, 2), **computed,
                "read_ms": round(reading, 2), "rerun_p50_ms": round(reading + computed["p50_ms"], 2)}
    return {"rows": sum(len(f) for f in frames.values() if hasattr(f, "__len__")),
            "load_seconds": round(load_seconds, 3), "read_seconds": {k: round(v, 3) for k, v in read_seconds.items()},
            "reps": reps, "pages": report, "headline": checks}


# --- the page in a browser --------------------------------------------------------------------------

def step_page(args: dict) -> dict:
    from bench import browser

    timing = browser.time_pages_quickly if args.get("quick") else browser.time_pages
    return timing(Path(args["db"]), timeout=float(args.get("timeout", 60)))


STEPS = {"generate": step_generate, "limit": step_limit, "sentiment": step_sentiment,
         "nps_csv": step_nps_csv, "peer_nps_script": step_peer_nps_script,
         "peer_read_csv": step_peer_read_csv, "peer_read_xlsx": step_peer_read_xlsx,
         "queries": step_queries, "lake_queries": step_lake_queries, "peer_queries": step_peer_queries, "page": step_page}


def main(argv: list[str]) -> int:
    step, arguments = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    result = STEPS[step](arguments)
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
