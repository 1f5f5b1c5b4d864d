"""A survey's items matched to the items the store already holds, and what an import would change.

An item is found by its code, then by its question text (the same text, then a close one). A file
that renames its codes (Q2_1 for A01) keeps the store's items, so history does not gain spokes;
what would change the store's surveys (new items, another scale, other weights for the CSI) is
listed before it happens, and the import waits for the analyst to accept it.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

from loaders.columns import ColumnMapping, RatingColumn

CLOSE_TEXT = 0.85


def _text_key(text: str | None) -> str:
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", str(text or "").lower())


@dataclass(frozen=True)
class StoredItem:
    kind: str
    code: str
    text: str
    dimension: str | None
    scale_min: float
    scale_max: float


@dataclass(frozen=True)
class ItemChanges:
    """How a survey file's items meet the store's: matched by text, new, rescaled, reweighted."""

    mapping: ColumnMapping                               # the file's mapping, items recoded to the store's
    by_text: tuple[tuple[str, str, str], ...] = ()       # (column, code in the file, store's code), same text
    close: tuple[tuple[str, str, str, str], ...] = ()    # (column, file's text, store's code, store's text)
    new_items: tuple[tuple[str, str], ...] = ()          # (code, text) the store's surveys do not have
    rescaled: tuple[tuple[str, str, str], ...] = ()      # (code, store's scale, file's scale)
    weights: str | None = None                           # "stated" -> "derived" or back

    @property
    def any(self) -> bool:
        return bool(self.close or self.new_items or self.rescaled or self.weights)

    def as_dict(self) -> dict:
        return {"matched_by_text": [list(x) for x in self.by_text], "close_text": [list(x) for x in self.close],
                "new_items": [list(x) for x in self.new_items], "scale_changes": [list(x) for x in self.rescaled],
                "weights": self.weights}

    def message(self, where: str) -> str:
        parts = []
        if self.new_items:
            parts.append(f"{len(self.new_items)} new items the earlier surveys do not have ("
                         + ", ".join(code for code, _ in self.new_items[:8])
                         + ("…" if len(self.new_items) > 8 else "") + ")")
        if self.close:
            parts.append(f"{len(self.close)} items matched to earlier ones by a similar question text ("
                         + "; ".join(f"'{text}' as {code}" for _, text, code, _ in self.close[:4]) + ")")
        if self.rescaled:
            parts.append("scale changes (" + "; ".join(f"{code}: {old} -> {new}"
                                                       for code, old, new in self.rescaled[:6]) + ")")
        if self.weights:
            before, after = self.weights.split("->")
            parts.append(f"the CSI's weights would change from {before.strip()} to {after.strip()} importance"
                         " for the months this file covers")
        return (f"{where}: importing this survey would change the store's surveys: " + "; ".join(parts)
                + ". Check the items; import anyway with --accept-new-items (the page: tick the confirmation)")


def stored_items(con) -> list[StoredItem]:
    rows = con.execute(
        "SELECT DISTINCT i.kind, i.item_code, i.item_text, i.dimension, i.scale_min, i.scale_max"
        " FROM survey_item i JOIN import_batch b ON b.id = i.batch_id WHERE b.status = 'imported'"
        " ORDER BY 1, 2").fetchall()
    return [StoredItem(*row) for row in rows]


def item_changes(con, mapping: ColumnMapping) -> ItemChanges:
    """The file's items against the store's (nothing to report when the store has no survey yet)."""
    known = stored_items(con)
    if not known:
        return ItemChanges(mapping)
    by_code = {(i.kind, i.code): i for i in known}
    by_text = {}
    for item in known:
        by_text.setdefault((item.kind, _text_key(item.text)), item)
    ratings, matched_by_text, close, new, rescaled = [], [], [], [], []
    for rating in mapping.ratings:
        item = by_code.get((rating.kind, rating.item_code))
        if item is None:
            item = by_text.get((rating.kind, _text_key(rating.item_text)))
            if item is not None:
                matched_by_text.append((rating.column, rating.item_code, item.code))
        if item is None:
            item = _closest(rating, [k for k in known if k.kind == rating.kind])
            if item is not None:
                close.append((rating.column, rating.item_text, item.code, item.text))
        if item is None:
            new.append((rating.item_code, rating.item_text))
            ratings.append(rating)
            continue
        if (float(item.scale_min), float(item.scale_max)) != (float(rating.scale_min), float(rating.scale_max)):
            rescaled.append((item.code, f"{item.scale_min:g}-{item.scale_max:g}",
                             f"{rating.scale_min:g}-{rating.scale_max:g}"))
        ratings.append(replace(rating, item_code=item.code, item_text=item.text,
                               dimension=rating.dimension or item.dimension))
    stated_before = any(i.kind == "importance" for i in known)
    stated_now = any(r.kind == "importance" for r in mapping.ratings)
    weights = None
    if stated_before != stated_now:
        weights = "stated -> derived" if stated_before else "derived -> stated"
    return ItemChanges(replace(mapping, ratings=tuple(ratings)), tuple(matched_by_text), tuple(close),
                       tuple(new), tuple(rescaled), weights)


def _closest(rating: RatingColumn, items: list[StoredItem]) -> StoredItem | None:
    key = _text_key(rating.item_text)
    best, best_ratio = None, CLOSE_TEXT
    for item in items:
        ratio = difflib.SequenceMatcher(None, key, _text_key(item.text)).ratio()
        if ratio >= best_ratio:
            best, best_ratio = item, ratio
    return best
