"""Markdown to cards: parse -> split at H2 -> resolve links and images -> render -> plain text.

One MarkdownIt instance serves the whole process. Raw HTML is off, so any tag an
administrator types is shown as text, never interpreted; it is also reported, since
it is almost always a mistake. Links go through an allow-list: another article (by
slug or relative ``.md`` path) becomes an ``article:`` link the UI handles itself;
an ``http(s)`` address becomes plain text plus a take-home URL; anything else is an
error. Images resolve only to files inside the pack and are emitted as ``pack:``
URLs, which the UI loads from the verified pack and nowhere else.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from kiosk.core.content.identifiers import is_https_address
from kiosk.core.content.pack import ARTICLE_SCHEME, PACK_SCHEME, SLUG_PATTERN, Section
from kiosk.core.content.pictures import PictureError, PictureInfo, check_picture, picture_format
from kiosk.core.content.plaintext import breakable
from kiosk.core.content.problems import ProblemList

_RAW_HTML = re.compile(r"<!--|<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?\s*>")


def _accept_every_link(url: str) -> bool:
    # markdown-it silently turns javascript:/file:/data: links into text. We want
    # to see them so the validator can name them; our own allow-list decides.
    return True


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.use(front_matter_plugin)
    md.enable("table")
    md.validateLink = _accept_every_link  # type: ignore[method-assign]
    return md


_MD = _make_parser()


@dataclass(frozen=True)
class LinkRef:
    slug: str
    line: int


@dataclass
class RenderedArticle:
    front_matter: str | None
    front_matter_line: int
    body_start_line: int
    sections: list[Section] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)


@dataclass(frozen=True)
class PackPaths:
    """Where an article sits, so relative links and images resolve safely."""

    pack_root: Path
    article_file: Path
    # Decode each picture (kiosk.core.content.pictures) at validate and build; not when a kiosk
    # opens an article of a signed pack, which was checked when it was built.
    check_pictures: bool = True
    # Where each checked picture is added (resolved), for the loader's check of the rest.
    pictures_checked: set[Path] | None = field(default=None, compare=False)

    def inside_pack(self, relative: str) -> Path | None:
        """Resolve a path written in the article; None if it leaves the pack or is no path."""
        if "\x00" in relative:
            return None
        try:
            target = (self.article_file.parent / relative).resolve()
            root = self.pack_root.resolve()
        except (OSError, RuntimeError):  # symlink loops, names the OS refuses
            return None
        return target if target.is_relative_to(root) else None

    def pack_url(self, target: Path) -> str:
        """``pack:/`` and the file's path in the pack, percent-encoded: a file named
        ``a#b.png`` or ``%41.png`` is that file, not ``a`` or ``A.png`` (the kiosk
        reads the path back decoded, kiosk/ui/widgets/textview.py)."""
        relative = target.relative_to(self.pack_root.resolve()).as_posix()
        return f"{PACK_SCHEME}:/" + quote(relative, safe="/")


@dataclass
class _Chunk:
    title: str
    title_line: int
    tokens: list[Token]


def parse(source: str, paths: PackPaths, problems: ProblemList) -> RenderedArticle:
    """Turn an article's text into cards, reporting what an administrator must fix."""
    tokens = _MD.parse(source)
    front_matter, fm_line, body_line = _take_front_matter(tokens, source, problems)
    rendered = RenderedArticle(front_matter, fm_line, body_line)
    for chunk in _split_sections(tokens):
        if not _has_body(chunk.tokens):
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


def _split_sections(tokens: list[Token]) -> list[_Chunk]:
    chunks = [_Chunk("", 0, [])]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open" and tok.tag == "h2":
            inline = tokens[i + 1]
            line = (tok.map[0] + 1) if tok.map else 0
            chunks.append(_Chunk(_inline_text(inline), line, []))
            i += 3  # heading_open, inline, heading_close
            continue
        chunks[-1].tokens.append(tok)
        i += 1
    return chunks


def _has_body(tokens: Sequence[Token]) -> bool:
    return any(
        (t.type == "inline" and t.content.strip())
        or t.type in ("fence", "code_block", "hr", "table_open")
        for t in tokens
    )


