"""Issue 23's alerts and issue 19's targets.

- The rules fire on the demo's planted stories (loaders/demo.py: Guangzhou Tianhe's NPS slides over
  the last six months; mobile-app complaints rise over the last four), once: a second evaluation
  records and sends nothing, and the e-mail reaches an SMTP sink on 127.0.0.1 that the test starts.
- A store where nothing changes (every month drawn from the same distributions) raises none.
- A target's gap and its verdict, worked out by hand from the adjusted-Wald and Wilson intervals.
- Rules and targets round-trip through the store, the command line and `migrate`.
"""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest
from conftest import PROJECT_ROOT, copy_demo_store
from smtp_sink import SmtpSink

from analytics.alerts import alerts_for, evaluate
from analytics.changes import Change
from analytics.filters import Filters, month_filters
from analytics.nps import NpsResult
from analytics.targets import MET, SHORT, TOO_FEW, WITHIN_REACH, Target, target_for, target_gap
from loaders.__main__ import main as loaders_main
from loaders.importer import import_file, prepare
from presentation.alerts import after_import, alert_findings, run_summary, target_sentence
from presentation.mail import MailError, smtp_settings
from presentation.upload import Access, run_import
from store.alerts import RuleError, alert_events, alert_rules, record_events, set_rule
from store.copy import migrate
from store.db import connect
from store.targets import TargetError, set_target, targets

SMTP_ENV = ("FEEDBACK_SMTP_HOST", "FEEDBACK_SMTP_PORT", "FEEDBACK_SMTP_FROM", "FEEDBACK_SMTP_TO",
            "FEEDBACK_SMTP_STARTTLS", "FEEDBACK_SMTP_USER", "FEEDBACK_SMTP_PASSWORD")


@pytest.fixture(autouse=True)
def no_smtp(monkeypatch):
    """No test sends mail unless it names its own sink."""
    for name in SMTP_ENV:
        monkeypatch.delenv(name, raising=False)


def smtp_to(monkeypatch, sink: SmtpSink) -> None:
    monkeypatch.setenv("FEEDBACK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FEEDBACK_SMTP_PORT", str(sink.port))
    monkeypatch.setenv("FEEDBACK_SMTP_FROM", "dashboard@example.com")
    monkeypatch.setenv("FEEDBACK_SMTP_TO", "branch.managers@example.com, cx@example.com")


# -- the demo's planted stories -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_store(committed_demo_master, tmp_path_factory):
    """The committed demo spreadsheets (4,000 survey responses, 24 months to October 2026) imported
    as an analyst would, without any evaluation yet; a test that writes works on its own copy."""
    return copy_demo_store(committed_demo_master, tmp_path_factory.mktemp("alerts"))


PLANTED = {("sustained_decline", "branch", "Guangzhou Tianhe", "nps"),
           ("cause_above_mean", "cause", "Mobile app problems", "complaints")}


def test_the_planted_decline_and_rising_cause_fire_once_and_reach_the_smtp_sink(demo_store, tmp_path, monkeypatch):
    con = connect(copy_demo_store(demo_store, tmp_path))
    try:
        with SmtpSink() as sink:
            smtp_to(monkeypatch, sink)
            first = after_import(con, "test")
            second = after_import(con, "test")
            messages = list(sink.messages)
        stored = alert_events(con, "2026-10")
    finally:
        con.close()
    assert first.month == "2026-10"
    raised = {(r.rule, r.scope, r.subject, r.metric) for r in first.new.itertuples(index=False)}
    assert PLANTED <= raised
    # nothing else is called a decline but the South region, which Guangzhou Tianhe's fall drags down
    assert raised - PLANTED <= {("sustained_decline", "region", "South", "nps")}
    assert first.sent == len(first.new) and first.problem is None
    # the second evaluation finds every event recorded and sent: nothing new, nothing sent
    assert second.new.empty and second.sent == 0
    assert len(stored) == len(first.new) and stored["sent_at"].notna().all()
    assert stored["sent_to"].eq("branch.managers@example.com, cx@example.com").all()
    assert len(messages) == 1
    sender, recipients, message = messages[0]
    assert sender == "<dashboard@example.com>"
    assert recipients == ["<branch.managers@example.com>", "<cx@example.com>"]
    body = message.get_content()
    assert "Guangzhou Tianhe: NPS has fallen over the last 12 months" in body
    assert "Mobile app problems: 46 complaints in Oct 2026, above the mean of 20.7 a month" in body
    assert "Guangzhou Tianhe：NPS近 12 个月持续下降" in body  # and in Chinese
    assert message["Subject"].startswith("Customer feedback alerts for Oct 2026")


