"""Markdown to cards: parse -> split at H2 -> resolve links and images -> render -> plain text.

Each stage is its own module; this one runs them in order for one article:

- parse: the one MarkdownIt instance (kiosk.core.content.markdown_engine), raw HTML off;
- split at H2: kiosk.core.content.sections;
- resolve: links through an allow-list (kiosk.core.content.links), pictures only to
  files inside the pack (kiosk.core.content.images), raw HTML reported (it is shown as
  text, never interpreted, and is almost always a mistake);
- render: the HTML subset Qt rich text draws well (kiosk.core.content.html_rules);
- plain text, and the size of each card (kiosk.core.content.cardlimits).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from kiosk.core.content.cardlimits import check_card_size
from kiosk.core.content.images import resolve_image
from kiosk.core.content.invisible import check_bidi
from kiosk.core.content.links import CardLinks, LinkRef, check_text, resolve_link
from kiosk.core.content.markdown_engine import MARKDOWN
from kiosk.core.content.pack import Section
from kiosk.core.content.packpaths import PackPaths
from kiosk.core.content.problems import ProblemList
from kiosk.core.content.sections import (
    Chunk,
    has_body,
    plain_text,
    split_sections,
    text_lines,
)


@dataclass
class RenderedArticle:
    """An article's cards and what they link to; ``front_matter`` is its raw YAML text
    (None if missing), which starts on ``front_matter_line`` (0 if none); the body
    starts on ``body_start_line``. Lines are 1-based. ``parts``: how many tokens
    markdown-it made and ``marks`` how many characters it stops at to try its rules
    (line ends, - : * [ & ...): what parsing it costs; ``headings``: each '## ' heading's line
    and words (kiosk.core.content.cardlimits.check_article_size)."""

    front_matter: str | None
    front_matter_line: int
    body_start_line: int
    sections: list[Section] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    parts: int = 0
    marks: int = 0
    headings: list[tuple[int, str]] = field(default_factory=list)


def parse(source: str, paths: PackPaths, problems: ProblemList) -> RenderedArticle:
    """Turn an article's text into cards, reporting what an administrator must fix."""
    tokens = MARKDOWN.parse(source)
    front_matter, fm_line, body_line = _take_front_matter(tokens, source, problems)
    rendered = RenderedArticle(front_matter, fm_line, body_line)
    rendered.parts = sum(1 + len(tok.children or ()) for tok in tokens)
    marks = MARKDOWN.inline.terminator_re  # those of the front matter are YAML's
    rendered.marks = len(marks.findall(source)) - len(marks.findall(front_matter or ""))
    for chunk in split_sections(tokens):
        if chunk.title_line:
            rendered.headings.append((chunk.title_line, chunk.title))
        if not has_body(chunk.tokens):
            if chunk.title:
                problems.error(
                    chunk.title_line,
                    f"section '{chunk.title}' has no text; write something under it "
                    "or remove the heading",
                )
            continue
        rendered.sections.append(_render_chunk(chunk, paths, problems, rendered.links))
    return rendered


def _take_front_matter(
    tokens: list[Token], source: str, problems: ProblemList
) -> tuple[str | None, int, int]:
    if tokens and tokens[0].type == "front_matter":
        fm = tokens.pop(0)
        end = fm.map[1] if fm.map else 0
        return fm.content, 2, end + 1
    if source.lstrip("\ufeff").startswith("---"):
        problems.error(1, "front matter is never closed: add a line with only --- after it")
    else:
        problems.error(1, "no front matter: start the file with a line '---', the keys, then '---'")
    return None, 0, 1


def _render_chunk(
    chunk: Chunk, paths: PackPaths, problems: ProblemList, links: list[LinkRef]
) -> Section:
    card = CardLinks()
    for tok in chunk.tokens:
        line = (tok.map[0] + 1) if tok.map else chunk.title_line
        if tok.type == "heading_open" and tok.tag == "h1":
            problems.warning(
                line,
                "a '#' heading inside the text; the title comes from front matter, "
                "so use '##' to start a card or '###' for a sub-heading",
            )
        if tok.type == "inline":
            _resolve_inline(tok, line, paths, problems, card, links)
    for number, words in text_lines(chunk):
        check_bidi("this line", words, number, problems)
    # No render rule reads the environment: what a card links to is in ``card``.
    body = MARKDOWN.renderer.render(chunk.tokens, MARKDOWN.options, {})
    text = plain_text(chunk.title, chunk.tokens)
    check_card_size(chunk, text, problems)
    return Section(
        title=chunk.title,
        html=body.strip(),
        text=text,
        links=tuple(dict.fromkeys(card.slugs)),
        take_home_urls=tuple(dict.fromkeys(card.urls)),
    )


def _resolve_inline(
    inline: Token,
    line: int,
    paths: PackPaths,
    problems: ProblemList,
    card: CardLinks,
    links: list[LinkRef],
) -> None:
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1  # report the line the link is on, not where its paragraph starts
        elif child.type == "text":
            check_text(child.content, line, problems)
        elif child.type == "link_open":
            resolve_link(child, line, paths, problems, card, links)
        elif child.type == "image":
            resolve_image(child, line, paths, problems)
