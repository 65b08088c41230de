"""Spelling in the studio (kiosk.core.studio.spelling), with the real Enchant and Debian's
Hunspell dictionaries (libenchant-2-2, hunspell-en-us, hunspell-es: scripts/
system-packages.txt): misspellings are flagged where they are, correct English and
Spanish is not, and the clinic's words and the pack's own are words."""

from __future__ import annotations

import functools
import itertools
import os
import stat
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.studio.articles import open_article
from kiosk.core.studio.document import ArticleDocument
from kiosk.core.studio.spelling import (
    WORDS_FILE,
    Speller,
    SpellingUnavailableError,
    SpellingWordsError,
    add_word,
    bundled_word_lists,
    read_word_list,
)

from conftest import CONTENT, REPO


@functools.cache
def speller(locale: str) -> Speller:
    """The dictionary alone: no bundled list, no folder (one per language per run)."""
    return Speller(locale, word_lists=())


def flagged(text: str, locale: str = "en", checker: Speller | None = None) -> list[str]:
    found = (checker or speller(locale)).misspelt(text)
    assert all(text[m.start : m.end] == m.word for m in found)
    return [m.word for m in found]


def article(folder: Path, locale: str, slug: str, front: str, body: str = "Some text.\n") -> None:
    path = folder / locale / "topics" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")


def test_the_dictionaries_are_debians_hunspell_ones() -> None:
    assert speller("en").tag == "en_US"
    assert speller("es").tag == "es_US"
    assert Speller("es_ES", word_lists=()).tag == "es_ES"  # a region asked for first


def test_english_misspellings_are_flagged_where_they_are() -> None:
    text = "Take teh medicine befor you eat, and recieve care."
    found = speller("en").misspelt(text)
    assert [(m.start, m.end, m.word) for m in found] == [
        (5, 8, "teh"),
        (18, 23, "befor"),
        (37, 44, "recieve"),
    ]


def test_spanish_misspellings_are_flagged_where_they_are() -> None:
    text = "¿Qué le pasa al corazon? El niño necesita su medicamnto."
    found = speller("es").misspelt(text)
    assert [(m.start, m.end, m.word) for m in found] == [
        (16, 23, "corazon"),
        (45, 55, "medicamnto"),
    ]


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "Don't stop. It's fine, it\u2019s safe; don\u2019t worry, you'll see the nurse."),
        ("en", "Take it with water. A nurse can help you, and your family can come too."),
        ("es", "¿Qué le pasa al corazón del niño? Pregúntele a su médico. ¡Tómese el agua!"),
        ("es", "La señora está en la sala de espera. Llámenos si tiene preguntas."),
        # Decomposed accents, as some programs paste them: still one word each.
        ("es", unicodedata.normalize("NFD", "El corazón del niño está bien.")),
    ],
)
def test_correct_english_and_spanish_is_not_flagged(locale: str, text: str) -> None:
    assert flagged(text, locale) == []


def test_accents_and_apostrophes_stay_inside_their_words() -> None:
    text = "¿Qué? corazón niño don't it\u2019s"
    assert [(m.start, m.word) for m in speller("en").misspelt(text)] == [
        (1, "Qué"),
        (6, "corazón"),
        (14, "niño"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Call 911 or 1-800-662-4357 by 5pm; take 2x a day; H1N1 and COVID-19 shots.",
        "The CDC, HIV, NIDA and QWZRT: capitals of up to five letters. The CDC's site.",
        "See https://www.qwzrtx.gov/qwzrtx-xkcdq or www.qwzrtx.org/xkcdq or qwzrtx.gov.",
        "Write to qwzrtx@xkcdq.org.",
        "Read [the guide](https://example.org/qwzrtx-xkcdq) or [this](../terms/qwzrtx.md).",
        "Read [the guide][qwzrtx] and [the other](qwzrtx.md 'Qwzrtx title').",
        "[qwzrtx]: https://example.org/xkcdq",
        "Use `qwzrtx` here, and&nbsp;there.",
    ],
)
def test_numbers_abbreviations_addresses_and_link_targets_are_not_flagged(text: str) -> None:
    assert flagged(text) == []


def test_link_text_and_longer_capitals_are_still_checked() -> None:
    assert flagged("Read [qwzrtx](https://example.org/xkcdq) now.") == ["qwzrtx"]
    assert flagged("QWZRTX is six letters; QWZRT is five.") == ["QWZRTX"]


@pytest.mark.parametrize("line", ["a" * 20_000, "a." * 10_000, "a-" * 10_000, "a+" * 10_000])
def test_a_long_line_without_spaces_takes_a_moment_not_seconds(line: str) -> None:
    started = time.perf_counter()
    speller("en").misspelt(line)
    assert time.perf_counter() - started < 2  # about 0.1 s; each took 1-9 s when quadratic


