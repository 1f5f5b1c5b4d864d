"""The README names every command and flag of both command lines (sqlite-utils' test_docs): a flag
added without a word in the README fails here."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from analytics.__main__ import build_parser as analytics_parser
from loaders.__main__ import build_parser as loaders_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands_and_flags(parser: argparse.ArgumentParser, program: str) -> list[tuple[str, str]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((program, name))
                found += [(f"{program} {name}", option) for a in sub._actions for option in a.option_strings
                          if option.startswith("--") and option != "--help"]
    return found


DOCUMENTED = (commands_and_flags(analytics_parser(), "python -m analytics")
              + commands_and_flags(loaders_parser(), "python -m loaders"))


def test_both_command_lines_have_commands():
    assert {c for p, c in DOCUMENTED if p == "python -m analytics"} >= {"summary", "report"}
    assert {c for p, c in DOCUMENTED if p == "python -m loaders"} >= {"import", "history", "undo", "demo"}


@pytest.mark.parametrize("where, word", DOCUMENTED, ids=lambda v: str(v))
def test_the_readme_names_it(where, word):
    if where.count(" ") == 2:  # a command
        assert f"{where} {word}" in README
    else:
        assert word in README, f"README.md does not mention {word} of `{where}`"
