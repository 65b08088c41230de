"""A new article as the studio makes it: valid as it is, before any further edit.

Staff give a title, its kind, a one-line summary and the first paragraph (the studio's
"New article" form); the file written holds them with today's review date and the next
review a year on (the review policy's default: kiosk.core.content.review), in the key
order every bundled article uses, each value quoted only where YAML needs it
(kiosk.core.content.frontmatter_edit). `kiosk content validate` accepts it with no
further edit (tests/test_studio_new_article.py runs the real validator).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from kiosk.core.content.frontmatter_edit import set_field
from kiosk.core.content.identifiers import SLUG_MAX, SLUG_PATTERN
from kiosk.core.content.pack import Kind
from kiosk.core.errors import KioskError

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class NewArticleError(KioskError):
    """What the New article form still needs, in one line."""


def slug_for(title: str) -> str:
    """The file name (without .md) for ``title``: "Golpe de calor" -> "golpe-de-calor".
    Accents are dropped, every run of other characters becomes one hyphen. Raises
    NewArticleError when nothing of the title is left (a title of signs only)."""
    ascii_only = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_only.lower()).strip("-")[:SLUG_MAX].rstrip("-")
    if SLUG_PATTERN.match(slug) is None:
        raise NewArticleError(f"'{title}' gives no file name; use letters or digits in the title")
    return slug


def new_article(*, title: str, kind: Kind, summary: str, text: str, today: date) -> str:
    """The whole file of a new article (Markdown with its front matter).

    Raises NewArticleError, in one line, when the title or the first paragraph is
    empty; the validator has the last word on everything else."""
    if not title.strip():
        raise NewArticleError("give the article a title")
    if not text.strip():
        raise NewArticleError("write the first paragraph patients will read")
    due = _a_year_after(today)
    file = f"---\ntitle: x\n---\n{text.strip()}\n"
    for key, value in (
        ("title", title.strip()),
        ("summary", summary.strip()),
        ("kind", kind.value),
        ("reviewed", today),
        ("review_due", due),
    ):
        if value:
            file = set_field(file, key, value)
    return file


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
