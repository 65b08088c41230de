"""No content, however broken, makes the loader, pipeline or validator raise.

Over 1,000 generated files and packs go through the real code; every result must be
either a usable pack or a list of well-formed problems.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk.core.content.frontmatter import read_front_matter
from kiosk.core.content.loader import load_pack
from kiosk.core.content.markdown import parse
from kiosk.core.content.packpaths import PackPaths
from kiosk.core.content.problems import Problem, ProblemList, Severity

_HREF = re.compile(r'href="([^"]*)"')
_SRC = re.compile(r'src="([^"]*)"')
_FRAGMENTS = [
    "## Heading\n\n",
    "## \n",
    "# Title\n",
    "### Sub\n",
    "Plain words here.\n\n",
    "- item\n- item\n",
    "1. one\n",
    "[link](heart-rate)",
    "[up](../terms/x.md)",
    "[out](https://example.org)",
    "[bad](javascript:alert(1))",
    "[f](file:///etc/passwd)",
    "![img](../images/a.png)",
    "![img](../../../../etc/x.png)",
    "![d](data:image/png;base64,AA)",
    "<b>html</b>",
    "<!-- c -->",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "```\ncode\n```\n",
    "> quote\n",
    "***\n",
    "\x00",
    "\ufeff",
    "**",
    "[",
    "](",
    "\n",
    "\u202e",
    "&#x2066;",
    "\u200e",
    "-/" * 30,
    "x" * 60,
    "[q](https://exa\u200bmple.org)",
    "[v6](https://[::1)",
    "[sp](<https://exa mple.org>)",
]
_FRONT_KEYS = [
    "title: T\n",
    "title:\n",
    "title: [a, b]\n",
    "kind: term\n",
    "kind: topic\n",
    "kind: nope\n",
    "summary: S.\n",
    "aliases: [a, b]\n",
    "aliases: 3\n",
    "related: [heart-rate]\n",
    "related: [Not A Slug]\n",
    "sensitive: yes\n",
    "sensitive: true\n",
    "reviewed: 2026-02-30\n",
    "reviewed: 2026-01-01\n",
    "review_due: 2020-01-01\n",
    "sources: [x]\n",
    "url: https://example.org\n",
    "url: javascript:x\n",
    "url: https://[::1\n",
    "url: https://exa mple.org\n",
    "url: https://example.org:port/\n",
    'url: "https://\\u202e"\n',
    'summary: "Dial \\u202e119 now"\n',
    'title: "\\u200eT"\n',
    "urgent: " + "y" * 60 + "\n",
    "titel: typo\n",
    ": :\n",
    "- list\n",
    "{unclosed\n",
    "'\n",
    "a: !!python/object:os.system x\n",
]

front_matter = st.lists(st.sampled_from(_FRONT_KEYS), max_size=8).map("".join)
body = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=30)), max_size=12).map(
    "".join
)
article_text = st.one_of(
    st.builds(lambda f, b: f"---\n{f}---\n{b}", front_matter, body),
    st.builds(lambda f, b: f"---\n{f}{b}", front_matter, body),  # never closed
    body,
    st.text(max_size=200),
)


def _well_formed(problems: list[Problem]) -> None:
    for p in problems:
        assert isinstance(p.file, str) and p.file
        assert isinstance(p.line, int) and p.line >= 0
        assert p.severity in (Severity.ERROR, Severity.WARNING)
        assert p.message and "\n" not in p.message
        assert "Traceback" not in p.message


@settings(max_examples=700, deadline=None)
@given(article_text)
@example("---\ntitle: T\nkind: term\nurl: https://[::1\n---\nWords.\n")  # raised ValueError
@example("---\n---\n![v6](https://[::1)")  # a picture's address: raised ValueError too
def test_pipeline_and_front_matter_never_raise(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        problems: list[Problem] = []
        sink = ProblemList(problems, "a.md")
        rendered = parse(text, PackPaths(root, root / "en" / "terms" / "a.md"), sink)
        if rendered.front_matter is not None:
            read_front_matter(rendered.front_matter, rendered.front_matter_line, sink)
        for section in rendered.sections:
            assert "<script" not in section.html.lower()
            assert all(h.startswith("article:") for h in _HREF.findall(section.html))
            assert all(s.startswith("pack:/") for s in _SRC.findall(section.html))
        _well_formed(problems)


_PACK_TOML = st.sampled_from(
    [
        'id = "p"\ntitle = "P"\nversion = 1\nlocales = ["en"]\ndefault_locale = "en"\n',
        'id = "p"\ntitle = "P"\nversion = 1\nlocales = ["en", "es"]\ndefault_locale = "es"\n',
        'id = "p"\nversion = "one"\n',
        "not = [toml\n",
        "",
    ]
)
_FILE_NAME = st.sampled_from(["heart-rate", "a", "b-c", "Bad Name", "x.y", "heart-rate"])
_BYTES = st.one_of(
    article_text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=80)
)


@settings(
    max_examples=350,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    _PACK_TOML,
    st.lists(
        st.tuples(
            st.sampled_from(["en", "es"]), st.sampled_from(["topics", "terms"]), _FILE_NAME, _BYTES
        ),
        max_size=5,
    ),
)
def test_whole_packs_load_or_explain_never_raise(
    pack_toml: str, files: list[tuple[str, str, str, bytes]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pack.toml").write_text(pack_toml)
        for locale, kind, name, data in files:
            folder = root / locale / kind
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.md").write_bytes(data)
        result = load_pack(root)
        _well_formed(result.problems)
        errors = [p for p in result.problems if p.severity is Severity.ERROR]
        assert (result.pack is None) == bool(errors)
        if result.pack is not None:
            for by_slug in result.pack.articles.values():
                for article in by_slug.values():
                    assert article.sections and article.title
