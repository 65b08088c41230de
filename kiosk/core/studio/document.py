"""One article being edited: its file as opened, its text now, its fields and its body.

The studio's form and text box both change this one text: a field through
kiosk.core.content.frontmatter_edit (only that field's lines), the body by replacing
what follows the front matter. So what is saved is the file staff opened with exactly
their changes, and nothing else rewritten.
"""

from __future__ import annotations

from typing import Any

from kiosk.core.content.frontmatter_edit import (
    FieldValue,
    FrontMatterEditError,
    body_start,
    front_matter_values,
    set_field,
)
from kiosk.core.studio.articles import OpenedArticle


class ArticleDocument:
    """``opened``'s text as edited. ``text`` is the whole file now."""

    def __init__(self, opened: OpenedArticle, text: str | None = None) -> None:
        self.opened = opened
        self.text = opened.text if text is None else text

    @property
    def dirty(self) -> bool:
        """Whether the text differs from the file as opened (or last saved)."""
        return self.text != self.opened.text

    @property
    def body(self) -> str:
        return self.text[self._body_start() :]

    def fields(self) -> dict[str, Any]:
        """The front matter's values as the validator reads them ({} if it cannot);
        dates as YYYY-MM-DD text, lists as lists."""
        try:
            return front_matter_values(self.text)
        except FrontMatterEditError:
            return {}

    def set_field(self, key: str, value: FieldValue | None) -> None:
        """Raises FrontMatterEditError (one line) when the front matter cannot be
        edited in place (the validator's message says why)."""
        self.text = set_field(self.text, key, value)

    def set_body(self, body: str) -> None:
        """``body`` (lines ending in "\\n", as a text box gives them) in the file's own
        line endings: a file saved on Windows keeps its CRLF."""
        if "\r\n" in self.opened.text:
            body = body.replace("\r\n", "\n").replace("\n", "\r\n")
        self.text = self.text[: self._body_start()] + body

    def _body_start(self) -> int:
        """0 for a file with no front matter: it is all body (the validator says why)."""
        try:
            return body_start(self.text)
        except FrontMatterEditError:
            return 0

    def where(self, line: int) -> tuple[str, int | str]:
        """What file line ``line`` (from 1) is: ("body", its line of the body, from 0)
        or ("field", the front matter key written there, "" if none)."""
        front = self.text[: len(self.text) - len(self.body)]
        front_lines = front.count("\n")
        if line > front_lines:
            return "body", line - front_lines - 1
        written = front.splitlines()[line - 1] if 0 < line <= front_lines else ""
        key = written.split(":", 1)[0].strip() if ":" in written else ""
        return "field", key

    def card_at(self, body_line: int) -> int:
        """The card (from 0) that line ``body_line`` (from 0) of the body is in: each
        "## " heading begins the next one (kiosk.core.content.sections)."""
        lines = self.body.split("\n")[: body_line + 1]
        return sum(1 for line in lines if line.startswith("## "))
