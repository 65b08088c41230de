"""pack.toml's texts patients see (the pack's title, crisis help): plain text, with no
character that turns it around on screen, of a length a screen shows at once (the title
on one line), each reported at its line."""

from __future__ import annotations

import re

from kiosk.core.content.invisible import char_name, check_bidi
from kiosk.core.content.limits import CRISIS_MAX_CHARS, LINE_BREAKS, PACK_TITLE_MAX_CHARS
from kiosk.core.content.plaintext import find_markup, markup_message
from kiosk.core.content.problems import ProblemList

_SECTION = re.compile(r"\[\s*([^\[\]]*?)\s*\]\s*(?:#.*)?$")


def check_shown_texts(raw: bytes, texts: list[tuple[str, object]], problems: ProblemList) -> bool:
    """Errors for markup (kiosk.core.content.plaintext), bidirectional controls
    (kiosk.core.content.invisible), a text too long (kiosk.core.content.limits) or a
    title with a line break, in ``texts``: (where, text), where is "title.en" or
    "crisis.overdose.en". False if there was one."""
    ok = True
    for what, text in texts:
        if not isinstance(text, str):
            continue
        fragment = find_markup(text)
        if fragment is not None:
            problems.error(line_of(raw, fragment), markup_message(what, fragment))
            ok = False
        line = text_line(raw, what) or line_of(raw, text[:200])
        ok = check_bidi(what, text, line, problems) and ok
        ok = _check_size(what, text, line, problems) and ok
    return ok


def _check_size(what: str, text: str, line: int, problems: ProblemList) -> bool:
    """An error for a title of more than PACK_TITLE_MAX_CHARS characters or with a line
    break, or crisis help of more than CRISIS_MAX_CHARS; False if there was one."""
    title = what.split(".")[0] == "title"
    limit = PACK_TITLE_MAX_CHARS if title else CRISIS_MAX_CHARS
    if len(text) > limit:
        fix = (
            "shorten it: it shows at the top of the home screen in large text"
            if title
            else "keep what to do now, such as 'Call 911 now.'; the rest belongs in an article"
        )
        problems.error(line, f"{what} is {len(text):,} characters; at most {limit}; {fix}")
        return False
    found = next((c for c in text if c in LINE_BREAKS), None) if title else None
    if found is not None:
        problems.error(
            line,
            f"{what} breaks onto a new line at {char_name(found)}; it must be one line; "
            "delete that character, or type the title again on one line",
        )
        return False
    return True


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