def _inline_text(inline: Token) -> str:
    # Image alt text is part of what a card says, so speech and search include it.
    return "".join(
        c.content
        if c.type in ("text", "code_inline", "image")
        else " "
        if c.type in ("softbreak", "hardbreak")
        else ""
        for c in (inline.children or [])
    ).strip()


def _render_chunk(
    chunk: _Chunk, paths: PackPaths, problems: ProblemList, links: list[LinkRef]
) -> Section:
    env: dict[str, Any] = {"slugs": [], "urls": []}
    for tok in chunk.tokens:
        line = (tok.map[0] + 1) if tok.map else chunk.title_line
        if tok.type == "heading_open" and tok.tag == "h1":
            problems.warning(
                line,
                "a '#' heading inside the text; the title comes from front matter, "
                "so use '##' to start a card or '###' for a sub-heading",
            )
        if tok.type == "inline":
            _resolve_inline(tok, line, paths, problems, env, links)
    body = _MD.renderer.render(chunk.tokens, _MD.options, env)
    text = _plain_text(chunk.title, chunk.tokens)
    _check_length(chunk, text, problems)
    return Section(
        title=chunk.title,
        html=body.strip(),
        text=text,
        links=tuple(dict.fromkeys(env["slugs"])),
        take_home_urls=tuple(dict.fromkeys(env["urls"])),
    )


# A card is read on one screen, scrolled a little at 200%: the longest card of the first
# pack is 730 characters. Laying out text costs the GUI thread about 1.5 ms per 1,000
# characters (Qt rich text, measured on a 2-core machine); 900 KB held it 18 s.
CARD_MAX_CHARS = 4_000
CARD_LONG_CHARS = 1_500  # a warning: more than a screen at 200%
# "Pneumonoultramicroscopicsilicovolcanoconiosis" is 45 letters; a longer run is a
# pasted address or an accident, and cannot wrap (the card breaks it anyway, see
# plaintext.breakable).
LONGEST_WORD_CHARS = 50
_RUN = re.compile(r"[^\s\u200b]+")


# What a card's layout holds besides its words: paragraphs, list items, table cells,
# rules, headings, pictures. A card of 4,000 characters has under 150; a table of
# 200,000 empty rows had no words at all and held the GUI thread 7 s (issue 13,
# attacker). Pictures each cost a decode and a new layout when they arrive.
CARD_MAX_PARTS = 300
CARD_MAX_PICTURES = 12
_PART_TOKENS = frozenset(
    {
        "paragraph_open",
        "list_item_open",
        "tr_open",
        "th_open",
        "td_open",
        "heading_open",
        "blockquote_open",
        "hr",
        "fence",
        "code_block",
    }
)


def _check_parts(chunk: _Chunk, name: str, line: int, problems: ProblemList) -> None:
    pictures = sum(
        1
        for tok in chunk.tokens
        if tok.type == "inline"
        for child in tok.children or []
        if child.type == "image"
    )
    parts = pictures + sum(1 for tok in chunk.tokens if tok.type in _PART_TOKENS)
    if pictures > CARD_MAX_PICTURES:
        problems.error(
            line,
            f"{name} has {pictures:,} pictures; a card shows at most {CARD_MAX_PICTURES}. "
            "Split it into cards with '## ' headings",
        )
    elif parts > CARD_MAX_PARTS:
        problems.error(
            line,
            f"{name} has {parts:,} paragraphs, list items, table cells, lines and pictures; "
            f"a card holds at most {CARD_MAX_PARTS}. Split it into cards with '## ' headings",
        )


def _check_length(chunk: _Chunk, text: str, problems: ProblemList) -> None:
    """Cards a patient can read and the kiosk can lay out at once (issue 13: one 200 KB
    word held the GUI thread for 10 s)."""
    line = chunk.title_line or _first_line(chunk.tokens)
    name = f"section '{chunk.title[:40]}'" if chunk.title else "the first card"
    _check_parts(chunk, name, line, problems)
    if len(text) > CARD_MAX_CHARS:
        problems.error(
            line,
            f"{name} is {len(text):,} characters; a card holds at most {CARD_MAX_CHARS:,}. "
            "Split it into cards with '## ' headings",
        )
    elif len(text) > CARD_LONG_CHARS:
        problems.warning(
            line,
            f"{name} is {len(text):,} characters, more than a screen at large text; "
            "split it into cards with '## ' headings",
        )
    longest = max(_RUN.findall(text), key=len, default="")
    if len(longest) > LONGEST_WORD_CHARS:
        problems.warning(
            line,
            f"{name} has a run of {len(longest):,} characters without a space "
            f"('{longest[:30]}...'); patients see it broken across lines. Add spaces, "
            "or for a web address use a link: [the CDC page](https://...)",
        )


