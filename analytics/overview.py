"""The overview's tests as one family: the four headline changes, the trends, and the attributes,
complaint causes and branches that "what changed" picks among (DESIGN.md, "Every other change marker").

The page gathers the pieces side by side and calls `overview_family`; `python -m analytics summary`
calls `overview` to compute the same family, so its `findings` are the page's, in the page's order.
"""
from __future__ import annotations

from datetime import date

from analytics import changes
from analytics.complaints import ResolutionChange, complaint_volume_change, resolution_change, rising_causes
from analytics.csi import CsiChange, compare_attributes, csi_change
from analytics.filters import Filters, covered, data_range
from analytics.nps import NpsChange, nps_change, nps_change_by
from analytics.sentiment import SentimentChange, sentiment_change
from analytics.stats import MIN_N
from analytics.trends import find_trends


def overview_family(nps: NpsChange, csi: CsiChange, resolution: ResolutionChange, sentiment: SentimentChange,
                    rising, branches, trends, current: Filters, previous: Filters,
                    min_n: int = MIN_N, data_from: date | None = None) -> changes.Family:
    """The headline changes (NPS, CSI, complaints, negative share) and the tables 'trends',
    'attributes', 'causes' and 'branches', adjusted together by Benjamini–Hochberg. `data_from`, the
    data's first day: a comparison before it has no complaint count to compare with."""
    headlines = [changes.nps_headline(nps, min_n), changes.csi_headline(csi, min_n),
                 changes.complaints_headline(complaint_volume_change(resolution.current.n, resolution.previous.n,
                                                                     current, previous), min_n,
                                               compared=covered(previous, data_from)),
                 changes.negative_share_headline(sentiment, min_n)]
    tables = {"trends": trends, "attributes": compare_attributes(csi.current.attributes, csi.previous.attributes),
              "causes": rising, "branches": branches}
    return changes.adjust_family(headlines, tables, min_n)


def overview(con, current: Filters, previous: Filters, min_n: int = MIN_N) -> changes.Family:
    """overview_family of the selection against the comparison, every piece computed here."""
    return overview_family(nps_change(con, current, previous), csi_change(con, current, previous),
                           resolution_change(con, current, previous), sentiment_change(con, current, previous),
                           rising_causes(con, current, previous), nps_change_by(con, current, previous, "branch"),
                           find_trends(con, current), current, previous, min_n, data_from=data_range(con)[0])


__all__ = ["overview_family", "overview"]
