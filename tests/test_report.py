"""The report file: one self-contained HTML file with every section, customers' data masked, and the
same numbers as `python -m analytics summary` for the month."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import dbrows
import pytest
from conftest import copy_demo_store

from analytics.review import SECTIONS, month_review
from presentation.i18n import translate
from presentation.report import _environment, _words, report_html
from store.db import connect

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"1[3-9]\d{9}")


def run(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, env=dict(os.environ), timeout=300)


class Document(HTMLParser):
    """What a browser would fetch (src, href, CSS url()/@import/@font-face), the ids, and the tiles."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.references: list[str] = []
        self.ids: dict[str, str] = {}
        self.tiles: dict[str, dict[str, str]] = {}
        self.sections_with_heading: set[str] = set()
        self._open_section: str | None = None
        self._styles: list[str] = []
        self._in_style = False
        self.scripts: list[dict[str, str]] = []
        self.feed(text)
        self.close()
        css = "\n".join(self._styles)
        self.references += re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
        self.references += [f"@import {m}" for m in re.findall(r"@import\s+([^;]+)", css)]
        self.references += ["@font-face"] * css.count("@font-face")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "srcset", "poster", "data", "action", "background"):
            if attrs.get(name) is not None:
                self.references.append(attrs[name])
        if "style" in attrs:
            self._styles.append(attrs["style"])
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "style":
            self._in_style = True
        if "id" in attrs:
            self.ids[attrs["id"]] = tag
        if tag == "section":
            self._open_section = attrs.get("id")
        if tag == "h2" and self._open_section:
            self.sections_with_heading.add(self._open_section)
        if tag == "div" and attrs.get("class") == "tile":
            self.tiles[attrs["data-metric"]] = {k[5:]: v for k, v in attrs.items() if k.startswith("data-")}

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag == "section":
            self._open_section = None

    def handle_data(self, data):
        if self._in_style:
            self._styles.append(data)


def external(references: list[str]) -> list[str]:
    """References that would leave the file: anything but an in-page anchor or a data: URI."""
    return [r for r in references if not (r.startswith("#") or r.strip().lower().startswith("data:"))]


@pytest.mark.parametrize("text, found", [
    ('<script src="https://cdn.plot.ly/plotly.js"></script>', ["https://cdn.plot.ly/plotly.js"]),
    ('<link rel="stylesheet" href="style.css">', ["style.css"]),
    ("<style>@import url(https://fonts.googleapis.com/css);</style>",
     ["https://fonts.googleapis.com/css", "@import url(https://fonts.googleapis.com/css)"]),
    ("<style>@font-face { font-family: X; src: local(X); }</style>", ["@font-face"]),
    ('<img src="data:image/png;base64,AAAA"><a href="#csi">CSI</a>', []),
    ('<div style="background: url(http://x/y.png)"></div>', ["http://x/y.png"]),
    ("<script>var s = '<script src=\"http://x\">';</script>", []),  # text inside a script is not fetched
])
def test_the_reference_check_finds_what_a_browser_would_fetch(text, found):
    assert external(Document(text).references) == found