def _first_line(tokens: Sequence[Token]) -> int:
    return next(((t.map[0] + 1) for t in tokens if t.map), 0)


def _resolve_inline(
    inline: Token,
    line: int,
    paths: PackPaths,
    problems: ProblemList,
    env: dict[str, Any],
    links: list[LinkRef],
) -> None:
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1  # report the line the link is on, not where its paragraph starts
        elif child.type == "text":
            raw = _RAW_HTML.search(child.content)
            if raw:
                problems.error(
                    line, f"raw HTML '{raw.group(0)[:40]}' is not allowed; use Markdown instead"
                )
            elif "![" in child.content and "](" in child.content:
                # A picture Markdown could not read shows patients its raw text, with
                # no picture: most often a file name with a space (phone photos).
                problems.error(
                    line,
                    "this looks like a picture Markdown could not read, so patients would "
                    "see its brackets and no picture; if the file name has spaces, rename "
                    "the file without them (e.g. my-sun.png) and change the name here",
                )
            elif "](" in child.content:
                problems.warning(
                    line,
                    "this looks like a link Markdown could not read, so patients see the "
                    "brackets; a link target cannot contain spaces",
                )
        elif child.type == "link_open":
            _resolve_link(child, line, paths, problems, env, links)
        elif child.type == "image":
            _resolve_image(child, line, paths, problems)


def _resolve_link(
    link: Token,
    line: int,
    paths: PackPaths,
    problems: ProblemList,
    env: dict[str, Any],
    links: list[LinkRef],
) -> None:
    href = str(link.attrGet("href") or "").strip()
    scheme = urlsplit(href).scheme.lower()
    link.meta["kind"] = "text"  # the safe default: show the words, link nowhere
    if scheme in ("http", "https"):
        if not is_https_address(href):
            problems.error(
                line,
                f"link to '{href[:60]}' must start with https:// (a web address patients "
                "take home); write the https:// address of the page",
            )
            return
        link.meta["kind"] = "external"
        env["urls"].append(href)
        return
    if scheme:
        problems.error(
            line,
            f"link to '{href[:60]}' is not allowed; link to another article by its "
            "slug, e.g. [text](heart-attack), or give an https:// address",
        )
        return
    slug = _slug_from_href(href, paths)
    if slug == "":
        problems.error(
            line, f"link '{href[:60]}' points outside the pack; link to an article in it"
        )
        return
    if slug is None:
        problems.error(
            line,
            f"link '{href[:60]}' is not an article; use a slug such as "
            "[text](heart-attack) or a path such as [text](../terms/heart-attack.md)",
        )
        return
    link.meta["kind"] = "article"
    link.attrSet("href", f"{ARTICLE_SCHEME}:{slug}")
    env["slugs"].append(slug)
    links.append(LinkRef(slug, line))


def _slug_from_href(href: str, paths: PackPaths) -> str | None:
    """The slug a link names; "" if it leaves the pack, None if it is no slug at all."""
    target = unquote(href.split("#", 1)[0].split("?", 1)[0])
    if target.endswith(".md"):
        if paths.inside_pack(target) is None:
            return ""
        slug = PurePosixPath(target).stem
    else:
        slug = target
    return slug if SLUG_PATTERN.match(slug) else None


