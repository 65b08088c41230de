"""Spelling in the content studio: the words of a paragraph that no dictionary knows.

Words are checked with Hunspell's dictionaries through Enchant (pyenchant), one
dictionary per pack language ("en", "es": the pack's language folders), the first of
``LOCALE_TAGS`` that this machine has. Never flagged:

- the kiosk's own list for the language (resources/spelling/: medicines and health
  words the dictionaries lack, "buprenorphine", "hemograma");
- the clinic's own word list, ``spelling-words.txt`` in the content folder (UTF-8, one
  word per line, ``#`` starts a comment), which "Add to the clinic's word list" extends
  (``add_word``);
- the pack's own vocabulary: every word of its articles' titles and aliases in that
  language, so a medicine an article is named after ("naloxone") is a word;
- numbers and words with digits, abbreviations in capitals of up to 5 letters (CDC,
  HIV), web and e-mail addresses, Markdown link targets, HTML entities and code spans.

The clinic's words and the pack's are matched whatever their case: a title capitalises
its first word, and a list entry "Narcan" should also pass "narcan".

Enchant is imported when a Speller is made, never with this module: a studio without
pyenchant, the Enchant library or a dictionary still runs, told in one line
(``SpellingUnavailableError``) what to install.
"""

from __future__ import annotations

import difflib
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.core.errors import KioskError, UnreadableFileError
from kiosk.core.files import read_regular, write_atomically
from kiosk.core.studio.articles import open_article
from kiosk.core.studio.document import ArticleDocument
from kiosk.resources import SPELLING_WORDS, resource

WORDS_FILE = "spelling-words.txt"  # the clinic's own list, in its content folder
# A word list is a few thousand words at most; a file this big is something else.
MAX_WORDS_FILE_BYTES = 1_000_000
MAX_SUGGESTIONS = 8
# Abbreviations in capitals up to this long are never flagged (CDC, HIV, NIDA, COVID):
# no dictionary lists them all, and a clinic's own are many.
MAX_ABBREVIATION = 5

# Enchant's tags, most wanted first, for each pack language. Debian 12's hunspell-en-us
# has en_US; hunspell-es has es_ES and a dictionary for each American Spanish (es_MX,
# es_US, ...). A bare "es" or "en" comes last: Enchant then takes any of that language.
LOCALE_TAGS: dict[str, tuple[str, ...]] = {
    "en": ("en_US", "en_GB", "en_CA", "en_AU", "en"),
    "es": ("es_US", "es_MX", "es_ES", "es"),
}
# What to install when a language has no dictionary (Debian 12's package names).
DICTIONARY_PACKAGES = {"en": "hunspell-en-us", "es": "hunspell-es"}
_LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
_NO_LIBRARY = (
    "Spelling is off: the Enchant library is missing or cannot be loaded "
    "(Debian: apt install libenchant-2-2)"
)
_LOCALE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})?")

# A word: letters (with any combining accents: a text pasted in decomposed form), and
# apostrophes inside it ("don't"; or U+2019, as word processors write it). Digits count
# as letters here so that "H1N1" stays one word, which is then skipped for its digits;
# "_" is Markdown, not a letter.
_LETTER = r"[^\W_][\u0300-\u036f]*"
_WORD = re.compile(rf"(?:{_LETTER})+(?:['\u2019](?:{_LETTER})+)*")
# What is not prose, to skip whole: link targets ("](...)", "][ref]", "[ref]: ..."),
# web and e-mail addresses, bare domains, HTML entities and `code`. An address is tried
# only where a run of its characters begins (the look-behinds): tried at every letter,
# a 20,000-letter line took seconds.
_NOT_PROSE = re.compile(
    r"\]\((?:[^()\n]|\([^()\n]*\))*\)"
    r"|\]\[[^\]\n]*\]"
    r"|^ {0,3}\[[^\]\n]+\]:.*$"
    r"|\b(?:https?|ftp|mailto|tel):[^\s<>()\[\]]*"
    r"|\bwww\.[^\s<>()\[\]]+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w.-])(?:[a-z0-9-]+\.)+(?:gov|org|com|net|edu|info|health|us|es|mx)\b"
    r"(?:/[^\s<>()\[\]]*)?"
    r"|&#?\w+;"
    r"|`[^`\n]*`",
    re.MULTILINE | re.IGNORECASE,
)


class SpellingUnavailableError(KioskError):
    """Spelling cannot be checked here; the message says, in one line, what to install."""


class SpellingWordsError(KioskError):
    """The clinic's word list cannot be read or written, or a word given to it is not
    one word; said in one line naming the file."""


@dataclass(frozen=True)
class Misspelling:
    """``text[start:end] == word``: offsets are indexes into the Python string checked
    (code points; Qt counts UTF-16 units, which differ after a character beyond U+FFFF)."""

    start: int
    end: int
    word: str


class _Dictionary(Protocol):
    """What is used of an enchant.Dict (pyenchant has no type information)."""

    tag: str

    def check(self, word: str) -> bool: ...

    def suggest(self, word: str) -> list[str]: ...


