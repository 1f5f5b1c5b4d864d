"""What a column's answers say: rating words on a scale, numbered answers, not applicable, or the
numbers of a choice question.

Survey tools export a rating as the words the respondent picked ("Very satisfied", "Strongly
agree", "10 - Extremely likely", 非常满意) unless asked for numbers, and then a choice question's
answer is the position of the choice (问卷星 "按选项序号", Qualtrics' numeric recode): 您的性别 = 2
is no rating. This module reads both: words are scored on the known ordered answer set they all
belong to (and the analyst sees and may correct every word's score); a column of numbers is a
rating, a choice, or (when neither its question nor its values tell) a question for the analyst.
Nothing here guesses silently: words in no known set, and numbers that may be choices, are
returned as undecided for the loaders to ask about.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Cells meaning "not applicable": not a score and not a problem.
NA_WORDS = frozenset({
    "n/a", "na", "n.a.", "not applicable", "does not apply", "don't know", "dont know", "do not know",
    "no opinion", "不适用", "不清楚", "无法评价", "不了解", "(跳过)", "(空)", "跳过",
    # a help desk's satisfaction survey sent and not (yet) answered: Zendesk's Offered, Unoffered
    "offered", "not offered", "unoffered",
})


@dataclass(frozen=True)
class AnswerSet:
    """An ordered set of answers a survey tool offers, lowest first; each level's words."""

    name: str
    levels: tuple[tuple[str, ...], ...]

    @property
    def size(self) -> int:
        return len(self.levels)

    def label(self) -> str:
        return " / ".join(level[0] for level in self.levels)


def _set(name: str, *levels: str) -> AnswerSet:
    return AnswerSet(name, tuple(tuple(w.strip() for w in level.split("|")) for level in levels))


# Sets with fewer levels come first among sets of one family; the loaders choose the set with the
# fewest levels that holds every answer a file's columns of that family gave, and show the others
# that would also fit. Chinese words sit only in the 3, 5 and 7 point sets: 4 point scales are
# rare in Chinese questionnaires, and a 5 point one without any 很差 answer is not one.
ANSWER_SETS = (
    # 满意 / 基本满意 / 不满意: the three answers of China's 12345 hotlines' and government service
    # evaluations, 基本满意 ("basically satisfied") their middle
    _set("satisfaction_3", "dissatisfied|不满意", "neutral|neither satisfied nor dissatisfied|一般|基本满意",
         "satisfied|满意"),
    _set("satisfaction_4", "very dissatisfied|extremely dissatisfied", "dissatisfied|somewhat dissatisfied",
         "satisfied|somewhat satisfied", "very satisfied|extremely satisfied"),
    _set("satisfaction_5", "very dissatisfied|extremely dissatisfied|not at all satisfied|非常不满意|很不满意",
         "dissatisfied|somewhat dissatisfied|不满意|不太满意|比较不满意|较不满意",
         "neither satisfied nor dissatisfied|neutral|neither|一般|中立|说不清|基本满意",
         "satisfied|somewhat satisfied|满意|比较满意|较满意", "very satisfied|extremely satisfied|非常满意|很满意"),
    _set("satisfaction_7", "extremely dissatisfied|very dissatisfied|非常不满意",
         "moderately dissatisfied|dissatisfied|不满意", "slightly dissatisfied|somewhat dissatisfied|比较不满意|不太满意",
         "neither satisfied nor dissatisfied|neutral|一般", "slightly satisfied|somewhat satisfied|比较满意",
         "moderately satisfied|satisfied|满意", "extremely satisfied|very satisfied|非常满意"),
    # 认同 ("identify with") is 问卷星's other word for agreeing with a statement: 完全不认同 … 非常认同
    _set("agreement_3", "disagree|不同意|不认同", "neither agree nor disagree|neutral|一般", "agree|同意|认同"),
    _set("agreement_4", "strongly disagree", "disagree|somewhat disagree", "agree|somewhat agree", "strongly agree"),
    _set("agreement_5", "strongly disagree|非常不同意|完全不同意|非常不认同|完全不认同",
         "disagree|somewhat disagree|不同意|不太同意|比较不同意|不认同|不太认同|比较不认同",
         "neither agree nor disagree|neutral|neither|一般|中立|不确定|说不清",
         "agree|somewhat agree|同意|比较同意|认同|比较认同", "strongly agree|非常同意|完全同意|非常认同|完全认同"),
    _set("agreement_7", "strongly disagree|非常不同意|非常不认同", "disagree|不同意|不认同",
         "somewhat disagree|比较不同意|不太同意|比较不认同|不太认同", "neither agree nor disagree|neutral|一般",
         "somewhat agree|比较同意|比较认同", "agree|同意|认同", "strongly agree|非常同意|非常认同"),
    _set("quality_3", "poor|差", "fair|average|一般", "good|好"),
    _set("quality_4", "poor", "fair", "good", "excellent"),
    _set("quality_5", "poor", "fair", "good", "very good", "excellent"),
    _set("quality_5_very_poor", "very poor|很差|非常差", "poor|差|较差", "fair|average|一般",
         "good|好|较好|比较好", "very good|excellent|很好|非常好"),
    # Zendesk's ticket satisfaction: Good or Bad. Listed after the other quality sets, and of their
    # family, so a file's Excellent … Poor columns keep their set and a column of Good alone beside
    # them is read on it
    _set("quality_2", "bad", "good"),
    _set("likelihood_5", "extremely unlikely|very unlikely|not at all likely|非常不可能|完全不可能",
         "unlikely|somewhat unlikely|不太可能|不可能", "neither likely nor unlikely|neutral|不确定|一般",
         "likely|somewhat likely|可能|比较可能|有可能", "extremely likely|very likely|非常可能|很可能"),
    _set("importance_5", "not at all important|not important|完全不重要|非常不重要",
         "slightly important|不太重要|不重要", "moderately important|neutral|一般",
         "very important|重要|比较重要", "extremely important|非常重要"),
    # help desks' ticket satisfaction, three answers no other set holds: Freshdesk's Not Good / Just
    # Okay / Awesome, Help Scout's Not Good / Okay / Great
    _set("csat_3", "not good", "just okay|okay", "awesome|great"),
    _set("ease_5", "very difficult|非常困难|非常难", "difficult|somewhat difficult|困难|比较难",
         "neither easy nor difficult|neutral|一般", "easy|somewhat easy|容易|比较容易", "very easy|非常容易"),
)
KNOWN_WORDS = frozenset(w for s in ANSWER_SETS for level in s.levels for w in level)

