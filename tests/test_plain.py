"""The plain-text helper: escaped Markdown reads back as exactly the characters typed; Persian is untouched."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from karnama.web import plain

SAMPLES = [
    "![x](http://host/x.png)",
    "[نشست منقضی شد؛ دوباره وارد شوید](http://host/login)",
    "<img src=x onerror=alert(1)>",
    "- فهرست\n1. یک\n# سرفصل\n> نقل",
    ":red[سرخ] :material/home: **پررنگ** _کج_ `کد` ~~خط~~ $x^2$ | a | b |",
    "www.example.com user@example.com &lt; \\ ",
]


def read_back(source: str) -> str:
    """What CommonMark shows for backslash escapes (any ASCII punctuation), with the invisible joiner dropped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace(plain.WORD_JOINER, "")


@pytest.mark.parametrize("text", SAMPLES)
def test_escaped_text_reads_back_as_typed_with_no_live_syntax(text):
    out = plain.md(text)
    assert read_back(out) == text
    # no unescaped character that could open a link, image, tag, emphasis, code, directive or formula
    assert not re.search(r"(?<!\\)[\[\]<>*_`:$~|&@]", out.replace("\\\\", ""))
    assert not re.search(r"(?i)(https?|www)\\?[:.]", out.replace(plain.WORD_JOINER, "#"))


def test_persian_and_numbers_are_untouched():
    for text in ["مشهد", "تربت\u200cحیدریه", "۱۲٬۳۴۵", "۴۵٫۵٪", "1402/05/01", "20261130T141200Z-ab12cd"]:
        assert plain.md(text) == text


def test_frame_escapes_cells_index_and_headers_but_keeps_numbers():
    frame = pd.DataFrame({"[h](x)": ["<b>", "مشهد"], "n": [1, 2]}).set_index("[h](x)")
    out = plain.frame(frame)
    assert list(out.index) == ["\\<b\\>", "مشهد"] and out.index.name == "\\[h\\](x)"
    assert out["n"].tolist() == [1, 2]
    assert isinstance(plain.frame(pd.DataFrame({"a": ["x"]})).index, pd.RangeIndex)  # still hidden by st.table


def test_plotly_text_escapes_tags():
    assert plain.svg('<a href="http://x">y</a>') == '&lt;a href="http://x"&gt;y&lt;/a&gt;'
