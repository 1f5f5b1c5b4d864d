"""Customer tiers: key, core and general, and the tier a file's tier word names.

The training material divides customers into key, core and general tiers (issue 23). Files carry a
word for it - VIP, 重点客户, Gold, 核心, 普通 - and `tier_of` maps the common ones, in English and
Chinese, to the tier they mean; a word it does not know maps to None, the importer reports it and
the analyst can map it (`python -m loaders tiers --word WORD=TIER`, kept in the store).
"""
from __future__ import annotations

import re

TIERS = ("key", "core", "general")

_WORDS = {
    "key": (
        "key", "key customer", "key customers", "key account", "key client", "vip", "v.i.p.", "svip",
        "top", "top tier", "tier 1", "tier1", "t1", "level 1", "a", "class a", "platinum", "diamond",
        "black", "private", "private banking", "high value", "strategic", "major account",
        "重点", "重点客户", "关键客户", "大客户", "重要客户", "贵宾", "贵宾客户", "vip客户", "钻石", "钻石客户",
        "白金", "白金客户", "私人银行", "私行客户", "高价值", "高价值客户", "高净值", "高净值客户", "战略客户",
        "一级", "一级客户", "a类", "a类客户", "a级", "至尊",
    ),
    "core": (
        "core", "core customer", "core customers", "core client", "gold", "tier 2", "tier2", "t2", "level 2",
        "b", "class b", "mid", "middle", "mid value", "medium", "main", "priority", "affluent",
        "核心", "核心客户", "主力客户", "骨干客户", "金卡", "金卡客户", "黄金", "黄金客户", "中端", "中端客户",
        "中价值", "中价值客户", "二级", "二级客户", "b类", "b类客户", "b级", "潜力客户",
    ),
    "general": (
        "general", "general customer", "general customers", "standard", "ordinary", "basic", "mass",
        "mass market", "normal", "regular", "other", "others", "tier 3", "tier3", "t3", "level 3", "c",
        "class c", "low value",
        "一般", "一般客户", "普通", "普通客户", "大众", "大众客户", "基础客户", "长尾客户", "低价值", "低价值客户",
        "三级", "三级客户", "c类", "c类客户", "c级", "其他", "其他客户", "普卡",
    ),
}


def normalise_tier_word(word: str) -> str:
    """Lower case, inner dashes, underscores and runs of spaces as one space, trimmed."""
    return re.sub(r"[\s_\-]+", " ", str(word).strip().lower()).strip()


TIER_WORDS: dict[str, str] = {normalise_tier_word(w): tier for tier, words in _WORDS.items() for w in words}


def tier_of(word: str | None, corrections: dict[str, str] | None = None) -> str | None:
    """The tier a file's word names, or None when it names none we know (or is blank).

    `corrections` (normalised word -> tier, or '' for "none") are the analyst's, and win over ours.
    """
    if word is None or not str(word).strip():
        return None
    key = normalise_tier_word(word)
    if corrections and key in corrections:
        return corrections[key] or None
    return TIER_WORDS.get(key)


__all__ = ["TIERS", "TIER_WORDS", "normalise_tier_word", "tier_of"]
