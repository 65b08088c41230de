"""Two articles never look the same in a list (issue 13, item 3; attacker's review).

A title that differs from another only by characters nobody can see, or that holds a
control character, is an error at the title's line, whatever the character's kind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.content.invisible import unseen
from kiosk.core.content.loader import load_pack
from kiosk.core.content.problems import Severity
from kiosk.core.content.titles import hidden_in_title, title_key

PACK_TOML = 'id = "t"\ntitle = "T"\nversion = 1\nlocales = ["en"]\ndefault_locale = "en"\n'


def pack(root: Path, titles: dict[str, str]) -> Path:
    (root / "en" / "topics").mkdir(parents=True)
    (root / "pack.toml").write_text(PACK_TOML)
    for slug, title in titles.items():
        (root / "en" / "topics" / f"{slug}.md").write_text(
            f'---\ntitle: "{title}"\nsummary: About it.\nkind: topic\n'
            "reviewed: 2026-11-01\nreview_due: 2027-11-01\n---\nSome words here.\n",
            "utf-8",
        )
    return root


def title_errors(root: Path) -> list[tuple[str, int, str]]:
    return [
        (Path(p.file).stem, p.line, p.message)
        for p in load_pack(root).problems
        if p.severity is Severity.ERROR
    ]


# Controls (escaped in the YAML's double quotes), format characters, the combining
# grapheme joiner, Mongolian vowel separator, invisible separator, tag characters,
# Hangul fillers, private use.
HIDDEN = [
    "\\x07", "\\x1b", "\\x7f", "\\u034f", "\\u180e", "\\u2063", "\\U000e0020", "\\u3164",
    "\\u115f", "\\uffa0", "\\ue000", "\\u200b", "\\u202e", "\\u2066", "\\ufeff",
]  # fmt: skip


@pytest.mark.parametrize("escaped", HIDDEN)
def test_a_title_with_a_hidden_character_is_an_error(tmp_path: Path, escaped: str) -> None:
    root = pack(tmp_path, {"heart-attack": f"Heart{escaped} attack"})
    [(slug, line, message)] = title_errors(root)
    assert (slug, line) == ("heart-attack", 2)
    assert "invisible character" in message and "type the title again" in message


@pytest.mark.parametrize("extra", ["\\ufe0f", "\\u200d", "\\u00ad"])
def test_characters_some_languages_need_are_allowed_but_not_to_tell_titles_apart(
    tmp_path: Path, extra: str
) -> None:
    root = pack(tmp_path, {"a-heart": "Heart attack", "b-heart": f"Heart{extra} attack"})
    [(slug, line, message)] = title_errors(root)
    assert (slug, line) == ("b-heart", 2)
    assert "looks the same as the title of" in message and "a-heart.md" in message


def test_every_control_and_format_character_is_hidden() -> None:
    import unicodedata

    allowed = {"\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\u00ad"}
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) in ("Cc", "Cf") and char not in allowed:
            assert hidden_in_title(char), f"U+{code:04X}"
    assert not any(hidden_in_title(c) for c in "Heart attack Ataque cardíaco हृदय ❤")


# Characters a title may hold inside it, though nobody sees them: direction marks (in
# Arabic and Hebrew titles), joiners, the soft hyphen, variation selectors; and those
# that look like a space: spaces of every width, U+2800 BRAILLE PATTERN BLANK.
IGNORABLE = ["\u200e", "\u200f", "\u061c", "\u200c", "\u200d", "\u00ad", "\ufe0f", "\U000e0100"]
BLANK_LOOKING = ["\u2800", "\U0001d159", "\u00a0", "\u2003", "\u202f", "\u3000", "\u205f"]
UNSEEN_INSIDE = IGNORABLE + BLANK_LOOKING


AT_AN_END = [
    (end, char)
    for char in UNSEEN_INSIDE
    if not char.isspace()  # stripped, as YAML's own spaces are
    for end in ("begins", "ends")
    if not (end == "ends" and char in "\ufe0f\U000e0100")  # an emoji's colour form: below
]


@pytest.mark.parametrize(("end", "char"), AT_AN_END)
def test_a_title_that_begins_or_ends_with_an_unseen_character_is_an_error(
    tmp_path: Path, end: str, char: str
) -> None:
    title = char + "Heart rate" if end == "begins" else "Heart rate" + char
    escaped = title.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00")
    [(slug, line, message)] = title_errors(pack(tmp_path, {"heart-rate": escaped}))
    assert (slug, line) == ("heart-rate", 2)
    assert f"title {end} with an invisible character (U+{ord(char):04X} " in message, message
    assert "delete it" in message


def test_an_emoji_s_colour_form_may_end_a_title(tmp_path: Path) -> None:
    assert title_errors(pack(tmp_path, {"heart": "Heart \u2764\ufe0f"})) == []


def test_the_issue_s_titles_are_the_same(tmp_path: Path) -> None:
    root = pack(tmp_path, {"a-rate": "Heart Rate", "b-rate": "Heart\u2800Rate"})
    [(slug, line, message)] = title_errors(root)
    assert (slug, line) == ("b-rate", 2)
    assert "looks the same as the title of" in message and "a-rate.md" in message


_WORDS = st.lists(
    st.text(st.sampled_from("abcXYZéßنشש1"), min_size=1, max_size=6), min_size=1, max_size=4
)


@st.composite
def look_alikes(draw: st.DrawFn) -> tuple[str, str]:
    """A title, and one that looks the same: ignorable characters anywhere inside it,
    and each space a run of blank-looking characters."""
    words = draw(_WORDS)
    title = " ".join(words)
    blanks = st.text(st.sampled_from([" ", *BLANK_LOOKING]), min_size=1, max_size=3)
    other = draw(blanks).join(words)
    for _ in range(draw(st.integers(0, 4))):
        if len(other) > 1:
            at = draw(st.integers(1, len(other) - 1))
            other = other[:at] + draw(st.sampled_from(IGNORABLE)) + other[at:]
    return title, other


@settings(max_examples=300)
@given(look_alikes())
def test_titles_that_differ_only_by_what_nobody_sees_have_one_key(pair: tuple[str, str]) -> None:
    title, other = pair
    assert title_key(title) == title_key(other)


@settings(max_examples=300)
@given(_WORDS, _WORDS)
def test_titles_with_other_words_have_other_keys(first: list[str], second: list[str]) -> None:
    if [w.casefold() for w in first] != [w.casefold() for w in second]:
        assert title_key(" ".join(first)) != title_key(" ".join(second))


@settings(max_examples=25, deadline=None)
@given(look_alikes())
def test_a_look_alike_title_is_an_error_at_its_line(pair: tuple[str, str]) -> None:
    title, other = pair
    with tempfile.TemporaryDirectory() as folder:
        found = title_errors(pack(Path(folder), {"a-first": title, "b-second": _escaped(other)}))
    assert not unseen(other[0]) and not unseen(other[-1])  # those are the test above's
    [(slug, line, message)] = found
    assert (slug, line) == ("b-second", 2)
    assert "looks the same as the title of" in message and "a-first.md" in message


def _escaped(text: str) -> str:
    """``text`` for a YAML double-quoted string: every character beyond ASCII escaped."""
    return "".join(c if c.isascii() else f"\\U{ord(c):08X}" for c in text)


# Letters of other alphabets that look like Latin ones (UTS #39 confusables).
LOOK_LIKE_LATIN = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441"}
LOOK_LIKE_LATIN_GREEK = {"o": "\u03bf", "a": "\u03b1", "i": "\u03b9"}


@given(
    word=st.sampled_from(["heart", "stroke", "asthma", "diabetes", "cancer", "pain"]),
    where=st.integers(min_value=0),
    alphabet=st.sampled_from([LOOK_LIKE_LATIN, LOOK_LIKE_LATIN_GREEK]),
)
@settings(max_examples=40, deadline=None)
def test_a_title_word_with_a_look_alike_letter_is_an_error(
    word: str, where: int, alphabet: dict[str, str]
) -> None:
    """ "H\u0435art Attack" (a Cyrillic "\u0435") passed beside "Heart Attack" (an attacker,
    issue 13): it looks the same, and nobody who types "heart" finds it."""
    swappable = [i for i, c in enumerate(word) if c in alphabet]
    if not swappable:
        return
    i = swappable[where % len(swappable)]
    fake = word[:i] + alphabet[word[i]] + word[i + 1 :]
    with tempfile.TemporaryDirectory() as folder:
        found = title_errors(pack(Path(folder), {"a-first": f"{fake.title()} attack"}))
    [(slug, line, message)] = found
    assert (slug, line) == ("a-first", 2)
    assert "mixes letters of different alphabets" in message


@pytest.mark.parametrize(
    "title",
    ["β-blocker", "Сердце", "Ελληνικά", "Heart Сердце", "Café", "Alzheimer\u2019s", "Tipo 2"],
)
def test_a_title_in_one_alphabet_a_word_is_allowed(tmp_path: Path, title: str) -> None:
    assert title_errors(pack(tmp_path, {"a-first": title})) == []
