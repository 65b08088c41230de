"""One article being edited: its file as opened, its text now, its fields and its body.

The studio's form and text box both change this one text: a field through
kiosk.core.content.frontmatter_edit (only that field's lines), the body by replacing
what follows the front matter. So what is saved is the file staff opened with exactly
their changes, and nothing else rewritten.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kiosk.core.content.frontmatter_edit import FieldValue, set_field
from kiosk.core.content.frontmatter_yaml import load_yaml
from kiosk.core.content.problems import ProblemList
from kiosk.core.studio.articles import OpenedArticle

# The front matter: an opening --- line, the YAML, a closing --- line (as the validator's
# Markdown reader finds it), then the body.
_FRONT = re.compile(r"\A(\ufeff?---[ \t]*\r?\n.*?^---[ \t]*(?:\r?\n|\Z))", re.S | re.M)


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
        found = _FRONT.match(self.text)
        return self.text[found.end() :] if found else self.text

    def fields(self) -> dict[str, Any]:
        """The front matter's values as the validator reads them ({} if it cannot);
        dates as YYYY-MM-DD text, lists as lists."""
        found = _FRONT.match(self.text)
        if found is None:
            return {}
        yaml_text = found.group(1).split("\n", 1)[1].rsplit("---", 1)[0]
        loaded = load_yaml(yaml_text, 2, ProblemList([], str(self.opened.path)))
        return dict(loaded.data) if loaded is not None else {}

    def set_field(self, key: str, value: FieldValue | None) -> None:
        """Raises FrontMatterEditError (one line) when the front matter cannot be
        edited in place (the validator's message says why)."""
        self.text = set_field(self.text, key, value)

    def set_body(self, body: str) -> None:
        """``body`` (lines ending in "\\n", as a text box gives them) in the file's own
        line endings: a file saved on Windows keeps its CRLF."""
        found = _FRONT.match(self.text)
        if "\r\n" in self.opened.text:
            body = body.replace("\r\n", "\n").replace("\n", "\r\n")
        self.text = (found.group(1) if found else "") + body

    def field_date(self, key: str) -> date | None:
        value = self.fields().get(key)
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

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
