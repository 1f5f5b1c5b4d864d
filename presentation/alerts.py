"""Alerts in words, and the run after every import: evaluate the rules on the latest month, record
the new events once each, and e-mail them when SMTP is configured (presentation/mail.py).

The import paths call `after_import`: the Imports page through presentation.upload.run_import, and
`python -m loaders import` / `demo`, which sit on top of every layer. The loaders themselves never
import the analytics (pyproject.toml's layers), so the evaluation happens here, above both.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.alerts import evaluate, latest_month
from analytics.targets import MET, SHORT, TOO_FEW, TargetGap
from analytics.changes import HIGHER, METRICS
from presentation.findings import Finding, BAD, fmt_delta, fmt_q, fmt_value, metric_name, subject_name
from presentation.formats import fmt_count, fmt_month, fmt_n, fmt_number
from presentation.i18n import LANGUAGES, translate
from presentation.mail import MailError, send_mail, smtp_settings
from store.alerts import claim_unsent, record_events, release_unsent
from store.query import number


ALERT = "alert"  # the kind of an alert's Finding


def _subject(row, language: str) -> str:
    if row.scope == "cause":
        return str(row.subject)
    return subject_name(row.scope, row.subject, language)


def alert_sentence(row, language: str) -> str:
    """One alert (an alert_event row, or evaluate's) in one sentence with the numbers behind it."""
    subject = _subject(row, language)
    month = fmt_month(row.period, language)
    q = fmt_q(number(row.q_value), language)
    n = fmt_n(int(row.n), language) if number(row.n) is not None else ""
    if row.rule == "branch_nps_fall":
        return translate("alert.branch_nps_fall", language, subject=subject, month=month,
                         value=fmt_value("nps", row.value, language), before=fmt_value("nps", row.reference, language),
                         q=q, n=n)
    if row.rule == "cause_above_mean":
        return translate("alert.cause_above_mean", language, subject=subject, month=month, count=fmt_count(row.value),
                         mean=fmt_number(row.reference, 1), months=int(row.months), q=q)
    if row.rule == "sustained_decline":
        key = "alert.sustained_rise" if row.metric == "complaints" else "alert.sustained_fall"
        return translate(key, language, subject=subject, metric=metric_name(row.metric, language),
                         months=int(row.months), first=fmt_value(row.metric, row.reference, language),
                         first_month=fmt_month(row.first_month, language),
                         last=fmt_value(row.metric, row.value, language), month=month, q=q, n=n)
    return translate("alert.sla_below_target", language, subject=subject, month=month,
                     value=fmt_value("within_sla", row.value, language),
                     target=fmt_value("within_sla", row.reference, language),
                     low=fmt_value("within_sla", row.ci_low, language),
                     high=fmt_value("within_sla", row.ci_high, language), n=n)


def alert_findings(alerts: pd.DataFrame, language: str) -> list[Finding]:
    """The alerts as findings (bad news), each with the month it has been raised since."""
    found = []
    for row in alerts.itertuples(index=False):
        text = alert_sentence(row, language)
        since = getattr(row, "since", None)
        if since and since != row.period:
            text += translate("alert.since", language, since=fmt_month(since, language))
        found.append(Finding(text, BAD, ALERT, None if pd.isna(row.subject) else row.subject, row.metric))
    return found


def alert_records(alerts: pd.DataFrame, language: str) -> list[dict]:
    """The alerts for `summary --json`: rule, scope, subject, metric, period, since, sentence."""
    return [{"rule": row.rule, "scope": row.scope, "subject": None if pd.isna(row.subject) else row.subject,
             "metric": row.metric, "period": row.period, "since": getattr(row, "since", row.period),
             "sentence": alert_sentence(row, language)} for row in alerts.itertuples(index=False)]


def target_sentence(gap: TargetGap, language: str) -> str:
    """The line under a tile about its target: met, short (below it, or above a ceiling), within
    reach (the interval holds it), or too few to judge."""
    metric = gap.metric
    target = fmt_value(metric, gap.target.value, language)
    if gap.target.scope != "all":
        target = translate("target.whose", language, target=target,
                           place=subject_name(gap.target.scope, gap.target.subject, language))
    if gap.status == TOO_FEW:
        return translate("target.too_few", language, target=target, n=fmt_n(gap.n, language))
    if gap.value is None:
        return translate("target.no_data", language, target=target)
    values = dict(target=target, gap=fmt_delta(metric, gap.gap, language))
    if gap.status == MET:
        return translate("target.met", language, **values)
    if gap.status == SHORT:
        below = METRICS[metric][1] == HIGHER
        return translate("target.short_below" if below else "target.short_above", language, **values)
    return translate("target.within_reach", language, **values)


def target_records(gaps: dict[str, TargetGap]) -> dict[str, dict]:
    """The targets' gaps for `summary --json` (shares as fractions, like every other share there)."""
    return {metric: {"target": gap.target.value, "scope": gap.target.scope, "subject": gap.target.subject,
                     "value": gap.value, "gap": gap.gap, "ci95": None if gap.ci_low is None or gap.ci_high is None
                     else [gap.ci_low, gap.ci_high], "n": gap.n, "status": gap.status}
            for metric, gap in gaps.items()}


# -- after every import ----------------------------------------------------------------------------

@dataclass(frozen=True)
class AlertRun:
    """What an evaluation after an import did: the month, the new events, and whom they were sent to
    (None: SMTP is not configured), or why they could not be sent (`problem`)."""

    month: str | None
    new: pd.DataFrame
    sent: int = 0
    sent_to: str | None = None
    problem: str | None = None


def mail_text(events: pd.DataFrame, month: str) -> tuple[str, str]:
    """(subject, body) of the alerts' e-mail: every alert in English, then in Chinese."""
    subject = " / ".join(translate("alert.mail_subject", language, month=fmt_month(month, language), k=len(events))
                         for language in LANGUAGES)
    parts = []
    for language in LANGUAGES:
        lines = [translate("alert.mail_intro", language, month=fmt_month(month, language))]
        lines += [f"- {alert_sentence(row, language)}" for row in events.itertuples(index=False)]
        parts.append("\n".join(lines))
    return subject, "\n\n".join(parts) + "\n"


def after_import(con, who: str | None = None) -> AlertRun:
    """Evaluate the alert rules on the data's latest month, record the events not raised before, and
    send the month's unsent ones when SMTP is configured. An event is recorded and sent once, however
    often this runs (store.alerts)."""
    month = latest_month(con)
    if month is None:
        return AlertRun(None, pd.DataFrame())
    events, _ = evaluate(con, month)
    new = record_events(con, events, who)
    try:
        settings = smtp_settings()
    except MailError as e:
        return AlertRun(month, new, problem=str(e))
    if settings is None:
        return AlertRun(month, new)
    recipients = ", ".join(settings.recipients)
    claimed = claim_unsent(con, month, recipients)
    if claimed.empty:
        return AlertRun(month, new, 0, recipients)
    try:
        send_mail(settings, *mail_text(claimed, month))
    except MailError as e:
        release_unsent(con, claimed, str(e))
        return AlertRun(month, new, 0, recipients, str(e))
    return AlertRun(month, new, len(claimed), recipients)


def run_summary(run: AlertRun, language: str) -> str:
    """One line about an evaluation after an import, for the command line and the Imports page."""
    if run.month is None:
        return translate("alert.check_failed", language, problem=run.problem) if run.problem else ""
    text = translate("alert.run", language, k=len(run.new), month=fmt_month(run.month, language))
    if run.problem:
        text += " " + translate("alert.run_failed", language, problem=run.problem)
    elif run.sent:
        text += " " + translate("alert.run_sent", language, k=fmt_count(run.sent), to=run.sent_to)
    return text