# At most this many distinct answers make a column of answers; more is free text.
MAX_ANSWERS = 15
# "5 - Very satisfied", "10 = Extremely likely", "0 - Not at all likely", "5分", "非常满意(5分)": the
# tool's own score with the words; the words must be a rating's, so "2 - Plan B" stays text.
LEADING_NUMBER = re.compile(r"^\s*(?P<n>\d{1,2})\s*分?\s*[-–—=:：.、)）]\s*(?P<rest>\S.*)$")
TRAILING_NUMBER = re.compile(r"^(?P<rest>.*?\S)\s*[(（]\s*(?P<n>\d{1,2})\s*分?\s*[)）]\s*$")
POINTS = re.compile(r"^\s*(?P<n>\d{1,2})\s*(?:分|星|颗星|stars?)\s*$", re.IGNORECASE)


def _outside_nearest_set(words: set[str]) -> tuple[str, ...]:
    """The words to ask about when no known set holds them all: those outside the set that holds
    most of them (Very satisfied, Satisfied, Okay: Okay, though Okay is a help desk's answer)."""
    nearest = max(ANSWER_SETS, key=lambda s: len(words & {w for level in s.levels for w in level}))
    held = {w for level in nearest.levels for w in level}
    return tuple(sorted(words - held)) or tuple(sorted(words))


def answer_key(text: str) -> str:
    """One spelling of an answer: lower case, plain apostrophes and spaces."""
    text = str(text).strip().lower().replace("\u2019", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text)


def is_na(text: str) -> bool:
    return answer_key(text) in NA_WORDS


