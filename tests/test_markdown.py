"""KB text reaches pages as text: nothing in it is read as Markdown, HTML or Mermaid syntax."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from sitebuilder.pages import diagrams
from sitebuilder.pages.markdown import admonition_title, html_text, link, text

ROOT = Path(__file__).resolve().parent.parent


def site_extensions() -> list[object]:
    """The Markdown extensions mkdocs.yml configures, so escaping is tested against what the site runs."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return list(config.markdown_extensions), dict(config.mdx_configs)  # type: ignore[return-value]


EXTENSIONS, CONFIGS = site_extensions()


def rendered(value: str) -> str:
    return markdown.markdown(text(value), extensions=EXTENSIONS, extension_configs=CONFIGS)


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
        ("a | b", "<p>a | b</p>"),
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


def test_a_pipe_stays_inside_its_table_cell() -> None:
    table = f"| A | B |\n| --- | --- |\n| {text('x | y')} | z |"
    html = markdown.markdown(table, extensions=EXTENSIONS, extension_configs=CONFIGS)
    assert "<td>x | y</td>" in html and "<td>z</td>" in html


def test_admonition_titles_and_raw_html() -> None:
    title = admonition_title('A *b* "q" <i>')
    source = f'!!! example "{title}"\n\n    body'
    html = markdown.markdown(source, extensions=EXTENSIONS, extension_configs=CONFIGS)
    assert '<p class="admonition-title">A *b* &quot;q&quot; &lt;i&gt;</p>' in html
    assert html_text('<b a="1">x  y</b>') == "&lt;b a=&quot;1&quot;&gt;x y&lt;/b&gt;"
