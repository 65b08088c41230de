"""Two articles never look the same in a list (issue 13, item 3; attacker's review).

A title that differs from another only by characters nobody can see, or that holds a
control character, is an error at the title's line, whatever the character's kind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.content.loader import load_pack
from kiosk.core.content.problems import Severity
from kiosk.core.content.titles import hidden_in_title

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

    allowed = {"\u200c", "\u200d", "\u200e", "\u200f", "\u00ad"}
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) in ("Cc", "Cf") and char not in allowed:
            assert hidden_in_title(char), f"U+{code:04X}"
    assert not any(hidden_in_title(c) for c in "Heart attack Ataque cardíaco हृदय ❤")
