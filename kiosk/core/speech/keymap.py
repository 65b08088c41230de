"""Which key does what in speech mode: a documented table staff can change.

A patient who cannot see the screen moves with a few keys (ADA 2010 Standards 707.5,
EN 301 549 5.1.6, the Trace Center's EZ Access model): up and down through everything
on the screen, a key to choose, one to go back, one for help, and volume, repeat and
stop. The same actions come from a standard keyboard, its numeric keypad (with Num
Lock on or off) and an EZ Access-style USB keypad, which Linux sees as a keyboard.

Speech mode starts from the keypad, Help or a volume key (``starts_speech_mode``);
once it is on, every key of the table works. Keys are named as Qt writes them
(QKeySequence's portable text): "Down", "Return", "Num+2" (the keypad's 2),
"Num+Enter", "Volume Up". ``keymap_with`` makes the table with rows changed (for a
keypad that sends other keys).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from kiosk.core.errors import KioskError


class SpeechAction(StrEnum):
    """What a key does in speech mode."""

    NEXT = "next"  # the next thing on the screen, in reading order
    PREVIOUS = "previous"
    ACTIVATE = "activate"  # choose the thing last spoken
    BACK = "back"
    HELP = "help"  # where you are and what you can do; more on a second press
    NEXT_CARD = "next card"  # in an article
    PREVIOUS_CARD = "previous card"
    LOUDER = "louder"
    QUIETER = "quieter"
    FASTER = "faster"
    SLOWER = "slower"
    REPEAT = "repeat"
    STOP = "stop"  # silence, and stay where you are


# Keys of a standard keyboard, of its numeric keypad with Num Lock on and off, and of
# media keys. Each action has a key on the keypad alone: a keypad is what a clinic puts
# beside the screen, with a braille label (docs/SPEECH.md).
DEFAULT_KEYMAP: Mapping[str, SpeechAction] = {
    # moving
    "Down": SpeechAction.NEXT,
    "Num+2": SpeechAction.NEXT,
    "Num+Down": SpeechAction.NEXT,
    "Up": SpeechAction.PREVIOUS,
    "Num+8": SpeechAction.PREVIOUS,
    "Num+Up": SpeechAction.PREVIOUS,
    # choosing and going back
    "Return": SpeechAction.ACTIVATE,
    "Space": SpeechAction.ACTIVATE,
    "Num+Enter": SpeechAction.ACTIVATE,
    "Num+5": SpeechAction.ACTIVATE,
    "Num+Clear": SpeechAction.ACTIVATE,  # the keypad's 5 with Num Lock off
    "Backspace": SpeechAction.BACK,
    "Esc": SpeechAction.BACK,
    "Num+0": SpeechAction.BACK,
    "Num+Ins": SpeechAction.BACK,
    # cards
    "Right": SpeechAction.NEXT_CARD,
    "Num+6": SpeechAction.NEXT_CARD,
    "Num+Right": SpeechAction.NEXT_CARD,
    "Left": SpeechAction.PREVIOUS_CARD,
    "Num+4": SpeechAction.PREVIOUS_CARD,
    "Num+Left": SpeechAction.PREVIOUS_CARD,
    # help, sound
    "F1": SpeechAction.HELP,
    "?": SpeechAction.HELP,
    "Num+*": SpeechAction.HELP,
    "+": SpeechAction.LOUDER,
    "=": SpeechAction.LOUDER,
    "Num++": SpeechAction.LOUDER,
    "Volume Up": SpeechAction.LOUDER,
    "-": SpeechAction.QUIETER,
    "Num+-": SpeechAction.QUIETER,
    "Volume Down": SpeechAction.QUIETER,
    "]": SpeechAction.FASTER,
    "[": SpeechAction.SLOWER,
    "F5": SpeechAction.REPEAT,
    "Num+.": SpeechAction.REPEAT,
    "Num+Del": SpeechAction.REPEAT,
    "Pause": SpeechAction.STOP,
    "Num+/": SpeechAction.STOP,
}


def starts_speech_mode(key: str) -> bool:
    """Whether ``key`` starts speech mode when it is off: a key of the numeric keypad
    (a blind patient's keypad, or one beside the screen), Help, or a volume key. The
    arrows, Tab, Enter and Space keep their usual work for a sighted keyboard user
    (WCAG 2.2 2.1.1) until speech mode is on; Tab is never speech mode's."""
    return key.startswith("Num+") or key in ("F1", "Volume Up", "Volume Down")


class KeymapError(KioskError):
    """A row of the key table names no action the kiosk has, or no key."""


# The names of keys without a character, as Qt writes them (QKeySequence's portable
# text: tests/test_speech_mode.py checks each reads back the same), with F1 to F35 and
# any one character a key types ("?", "+", "A": letters as capitals).
NAMED_KEYS = frozenset(
    {
        *("Esc", "Tab", "Backtab", "Backspace", "Return", "Enter", "Ins", "Del", "Space"),
        *("Pause", "Print", "SysReq", "Clear", "Home", "End", "Left", "Up", "Right", "Down"),
        *("PgUp", "PgDown", "CapsLock", "NumLock", "ScrollLock", "Menu", "Help", "Select"),
        *("Back", "Forward", "Stop", "Refresh", "Search", "Play", "Favorites", "Home Page"),
        *("Volume Down", "Volume Mute", "Volume Up", "Media Play", "Media Stop"),
        *("Media Previous", "Media Next", "Media Pause", "Toggle Media Play/Pause"),
        *(f"F{n}" for n in range(1, 36)),
    }
)
MODIFIERS = ("Shift+", "Ctrl+", "Alt+", "Meta+", "Num+")


def key_name_problem(name: str) -> str | None:
    """Why ``name`` is not a key as Qt names it ("Down", "Num+2", "Shift+F9"), with the
    closest names; None if it is one."""
    key = name  # without its modifiers: "Num++" is the keypad's plus
    while (mod := next((m for m in MODIFIERS if key.startswith(m)), "")) and key != mod:
        key = key[len(mod) :]
    if key in NAMED_KEYS or (len(key) == 1 and key.isprintable() and key != " "):
        if len(key) == 1 and key.isalpha() and key != key.upper():
            return f'"{name}" is written with a capital: "{name[:-1]}{key.upper()}"'
        return None
    import difflib  # only for a mistake in the settings

    close = difflib.get_close_matches(key, NAMED_KEYS, n=2, cutoff=0.6)
    prefix = name[: len(name) - len(key)]
    hint = " or ".join(f'"{prefix}{c}"' for c in close) if close else '"Down", "Num+2", "F9"'
    return f'"{name}" is not a key name; did you mean {hint}? (docs/SPEECH.md, "Other keypads")'


def keymap_with(changes: Mapping[str, str]) -> dict[str, SpeechAction]:
    """DEFAULT_KEYMAP with ``changes`` (key name -> action name; the action "none"
    takes a key away). KeymapError names the first row that names no action, and the
    actions there are; or the actions the changes left without any key."""
    keys = dict(DEFAULT_KEYMAP)
    for key, action in changes.items():
        if not key.strip():
            raise KeymapError("speech_keys: a key name is empty")
        if problem := key_name_problem(key):
            raise KeymapError(f"speech_keys: {problem}")
        if action == "none":
            keys.pop(key, None)
            continue
        try:
            keys[key] = SpeechAction(action)
        except ValueError:
            known = ", ".join(f'"{a.value}"' for a in SpeechAction)
            raise KeymapError(
                f'speech_keys: "{key}" = "{action}" is not an action; use one of {known}, or "none"'
            ) from None
    if lost := actions_without_a_key(keys):
        # A patient who cannot see must always have a way back, and every other way.
        names = ", ".join(f'"{a.value}"' for a in lost)
        raise KeymapError(
            f"speech_keys: no key is left for {names}; give each a key, or keep one of the "
            "kiosk's own (docs/SPEECH.md lists them)"
        )
    return keys


def actions_without_a_key(keys: Mapping[str, SpeechAction]) -> list[SpeechAction]:
    """The actions no key reaches (a table staff changed may leave one out)."""
    return [a for a in SpeechAction if a not in keys.values()]
