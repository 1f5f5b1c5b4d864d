"""The layering is checked, not reviewed: import-linter's contracts in pyproject.toml (layers import
one way; only pages/ and app.py import Streamlit), and analytics/ never opens the store itself (the
caller passes a connection), except its CLI."""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("analytics", "loaders", "store", "text", "presentation")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


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


def lint_imports(root: Path, config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(config)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_import_contracts_hold():
    result = lint_imports(PROJECT_ROOT, PROJECT_ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: 2 kept, 0 broken", result.stdout), result.stdout


def _project_copy(tmp_path: Path, violation: tuple[str, str] | None) -> Path:
    """A tree with our packages' names and one module each, importing only downwards, plus one
    `violation` (importer package, imported package)."""
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    for package in config["root_packages"]:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
        (tmp_path / package / "module.py").write_text("")
    (tmp_path / "analytics" / "module.py").write_text("from store import module\nfrom text import module as m\n")
    (tmp_path / "presentation" / "module.py").write_text("from analytics import module\n")
    (tmp_path / "analytics" / "__main__.py").write_text("from presentation import module\n")  # a CLI entry
    (tmp_path / "loaders" / "__main__.py").write_text("from presentation import module\n")  # a CLI entry
    if violation is not None:
        importer, imported = violation
        (tmp_path / importer / "late.py").write_text(f"def f():\n    from {imported} import module\n")
    (tmp_path / "pyproject.toml").write_text((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return tmp_path / "pyproject.toml"


def test_the_contracts_pass_a_tree_that_imports_downwards(tmp_path):
    result = lint_imports(tmp_path, _project_copy(tmp_path, None))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("violation", [("store", "analytics"), ("text", "store"), ("loaders", "analytics"),
                                       ("analytics", "loaders"), ("analytics", "presentation"),
                                       ("presentation", "pages"), ("loaders", "streamlit")])
def test_the_contracts_fail_when_a_lower_layer_imports_a_higher_one(tmp_path, violation):
    if violation[1] == "streamlit":
        (tmp_path / "streamlit").mkdir()
        (tmp_path / "streamlit" / "__init__.py").write_text("")
        (tmp_path / "streamlit" / "module.py").write_text("")
    result = lint_imports(tmp_path, _project_copy(tmp_path, violation))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and f"{violation[0]}.late" in result.stdout, result.stdout
