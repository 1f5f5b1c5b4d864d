"""The review as PowerPoint: `python -m analytics report --format pptx` writes one slide per section
with native charts whose numbers are `python -m analytics summary --json`'s for the month, the
findings in the speaker notes, customers' data masked; LibreOffice renders every slide."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_demo_store
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from analytics.review import SECTIONS, month_review
from presentation.findings import fmt_value
from presentation.formats import fmt_n
from presentation.i18n import translate
from presentation.labels import DataLabels, data_label, labelled
from presentation.slides import plain_text
from presentation.story import story
from store.db import connect
from store.labels import label_table

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"1[3-9]\d{9}")
MONTH = "2026-10"


def run(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, env=dict(os.environ), timeout=300)


@pytest.fixture(scope="module")
def demo_store(demo_master, tmp_path_factory) -> Path:
    return copy_demo_store(demo_master, tmp_path_factory.mktemp("slides"))


@pytest.fixture(scope="module")
def summary(demo_store) -> dict:
    done = run("summary", "--db", demo_store, "--from", "2026-10-01", "--to", "2026-10-31", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module", params=["en", "zh"])
def deck(request, demo_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("deck") / f"review-{request.param}.pptx"
    done = run("report", "--db", demo_store, "--month", MONTH, "--format", "pptx", "--lang", request.param,
               "--out", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote the review of {MONTH} to {out}"
    return request.param, out, Presentation(str(out))


def shape(slide, name):
    found = [s for s in slide.shapes if s.name == name]
    assert len(found) == 1, [s.name for s in slide.shapes]
    return found[0]


def slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


@pytest.mark.slow
def test_one_slide_per_section_in_the_reviews_order_with_its_title(deck):
    language, _, presentation = deck
    slides = list(presentation.slides)
    assert len(slides) == 1 + len(SECTIONS)
    assert shape(slides[0], "title").text_frame.text == translate("review.report_title", language,
                                                                   month=translate("fmt.month", language, year=2026,
                                                                                   month=10,
                                                                                   month_name=translate("month.10",
                                                                                                        language)))
    for slide, section in zip(slides[1:], SECTIONS):
        assert slide.name == section
        assert shape(slide, "title").text_frame.text == translate(f"review.section.{section}", language)


@pytest.mark.slow
def test_the_headline_tiles_carry_the_summarys_numbers_and_their_n(deck, summary):
    language, _, presentation = deck
    headlines = next(s for s in presentation.slides if s.name == "headlines")
    expected = {"nps": (summary["nps"]["score"], summary["nps"]["n"]),
                "csi": (summary["csi"]["score"], summary["csi"]["n"]),
                "complaints": (summary["complaints"]["n"], summary["complaints"]["n"]),
                "negative_share": (summary["sentiment"]["negative_share"], summary["sentiment"]["n"])}
    for metric, (value, n) in expected.items():
        lines = shape(headlines, f"tile-{metric}").text_frame.text.split("\n")
        assert lines[1] == fmt_value(metric, value, language)
        assert fmt_n(n, language) in lines[2]


def test_native_charts_hold_the_summarys_numbers(deck, summary, demo_store):
    language, _, presentation = deck
    slides = {s.name: s for s in presentation.slides}
    con = connect(demo_store, read_only=True)
    try:
        labels = DataLabels.from_frame(label_table(con))
    finally:
        con.close()
    nps = shape(slides["nps"], "nps-trend").chart
    assert nps.chart_type == XL_CHART_TYPE.LINE_MARKERS
    scores = list(nps.plots[0].series[0].values)
    assert len(scores) == 12 and scores[-1] == pytest.approx(summary["nps"]["score"], abs=1e-9)

    pareto = shape(slides["complaints"], "cause-pareto").chart
    counts = dict(zip(pareto.plots[0].categories, pareto.plots[0].series[0].values))
    # the summary names causes and attributes as the data holds them; the slides in the reader's language
    assert {data_label("cause", c["cause"], language, labels): c["count"]
            for c in summary["complaints"]["top_causes"]}.items() <= {k: int(v) for k, v in counts.items()}.items()
    assert sum(counts.values()) == summary["complaints"]["n_with_cause"]

    radar = shape(slides["csi"], "csi-radar").chart
    assert radar.chart_type == XL_CHART_TYPE.RADAR_MARKERS
    now = dict(zip(radar.plots[0].categories, radar.plots[0].series[0].values))
    attributes = summary["csi"]["attributes"]
    attributes = attributes if isinstance(attributes, dict) else {a["attribute"]: a["satisfaction"] for a in attributes}
    assert now == pytest.approx({data_label("item", a, language, labels): v for a, v in attributes.items()}, abs=1e-9)

    gaps = shape(slides["gaps"], "gap5-dimensions").chart
    assert sorted(gaps.plots[0].series[0].values) == pytest.approx(sorted(summary["gaps"]["gap5"].values()), abs=1e-9)


@pytest.mark.slow
def test_speaker_notes_carry_every_finding_of_the_section(deck, demo_store):
    language, _, presentation = deck
    con = connect(demo_store, read_only=True)
    try:
        told = story(labelled(month_review(con, MONTH), DataLabels.from_frame(label_table(con)), language), language)
    finally:
        con.close()
    slides = {s.name: s for s in presentation.slides}
    for section in told.sections:
        notes = slides[section.id].notes_slide.notes_text_frame.text
        for sentence in section.sentences:
            assert plain_text(sentence.text) in notes
        assert "**" not in notes


def test_customers_data_is_masked_everywhere(deck):
    _, _, presentation = deck
    every = "\n".join(slide_text(s) + "\n" + s.notes_slide.notes_text_frame.text for s in presentation.slides)
    assert not EMAIL.search(every) and not PHONE.search(every)
    quotes = [s for s in next(s for s in presentation.slides if s.name == "verbatims").shapes
              if s.name.startswith("quote-")]
    assert len(quotes) == 3


@pytest.mark.slow
def test_a_month_without_data_is_refused_in_words(demo_store, tmp_path):
    done = run("report", "--db", demo_store, "--month", "2019-01", "--format", "pptx", "--out", tmp_path / "x.pptx")
    assert done.returncode == 1 and "no survey responses" in done.stderr and not (tmp_path / "x.pptx").exists()


@pytest.mark.slow
def test_libreoffice_renders_every_slide(deck, tmp_path):
    """Converted as an office suite opens it: a page per slide, and no slide blank."""
    language, path, presentation = deck
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, "LibreOffice (Debian's libreoffice-impress) is installed by `make test`"
    done = subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=240)
    pdf = tmp_path / (path.stem + ".pdf")
    assert pdf.exists(), done.stdout + done.stderr
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "slide")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("slide-*.png"))
    assert len(pages) == len(presentation.slides)
    screenshots = PROJECT_ROOT / "artifacts" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    for i, page in enumerate(pages):
        shutil.copy(page, screenshots / f"slides-{language}-{i + 1}.png")
        colours = Image.open(page).convert("L").getextrema()
        assert colours[1] - colours[0] > 100, f"slide {i + 1} is blank"


@pytest.mark.parametrize("language, cause, attribute, dimension", [
    ("en", "Mobile app problems", "Problem resolution", "Reliability"),
    ("zh", "手机银行故障", "问题解决", "可靠性"),
])
@pytest.mark.slow
def test_the_slides_name_the_datas_values_in_the_readers_language(demo_store, tmp_path, language, cause,
                                                                  attribute, dimension):
    """The demo's questions sheet (Question (中文)) and Labels sheet name its items, causes and
    dimensions in both languages; a deck in each language shows that language's names."""
    out = tmp_path / "review.pptx"
    done = run("report", "--db", demo_store, "--month", MONTH, "--format", "pptx", "--lang", language, "--out", out)
    assert done.returncode == 0, done.stderr
    slides = {s.name: s for s in Presentation(str(out)).slides}
    assert cause in list(shape(slides["complaints"], "cause-pareto").chart.plots[0].categories)
    assert attribute in list(shape(slides["csi"], "csi-radar").chart.plots[0].categories)
    assert dimension in list(shape(slides["gaps"], "gap5-dimensions").chart.plots[0].categories)
