"""The names a pack gives things, one rule each: pack id, article slug, locale, crisis name
and the web addresses articles give patients.

Every module that checks one of these asks this one (``pack.toml``, the manifest a
kiosk verifies, the store's folder names, articles' files and links, the settings file,
the usage counts). Two copies of a rule drift: a pack id of 120 characters once
validated, built and was signed, and then every kiosk refused it. The rules are full
matches (``\\Z``, not ``$``, which also matches before a final newline), and each
is as strict as the strictest step the name goes through, so a name that validates
also builds, installs and opens (tests/test_identifiers.py).
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import unicodedata
from typing import TypeGuard
from urllib.parse import urlsplit

# --- pack id ---------------------------------------------------------------------------

PACK_ID_MAX = 100
# A pack id names the pack's folder in a kiosk's store ("<build>-<id>", maybe ".2"), so it
# must be a safe file name well within the 255 bytes a file system allows; 100 is what
# every kiosk has accepted in a manifest since format 1, so no pack that installed
# anywhere is refused now.
PACK_ID_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9._-]{{0,{PACK_ID_MAX - 1}}}\Z")
PACK_ID_RULE = (
    "lowercase letters a-z, digits, '-', '.' or '_', starting with a letter or digit, "
    f"at most {PACK_ID_MAX} characters"
)


def is_pack_id(text: object) -> bool:
    """``pack.toml``'s ``id`` and a manifest's ``pack_id``: see PACK_ID_RULE."""
    return isinstance(text, str) and PACK_ID_PATTERN.match(text) is not None


def pack_id_problem(text: str) -> str | None:
    """Why ``text`` is not a pack id, for a one-line message; None if it is one."""
    if is_pack_id(text):
        return None
    if len(text) > PACK_ID_MAX and PACK_ID_PATTERN.match(text[:PACK_ID_MAX]):
        return f"is {len(text)} characters long; a pack id is at most {PACK_ID_MAX} characters"
    return f"must be {PACK_ID_RULE}"


# --- slug ------------------------------------------------------------------------------

# A slug is an article's file name without ".md", and a pack entry's name may be at most
# 255 bytes (kiosk.core.packs.format.entry_name_problem, and most file systems), so 252.
SLUG_MAX = 252
SLUG_PATTERN = re.compile(rf"^(?=.{{1,{SLUG_MAX}}}\Z)[a-z0-9]+(?:-[a-z0-9]+)*\Z")
SLUG_RULE = (
    "lowercase letters a-z and digits, words joined by single hyphens, "
    f"at most {SLUG_MAX} characters"
)


def is_slug(text: object) -> bool:
    """An article's slug (its file name without .md), as files, links, ``related:``
    and the usage counts name it: see SLUG_RULE."""
    return isinstance(text, str) and SLUG_PATTERN.match(text) is not None


# --- locale ----------------------------------------------------------------------------

# BCP 47 (RFC 5646) language tags, the subset the kiosk supports: a two-letter ISO 639-1
# primary language subtag, in lower case ("en", "es"), and nothing after it: no region,
# script or variant ("pt-BR", "zh-Hant"). The locale names the language's folder of the
# pack, and chooses the interface's translation, the speech voice and the reading-grade
# formula, which the kiosk has per language only. BCP 47 ignores case; folder names do
# not, so only lower case is a locale.
LOCALE_PATTERN = re.compile(r"^[a-z]{2}\Z")
LOCALE_RULE = "two lowercase letters a-z (an ISO 639-1 code; no region such as pt-BR)"


def is_locale(text: object) -> bool:
    """A pack's ``locales`` and ``default_locale``, the settings file's
    ``default_locale``, and the locale of a usage count: see LOCALE_RULE."""
    return isinstance(text, str) and LOCALE_PATTERN.match(text) is not None


# --- crisis name -----------------------------------------------------------------------

CRISIS_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]*\Z")
CRISIS_NAME_RULE = "lowercase letters, digits and '-', starting with a letter"


def is_crisis_name(text: object) -> bool:
    """The NAME of a ``[crisis.NAME]`` section of pack.toml, as a sensitive article
    names it with ``crisis: NAME``."""
    return isinstance(text, str) and CRISIS_NAME_PATTERN.match(text) is not None


# --- web address -----------------------------------------------------------------------

HTTPS_RULE = "a web address starting with https://"
_COPY_IT = "copy the address again from the browser's address bar"


def is_https_address(text: object) -> TypeGuard[str]:
    """A web address an article gives patients to look up later on their own device
    (front matter ``url:``, a link in the text): https only, as docs/CONTENT.md says,
    so what they type at home is not open to anyone on the network. The kiosk itself
    never opens one; it shows it as a QR code (kiosk.core.content.takehome)."""
    return isinstance(text, str) and https_address_problem(text) is None


def https_address_problem(text: object) -> str | None:
    """Why ``text`` (its ends stripped) is not a well-formed https address, for a
    message about it ("'url' has a space in it; ..."); None if it is one. A space, a
    control or an invisible character, or no site name (the host) is refused: a phone
    scanning the QR code would open another page, or none."""
    if not isinstance(text, str) or not text.strip().lower().startswith("https://"):
        return f"must be {HTTPS_RULE}"
    address = text.strip()
    # Markdown writes a site name's letters beyond ASCII as punycode ("xn--..."), an
    # invisible one too: look at the name as it was written.
    odd = next((c for c in address + _host_as_written(address) if _odd(c)), None)
    if odd is not None and odd.isspace():  # every Unicode space, tab and line end
        return f"has a space in it ('{_shown(address)}'); a web address has none: {_COPY_IT}"
    if odd is not None:
        return (
            f"holds an invisible or control character (U+{ord(odd):04X} "
            f"{unicodedata.name(odd, 'CONTROL')}); {_COPY_IT}"
        )
    try:
        parts = urlsplit(address)
        _ = parts.port  # a ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme != "https" or not _is_host(parts.hostname, parts.netloc):
        host = address[len("https://") :].split("/", 1)[0]
        what = f"no real site name ('{_shown(host)}')" if host else "no site name"
        return f"has {what} after https://; {_COPY_IT}, e.g. https://www.cdc.gov/heat-health/"
    if "@" in parts.netloc:  # https://www.cdc.gov@evil.example/ opens evil.example
        return (
            f"has an '@' before the site name ('{_shown(parts.netloc)}'): a phone would open "
            f"the site after the '@'; an address has no '@' there: {_COPY_IT}"
        )
    return None


def _odd(char: str) -> bool:
    """A space, a line end, or a control, format or unassigned character."""
    return unicodedata.category(char)[0] in "ZC"


def _host_as_written(address: str) -> str:
    """The site name of an https address, each punycode label ("xn--...") decoded."""
    host = re.split(r"[/?#]", address[len("https://") :], maxsplit=1)[0]
    labels = host.split(".")
    for number, label in enumerate(labels):
        if label[:4].lower() == "xn--":
            with contextlib.suppress(UnicodeError, ValueError):  # else: checked as it is
                labels[number] = label[4:].encode("ascii").decode("punycode")
    return ".".join(labels)


def _is_host(hostname: str | None, netloc: str) -> bool:
    """A site name: dot-separated labels of letters (any script), digits, '-' and
    '_', or an IP address in brackets."""
    if not hostname:
        return False
    if netloc.startswith("[") or "@[" in netloc:
        try:
            ipaddress.IPv6Address(hostname)
        except ValueError:
            return False
        return True
    labels = hostname.removesuffix(".").split(".")
    return all(label and all(c.isalnum() or c in "-_" for c in label) for label in labels)


def _shown(text: str) -> str:
    """``text`` for a one-line message: each space or line end a plain space, any other
    control or invisible character a '?', at most 60 characters."""
    text = "".join(" " if c.isspace() else "?" if _odd(c) else c for c in text)
    return text if len(text) <= 60 else text[:57] + "..."
