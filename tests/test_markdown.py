"""KB text reaches pages as text: nothing in it is read as Markdown, HTML or Mermaid syntax."""

from __future__ import annotations

import markdown
import pytest

from checklist.pages import diagrams
from checklist.pages.markdown import link, text


def rendered(value: str) -> str:
    return markdown.markdown(text(value), extensions=["attr_list", "footnotes", "tables"])


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("*not bold* and _not italic_", "<p>*not bold* and _not italic_</p>"),
        ("[not a link](https://example.com)", "<p>[not a link](https://example.com)</p>"),
        ("# not a heading", "<p># not a heading</p>"),
        ("1. not a list", "<p>1. not a list</p>"),
        ("- not a list", "<p>- not a list</p>"),
        ("AT&T `code` [^fn] {#id}", "<p>AT&amp;T `code` [^fn] {#id}</p>"),
        ("folded\n   white   space", "<p>folded white space</p>"),
    ],
)
def test_text_is_shown_literally(source: str, shown: str) -> None:
    assert rendered(source) == shown


def test_mermaid_labels_escape_quotes_and_markup() -> None:
    assert diagrams.label('Say "hi" <b>#1</b> & | more') == (
        '["Say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt; #amp; #124; more"]'
    )


@pytest.mark.parametrize(
    ("here", "target", "anchor", "expected"),
    [
        ("index.md", "references.md", "ref_a", "references.md#ref_a"),
        ("pillars/security.md", "references.md", "ref_a", "../references.md#ref_a"),
        ("references.md", "pillars/security.md", "", "pillars/security.md"),
        ("references.md", "references.md", "ref_a", "#ref_a"),
    ],
)
def test_relative_links(here: str, target: str, anchor: str, expected: str) -> None:
    assert link(here, target, anchor) == expected
