"""The words of a customer's text: jieba for Chinese runs, a regex, a light stem and stopwords for
English. Complaints are matched to causes and their most typical text by these words."""
from __future__ import annotations

import functools
import logging
import re

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9']*[a-z0-9]|[a-z]")
# What an export writes where it masked a name, a number or a date (the US CFPB's narratives: "XXXX",
# "XX/XX/XXXX"): no word of the customer's, though it would top every theme of such a file.
_MASK = re.compile(r"x{2,}")
_EN_STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each even ever every few for from
further get got had has have having he her here hers him his how i if in into is it its itself just
me more most my no nor not now of off on once only or other our ours out over own same she should so
some still such than that the their them then there these they this those through to too under until
up upon us very was we were what when where which while who whom why will with would you your yours
yet really one two day days time times again please thank thanks customer customers
""".split())
_ZH_STOPWORDS = frozenset("""
的 了 是 我 你 他 她 它 我们 你们 他们 她们 在 和 与 及 也 就 都 很 还 又 被 把 给 对 从 这 那 这个 那个 这样
那样 一个 一次 有 没 吗 呢 吧 啊 呀 哦 嗯 个 得 地 着 过 说 要 会 能 让 但 但是 而且 因为 所以 如果 就是 还是
一下 已经 非常 太 真 真的 比较 什么 怎么 为什么 可以 自己 时候 今天 昨天 客户 您 请 谢谢
""".split())


def _stem(word: str) -> str:
    """A light English stem (plural and possessive endings) so 'fees' and 'fee' meet."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@functools.cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def complaint_tokens(text: str | None, cut: dict[str, list[str]] | None = None) -> frozenset[str]:
    """Words of a complaint: jieba for Chinese runs, a regex and a stopword list for English.

    `cut` remembers the words of each Chinese run across calls (see complaint_token_sets).
    """
    if not isinstance(text, str) or not text.strip():
        return frozenset()
    lowered = text.lower()
    words: set[str] = set()
    runs = _CJK_RUN.findall(lowered)
    if runs:
        jieba = _jieba()
        for run in runs:
            found = cut.get(run) if cut is not None else None
            if found is None:
                found = [w for w in jieba.lcut(run) if w.strip() and w not in _ZH_STOPWORDS]
                if cut is not None:
                    cut[run] = found
            words.update(found)
    for word in _LATIN_WORD.findall(_CJK_RUN.sub(" ", lowered)):
        if len(word) >= 3 and word not in _EN_STOPWORDS and not _MASK.fullmatch(word):
            words.add(_stem(word))
    return frozenset(words)


def word_language(word: str) -> str:
    """'zh' for a word of Chinese characters, else 'en': complaint_tokens cuts a text into words of
    one script each (jieba's of the Chinese runs, the regex's of the rest)."""
    return "zh" if _CJK_RUN.search(word) else "en"


def one_script(words: list[str], language: str | None = None) -> list[str]:
    """The words, in their order, written in `language` (a theme's or a name's), or where none is, in
    the script of the first word: a name made of them never mixes English and Chinese."""
    if not words:
        return []
    if language is None or not any(word_language(w) == language for w in words):
        language = word_language(words[0])
    return [w for w in words if word_language(w) == language]


def complaint_token_sets(texts) -> dict[str, frozenset[str]]:
    """complaint_tokens of each distinct text. Complaints share most of their sentences (a
    product's usual fault, a closing "please fix it soon"), and jieba is cut once per distinct
    Chinese run: a month's 1,000 distinct texts of one cause held 54 distinct runs."""
    cut: dict[str, list[str]] = {}
    return {text: complaint_tokens(text, cut) for text in set(texts)}
