"""Pack text is plain text: find what looks like markup, so validate can name it.

The kiosk shows every string from a pack (titles, summaries, banners, aliases,
sources, urgent texts) exactly as typed (Qt's ``PlainText``), so a tag would appear
on screen as ``<b>``. Worse, a label left to guess (Qt's default ``AutoText``) would
render it: a ``<font>`` restyles the kiosk, an ``<img src=...>`` loads a file from
outside the verified pack. Validate reports both kinds of markup that Qt's rich text
understands, HTML tags and character entities, so staff fix them before signing.
"""

from __future__ import annotations

import re

# A tag: "<" then a letter, "/" or "!" (so "<5 years" and "a < b" stay text), up to ">".
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--")
# An entity Qt would decode: &amp; &#60; &#x3C;
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def find_markup(text: str) -> str | None:
    """The first HTML tag or character entity in ``text``, or None if it is plain.

    >>> find_markup('<font color=red>Hacked</font> kiosk')
    '<font color=red>'
    >>> find_markup("Children under 5 (<5 years) & adults") is None
    True
    """
    found = [m for m in (_TAG.search(text), _ENTITY.search(text)) if m is not None]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return first.group(0)


def markup_message(what: str, fragment: str) -> str:
    """A validate message for markup ``fragment`` found in the field ``what``."""
    shown = fragment if len(fragment) <= 40 else fragment[:37] + "..."
    return (
        f"{what} contains markup '{shown}'; the kiosk shows text exactly as typed, "
        "so write plain words without tags or &codes;"
    )


LONGEST_UNBROKEN = 24  # characters: a longer run without a space gets break points


def breakable(text: str, longest: int = LONGEST_UNBROKEN, stops: str = "") -> str:
    """``text`` with a zero-width space in every run of more than ``longest``
    characters that has no space (nor any of ``stops``), so Qt can break it: Qt never
    breaks inside a word, cuts a long run off unseen, and lays one out in time that grows
    with its square (a 200 KB word held the screen 10 s). For HTML, ``stops="&;<>"``
    keeps entities and tags whole."""
    # Spaces, tabs and line ends only: Qt breaks at no no-break space either.
    run = re.compile(rf"[^ \t\n{re.escape(stops)}]{{{longest + 1},}}")
    return run.sub(
        lambda found: "\u200b".join(
            found.group()[i : i + longest] for i in range(0, len(found.group()), longest)
        ),
        text,
    )
