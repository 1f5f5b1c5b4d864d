"""Fit the English sentiment prior (text/english_prior.py) from labelled texts and write its file.

    python -m tools.train_english_prior CORPUS.csv [CORPUS.csv ...] --out text/lexicon/en_prior.tsv.gz

Each CORPUS.csv has columns `text` and `label` (1 positive, 0 negative); the data stays outside the
repository (README, "Sentiment", names the corpora the shipped file was fitted on). Features are
the rules' words, neighbouring pairs and negated words ("~word"), present or not, L2-normalised; logistic regression
(liblinear, balanced classes); terms seen in fewer than --min-df texts are dropped, and of the rest
the --keep heaviest by |weight| are written. --shift is added to the bias (log-odds).

The shipped file was fitted (C 8, min-df 3, shift 0.5, keep 60,000) on these corpora, each taken
from a public GitHub copy, and on nothing else (62,340 distinct texts):

- Pang & Lee sentence polarity v1.0 (Rotten Tomatoes snippets; ACL 2005), 10,661 texts, from
  yoonkim/CNN_sentence (rt-polarity.pos/.neg). Terms: distributed by Cornell for research, cite the
  paper; no licence stated, by the authors or the copy.
- Blitzer, Dredze & Pereira multi-domain Amazon reviews (ACL 2007), books, DVD and kitchen, each
  review's text and title, 11,535 texts, from muko034/sentiment-prediction
  (data/xml/{books,dvd,kitchen}/*.review). Terms: distributed by JHU for research, cite the paper;
  no licence stated, by the authors or the copy.
- Women's E-Commerce Clothing Reviews (Kaggle, nicapotato, 2018), the 834 reviews with 1-2 or 4-5
  stars of the sample in fehimkus/machine-learning ("Womens Clothing E-Commerce Reviews.csv").
  Licence: CC0 1.0 (public domain), as the Kaggle page's usage information states; a sample of a
  CC0 data set is CC0 whatever its copy states (the copy states nothing).
- Tweets (README, "Sentiment", names files and filters): SemEval-2017 task 4 as TweetEval ships it
  (cardiffnlp/tweeteval, the sentiment task's validation and test files, 7,347 negative or positive
  tweets); SentiStrength's 4,242 tweets (Thelwall et al. 2010; 2,254 with one side stronger);
  a 20,000-tweet part of Sentiment140 (Go, Bhayani & Huang 2009; labelled by emoticons, 19,622
  kept); a part of Kaggle's entity-level "Twitter Sentiment Analysis" (10,098). Tweets that name an
  airline or a flight (the held-out airline tweets), or Apple, Google or their products (the public
  brand tweets the baseline is checked on), are left out. Terms: Twitter's, under which SemEval's
  organisers ask that the tweets not be redistributed (the file ships weights, not tweets); no
  licence stated by the other authors or the copies.

The social posts' prior (text/lexicon/en_prior_social.tsv.gz, english_rules.is_social) was fitted
by the same command and options on those corpora plus 13,948 SemEval-2013-2016 subtask A tweets
(README "Sentiment" names the copy and the filters), 76,248 distinct texts.

Only the Kaggle clothing reviews have a licence that covers a commercial release: a release needs
that decision (or a prior refitted on openly licensed corpora).
"""
from __future__ import annotations

import argparse
import gzip
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import diags
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

from text.english_prior import BIAS_TERM
from text.english_rules import english_words, negated_words


def terms(text: str) -> list[str]:
    words = english_words(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])] + negated_words(words)


def fit_prior(texts: list[str], labels: np.ndarray, c: float, min_df: int) -> tuple[dict[str, float], float]:
    vectorizer = CountVectorizer(analyzer=terms, min_df=min_df, binary=True, dtype=np.float64)
    counts = vectorizer.fit_transform(texts)
    per_text = np.asarray(counts.sum(axis=1)).ravel()
    features = diags(1.0 / np.sqrt(np.maximum(per_text, 1))) @ counts
    model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=500)
    model.fit(features, labels)
    return dict(zip(vectorizer.get_feature_names_out(), model.coef_[0])), float(model.intercept_[0])


def write_prior(path: Path, weights: dict[str, float], bias: float, keep: int, header: list[str]) -> int:
    kept = sorted(weights.items(), key=lambda item: -abs(item[1]))[:keep]
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        for line in header:
            out.write(f"# {line}\n")
        out.write(f"{BIAS_TERM}\t{bias:.4f}\n")
        for term, weight in sorted(kept):
            if round(weight, 4):
                out.write(f"{term}\t{weight:.4f}\n")
    return len(kept)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--c", type=float, default=8.0)
    parser.add_argument("--min-df", type=int, default=3)
    parser.add_argument("--keep", type=int, default=60_000)
    parser.add_argument("--shift", type=float, default=0.0)
    args = parser.parse_args(argv)
    frame = pd.concat([pd.read_csv(path, usecols=["text", "label"]) for path in args.corpora])
    frame = frame.dropna().drop_duplicates("text")
    weights, bias = fit_prior(frame["text"].astype(str).tolist(), frame["label"].astype(int).to_numpy(),
                              args.c, args.min_df)
    kept = write_prior(args.out, weights, bias + args.shift, args.keep, [
        "English sentiment prior: term<TAB>weight (log-odds of positive); see text/english_prior.py",
        f"fitted by tools/train_english_prior.py on {len(frame)} texts "
        f"({int(frame['label'].sum())} positive); C={args.c} min_df={args.min_df} shift={args.shift}"])
    print(f"{kept} terms of {len(weights)}, bias {bias + args.shift:.4f} -> {args.out}")


if __name__ == "__main__":
    main()