def test_the_rising_cause_is_its_count_against_the_three_months_before(demo_store):
    """46 mobile-app complaints in October against 62 in July–September (11, 16, 35; 92 days): the exact
    conditional test of two Poisson counts, X₁ | X₁ + X₂ = 108 ~ Binomial(108, 31/123)."""
    con = connect(demo_store, read_only=True)
    try:
        events, family = evaluate(con, "2026-10")
    finally:
        con.close()
    row = events[events["rule"] == "cause_above_mean"].iloc[0]
    assert (row["value"], row["months"]) == (46, 3) and row["reference"] == pytest.approx(62 / 3)
    assert row["p_value"] == pytest.approx(binomtest(46, 108, 31 / 123).pvalue)
    assert row["q_value"] < 0.05
    # the family: branches' NPS changes, the causes and the trend rows, adjusted together
    assert family.m == sum(int((~t["too_few"] & t["p_value"].notna()).sum()) for t in family.tables.values())


@pytest.mark.parametrize("language, sentence", [
    ("en", "Incorrect information on your report: 1,223 complaints in Apr 2023, above the mean of 5.0 a month"
           " over the 3 months before (significant, q < 0.001)"),
    ("zh", "Incorrect information on your report：2023年4月投诉 1,223 件，高于此前 3 个月的月均 5.0 件（显著，q < 0.001）"),
])
def test_an_alert_counts_its_complaints_as_every_count_is_shown(language, sentence):
    from types import SimpleNamespace

    from presentation.alerts import alert_sentence
    row = SimpleNamespace(rule="cause_above_mean", scope="cause", subject="Incorrect information on your report",
                          period="2023-04", q_value=0.0001, n=None, value=1223.0, reference=5.0, months=3)
    assert alert_sentence(row, language) == sentence


def test_the_months_before_the_data_began_are_not_in_a_causes_mean(con):
    """The data begin on 1 February: March's 40 Fees complaints against February's 30 are tested on
    February's 28 days, not on December–February's 90 of which 62 have no log. Binomial(70, 31/59)
    expects 36.8 in March, and 40 is no rise (the 90 days' 31/121 expected 17.9: an alert)."""
    from datetime import datetime

    import dbrows

    dbrows.complaints(con, [{"cause": "Fees", "received_at": datetime(2026, 2, 1, 9)} for _ in range(30)]
                      + [{"cause": "Fees", "received_at": datetime(2026, 3, 10, 9)} for _ in range(40)])
    events, family = evaluate(con, "2026-03")
    assert "cause_above_mean" not in set(events["rule"])
    row = family.tables["causes"].set_index("cause").loc["Fees"]
    assert (row["count_now"], row["count_before"], row["months"]) == (40, 30, 1)
    assert row["mean_before"] == 30
    assert row["p_value"] == pytest.approx(binomtest(40, 70, 31 / 59).pvalue)
    assert not row["significant"]


def test_a_switched_off_rule_raises_nothing(demo_store):
    con = connect(demo_store, read_only=True)
    try:
        rules = alert_rules(con)
        rules["sustained_decline"] = rules["sustained_decline"].__class__("sustained_decline", False, 12.0)
        events, _ = evaluate(con, "2026-10", rules)
    finally:
        con.close()
    assert "sustained_decline" not in set(events["rule"]) and "cause_above_mean" in set(events["rule"])


# -- a store where nothing changes --------------------------------------------------------------------

NULL_BRANCHES = {"N1": "North", "N2": "North", "E1": "East", "E2": "East", "S1": "South", "S2": "South"}
NULL_MONTHS = pd.period_range("2025-10", "2026-10", freq="M")  # 13 months
NPS_MIX = (0.45, 0.30, 0.25)
CAUSE_MIX = {"Fees": 0.4, "Staff": 0.3, "Waiting": 0.2, "App": 0.1}


