"""Masking of customers' personal data for presentation mode and the report file.

What can be recognised in free text is masked there: e-mail addresses, phone numbers (Chinese
mobiles and landlines, international numbers) and names written with an honorific (Mr Wang,
王先生, 李女士). Identifier columns (customer ids) are masked whole but for a short tail, so a
team can still tell two rows apart without seeing the id.
"""
from __future__ import annotations

import re

import pandas as pd

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# Phone numbers: +86 / 0086 prefixes, Chinese mobiles (1[3-9]x, 11 digits), landlines with an
# area code, groups of three or four digits, or 7+ digits in a row. Dates (2026-10-15) and
# amounts stay readable: their groups are too short or too few. Only ASCII letters and digits
# bound a number, since Chinese text runs straight into it (电话是13812345678。).
_PHONE = re.compile(
    r"(?<![0-9A-Za-z.])(?:(?:\+|00)\d{1,3}[\s\-]?)?(?:1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4}"
    r"|0\d{2,3}[\s\-]?\d{7,8}|\d{3,4}[\s\-]\d{3,4}[\s\-]\d{3,4}|\d{7,})(?![0-9A-Za-z])")
_EN_NAME = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+[A-Z][A-Za-z'\-]+")
# One character before the honorific: the surname (a two-character surname keeps its second).
_ZH_NAME = re.compile(r"[\u4e00-\u9fff](?=先生|女士|小姐)")
MASK = "•"


def mask_text(text: str | None) -> str | None:
    """The text with e-mails, phone numbers and honorific names masked."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return text
    text = str(text)
    text = _EMAIL.sub(_mask_email, text)
    text = _PHONE.sub(_mask_phone, text)
    text = _EN_NAME.sub(lambda m: f"{m.group(1)} {MASK * 3}", text)
    text = _ZH_NAME.sub(lambda m: MASK * len(m.group(0)), text)
    return text


def _mask_email(match: re.Match) -> str:
    local, _, domain = match.group(0).partition("@")
    top = domain.rsplit(".", 1)[-1]
    return f"{local[:1]}{MASK * 3}@{MASK * 3}.{top}"


def _mask_phone(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if len(digits) < 7:
        return match.group(0)
    return MASK * (len(digits) - 2) + digits[-2:]


def mask_id(value) -> str | None:
    """An identifier with all but its last two characters masked: C000123 -> •••••23."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value)
    if len(text) <= 2:
        return MASK * len(text)
    return MASK * (len(text) - 2) + text[-2:]


ID_COLUMNS = ("customer_id", "respondent_id", "complaint_ref")
TEXT_COLUMNS = ("text", "comment", "description", "verbatim")


def mask_frame(frame: pd.DataFrame, id_columns=ID_COLUMNS, text_columns=TEXT_COLUMNS) -> pd.DataFrame:
    """A copy of a table with its id columns and free-text columns masked."""
    masked = frame.copy()
    for column in masked.columns:
        if column in id_columns:
            masked[column] = masked[column].map(mask_id)
        elif column in text_columns:
            masked[column] = masked[column].map(mask_text)
    return masked