def test_the_clinics_list_is_honoured_in_any_case(tmp_path: Path) -> None:
    (tmp_path / WORDS_FILE).write_text(
        "# Our clinic's words\nKloxxado\nQwzrtx Clinic  # the partner down the road\n",
        encoding="utf-8",
    )
    text = "Kloxxado and kloxxado at the Qwzrtx clinic."
    assert flagged(text) == ["Kloxxado", "kloxxado", "Qwzrtx"]
    assert flagged(text, checker=Speller("en", tmp_path, word_lists=())) == []


def test_the_packs_titles_and_aliases_are_words_in_their_language(tmp_path: Path) -> None:
    article(tmp_path, "en", "opioids", "title: Naloxone and buprenorphine\naliases: [Kloxxado]")
    article(tmp_path, "es", "opioides", "title: Naloxona\naliases: [buprenorfina]")
    text = "Naloxone, naloxone's and buprenorphine; ask for KLOXXADO."
    assert flagged(text) == ["Naloxone", "naloxone's", "buprenorphine", "KLOXXADO"]
    assert flagged(text, checker=Speller("en", tmp_path, word_lists=())) == []
    spanish = "La naloxona y la buprenorfina."
    assert flagged(spanish, "es") == ["naloxona", "buprenorfina"]
    assert flagged(spanish, checker=Speller("es", tmp_path, word_lists=())) == []
    # English titles do not make words of Spanish, nor the other way round.
    assert flagged("Kloxxado", checker=Speller("es", tmp_path, word_lists=())) == ["Kloxxado"]


def test_an_article_that_cannot_be_read_gives_no_words_and_no_error(tmp_path: Path) -> None:
    article(tmp_path, "en", "good", "title: Kloxxado")
    (tmp_path / "en" / "topics" / "bad.md").write_bytes(b"---\ntitle: \xff\xfe\n---\n")
    article(tmp_path, "en", "broken", "title: [unclosed")
    assert flagged("Kloxxado", checker=Speller("en", tmp_path, word_lists=())) == []


def test_the_bundled_lists_hold_medicines_the_dictionaries_lack() -> None:
    for locale, medicine in (("en", "buprenorphine"), ("es", "hemograma")):
        [bundled] = bundled_word_lists(locale)
        words = read_word_list(bundled)
        assert medicine in words and len(words) == len(set(words))
        assert flagged(medicine, locale) == [medicine]
        assert flagged(medicine, checker=Speller(locale)) == []  # the default reads it
    assert bundled_word_lists("fr") == ()


def test_suggestions_put_the_packs_own_words_first(tmp_path: Path) -> None:
    article(tmp_path, "en", "opioids", "title: Naloxone\naliases: [Narcan]")
    checker = Speller("en", tmp_path, word_lists=())
    assert "receive" in checker.suggest("recieve")
    assert checker.suggest("naloxne")[0] == "naloxone"
    assert checker.suggest("Narcn")[0] == "Narcan"
    assert checker.suggest("Naloxne")[0] == "Naloxone"  # as the sentence's first word
    assert Speller("en").suggest("Epipen")[0] == "EpiPen"  # capitals inside kept
    assert Speller("es").suggest("bupernorfina")[0] == "buprenorfina"  # the bundled list


def test_an_added_word_is_kept_and_no_longer_flagged(tmp_path: Path) -> None:
    assert flagged("Kloxxado", checker=Speller("en", tmp_path, word_lists=())) == ["Kloxxado"]
    assert add_word(tmp_path, " Kloxxado\n") == tmp_path / WORDS_FILE
    assert (tmp_path / WORDS_FILE).read_text(encoding="utf-8") == "Kloxxado\n"
    assert flagged("kloxxado", checker=Speller("en", tmp_path, word_lists=())) == []
    # Through a Speller: kept on disk, and that Speller knows it at once.
    checker = Speller("es", tmp_path, word_lists=())
    checker.add_word("Qwzrtx")
    assert flagged("Qwzrtx", checker=checker) == []
    assert flagged("Qwzrtx", checker=Speller("es", tmp_path, word_lists=())) == []
    assert [p.name for p in tmp_path.iterdir()] == [WORDS_FILE]  # no temporary file left