def numbered(text: str) -> float | None:
    """The number an answer carries: '5 - Very satisfied' -> 5, '7' -> 7, '非常满意(5分)' -> 5."""
    try:
        return float(str(text).strip())
    except ValueError:
        pass
    text = str(text)
    points = POINTS.match(text)
    if points:
        return float(points["n"])
    match = LEADING_NUMBER.match(text) or TRAILING_NUMBER.match(text)
    if match is None or int(match["n"]) > 10:
        return None
    rest = answer_key(match["rest"])
    return float(match["n"]) if rest in KNOWN_WORDS or question_words(rest)[0] else None


@dataclass(frozen=True)
class ColumnAnswers:
    """A column's answers read as scores: each distinct answer as written -> its score (None: not
    applicable), the scale, the known set it was read on, the other sets that would also fit,
    and the answers no known set holds (then the column waits for the analyst)."""

    scores: dict[str, float | None]
    scale: tuple[float, float]
    answer_set: str | None = None
    alternatives: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


def _fits(answer_set: AnswerSet, words: set[str]) -> dict[str, int] | None:
    """Each word's level (1-based) in the set, or None when a word is not in it or two words share
    a level (then the survey had more levels than the set)."""
    positions: dict[str, int] = {}
    taken: dict[int, str] = {}
    for word in words:
        level = next((i for i, ws in enumerate(answer_set.levels, start=1) if word in ws), None)
        if level is None or level in taken:
            return None
        positions[word] = level
        taken[level] = word
    return positions


def candidate_sets(words: set[str]) -> list[AnswerSet]:
    return [s for s in ANSWER_SETS if _fits(s, words) is not None]


def _family(answer_set: AnswerSet) -> str:
    return answer_set.name.split("_")[0]


def split_answers(values) -> tuple[dict[str, float], set[str], list[str]] | None:
    """Distinct cells of a column -> (numbered answers, rating words by key, not-applicable cells as
    written); None when the column holds more distinct answers than a rating has."""
    distinct = {str(v).strip() for v in values if v is not None and str(v).strip()}
    if not distinct or len(distinct) > MAX_ANSWERS + len(NA_WORDS):
        return None
    numbers, words, na = {}, set(), []
    for value in distinct:
        if is_na(value):
            na.append(value)
            continue
        number = numbered(value)
        if number is not None:
            numbers[value] = number
        else:
            words.add(answer_key(value))
    if len(numbers) + len(words) > MAX_ANSWERS:
        return None
    return numbers, words, sorted(na)


def read_answer_columns(columns: dict[str, list], declared: dict[str, float | None] | None = None
                        ) -> dict[str, ColumnAnswers]:
    """The columns whose cells are answers on a scale, read as scores.

    `columns`: header -> its distinct cells. A column of plain numbers is not returned (it is a
    number already); one with numbered answers ("5 - Very satisfied") or not-applicable words is.
    Words are read on the smallest known set holding every word the file's columns of that
    family gave (so one questionnaire's scale is read one way). `declared`: the analyst's own
    scores for answers (by answer_key; None = not applicable), which win over any set.
    A column with a known word and unknown ones comes back with `unknown` (the loaders ask).
    """
    declared = {answer_key(k): v for k, v in (declared or {}).items()}
    split = {h: s for h, s in ((h, split_answers(v)) for h, v in columns.items()) if s is not None}
    # each family's words over the whole file, to read all its columns on one set
    family_words: dict[str, set[str]] = {}
    for numbers, words, _ in split.values():
        open_words = words - set(declared)
        for answer_set in candidate_sets(open_words) if open_words else ():
            family_words.setdefault(_family(answer_set), set()).update(open_words)
    result = {}
    for header, (numbers, words, na) in split.items():
        open_words = words - set(declared)
        declared_here = {w: declared[w] for w in words if w in declared}
        if not words and not na and all(_plain_number(v) for v in numbers):
            continue
        if not words and not numbers and not declared_here:
            continue   # only not-applicable cells: nothing to say about a scale
        scores: dict[str, float | None] = {}
        answer_set, alternatives, unknown = None, (), ()
        if open_words:
            candidates = candidate_sets(open_words)
            if not candidates:
                known = open_words & KNOWN_WORDS
                # free text that happens to hold a rating word is not a column of answers
                if len(known) >= 2 and len(known) >= 0.5 * len(open_words):
                    unknown = _outside_nearest_set(open_words)
                    result[header] = ColumnAnswers({}, (1.0, 5.0), None, (), unknown)
                continue
            chosen = _choose(candidates, family_words)
            answer_set = chosen.name
            alternatives = tuple(c.name for c in candidates if c is not chosen)
            positions = _fits(chosen, open_words)
        else:
            positions = {}
        for value in _written(columns[header]):
            key = answer_key(value)
            if is_na(value):
                scores[value] = None
            elif key in declared:
                scores[value] = declared[key]
            elif key in positions:
                scores[value] = float(positions[key])
            elif value in numbers and not _plain_number(value):
                scores[value] = numbers[value]
        plain = [n for v, n in numbers.items() if _plain_number(v)]
        seen = [s for s in scores.values() if s is not None] + plain
        if answer_set is not None:
            size = next(s.size for s in ANSWER_SETS if s.name == answer_set)
            if plain and max(plain) > size:
                # words beside numbers beyond their set (Good and Poor among 0 to 10): read on the
                # words' set, Good would be 3 of 10; the analyst scores them on the numbers' scale
                result[header] = ColumnAnswers({}, number_scale(min(plain), max(plain)), None, (),
                                               tuple(sorted(open_words)))
                continue
            scale = (1.0, float(size))
            if seen:
                scale = (min(scale[0], min(seen)), max(scale[1], max(seen)))
        else:
            scale = number_scale(min(seen), max(seen)) if seen else (1.0, 5.0)
        ordered = dict(sorted(scores.items(), key=lambda kv: (kv[1] is None, kv[1] or 0, kv[0])))
        result[header] = ColumnAnswers(ordered, scale, answer_set, alternatives, unknown)
    return result