def null_files(folder, seed: int = 11):
    """NPS responses (40 per branch and month, the same mix every month) and complaints (Poisson 6
    per branch and month, the same causes; resolved in 2–40 hours, so about 85% within 24 h)."""
    rng = np.random.default_rng(seed)
    nps, complaints = [], []
    for month in NULL_MONTHS:
        start = month.start_time
        for branch, region in NULL_BRANCHES.items():
            for kind in rng.choice(3, 40, p=NPS_MIX):
                score = int(rng.integers(9, 11) if kind == 0 else rng.integers(7, 9) if kind == 1 else rng.integers(0, 7))
                day = start + timedelta(days=int(rng.integers(0, month.days_in_month)), hours=10)
                nps.append((f"C{len(nps)}", day.strftime("%Y-%m-%d"), score, region, branch))
            for _ in range(rng.poisson(6)):
                received = start + timedelta(days=int(rng.integers(0, month.days_in_month - 2)), hours=9)
                resolved = received + timedelta(hours=float(rng.uniform(2, 40)))
                cause = rng.choice(list(CAUSE_MIX), p=list(CAUSE_MIX.values()))
                complaints.append((f"K{len(complaints)}", f"C{len(complaints)}", f"{received:%Y-%m-%d %H:%M}", branch,
                                   region, cause, "Resolved", f"{resolved:%Y-%m-%d %H:%M}"))
    nps_path, complaints_path = folder / "nps.csv", folder / "complaints.csv"
    pd.DataFrame(nps, columns=["Customer ID", "Date", "Score", "Region", "Branch"]).to_csv(nps_path, index=False)
    pd.DataFrame(complaints, columns=["Complaint ID", "Customer ID", "Received", "Branch", "Region", "Cause",
                                      "Status", "Resolved"]).to_csv(complaints_path, index=False)
    return nps_path, complaints_path


@pytest.fixture
def null_store(con, tmp_path):
    for path in null_files(tmp_path):
        import_file(con, path)
    return con


def test_a_store_where_nothing_changes_raises_no_alert(null_store):
    con = null_store
    run = after_import(con, "test")
    assert run.month == "2026-10"
    assert run.new.empty and alert_events(con, "2026-10").empty


@pytest.mark.slow
def test_the_sla_rule_fires_only_when_the_whole_interval_is_below_the_target(null_store):
    con = null_store
    set_target(con, "within_sla", 60)  # met: the interval lies above 60%
    assert evaluate(con, "2026-10")[0].empty
    set_target(con, "within_sla", 99)
    events, _ = evaluate(con, "2026-10")
    row = events.iloc[0]
    assert (len(events), row["rule"], row["scope"], row["reference"]) == (1, "sla_below_target", "all", 0.99)
    assert row["ci_high"] < 0.99 and row["n"] >= 30
    # a region's own target is checked for that region too, but its dozen complaints a month are too
    # few to judge at the minimum n of 30; at a minimum n of 5 they are judged
    set_target(con, "within_sla", 99, "region", "North")
    events, _ = evaluate(con, "2026-10")
    assert list(events["scope"]) == ["all"]
    events, _ = evaluate(con, "2026-10", min_n=5)
    assert sorted(zip(events["scope"], events["subject"].fillna("—"))) == [("all", "—"), ("region", "North")]


# -- targets ------------------------------------------------------------------------------------------

def nps_tile(promoters: int, passives: int, detractors: int) -> Change:
    result = NpsResult.from_counts(promoters, passives, detractors)
    return Change("nps", result.score, None, None, False, result.n, 0, ci_low=result.ci_low, ci_high=result.ci_high)


def test_the_nps_interval_of_the_hand_example():
    """20 promoters, 10 passives, 10 detractors: NPS = 100·(20 − 10)/40 = 25.0. Adjusted Wald: n' = 43,
    p₊' = 20.75/43 = 0.482558, p₋' = 10.75/43 = 0.250000, d = 0.232558,
    SE = sqrt((0.482558 + 0.25 − 0.232558²)/43) = sqrt(0.678475/43) = 0.125613,
    interval 100·(0.232558 ± 1.959964·0.125613) = −1.364 to 47.876."""
    tile = nps_tile(20, 10, 10)
    assert tile.value == 25.0
    assert (tile.ci_low, tile.ci_high) == (pytest.approx(-1.364, abs=1e-3), pytest.approx(47.876, abs=1e-3))


