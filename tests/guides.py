"""Reading the administrators' guides (docs/CONTENT.md, docs/ADMIN.md) as data.

The guide tests check each claim against the software by reading the claim out of the
guide's own text (its tables, code spans and example blocks), so a new row or a new
command in a guide is checked without a new test.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO

CONTENT_GUIDE = REPO / "docs" / "CONTENT.md"
ADMIN_GUIDE = REPO / "docs" / "ADMIN.md"

_FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```", re.S | re.M)
_HEADING = re.compile(r"^(#{2,4}) (.+)$", re.M)
_CODE_SPAN = re.compile(r"(`+)\s?(.+?)\s?\1")


def read(guide: Path) -> str:
    return guide.read_text("utf-8")


def without_fences(text: str) -> str:
    """The text with every fenced code block blanked: spaces, and its line breaks, so
    that places in it are places in the text."""
    return _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def fences(text: str, language: str | None = None) -> list[str]:
    """The fenced code blocks, optionally only those of one language (```text ...)."""
    return [m.group(2) for m in _FENCE.finditer(text) if language in (None, m.group(1))]


def section(text: str, title_start: str) -> str:
    """The text under the first heading that starts with ``title_start``, up to the next
    heading of the same or a higher level."""
    for match in _HEADING.finditer(without_fences(text)):
        if match.group(2).startswith(title_start):
            level = len(match.group(1))
            rest = text[match.end() :]
            end = re.search(rf"^#{{1,{level}}} ", without_fences(rest), re.M)
            return rest[: end.start()] if end else rest
    raise AssertionError(f"no heading starting {title_start!r}")


@dataclass(frozen=True)
class Table:
    heading: str  # the nearest heading above the table
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def column(self, name: str) -> list[str]:
        index = self.header.index(name)
        return [row[index] for row in self.rows]


def _cells(line: str) -> tuple[str, ...]:
    """A table row's cells; a '|' inside a code span does not split."""
    cells, current, ticks = [], "", ""
    body = line.strip().removeprefix("|").removesuffix("|")
    i = 0
    while i < len(body):
        if body[i] == "`":
            run = re.match(r"`+", body[i:])
            assert run
            if not ticks:
                ticks = run.group(0)
            elif run.group(0) == ticks:
                ticks = ""
            current += run.group(0)
            i += len(run.group(0))
            continue
        if body[i] == "|" and not ticks:
            cells.append(current.strip())
            current = ""
        else:
            current += body[i]
        i += 1
    cells.append(current.strip())
    return tuple(cells)


def tables(text: str) -> list[Table]:
    """Every Markdown table outside code blocks, with the heading it stands under."""
    found: list[Table] = []
    heading = ""
    lines = without_fences(text).splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if _HEADING.match(line):
            heading = line.lstrip("#").strip()
        if line.startswith("|") and i + 1 < len(lines) and re.match(r"\|[-| :]+\|$", lines[i + 1]):
            header = _cells(line)
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            found.append(Table(heading, header, tuple(rows)))
            continue
        i += 1
    return found


def code_spans(markdown: str) -> list[str]:
    return [m.group(2) for m in _CODE_SPAN.finditer(markdown)]


def kiosk_commands(text: str) -> list[list[str]]:
    """Every ``kiosk ...`` command line the guide tells someone to type: in code spans,
    and in code blocks (after ``$ `` in ADMIN.md's transcripts, or a whole line)."""
    lines: list[str] = []
    for block in fences(text):
        for line in block.splitlines():
            line = line.strip().removeprefix("$ ")
            if line.startswith("kiosk ") and " -> " not in line:
                lines.append(line)
    for span in code_spans(without_fences(text)):
        if span.startswith("kiosk ") and "..." not in span and "FILE" not in span:
            lines.append(span)
    commands = []
    for line in lines:
        words = shlex.split(line.split("  #")[0])
        commands.append(words[1:])
    return commands


def message_pattern(message: str) -> re.Pattern[str]:
    """A message as the guide quotes it, as a pattern for the real one: "Words in quotes,
    file names and numbers change to match your case", and ``...`` stands for any text."""
    pattern = ""
    for number, part in enumerate(_CHANGING.split(message)):
        if number % 2 == 0:  # text between the parts that change
            pattern += re.escape(part)
        elif part == "...":
            pattern += ".*?"
        elif part.startswith("'"):
            pattern += "'[^']*'"
        elif re.fullmatch(r"[0-9a-f]{16}", part):
            pattern += "[0-9a-f]{16}"  # a key id
        elif part[0].isdigit() and "/" not in part:
            pattern += r"\d[\d,.]*"
        else:
            pattern += r"\S+"
    return re.compile(pattern)


# What changes from case to case in a quoted message: 'quoted words', "..." (text left
# out), file names and web addresses (a word with a '/' in it, or a file name's ending),
# key ids (16 hexadecimal digits) and numbers.
_CHANGING = re.compile(
    r"('[^'\s][^']*'|\.\.\.|[^\s'(]*/[^\s';,)]+|[\w.-]+\.(?:md|kpack|key|toml|txt)\b"
    r"|\b[0-9a-f]{16}\b|\d[\d,.]*\d|\d)"
)
