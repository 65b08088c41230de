"""Take-home addresses are short enough for the QR code the kiosk draws for them.

The last card shows the article's take-home address (its ``url:``, else the first web
address in its text) as a QR code, made with segno as kiosk/ui/widgets/qr.py makes it,
on the GUI thread when the card shows. A 2,500-character address fitted no QR code at
all (segno's DataOverflowError stopped ``kiosk smoke-test``), and one of 1,000 took
100 ms to draw: so an address is at most TAKE_HOME_MAX_CHARS characters
(kiosk.core.content.limits), a plain length check. Every such address fits a QR code in
any script (tests/test_identifiers.py asks segno), and neither validate nor a kiosk
reading a pack imports segno for it.
"""

from __future__ import annotations

from kiosk.core.content.limits import TAKE_HOME_MAX_CHARS


def qr_problem(url: str) -> str | None:
    """Why ``url`` cannot be the QR code patients scan, for a message about it ("'url'
    is 2,500 characters; ..."); None if it can. Counted in UTF-8 bytes, as the code holds
    them: 200 characters of another script are up to 800 bytes, a QR code 4 times the
    size and 3 times slower to draw (issue 13's attacker)."""
    size = len(url.encode("utf-8", "surrogatepass"))
    if size <= TAKE_HOME_MAX_CHARS:
        return None
    said = f"{len(url):,} characters" if size == len(url) else f"{size:,} bytes as UTF-8"
    return (
        f"is {said}; a take-home address is at most {TAKE_HOME_MAX_CHARS} (letters "
        "outside A to Z count 2 to 4 each; the last card draws it as a QR code for "
        "phones); use a shorter address for the same page"
    )
