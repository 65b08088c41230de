"""Text that is not the kiosk's own, made safe for a line of an administrator's terminal.

A file name in a content folder or a pack, a title in a pack, a server's reason phrase
or a redirect address can hold control characters: an escape sequence (ESC [ 2 J clears
the screen, ESC ] can retitle the window or write to the clipboard), a line break that
makes one error look like two, or a right-to-left override that shows a name backwards.
Every line a command prints with such text in it goes through ``printable`` first.
"""

from __future__ import annotations

import json


def printable(text: str) -> str:
    """``text`` with every character that is not printable shown as a Python escape
    (ESC as ``\\x1b``, a line break as ``\\n``, U+202E as ``\\u202e``, a byte of a file
    name that is not UTF-8 as ``\\udcff``); the space stays a space. What it returns is
    printable, so applying it twice changes nothing."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def printable_json(text: str) -> str:
    """JSON ``text`` (json.dumps with ensure_ascii=False) with no character a terminal
    acts on: json escapes the C0 controls but leaves DEL, the C1 controls, U+2028 and
    the like as they are; each becomes its \\u escape, which any JSON reader decodes
    back. Line breaks between values (``indent``) stay."""
    if text.isprintable():
        return text
    return "\n".join(
        "".join(
            c if c.isprintable() or c == " " else json.dumps(c, ensure_ascii=True)[1:-1]
            for c in line
        )
        for line in text.split("\n")
    )


def reason_text(reason: object) -> str:
    """Why, in one line (a server's or urllib's own words may span several), printable:
    a server's reason phrase is its own text ("500 \x1b[31mEvil"), and must not reach
    the administrator's terminal as escape codes."""
    if isinstance(reason, OSError) and reason.strerror:
        reason = reason.strerror
    return printable(" ".join(str(reason).split())) or type(reason).__name__
