"""An installed pack opened in milliseconds, whatever its size.

The pack was checked in full when it was built and verified byte for byte when it was
installed. At start-up the kiosk checks the manifest's signature and the digests of
pack.toml and the catalogue (kiosk/core/packs/source.py), then reads article details from
the catalogue, and each article's Markdown only when a patient opens it: that file's
SHA-256 is checked against the signed manifest first, so a changed or damaged file is
never shown. Images are checked the same way (Pack.read_file). The search index and
everything else are verified again in the background (kiosk/ui/content_manager.py);
the index only ranks: what a result says comes from the catalogue.

Parsed articles are kept in a small cache, so memory stays flat however many
articles are read over months.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import overload

from kiosk.core.content.catalogue import Catalogue, Record
from kiosk.core.content.pack import Article, Pack, PackInfo, Section, read_pack_file
from kiosk.core.content.problems import Problem, ProblemList, has_errors

log = logging.getLogger("kiosk.content")

PARSED_CACHE = 24  # articles; a patient rarely goes back further than this


class _Parsed:
    """The sections of the articles read most recently, parsed from checked files."""

    def __init__(self, root: Path, digests: Mapping[str, str]) -> None:
        self._root = root
        self._digests = digests
        self._cache: OrderedDict[str, tuple[Section, ...]] = OrderedDict()

    def sections(self, relative: str) -> tuple[Section, ...]:
        found = self._cache.get(relative)
        if found is None:
            found = self._read(relative)
            self._cache[relative] = found
            if len(self._cache) > PARSED_CACHE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(relative)
        return found

    def forget(self) -> None:
        self._cache.clear()

    def _read(self, relative: str) -> tuple[Section, ...]:
        """The file's sections, or none (logged) if it is not the file that was signed."""
        raw = read_pack_file(self._root, relative, self._digests)
        if raw is None:
            return ()
        path = self._root / relative
        from kiosk.core.content.markdown import parse  # at the first article, not at start
        from kiosk.core.content.packpaths import PackPaths

        problems: list[Problem] = []
        sink = ProblemList(problems, str(path))
        source = raw.decode("utf-8").removeprefix("\ufeff")  # as the loader reads it
        rendered = parse(source, PackPaths(self._root, path, check_pictures=False), sink)
        if has_errors(problems):  # cannot happen for a pack that was built; never show half
            log.error("%s does not load: %s", path, problems[0])
            return ()
        return tuple(rendered.sections)


class LazySections(Sequence[Section]):
    """An article's cards, parsed on first use (and again if the cache let them go)."""

    def __init__(self, parsed: _Parsed, relative: str) -> None:
        self._parsed = parsed
        self._relative = relative

    @overload
    def __getitem__(self, index: int) -> Section: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Section]: ...
    def __getitem__(self, index: int | slice) -> Section | Sequence[Section]:
        return self._parsed.sections(self._relative)[index]

    def __len__(self) -> int:
        return len(self._parsed.sections(self._relative))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazySections):
            return (self._parsed, self._relative) == (other._parsed, other._relative)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((id(self._parsed), self._relative))

    def __repr__(self) -> str:
        return f"LazySections({self._relative!r})"


class _LocaleArticles(Mapping[str, Article]):
    """One language's articles, made from catalogue rows when asked for."""

    def __init__(self, locale: str, catalogue: Catalogue, parsed: _Parsed, root: Path) -> None:
        self._locale = locale
        self._catalogue = catalogue
        self._parsed = parsed
        self._root = root

    def __getitem__(self, slug: str) -> Article:
        record = self._catalogue.record(self._locale, slug)
        if record is None:
            raise KeyError(slug)
        return self._article(record)

    def get(self, slug: str, default: Article | None = None) -> Article | None:  # type: ignore[override]
        record = self._catalogue.record(self._locale, slug)
        return default if record is None else self._article(record)

    def __contains__(self, slug: object) -> bool:
        return isinstance(slug, str) and self._catalogue.has(self._locale, slug)

    def __iter__(self) -> Iterator[str]:
        return self._catalogue.slugs(self._locale)

    def __len__(self) -> int:
        return self._catalogue.count(self._locale)

    def forget_read(self) -> None:
        """See Pack.forget_read_articles (the cache is shared by every language)."""
        self._parsed.forget()

    def _article(self, record: Record) -> Article:
        relative = record.relative_file
        return Article(
            slug=record.slug,
            locale=record.locale,
            kind=record.kind,
            title=record.title,
            summary=record.summary,
            sections=LazySections(self._parsed, relative),
            aliases=record.aliases,
            related=record.related,
            sensitive=record.sensitive,
            reviewed=record.reviewed,
            review_due=record.review_due,
            sources=record.sources,
            url=record.url,
            source_file=str(self._root / relative),
            grade=record.grade,
            urgent=record.urgent,
            crisis=record.crisis,
        )


def open_installed_content(
    info: PackInfo, root: Path, catalogue: Catalogue, digests: Mapping[str, str]
) -> Pack:
    """The pack in ``root`` (its content/ folder), read through ``catalogue``;
    ``digests`` are the signed SHA-256 of the files below ``root``."""
    parsed = _Parsed(root, digests)
    articles = {locale: _LocaleArticles(locale, catalogue, parsed, root) for locale in info.locales}
    return Pack(info=info, root=root, articles=articles, signed_digests=digests)
