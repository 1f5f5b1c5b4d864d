"""A figure now and in a comparison, with its test's verdict: the unit the headlines, tiles and
findings are made of. Pure data; the words for it are in presentation.findings."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analytics.complaints import ResolutionChange
from analytics.csi import CsiChange
from analytics.nps import NpsChange
from analytics.sentiment import SentimentChange
from analytics.stats import ALPHA, MIN_N, RateTest, benjamini_hochberg, too_few

GOOD, BAD, NEUTRAL = "good", "bad", "neutral"
HIGHER, LOWER = "higher", "lower"

# metric → (how its value reads, which direction is better)
METRICS: dict[str, tuple[str, str]] = {
    "nps": ("score", HIGHER),
    "csi": ("points", HIGHER),
    "attribute": ("points", HIGHER),
    "complaints": ("count", LOWER),
    "negative_share": ("share", LOWER),
    "positive_share": ("share", HIGHER),
    "polarity": ("polarity", HIGHER),
    "within_sla": ("share", HIGHER),
    "escalation_rate": ("share", LOWER),
    "median_hours": ("hours", LOWER),
    "promoter_share": ("share", HIGHER),
    "detractor_share": ("share", LOWER),
}


@dataclass(frozen=True)
class Change:
    """One figure now and in the comparison, with its test's verdict, ready to show.

    `tested` is False for a change no test covers (the median time to resolve): it is shown as a
    plain difference, never marked. `too_few` when either side is below the minimum n
    (stats.MIN_N): the figure is shown as too few to judge and never marked. ci_low..ci_high is the
    current figure's 95% interval; q_value its Benjamini–Hochberg q within the page's family of
    tests (None until adjust_family has run), after which `significant` means q < 0.05.
    """

    metric: str
    value: float | None
    previous: float | None
    delta: float | None
    significant: bool
    n: int
    n_previous: int
    p_value: float | None = None
    moe95: float | None = None
    tested: bool = True
    ci_low: float | None = None
    ci_high: float | None = None
    q_value: float | None = None
    too_few: bool = False

    @property
    def better(self) -> str:
        return METRICS[self.metric][1]

    @property
    def direction(self) -> str | None:
        """'up' or 'down' only for a significant change."""
        if not self.significant or self.delta is None or self.delta == 0:
            return None
        return "up" if self.delta > 0 else "down"

    @property
    def tone(self) -> str:
        if self.direction is None:
            return NEUTRAL
        return GOOD if (self.direction == "up") == (self.better == HIGHER) else BAD


# -- changes from analytics results --------------------------------------------------------------

def gated(change: Change, min_n: int = MIN_N, n_for_gate: tuple[int, ...] | None = None) -> Change:
    """The minimum n applied: too few on either side → no verdict (DESIGN.md, "Minimum n")."""
    sizes = n_for_gate if n_for_gate is not None else (change.n, change.n_previous if change.delta is not None
                                                       else change.n)
    few = any(too_few(n, min_n) for n in sizes)
    return replace(change, too_few=few, significant=change.significant and not few)


def nps_headline(change: NpsChange, min_n: int = MIN_N) -> Change:
    now = change.current
    return gated(Change("nps", now.score, change.previous.score, change.delta, change.significant, now.n,
                         change.previous.n, change.p_value, now.moe95, ci_low=now.ci_low, ci_high=now.ci_high),
                  min_n)


def csi_headline(change: CsiChange, min_n: int = MIN_N) -> Change:
    now = change.current
    return gated(Change("csi", now.score, change.previous.score, change.delta, change.significant, now.n,
                         change.previous.n, change.test.p_value, now.moe95, ci_low=now.ci_low,
                         ci_high=now.ci_high), min_n)


def complaints_headline(test: RateTest, min_n: int = MIN_N, compared: bool = True) -> Change:
    """A count is judged by the complaints of both periods together: 3 vs 0 is too few, 40 vs 5 is not.

    `compared` False: the comparison period lies before the data begins (filters.covered), so its
    zero is no figure at all and there is no change to show."""
    if not compared:
        return gated(Change("complaints", float(test.x1), None, None, False, test.x1, 0), min_n, (test.x1,))
    change = Change("complaints", float(test.x1), float(test.x2), None if test.diff is None else float(test.diff),
                    test.significant, test.x1, test.x2, test.p_value)
    return gated(change, min_n, (test.x1 + test.x2,))


def negative_share_headline(change: SentimentChange, min_n: int = MIN_N) -> Change:
    now, before, test = change.current, change.previous, change.negative_test
    margin = None if now.negative_ci_high is None else now.negative_ci_high - now.negative_share
    return gated(Change("negative_share", now.negative_share, before.negative_share, test.diff, test.significant,
                         now.n, before.n, test.p_value, margin, ci_low=now.negative_ci_low,
                         ci_high=now.negative_ci_high), min_n)


def polarity_headline(change: SentimentChange, min_n: int = MIN_N) -> Change:
    now, before, test = change.current, change.previous, change.mean_test
    margin = None if now.ci_high is None else now.ci_high - now.mean
    return gated(Change("polarity", now.mean, before.mean, test.diff, test.significant, now.n, before.n,
                         test.p_value, margin, ci_low=now.ci_low, ci_high=now.ci_high), min_n)


def resolution_headlines(change: ResolutionChange, min_n: int = MIN_N) -> dict[str, Change]:
    """Within-SLA share and escalation rate (two-proportion z-tests) and the untested median hours."""
    now, before = change.current, change.previous
    sla, esc = change.within_sla_test, change.escalation_test
    return {
        "within_sla": gated(Change("within_sla", now.within_sla, before.within_sla, sla.diff, sla.significant,
                                    now.n_sla_due, before.n_sla_due, sla.p_value, ci_low=now.within_sla_ci_low,
                                    ci_high=now.within_sla_ci_high), min_n),
        "escalation_rate": gated(Change("escalation_rate", now.escalation_rate, before.escalation_rate, esc.diff,
                                         esc.significant, now.n_escalation_known, before.n_escalation_known,
                                         esc.p_value), min_n),
        "median_hours": gated(Change("median_hours", now.median_hours_to_resolve,
                                      before.median_hours_to_resolve, change.median_hours_delta, False, now.n,
                                      before.n, tested=False), min_n),
    }


# -- a page's tests as one family ------------------------------------------------------------------

# The tables whose rows a page picks among, and the columns that hold their sample sizes: a row is
# too few when any of them is below the minimum n (for counts, the two periods' counts together).
TABLE_SIZES: dict[str, tuple[str, ...]] = {
    "attributes": ("n_now", "n_before"),  # csi.compare_attributes
    "causes": ("count_total",),  # complaints.rising_causes
    "branches": ("n", "n_before"),  # nps.nps_change_by
    "touchpoints": ("n", "n_before"),  # nps.nps_change_by(column='touchpoint')
    "trends": ("n",),  # trends.find_trends
}


def gate_table(table: pd.DataFrame, kind: str, min_n: int = MIN_N) -> pd.DataFrame:
    """A too_few column for each row of a comparison table (TABLE_SIZES names its n columns)."""
    table = table.copy()
    if kind == "causes" and "count_total" not in table.columns and len(table):
        table["count_total"] = table["count_now"] + table["count_before"]
    if table.empty:
        table["too_few"] = pd.Series(dtype=bool)
        return table
    few = pd.Series(False, index=table.index)
    for column in TABLE_SIZES[kind]:
        few |= table[column].fillna(0).astype(int) < int(min_n)
    table["too_few"] = few.astype(bool)
    return table


@dataclass(frozen=True)
class Family:
    """A page's changes and comparison tables after one Benjamini–Hochberg adjustment across all of them.

    changes: the headline Changes with q_value set; tables: the same tables with q_value, too_few
    and `significant` = (q < 0.05 and not too few), and the causes' `rising` = significant with the
    count up; m: how many tests the family holds.
    """

    changes: tuple[Change, ...]
    tables: dict[str, pd.DataFrame]
    m: int
    min_n: int


def adjust_family(changes: list[Change], tables: dict[str, pd.DataFrame], min_n: int = MIN_N,
                  alpha: float = ALPHA) -> Family:
    """Every test a page shows, adjusted together by Benjamini–Hochberg (DESIGN.md, "Every other change marker").

    A page that picks the largest of many differences would otherwise show a false marker most
    months when nothing changed. Too-few figures and untested ones are not members of the family
    (they can never be marked). After adjustment a marker needs q < alpha; with no change anywhere
    the chance that a page shows any marker is then at most alpha (BH controls the family-wise error
    under the complete null).
    """
    gated = {kind: gate_table(table, kind, min_n) for kind, table in tables.items()}
    members: list[tuple[str, object, float]] = []
    for i, change in enumerate(changes):
        if change.tested and not change.too_few and change.p_value is not None and change.delta is not None:
            members.append(("change", i, change.p_value))
    for kind, table in gated.items():
        if "p_value" not in table.columns:
            continue
        for index, p, few in zip(table.index, table["p_value"], table["too_few"]):
            if not few and p is not None and not pd.isna(p):
                members.append((kind, index, float(p)))
    q_values = benjamini_hochberg([p for _, _, p in members])
    adjusted_changes = [replace(c, significant=False) if c.tested else c for c in changes]
    q_by_table: dict[str, dict] = {kind: {} for kind in gated}
    for (kind, key, _), q in zip(members, q_values):
        if kind == "change":
            change = changes[key]
            adjusted_changes[key] = replace(change, q_value=q, significant=q is not None and q < alpha
                                            and change.significant)
        else:
            q_by_table[kind][key] = q
    for kind, table in gated.items():
        # a row passes when its q is below alpha and its own verdict agreed (the NPS test also needs
        # the adjusted difference's sign); columns are set whole, not row by row
        raw = table["significant"].astype(bool) if "significant" in table.columns else pd.Series(True, index=table.index)
        q = pd.Series([q_by_table[kind].get(i) for i in table.index], index=table.index, dtype=float)
        table["q_value"] = q
        table["significant"] = ((q < alpha) & raw).astype(bool)
        if kind == "causes" and "rising" in table.columns:
            # the causes' own "rising" was the row's raw test; the story's tone reads it beside the
            # title, which reads the family's verdict
            table["rising"] = (table["significant"] & (table["count_now"] > table["count_before"])).astype(bool)
    return Family(tuple(adjusted_changes), gated, len(members), int(min_n))
