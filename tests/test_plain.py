"""The plain-text helper: escaped Markdown reads back as exactly the characters typed; Persian is untouched."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from karnama.web import plain
from tests.apptest_helpers import read_table

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


@pytest.mark.parametrize("text", SAMPLES)
def test_table_shows_every_cell_index_and_header_as_typed_with_no_live_markup(text):
    frame = pd.DataFrame({text: [text, "مشهد"], "n": ["۱", None]}, index=pd.Index([text, "نیشابور"], name=text))
    body = plain.table_html(frame, {}, {})
    shown = read_table(body)
    assert list(shown.columns) == [text, "n"] and shown.index.name == text
    assert list(shown.index) == [text, "نیشابور"] and list(shown[text]) == [text, "مشهد"]
    assert list(shown["n"]) == ["۱", ""]  # an empty cell stays empty
    # Only the table's own tags: nothing typed became an element (an image, a link, a script).
    assert set(re.findall(r"<(\w+)", body)) <= {"div", "table", "thead", "tbody", "tr", "th", "td"}


def test_table_colours_only_the_cells_named():
    frame = pd.DataFrame({"شهرستان": ["مشهد", "طرقبه"], "وضعیت": ["عقب", "در مسیر"], "پیشرفت": ["عقب", "۹۰٪"]})
    body = plain.table_html(frame.set_index("شهرستان"), {"پیشرفت": "۹۰٪"}, {"وضعیت": {"عقب": "#c92a2a"}})
    assert body.count("style=") == 2
    assert '<td style="color: #c92a2a; font-weight: 700">عقب</td><td>عقب</td>' in body  # same word, other column
    assert f'<td style="{plain.HIGHLIGHT_STYLE}">۹۰٪</td>' in body
    assert isinstance(read_table(plain.table_html(frame, {}, {})).index, pd.RangeIndex)  # no index: no row headers


def test_plotly_text_escapes_tags():
    assert plain.svg('<a href="http://x">y</a>') == '&lt;a href="http://x"&gt;y&lt;/a&gt;'