@pytest.fixture(scope="module")
def demo_store(demo_master, tmp_path_factory) -> Path:
    return copy_demo_store(demo_master, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def october(demo_store, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("report-out") / "review-2026-10.html"
    done = run("report", "--month", "2026-10", "--db", demo_store, "--out", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote the review of 2026-10 to {out}"
    return out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_report_fetches_nothing(october):
    document = Document(october)
    assert external(document.references) == []
    assert all("src" not in script for script in document.scripts)
    assert october.count("Plotly.newPlot(") >= 8  # every chart drawn inline ...
    assert october.count("plotly.js v") <= 2  # ... by one embedded copy of plotly.js (its banner)


@pytest.mark.slow
def test_the_report_holds_every_section(october):
    document = Document(october)
    for section in SECTIONS:
        assert document.ids.get(section) == "section", section
    assert document.sections_with_heading == set(SECTIONS)
    positions = [october.index(f'<section id="{s}"') for s in SECTIONS]
    assert positions == sorted(positions)  # in the review page's order


@pytest.mark.slow
def test_the_report_masks_every_email_and_phone_of_the_month(october, demo_store):
    con = connect(demo_store, read_only=True, create=False)
    try:
        texts = [r[0] for r in con.execute("""
            SELECT comment FROM survey_response WHERE responded_at >= '2026-10-01' AND responded_at < '2026-11-01'
            UNION ALL SELECT comment FROM nps_response WHERE responded_at >= '2026-10-01' AND responded_at < '2026-11-01'
            UNION ALL SELECT description FROM complaint WHERE received_at >= '2026-10-01' AND received_at < '2026-11-01'
        """).fetchall() if r[0]]
        ids = [r[0] for r in con.execute("""
            SELECT customer_id FROM nps_response WHERE responded_at >= '2026-10-01' AND responded_at < '2026-11-01'
            UNION SELECT customer_id FROM complaint WHERE received_at >= '2026-10-01' AND received_at < '2026-11-01'
            UNION SELECT customer_id FROM survey_response
             WHERE responded_at >= '2026-10-01' AND responded_at < '2026-11-01'""").fetchall() if r[0]]
    finally:
        con.close()
    emails = {m for text in texts for m in EMAIL.findall(text)}
    phones = {m for text in texts for m in PHONE.findall(text)}
    assert emails and phones, "the demo month has e-mails and phones to mask"
    assert [e for e in emails if e in october] == []
    assert [p for p in phones if p in october] == []
    assert [i for i in ids if i in october] == []
    assert october.count("<blockquote") == 3


@pytest.mark.slow
def test_the_reports_numbers_are_the_summarys(october, demo_store):
    done = run("summary", "--db", demo_store, "--from", "2026-10-01", "--to", "2026-10-31", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    tiles = Document(october).tiles
    assert float(tiles["nps"]["value"]) == pytest.approx(summary["nps"]["score"], abs=1e-9)
    assert int(tiles["nps"]["n"]) == summary["nps"]["n"]
    assert float(tiles["csi"]["value"]) == pytest.approx(summary["csi"]["score"], abs=1e-9)
    assert int(tiles["csi"]["n"]) == summary["csi"]["n"]
    assert float(tiles["complaints"]["value"]) == summary["complaints"]["n"]
    assert float(tiles["negative_share"]["value"]) == pytest.approx(summary["sentiment"]["negative_share"], abs=1e-12)
    assert int(tiles["negative_share"]["n"]) == summary["sentiment"]["n"]
    numbers = json.loads(re.search(r'<script type="application/json" id="review-numbers">(.*?)</script>',
                                   october, re.S).group(1))
    assert numbers["gap5_overall"] == pytest.approx(summary["gaps"]["gap5_overall"], abs=1e-12)
    assert (numbers["nps"], numbers["csi"], numbers["complaints"]) == (
        pytest.approx(summary["nps"]["score"]), pytest.approx(summary["csi"]["score"]), summary["complaints"]["n"])


@pytest.mark.slow
def test_the_report_in_chinese(demo_store, tmp_path):
    out = tmp_path / "review.html"
    done = run("report", "--month", "2026-09", "--db", demo_store, "--out", out, "--lang", "zh", "--region", "South")
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text
    assert translate("review.report_title", "zh", month="2026年9月") in text
    for section in SECTIONS:
        assert translate(f"review.section.{section}", "zh") in text
    assert "区域：华南" in text  # the region by its label (the demo ships both languages)


@pytest.mark.parametrize("args, message", [
    (["--month", "2026-13"], "error: month '2026-13' is not of the form YYYY-MM (for example 2026-03)"),
    (["--month", "2030-01"], "error: no survey responses, NPS responses or complaints in 2030-01 with these filters"
                             " (the data covers 2026-03 – 2026-03)"),
])
@pytest.mark.slow
def test_report_errors_are_one_line(tmp_path, args, message):
    db = tmp_path / "small.duckdb"
    con = connect(db)
    dbrows.nps(con, [9, 3])
    con.close()
    done = run("report", "--db", db, "--out", tmp_path / "r.html", *args)
    assert (done.returncode, done.stderr.strip()) == (1, message)
    assert not (tmp_path / "r.html").exists()


def test_quotes_are_masked_in_the_report(con):
    when = datetime(2026, 10, 5)
    dbrows.nps(con, [2], responded_at=when, customer_id="C123456", sentiment=-0.9,
               comment="Mr Wang was rude, call me on 13812345678 or mail li.na@example.com")
    dbrows.nps(con, [10], responded_at=when, customer_id="C654321", sentiment=0.9, comment="李女士很满意")
    text = report_html(month_review(con, "2026-10"), "en", generated=datetime(2026, 11, 2, 9, 0), plotly_js="/**/")
    for secret in ("Wang", "13812345678", "li.na@example.com", "C123456", "C654321", "李女士"):
        assert secret not in text, secret
    # each run of bullets is one span in a font whose bullets are narrow (presentation.masking.BULLET_FONT)
    run = '<span class="bullets">{}</span>'.format
    assert f"Mr {run('•••')} was rude, call me on {run('•' * 11)} or mail {run('•••')}@{run('•••')}" in text
    assert run("•••••••") in text and f"{run('•')}女士很满意" in text
    assert "Generated 2026-11-02 09:00" in text


def test_inline_text_cannot_close_its_script(con):
    dbrows.nps(con, [2], responded_at=datetime(2026, 10, 5), sentiment=-0.9, comment="</script><script>alert(1)")
    text = report_html(month_review(con, "2026-10"), "en", plotly_js="/**/")
    assert "<script>alert(1)" not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in text


def test_the_numbers_block_is_json_that_cannot_close_its_script(con):
    dbrows.nps(con, [9, 3], responded_at=datetime(2026, 10, 5))
    text = report_html(month_review(con, "2026-10"), "en", plotly_js="var s = '</script><script>alert(1)';")
    assert "</script><script>alert(1)" not in text and "<\\/script><script>alert(1)" in text
    block = re.search(r'<script type="application/json" id="review-numbers">(.*?)</script>', text, re.S).group(1)
    assert json.loads(block)["nps"] == pytest.approx(100 * (1 - 1) / 2)
    hostile = _environment().from_string("{{ numbers|tojson }}").render(numbers={"branch": "</script><!-- & 'x'"})
    assert "<" not in hostile and "&" not in hostile and "'" not in hostile
    assert json.loads(hostile) == {"branch": "</script><!-- & 'x'"}


def test_every_text_is_escaped_and_none_of_it_is_markup():
    # sentences carry branch and cause names: a branch called **Fees** stays as written, not bold
    assert str(_words("**Fees**: <i>5</i> & 'x'")) == "**Fees**: &lt;i&gt;5&lt;/i&gt; &amp; &#39;x&#39;"
    assert str(_words(None)) == ""
    template = (PROJECT_ROOT / "presentation" / "templates" / "report.html.j2").read_text(encoding="utf-8")
    assert "|safe" not in template and "autoescape false" not in template
    assert not re.search(r"\b(src|href)=\"(?!#)", template)  # the only links are to the page's own sections
