"""The alert rules the dashboard knows and their defaults, seeded into the store by its upgrade
(store/db.py, step 8) and read back by store/alerts.py; analysts switch them off or change a
threshold, never add a rule of their own.

threshold: branch_nps_fall, the smallest fall (NPS points) worth an alert, beyond passing the test;
cause_above_mean, how many months before the month make the mean; sla_below_target, the SLA in
hours; sustained_decline, the months of the trend test (Mann–Kendall needs at least 6 values: on 3 the
smallest two-sided p is 1/3, so "3 months" alone can never be significant).
"""
from __future__ import annotations

# rule → (enabled, threshold, lowest allowed threshold, highest allowed threshold)
DEFAULT_RULES: dict[str, tuple[bool, float, float, float]] = {
    "branch_nps_fall": (True, 0.0, 0.0, 200.0),
    "cause_above_mean": (True, 3.0, 1.0, 12.0),
    "sla_below_target": (True, 24.0, 1.0, 24.0 * 30),
    "sustained_decline": (True, 12.0, 6.0, 24.0),
}
RULES = tuple(DEFAULT_RULES)