def _plain_number(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


def _written(values) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        if v is not None and str(v).strip():
            seen.setdefault(str(v).strip(), None)
    return list(seen)


def _choose(candidates: list[AnswerSet], family_words: dict[str, set[str]]) -> AnswerSet:
    """The set with the fewest levels that holds the column's words and its family's words in the
    whole file; else the column's own smallest."""
    pooled = [c for c in candidates if _fits(c, family_words.get(_family(c), set())) is not None]
    ranked = sorted(pooled or candidates, key=lambda c: (c.size, ANSWER_SETS.index(c)))
    return ranked[0]


def number_scale(low: float, high: float) -> tuple[float, float]:
    """The smallest common scale holding the numbers seen (0-10 for an NPS question)."""
    for scale_min, scale_max in ((1, 5), (1, 7), (1, 10), (0, 10)):
        if low >= scale_min and high <= scale_max:
            return float(scale_min), float(scale_max)
    return float(min(low, 0)), float(high)


def answer_set_size(name: str) -> int:
    """How many answers a known set has (its points)."""
    return next(s.size for s in ANSWER_SETS if s.name == name)


# --- numbers that may be a choice's position ---------------------------------------------------

RATING_WORDS = ("satisf", "rate", "rating", "agree", "likely", "likelihood", "recommend", "important",
                "importance", "quality", "score", "how well", "how easy", "how good", "experience",
                "满意", "评价", "打分", "评分", "同意", "认同", "重要", "可能性", "推荐", "程度", "怎么样", "如何", "分数")
CHOICE_WORDS = (r"\bgender\b", r"\bsex\b", r"\bage\b", r"\bage group\b", r"\bcity\b", r"\bcountry\b",
                r"\bprovince\b", r"\boccupation\b", r"\bjob\b", r"\bprofession\b", r"\beducation\b",
                r"\bincome\b", r"\bindustry\b", r"\bdepartment\b", r"\bmarital\b", r"\bwhich\b",
                r"\bnationality\b", r"\bethnicity\b", r"\breligion\b",
                # alone, as a data set names its coded columns (SECTOR, ACADEMIC); "Language skills" or
                # "Sector knowledge" are attributes to rate
                r"^\s*(sector|academic|academic level|race|language|qualification|employment)\s*$",
                # a period a data set numbers (Quarter 1-4, Month 1-12) is when, not how well
                r"^\s*(quarter|month|year|week|weekday|day of week|季度|月份|年份|星期)\s*$",
                r"\bwhat type\b", r"\btype of\b", r"\bkind of\b", r"\bhow did you hear\b", r"\bhow often\b",
                r"\bhow many\b", r"\bpurpose\b", r"\bchannel\b", r"\bwhere\b",
                "性别", "年龄", "城市", "省份", "哪", "职业", "学历", "收入", "行业", "部门", "类型", "类别",
                "渠道", "方式", "什么", "是否", "身份", "目的", "婚姻", "次数", "频率", "来自",
                "国籍", "民族", "宗教", "专业")


# headers of counts and durations, which run on a rating's small whole numbers too
COUNT_WORDS = (r"\binteractions?\b", r"\bcount\b", r"\bnumber of\b", r"\bno\. of\b", r"#\s*of\b",
               r"\b(visits|times|calls|contacts|replies|responses|messages|emails|attempts|reopens|reopened|"
               r"transfers|escalations|tickets|orders|items|stations|days|hours|hrs|minutes|mins)\b",
               # how many came, and how many liked a review: a party's size, a review site's likes
               r"\b(group|party|household|family) size\b", r"\b(nights|likes|votes)\b",
               "次数", "数量", "件数", "天数", "小时", "分钟", "回复数", "转接")


def _spaced(text: str) -> str:
    """A question or header in lower case with its words apart: a data file's own names run them
    together (GroupSize, visit_frequency), where the patterns' word boundaries would not see them."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])|_", " ", str(text)).lower()


def question_words(text: str) -> tuple[bool, bool]:
    """(asks for a rating, asks for a choice) by the question's words."""
    lowered = _spaced(text)
    rating = any(w in lowered for w in RATING_WORDS)
    choice = any(re.search(w, lowered) for w in CHOICE_WORDS)
    return rating, choice


def numbers_role(text: str, low: float, high: float, in_matrix: bool, codes_choices: bool) -> str:
    """rating, choice, count or unsure, for a column of small whole numbers.

    0s and 1s are a choice (a flag, a ticked box) whatever the question says, even in a matrix. Then
    the question's words decide (gender, city, which, how many ... ask for a choice; satisfied,
    rate, agree, 满意 ... for a rating; both: unsure); a header that counts without saying either
    (interactions, number of, replies, hours, group size, likes ...; a help desk's "Customer
    interactions" of 1 to 5) is a count. Else the values and the layout: the rows of a matrix
    question are ratings; two answers 1 and 2 are a choice; and in an export that writes choices as
    their numbers (问卷星, 腾讯问卷, Qualtrics, SurveyMonkey) a lone question that says neither is
    unsure; elsewhere numbers are scores.
    """
    if (low, high) == (0, 1):
        # 0s and 1s: a flag or a ticked box, even among a plain file's columns and under a rating's
        # word (a data set's "HighSatisfaction" of 0 and 1 is a yes or no, not two points of a scale)
        return "choice"
    rating, choice = question_words(text)
    if not rating and not choice and any(re.search(w, _spaced(text)) for w in COUNT_WORDS):
        return "count"
    if rating and choice:
        return "unsure"
    if choice:
        return "choice"
    if rating:
        return "rating"
    if in_matrix:
        return "rating"
    if high - low <= 1 and high <= 2:
        return "choice"
    return "unsure" if codes_choices else "rating"


def answer_sets(scores: dict[str, float | None]) -> dict:
    """Which known set a column's scores are (its levels, lowest first), and the other sets its words
    would also fit: {"answer_set": …, "also": […]}. "numbered": the answers carry their numbers;
    None: scores of the analyst's own."""
    words = {answer_key(k): v for k, v in scores.items() if v is not None and numbered(k) is None}
    if not words:
        return {"answer_set": "numbered", "answer_set_levels": None, "also": []}
    candidates = sorted(candidate_sets(set(words)), key=lambda c: (c.size, ANSWER_SETS.index(c)))
    same = [c for c in candidates if all(_fits(c, set(words))[w] == v for w, v in words.items())]
    chosen = same[0] if same else None
    return {"answer_set": chosen.name if chosen else None,
            "answer_set_levels": chosen.label() if chosen else None,
            "also": [c.name for c in candidates if c is not chosen]}
