"""Text against a width: one em in px, and words wrapped (and balanced) to fit."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics


def em_px(font: QFont) -> float:
    """One em of ``font``, in px (the style sheet sizes fonts in px)."""
    if font.pixelSize() > 0:
        return float(font.pixelSize())
    return font.pointSizeF() * 96 / 72


BALANCE_CHARS = 200  # longer texts keep the greedy lines: balancing costs a search


def _pieces(word: str, metrics: QFontMetrics, width: int) -> list[str]:
    """A word wider than ``width`` px in pieces that fit, as CSS overflow-wrap does: a
    pack's 40-letter word must not make a button, and the window, wider than a screen.
    Widths add up letter by letter (linear in the word's length)."""
    if metrics.horizontalAdvance(word) <= width:
        return [word]
    pieces, piece, used = [], "", 0
    for char in word:
        advance = metrics.horizontalAdvance(char)
        if piece and used + advance > width:
            pieces.append(piece)
            piece, used = "", 0
        piece += char
        used += advance
    return [*pieces, piece]


def wrap_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` with line breaks at spaces so that each line fits in ``width`` px; a
    single word wider than that is broken inside itself. The lines are balanced: as
    many as the width needs, each as narrow as that many allows ("Aa Tamaño / de
    letra", not "Aa Tamaño de / letra"), for a button's few words."""
    wrapped = _greedy_wrap(text, metrics, width)
    if len(text) > BALANCE_CHARS or "\n" not in wrapped:
        return wrapped
    lines = wrapped.count("\n")
    # The narrowest width that still needs no more lines, never narrower than the
    # longest word (balancing must not break "Quick" into "Quic / k").
    longest = max(metrics.horizontalAdvance(word) for word in text.split())
    narrow, wide = min(longest, width), width
    while narrow < wide:
        middle = (narrow + wide) // 2
        if _greedy_wrap(text, metrics, middle).count("\n") <= lines:
            wide = middle
        else:
            narrow = middle + 1
    return _greedy_wrap(text, metrics, wide)


def _greedy_wrap(text: str, metrics: QFontMetrics, width: int) -> str:
    """Words onto a line while they fit. A line's width is the sum of its words' (and
    spaces'), kept as it grows: measuring the whole line for each word was quadratic,
    and a pack's 40 kB title held the screen for a minute (issue 12, attacker)."""
    space = metrics.horizontalAdvance(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for whole in paragraph.split(" "):
            for word in _pieces(whole, metrics, width):
                advance = metrics.horizontalAdvance(word)
                if line and used + space + advance > width:
                    lines.append(line)
                    line, used = word, advance
                elif line:
                    line, used = f"{line} {word}", used + space + advance
                else:
                    line, used = word, advance
        lines.append(line)
    return "\n".join(lines)
