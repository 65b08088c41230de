"""Read a content folder into a Pack, or into the list of problems that stop it.

A pack with any error is never returned: the kiosk shows a whole, checked pack or
keeps the one it had. Every problem names the file and line an administrator edits.

The folder is walked here: pack.toml (kiosk.core.content.packinfo), each language's
topics/ and terms/, each article read on its own (kiosk.core.content.article_file),
then the checks across articles (kiosk.core.content.crosschecks and .titles) and of
every picture in the folder.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kiosk.core.content.article_file import ArticleDraft, read_article
from kiosk.core.content.crosschecks import (
    check_coverage,
    check_crisis,
    check_quality,
    check_references,
)
from kiosk.core.content.images import check_picture_file
from kiosk.core.content.limits import ARTICLES_MAX, NAMES_MAX
from kiosk.core.content.pack import Article, Kind, Pack
from kiosk.core.content.packinfo import PACK_FILE, key_lines, read_pack_info
from kiosk.core.content.pictures import picture_format
from kiosk.core.content.problems import Problem, ProblemList, has_errors
from kiosk.core.content.titles import check_titles

log = logging.getLogger("kiosk.content")

KIND_FOLDERS = {"topics": Kind.TOPIC, "terms": Kind.TERM}


@dataclass
class LoadResult:
    pack: Pack | None
    problems: list[Problem]
    articles: list[Article] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.pack is not None


def load_pack(root: Path, *, today: date | None = None, check_pictures: bool = True) -> LoadResult:
    """Load and check every file of a content folder. Never raises on bad content.

    ``check_pictures``: decode every picture (kiosk.core.content.pictures), as validate and build
    must; a kiosk showing a folder leaves that out of its start-up, as it decodes each
    picture it shows anyway, off the GUI thread, in the format its name says."""
    problems: list[Problem] = []
    info = read_pack_info(root, ProblemList(problems, str(root / PACK_FILE)))
    if info is None:
        return LoadResult(None, sorted(problems))
    drafts: dict[str, dict[str, ArticleDraft]] = {}
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
        _check_names(root / locale, by_slug, problems)
        check_references(by_slug, present[locale])
        check_crisis(info, locale, by_slug, root, problems)
        check_titles(by_slug)
    check_coverage(drafts)
    if pictures is not None:
        _check_every_picture(root, pictures, problems)
    check_quality(info, drafts, today or date.today())
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
) -> dict[str, ArticleDraft]:
    found: dict[str, ArticleDraft] = {}
    listed = {
        kind: sorted(p for p in (folder / sub).iterdir() if not p.name.startswith("."))
        for sub, kind in KIND_FOLDERS.items()
        if (folder / sub).is_dir()
    }
    articles = sum(p.suffix == ".md" for paths in listed.values() for p in paths)
    if articles > ARTICLES_MAX:
        present.update(p.stem for paths in listed.values() for p in paths)
        ProblemList(sink, str(folder)).error(
            0,
            f"{articles:,} articles in this language; a pack has at most "
            f"{ARTICLES_MAX:,} in each: make two packs, or leave some out",
        )
        return found
    for kind, paths in listed.items():
        for path in paths:
            problems = ProblemList(sink, str(path))
            if path.suffix != ".md" or not path.is_file():
                problems.warning(0, "ignored: only .md files belong in this folder")
                continue
            present.add(path.stem)
            draft = read_article(root, path, locale, kind, problems, pictures)
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


def _check_names(folder: Path, by_slug: dict[str, ArticleDraft], sink: list[Problem]) -> None:
    """An error if one language has more than NAMES_MAX titles and aliases in all."""
    names = sum(1 + len(d.article.aliases) for d in by_slug.values())
    if names > NAMES_MAX:
        ProblemList(sink, str(folder)).error(
            0,
            f"{names:,} titles and aliases in this language; a pack has at most "
            f"{NAMES_MAX:,} in each: keep the aliases patients really type",
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
