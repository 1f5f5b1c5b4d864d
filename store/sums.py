"""The monthly sums' definitions: which columns each table is filtered on, what a row adds to its
table's tally, and the SQL that writes a batch's tally. One place for each, read by the loaders
(who write the sums at import) and the analytics (who read them)."""
from __future__ import annotations

from dataclasses import dataclass, field

from text.labels import NEGATIVE_BELOW, POSITIVE_ABOVE


@dataclass(frozen=True)
class TableColumns:
    date: str
    columns: dict[str, str] = field(default_factory=dict)  # Filters field -> column of the table


_COMMON = {"regions": "region", "branches": "branch", "channels": "channel",
           "segments": "segment", "products": "product", "tiers": "tier"}

TABLES: dict[str, TableColumns] = {
    "survey_response": TableColumns("responded_at", dict(_COMMON)),
    "nps_response": TableColumns("responded_at", {**_COMMON, "touchpoints": "touchpoint"}),
    "complaint": TableColumns("received_at", dict(_COMMON)),
}


# -- tallies ------------------------------------------------------------------------------------
# A tally holds, per import, month and value of every filter column of its table, the sums of some
# per-row measures (an NPS response's promoter 1 or 0, a text's sentiment and its square, ...). Its
# date column keeps the table's name and holds the month's first instant, so where_sql selects the
# same months from it as from the rows when a selection is whole months: a metric then sums a few
# thousand tally rows instead of a million. The loaders write a batch's tally in its import.
TALLIES = {"survey_response": "survey_tally", "nps_response": "nps_tally", "complaint": "complaint_tally"}


def tally_sql(table: str, measures: dict[str, str], *, every_batch: bool = False,
              rows: str | None = None) -> tuple[str, str]:
    """(columns, SELECT) of `table`'s tally rows: batch $batch's, or every batch's. `rows`: a relation
    of the batch's rows with `table`'s columns (an import passes the rows it writes, since rows
    written in the open transaction are read back much more slowly)."""
    spec = TABLES[table]
    keys = [*spec.columns.values()]
    columns = ["batch_id", spec.date, *keys, *measures]
    source = f" FROM {rows} AS r" if rows is not None else \
        f" FROM {table}" + ("" if every_batch else " WHERE batch_id = $batch")
    batch = "$batch::UUID" if rows is not None else "batch_id"
    select = (f"SELECT {batch}, date_trunc('month', {spec.date}), {', '.join(keys)}, "
              + ", ".join(f"sum({expression})" for expression in measures.values())
              + source + " GROUP BY ALL")
    return ", ".join(columns), select


def month_key_sql(column: str) -> str:
    """An integer YYYYMM for a timestamp column: integers group more cheaply than strftime's text;
    month_label turns the few keys of a result back into 'YYYY-MM'."""
    return f"(year({column}) * 100 + month({column}))"


def month_label(key) -> str | None:
    if key is None or key != key:  # NULL or NaN
        return None
    key = int(key)
    return f"{key // 100:04d}-{key % 100:02d}"




# What a response counts as: 1 in one of these, 0 in the others; a score outside 0–10 counts in
# none. The metrics sum them over nps_response's rows, or over its monthly tally (filters.tallied).
NPS_MEASURES = {"promoters": "CAST(score BETWEEN 9 AND 10 AS BIGINT)",
                "passives": "CAST(score BETWEEN 7 AND 8 AS BIGINT)",
                "detractors": "CAST(score BETWEEN 0 AND 6 AS BIGINT)"}


# What a complaint adds to its tally besides its text's sentiment: itself, so whole months' counts of
# complaints by month, branch and region (the trends, the complaint trend) sum the tally instead of
# counting the months' rows (issue 24's floor: a month's page reads a year of complaints for them).
COMPLAINT_MEASURES = {"complaints": "CAST(1 AS BIGINT)"}


# What a row adds to the aggregates: a scored text counts 1 with its polarity and the polarity's
# square (for the sd), and 1 more as negative or positive. The aggregates sum them over the rows of a
# source, or over its monthly tally (filters.tallied); an unscored row adds nothing.
SENTIMENT_MEASURES = {"texts": "CAST(sentiment IS NOT NULL AS BIGINT)",
                      "sentiment_sum": "coalesce(sentiment, 0)",
                      "sentiment_squares": "coalesce(sentiment * sentiment, 0)",
                      "negative": f"CAST(coalesce(sentiment < {NEGATIVE_BELOW}, false) AS BIGINT)",
                      "positive": f"CAST(coalesce(sentiment > {POSITIVE_ABOVE}, false) AS BIGINT)"}
