"""Every article of a content folder, with what staff should know of each: the studio's
list (kiosk.ui.studio.article_list shows it).

Reading the folder (``read_folder``: each file once, with the studio's own readers, and
its Markdown with the kiosk's parser, for the reading grade and for search) is apart
from deciding each article's statuses (``rows``: no file read), so the list says again
what the validator found after every check without reading every file again.

- Review overdue, or due within REVIEW_SOON_DAYS: front matter ``review_due``, to ``today``.
- Hard to read: the validator's reading grade (kiosk.core.content.readability, on the
  cards' text without their headings, as kiosk.core.content.crosschecks measures it)
  above pack.toml's ``readability_limit``.
- Translation missing: an article of the pack's default language with no article of its
  file name in one of the other languages pack.toml lists.
- Translation outdated: a translation whose ``translated_from`` is not its source's
  ``content_hash`` now (kiosk.core.studio.translations). One without the key was never
  marked checked, which is not the same as out of date: ``ArticleRow.translation``.
- Has problems: the validator's errors or warnings name the file (given: the studio's
  checker finds them off the GUI thread), or the file cannot be read at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

from kiosk.core.content.crosschecks import graded_text
from kiosk.core.content.limits import ARTICLES_MAX, MAX_FILE_BYTES
from kiosk.core.content.loader import KIND_FOLDERS
from kiosk.core.content.markdown import parse
from kiosk.core.content.pack import Article, Kind, Pack, PackInfo, Section
from kiosk.core.content.packpaths import PackPaths
from kiosk.core.content.problems import Problem, ProblemList
from kiosk.core.content.readability import grade as reading_grade
from kiosk.core.errors import UnreadableFileError
from kiosk.core.search.index import SearchIndex
from kiosk.core.studio.articles import open_article
from kiosk.core.studio.document import ArticleDocument
from kiosk.core.studio.folder import pack_info
from kiosk.core.studio.translations import SOURCE_KEY, content_hash

REVIEW_SOON_DAYS = 30
# What staff call the languages a pack may have (ISO 639-1); another is named by its code.
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "hi": "Hindi",
    "ht": "Haitian Creole",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "so": "Somali",
    "tl": "Tagalog",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


class Status(StrEnum):
    REVIEW_OVERDUE = "review-overdue"
    REVIEW_SOON = "review-soon"
    HARD_TO_READ = "hard-to-read"
    TRANSLATION_MISSING = "translation-missing"
    TRANSLATION_OUTDATED = "translation-outdated"
    TRANSLATION_UNCHECKED = "translation-unchecked"  # never marked checked against its source
    HAS_PROBLEMS = "has-problems"


class TranslationCheck(StrEnum):
    """What a translation's ``translated_from`` says of its source as it is now."""

    CHECKED = "checked"
    OUTDATED = "outdated"
    UNMARKED = "unmarked"  # never marked checked: whether it is out of date is unknown


@dataclass(frozen=True)
class Flag:
    status: Status
    words: str  # what the list says, e.g. "No Spanish version"


