"""score-texts reads its standard input as the loaders read a file: texts saved from Excel come as
UTF-16 ("Unicode text") or GBK as often as UTF-8, and each must give the polarities its texts give,
one line for one line; input that is no text is refused with a message, never a traceback."""
from __future__ import annotations

import codecs
import subprocess
import sys

import pytest
from conftest import PROJECT_ROOT

from text.encoding import UndecodableText, text_lines
from text.sentiment import polarities

TEXTS = ["The staff were very helpful", "服务很好，下次还来", "Terrible queue and rude teller", "一直没解决"]
RUN = [sys.executable, "-m", "analytics", "score-texts"]


def score(raw: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(RUN, input=raw, capture_output=True, cwd=PROJECT_ROOT)


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-8"),
    lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    lambda text: text.encode("utf-16"),                         # Excel's "Unicode text": a BOM, little-endian
    lambda text: text.encode("utf-16-le"),                      # no BOM: told by its zero bytes
    lambda text: text.encode("utf-16-be"),
    lambda text: text.encode("gbk"),
    lambda text: text.replace("\n", "\r\n").encode("gb18030"),  # Windows line ends
], ids=["utf-8", "utf-8 bom", "utf-16", "utf-16-le", "utf-16-be", "gbk", "gb18030 crlf"])
def test_each_encoding_gives_the_texts_own_polarities(encode):
    done = score(encode("\n".join(TEXTS) + "\n"))
    assert done.returncode == 0, done.stderr
    assert [float(x) for x in done.stdout.split()] == pytest.approx(polarities(TEXTS), abs=1e-4)


def test_a_line_for_a_line():
    # a last line without its line feed is a text; an empty line is one (neutral); a carriage return or a
    # line separator inside a text does not cut it
    assert text_lines(b"a\r\n\r\nb\rc\xe2\x80\xa8d\ne", "input") == ["a", "", "b\rc\u2028d", "e"]
    assert text_lines(b"a\n", "input") == ["a"] and text_lines(b"", "input") == []
    done = score("good\r\n\r\nbad\rworse".encode("utf-16"))
    assert done.stdout.decode().split("\n") == [f"{polarities(['good'])[0]:.4f}", "0.0000",
                                                 f"{polarities(['bad' + chr(13) + 'worse'])[0]:.4f}", ""]


def test_bytes_that_are_no_text_are_refused_with_a_message():
    done = score(bytes(range(256)) * 8)
    assert done.returncode == 1 and done.stdout == b""
    assert done.stderr.decode().startswith("error: standard input is not text") and b"Traceback" not in done.stderr


def test_a_change_of_encoding_part_way_names_the_line():
    # UTF-8 by its byte-order mark, then a line of GBK
    raw = codecs.BOM_UTF8 + "很好\n".encode("utf-8") + "很差\n".encode("gbk")
    with pytest.raises(UndecodableText, match=r"^standard input, line 2: .* not utf-8-sig text"):
        text_lines(raw, "standard input")
    done = score(raw)
    assert done.returncode == 1 and b"line 2" in done.stderr and b"Traceback" not in done.stderr
