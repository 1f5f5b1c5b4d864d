"""The layers stay honest: loaders and analytics never import Streamlit (DESIGN.md, Layout)."""
from __future__ import annotations

import re

import pytest

from conftest import PROJECT_ROOT

STREAMLIT_IMPORT = re.compile(r"^\s*(import streamlit|from streamlit\b)", re.M)


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "loaders").glob("*.py")) +
                         sorted((PROJECT_ROOT / "analytics").glob("*.py")), ids=lambda p: p.name)
def test_no_streamlit_below_the_pages(path):
    assert not STREAMLIT_IMPORT.search(path.read_text(encoding="utf-8"))


def test_the_upload_logic_imports_no_streamlit():
    """pages/_upload.py is tested without a running app, so it stays free of Streamlit too."""
    assert not STREAMLIT_IMPORT.search((PROJECT_ROOT / "pages" / "_upload.py").read_text(encoding="utf-8"))