class Speller:
    """Spelling for one pack language, with the clinic's words and the pack's own.

    ``Speller("es", folder)`` raises SpellingUnavailableError (one line: what to install)
    when Enchant or a dictionary for ``locale`` is missing, and SpellingWordsError when
    ``folder``'s word list cannot be read. ``folder`` None: the dictionary alone.
    ``word_lists``: lists in the clinic list's format read too; None (the default): the
    kiosk's own for the language (``bundled_word_lists``), () for none.
    Making one loads the dictionary (about 50 ms) and reads the front matter of every
    article in ``folder/locale`` (about 0.4 ms each): make one per language and keep it.
    ``misspelt`` takes well under a millisecond for a paragraph."""

    def __init__(
        self,
        locale: str,
        folder: Path | None = None,
        *,
        word_lists: Iterable[Path] | None = None,
    ) -> None:
        self.locale = locale
        self.folder = folder
        self._dictionary = _dictionary_for(locale)
        # Each known word case-folded, and as first written (to suggest it so: "Narcan").
        self._known: dict[str, str] = {}
        lists = bundled_word_lists(locale) if word_lists is None else word_lists
        sources = [read_word_list(file) for file in lists]
        if folder is not None:
            sources += [read_word_list(folder / WORDS_FILE), pack_vocabulary(folder, locale)]
        for word in (word for source in sources for word in source):
            self._known.setdefault(word.casefold(), word)

    @property
    def tag(self) -> str:
        """The dictionary in use, as Enchant names it ("en_US", "es_US")."""
        return self._dictionary.tag

    def misspelt(self, text: str) -> list[Misspelling]:
        """The words of ``text`` (a paragraph, Markdown or plain) that are misspelt, in
        text order."""
        skipped = [m.span() for m in _NOT_PROSE.finditer(text)]  # in order, apart
        found = []
        at = 0  # the first skipped span that may still reach a word
        for match in _WORD.finditer(text):
            start, end = match.span()
            while at < len(skipped) and skipped[at][1] <= start:
                at += 1
            if at < len(skipped) and skipped[at][0] < end:
                continue
            if not self.is_correct(match.group()):
                found.append(Misspelling(start, end, match.group()))
        return found

    def is_correct(self, word: str) -> bool:
        """Whether ``word`` (one word, as written) is not to be flagged."""
        if any(char.isdigit() for char in word):
            return True
        form = _normal(word)
        base = re.sub(r"'s$", "", form, flags=re.IGNORECASE)  # "CDC's", "naloxone's"
        if base.isupper() and len(base) <= MAX_ABBREVIATION:
            return True
        if form.casefold() in self._known or base.casefold() in self._known:
            return True
        return bool(self._dictionary.check(form))

    def suggest(self, word: str) -> list[str]:
        """At most MAX_SUGGESTIONS spellings for ``word``, best first: the clinic's
        and the pack's words that are close to it, then the dictionary's."""
        form = _normal(word)
        close = difflib.get_close_matches(form.casefold(), self._known, n=3, cutoff=0.8)
        ours = [_same_case(form, self._known[folded]) for folded in close]
        theirs = [s for s in self._dictionary.suggest(form) if s.casefold() not in close]
        return list(dict.fromkeys(ours + theirs))[:MAX_SUGGESTIONS]

    def add_word(self, word: str) -> None:
        """``word`` added to the clinic's list (``add_word``) and no longer flagged.

        Raises SpellingWordsError as add_word does, or when this Speller has no folder."""
        if self.folder is None:
            shown = " ".join(word.split())
            raise SpellingWordsError(f"'{shown}': no content folder to keep the word in")
        add_word(self.folder, word)
        written = _normal(word.strip())
        self._known.setdefault(written.casefold(), written)


