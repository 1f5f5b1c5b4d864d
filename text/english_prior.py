"""An English sentiment prior learned offline from public labelled reviews and tweets: a linear model
over words, word pairs and negated words, shipped as text/lexicon/en_prior.tsv.gz (term, weight; one
a line), and a second one for social-media posts (text/lexicon/en_prior_social.tsv.gz: the same
recipe with SemEval's 2013-2016 tweets added; english_rules.is_social says which texts read it).

A text's terms are its words, as the rules cut them (text/english_rules.py), each pair of
neighbouring words, and "~word" for each word up to three places after a negator (the rules'
negated_words); each distinct term counts once and the sum is divided by the square root of the
number of distinct terms (the training's L2-normalised binary features), so

    evidence = sum(weight[t] for t in distinct terms) / sqrt(number of distinct terms)
    margin   = known * bias + evidence
    prior    = tanh(margin / 2)                        (2p - 1 of the logistic model's p)

where known is the share of the text's distinct terms the prior holds (a word below left to the
rules is held, at a weight of 0). The bias is the model's lean towards 'positive' for its corpora's
texts (and the fixed shift of 0.5 the README gives): a text of words the prior never saw
("Unreliable service") would read as that lean alone, +0.24, and pull the rules' plain negative to
neutral. So the bias counts as far as the prior knows the text, as the learned model's stacked
log-odds do (text/learned.py). Macro-F1 on class-balanced samples of five public English sets
0.826 -> 0.838; on the six sets as they are 0.7957 -> 0.7968, the brand and complaint tweets, mostly
positive, a point lower each: the lean had been right for them by their share, not by their words
(README "Sentiment", issue 21's fifteenth round).

The weights were fitted by logistic regression (tools/train_english_prior.py) on the corpora the
README lists ("Sentiment"); none of the evaluation or held-out sets. Nothing is downloaded: the
files are committed, and each is read once, when a text first needs it.
"""
from __future__ import annotations

import gzip
from functools import cache
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
    and SERVICE_PRAISE weigh 0: the prior knows them (its bias counts for them, prior_evidence),
    and the rules judge them."""
    # imported here: text/english_rules.py imports this module, and reads the prior only once loaded
    from text.english_rules import word_valences

    weights, bias = read_prior(SOCIAL_PRIOR_FILE if social else PRIOR_FILE)
    valences = word_valences()
    return {tuple(term.split(" ")) if " " in term else term:
            0.0 if term in SERVICE_PRAISE or (weight > 0 and " " not in term and valences.get(term, 0.0) <= CONTRADICTED_FROM)
            else weight for term, weight in weights.items()}, bias


def prior_evidence(words: list[str], negated: list[str] = (), social: bool = False) -> tuple[float, float]:
    """The prior's evidence on a text cut into `words`, with its `negated` terms, and the share of
    its distinct terms the prior holds (module docstring); (0.0, 0.0) for a text without terms."""
    weights, _ = _prior(social)
    terms = {*words, *zip(words, words[1:]), *negated}
    if not terms:
        return 0.0, 0.0
    found = list(map(weights.get, terms))
    return sum(filter(None, found)) / sqrt(len(terms)), (len(found) - found.count(None)) / len(terms)


def prior_margin(words: list[str], negated: list[str] = (), social: bool = False) -> float:
    """The prior's log-odds of 'positive' for a text cut into `words`, with its `negated` terms:
    its bias as far as it knows the text's terms, and their evidence (module docstring); `social`
    reads the social posts' prior."""
    evidence, known = prior_evidence(words, negated, social)
    return known * prior_bias(social) + evidence


def prior_bias(social: bool = False) -> float:
    """The prior's bias: its margin for a text all of whose terms it weighs at 0."""
    return _prior(social)[1]


def prior_polarity(words: list[str], negated: list[str] = (), social: bool = False, shift: float = 0.0) -> float:
    """2p - 1 of the prior's probability p of 'positive', in (-1, 1), `shift` added to the margin
    first; 0.0 for a text without words."""
    return tanh((prior_margin(words, negated, social) + shift) / 2) if words else 0.0
