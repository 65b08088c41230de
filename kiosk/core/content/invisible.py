"""Characters nobody sees: those that reorder text, those a renderer may leave out, and
those that look like a blank.

Bidirectional controls (the embeddings, overrides and isolates U+202A-U+202E and
U+2066-U+2069) reorder the letters after them: Qt shows "Dial \u202e119\u202c now" as
"Dial 911 now". No patient text needs them, so validate refuses them, with the file
and line, in every text a patient sees or hears: the front matter's texts, the whole
body (headings, lists, tables, code, picture descriptions) and pack.toml's texts. The
direction marks U+200E, U+200F and U+061C reorder nothing by themselves; Arabic and
Hebrew text uses them, and they stay allowed (but not at either end of a title, nor to
tell two titles apart: kiosk.core.content.titles).
"""

from __future__ import annotations

import unicodedata

from kiosk.core.content.problems import ProblemList

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
DIRECTION_MARKS = frozenset("\u200e\u200f\u061c")

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 15.1): what
# a renderer may show as nothing at all, whatever the font.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Characters that draw nothing but are not ignorable: the braille blank and the null
# notehead (both symbols), beside every space, line and paragraph separator (Z*).
_BLANK_SYMBOLS = frozenset("\u2800\U0001d159")


def is_default_ignorable(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _DEFAULT_IGNORABLE)


def looks_blank(char: str) -> bool:
    """A character that shows as empty space: a space of any width, a line or paragraph
    separator, or a blank symbol (U+2800 BRAILLE PATTERN BLANK)."""
    return unicodedata.category(char).startswith("Z") or char in _BLANK_SYMBOLS


def unseen(char: str) -> bool:
    """A character a patient cannot see: ignorable, or blank."""
    return is_default_ignorable(char) or looks_blank(char)


def char_name(char: str) -> str:
    """How a message names a character: "U+202E RIGHT-TO-LEFT OVERRIDE"."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'CONTROL')}"


def check_bidi(what: str, text: str, line: int, problems: ProblemList) -> bool:
    """An error at ``line`` for the first bidirectional control in ``text`` (the text of
    ``what``: "'summary'", "this line"); False if it has one."""
    at = next((i for i, char in enumerate(text) if char in BIDI_CONTROLS), None)
    if at is None:
        return True
    # The words just before it, with nothing in them that reorders this message too.
    before = "".join(c for c in text[:at] if not is_default_ignorable(c)).split()[-3:]
    where = f"right after '{' '.join(before)[-30:]}'" if before else "at the start"
    problems.error(
        line,
        f"{what} holds an invisible character ({char_name(text[at])}), {where}, that "
        "turns the text around on screen (119 can show as 911); delete it",
    )
    return False


def check_controls(
    what: str, text: str, line: int, problems: ProblemList, allowed: str = ""
) -> bool:
    """An error at ``line`` for the first control character in ``text`` (NUL, BEL, ESC,
    DEL, the C1 controls: what YAML's "\\x1b" writes), but those in ``allowed``; False
    if it has one. A summary or an alias with ESC and NUL validated and installed."""
    found = next((c for c in text if unicodedata.category(c) == "Cc" and c not in allowed), None)
    if found is None:
        return True
    problems.error(
        line,
        f"{what} holds a control character ({char_name(found)}), which no patient can "
        "read; delete it (and write letters, not escapes such as \\x1b)",
    )
    return False