def bundled_word_lists(locale: str) -> tuple[Path, ...]:
    """The kiosk's own word list for ``locale``'s language, if it has one."""
    name = SPELLING_WORDS.get(_language(locale))
    return (resource(name),) if name else ()


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """Every word of ``text`` as (start, end, word), whether it would be checked or not."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), match.group()


def read_word_list(file: Path) -> list[str]:
    """The words of a word list file, as written, in file order; none if it does not
    exist. Each line's words count ("Planned Parenthood" gives two); ``#`` starts a
    comment. Raises SpellingWordsError (one line) when it cannot be read or is not UTF-8."""
    text = _read_words_file(file)
    return [] if text is None else _listed(text)


def _listed(text: str) -> list[str]:
    return [
        _normal(word) for line in text.splitlines() for _, _, word in words(line.split("#", 1)[0])
    ]


def pack_vocabulary(folder: Path, locale: str) -> list[str]:
    """The words of every title and alias of the articles in ``folder/locale``, as
    written. An article that cannot be read, or whose front matter does not parse,
    gives none (the validator says what is wrong with it)."""
    found: list[str] = []
    for path in sorted((folder / locale).glob("*/*.md")):
        try:
            fields = ArticleDocument(open_article(path)).fields()
        except UnreadableFileError:
            continue
        names = [fields.get("title")]
        aliases = fields.get("aliases")
        if isinstance(aliases, list):
            names.extend(aliases)
        for name in names:
            if isinstance(name, str):
                found.extend(_normal(word) for _, _, word in words(name))
    return found


def add_word(folder: Path, word: str) -> Path:
    """``word`` appended to ``folder``'s clinic word list (made if missing); its path.

    The file's lines, comments, line endings and permissions stay as they were, and it
    ends with a line ending; the new contents replace it in one step (a power cut leaves
    the old list or the new one). A word already listed (in any case) is not added
    again. Raises SpellingWordsError (one line) when ``word`` is not one word or the
    list cannot be read or written."""
    word = unicodedata.normalize("NFC", word.strip())
    file = folder / WORDS_FILE
    if not _WORD.fullmatch(word):
        shown = " ".join(word.split())  # one line, whatever was given
        raise SpellingWordsError(f"{file}: '{shown}' is not one word; add words one at a time")
    text = _read_words_file(file)
    if text is None:
        text, mode = "", 0o644
    else:
        if _normal(word).casefold() in {w.casefold() for w in _listed(text)}:
            return file
        mode = stat.S_IMODE(file.stat().st_mode)  # a shared folder's group may write it
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    try:
        write_atomically(file, f"{text}{word}{newline}".encode(), mode=mode)
    except OSError as err:
        raise SpellingWordsError(f"{file}: cannot be written ({err.strerror or err})") from None
    return file


def _read_words_file(file: Path) -> str | None:
    """The list's text, or None if there is no file. A byte order mark (Notepad's) is
    kept, to be written back; it is no letter, so no word either."""
    if file.is_symlink():  # the build refuses links; its words would come from elsewhere
        raise SpellingWordsError(
            f"{file}: a link to another file; put the word list itself in the content folder"
        )
    try:
        data = read_regular(file, MAX_WORDS_FILE_BYTES)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise SpellingWordsError(f"{file}: cannot be read ({err.strerror or err})") from None
    if len(data) > MAX_WORDS_FILE_BYTES:
        raise SpellingWordsError(f"{file}: over {MAX_WORDS_FILE_BYTES:,} bytes; not a word list")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SpellingWordsError(
            f"{file}: not UTF-8 text (byte {err.start + 1}); save it as UTF-8 in your editor"
        ) from None


def _normal(word: str) -> str:
    """``word`` as the dictionaries spell it: composed accents, a straight apostrophe."""
    return unicodedata.normalize("NFC", word).replace("\u2019", "'")


def _same_case(written: str, known: str) -> str:
    """``known`` with its first letter in ``written``'s case: a title's "Naloxone" is
    "naloxone" mid-sentence. A word with capitals inside ("EpiPen", "PrEP") stays."""
    if any(char.isupper() for char in known[1:]):
        return known
    first = known[:1].upper() if written[:1].isupper() else known[:1].lower()
    return first + known[1:]


def _dictionary_for(locale: str) -> _Dictionary:
    """The first dictionary of LOCALE_TAGS (or ``locale`` itself) Enchant has."""
    if not _LOCALE.fullmatch(locale):
        raise SpellingUnavailableError(f"Spelling is off: '{locale}' is not a language code")
    try:
        import enchant  # type: ignore[import-untyped]  # pyenchant ships no type information
    except ImportError as err:
        if err.name == "enchant":
            raise SpellingUnavailableError(
                "Spelling is off: the Python package pyenchant is missing (pip install pyenchant)"
            ) from None
        raise SpellingUnavailableError(_NO_LIBRARY) from None
    # pyenchant loads the library when imported: a file that is no library raises
    # OSError, and PYENCHANT_LIBRARY_PATH naming no file fails an assert.
    except (OSError, AssertionError):
        raise SpellingUnavailableError(_NO_LIBRARY) from None
    language = _language(locale)
    # A locale with a region ("es_MX") is asked for first; a bare one in LOCALE_TAGS' order.
    region = (locale.replace("-", "_"),) if language != locale else ()
    tags = tuple(dict.fromkeys((*region, *LOCALE_TAGS.get(language, ()), language)))
    broker = enchant.Broker()
    # Hunspell's dictionaries (what the packages below install) before any other
    # checker's: an Aspell dictionary installed for something else must not win.
    broker.set_ordering("*", "hunspell,aspell,nuspell,hspell")
    for tag in tags:
        try:
            dictionary: _Dictionary = broker.request_dict(tag)
        except enchant.errors.Error:  # none for this tag (or a tag Enchant refuses)
            continue
        return dictionary
    raise SpellingUnavailableError(_missing_dictionary(locale, language, tags))


def _language(locale: str) -> str:
    """The language of a locale: "es" of "es", "es_MX" or "es-MX"."""
    return re.split("[_-]", locale, maxsplit=1)[0]


def _missing_dictionary(locale: str, language: str, tags: tuple[str, ...]) -> str:
    name = _LANGUAGE_NAMES.get(language, f"'{locale}'")
    package = DICTIONARY_PACKAGES.get(language)
    install = (
        f"Debian: apt install {package}"
        if package
        else f"install a Hunspell dictionary for it; Debian: apt-cache search hunspell-{language}"
    )
    return f"Spelling is off: no {name} dictionary ({', '.join(tags)}); {install}"
