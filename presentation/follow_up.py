"""The follow-up list as the page shows it and as a spreadsheet, and the changes analysts make to it
(the list's edits, an edited file brought back, a team's self-assessment), each refused for a viewer
on the server, whatever the browser sent.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime

import pandas as pd

from analytics.filters import Filters
from analytics.follow_up import FollowUpOutcome, Share, follow_up_list
from loaders.follow_up import FIELDS, ID_FIELD, FollowUpWords, import_follow_up_bytes
from presentation.formats import fmt_count, fmt_share
from presentation.i18n import LANGUAGES, translate
from presentation.upload import Access, require_analyst
from store.assessment import save_assessment
from store.follow_up import KEEP, SOURCES, STATUSES, FollowUpChange, SavedChanges, save_follow_ups
from text.tiers import TIERS

# The list's columns as the page and the spreadsheet show them, in order (each headed by
# follow_up.col.<column>); `late` is the overdue days in words.
SHOWN_COLUMNS = ("source", "late", "customer_id", "tier", "responded_at", "branch", "score", "owner", "due_on", "status",
                 "outcome", "contacted_at", "detail", "region", "item_key")
EDITABLE = ("owner", "due_on", "status", "outcome", "contacted_at")
# the spreadsheet: the id that names the item first, the lateness left out (it is the day's, not the item's)
EXPORTED = ("item_key", *(c for c in SHOWN_COLUMNS if c not in ("item_key", "late")))


def follow_up_words() -> FollowUpWords:
    """The headers and status words of every language the dashboard writes the list in."""
    headers = {name: tuple(translate(f"follow_up.col.{name}", lang) for lang in LANGUAGES)
               for name in (ID_FIELD, *FIELDS)}
    statuses = {translate(f"follow_up.status.{s}", lang): s for s in STATUSES for lang in LANGUAGES}
    return FollowUpWords(headers, statuses)


def status_label(status: str, language: str) -> str:
    return translate(f"follow_up.status.{status}", language)


def source_label(source: str, language: str) -> str:
    return translate(f"follow_up.source.{source}", language) if source in SOURCES else str(source)


def late_text(days: int, source_gone: bool, language: str) -> str:
    parts = []
    if days:
        parts.append(translate("follow_up.late", language, days=int(days)))
    if source_gone:
        parts.append(translate("follow_up.gone", language))
    return " · ".join(parts)


def shown_list(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """The list with its codes in words (why, lateness) and its dates as dates: SHOWN_COLUMNS, the
    status still a code (the page's editor offers the codes by their words)."""
    shown = frame.copy()
    shown["source"] = shown["source"].map(lambda s: source_label(s, language))
    shown["late"] = [late_text(d, g, language) for d, g in zip(shown["days_overdue"], shown["source_gone"])]
    shown["responded_at"] = pd.to_datetime(shown["responded_at"])
    shown["contacted_at"] = pd.to_datetime(shown["contacted_at"])
    shown["due_on"] = pd.to_datetime(shown["due_on"]).dt.date
    shown["detail"] = shown["detail"].fillna("")
    shown["tier"] = shown["tier"].map(lambda tier: translate(f"tier.{tier}", language) if tier in TIERS else "")
    return shown[list(SHOWN_COLUMNS)].reset_index(drop=True)


OVERDUE_STYLE = "background-color: #fde2e1; color: #8a1c1c; font-weight: 600"


def overdue_styles(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A CSS style per cell of the list shown with `columns`: overdue items' lateness and reason
    marked (the editor styles only the cells that cannot be edited)."""
    marked = [OVERDUE_STYLE if overdue else "" for overdue in frame["overdue"]]
    return pd.DataFrame({c: marked if c in ("late", "source") else [""] * len(frame) for c in columns})


# On the shared screen: no ids (masked, they say nothing), no dates beside the lateness that says
# when, so the reasons and the customers' words keep their room.
NOT_ON_SCREEN = ("item_key", "customer_id", "region", "responded_at", "due_on", "contacted_at")


def shared_screen_columns(shown: pd.DataFrame) -> tuple[str, ...]:
    """The columns of a shown_list the shared screen shows: SHOWN_COLUMNS but NOT_ON_SCREEN and
    those empty in every row (no owner or outcome written yet)."""
    def filled(value) -> bool:
        return not (value is None or value is pd.NaT or value == "" or (not isinstance(value, str) and pd.isna(value)))

    return tuple(c for c in SHOWN_COLUMNS if c not in NOT_ON_SCREEN and any(filled(v) for v in shown[c]))


def readable_list(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """shown_list with the statuses in words, for a table nobody edits."""
    shown = shown_list(frame, language)
    shown["status"] = shown["status"].map(lambda s: status_label(s, language))
    return shown


def export_frame(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """The list as the spreadsheet to download: headed and worded in `language`, the columns that
    loaders.follow_up reads back under the same headers. The caller writes it with
    presentation.export, so no cell runs as a formula."""
    shown = readable_list(frame, language)
    shown["due_on"] = shown["due_on"].map(lambda d: d.isoformat() if isinstance(d, date) else "")
    for column in ("responded_at", "contacted_at"):
        shown[column] = shown[column].map(lambda t: t.strftime("%Y-%m-%d %H:%M") if pd.notna(t) else "")
    exported = shown[list(EXPORTED)]
    exported.columns = [translate(f"follow_up.col.{c}", language) for c in EXPORTED]
    return exported


def list_file(con, filters: Filters, as_of: datetime, statuses: tuple[str, ...], sources: tuple[str, ...],
              language: str, *, editing: bool, shared_screen: bool = False) -> pd.DataFrame:
    """The whole list of the selection (every item of follow_up_list, not the page's slice of it) as its
    download, read when the file is asked for: for an analyst editing it, the spreadsheet that comes
    back (export_frame); for a reader, the table as the page draws it (readable_list's SHOWN_COLUMNS,
    on the shared screen shared_screen_columns), its columns still by name, for the page to mask and
    head as it does its tables."""
    items = follow_up_list(con, filters, as_of, statuses, sources)
    if editing:
        return export_frame(items, language)
    listed = readable_list(items, language)
    return listed[list(shared_screen_columns(listed) if shared_screen else SHOWN_COLUMNS)]


def page_span(total: int, page: int, per_page: int) -> tuple[int, int, int, int]:
    """(page, pages, first, last) of a list of `total` items shown `per_page` at a time: `page` kept
    within the list (a narrower choice may leave fewer pages), its first and last item counted from 1."""
    pages = max(-(-total // per_page), 1)
    page = min(max(int(page), 1), pages)
    first = (page - 1) * per_page
    return page, pages, first + 1 if total else 0, min(first + per_page, total)


def _value(value):
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def list_changes(before: pd.DataFrame, after: pd.DataFrame) -> list[FollowUpChange]:
    """The changes the page's editor made: per row whose editable cells differ, those cells."""
    changes = []
    for (_, old), (_, new) in zip(before.iterrows(), after.iterrows()):
        changed = {c: _value(new[c]) for c in EDITABLE if _value(old[c]) != _value(new[c])}
        if changed:
            changes.append(FollowUpChange(old["item_key"], **{c: changed.get(c, KEEP) for c in EDITABLE}))
    return changes


def pending_after(pending: dict[str, dict], before: pd.DataFrame, after: pd.DataFrame) -> dict[str, dict]:
    """The unsaved edits of the whole list (item id -> {column: value}), kept while the analyst turns
    its pages (each page is an editor of its own, which forgets its edits once another page is
    drawn): `pending` with the drawn page's items (`before`, as the store has them) set to what the
    editor now holds (`after`); an item edited back to the store's values has none."""
    drawn = set(before["item_key"])
    kept = {key: cells for key, cells in pending.items() if key not in drawn}
    for change in list_changes(before, after):
        kept[change.item_key] = {c: getattr(change, c) for c in EDITABLE if getattr(change, c) is not KEEP}
    return kept


def with_pending(shown: pd.DataFrame, pending: dict[str, dict]) -> pd.DataFrame:
    """A shown_list page with the unsaved edits of its items in place: what its editor draws."""
    drawn = shown.copy()
    for row, key in enumerate(drawn["item_key"]):
        for column, value in pending.get(key, {}).items():
            drawn.at[row, column] = value
    return drawn


def page_identity(shown: pd.DataFrame) -> str:
    """Which items a page of the list draws, in their order: part of its editor's key. The editor keeps
    its edits by row number, so a list drawn in another order (a save from another replica re-sorts
    it; another month holds as many items) must be another editor, never an edit moved to the item
    that now sits in its row."""
    return hashlib.blake2b("\n".join(shown["item_key"]).encode(), digest_size=8).hexdigest()


def editor_overlay(drawn: tuple[str, dict] | None, key: str, shown: pd.DataFrame,
                   pending: dict[str, dict]) -> tuple[str, dict[str, dict]]:
    """(editor key, the unsaved edits that editor draws in place): taken from `pending` when the
    editor is first drawn and kept while it lives (`drawn` is the last run's pair). The editor itself
    holds the edits made since; data that changed under it after each edit would make the browser's
    grid drop the edits now in its data and send its state again, an extra run that can swallow a
    click on Save."""
    if drawn is not None and drawn[0] == key:
        return drawn
    page_keys = set(shown["item_key"])
    return key, {item: cells for item, cells in pending.items() if item in page_keys}


def run_save_pending(con, access: Access, pending: dict[str, dict]) -> SavedChanges:
    """Save the unsaved edits of every page of the list (pending_after), for an analyst only."""
    require_analyst(access, "change the follow-up list")
    changes = [FollowUpChange(key, **{c: cells.get(c, KEEP) for c in EDITABLE}) for key, cells in pending.items()]
    return save_follow_ups(con, changes, access.imported_by)


def run_import_list(con, access: Access, name: str, data: bytes) -> SavedChanges:
    """Save an edited follow-up file's changes, for an analyst only."""
    require_analyst(access, "change the follow-up list")
    return import_follow_up_bytes(con, name, data, follow_up_words(), access.imported_by)


def run_save_assessment(con, access: Access, team: str, assessed_on: date, answers) -> str:
    """Save a team's self-assessment, for an analyst only (the rule of uploads)."""
    require_analyst(access, "save a self-assessment")
    return save_assessment(con, team, assessed_on, answers)


def status_title(counts: pd.DataFrame, language: str) -> str:
    """The chart's finding: how many of the items shown are overdue, and how many resolved."""
    resolved = int(counts.loc[counts["status"] == "resolved", "items"].sum())
    return translate("title.follow_up", language, overdue=fmt_count(counts["overdue"].sum()),
                     items=fmt_count(counts["items"].sum()), resolved=fmt_count(resolved))


def share_detail(share: Share, language: str) -> str:
    """'12 of 40 · 95% interval 17.6% to 45.1%', or too few to judge below the minimum n."""
    if share.too_few:
        return translate("follow_up.share_too_few", language, k=fmt_count(share.k), n=fmt_count(share.n))
    return translate("follow_up.share_detail", language, k=fmt_count(share.k), n=fmt_count(share.n),
                     low=fmt_share(share.ci.low), high=fmt_share(share.ci.high))


def outcome_tiles(outcome: FollowUpOutcome, language: str) -> list[tuple[str, str, str]]:
    """(label, value, detail) of the outcome's tiles: the counts, then the two shares."""
    return [
        (translate("follow_up.metric.items", language), fmt_count(outcome.items), ""),
        (translate("follow_up.metric.open", language), fmt_count(outcome.open), ""),
        (translate("follow_up.metric.overdue", language), fmt_count(outcome.overdue), ""),
        (translate("follow_up.metric.contacted_48h", language), fmt_share(outcome.contacted_48h.share, 0),
         share_detail(outcome.contacted_48h, language)),
        (translate("follow_up.metric.recovered", language), fmt_share(outcome.recovered.share, 0),
         share_detail(outcome.recovered, language)),
    ]


__all__ = ["EDITABLE", "EXPORTED", "list_file", "page_span", "NOT_ON_SCREEN", "SHOWN_COLUMNS", "export_frame", "overdue_styles", "readable_list",
           "shared_screen_columns", "follow_up_words", "late_text", "list_changes",
           "outcome_tiles", "pending_after", "run_import_list", "run_save_assessment", "run_save_pending",
           "with_pending", "editor_overlay", "page_identity",
           "share_detail", "shown_list", "status_title", "source_label", "status_label"]
