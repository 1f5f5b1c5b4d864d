"""The layering is checked, not reviewed: analytics/ and loaders/ never import Streamlit, and
analytics/ never opens the store itself (the caller passes a connection), except its CLI."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("analytics", "loaders")


def modules(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (PROJECT_ROOT / package).rglob("*.py"))


def imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__" and node.args:
            if isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
    return names


def test_there_are_modules_to_check():
    assert len(modules(*LAYERS)) >= 10


@pytest.mark.parametrize("path", modules(*LAYERS), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_no_streamlit_import(path):
    streamlit = {n for n in imported_names(path) if n == "streamlit" or n.startswith("streamlit.")}
    assert not streamlit, f"{path.relative_to(PROJECT_ROOT)} imports {sorted(streamlit)}"


def test_the_check_catches_an_import(tmp_path):
    sample = tmp_path / "page_logic.py"
    sample.write_text("import os\nfrom streamlit.runtime import caching\n", encoding="utf-8")
    assert "streamlit.runtime" in imported_names(sample)


@pytest.mark.parametrize("path", [p for p in modules("analytics") if p.name != "__main__.py"],
                         ids=lambda p: p.name)
def test_analytics_never_opens_the_store(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {getattr(node.func, "attr", getattr(node.func, "id", None))
             for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert "connect" not in calls, f"{path.name} opens a connection; take one from the caller"
