"""Customer tiers in the store: the analyst's rules and word corrections, and each row's tier.

A survey response's, NPS response's or complaint's tier is the tier its file's tier word names
(text/tiers.py, the analyst's corrections in tier_word winning), else the one the analyst's rules
give its annual value and products held (tier_rule), else none. The importer computes it for a
batch's rows as it writes them (tier_sql); a change of the rules or the words computes it again for
every stored row and rewrites the monthly tallies, whose key it is, in one transaction that holds the
writers' claim row (save_rules, save_words).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from store.db import quote_identifier, rewrite_survey_sums, rewrite_tallies, write_claimed
from store.errors import FeedbackError
from text.tiers import TIERS, normalise_tier_word, tier_of

# The tables whose rows carry a tier, and the columns their tier comes from.
TIER_TABLES = ("survey_response", "nps_response", "complaint")


class TierError(FeedbackError):
    """Tier rules or a tier word the store cannot use (a negative threshold, an unknown tier)."""


@dataclass(frozen=True)
class TierRules:
    """The analyst's thresholds: key when the annual value reaches key_value or the products held
    reach key_products; else core when they reach core_value or core_products; else general. A
    threshold left None is not used; with none set, the values give no tier."""

    key_value: float | None = None
    key_products: float | None = None
    core_value: float | None = None
    core_products: float | None = None

    def __post_init__(self) -> None:
        for name in ("key_value", "key_products", "core_value", "core_products"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise TierError(f"the tier rule's {name.replace('_', ' ')} must be a number of at least 0, not {value!r}")
            object.__setattr__(self, name, float(value))
        for what in ("value", "products"):
            key, core = getattr(self, f"key_{what}"), getattr(self, f"core_{what}")
            if key is not None and core is not None and core > key:
                raise TierError(f"the core tier's {what} threshold ({core:g}) is above the key tier's ({key:g}):"
                                " key customers are those with the most")

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.key_value, self.key_products, self.core_value, self.core_products))

    def as_dict(self) -> dict:
        return {"key_value": self.key_value, "key_products": self.key_products,
                "core_value": self.core_value, "core_products": self.core_products}


def tier_rules(con: duckdb.DuckDBPyConnection) -> TierRules:
    """The rules in force (the newest saved; none saved: no rules)."""
    row = con.execute("SELECT key_value, key_products, core_value, core_products FROM tier_rule"
                      " ORDER BY saved_at DESC, rowid DESC LIMIT 1").fetchone()
    return TierRules(*row) if row else TierRules()


def word_corrections(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The analyst's tier for each word they corrected (normalised word -> tier, '' for none)."""
    rows = con.execute(
        "SELECT word, arg_max(tier, saved_at) FROM (SELECT word, tier, saved_at FROM tier_word) GROUP BY word"
    ).fetchall()
    return {word: tier for word, tier in rows}


def tier_sql(rules: TierRules, *, word_tier: str, value: str, products: str) -> tuple[str, dict]:
    """The SQL of a row's tier and its parameters: `word_tier` (the tier its word names, or NULL),
    else the rules on `value` and `products` (column expressions)."""
    params: dict = {}
    whens = [f"WHEN {word_tier} IS NOT NULL THEN {word_tier}"]
    for tier in ("key", "core"):
        reached = []
        for what, column in (("value", value), ("products", products)):
            threshold = getattr(rules, f"{tier}_{what}")
            if threshold is not None:
                params[f"tier_{tier}_{what}"] = threshold
                reached.append(f"{column} >= $tier_{tier}_{what}")
        if reached:
            whens.append(f"WHEN {' OR '.join(reached)} THEN '{tier}'")
    if rules.any:
        whens.append(f"WHEN {value} IS NOT NULL OR {products} IS NOT NULL THEN 'general'")
    return "CASE " + " ".join(whens) + " END", params


def word_tiers(con: duckdb.DuckDBPyConnection, words: list[str], table: str) -> None:
    """A temporary `table` (word, tier): each distinct tier word with the tier it names, the
    analyst's corrections winning; NULL for a word that names none."""
    corrections = word_corrections(con)
    frame = pd.DataFrame({"word": pd.Series(list(words), dtype=object),
                          "tier": pd.Series([tier_of(w, corrections) for w in words], dtype=object)})
    con.register("word_tiers_frame", frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {quote_identifier(table)} AS SELECT word::VARCHAR AS word,"
                    " tier::VARCHAR AS tier FROM word_tiers_frame")
    finally:
        con.unregister("word_tiers_frame")


