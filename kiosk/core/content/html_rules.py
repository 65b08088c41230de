"""Render rules: the HTML subset Qt rich text draws well, as a table of named rules.

Each rule replaces markdown-it's own renderer for one token type; the one MarkdownIt
instance (kiosk.core.content.markdown_engine) installs every rule in ``HTML_RULES``.
Links render only when the link step (kiosk.core.content.links) marked them as
``article`` links; images only when the picture step (kiosk.core.content.images) gave
them a ``pack:`` address. Everything else a patient sees is escaped text.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from kiosk.core.content.plaintext import breakable
from kiosk.core.content.sections import picture_description

# markdown-it's rule signature: (renderer, tokens, index of this token, options, env) -> HTML
RenderRule = Callable[[Any, list[Token], int, Any, Any], str]


def _render_link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    if tok.meta.get("kind") != "article":
        return ""
    return f'<a href="{html.escape(str(tok.attrGet("href")), quote=True)}">'


def _render_link_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    # Find the matching opener: links cannot nest, so the nearest one is it.
    for tok in reversed(tokens[:idx]):
        if tok.type == "link_open":
            return "</a>" if tok.meta.get("kind") == "article" else ""
    return ""


def _render_text(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """Text with break points in runs too long to wrap (plaintext.breakable), then
    escaped: the runs are counted in the characters patients see, so a run of '&' (each
    '&amp;' once escaped) breaks like any other, and no break lands inside an entity."""
    return escapeHtml(breakable(tokens[idx].content))


def _render_code_inline(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return f"<code>{escapeHtml(breakable(tokens[idx].content))}</code>"


def _render_image(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    alt = html.escape(picture_description(tok), quote=True)  # the words read aloud
    src = tok.meta.get("src")
    if not src:
        return alt
    return f'<img src="{html.escape(src, quote=True)}" alt="{alt}">'


def _render_paragraph_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    # A paragraph that is only a picture: its own class, so that the card's line height
    # (135%, WCAG 1.4.12) does not add a third of the picture's height under it.
    if tokens[idx].hidden:  # a tight list's item: no paragraph at all
        return ""
    inline = tokens[idx + 1] if idx + 1 < len(tokens) else None
    children = [c for c in (inline.children or []) if c.type != "softbreak"] if inline else []
    if children and all(c.type == "image" and c.meta.get("src") for c in children):
        return '<p class="picture">'
    return "<p>"


def _render_heading_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    # H2 starts a card, so anything left is a sub-heading; keep Qt's sizes calm.
    return "<h3>" if tokens[idx].tag in ("h1", "h3") else "<h4>"


def _render_heading_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return "</h3>\n" if tokens[idx].tag in ("h1", "h3") else "</h4>\n"


def _render_table_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return '<table border="1" cellspacing="0" cellpadding="8">\n'


# Token type -> the rule that renders it, in the order they were added before the split.
HTML_RULES: dict[str, RenderRule] = {
    "link_open": _render_link_open,
    "link_close": _render_link_close,
    "image": _render_image,
    "text": _render_text,
    "code_inline": _render_code_inline,
    "heading_open": _render_heading_open,
    "paragraph_open": _render_paragraph_open,
    "heading_close": _render_heading_close,
    "table_open": _render_table_open,
}
