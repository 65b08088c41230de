"""Give big, short-lived buffers back to the system at once (glibc only), and what the
last patient's screens cached back at each reset.

The slide between cards and every full-screen repaint allocate a few megabytes of
pixels and free them a moment later. glibc serves the first such buffer with mmap,
but then raises its mmap threshold, so later ones come from the heap and its high-
water mark stays in RSS. Over a soak that cost about 23 MB and let RSS wander by
several more. A fixed threshold keeps those buffers out of the heap.
"""

from __future__ import annotations

import ctypes
import logging

log = logging.getLogger("kiosk.ui")

_M_MMAP_THRESHOLD = -3  # from <malloc.h>
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's own starting value, now kept fixed


def keep_big_buffers_out_of_the_heap() -> bool:
    """True if glibc took the setting; False (logged) on another C library."""
    try:
        process = ctypes.CDLL(None)  # the C library the interpreter itself runs on
        ok = bool(process.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):
        ok = False
    if not ok:
        log.info("mallopt is not available; memory use may drift a little higher")
    return ok


def drop_cached_pixmaps() -> None:
    """Empty Qt's pixmap cache, between patients.

    The style draws button backgrounds, borders and gradients once per size and state
    into QPixmapCache (up to 10 MB by default), and a patient's screens fill it with
    their sizes. Held across resets, it made a kiosk's RSS climb by up to 10 MB over a
    soak of 10,000 navigations (ACCEPTANCE.md: at most 2 MB); emptied at each reset,
    the same soak ended below where it started. The next patient's first screens
    draw those pixmaps again: a few milliseconds, once.
    """
    # Imported here: the mallopt setting above must be made before Qt's libraries load
    # and allocate (kiosk/ui/app.py), so this module loads none of them.
    from PySide6.QtGui import QPixmapCache

    QPixmapCache.clear()
