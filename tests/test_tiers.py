"""Customer tiers (issue 23): the tier words of a file, the analyst's rules on the value columns, every
row's tier recomputed when they change, and every metric read for one tier, with the numbers worked out
by hand from the rows below."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import dbrows
import pytest
from conftest import copy_demo_store
from same import assert_same
from streamlit.testing.v1 import AppTest

from analytics import filters as filters_module
from analytics.__main__ import main as analytics_main
from analytics.complaints import cause_pareto, complaint_counts
from analytics import moments
from analytics.csi import csi_by, csi_score
from analytics.filters import Filters, filter_options, where_sql
from analytics.follow_up import follow_up_list, items_without_id
from analytics.changes import nps_headline
from analytics.nps import nps_by, nps_change, nps_score, nps_trend
from analytics.sentiment import sentiment_summary
from loaders.__main__ import main as loaders_main
from loaders.access import AccessError, set_passphrase
from loaders.columns import match_fields
from loaders.importer import import_file, undo
from pages import _keys as keys
from presentation.findings import fmt_delta, fmt_value
from presentation.follow_up import shown_list
from presentation.i18n import translate
from presentation.upload import Access, run_tier_change
from store.db import LATEST_VERSION, connect, quote_identifier
from store.errors import QueryError
from store.follow_up import FollowUpChange, save_follow_ups
from store.tiers import TierError, TierRules, parse_word, recompute_tiers, save_rules, save_words, tier_rules
from text.tiers import tier_of

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MARCH = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
# the same days, not whole months: the metrics read the rows instead of the monthly tallies
MARCH_ROWS = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 30))
RULES = TierRules(key_value=50000, key_products=5, core_value=10000, core_products=3)


# --- words --------------------------------------------------------------------------------------

@pytest.mark.parametrize("word, tier", [
    ("Key", "key"), ("VIP", "key"), (" vip ", "key"), ("Tier-1", "key"), ("重点客户", "key"), ("贵宾", "key"),
    ("私人银行", "key"), ("Core", "core"), ("Gold", "core"), ("核心", "core"), ("金卡客户", "core"),
    ("General", "general"), ("Standard", "general"), ("普通客户", "general"), ("一般", "general"),
    ("大众客户", "general"), ("Bronze", None), ("Retail", None), ("", None), (None, None),
])
def test_a_tier_word_names_its_tier(word, tier):
    assert tier_of(word) == tier


def test_the_analysts_words_win_over_ours():
    assert tier_of("Bronze", {"bronze": "general"}) == "general"
    assert tier_of("VIP", {"vip": ""}) is None  # "none": the analyst says VIP names no tier here
    assert tier_of("Gold", {"vip": ""}) == "core"


@pytest.mark.parametrize("kind, headers, expected", [
    ("survey", ["Date", "Segment", "Tier", "Annual value", "Products held"],
     {"segment": "Segment", "tier": "Tier", "annual_value": "Annual value", "products_held": "Products held"}),
    ("nps", ["日期", "客户类型", "客户等级", "年消费额", "持有产品数"],
     {"segment": "客户类型", "tier": "客户等级", "annual_value": "年消费额", "products_held": "持有产品数"}),
    ("complaints", ["Received", "Customer level", "Severity", "年度价值"],
     {"tier": "Customer level", "severity": "Severity", "annual_value": "年度价值"}),
    ("nps", ["日期", "会员等级"], {"tier": "会员等级"}),
    ("survey", ["日期", "客户层级", "等级"], {"tier": "客户层级"}),
    ("complaints", ["受理时间", "VIP等级", "等级"], {"tier": "VIP等级", "severity": "等级"}),
    ("survey", ["Date", "Product", "Number of products"], {"product": "Product", "products_held": "Number of products"}),
])
def test_tier_and_value_headers_are_recognised(kind, headers, expected):
    found = match_fields(kind, headers)
    assert {name: found[name] for name in expected} == expected


# --- rules ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("thresholds, message", [
    ({"key_value": 1000, "core_value": 5000}, r"core tier's value threshold \(5000\) is above the key tier's \(1000\)"),
    ({"core_products": -1}, "core products must be a number of at least 0, not -1"),
    ({"key_value": float("nan")}, "key value must be a number of at least 0, not nan"),
])
def test_rules_that_cannot_hold_are_refused(thresholds, message):
    with pytest.raises(TierError, match=message):
        TierRules(**thresholds)


@pytest.mark.parametrize("pair, expected", [("VIP=key", ("VIP", "key")), ("钻石卡 = KEY", ("钻石卡", "key")),
                                            ("a=b=none", ("a=b", "none"))])
def test_a_word_pair(pair, expected):
    assert parse_word(pair) == expected


@pytest.mark.parametrize("pair", ["VIP", "VIP=platinum", "=key"])
def test_a_word_pair_that_names_no_tier(pair):
    with pytest.raises(TierError, match="WORD=TIER, TIER one of key, core, general or none"):
        parse_word(pair)


# --- a store with tiers ---------------------------------------------------------------------------
# NPS: tier words for C1-C3, an unknown word (Bronze) and value columns for C4, values only for C5-C7,
# nothing for C8.
NPS_CSV = """客户编号,日期,推荐得分,网点,客户等级,年消费额,持有产品数,评论
C1,2026-03-02,10,North,重点客户,,,很好
C2,2026-03-05,3,North,VIP,,,太慢了
C3,2026-03-08,9,North,普通,,,
C4,2026-03-09,6,South,Bronze,80000,1,
C5,2026-03-10,8,South,,60000,1,
C6,2026-03-11,2,South,,5000,4,
C7,2026-03-12,0,South,,5000,1,
C8,2026-03-31,9,South,,,,
"""
SURVEY_CSV = """Response ID,Date,Branch,Tier,A01,A02,Overall satisfaction
R1,2026-03-02,North,Key,5,4,9
R2,2026-03-03,North,Key,3,2,5
R3,2026-03-04,North,General,1,2,3
R4,2026-03-05,North,Core,4,4,8
"""
COMPLAINTS_CSV = """Complaint ID,Received,Branch,Customer level,Cause,Description
K1,2026-03-02 09:00,North,VIP,Fees,charged twice
K2,2026-03-03 09:00,North,Gold,Fees,slow reply
K3,2026-03-04 09:00,South,VIP,Waiting,queue at the counter
K4,2026-03-05 09:00,South,Standard,Waiting,long queue
"""


def import_tiered(con, folder):
    results = {}
    for kind, text in (("nps", NPS_CSV), ("survey", SURVEY_CSV), ("complaints", COMPLAINTS_CSV)):
        path = folder / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        results[kind] = import_file(con, path, kind=kind)
    return results


@pytest.fixture
def store_build():
    return import_tiered


@pytest.fixture
def tiered(con, built):
    """The three files imported (once per store kind, conftest's `built`); `con` opens a copy."""
    return built


def nps_tiers(con) -> dict[str, str | None]:
    return dict(con.execute("SELECT customer_id, tier FROM nps_response ORDER BY customer_id").fetchall())


@pytest.mark.slow
def test_an_import_maps_the_tier_words_and_says_which_name_none(con, tiered):
    nps = tiered["nps"]
    assert nps.tier_words == (("Bronze", None, 1), ("VIP", "key", 1), ("普通", "general", 1), ("重点客户", "key", 1))
    assert nps.unmapped_tier_words == (("Bronze", 1),)
    # no rules yet: the value columns give no tier
    assert nps_tiers(con) == {"C1": "key", "C2": "key", "C3": "general", "C4": None, "C5": None, "C6": None,
                              "C7": None, "C8": None}
    assert nps.tiers == (("general", 1), ("key", 2), (None, 5))
    assert con.execute("SELECT tier_label, annual_value, products_held FROM nps_response WHERE customer_id = 'C4'"
                       ).fetchone() == ("Bronze", 80000.0, 1.0)


def test_the_rules_give_the_rows_without_a_tier_word_theirs(con, tiered):
    changed = save_rules(con, RULES)
    # C4: 80,000 ≥ 50,000 → key (Bronze names none); C5: 60,000 → key; C6: 5,000 but 4 products ≥ 3 → core;
    # C7: 5,000 and 1 product → general; C8 has no values: no tier
    assert nps_tiers(con) == {"C1": "key", "C2": "key", "C3": "general", "C4": "key", "C5": "key", "C6": "core",
                              "C7": "general", "C8": None}
    assert changed == {"survey_response": 0, "nps_response": 4, "complaint": 0}
    assert tier_rules(con) == RULES
    # the analyst's word for Bronze wins over the rules: C4 becomes general
    assert save_words(con, {"Bronze": "general"}) == {"survey_response": 0, "nps_response": 1, "complaint": 0}
    assert nps_tiers(con)["C4"] == "general"
    # cleared rules: only the words' tiers stand
    save_rules(con, TierRules())
    assert nps_tiers(con) == {"C1": "key", "C2": "key", "C3": "general", "C4": "general", "C5": None, "C6": None,
                              "C7": None, "C8": None}
    assert recompute_tiers(con) == {"survey_response": 0, "nps_response": 0, "complaint": 0}


def test_a_later_import_takes_the_rules_in_force(con, tmp_path):
    save_rules(con, TierRules(core_value=100))
    path = tmp_path / "nps.csv"
    path.write_text("Customer ID,Date,Score,Annual value\nC1,2026-03-02,10,150\nC2,2026-03-03,7,99\n", encoding="utf-8")
    import_file(con, path, kind="nps")
    # core from 100 up, else general; no key threshold
    assert nps_tiers(con) == {"C1": "core", "C2": "general"}


@pytest.mark.parametrize("selection", [MARCH, MARCH_ROWS], ids=["whole month (tallies)", "rows"])
def test_the_tier_filter_changes_nps_as_computed_by_hand(con, tiered, selection):
    save_rules(con, RULES)
    everyone = nps_score(con, selection)
    key = nps_score(con, Filters(**{**vars(selection), "tiers": ("key",)}))
    general = nps_score(con, Filters(**{**vars(selection), "tiers": ("general",)}))
    core_and_general = nps_score(con, Filters(**{**vars(selection), "tiers": ("core", "general")}))
    if selection is MARCH:
        # all eight: 10, 3, 9, 6, 8, 2, 0, 9 → 3 promoters, 1 passive, 4 detractors: 100 × (3 − 4) / 8
        assert (everyone.n, everyone.score) == (8, pytest.approx(-12.5))
    else:
        # the 31st's C8 (9) left out: 2 promoters, 4 detractors of 7
        assert (everyone.n, everyone.score) == (7, pytest.approx(100 * (2 - 4) / 7))
    # key: C1 10, C2 3, C4 6, C5 8 → 1 promoter, 1 passive, 2 detractors: 100 × (1 − 2) / 4 = −25
    assert (key.promoters, key.passives, key.detractors, key.score) == (1, 1, 2, pytest.approx(-25.0))
    # general: C3 9, C7 0 → 100 × (1 − 1) / 2 = 0
    assert (general.n, general.score) == (2, pytest.approx(0.0))
    # core and general: C6 2, C3 9, C7 0 → 100 × (1 − 2) / 3
    assert (core_and_general.n, core_and_general.score) == (3, pytest.approx(-100 / 3))


def test_the_tier_filter_changes_the_csi_as_computed_by_hand(con, tiered):
    # four respondents, too few for derived importance: equal weights. Attribute satisfaction
    # 100 × (mean − 1) / 4 on the 1–5 scale.
    key = csi_score(con, Filters(tiers=("key",)))
    # key: A01 (5 + 3) / 2 = 4 → 75; A02 (4 + 2) / 2 = 3 → 50; CSI (75 + 50) / 2
    assert (key.n, key.score) == (2, pytest.approx(62.5))
    # general: A01 1 → 0; A02 2 → 25
    assert csi_score(con, Filters(tiers=("general",))).score == pytest.approx(12.5)
    # all: A01 13 / 4 = 3.25 → 56.25; A02 12 / 4 = 3 → 50
    everyone = csi_score(con, MARCH)
    assert (everyone.n, everyone.score) == (4, pytest.approx(53.125))
    assert csi_score(con, Filters(**{**vars(MARCH), "tiers": ("key",)})).score == pytest.approx(62.5)


def test_the_tier_filter_changes_complaint_counts_as_computed_by_hand(con, tiered):
    # VIP → key (K1, K3), Gold → core (K2), Standard → general (K4)
    assert complaint_counts(con, Filters(tiers=("key",))).n == 2
    assert complaint_counts(con, Filters(tiers=("core",))).n == 1
    assert complaint_counts(con, Filters(tiers=("core", "general"))).n == 2
    assert complaint_counts(con, MARCH).n == 4
    pareto = cause_pareto(con, Filters(tiers=("key",)))
    assert dict(zip(pareto["cause"], pareto["count"])) == {"Fees": 1, "Waiting": 1}


def _from_rows(monkeypatch, compute):
    with monkeypatch.context() as patch:
        patch.setattr(filters_module, "whole_months", lambda selection: False)
        return compute()


@pytest.mark.parametrize("tiers", [("key",), ("core",), ("general",), ("key", "general")])
def test_the_tallies_give_what_the_rows_give_for_a_tier(con, tiered, monkeypatch, tiers):
    save_rules(con, RULES)
    selection = Filters(**{**vars(MARCH), "tiers": tiers})
    for compute in (lambda: nps_score(con, selection), lambda: nps_trend(con, selection),
                    lambda: nps_by(con, selection, "branch"), lambda: sentiment_summary(con, selection),
                    lambda: sentiment_summary(con, selection, "nps"), lambda: csi_score(con, selection)):
        assert_same(compute(), _from_rows(monkeypatch, compute))


def test_the_tallies_follow_a_change_of_the_rules(con, tiered):
    save_rules(con, RULES)
    assert con.execute("SELECT tier, sum(promoters + passives + detractors) FROM nps_tally GROUP BY 1"
                       " ORDER BY 1 NULLS LAST").fetchall() == [("core", 1), ("general", 2), ("key", 4), (None, 1)]


def test_the_survey_sums_by_branch_keep_the_tier_and_follow_a_change_of_the_words(con, tiered, monkeypatch):
    """The import writes survey_scope_sums with the tiers its words name (Key, Core, General), and a
    change of the words rewrites them: the trends' CSI for one tier from the sums equals the rows'."""
    def sums_by_tier():
        return con.execute("SELECT tier, sum(respondents) FROM survey_scope_sums GROUP BY 1 ORDER BY 1").fetchall()

    assert sums_by_tier() == [("core", 1), ("general", 1), ("key", 2)]
    save_words(con, {"Key": "core"})
    assert sums_by_tier() == [("core", 3), ("general", 1)]
    selection = Filters(**{**vars(MARCH), "tiers": ("core",)})
    assert moments.covers_scopes(selection)
    from_sums = csi_by(con, selection, "scope_month")
    with monkeypatch.context() as patch:
        patch.setattr(moments, "covers_scopes", lambda filters: False)
        from_rows = csi_by(con, selection, "scope_month")
    # R1, R2 and R4 in North: A01 (5 + 3 + 4) / 3 = 4 → 75, A02 (4 + 2 + 4) / 3 → 100 × (10/3 − 1) / 4
    assert list(from_sums["n"]) == [3]
    assert from_sums["csi"].iloc[0] == pytest.approx((75 + 100 * (10 / 3 - 1) / 4) / 2)
    assert_same(from_sums[["scope_month", "csi", "n"]], from_rows[["scope_month", "csi", "n"]])


def test_undo_keeps_the_rules_and_words(con, tiered):
    save_rules(con, RULES)
    save_words(con, {"Bronze": "general"})
    undo(con, tiered["nps"].batch_id)
    assert tier_rules(con) == RULES
    assert con.execute("SELECT count(*) FROM nps_tally").fetchone()[0] == 0
    assert con.execute("SELECT word, tier FROM tier_word").fetchall() == [("bronze", "general")]


def test_the_sidebar_offers_the_tiers_in_their_order(con, tiered):
    assert filter_options(con).tiers == ("key", "core", "general")


def test_where_sql_filters_on_the_tier():
    where, params = where_sql(Filters(tiers=("key", "core")), "complaint")
    assert where == '"tier" IN ($f_tiers_0, $f_tiers_1)' and params == {"f_tiers_0": "key", "f_tiers_1": "core"}


def test_only_an_analyst_changes_the_tiers(con, tiered):
    with pytest.raises(AccessError, match="only an analyst"):
        run_tier_change(con, Access("passphrase", False), RULES)
    assert tier_rules(con) == TierRules()
    # Bronze named no tier already: saying so changes nothing, and C4 keeps the rules' key
    changed = run_tier_change(con, Access("passphrase", True, "Li Na"), RULES, {"Bronze": "none"})
    assert changed == {"survey_response": 0, "nps_response": 4, "complaint": 0}
    assert con.execute("SELECT saved_by FROM tier_rule").fetchall() == [("Li Na",)]


# --- the store's layout -----------------------------------------------------------------------------

@pytest.mark.parametrize("version", [9, 5])
def test_a_store_from_before_tiers_gets_them_when_opened(tmp_path, version):
    """At step 5 the upgrade also writes the complaints' handling steps before step 10 adds the tier
    columns: the columns come first, since DuckDB commits no transaction that alters a table after
    changing its rows."""
    path = tmp_path / "old.duckdb"
    con = connect(path)
    con.execute("UPDATE store_version SET version = ?", [version])
    if version == 5:
        con.execute("ALTER TABLE complaint DROP COLUMN handling_step")
    for table in ("survey_response", "nps_response", "complaint"):
        for column in ("tier_label", "annual_value", "products_held", "tier"):
            con.execute(f"ALTER TABLE {quote_identifier(table)} DROP COLUMN {quote_identifier(column)}")
    for table in ("survey_tally", "nps_tally", "complaint_tally"):
        con.execute(f"ALTER TABLE {quote_identifier(table)} DROP COLUMN tier")
    con.execute("DROP TABLE tier_rule")
    con.execute("DROP TABLE tier_word")
    con.execute("INSERT INTO nps_response (batch_id, row_no, responded_at, score, branch)"
                " VALUES ('11111111-1111-1111-1111-111111111111', 2, '2026-03-02', 9, 'North')")
    con.execute("INSERT INTO nps_tally (batch_id, responded_at, branch, promoters, passives, detractors, texts,"
                " sentiment_sum, sentiment_squares, negative, positive)"
                " VALUES ('11111111-1111-1111-1111-111111111111', '2026-03-01', 'North', 1, 0, 0, 0, 0, 0, 0, 0)")
    con.execute("INSERT INTO complaint (batch_id, row_no, received_at, status)"
                " VALUES ('22222222-2222-2222-2222-222222222222', 2, '2026-03-02', '已办结')")
    con.close()
    with pytest.raises(QueryError, match="earlier version"):
        connect(path, read_only=True)
    again = connect(path)
    try:
        assert again.execute("SELECT max(version) FROM store_version").fetchone()[0] == LATEST_VERSION
        assert again.execute("SELECT tier FROM nps_response").fetchall() == [(None,)]
        assert nps_score(again, Filters(tiers=("key",))).n == 0
        assert nps_score(again, Filters()).n == 1
        assert tier_rules(again) == TierRules()
        # step 6 maps the status word 已办结 to Satisfy; at step 9 the row stored without its step gets
        # it from step 25, which steps every complaint whose status names a step it lacks
        assert again.execute("SELECT handling_step, tier FROM complaint").fetchall() == [("satisfy", None)]
    finally:
        again.close()


# --- the command line -------------------------------------------------------------------------------

def test_the_command_line_sets_rules_and_words(con_url, con, tiered, capsys):
    con.close()
    assert loaders_main(["tiers", "--db", con_url, "--key-value", "50000", "--key-products", "5",
                         "--core-value", "10000", "--core-products", "3"]) == 0
    out = capsys.readouterr().out
    assert "tiers recomputed: 4 rows changed" in out
    assert "rules: key if annual value >= 50000 or products held >= 5; core if annual value >= 10000 or" \
           " products held >= 3; else general" in out
    assert "  Bronze -> no tier (map it with --word WORD=TIER)  (1 rows)" in out
    assert loaders_main(["tiers", "--db", con_url, "--word", "Bronze=general", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["changed"] == {"survey_response": 0, "nps_response": 1, "complaint": 0}
    assert result["rules"] == {"key_value": 50000.0, "key_products": 5.0, "core_value": 10000.0,
                               "core_products": 3.0}
    assert {"word": "Bronze", "tier": "general", "rows": 1} in result["words"]
    assert result["rows"]["nps_response.key"] == 3 and result["rows"]["complaint.key"] == 2


@pytest.mark.parametrize("argv, message", [
    (["--clear-rules", "--key-value", "5"], "error: --clear-rules and a rule flag say opposite things"),
    (["--word", "VIP"], "error: 'VIP': write a tier word as WORD=TIER"),
    (["--key-value", "10", "--core-value", "20"], "error: the core tier's value threshold (20) is above the key"),
])
def test_the_command_line_refuses_what_cannot_hold(con_url, argv, message, capsys):
    assert loaders_main(["tiers", "--db", con_url, *argv]) == 1
    assert capsys.readouterr().err.startswith(message)


def test_summary_takes_a_tier(con_url, con, tiered, capsys):
    con.close()
    loaders_main(["tiers", "--db", con_url, "--key-value", "50000", "--key-products", "5", "--core-value",
                  "10000", "--core-products", "3"])
    capsys.readouterr()
    assert analytics_main(["summary", "--db", con_url, "--from", "2026-03-01", "--to", "2026-03-31",
                           "--tier", "key", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["nps"]["n"], result["nps"]["score"]) == (4, -25.0)
    assert result["complaints"]["n"] == 2


# --- the dashboard --------------------------------------------------------------------------------

OCTOBER = Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
SEPTEMBER = Filters(date_from=date(2026, 9, 1), date_to=date(2026, 9, 30))


@pytest.fixture(scope="module")
def demo_store(demo_master, tmp_path_factory) -> Path:
    return copy_demo_store(demo_master, tmp_path_factory.mktemp("tiers"))


def open_app(store: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("FEEDBACK_DB", str(store))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def nps_tile(con, current: Filters, previous: Filters, language: str = "en") -> tuple[str, str, str]:
    change = nps_headline(nps_change(con, current, previous))
    # no difference against a comparison too few to judge (presentation.findings.tile_delta)
    return (translate("metric.nps", language), fmt_value("nps", change.value, language),
            fmt_delta("nps", change.delta, language) if not change.too_few else "")


def test_the_overview_reads_the_tier_from_the_link_and_keeps_it(demo_store, monkeypatch):
    at = open_app(demo_store, monkeypatch, month="2026-10", tier="key", lang="zh")
    assert at.session_state[keys.FILTER_TIERS] == ["key"]
    assert at.query_params["tier"] == "key"
    con = connect(demo_store)  # as the app opens it: one process holds one configuration of a file
    try:
        key = nps_tile(con, replace(OCTOBER, tiers=("key",)), replace(SEPTEMBER, tiers=("key",)), "zh")
        everyone = nps_tile(con, OCTOBER, SEPTEMBER, "zh")
        general = nps_tile(con, replace(OCTOBER, tiers=("general",)), replace(SEPTEMBER, tiers=("general",)))
    finally:
        con.close()
    shown_tiles = [(m.label, m.value, m.delta) for m in at.metric]
    assert shown_tiles[0] == key != everyone
    # the tier's options read in the reader's language, in their order
    widget = at.multiselect(key=keys.choice(keys.FILTER_TIERS))
    assert widget.label == "客户等级" and widget.options == ["重点客户", "核心客户", "一般客户"]
    widget.set_value(["general"]).run()
    assert at.query_params["tier"] == "general"
    at.radio(key=keys.choice(keys.LANGUAGE)).set_value("en").run()
    assert at.query_params["tier"] == "general"  # the tier survives the language switch
    assert (at.metric[0].label, at.metric[0].value, at.metric[0].delta) == general


@pytest.mark.slow
def test_an_analyst_sets_the_rules_on_the_imports_page(con_url, con, tiered, monkeypatch):
    """No passphrase is set, so the page is open (the demo's set-up): the rules typed in recompute the
    tiers, and the table of words corrects one."""
    at = open_app(Path(con_url), monkeypatch, lang="en")
    at.switch_page("pages/imports.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.header[-2].value == "Customer tiers"
    for name, value in RULES.as_dict().items():
        at.number_input(key=keys.tiers_rule(name)).set_value(value)
    at.button(key=keys.TIERS_SAVE).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value == "Saved: 4 rows changed their tier."
    assert tier_rules(con) == RULES
    assert nps_tiers(con)["C6"] == "core"


@pytest.mark.slow
def test_a_reader_sees_the_tiers_but_cannot_change_them(con_url, con, tiered, monkeypatch):
    set_passphrase(con, "a long enough passphrase")
    at = open_app(Path(con_url), monkeypatch, lang="zh")
    at.switch_page("pages/imports.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert all(box.disabled for box in at.number_input if box.key.startswith("tiers.rule."))
    assert not [b for b in at.button if b.key == keys.TIERS_SAVE]


# --- the follow-up list ---------------------------------------------------------------------------

def test_key_customers_detractors_come_first_in_the_follow_up_list(con):
    day = lambda d: datetime(2026, 10, d, 9)  # noqa: E731
    dbrows.insert(con, "nps_response", [
        {"customer_id": "G1", "responded_at": day(2), "score": 2, "tier": "general"},
        {"customer_id": "K1", "responded_at": day(20), "score": 5, "tier": "key"},
        {"customer_id": "C1", "responded_at": day(3), "score": 1, "tier": "core"},
        {"customer_id": "K2", "responded_at": day(25), "score": 9, "tier": "key"},  # a promoter: no item
    ])
    dbrows.complaints(con, [{"complaint_ref": "KC", "customer_id": "K3", "received_at": day(1), "tier": "key"}])
    as_of = datetime(2026, 11, 1, 12)
    listed = follow_up_list(con, OCTOBER, as_of=as_of)
    # every item is due two days after its day, so all are overdue on 1 November: K3's complaint by 29
    # days (due 3 Oct), G1 by 28, C1 by 27, K1 by 10 (due 22 Oct). K1 is the one key detractor: first;
    # the key customer's complaint is not a detractor and keeps its overdue place.
    assert listed["customer_id"].tolist() == ["K1", "K3", "G1", "C1"]
    assert listed["tier"].tolist() == ["key", "key", "general", "core"]
    key_only = follow_up_list(con, replace(OCTOBER, tiers=("key",)), as_of=as_of)
    assert key_only["customer_id"].tolist() == ["K1", "K3"]
    assert items_without_id(con, replace(OCTOBER, tiers=("key",))) == 0
    shown = shown_list(listed, "zh")
    assert shown["tier"].tolist() == ["重点客户", "重点客户", "一般客户", "核心客户"]


def test_a_follow_up_record_keeps_its_tier_after_an_undo(con, tmp_path):
    path = tmp_path / "nps.csv"
    path.write_text("Customer ID,Date,Score,Tier\nK1,2026-10-20 09:00,3,VIP\n", encoding="utf-8")
    batch = import_file(con, path, kind="nps").batch_id
    save_follow_ups(con, [FollowUpChange("nps:K1@2026-10-20 09:00:00", owner="Li Na")], who="Li Na")
    undo(con, batch)
    listed = follow_up_list(con, replace(OCTOBER, tiers=("key",)), as_of=datetime(2026, 11, 1))
    assert listed[["customer_id", "tier", "owner", "source_gone"]].values.tolist() == [["K1", "key", "Li Na", True]]


@pytest.mark.parametrize("lang, lines", [
    ("en", ["tier words mapped to customer tiers: VIP → Key (2 rows); 普通客户 → General (1 row)",
            "1 tier word names no tier (those rows take the tier rules' tier, if any; map a word with"
            " `python -m loaders tiers --word WORD=TIER`): Bronze (1 row)"]),
    ("zh", ["VIP → 重点客户（2 行）; 普通客户 → 一般客户（1 行）", "Bronze（1 行）"]),
])
def test_an_import_on_the_command_line_says_which_tier_each_word_names(tmp_path, capsys, lang, lines):
    path = tmp_path / "nps.csv"
    path.write_text("Date,NPS,Customer tier\n2026-03-02,9,VIP\n2026-03-03,7,VIP\n2026-03-04,3,普通客户\n"
                    "2026-03-05,10,Bronze\n", encoding="utf-8")
    assert loaders_main(["import", str(path), "--db", str(tmp_path / "store.duckdb"), "--lang", lang]) == 0
    out = capsys.readouterr().out
    for line in lines:
        assert line in out
