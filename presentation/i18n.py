"""Every word the dashboard shows, read from one data file per language (presentation/locales/).

Pages, charts, the report and the command lines ask `translate(key, language, **values)`; data values
(branch names, verbatims) are never translated. A text is a Python format string with named values,
plus one construct of ICU MessageFormat for counts:

    "{rows, plural, one {# row} other {# rows}} under the header"

picks its branch by the number the value shows ('1' is one in English; Chinese has no plural, so
its files never need the construct), and `#` in the branch is that value as given ('25,926').
`=0`-style exact branches are read too. A missing language falls back to English, a missing key
shows the key itself and is remembered in `unknown_keys` (tests check that every key the code names
exists, and that no page asked for one built at run time that does not), and a missing or None
value shows an em dash, so no reader ever sees 'None'.
"""
from __future__ import annotations

import json
import re
import string
from functools import cache
from pathlib import Path

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"
LOCALES = Path(__file__).resolve().parent / "locales"
MISSING = "—"

_PLURAL_START = re.compile(r"\{\s*(\w+)\s*,\s*plural\s*,")
_SELECTOR = re.compile(r"\s*(=\d+|zero|one|two|few|many|other)\s*\{")
# CLDR plural categories of the languages we ship: English 'one' is exactly 1 with no decimals.
_CATEGORY = {"en": lambda shown: "one" if shown == "1" else "other"}
# keys asked for that no file holds, as built at run time (f"group.{column}"): the page tests read it
unknown_keys: set[str] = set()


@cache
def texts(language: str) -> dict[str, str]:
    """key -> text of one language, as its file holds them."""
    path = LOCALES / f"{language}.json"
    if language not in LANGUAGES or not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def has_text(key: str) -> bool:
    return key in texts(DEFAULT_LANGUAGE)


def translate(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    text = texts(language).get(key) or texts(DEFAULT_LANGUAGE).get(key)
    if text is None:
        unknown_keys.add(key)
        return key
    shown = _Values({name: MISSING if value is None else value for name, value in values.items()})
    if "plural" in text:
        text = _render(_parsed(text), shown, _CATEGORY.get(language, _other))
    return text.format_map(shown)


class _Values(dict):
    def __missing__(self, name: str) -> str:
        return MISSING


def _other(_shown: str) -> str:
    return "other"


def _shown(value) -> str:
    return str(value).replace(",", "").lstrip("+-\u2212").strip()


# A text parsed: plain pieces, and (name, {selector: parsed branch}) for each plural block.
Parsed = tuple


@cache
def _parsed(text: str) -> Parsed:
    parts, position = [], 0
    while (start := _PLURAL_START.search(text, position)) is not None:
        branches, end = _branches(text, start.end())
        parts += [text[position:start.start()],
                  (start.group(1), {selector: _parsed(branch) for selector, branch in branches.items()})]
        position = end
    parts.append(text[position:])
    return tuple(parts)


def _render(parsed: Parsed, values: dict, category) -> str:
    out = []
    for part in parsed:
        if isinstance(part, str):
            out.append(part)
            continue
        name, branches = part
        shown = _shown(values.get(name, ""))
        chosen = branches.get(f"={shown}") or branches.get(category(shown)) or branches.get("other", ())
        out.append(_render(chosen, values, category).replace("#", f"{{{name}}}"))
    return "".join(out)


def _branches(text: str, position: int) -> tuple[dict[str, str], int]:
    """The branches of a plural block whose selectors start at `position`, and where the block ends."""
    branches = {}
    while (match := _SELECTOR.match(text, position)) is not None:
        depth, cursor = 1, match.end()
        while depth:
            if cursor >= len(text):
                raise ValueError(f"unclosed plural branch in {text!r}")
            depth += {"{": 1, "}": -1}.get(text[cursor], 0)
            cursor += 1
        branches[match.group(1)] = text[match.end():cursor - 1]
        position = cursor
    closing = text.index("}", position)
    if text[position:closing].strip():
        raise ValueError(f"unreadable plural block in {text!r}")
    return branches, closing + 1


def placeholders(text: str) -> set[str]:
    """The names of the values a text takes, those that choose a plural included."""
    names = set()
    for start in _PLURAL_START.finditer(text):
        names.add(start.group(1))
    flat = text
    while (start := _PLURAL_START.search(flat)) is not None:
        branches, end = _branches(flat, start.end())
        flat = flat[:start.start()] + " ".join(branches.values()).replace("#", "") + flat[end:]
    names |= {field for _, field, _, _ in string.Formatter().parse(flat) if field}
    return names
