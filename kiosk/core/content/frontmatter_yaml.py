"""Reading an article's front matter as YAML, safely, with the file line of each key.

PyYAML is used through a SafeLoader subclass only, with YAML 1.1's implicit types taken
out: a plain value is text exactly as written, except ``true``/``false`` and an empty
value (or ``~``, ``null``), as in YAML 1.2's core schema. YAML 1.1 read
``aliases: [24:7, 010, 2.50]`` as the numbers 1447, 8 and 2.5, and ``related: [0123]``
as an article named ``83``. Dates are text here too, and parsed key by key
(kiosk.core.content.frontmatter), so an impossible date like 2026-02-30 becomes a clear
message with a line number.

Anchors, aliases and tags (``&a``, ``*a``, ``!!python/object``) are refused before the
front matter is built: an alias "billion laughs" in ten lines expands to gigabytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from kiosk.core.content.problems import ProblemList

# libyaml's parser when PyYAML has it (the wheels do): about ten times faster on
# thousands of articles; the pure-Python one otherwise. Both construct safely.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader whose only implicit types are YAML 1.2 core's true/false and null;
    numbers in every base, sexagesimals, yes/no/on/off and timestamps stay text."""


_StrictLoader.yaml_implicit_resolvers = {}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), [*"~nN", ""]
)
NULL_WORDS = ("~", "null", "Null", "NULL")


class StrictPositionsLoader(yaml.SafeLoader):
    """The same strict types with PyYAML's pure-Python parser, whose marks count the
    characters of the text given: where a value starts and ends, for changing it in
    place (kiosk.core.content.frontmatter_edit). libyaml's may count bytes."""


StrictPositionsLoader.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers


@dataclass(frozen=True)
class LoadedYaml:
    """Front matter as read: its keys and values, the file line of each key, and the
    file line of each item of a key whose value is a list."""

    data: dict[str, Any]
    lines: dict[str, int]
    item_lines: dict[str, list[int]]


def load_yaml(text: str, first_line: int, problems: ProblemList) -> LoadedYaml | None:
    """The front matter that starts on file line ``first_line``; None, with an error,
    if it is not plain YAML key: value lines. Never raises."""
    node = _construct(text, first_line, problems)
    if node is None:
        return None
    data, mapping = node
    lines, item_lines = _key_lines(mapping, first_line, problems)
    return LoadedYaml({str(k): v for k, v in data.items()}, lines, item_lines)


def _construct(
    text: str, first_line: int, problems: ProblemList
) -> tuple[dict[Any, Any], yaml.MappingNode] | None:
    """The constructed mapping and its node, or None (reported)."""
    try:
        if not _plain_yaml_only(text, first_line, problems):
            return None
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        # "while scanning a quoted scalar" points at the opening quote, which is where
        # the mistake is; the problem mark is often the end of the front matter.
        mark = err.context_mark or err.problem_mark
        line = first_line + (mark.line if mark else 0)
        what = "; ".join(str(p) for p in (err.context, err.problem) if p) or "invalid YAML"
        problems.error(
            line,
            f"front matter is not valid YAML ({what}); check colons, quotes and indentation",
        )
        return None
    except RecursionError:
        problems.error(first_line, "front matter is nested too deeply; use simple lists")
        return None
    except (yaml.YAMLError, ValueError) as err:
        problems.error(first_line, f"front matter is not valid YAML ({err}); simplify it")
        return None
    if data is None:
        problems.error(first_line, "front matter is empty: add at least 'title:' and 'kind:'")
        return None
    if not isinstance(data, dict) or node is None or not isinstance(node, yaml.MappingNode):
        problems.error(first_line, "front matter must be 'key: value' lines")
        return None
    return data, node


def _key_lines(
    node: yaml.MappingNode, first_line: int, problems: ProblemList
) -> tuple[dict[str, int], dict[str, list[int]]]:
    """The file line of each key, and of each item of a list value; a key written
    twice is an error (YAML keeps the last silently)."""
    lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        name, line = str(key.value), first_line + key.start_mark.line
        if name in lines:
            problems.error(
                line, f"duplicate key '{name}' (first on line {lines[name]}); keep only one"
            )
            continue
        lines[name] = line
        if isinstance(value, yaml.SequenceNode):
            item_lines[name] = [first_line + item.start_mark.line for item in value.value]
    return lines, item_lines


def _comment_cuts(event: yaml.Event, rows: list[str]) -> int | None:
    """The line (from 0) where a comment follows a plain (unquoted) value: "title:
    Heartburn #1 cause" is the title "Heartburn" to YAML, and the rest is lost without a
    word. None if there is none."""
    end = event.end_mark
    if not isinstance(event, yaml.ScalarEvent) or event.style or end is None:
        return None  # quoted, or a block, or no position
    rest = rows[end.line][end.column :] if end.line < len(rows) else ""
    return end.line if rest.lstrip().startswith("#") else None


def _plain_yaml_only(text: str, first_line: int, problems: ProblemList) -> bool:
    """False, with an error at its line, if the front matter uses an anchor, an alias,
    a tag, or a comment after an unquoted value (which cuts the value short). Read as
    events, which never expand an alias, so a "billion laughs" costs nothing. Raises
    yaml.YAMLError for YAML that does not parse (the caller reports it)."""
    rows = text.splitlines()
    for number, row in enumerate(rows):
        if row[:1] in (" ", "\t") and row.lstrip().startswith("#"):
            # Inside a value that goes on over lines, or a list: YAML drops the line.
            problems.error(
                first_line + number,
                f"the line '{row.strip()[:60]}' starts with '#' inside a value, and YAML "
                "drops it as a comment; put the whole value in quotes on one line, or "
                "delete the line",
            )
            return False
    loader = _StrictLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            cut = _comment_cuts(event, rows)
            if cut is not None:
                problems.error(
                    first_line + cut,
                    f"the text after ' #' in '{rows[cut].strip()[:60]}' is "
                    "dropped (in YAML, ' #' starts a comment); put the whole value in "
                    'quotes, e.g. title: "Heartburn #1"',
                )
                return False
            found = ""
            tag: str | None = getattr(event, "tag", None)  # scalars and collections
            if isinstance(event, yaml.AliasEvent):
                found = f"the alias '*{event.anchor}'"
            elif getattr(event, "anchor", None):
                found = f"the anchor '&{event.anchor}'"
            elif tag:
                # As staff wrote it: the parser expands !! to YAML's own prefix.
                found = f"the tag '{tag.replace('tag:yaml.org,2002:', '!!')}'"
            if found:
                problems.error(
                    first_line + event.start_mark.line,
                    f"front matter uses {found}; YAML anchors (&), aliases (*) and tags (!) "
                    "are not allowed: write the text itself, in quotes if it starts with "
                    "&, * or !",
                )
                return False
    finally:
        loader.dispose()
    return True