@pytest.mark.parametrize("target, gap, status", [
    (30.0, -5.0, WITHIN_REACH),   # 30 lies inside −1.4..47.9: the data cannot tell 25 from 30
    (50.0, -25.0, SHORT),         # the whole interval lies below 50
    (-5.0, 30.0, MET),            # the whole interval lies above −5
    (47.0, -22.0, WITHIN_REACH),  # just inside the interval's top
])
def test_the_gap_to_an_nps_target_by_hand(target, gap, status):
    found = target_gap(nps_tile(20, 10, 10), Target("nps", target))
    assert found.gap == pytest.approx(gap) and found.status == status


@pytest.mark.parametrize("target, status", [(0.25, WITHIN_REACH), (0.05, SHORT), (0.35, MET)])
def test_a_ceiling_where_lower_is_better(target, status):
    """Negative share 20% (Wilson 95% interval 12.0% to 31.4% for 10 of 50, hand-computed:
    centre (10 + 1.92)/(50 + 3.84) = 0.2214, half-width 1.96·sqrt(50·0.2·0.8 + 0.96)/53.84 = 0.0971)."""
    tile = Change("negative_share", 0.2, None, None, False, 50, 0, ci_low=0.1243, ci_high=0.3185)
    assert target_gap(tile, Target("negative_share", target)).status == status


def test_too_few_is_never_judged_against_its_target():
    tile = Change("nps", -100.0, None, None, False, 3, 0, ci_low=-100.0, ci_high=-27.0, too_few=True)
    gap = target_gap(tile, Target("nps", 30.0))
    assert (gap.status, gap.gap) == (TOO_FEW, -130.0)
    assert target_sentence(gap, "en") == "Target +30.0: too few to judge (n = 3)"


@pytest.mark.parametrize("language, target, expected", [
    ("en", 30.0, "Target +30.0: within reach (gap −5.0; the 95% interval includes the target)"),
    ("en", 50.0, "Target +50.0: below it (gap −25.0; the whole 95% interval lies below the target)"),
    ("zh", 50.0, "目标 +50.0：低于目标（差距 −25.0；95% 置信区间全部低于目标）"),
    ("zh", -5.0, "目标 −5.0：已达成（差距 +30.0；95% 置信区间全部达标）"),
])
def test_the_target_sentence_in_both_languages(language, target, expected):
    assert target_sentence(target_gap(nps_tile(20, 10, 10), Target("nps", target)), language) == expected


def test_targets_are_stored_in_percent_for_shares_and_the_most_specific_one_wins(con):
    set_target(con, "nps", 30)
    set_target(con, "nps", 10, "branch", "Guangzhou Tianhe", who="li.na")
    set_target(con, "within_sla", 90)
    book = targets(con)
    assert book.loc[book["metric"] == "within_sla", "target"].item() == 0.9
    assert target_for(book, "nps", Filters(branches=("Guangzhou Tianhe",))) == Target("nps", 10.0, "branch",
                                                                                      "Guangzhou Tianhe")
    assert target_for(book, "nps", Filters(branches=("Xiamen Siming",))).value == 30.0
    assert target_for(book, "nps", Filters(regions=("South",))).scope == "all"
    set_target(con, "nps", None, "branch", "Guangzhou Tianhe")  # cleared: the company's applies again
    assert target_for(targets(con), "nps", Filters(branches=("Guangzhou Tianhe",))).value == 30.0


@pytest.mark.parametrize("metric, value, message", [
    ("within_sla", 150, "a target for within_sla lies between 0 and 100, not 150"),
    ("nps", -120, "a target for nps lies between -100 and 100, not -120"),
    ("complaints", 5, "there are no targets for 'complaints'"),
])
def test_a_target_out_of_range_is_refused(con, metric, value, message):
    with pytest.raises(TargetError, match=message):
        set_target(con, metric, value)


