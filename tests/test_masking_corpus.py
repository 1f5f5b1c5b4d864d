"""The masking rule set on its corpus (tests/data/masking_corpus.csv): every form of an ID number,
phone, e-mail and name masked whole, and dates, amounts, scores and branch names left as written.

In the file, `{n}` in an expected text stands for n mask characters; a row of kind `keep` must come
back unchanged.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from presentation.masking import MASK, mask_text

CORPUS = Path(__file__).parent / "data" / "masking_corpus.csv"
ROWS = list(csv.DictReader(CORPUS.open(encoding="utf-8")))


def expected(row: dict) -> str:
    if row["kind"] == "keep":
        return row["form"]
    return re.sub(r"\{(\d+)\}", lambda m: MASK * int(m.group(1)), row["expected"])


def test_the_corpus_is_large_and_covers_every_kind():
    kinds = {kind: sum(r["kind"] == kind for r in ROWS) for kind in ("id", "phone", "email", "name", "keep")}
    assert len(ROWS) >= 100
    assert min(kinds.values()) >= 15, kinds


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['kind']}:{r['form']}" for r in ROWS])
def test_the_form_is_masked_as_written_in_the_corpus(row):
    assert mask_text(row["form"]) == expected(row)


@pytest.mark.parametrize("row", [r for r in ROWS if r["kind"] in ("id", "phone")],
                         ids=lambda r: r["form"])
def test_no_group_of_a_number_is_left_readable(row):
    masked = mask_text(row["form"])
    groups = re.findall(r"\d{2,}", row["form"])
    assert groups and not any(group in masked for group in groups)


@pytest.mark.parametrize("row", [r for r in ROWS if r["kind"] == "email"], ids=lambda r: r["form"])
def test_no_part_of_an_address_is_left_readable(row):
    masked = mask_text(row["form"])
    parts = re.split(r"\s*(?:@|＠|[\[\(\{]?\b(?:at|AT|dot|DOT)\b[\]\)\}]?|[.．])\s*", row["form"])
    address = [p for p in parts if p and p not in row["expected"]]
    assert not any(part in masked for part in address if len(part) >= 2), (masked, address)
