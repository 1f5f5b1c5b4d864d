"""Presentation mode masks what identifies a customer; exports cannot carry formulas."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from presentation.export import safe_cell, to_csv_bytes, to_xlsx_bytes
from loaders.errors import RowProblem
from presentation.masking import mask_frame, mask_id, mask_problems, mask_text


@pytest.mark.parametrize("text, masked", [
    ("Call me on 13812345678 please", "Call me on ••••••••••• please"),
    ("电话 138-1234-5678，谢谢", "电话 •••••••••••，谢谢"),
    ("office 021-62345678", "office •••••••••••"),
    ("+86 139 1234 5678", "•••••••••••••"),
    ("mail wang.li@example.com now", "mail •••@••• now"),
    ("Mr Wang was rude", "Mr ••• was rude"),
    ("Dr. O'Brien helped", "Dr. ••• helped"),
    ("李女士说排队太久", "•女士说排队太久"),
    ("王先生和张小姐", "•先生和•小姐"),
    ("Waited 45 minutes, fee 200 yuan", "Waited 45 minutes, fee 200 yuan"),
    ("Reference 2026-10-15", "Reference 2026-10-15"),
    (None, None),
])
def test_mask_text(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize("value, masked", [("C000123", "•••••••"), ("K1", "••"), (None, None)])
def test_mask_id(value, masked):
    assert mask_id(value) == masked


def test_mask_frame_masks_ids_and_text_only():
    frame = pd.DataFrame({"customer_id": ["C000123"], "branch": ["Mr Wang Street"],
                          "comment": ["Mr Wang 13812345678"]})
    masked = mask_frame(frame)
    assert masked.to_dict("records") == [{"customer_id": "•••••••", "branch": "Mr Wang Street",
                                          "comment": "Mr ••• •••••••••••"}]
    assert frame.loc[0, "customer_id"] == "C000123"


@pytest.mark.parametrize("value, safe", [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"),
                                         ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
                                         ("\tcmd", "'\tcmd"), ("fine", "fine"), (-0.4, -0.4)])
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


def test_exports_neutralise_formulas_but_keep_numbers():
    frame = pd.DataFrame({"comment": ["=1+1", "ok"], "score": [-0.4, 0.2]})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines() == ["comment,score", "'=1+1,-0.4", "ok,0.2"]
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert [c.value for c in sheet["A"]] == ["comment", "'=1+1", "ok"]
    assert sheet["B2"].value == -0.4 and sheet["A2"].data_type == "s"


def test_job_titles_are_not_taken_for_names():
    assert mask_text("客户经理很专业，王先生很满意") == "客户经理很专业，•先生很满意"


def test_every_email_and_phone_in_the_demo_data_is_masked():
    import re

    from loaders.demo import generate

    demo = generate(responses=3000)
    texts = pd.concat([demo.survey_responses["Comment"], demo.nps["评论"],
                       demo.complaints["Description"]]).dropna()
    with_pii = texts[texts.str.contains(r"@|\d{11}")]
    assert len(with_pii) > 20
    for text in with_pii.map(mask_text):
        assert not re.search(r"[\w.]+@[\w.]+\.\w+|\d{5,}", text), text


def test_problem_values_of_identifying_columns_are_masked_whole():
    problems = [RowProblem("f.csv", None, row, column, value, "duplicate_id", "unique_id")
                for row, column, value in [(3, "Complaint ID", "0042"), (4, "投诉编号", "TS-17"), (5, "Score", "11"),
                                           (6, "Comment", "call 13812345678")]]
    masked = mask_problems(problems)
    assert [p.value for p in masked] == ["••••", "•••••", "11", "call •••••••••••"]
    assert masked[0].column == "Complaint ID" and problems[0].value == "0042"
