"""Links through an allow-list, and text that shows Markdown went unread.

Another article (by slug or relative ``.md`` path) becomes an ``article:`` link the UI
handles itself; an ``http(s)`` address becomes plain text plus a take-home URL (only
``https``, kiosk.core.content.identifiers); anything else is an error and its words
show as text. The render rules (kiosk.core.content.html_rules) read the ``kind`` this
step leaves on each ``link_open`` token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from kiosk.core.content.identifiers import https_address_problem
from kiosk.core.content.pack import ARTICLE_SCHEME, SLUG_PATTERN
from kiosk.core.content.packpaths import PackPaths
from kiosk.core.content.problems import ProblemList
from kiosk.core.content.takehome import qr_problem

_RAW_HTML = re.compile(r"<!--|<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?\s*>")


@dataclass(frozen=True)
class LinkRef:
    """A link to another article: its slug and the 1-based line it is written on."""

    slug: str
    line: int


@dataclass
class CardLinks:
    """What one card links to, in the order written (repeats kept; the card drops them)."""

    slugs: list[str] = field(default_factory=list)  # articles, as slugs
    urls: list[str] = field(default_factory=list)  # https addresses to take home


def check_text(content: str, line: int, problems: ProblemList) -> None:
    """Report raw HTML, or a picture or link Markdown could not read, in a text run."""
    raw = _RAW_HTML.search(content)
    if raw:
        problems.error(line, f"raw HTML '{raw.group(0)[:40]}' is not allowed; use Markdown instead")
    elif "![" in content and "](" in content:
        # A picture Markdown could not read shows patients its raw text, with
        # no picture: most often a file name with a space (phone photos).
        problems.error(
            line,
            "this looks like a picture Markdown could not read, so patients would "
            "see its brackets and no picture; if the file name has spaces, rename "
            "the file without them (e.g. my-sun.png) and change the name here",
        )
    elif "](" in content:
        problems.warning(
            line,
            "this looks like a link Markdown could not read, so patients see the "
            "brackets; a link target cannot contain spaces",
        )


def resolve_link(
    link: Token,
    line: int,
    paths: PackPaths,
    problems: ProblemList,
    card: CardLinks,
    links: list[LinkRef],
) -> None:
    """Mark a ``link_open`` token as ``article``, ``external`` or ``text`` (the safe
    default), rewrite an article link to ``article:<slug>``, and record it in ``card``
    and ``links``; report a link that is not allowed."""
    href = str(link.attrGet("href") or "").strip()
    scheme = urlsplit(href).scheme.lower()
    link.meta["kind"] = "text"  # the safe default: show the words, link nowhere
    if scheme == "http":
        problems.error(
            line,
            f"link to '{href[:60]}' must start with https:// (a web address patients "
            "take home); write the https:// address of the page",
        )
        return
    if scheme == "https":
        # Any of them can be the one the last card's QR code shows (the article's
        # first, when it has no url:), so each must be well formed and fit in it.
        problem = https_address_problem(href) or qr_problem(href)
        if problem is not None:
            problems.error(line, f"link to '{href[:60]}' {problem}")
            return
        link.meta["kind"] = "external"
        card.urls.append(href)
        return
    if scheme:
        problems.error(
            line,
            f"link to '{href[:60]}' is not allowed; link to another article by its "
            "slug, e.g. [text](heart-attack), or give an https:// address",
        )
        return
    _resolve_article_link(link, href, line, paths, problems, card, links)


def _resolve_article_link(
    link: Token,
    href: str,
    line: int,
    paths: PackPaths,
    problems: ProblemList,
    card: CardLinks,
    links: list[LinkRef],
) -> None:
    slug = slug_from_href(href, paths)
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
    card.slugs.append(slug)
    links.append(LinkRef(slug, line))


def slug_from_href(href: str, paths: PackPaths) -> str | None:
    """The slug a link names; "" if it leaves the pack, None if it is no slug at all."""
    target = unquote(href.split("#", 1)[0].split("?", 1)[0])
    if target.endswith(".md"):
        # As written, not resolved: the file system is not asked (a link 9,900 folders
        # deep took 85 ms to resolve as an article opened), and a pack has no links on
        # disk to follow (a build refuses them).
        if "\x00" in target or not paths.stays_inside(target):
            return ""
        slug = PurePosixPath(target).stem
    else:
        slug = target
    return slug if SLUG_PATTERN.match(slug) else None
