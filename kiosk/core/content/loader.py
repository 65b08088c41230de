"""Read a content folder into a Pack, or into the list of problems that stop it.

A pack with any error is never returned: the kiosk shows a whole, checked pack or
keeps the one it had. Every problem names the file and line an administrator edits.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from kiosk.core.content.frontmatter import FrontMatter, read_front_matter
from kiosk.core.content.images import check_picture_file
from kiosk.core.content.markdown import RenderedArticle, parse
from kiosk.core.content.pack import SLUG_PATTERN, Article, Kind, Pack, PackInfo
from kiosk.core.content.packinfo import PACK_FILE, key_lines, read_pack_info
from kiosk.core.content.packpaths import PackPaths
from kiosk.core.content.pictures import picture_format
from kiosk.core.content.problems import Problem, ProblemList, has_errors
from kiosk.core.content.readability import grade as reading_grade

log = logging.getLogger("kiosk.content")

MAX_FILE_BYTES = 1_000_000
# Invisible characters some languages need (Persian's zero-width non-joiner, the joiner
# of Indic scripts, direction marks in mixed text), the soft hyphen, and variation
# selectors (an emoji's colour form): allowed, and ignored when titles are compared.
_ALLOWED_INVISIBLE = "\u200c\u200d\u200e\u200f\u00ad"
_IGNORED_IN_TITLES = dict.fromkeys(
    [*map(ord, _ALLOWED_INVISIBLE), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]
)
# Blank letters that show nothing: the combining grapheme joiner and the Hangul fillers.
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u3164\uffa0")


def hidden_in_title(char: str) -> bool:
    """A character a title must not hold: it hides in it or changes how it shows (U+202E
    shows the rest backwards), so two titles that look the same differ. Every control
    and format character (Unicode categories Cc, Cf: zero-width space, word joiner, byte
    order mark, bidi controls, tag characters...) but those some languages need,
    unassigned and private-use code points, and blank letters."""
    if char in _ALLOWED_INVISIBLE:
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") or char in _BLANK_LETTERS


_TITLE_KEY = re.compile(r"""["']?title["']?\s*:""")
KIND_FOLDERS = {"topics": Kind.TOPIC, "terms": Kind.TERM}


@dataclass
class LoadResult:
    pack: Pack | None
    problems: list[Problem]
    articles: list[Article] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.pack is not None


@dataclass
class _Draft:
    """An article read from disk, before links between articles are checked."""

    article: Article
    front: FrontMatter
    rendered: RenderedArticle
    problems: ProblemList


def load_pack(root: Path, *, today: date | None = None, check_pictures: bool = True) -> LoadResult:
    """Load and check every file of a content folder. Never raises on bad content.

    ``check_pictures``: decode every picture (kiosk.core.content.pictures), as validate and build
    must; a kiosk showing a folder leaves that out of its start-up, as it decodes each
    picture it shows anyway, off the GUI thread, in the format its name says."""
    problems: list[Problem] = []
    info = read_pack_info(root, ProblemList(problems, str(root / PACK_FILE)))
    if info is None:
        return LoadResult(None, sorted(problems))
    drafts: dict[str, dict[str, _Draft]] = {}
    present: dict[str, set[str]] = {}  # every .md file's slug, even those that failed
    # The pictures articles show, checked as they were read; None: not checked at all.
    pictures: set[Path] | None = set() if check_pictures else None
    for locale in info.locales:
        folder = root / locale
        if not folder.is_dir():
            ProblemList(problems, str(root / PACK_FILE)).error(
                key_lines(root / PACK_FILE).get("locales", 0),
                f"locale '{locale}' is listed but there is no folder {folder}",
            )
            continue
        present[locale] = set()
        drafts[locale] = _read_locale(root, folder, locale, problems, present[locale], pictures)
    drafts = {loc: d for loc, d in drafts.items() if d}
    for locale, by_slug in drafts.items():
        _check_references(by_slug, present[locale])
        _check_crisis(info, locale, by_slug, root, problems)
        _check_titles(by_slug)
    _check_coverage(info, drafts, problems)
    if pictures is not None:
        _check_every_picture(root, pictures, problems)
    _check_quality(info, drafts, today or date.today())
    articles = [d.article for by_slug in drafts.values() for d in by_slug.values()]
    problems.sort(key=lambda p: (p.file, p.line, p.message))
    if has_errors(problems):
        return LoadResult(None, problems, articles)
    pack = Pack(
        info=info,
        root=root,
        articles={
            loc: {slug: d.article for slug, d in by_slug.items()} for loc, by_slug in drafts.items()
        },
    )
    log.info("loaded pack %s v%d: %d articles", info.id, info.version, pack.article_count)
    return LoadResult(pack, problems, articles)


def _read_locale(
    root: Path,
    folder: Path,
    locale: str,
    sink: list[Problem],
    present: set[str],
    pictures: set[Path] | None,
) -> dict[str, _Draft]:
    found: dict[str, _Draft] = {}
    for sub, kind in KIND_FOLDERS.items():
        kind_dir = folder / sub
        if not kind_dir.is_dir():
            continue
        for path in sorted(kind_dir.iterdir()):
            if path.name.startswith("."):
                continue
            problems = ProblemList(sink, str(path))
            if path.suffix != ".md" or not path.is_file():
                problems.warning(0, "ignored: only .md files belong in this folder")
                continue
            present.add(path.stem)
            draft = _read_article(root, path, locale, kind, problems, pictures)
            if draft is None:
                continue
            slug = draft.article.slug
            if slug in found:
                problems.error(
                    1,
                    f"duplicate slug '{slug}': {found[slug].problems.file} has the same "
                    "name; rename one of them",
                )
                continue
            found[slug] = draft
    if not present:
        ProblemList(sink, str(folder)).error(
            0, "no articles: put .md files in topics/ or terms/ inside this folder"
        )
    return found


def _read_article(
    root: Path,
    path: Path,
    locale: str,
    kind: Kind,
    problems: ProblemList,
    pictures: set[Path] | None,
) -> _Draft | None:
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
    source = source.removeprefix("\ufeff")
    paths = PackPaths(root, path, check_pictures=pictures is not None, pictures_checked=pictures)
    rendered = parse(source, paths, problems)
    if rendered.front_matter is None:
        return None
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
        slug=slug,
        locale=locale,
        kind=kind,
        title=front.title or slug,
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
    return _Draft(article, front, rendered, problems)


def _check_references(by_slug: dict[str, _Draft], present: set[str]) -> None:
    # A link to a file that exists but has its own error is not reported again.
    for draft in by_slug.values():
        for slug, line in draft.front.related_lines.items():
            if slug not in present and SLUG_PATTERN.match(slug):
                draft.problems.error(line, f"related entry '{slug}' {_missing(slug, by_slug)}")
        for ref in draft.rendered.links:
            if ref.slug not in present:
                draft.problems.error(
                    ref.line, f"link to '{ref.slug}' {_missing(ref.slug, by_slug)}"
                )


def _check_titles(by_slug: dict[str, _Draft]) -> None:
    """Two articles of one language never look the same in a list: no invisible
    characters that hide in a title, and no title equal to another's but for case,
    width or invisible marks."""
    seen: dict[str, _Draft] = {}
    for draft in by_slug.values():
        title, line = draft.article.title, _title_line(draft.rendered)
        hidden = next((c for c in title if hidden_in_title(c)), None)
        if hidden is not None:
            draft.problems.error(
                line,
                f"title holds an invisible character (U+{ord(hidden):04X} "
                f"{unicodedata.name(hidden, 'CONTROL')}) that can hide in it or change "
                "how it shows; type the title again without it",
            )
            continue
        shown = title.translate(_IGNORED_IN_TITLES)
        first = seen.setdefault(
            " ".join(unicodedata.normalize("NFKC", shown).casefold().split()), draft
        )
        if first is not draft:
            draft.problems.error(
                line,
                f"title '{shown}' looks the same as the title of {first.problems.file}; "
                "give each article its own title, or remove one of them",
            )


def _check_every_picture(root: Path, checked: set[Path], sink: list[Problem]) -> None:
    """Every .png and .jpg in the pack, not only those an article shows: a build signs
    every file of the folder, so a broken or oversized picture no article uses still
    went into the pack (newcomer). Those articles show are checked already (cached)."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(folder) / name
            if name.startswith(".") or name.endswith("~") or picture_format(path.suffix) is None:
                continue
            if path.is_symlink() or path.resolve() in checked:
                continue  # the build refuses a link; an article's picture had its message
            fault = check_picture_file(path)
            if isinstance(fault, str):
                ProblemList(sink, str(path)).error(
                    0, f"this picture {fault} (no article shows it, but a build packs it)"
                )


def _title_line(rendered: RenderedArticle) -> int:
    """The file line of the front matter's 'title:' key (a title is one line)."""
    lines = (rendered.front_matter or "").splitlines()
    found = (i for i, text in enumerate(lines) if _TITLE_KEY.match(text))
    return rendered.front_matter_line + next(found, 0)


def _missing(slug: str, by_slug: dict[str, _Draft]) -> str:
    close = difflib.get_close_matches(slug, list(by_slug), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"points at an article that does not exist in this language{hint}"


def _check_crisis(
    info: PackInfo, locale: str, by_slug: dict[str, _Draft], root: Path, sink: list[Problem]
) -> None:
    """Each sensitive article names a crisis message the pack has in its language (or,
    in a pack with no named messages, the one crisis_banner serves them all)."""
    names = sorted(info.crisis)
    for draft in by_slug.values():
        article, front = draft.article, draft.front
        if article.crisis and not article.sensitive:
            draft.problems.warning(
                front.crisis_line,
                "'crisis' shows only on a sensitive article; add 'sensitive: true' "
                "or remove 'crisis:'",
            )
        if article.crisis and article.crisis not in info.crisis:
            close = difflib.get_close_matches(article.crisis, names, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else f"add a [crisis.{article.crisis}] section to pack.toml"
            )
            known = f" (pack.toml has: {', '.join(names)})" if names else ""
            draft.problems.error(
                front.crisis_line,
                f"crisis '{article.crisis}' is not in pack.toml; {hint}{known}",
            )
        elif article.crisis and locale not in info.crisis[article.crisis]:
            draft.problems.error(
                front.crisis_line,
                f"[crisis.{article.crisis}] in pack.toml has no '{locale}' text; "
                f'add {locale} = "..." under it',
            )
        elif article.sensitive and not article.crisis and info.crisis:
            draft.problems.error(
                front.sensitive_line,
                "a sensitive article must say which crisis help it shows; add 'crisis:' "
                f"with one of: {', '.join(names)}",
            )
    legacy = [d for d in by_slug.values() if d.article.sensitive and not d.article.crisis]
    if legacy and not info.crisis and locale not in info.crisis_banner:
        ProblemList(sink, str(root / PACK_FILE)).warning(
            0,
            f"sensitive articles in '{locale}' but no crisis_banner.{locale}; "
            "patients will see no crisis help text",
        )


def _check_coverage(
    info: PackInfo, drafts: dict[str, dict[str, _Draft]], sink: list[Problem]
) -> None:
    everywhere = set().union(*(set(d) for d in drafts.values())) if drafts else set()
    for locale, by_slug in drafts.items():
        for slug in sorted(everywhere - set(by_slug)):
            elsewhere = next(d for d in drafts.values() if slug in d)[slug]
            elsewhere.problems.warning(
                0,
                f"no '{locale}' version of this article; "
                f"patients reading in '{locale}' won't see it",
            )


def _check_quality(info: PackInfo, drafts: dict[str, dict[str, _Draft]], today: date) -> None:
    for locale, by_slug in drafts.items():
        for slug, draft in by_slug.items():
            article = draft.article
            if article.review_due and article.review_due < today:
                draft.problems.warning(
                    draft.front.review_due_line,
                    f"review_due {article.review_due} has passed; review the article and "
                    "update reviewed and review_due",
                )
            if not article.sections:
                continue
            grade = reading_grade(_body_text(article), locale)
            if grade is None:
                continue  # no readability formula for this language
            by_slug[slug].article = _with_grade(article, grade)
            if grade > info.readability_limit:
                draft.problems.warning(
                    draft.rendered.body_start_line,
                    f"reading grade {grade:.1f} is above the pack's limit of "
                    f"{info.readability_limit:g}; use shorter sentences and everyday words",
                )


def _body_text(article: Article) -> str:
    # Headings are not sentences; counting them would flatter the grade.
    return "\n\n".join(s.text.removeprefix(s.title).strip() for s in article.sections)


def _with_grade(article: Article, grade: float) -> Article:
    return replace(article, grade=round(grade, 1))