@dataclass(frozen=True)
class ArticleFile:
    """What one article file says, read once. ``unreadable``: why it cannot be read
    ("" when it can); ``version``: its content_hash; ``article``: for search (None when
    it cannot be read)."""

    path: Path
    language: str
    kind: Kind
    title: str
    review_due: date | None = None
    grade: float | None = None
    version: str = ""
    translated_from: str = ""
    unreadable: str = ""
    article: Article | None = None

    @property
    def slug(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class ContentFolder:
    """A content folder as read: pack.toml's settings (its defaults where it cannot be
    read: the validator says why) and every article file, in path order."""

    root: Path
    info: PackInfo
    files: tuple[ArticleFile, ...]

    @property
    def translated(self) -> tuple[str, ...]:
        """The languages pack.toml lists besides its default one."""
        return tuple(lang for lang in self.info.locales if lang != self.info.default_locale)


@dataclass(frozen=True)
class ArticleRow:
    """One article in the list. ``translation``: None for an article that is no
    translation (of the default language, or with no source)."""

    path: Path
    language: str
    kind: Kind
    title: str
    slug: str
    flags: tuple[Flag, ...] = ()
    translation: TranslationCheck | None = None

    @property
    def statuses(self) -> frozenset[Status]:
        return frozenset(flag.status for flag in self.flags)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(flag.words for flag in self.flags)


def article_rows(
    folder: Path, problems: Sequence[Problem] = (), *, today: date
) -> list[ArticleRow]:
    """Every article of ``folder`` with its statuses on ``today``, by language, then
    title; ``problems``: the validator's, for HAS_PROBLEMS. Never raises for a file:
    one that cannot be read is a row that has problems."""
    return rows(read_folder(folder), problems, today)


def read_folder(root: Path) -> ContentFolder:
    """Every article file of ``root`` (each language's topics/ and terms/, as the
    validator reads them) and pack.toml's settings. Never raises for a file."""
    paths = sorted(
        path
        for sub in KIND_FOLDERS
        for path in root.glob(f"*/{sub}/*.md")
        if not path.name.startswith(".")
    )
    files = tuple(read_file(root, path) for path in paths)
    return ContentFolder(root, _pack_info(root, sorted({f.language for f in files})), files)


def reread(folder: ContentFolder, path: Path) -> ContentFolder:
    """``folder`` with ``path`` read again (saved), added (new) or left out (gone)."""
    kept = tuple(f for f in folder.files if f.path != path)
    if path.is_file():
        kept = tuple(sorted((*kept, read_file(folder.root, path)), key=lambda f: f.path))
    return replace(folder, files=kept)


def read_file(root: Path, path: Path) -> ArticleFile:
    """``path`` (a .md file in a language's topics/ or terms/ of ``root``), read."""
    language, kind = path.parent.parent.name, KIND_FOLDERS[path.parent.name]
    try:
        opened = open_article(path)
    except UnreadableFileError as err:
        return ArticleFile(path, language, kind, path.stem, unreadable=str(err))
    values = ArticleDocument(opened).fields()
    title = _text(values, "title") or path.stem
    sections = _cards(root, path, opened.text)
    article = Article(
        slug=path.stem,
        locale=language,
        kind=kind,
        title=title,
        summary=_text(values, "summary"),
        sections=sections,
        aliases=_texts(values.get("aliases")),
        urgent=_text(values, "urgent"),
    )
    return ArticleFile(
        path,
        language,
        kind,
        title,
        review_due=_day(_text(values, "review_due")),
        grade=reading_grade(graded_text(sections), language) if sections else None,
        version=content_hash(opened.text),
        translated_from=_text(values, SOURCE_KEY),
        article=article,
    )


def rows(folder: ContentFolder, problems: Sequence[Problem], today: date) -> list[ArticleRow]:
    """Each article of ``folder`` with its statuses on ``today`` (``problems``: the
    validator's), by language, then title."""
    troubled = {Path(p.file).resolve() for p in problems}
    by_name = {(f.language, f.slug): f for f in folder.files}
    found = []
    for file in folder.files:
        flags = _review_flags(file, today) + _grade_flags(file, folder.info.readability_limit)
        check = None
        if file.language == folder.info.default_locale:
            missing = [lang for lang in folder.translated if (lang, file.slug) not in by_name]
            if missing:
                flags.append(Flag(Status.TRANSLATION_MISSING, f"No {_names(missing)} version"))
        elif file.language in folder.translated:
            source = by_name.get((folder.info.default_locale, file.slug))
            check = _translation_check(file, source)
            if check is TranslationCheck.OUTDATED:
                said = _outdated_words(folder.info.default_locale, (file.language,))
                flags.append(Flag(Status.TRANSLATION_OUTDATED, said))
            elif check is TranslationCheck.UNMARKED:
                said = _unchecked_words(folder.info.default_locale, (file.language,))
                flags.append(Flag(Status.TRANSLATION_UNCHECKED, said))
        if file.unreadable or (troubled and file.path.resolve() in troubled):
            flags.append(Flag(Status.HAS_PROBLEMS, status_label(Status.HAS_PROBLEMS, folder)))
        found.append(
            ArticleRow(
                file.path, file.language, file.kind, file.title, file.slug, tuple(flags), check
            )
        )
    return sorted(found, key=lambda row: (row.language, row.title.casefold(), str(row.path)))


def status_label(status: Status, folder: ContentFolder) -> str:
    """``status`` in plain words for staff, as the list's filter names it."""
    match status:
        case Status.REVIEW_OVERDUE:
            return "Review overdue"
        case Status.REVIEW_SOON:
            return f"Review due within {REVIEW_SOON_DAYS} days"
        case Status.HARD_TO_READ:
            return f"Reading grade above {folder.info.readability_limit:g}"
        case Status.TRANSLATION_MISSING:
            return (
                f"No {_names(folder.translated)} version" if folder.translated else "No translation"
            )
        case Status.TRANSLATION_OUTDATED:
            return _outdated_words(folder.info.default_locale, folder.translated)
        case Status.TRANSLATION_UNCHECKED:
            return _unchecked_words(folder.info.default_locale, folder.translated)
        case Status.HAS_PROBLEMS:
            return "Has problems"


def _unchecked_words(source: str, translated: Sequence[str]) -> str:
    """ "Spanish not yet checked against the English": begun, or never marked."""
    return (
        f"{_names(translated) or 'Translation'} not yet checked against the {language_name(source)}"
    )


def language_name(code: str) -> str:
    """What staff call a language: "Spanish" for "es" (its code, quoted, if unknown)."""
    return LANGUAGE_NAMES.get(code, f"'{code}'")


def search_index(folder: ContentFolder) -> SearchIndex:
    """The kiosk's own search (kiosk.core.search) over every article that can be read,
    in memory. Built from what ``read_folder`` read, without the validator's checks, so
    a folder with errors (which `kiosk search` refuses) is searched too: 50 ms for the
    bundled pack's 28 articles, about a second for 2,000."""
    articles: dict[str, dict[str, Article]] = {}
    for file in folder.files:
        if file.article is not None:
            articles.setdefault(file.language, {})[file.slug] = file.article
    return SearchIndex.build(Pack(info=folder.info, root=folder.root, articles=articles))


def search_places(
    index: SearchIndex, languages: Iterable[str], query: str
) -> dict[tuple[str, str], int]:
    """(language, slug) -> its place (0 first) among what the kiosk's search finds for
    ``query`` in its language, as a patient typing it there would see them."""
    places: dict[tuple[str, str], int] = {}
    for language in languages:
        for place, hit in enumerate(index.search(query, language, limit=ARTICLES_MAX)):
            places[(language, hit.slug)] = place
    return places


def _review_flags(file: ArticleFile, today: date) -> list[Flag]:
    if file.review_due is None:
        return []
    if file.review_due < today:
        return [Flag(Status.REVIEW_OVERDUE, "Review overdue")]
    if file.review_due <= today + timedelta(days=REVIEW_SOON_DAYS):
        return [Flag(Status.REVIEW_SOON, f"Review due within {REVIEW_SOON_DAYS} days")]
    return []


def _grade_flags(file: ArticleFile, limit: float) -> list[Flag]:
    if file.grade is None or file.grade <= limit:
        return []
    return [Flag(Status.HARD_TO_READ, f"Reading grade above {limit:g}")]


def _translation_check(file: ArticleFile, source: ArticleFile | None) -> TranslationCheck | None:
    if source is None or source.unreadable:
        return None  # no source to compare with (the validator names a missing one)
    if not file.translated_from:
        return TranslationCheck.UNMARKED
    if file.translated_from == source.version:
        return TranslationCheck.CHECKED
    return TranslationCheck.OUTDATED


def _outdated_words(source: str, translations: Sequence[str]) -> str:
    what = f"the {language_name(translations[0])}" if len(translations) == 1 else "the translation"
    return f"{language_name(source)} changed since {what} was checked"


def _names(codes: Sequence[str]) -> str:
    names = [language_name(code) for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _pack_info(root: Path, languages: list[str]) -> PackInfo:
    info = pack_info(root)
    if info is not None:
        return info
    default = "en" if "en" in languages or not languages else languages[0]
    return PackInfo(
        id="studio", title="", version=1, locales=tuple(languages), default_locale=default
    )


def _cards(root: Path, path: Path, text: str) -> tuple[Section, ...]:
    """The article's cards, as the kiosk's parser makes them; none for a file the
    validator does not parse (too big, or holding a NUL: it says why)."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES or "\x00" in text:
        return ()
    paths = PackPaths(root, path, check_pictures=False)
    return tuple(parse(text.removeprefix("\ufeff"), paths, ProblemList([], str(path))).sections)


def _text(values: dict[str, object], key: str) -> str:
    value = values.get(key)
    return value.strip() if isinstance(value, str) else ""


def _texts(value: object) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return tuple(item.strip() for item in items if isinstance(item, str) and item.strip())


def _day(written: str) -> date | None:
    try:
        return date.fromisoformat(written) if len(written) == 10 else None
    except ValueError:
        return None  # the validator says so