def recompute_tiers(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every stored row's tier from the rules and words in force, inside the caller's transaction,
    and the tallies rewritten when any changed; the rows changed per table."""
    rules = tier_rules(con)
    words = [r[0] for r in con.execute(
        " UNION ".join(f"SELECT DISTINCT tier_label FROM {t} WHERE tier_label IS NOT NULL" for t in TIER_TABLES)
    ).fetchall()]
    word_tiers(con, words, "stored_tier_words")
    changed = {}
    try:
        for table in TIER_TABLES:
            tier, params = tier_sql(rules, word_tier="w.tier", value="r.annual_value", products="r.products_held")
            changed[table] = con.execute(
                f"UPDATE {table} SET tier = n.tier FROM (SELECT r.batch_id, r.row_no, {tier} AS tier FROM {table} r"
                " LEFT JOIN stored_tier_words w ON w.word = r.tier_label) n"
                f" WHERE {table}.batch_id = n.batch_id AND {table}.row_no = n.row_no"
                f" AND {table}.tier IS DISTINCT FROM n.tier", params).fetchone()[0]
    finally:
        con.execute("DROP TABLE IF EXISTS stored_tier_words")
    if any(changed.values()):
        rewrite_tallies(con)
    if changed.get("survey_response"):
        rewrite_survey_sums(con)
    return changed


def save_rules(con: duckdb.DuckDBPyConnection, rules: TierRules, who: str | None = None) -> dict[str, int]:
    """Make `rules` the rules in force (TierRules() clears them) and every row's tier follow them, in
    one transaction; the rows whose tier changed, per table."""
    def work():
        con.execute("INSERT INTO tier_rule VALUES (?, ?, ?, ?, ?, ?)",
                    [rules.key_value, rules.key_products, rules.core_value, rules.core_products,
                     dt.datetime.now(), who])
        return recompute_tiers(con)

    return write_claimed(con, work, who=who, failure="the tier rules were not saved, nothing changed")


def parse_word(pair: str) -> tuple[str, str]:
    """('VIP', 'key') from 'VIP=key'; the tier may be key, core, general or none."""
    word, sep, tier = str(pair).rpartition("=")
    tier = tier.strip().lower()
    if not sep or not word.strip() or tier not in (*TIERS, "none"):
        raise TierError(f"{pair!r}: write a tier word as WORD=TIER, TIER one of key, core, general or none"
                        " (e.g. VIP=key, 普通=general)")
    return word.strip(), tier


def save_words(con: duckdb.DuckDBPyConnection, words: dict[str, str], who: str | None = None) -> dict[str, int]:
    """The analyst's tier for each word (key | core | general | none), kept in the store, and every
    row's tier following them, in one transaction; the rows whose tier changed, per table."""
    for word, tier in words.items():
        if tier not in (*TIERS, "none") or not normalise_tier_word(word):
            raise TierError(f"{word!r}={tier!r}: a tier word takes key, core, general or none")

    def work():
        now = dt.datetime.now()
        con.executemany("INSERT INTO tier_word VALUES (?, ?, ?, ?)",
                        [[normalise_tier_word(word), "" if tier == "none" else tier, now, who]
                         for word, tier in words.items()])
        return recompute_tiers(con)

    return write_claimed(con, work, who=who, failure="the tier words were not saved, nothing changed")


def tier_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows per table and tier (NULL: no tier), for the command line and the page."""
    return con.execute(" UNION ALL ".join(
        f"SELECT '{table}' AS source, tier, count(*) AS rows FROM {table} GROUP BY tier" for table in TIER_TABLES)
        + " ORDER BY source, tier NULLS LAST").df()


def stored_words(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each tier word the stored rows carry, the tier it names now (None: none) and its rows, most
    rows first."""
    rows = con.execute(
        "SELECT word, sum(n) AS rows FROM (" + " UNION ALL ".join(
            f"SELECT tier_label AS word, count(*) AS n FROM {table} WHERE tier_label IS NOT NULL GROUP BY 1"
            for table in TIER_TABLES) + ") GROUP BY word ORDER BY rows DESC, word").fetchall()
    corrections = word_corrections(con)
    return pd.DataFrame({"word": pd.Series([r[0] for r in rows], dtype=object),
                         "tier": pd.Series([tier_of(r[0], corrections) for r in rows], dtype=object),
                         "rows": pd.Series([int(r[1]) for r in rows], dtype="int64")})


__all__ = ["TIER_TABLES", "TierError", "TierRules", "parse_word", "recompute_tiers", "save_rules", "save_words",
           "stored_words", "tier_counts", "tier_rules", "tier_sql", "word_corrections", "word_tiers"]