def _resolve_image(image: Token, line: int, paths: PackPaths, problems: ProblemList) -> None:
    src = unquote(str(image.attrGet("src") or "").strip())
    image.meta["src"] = None
    if urlsplit(src).scheme or src.startswith("/"):
        problems.error(
            line,
            f"image '{src[:60]}' must be a file inside the pack, written relative to "
            "this article, e.g. ../images/heart.png",
        )
        return
    target = paths.inside_pack(src)
    if target is None:
        problems.error(line, f"image '{src[:60]}' points outside the pack; keep images inside it")
        return
    if picture_format(target.suffix) is None:
        problems.error(line, f"image '{src[:60]}' must be a .png or .jpg file")
        return
    try:
        exists = target.is_file()
    except OSError:  # e.g. a name longer than the file system allows
        exists = False
    if not exists:
        problems.error(line, f"image '{src[:60]}' does not exist; check the file name and folder")
        return
    # A link anywhere on the way (the file, or a folder): the path as written differs
    # from where it leads. abspath, not resolve: it tidies ".." without following links.
    written = Path(os.path.abspath(paths.article_file.parent / src))  # noqa: PTH100
    root = Path(os.path.abspath(paths.pack_root))  # noqa: PTH100
    if written != root / target.relative_to(paths.pack_root.resolve()):
        problems.error(
            line,
            f"picture '{src[:60]}' is a link to another file; put the picture file itself "
            "in the pack (a build refuses links)",
        )
        return
    description = "".join(child.content for child in image.children or [])
    if not any(char.isalnum() for char in description):
        problems.error(
            line,
            f"picture '{src[:60]}' has no description; write what it shows between the "
            "brackets, e.g. ![A healthy heart](../images/heart.png): read aloud and "
            "screen readers say it to patients who cannot see the picture",
        )
    if paths.check_pictures:
        if paths.pictures_checked is not None:
            paths.pictures_checked.add(target)
        checked = check_picture_file(target)
        if isinstance(checked, str):
            problems.error(line, f"picture '{src[:60]}' {checked}")
            return
        if checked.large:
            problems.warning(
                line,
                f"picture '{src[:60]}' is {checked.width} x {checked.height} pixels, more "
                "than any kiosk screen shows; 2000 pixels wide is sharp everywhere and "
                "opens faster",
            )
    image.meta["src"] = paths.pack_url(target)


@lru_cache(maxsize=1024)  # a picture used by many articles is decoded once
def _check_cached(path: Path, size: int, mtime_ns: int) -> PictureInfo | str:
    try:
        return check_picture(path.read_bytes(), path.suffix)
    except PictureError as err:
        return str(err)
    except OSError as err:
        return f"cannot be read ({err.strerror})"


def check_picture_file(path: Path) -> PictureInfo | str:
    """The picture's size, or what is wrong with it (kiosk.core.content.pictures)."""
    try:
        stat = path.stat()
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    return _check_cached(path, stat.st_size, stat.st_mtime_ns)


# --- rendering: only the subset Qt rich text draws well -------------------------------


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
    """Text, escaped, with break points in runs too long to wrap (plaintext.breakable);
    entities and tags stay whole."""
    return breakable(escapeHtml(tokens[idx].content), stops=_HTML_STOPS)


def _render_code_inline(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return f"<code>{breakable(escapeHtml(tokens[idx].content), stops=_HTML_STOPS)}</code>"


_HTML_STOPS = "&;<>"  # a run ends at these, so no break lands inside &amp; or a tag


def _render_image(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    alt = html.escape(self.renderInlineAsText(tok.children or [], options, env), quote=True)
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


_MD.add_render_rule("link_open", _render_link_open)
_MD.add_render_rule("link_close", _render_link_close)
_MD.add_render_rule("image", _render_image)
_MD.add_render_rule("text", _render_text)
_MD.add_render_rule("code_inline", _render_code_inline)
_MD.add_render_rule("heading_open", _render_heading_open)
_MD.add_render_rule("paragraph_open", _render_paragraph_open)
_MD.add_render_rule("heading_close", _render_heading_close)
_MD.add_render_rule("table_open", _render_table_open)


# --- plain text: for speech, search and reading-grade checks --------------------------

_BLOCK_ENDS = frozenset(
    {"paragraph_close", "heading_close", "list_item_close", "th_close", "td_close"}
)


def _plain_text(title: str, tokens: Sequence[Token]) -> str:
    blocks: list[str] = [title] if title else []
    current: list[str] = []
    for tok in tokens:
        if tok.type == "inline":
            current.append(_inline_text(tok))
        elif tok.type in ("fence", "code_block"):
            current.append(tok.content.strip())
        if tok.type in _BLOCK_ENDS or tok.type in ("fence", "code_block"):
            text = " ".join(p for p in current if p).strip()
            if text:
                blocks.append(text)
            current = []
    return "\n\n".join(blocks)