def test_adding_keeps_the_lists_comments_words_and_layout(tmp_path: Path) -> None:
    words = tmp_path / WORDS_FILE
    words.write_text("# Our clinic's words\nNarcan  # a brand\nSAMHSA", encoding="utf-8")
    words.chmod(0o664)
    add_word(tmp_path, "Kloxxado")
    add_word(tmp_path, "kloxxado")  # already there, in another case
    add_word(tmp_path, "narcan")
    assert words.read_text(encoding="utf-8") == (
        "# Our clinic's words\nNarcan  # a brand\nSAMHSA\nKloxxado\n"
    )
    assert stat.S_IMODE(words.stat().st_mode) == 0o664
    assert read_word_list(words) == ["Narcan", "SAMHSA", "Kloxxado"]
    windows = tmp_path / "windows"
    windows.mkdir()
    (windows / WORDS_FILE).write_bytes(b"\xef\xbb\xbf# Notepad's\r\nNarcan\r\n")
    add_word(windows, "corazón")
    assert (windows / WORDS_FILE).read_bytes() == (
        "\ufeff# Notepad's\r\nNarcan\r\ncorazón\r\n".encode()
    )


@pytest.mark.parametrize("word", ["", "  ", "two words", "a#b", "line\nbreak", "-"])
def test_only_one_word_is_added(tmp_path: Path, word: str) -> None:
    with pytest.raises(SpellingWordsError) as err:
        add_word(tmp_path, word)
    assert "one word" in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / WORDS_FILE).exists()


def test_a_list_that_is_not_utf8_is_said_in_one_line(tmp_path: Path) -> None:
    (tmp_path / WORDS_FILE).write_bytes(b"Narcan\n\xe9t\xe9\n")
    for attempt in (lambda: Speller("en", tmp_path), lambda: add_word(tmp_path, "Kloxxado")):
        with pytest.raises(SpellingWordsError) as err:
            attempt()
        assert str(tmp_path / WORDS_FILE) in str(err.value) and "UTF-8" in str(err.value)
        assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("locale", "says"),
    [
        ("xx", "no 'xx' dictionary (xx); install a Hunspell dictionary for it"),
        ("xx_YY", "no 'xx_YY' dictionary (xx_YY, xx)"),
        ("../en", "'../en' is not a language code"),
        ("", "'' is not a language code"),
    ],
)
def test_a_language_without_a_dictionary_says_so_in_one_line(locale: str, says: str) -> None:
    with pytest.raises(SpellingUnavailableError) as err:
        Speller(locale)
    assert str(err.value).startswith("Spelling is off: ") and says in str(err.value)
    assert "\n" not in str(err.value)


def test_without_pyenchant_the_studio_is_told_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "enchant", None)  # as if it were not installed
    with pytest.raises(SpellingUnavailableError, match=r"pip install pyenchant\)$"):
        Speller("en")


def test_without_the_enchant_library_importing_still_works_and_says_why(tmp_path: Path) -> None:
    not_a_library = tmp_path / "libenchant-2.so.2"
    not_a_library.write_bytes(b"")
    for path in (not_a_library, tmp_path / "missing.so"):
        env = {**os.environ, "PYENCHANT_LIBRARY_PATH": str(path)}
        said = subprocess.run(
            [
                sys.executable,
                "-c",
                "from kiosk.core.studio.spelling import Speller, SpellingUnavailableError\n"
                "try:\n    Speller('en')\nexcept SpellingUnavailableError as err:\n"
                "    print(err)\n",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        assert said.stdout == (
            "Spelling is off: the Enchant library is missing or cannot be loaded "
            "(Debian: apt install libenchant-2-2)\n"
        )


_PIECES = st.sampled_from(
    [
        "teh",
        "corazón",
        "¿Qué",
        "don't",
        "it\u2019s",
        "CDC's",
        "H1N1",
        "e\u0301",
        "_",
        "'",
        "\u2019",
        " ",
        "\n",
        "[x](y z)",
        "https://a.org/b",
        "](",
        "`",
        "@",
        "&amp;",
        "\U0001f600",
        "\ud800",
    ]
)


@given(
    st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=12), st.sampled_from(["en", "es"])
)
def test_offsets_always_slice_the_text_to_the_word(parts: list[str], locale: str) -> None:
    text = "".join(parts)
    found = speller(locale).misspelt(text)
    for m in found:
        assert 0 <= m.start < m.end <= len(text) and text[m.start : m.end] == m.word
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def _bundled_articles() -> list[Path]:
    return sorted(CONTENT.glob("*/*/*.md"))


@pytest.mark.parametrize("path", _bundled_articles(), ids=lambda p: "/".join(p.parts[-3:]))
def test_the_bundled_articles_are_spelt_right(path: Path) -> None:
    locale = path.relative_to(CONTENT).parts[0]
    body = ArticleDocument(open_article(path)).body
    checker = _bundled_speller(locale)
    # Paragraph by paragraph, as the studio's text box checks them.
    found = [m.word for line in body.split("\n") for m in checker.misspelt(line)]
    assert found == [], f"misspelt, or missing from resources/spelling/medical-{locale}.txt"


@functools.cache
def _bundled_speller(locale: str) -> Speller:
    return Speller(locale, CONTENT)
