"""The English prior (text/english_prior.py) and the baseline's blend of it with the rules, by hand:
margin = bias x the share of the distinct terms the prior holds + sum of the distinct terms' weights /
sqrt(number of distinct terms), prior =
tanh(margin / 2), baseline = RULE_SHARE x rules + (1 - RULE_SHARE) x prior (STRONG_RULE_SHARE in place of
RULE_SHARE where a service pattern decides a short text)."""
from __future__ import annotations

import gzip
import math
from math import sqrt, tanh

import numpy as np
import pytest

from text import english_prior
from text.english_prior import PRIOR_FILE, SOCIAL_PRIOR_FILE, prior_margin, prior_polarity, read_prior
from text.english_rules import (ADDRESSED_SHIFT, RULE_SHARE, STRONG_MAX_WORDS, STRONG_RULE_SHARE, english_polarity,
                                 english_rule_polarity, english_words, is_social, negated_words)
from tools.train_english_prior import fit_prior, write_prior


@pytest.fixture()
def small_prior(tmp_path, monkeypatch):
    """A prior file of three weights, in place of the shipped one."""
    path = tmp_path / "prior.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("# a test prior\n<bias>\t0.5\nslow\t-2.0\nfriendly\t1.0\nstaff rude\t-1.5\n~friendly\t-3.0\n")
    monkeypatch.setattr(english_prior, "PRIOR_FILE", path)
    english_prior._prior.cache_clear()
    yield path
    english_prior._prior.cache_clear()


@pytest.fixture()
def two_priors(tmp_path, monkeypatch):
    """Small files in place of the shipped prior and the social posts' prior."""
    for name, text in (("PRIOR_FILE", "<bias>\t0.5\nslow\t-2.0\nfriendly\t1.0\n"),
                       ("SOCIAL_PRIOR_FILE", "<bias>\t0.25\nslow\t-3.0\nfriendly\t0.5\n")):
        path = tmp_path / f"{name}.tsv.gz"
        with gzip.open(path, "wt", encoding="utf-8") as out:
            out.write(text)
        monkeypatch.setattr(english_prior, name, path)
    english_prior._prior.cache_clear()
    yield
    english_prior._prior.cache_clear()


@pytest.mark.parametrize("path", [PRIOR_FILE, SOCIAL_PRIOR_FILE])
def test_the_shipped_prior_loads(path):
    weights, bias = read_prior(path)
    assert 20_000 <= len(weights) <= 100_000
    assert path.stat().st_size < 3_000_000
    assert math.isfinite(bias) and all(math.isfinite(w) for w in weights.values())
    # the direction a reader expects of words the corpora use often
    assert weights["excellent"] > 0 and weights["great"] > 0
    assert weights["terrible"] < 0 and weights["waste"] < 0 and weights["not worth"] < 0
    assert weights["~good"] < 0 < weights["~bad"]           # "not ... good", "not ... bad"


def test_a_stored_weight_moves_the_score_its_way():
    weights, bias = read_prior(PRIOR_FILE)
    words = english_words("Service was terrible")
    terms = ["service", "was", "terrible", "service was", "was terrible"]
    expected = bias * sum(t in weights for t in terms) / 5 + sum(weights.get(t, 0.0) for t in terms) / sqrt(5)
    assert prior_margin(words) == pytest.approx(expected)
    assert prior_polarity(words) == pytest.approx(tanh(expected / 2))
    # without "terrible" and its pair: terms service, was, "service was"; the text scores higher
    without = (bias * sum(t in weights for t in ("service", "was", "service was")) / 3
               + sum(weights.get(t, 0.0) for t in ("service", "was", "service was")) / sqrt(3))
    assert prior_margin(english_words("Service was")) == pytest.approx(without)
    assert prior_margin(words) < without
    # the baseline calls it negative: VADER's terrible (-2.5) outweighs the prior's pair "service was"
    assert english_polarity("Service was terrible") < -0.05


def test_margin_of_a_two_word_text(small_prior):
    # terms: slow, friendly, "slow friendly" (not in the prior): the bias for the two of three it
    # holds, 0.5 x 2/3 + (-2.0 + 1.0 + 0) / sqrt(3)
    margin = 0.5 * 2 / 3 + (-2.0 + 1.0) / sqrt(3)
    assert prior_margin(["slow", "friendly"]) == pytest.approx(margin)           # -0.2440
    assert prior_polarity(["slow", "friendly"]) == pytest.approx(tanh(margin / 2))
    # a repeated word counts once: terms slow, "slow slow"
    assert prior_margin(["slow", "slow"]) == pytest.approx(0.5 / 2 - 2.0 / sqrt(2))
    # a text of words the prior does not hold: no lean either way
    assert prior_margin(["dismissive", "teller"]) == 0.0 and prior_polarity(["dismissive", "teller"]) == 0.0
    assert prior_polarity([]) == 0.0


