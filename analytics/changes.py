"""A figure now and in a comparison, with its test's verdict: the unit the headlines, tiles and
findings are made of. Pure data; the words for it are in presentation.findings."""
from __future__ import annotations

from dataclasses import dataclass

from analytics.complaints import ResolutionChange
from analytics.csi import CsiChange
from analytics.nps import NpsChange
from analytics.sentiment import SentimentChange
from analytics.stats import RateTest

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
    plain difference, never marked.
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

def nps_headline(change: NpsChange) -> Change:
    return Change("nps", change.current.score, change.previous.score, change.delta, change.significant,
                  change.current.n, change.previous.n, None, change.current.moe95)


def csi_headline(change: CsiChange) -> Change:
    return Change("csi", change.current.score, change.previous.score, change.delta, change.significant,
                  change.current.n, change.previous.n, change.test.p_value, change.current.moe95)


def complaints_headline(test: RateTest) -> Change:
    return Change("complaints", float(test.x1), float(test.x2), None if test.diff is None else float(test.diff),
                  test.significant, test.x1, test.x2, test.p_value)


def negative_share_headline(change: SentimentChange) -> Change:
    now, before, test = change.current, change.previous, change.negative_test
    margin = None if now.negative_ci_high is None else now.negative_ci_high - now.negative_share
    return Change("negative_share", now.negative_share, before.negative_share, test.diff, test.significant,
                  now.n, before.n, test.p_value, margin)


def polarity_headline(change: SentimentChange) -> Change:
    now, before, test = change.current, change.previous, change.mean_test
    margin = None if now.ci_high is None else now.ci_high - now.mean
    return Change("polarity", now.mean, before.mean, test.diff, test.significant, now.n, before.n,
                  test.p_value, margin)


def resolution_headlines(change: ResolutionChange) -> dict[str, Change]:
    """Within-SLA share and escalation rate (two-proportion z-tests) and the untested median hours."""
    now, before = change.current, change.previous
    sla, esc = change.within_sla_test, change.escalation_test
    return {
        "within_sla": Change("within_sla", now.within_sla, before.within_sla, sla.diff, sla.significant,
                             now.n_resolved, before.n_resolved, sla.p_value),
        "escalation_rate": Change("escalation_rate", now.escalation_rate, before.escalation_rate, esc.diff,
                                  esc.significant, now.n_escalation_known, before.n_escalation_known,
                                  esc.p_value),
        "median_hours": Change("median_hours", now.median_hours_to_resolve, before.median_hours_to_resolve,
                               change.median_hours_delta, False, now.n_resolved, before.n_resolved,
                               tested=False),
    }