def test_rules_are_seeded_and_an_edit_wins(con):
    assert {name: (r.enabled, r.threshold) for name, r in alert_rules(con).items()} == {
        "branch_nps_fall": (True, 0.0), "cause_above_mean": (True, 3.0), "sla_below_target": (True, 24.0),
        "sustained_decline": (True, 12.0)}
    set_rule(con, "branch_nps_fall", enabled=False)
    set_rule(con, "cause_above_mean", threshold=6)
    rules = alert_rules(con)
    assert (rules["branch_nps_fall"].enabled, rules["cause_above_mean"].threshold) == (False, 6.0)
    with pytest.raises(RuleError, match="the threshold of sustained_decline lies between 6 and 24, not 3"):
        set_rule(con, "sustained_decline", threshold=3)


def test_migrate_copies_the_edited_rules_and_targets(con, con_url, tmp_path):
    set_rule(con, "branch_nps_fall", enabled=False, threshold=10)
    set_target(con, "csi", 75)
    con.close()
    copied = migrate(con_url, str(tmp_path / "copy.duckdb"))
    assert copied["alert_rule"] == 5 and copied["metric_target"] == 1  # four seeded rows and the edit
    other = connect(tmp_path / "copy.duckdb")
    try:
        assert (alert_rules(other)["branch_nps_fall"].enabled, targets(other)["target"].tolist()) == (False, [75.0])
    finally:
        other.close()


# -- the command lines --------------------------------------------------------------------------------

def test_the_loaders_command_line_sets_targets_and_rules(con_url, capsys):
    connect(con_url).close()
    assert loaders_main(["set-target", "within_sla", "92.5", "--branch", "Guangzhou Tianhe", "--db", con_url]) == 0
    assert loaders_main(["alert-rules", "cause_above_mean", "--threshold", "4", "--db", con_url]) == 0
    assert loaders_main(["alert-rules", "branch_nps_fall", "--off", "--db", con_url]) == 0
    assert loaders_main(["targets", "--db", con_url]) == 0
    out = capsys.readouterr().out
    assert "target of Guangzhou Tianhe for within_sla set to 92.5" in out
    assert "cause_above_mean   on   threshold 4" in out and "branch_nps_fall    off  threshold 0" in out
    assert "within_sla           92.5  Guangzhou Tianhe" in out
    assert loaders_main(["set-target", "nps", "--db", con_url]) == 1
    assert "give the target's value, or --clear to remove it" in capsys.readouterr().err