@pytest.mark.parametrize("words, expected", [
    (["not", "very", "friendly", "but", "fine"], ["~very", "~friendly"]),     # "but" ends the scope
    (["never", "a", "b", "c", "d"], ["~a", "~b", "~c"]),                         # three words
    (["not", "a", "no", "b", "c", "d", "e"], ["~a", "~b", "~c", "~d"]),          # a negator starts again
    (["good", "!", "x"], []),
])
def test_negated_words(words, expected):
    assert negated_words(words) == expected


def test_a_negated_word_is_a_term_of_its_own(small_prior):
    # "not friendly": terms not, friendly, "not friendly" (not held), ~friendly: 0.5 x 2/4 + (1.0 - 3.0) / sqrt(4)
    words = english_words("Not friendly")
    assert prior_margin(words, negated_words(words)) == pytest.approx(0.25 + (1.0 - 3.0) / 2)
    # the baseline passes them; the rules: friendly 2.2 (VADER) negated, x -0.74
    rules = (2.2 * -0.74) / sqrt((2.2 * -0.74) ** 2 + 15)
    assert english_rule_polarity("Not friendly") == pytest.approx(rules)
    assert english_polarity("Not friendly") == pytest.approx(RULE_SHARE * rules + (1 - RULE_SHARE) * tanh(-0.75 / 2))


def test_the_baseline_blends_rules_and_prior(small_prior):
    # rules: rude -2.0 (VADER) -> -2 / sqrt(4 + 15); prior: terms staff, rude, "staff rude", of which it
    # holds the pair -> 0.5 x 1/3 - 1.5 / sqrt(3)
    rules = -2.0 / sqrt(19)
    prior = tanh((0.5 / 3 - 1.5 / sqrt(3)) / 2)
    assert english_rule_polarity("Staff rude") == pytest.approx(rules)
    assert english_polarity("Staff rude") == pytest.approx(RULE_SHARE * rules + (1 - RULE_SHARE) * prior)
    assert RULE_SHARE == 0.4


def test_a_service_pattern_decides_a_short_text(small_prior):
    # "Slow, never again.": slow -1.5 (ours) and the "never ... again" pattern -3.0 -> -4.5 / sqrt(4.5^2 + 15);
    # prior: terms slow, never, again, two pairs, ~again, of which it holds slow -> 0.5 x 1/6 - 2.0 / sqrt(6);
    # the rules take 0.8
    rules = -4.5 / sqrt(4.5 ** 2 + 15)
    assert english_rule_polarity("Slow, never again.") == pytest.approx(rules)
    assert english_polarity("Slow, never again.") == pytest.approx(
        0.8 * rules + 0.2 * tanh((0.5 / 6 - 2.0 / sqrt(6)) / 2))
    assert STRONG_RULE_SHARE == 0.8 and STRONG_MAX_WORDS == 40
    # 40 more words the rules and the prior do not know: a long text, the usual 0.4; prior terms slow,
    # never, again, branch, four pairs, ~again, ~branch; it holds slow, one of ten
    long = "Slow, never again." + " branch" * 40
    assert english_rule_polarity(long) == pytest.approx(rules)
    assert english_polarity(long) == pytest.approx(0.4 * rules + 0.6 * tanh((0.5 / 10 - 2.0 / sqrt(10)) / 2))


def test_training_writes_a_prior_that_reads_back(tmp_path):
    texts = ["great service", "great staff", "great app", "awful service", "awful staff", "awful app"] * 3
    labels = np.array([1, 1, 1, 0, 0, 0] * 3)
    weights, bias = fit_prior(texts, labels, c=8.0, min_df=2)
    assert weights["great"] > 0 > weights["awful"]
    path = tmp_path / "prior.tsv.gz"
    write_prior(path, weights, bias, keep=2, header=["test"])
    stored, stored_bias = read_prior(path)
    assert set(stored) == {"great", "awful"}                 # the two heaviest by |weight|
    assert stored["great"] == pytest.approx(weights["great"], abs=5e-5)
    assert stored_bias == pytest.approx(bias, abs=5e-5)


def test_handles_and_links_are_not_words():
    # a customer's tweet names the company and links a photo; neither says how they feel
    assert english_words("@AmericanAir Don't bother http://t.co/x1Y www.example.com !") == ["don't", "bother", "!"]
    # which handle, and a link or none, changes nothing (the post reads the social prior either way)
    assert english_polarity("@AmericanAir the staff were rude http://t.co/x1Y") == english_polarity(
        "@acme the staff were rude")


def test_a_typographic_apostrophe_is_an_apostrophe():
    # "don’t" (U+2019, as phones type it) is the negator "don't", not the words "don" and "t"
    assert english_words("I don\u2019t like it") == ["i", "don't", "like", "it"]
    # VADER's like 1.5, negated x -0.74
    assert english_rule_polarity("I don\u2019t like it") == pytest.approx((1.5 * -0.74) / sqrt((1.5 * 0.74) ** 2 + 15))


