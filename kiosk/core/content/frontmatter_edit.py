"""One field of an article's front matter changed, and nothing else (the content studio).

Staff edit a form, never YAML; the file stays theirs. A value set to what it is leaves
the file byte for byte; a changed value changes only its own lines: the other keys,
their order, quoting and comments, the Markdown, the line endings and a byte order mark
all stay as written. The front matter is composed with PyYAML's pure-Python parser,
whose nodes carry where each value starts and ends in the text; the new value is
written over that span as YAML the validator reads back as exactly that value
(kiosk.core.content.frontmatter_yaml's strict types: plain text, true/false, dates as
text). A key not yet there goes after the keys that come before it in the usual order
(kiosk.core.content.frontmatter.KNOWN_KEYS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import yaml

from kiosk.core.content.frontmatter import KNOWN_KEYS
from kiosk.core.content.frontmatter_yaml import StrictPositionsLoader, load_yaml
from kiosk.core.content.problems import Problem, ProblemList
from kiosk.core.errors import KioskError

FieldValue = str | bool | date | tuple[str, ...]

_FENCE = re.compile(r"---[ \t]*(\r?\n|$)")
# A plain scalar that cannot be read as anything but itself: no indicator first, no
# ": " or " #" inside, no surrounding spaces (YAML 1.2, 7.3.3). Checked again by
# reading it back, so this only has to be cautious.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#\n\r]|:(?!\s)|(?<!\s)#)*(?<!\s)")
_NOTHING = re.compile(r"(?!)")  # matches nothing: every text quoted
_PLAIN_ITEM = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#,\[\]{}\n\r]|:(?!\s)|(?<!\s)#)*")


class FrontMatterEditError(KioskError):
    """The file has no front matter that can be edited in place (said in one line)."""


@dataclass(frozen=True)
class _Split:
    start: int  # where the YAML begins in the file (after the opening ---)
    end: int  # where it ends (the closing --- line begins)
    newline: str  # the file's line ending
    body: int  # where the Markdown begins (after the closing --- line)


def set_field(text: str, key: str, value: FieldValue | None) -> str:
    """``text`` (a whole article file) with front matter ``key`` set to ``value``;
    None removes the key. Raises FrontMatterEditError when the file has no front
    matter of plain ``key: value`` lines (the validator names the problem)."""
    if key not in KNOWN_KEYS:
        raise FrontMatterEditError(f"'{key}' is not a front matter key ({', '.join(KNOWN_KEYS)})")
    changed = _set(text, key, value)
    _check_only(key, value, text, changed)
    return changed


def _check_only(key: str, value: FieldValue | None, before: str, after: str) -> None:
    """The edit read back: ``key`` is ``value`` and every other key as it was. Never
    expected to fail; if it does, the file is left as it was rather than broken."""
    old, old_problems = _validated(before)
    new, new_problems = _validated(after)
    # The validator reads nothing of front matter it refuses (a problem already there,
    # such as another key's text cut by ' #'): what it holds is read without its rules.
    old, new = old or _plain_read(before), new or _plain_read(after)
    wanted = {k: v for k, v in old.items() if k != key}
    if value is not None:
        wanted[key] = _as_read(value)
    if new != wanted or not new_problems <= old_problems:
        raise FrontMatterEditError(
            f"'{key}' could not be written safely; the file is unchanged (write it in the "
            "file itself)"
        )


def body_start(text: str) -> int:
    """Where the Markdown of an article file begins, after its front matter. Raises
    FrontMatterEditError when the file has no front matter between '---' lines."""
    return _split(text).body


def front_matter_values(text: str) -> dict[str, object]:
    """The front matter of an article file as the validator's types read it (text,
    true/false, lists; dates as text). Raises FrontMatterEditError when it has none
    between '---' lines; {} when it is not 'key: value' YAML."""
    return _validated(text)[0]


def _plain_read(text: str) -> dict[str, object]:
    split = _split(text)
    data = _read(text[split.start : split.end])
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}


def _validated(text: str) -> tuple[dict[str, object], set[str]]:
    """The front matter as the validator's own reader reads it (kiosk.core.content.
    frontmatter_yaml: libyaml, its strict types, no anchors, aliases or tags), and what
    that reader says is wrong with it."""
    split = _split(text)
    if not text[split.start : split.end].strip():
        return {}, set()
    problems: list[Problem] = []
    first_line = text[: split.start].count("\n") + 1
    loaded = load_yaml(text[split.start : split.end], first_line, ProblemList(problems, ""))
    return (dict(loaded.data) if loaded is not None else {}), {p.message for p in problems}


def _set(text: str, key: str, value: FieldValue | None) -> str:
    split = _split(text)
    front = text[split.start : split.end]
    pairs = _pairs(front)
    found = next(((k, v) for k, v in pairs if k.value == key), None)
    if found is None:
        if value is None:
            return text
        at = split.start + _insertion_point(front, pairs, key)
        line = f"{key}: {_render(value)}{split.newline}"
        return text[:at] + line + text[at:]
    key_node, value_node = found
    if value is None:
        begin = split.start + _line_start(front, key_node.start_mark.index)
        end = split.start + _line_end(front, value_node.end_mark.index)
        return text[:begin] + text[end:]
    if _read(front[value_node.start_mark.index : value_node.end_mark.index]) == _as_read(value):
        return text  # as it is: not one byte rewritten (its quoting, its flow style)
    begin = split.start + value_node.start_mark.index
    end = split.start + _value_end(front, value_node)
    space = " " if begin == end and text[begin - 1] == ":" else ""  # "summary:" was empty
    # A comment after it on the line: quoted, or the validator says the text after
    # ' #' is cut off (kiosk.core.content.frontmatter_yaml).
    rest = text[end : text.find("\n", end) if "\n" in text[end:] else len(text)]
    return text[:begin] + space + _render(value, quoted="#" in rest) + text[end:]


def _split(text: str) -> _Split:
    body = text[1:] if text.startswith("\ufeff") else text
    offset = len(text) - len(body)
    opening = _FENCE.match(body)
    if opening is None:
        raise FrontMatterEditError("the file does not start with a '---' line")
    newline = opening.group(1) or "\n"
    at = opening.end()
    while at < len(body):
        closing = _FENCE.match(body, at)
        if closing is not None:
            return _Split(offset + opening.end(), offset + at, newline, offset + closing.end())
        next_line = body.find("\n", at)
        if next_line < 0:
            break
        at = next_line + 1
    raise FrontMatterEditError("the front matter has no closing '---' line")


def _pairs(front: str) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    try:
        _refuse_references(front)
        node = yaml.compose(front, Loader=StrictPositionsLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f" at line {mark.line + 2}" if mark is not None else ""  # the file's line
        raise FrontMatterEditError(
            f"the front matter is not valid YAML{where} ({err.problem or err.context}); fix "
            "that line in the file"
        ) from None
    except yaml.YAMLError as err:
        what = str(err).replace("\n", " ")
        raise FrontMatterEditError(f"the front matter is not valid YAML ({what})") from None
    except RecursionError:
        raise FrontMatterEditError("the front matter is nested too deeply") from None
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise FrontMatterEditError("the front matter is not 'key: value' lines")
    pairs: list[tuple[yaml.ScalarNode, yaml.Node]] = []
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise FrontMatterEditError("the front matter has a key that is not a word")
        line = key_node.start_mark.line + 2  # the file's line: the opening --- is line 1
        if key_node.value in lines:
            raise FrontMatterEditError(
                f"'{key_node.value}' is written twice (lines {lines[key_node.value]} and "
                f"{line}); keep one"
            )
        lines[key_node.value] = line
        pairs.append((key_node, value_node))
    return pairs


def _insertion_point(front: str, pairs: list[tuple[yaml.ScalarNode, yaml.Node]], key: str) -> int:
    """After the last key that comes before ``key`` in the usual order, else first."""
    order = KNOWN_KEYS.index(key)
    before = [
        (k, v) for k, v in pairs if k.value in KNOWN_KEYS and KNOWN_KEYS.index(k.value) < order
    ]
    if before:
        return _line_end(front, _value_end(front, before[-1][1]))
    return 0


def _value_end(front: str, node: yaml.Node) -> int:
    """Where ``node``'s own text ends: a block list's end mark is the next key's line."""
    end: int = node.end_mark.index
    while end > node.start_mark.index and front[end - 1] in "\r\n":
        end -= 1
    return end