@pytest.mark.slow
def test_summary_json_carries_the_alerts_and_the_targets(demo_store, tmp_path):
    path = copy_demo_store(demo_store, tmp_path)
    con = connect(path)
    try:
        after_import(con)
        set_target(con, "nps", 30)
    finally:
        con.close()
    done = subprocess.run([sys.executable, "-m", "analytics", "summary", "--json", "--db", str(path), "--from",
                           "2026-10-01", "--to", "2026-10-31"], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    tianhe = next(a for a in result["alerts"] if a["subject"] == "Guangzhou Tianhe")
    assert (tianhe["rule"], tianhe["metric"], tianhe["since"]) == ("sustained_decline", "nps", "2026-10")
    assert tianhe["sentence"].startswith("Guangzhou Tianhe: NPS has fallen over the last 12 months")
    nps = result["targets"]["nps"]
    assert nps["gap"] == pytest.approx(result["nps"]["score"] - 30)
    assert nps["ci95"] == pytest.approx(result["nps"]["ci95"])
    low, high = nps["ci95"]
    assert nps["status"] == (SHORT if high < 30 else MET if low >= 30 else WITHIN_REACH)


def test_since_is_the_first_month_of_an_unbroken_run(con):
    def event(subject, period):
        return {"rule": "branch_nps_fall", "scope": "branch", "subject": subject, "region": "South",
                "metric": "nps", "period": period, "value": -10.0, "reference": 20.0, "ci_low": -30.0,
                "ci_high": 10.0, "p_value": 0.001, "q_value": 0.01, "n": 80, "first_month": None, "months": None}

    record_events(con, pd.DataFrame([event("Tianhe", "2026-08"), event("Tianhe", "2026-09"), event("Tianhe", "2026-10"),
                                     event("Futian", "2026-08"), event("Futian", "2026-10")]))
    # the same events again are not recorded twice
    assert record_events(con, pd.DataFrame([event("Tianhe", "2026-10")])).empty
    shown = alerts_for(con, month_filters(Filters(), "2026-10"))
    assert dict(zip(shown["subject"], shown["since"])) == {"Tianhe": "2026-08", "Futian": "2026-10"}
    assert [f.text for f in alert_findings(shown, "en")] == [
        "Futian: NPS fell to −10.0 in Oct 2026 from +20.0 the month before (significant, q = 0.010, n = 80)",
        "Tianhe: NPS fell to −10.0 in Oct 2026 from +20.0 the month before (significant, q = 0.010, n = 80)"
        " · raised every month since Aug 2026"]
    # a region's filter shows its branches' alerts; another region's shows none
    assert len(alerts_for(con, month_filters(Filters(regions=("South",)), "2026-10"))) == 2
    assert alerts_for(con, month_filters(Filters(regions=("North",)), "2026-10")).empty


def test_a_failed_sending_is_tried_again_and_then_sent_once(demo_store, tmp_path, monkeypatch):
    con = connect(copy_demo_store(demo_store, tmp_path))
    try:
        with SmtpSink() as closed:
            port = closed.port  # a port nobody listens on once this sink has stopped
        monkeypatch.setenv("FEEDBACK_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("FEEDBACK_SMTP_PORT", str(port))
        monkeypatch.setenv("FEEDBACK_SMTP_FROM", "dashboard@example.com")
        monkeypatch.setenv("FEEDBACK_SMTP_TO", "cx@example.com")
        failed = after_import(con)
        unsent = alert_events(con, "2026-10")
        with SmtpSink() as sink:
            smtp_to(monkeypatch, sink)
            retried = after_import(con)
            again = after_import(con)
            messages = list(sink.messages)
    finally:
        con.close()
    assert failed.sent == 0 and failed.problem.startswith(f"the alerts could not be sent through 127.0.0.1:{port}")
    assert unsent["sent_at"].isna().all() and unsent["send_error"].notna().all()
    assert retried.new.empty and retried.sent == len(failed.new) and again.sent == 0
    assert len(messages) == 1


def test_the_upload_flow_checks_the_rules_after_the_import(con, tmp_path):
    nps, _ = null_files(tmp_path)
    outcome = run_import(con, Access("open", True), prepare(con, nps), skip_invalid=False)
    assert outcome.alerts.month == "2026-10" and outcome.alerts.new.empty and outcome.alerts.problem is None
    assert run_summary(outcome.alerts, "en") == "Alert rules checked for Oct 2026: no new alert."
    assert run_summary(outcome.alerts, "zh") == "已按预警规则检查2026年10月：新增预警 0 条。"


@pytest.mark.parametrize("environ, expected", [
    ({}, None),
    ({"FEEDBACK_SMTP_HOST": "mail.example.com", "FEEDBACK_SMTP_FROM": "a@example.com", "FEEDBACK_SMTP_TO": "b@x.cn, c@x.cn",
      "FEEDBACK_SMTP_PORT": "587", "FEEDBACK_SMTP_STARTTLS": "1", "FEEDBACK_SMTP_USER": "dash",
      "FEEDBACK_SMTP_PASSWORD": "s3cret"},
     "SmtpSettings(host='mail.example.com', port=587, sender='a@example.com', recipients=('b@x.cn', 'c@x.cn'),"
     " starttls=True, user='dash')"),
])
def test_the_smtp_settings_come_from_the_environment_and_never_show_the_password(environ, expected):
    found = smtp_settings(environ)
    assert (repr(found) if found else None) == expected


@pytest.mark.parametrize("environ, message", [
    ({"FEEDBACK_SMTP_HOST": "mail.example.com"}, "FEEDBACK_SMTP_FROM and FEEDBACK_SMTP_TO must name"),
    ({"FEEDBACK_SMTP_HOST": "m", "FEEDBACK_SMTP_PORT": "smtp", "FEEDBACK_SMTP_FROM": "a", "FEEDBACK_SMTP_TO": "b"},
     "FEEDBACK_SMTP_PORT='smtp' is not a port number"),
])
def test_incomplete_smtp_settings_are_refused(environ, message):
    with pytest.raises(MailError, match=message):
        smtp_settings(environ)
