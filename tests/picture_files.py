"""Picture files for tests, built byte by byte: any size, bit depth and colour type, in
a few hundred KB (zlib squeezes blank rows), with or without the chunks a PNG needs
(ISO/IEC 15948: signature, IHDR, IDAT, IEND)."""

from __future__ import annotations

import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk: length, type, data and the CRC over type and data."""
    crc = zlib.crc32(kind + body).to_bytes(4, "big")
    return len(body).to_bytes(4, "big") + kind + body + crc


def png_parts(
    width: int, height: int, *, depth: int = 8, colour: int = 2, fill: int = 0, end: bool = True
) -> bytes:
    """A PNG whose every pixel byte is ``fill``: colour type 2 (RGB) or 3 (palette, here
    with no palette chunk), 8 or 16 bits; ``end``: with its IEND chunk."""
    channels = {2: 3, 3: 1}[colour] * depth // 8
    row = b"\0" + bytes([fill]) * (width * channels)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([depth, colour, 0, 0, 0])
    tail = chunk(b"IEND", b"") if end else b""
    return SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", data) + tail


def huge_png(width: int, height: int, fill: int = 0) -> bytes:
    """An 8-bit RGB PNG of ``width`` x ``height`` pixels in a few hundred KB: decoding
    it is still every pixel."""
    return png_parts(width, height, fill=fill)