def _line_start(front: str, at: int) -> int:
    return front.rfind("\n", 0, at) + 1


def _line_end(front: str, at: int) -> int:
    """Just after the line ending of the line ``at`` is on (or the front's end)."""
    if at > 0 and front[at - 1] == "\n":
        return at  # a block list's end: the next line's start
    newline = front.find("\n", at)
    return len(front) if newline < 0 else newline + 1


def _as_read(value: FieldValue) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _read(yaml_text: str) -> object:
    try:
        return yaml.load(yaml_text, Loader=StrictPositionsLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def _refuse_references(front: str) -> None:
    """Anchors, aliases and tags are refused, as the validator refuses them: ten lines
    of aliases expand to gigabytes, and comparing them took seconds."""
    for event in yaml.parse(front, Loader=StrictPositionsLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise FrontMatterEditError(
                "the front matter uses '&' or '*' (anchors, aliases), which the kiosk refuses"
            )
        if isinstance(event, yaml.NodeEvent) and getattr(event, "tag", None):
            raise FrontMatterEditError("the front matter uses a '!' tag, which the kiosk refuses")


def _render(value: FieldValue, *, quoted: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    plain = _NOTHING if quoted else None
    if isinstance(value, tuple):
        return "[" + ", ".join(_scalar(item, plain or _PLAIN_ITEM) for item in value) + "]"
    return _scalar(value, plain or _PLAIN)


def _scalar(text: str, plain: re.Pattern[str]) -> str:
    """``text`` plain where it reads back as itself, else in double quotes."""
    safe = all(_escaped(c) == c for c in text)
    if safe and plain.fullmatch(text) and _read(f"[{text}]") == [text] and _read(text) == text:
        return text
    return '"' + "".join(_escaped(c) for c in text) + '"'


# Written as escapes in double quotes: YAML's own two, what it does not allow in a file
# (controls, DEL, surrogates, U+FFFE/F; YAML 1.1, 5.1) and its line breaks (NEL, U+2028,
# U+2029), which a double-quoted scalar would fold into spaces.
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or code
        in (
            0x2028,
            0x2029,
            0xFEFF,
            0xFFFE,
            0xFFFF,
        )
    ):
        return f"\\u{code:04X}"
    return char
