"""pack.toml's texts patients see (the pack's title, crisis help): plain text, with no
character that turns it around on screen, each reported at its line."""

from __future__ import annotations

import re

from kiosk.core.content.invisible import check_bidi
from kiosk.core.content.plaintext import find_markup, markup_message
from kiosk.core.content.problems import ProblemList

_SECTION = re.compile(r"\[\s*([^\[\]]*?)\s*\]\s*(?:#.*)?$")


def check_shown_texts(raw: bytes, texts: list[tuple[str, object]], problems: ProblemList) -> bool:
    """Errors for markup (kiosk.core.content.plaintext) and bidirectional controls
    (kiosk.core.content.invisible) in ``texts``: (where, text), where is "title.en" or
    "crisis.overdose.en". False if there was one."""
    ok = True
    for what, text in texts:
        if not isinstance(text, str):
            continue
        fragment = find_markup(text)
        if fragment is not None:
            problems.error(line_of(raw, fragment), markup_message(what, fragment))
            ok = False
        ok = check_bidi(what, text, text_line(raw, what) or line_of(raw, text), problems) and ok
    return ok


def line_of(raw: bytes, fragment: str) -> int:
    """The first line of the file holding ``fragment`` (0 if TOML escapes hid it)."""
    for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
        if fragment in line:
            return number
    return 0


def text_line(raw: bytes, what: str) -> int:
    """The line of the key ``what`` names ("title", "title.en", "crisis.overdose.en":
    the section, then the key) written as ``key = ...`` under its section; 0 if it is
    written otherwise (a dotted key, an inline table)."""
    section, _, key = what.rpartition(".")
    current = ""
    for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
        text = line.strip()
        header = _SECTION.match(text)
        if header:
            current = re.sub(r"""["'\s]""", "", header.group(1))
        elif current == section and re.match(rf"""["']?{re.escape(key)}["']?\s*=""", text):
            return number
    return 0
