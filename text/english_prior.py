"""An English sentiment prior learned offline from public labelled reviews and tweets: a linear model
over words, word pairs and negated words, shipped as text/lexicon/en_prior.tsv.gz (term, weight; one
a line), and a second one for social-media posts (text/lexicon/en_prior_social.tsv.gz: the same
recipe with SemEval's 2013-2016 tweets added; english_rules.is_social says which texts read it).

A text's terms are its words, as the rules cut them (text/english_rules.py), each pair of
neighbouring words, and "~word" for each word up to three places after a negator (the rules'
negated_words); each distinct term counts once and the sum is divided by the square root of the
number of distinct terms (the training's L2-normalised binary features), so

    margin = bias + sum(weight[t] for t in distinct terms) / sqrt(number of distinct terms)
    prior  = tanh(margin / 2)                          (2p - 1 of the logistic model's p)

The weights were fitted by logistic regression (tools/train_english_prior.py) on the corpora the
README lists ("Sentiment"); none of the evaluation or held-out sets. Nothing is downloaded: the
files are committed, and each is read once, when a text first needs it.
"""
from __future__ import annotations

import gzip
from functools import cache
from itertools import repeat
from math import sqrt, tanh
from pathlib import Path

PRIOR_FILE = Path(__file__).with_name("lexicon") / "en_prior.tsv.gz"
# fitted as PRIOR_FILE with 13,948 SemEval tweets added; it scored public tweets better than
# PRIOR_FILE and two review sets worse (fine-food titles, musical-instrument reviews), so only social
# posts read it (english_rules.is_social)
SOCIAL_PRIOR_FILE = Path(__file__).with_name("lexicon") / "en_prior_social.tsv.gz"
BIAS_TERM = "<bias>"


def read_prior(path: Path) -> tuple[dict[str, float], float]:
    """(term -> weight, bias) of a prior file: `term<TAB>weight` lines, `#` comments, the bias as the
    term <bias>."""
    weights: dict[str, float] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            term, weight = line.rstrip("\n").split("\t")
            weights[term] = float(weight)
    return weights, weights.pop(BIAS_TERM, 0.0)


# A word the rules' lexicons (VADER's and ours, text/english_rules.py) call negative, at this valence
# or below, which the prior weighs positive, is left to the rules: the prior learned such weights
# from reviews where the word is rare or means something else ("rude" +1.66, "insane" +2.94,
# "horror" a film's genre; "no complaints" has a rule of its own), and in a service comment the
# lexicon is right ("The staff was rude" read neutral). Not the other way: a word of praise the
# prior weighs negative is mostly one it learned in a wish or a sneer ("I wish I had", "what a
# joke"), and leaving those to the rules lowered macro-F1 on the public sets (README "Sentiment",
# issue 21's fourteenth round).
CONTRADICTED_FROM = -1.0
# ... and these words of praise, which a service comment uses in their plain sense and the prior
# learned negative ("reliable" -1.69, "professional" -0.99, "polite" -0.98: "Reliable service" read
# neutral); the public sets held still or rose with them left to the rules (US bank reviews +0.0008)
SERVICE_PRAISE = frozenset({"reliable", "professional", "polite", "solution", "informed"})


@cache
def _prior(social: bool = False) -> tuple[dict[str | tuple[str, str], float], float]:
    """The shipped prior (the social posts' one if `social`) with each pair's key a tuple (first
    word, second word): the text's pairs are looked up as zip() makes them, with no string built
    per pair (the bench's English floor). Negative words it weighs positive (CONTRADICTED_FROM)
    and SERVICE_PRAISE weigh nothing."""
    # imported here: text/english_rules.py imports this module, and reads the prior only once loaded
    from text.english_rules import word_valences

    weights, bias = read_prior(SOCIAL_PRIOR_FILE if social else PRIOR_FILE)
    valences = word_valences()
    return {tuple(term.split(" ")) if " " in term else term: weight for term, weight in weights.items()
            if term not in SERVICE_PRAISE
            and not (weight > 0 and " " not in term and valences.get(term, 0.0) <= CONTRADICTED_FROM)}, bias


def prior_margin(words: list[str], negated: list[str] = (), social: bool = False) -> float:
    """The prior's log-odds of 'positive' for a text cut into `words`, with its `negated` terms
    (module docstring); `social` reads the social posts' prior."""
    weights, bias = _prior(social)
    terms = {*words, *zip(words, words[1:]), *negated}
    if not terms:
        return 0.0
    return bias + sum(map(weights.get, terms, repeat(0.0))) / sqrt(len(terms))


def prior_bias(social: bool = False) -> float:
    """The prior's bias: its margin for a text none of whose terms it weighs."""
    return _prior(social)[1]


def prior_polarity(words: list[str], negated: list[str] = (), social: bool = False, shift: float = 0.0) -> float:
    """2p - 1 of the prior's probability p of 'positive', in (-1, 1), `shift` added to the margin
    first; 0.0 for a text without words."""
    return tanh((prior_margin(words, negated, social) + shift) / 2) if words else 0.0
