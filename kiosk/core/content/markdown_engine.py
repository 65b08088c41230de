"""The one MarkdownIt instance: CommonMark with front matter and tables, raw HTML off.

Created once per process, at first import (importing markdown_it costs start-up
time, so the kiosk's first frame never loads this module; kiosk.ui.app warms it up
behind the welcome screen). Raw HTML is off, so any tag an administrator types is
text, never interpreted. Every link reaches our own allow-list
(kiosk.core.content.links), and rendering is limited to ``HTML_RULES``
(kiosk.core.content.html_rules).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from kiosk.core.content.html_rules import HTML_RULES


def _accept_every_link(url: str) -> bool:
    # markdown-it silently turns javascript:/file:/data: links into text. We want
    # to see them so the validator can name them; our own allow-list decides.
    return True


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.use(front_matter_plugin)
    md.enable("table")
    md.validateLink = _accept_every_link  # type: ignore[method-assign]
    for token_type, rule in HTML_RULES.items():
        md.add_render_rule(token_type, rule)
    return md


MARKDOWN = _make_parser()
