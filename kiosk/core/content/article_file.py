"""One article file read and checked on its own: its name, size and encoding, its
Markdown and front matter, and its kind against the folder it is in.

Checks that need the other articles (links, titles, crisis help, languages) come after
every file is read (kiosk.core.content.crosschecks, kiosk.core.content.titles).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.core.content.cardlimits import check_article_size, check_link_runs
from kiosk.core.content.frontmatter import FrontMatter, read_front_matter
from kiosk.core.content.limits import MAX_FILE_BYTES as MAX_FILE_BYTES
from kiosk.core.content.markdown import RenderedArticle, parse
from kiosk.core.content.pack import SLUG_PATTERN, Article, Kind
from kiosk.core.content.packpaths import PackPaths
from kiosk.core.content.problems import ProblemList


@dataclass
class ArticleDraft:
    """An article read from disk, before links between articles are checked."""

    article: Article
    front: FrontMatter
    rendered: RenderedArticle
    problems: ProblemList


def read_article(
    root: Path,
    path: Path,
    locale: str,
    kind: Kind,
    problems: ProblemList,
    pictures: set[Path] | None,
) -> ArticleDraft | None:
    """The article in ``path`` (a .md file in ``locale``'s folder for ``kind``), or None
    if it cannot be read at all; its problems go to ``problems``. ``pictures``: those
    checked so far, added to as this article's are (None: pictures are not checked)."""
    source = _read_text(path, problems)
    if source is None:
        return None
    paths = PackPaths(root, path, check_pictures=pictures is not None, pictures_checked=pictures)
    rendered = parse(source, paths, problems)
    if rendered.front_matter is None:
        return None
    check_article_size(
        rendered.headings, len(rendered.sections), rendered.parts, rendered.marks, problems
    )
    check_link_runs(source, problems)
    front = read_front_matter(rendered.front_matter, rendered.front_matter_line, problems)
    if front.kind is not None and front.kind is not kind:
        problems.error(
            front.kind_line,
            f"kind is '{front.kind}' but the file is in {path.parent.name}/; "
            f"move it to {'topics' if front.kind is Kind.TOPIC else 'terms'}/ or change kind",
        )
    if not rendered.sections:
        last_line = max(1, source.count("\n") + (0 if source.endswith("\n") else 1))
        problems.error(
            min(rendered.body_start_line, last_line),
            "article has no text; write at least one paragraph",
        )
    article = Article(
        slug=path.stem,
        locale=locale,
        kind=kind,
        title=front.title or path.stem,
        summary=front.summary,
        sections=tuple(rendered.sections),
        aliases=front.aliases,
        related=front.related,
        sensitive=front.sensitive,
        reviewed=front.reviewed,
        review_due=front.review_due,
        sources=front.sources,
        url=front.url,
        source_file=str(path),
        urgent=front.urgent,
        crisis=front.crisis,
    )
    return ArticleDraft(article, front, rendered, problems)


def _read_text(path: Path, problems: ProblemList) -> str | None:
    """The file's text, or None with an error: a name that is not a slug, a file too
    big, unreadable, not UTF-8 or holding a NUL byte. A byte order mark is dropped."""
    slug = path.stem
    if not SLUG_PATTERN.match(slug):
        suggestion = "-".join("".join(c if c.isalnum() else " " for c in slug.lower()).split())
        problems.error(
            0,
            "file name must be lowercase words joined by hyphens; "
            f"rename it to {suggestion or 'article'}.md",
        )
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.error(0, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}: split it up")
        return None
    try:
        raw = path.read_bytes()
    except OSError as err:
        problems.error(0, f"cannot read the file ({err.strerror}); check its permissions")
        return None
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.error(line, "file is not UTF-8 text; save it as UTF-8 in your editor")
        return None
    if "\x00" in source:
        problems.error(
            source[: source.index("\x00")].count("\n") + 1,
            "file holds a NUL byte; is it really text?",
        )
        return None
    return source.removeprefix("\ufeff")
