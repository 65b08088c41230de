"""Take-home addresses fit the QR code the kiosk draws for them.

The last card shows the article's take-home address (its ``url:``, else the first web
address in its text) as a QR code, made with segno as kiosk/ui/widgets/qr.py makes it:
error correction level M, any version up to 40, the mode segno chooses. A longer
address has no QR code at all (segno's DataOverflowError: a 2,500-character address
stopped ``kiosk smoke-test``), so validate asks segno, with the same settings, whether
each address fits, and says how much of it would.
"""

from __future__ import annotations

QR_ERROR = "m"  # kiosk/ui/widgets/qr.py: segno.make(url, error="m")
QR_MAX_VERSION = 40  # the largest QR code there is; segno.make tries each up to it
# Every address this long fits, in any script: 4 bytes a character at most in UTF-8,
# segno's widest encoding, is 2,000 bytes; a version 40 code at level M holds 2,331
# (tests/test_identifiers.py asks segno). A kiosk reading a pack never imports segno
# for these, nor spends a QR code's making on each.
ALWAYS_FITS = 500


def qr_problem(url: str) -> str | None:
    """Why ``url`` cannot be the QR code patients scan, for a message about it ("'url'
    is 2,500 characters; ..."); None if it fits."""
    if len(url) <= ALWAYS_FITS or _fits(url):
        return None
    # The longest start of it that fits: a shorter start never needs a larger code.
    low, high = ALWAYS_FITS, len(url) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(url[:middle]):
            low = middle
        else:
            high = middle - 1
    return (
        f"is {len(url):,} characters; at most {low:,} fit in the QR code patients scan; "
        "use a shorter address"
    )


def _fits(text: str) -> bool:
    """Whether segno makes a QR code of ``text`` with the kiosk's settings. A code fits
    in some version up to 40 exactly when it fits in version 40, and the mask and the
    error level raised where room is left (boost_error) do not change what fits: so
    this makes the version 40 code with one mask, four times as fast as the kiosk's."""
    import segno  # 25 ms to import: only for an address longer than ALWAYS_FITS

    try:
        segno.make(text, error=QR_ERROR, version=QR_MAX_VERSION, mask=0, boost_error=False)
    except segno.DataOverflowError:
        return False
    return True