@pytest.mark.parametrize("text, social", [
    ("@AcmeBank my card was declined again", True),
    ("Queued for an hour #fail", True),
    ("RT @someone: the new branch is lovely", True),
    ("Write to jo@example.com for a refund", False),      # an e-mail address
    ("We were #1 in the queue", False),                     # a number
    ("They told me to go F@#K myself", False),
    ("It&#39;s fine", False),                               # an HTML entity
    ("The staff were friendly", False),
])
def test_what_reads_as_a_social_post(text, social):
    assert is_social(text) is social


def test_a_social_post_reads_the_social_prior(two_priors):
    # rules: slow -1.5 (text/lexicon/en.tsv) -> -1.5 / sqrt(2.25 + 15), the handle and hashtag mark
    # read as no word; the words are "slow" alone, one term
    rules = -1.5 / sqrt(1.5 ** 2 + 15)
    assert english_words("slow @acme") == english_words("#acme slow")[1:] == ["slow"]
    assert english_polarity("slow") == pytest.approx(RULE_SHARE * rules + (1 - RULE_SHARE) * tanh((0.5 - 2.0) / 2))
    # a handle after the words: the social prior, 0.25 - 3.0
    assert english_polarity("slow @acme") == pytest.approx(RULE_SHARE * rules + (1 - RULE_SHARE) * tanh((0.25 - 3.0) / 2))
    # "#acme slow": terms acme, slow, "acme slow"; only slow has a weight: 0.25 x 1/3 - 3.0 / sqrt(3)
    assert english_polarity("#acme slow") == pytest.approx(
        RULE_SHARE * rules + (1 - RULE_SHARE) * tanh((0.25 / 3 - 3.0 / sqrt(3)) / 2))
    assert prior_margin(["slow"], social=True) == pytest.approx(-2.75)
    assert prior_margin(["slow"]) == pytest.approx(-1.5)


def test_a_post_addressed_to_someone_leans_negative(two_priors):
    # opens with an @handle: the social prior's margin and ADDRESSED_SHIFT, 0.25 - 3.0 - 0.75
    rules = -1.5 / sqrt(1.5 ** 2 + 15)                     # slow -1.5 (text/lexicon/en.tsv)
    assert ADDRESSED_SHIFT == -0.75
    assert english_polarity("  @acme slow") == pytest.approx(
        RULE_SHARE * rules + (1 - RULE_SHARE) * tanh((0.25 - 3.0 - 0.75) / 2))
    # friendly 2.2 (VADER) and the prior's 0.25 + 0.5 - 0.75 = 0: the rules alone decide
    assert english_polarity("@acme friendly") == pytest.approx(RULE_SHARE * 2.2 / sqrt(2.2 ** 2 + 15))
    # a retweet, or "@ " with no handle, is not addressed: "rt @acme friendly" reads rt, friendly, "rt friendly",
    # of which the prior holds friendly
    assert english_polarity("RT @acme friendly") == pytest.approx(
        RULE_SHARE * 2.2 / sqrt(2.2 ** 2 + 15) + (1 - RULE_SHARE) * tanh((0.25 / 3 + 0.5 / sqrt(3)) / 2))
    assert english_polarity("@ the branch friendly #x") != english_polarity("@acme the branch friendly #x")


def test_the_prior_weighs_a_short_text_around_its_contrast(small_prior):
    # "Friendly but slow": the parts' evidence, friendly 1.0 and slow -2.0, weighed 0.5 and 1.5, and the bias as far
    # as the prior holds the whole text's terms (friendly, but, slow and two pairs: two of five):
    # 0.5 x 2/5 + 0.5 x 1.0 + 1.5 x -2.0 = -2.3; read whole it was 0.2 + (1.0 - 2.0) / sqrt(5), near 0.
    # Rules: friendly 2.2 (VADER) and slow -1.5 (ours), 0.5 and 1.5
    rules = (0.5 * 2.2 + 1.5 * -1.5) / sqrt((0.5 * 2.2 + 1.5 * -1.5) ** 2 + 15)
    assert english_rule_polarity("Friendly but slow") == pytest.approx(rules)
    assert english_polarity("Friendly but slow") == pytest.approx(RULE_SHARE * rules + (1 - RULE_SHARE) * tanh(-2.3 / 2))
    # "nothing but" contrasts nothing: the prior reads the text whole (terms nothing, but, friendly, two pairs, no
    # negated term: "but" ends the scope of "nothing"; the rules: "nothing" negates nothing across "but", friendly 2.2;
    # the prior holds friendly, one of five)
    words = english_words("Nothing but friendly")
    assert english_polarity("Nothing but friendly") == pytest.approx(
        RULE_SHARE * 2.2 / sqrt(2.2 ** 2 + 15) + (1 - RULE_SHARE) * tanh((0.5 / 5 + 1.0 / sqrt(5)) / 2))
    assert negated_words(words) == []
    # a text of more than STRONG_MAX_WORDS words is read whole: terms friendly, but, slow, branch, four pairs
    # (the prior holds two of eight)
    long = "Friendly but slow" + " branch" * 40
    assert english_polarity(long) == pytest.approx(
        RULE_SHARE * rules + (1 - RULE_SHARE) * tanh((0.5 * 2 / 8 + (1.0 - 2.0) / sqrt(8)) / 2))
