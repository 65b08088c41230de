"""docs/SPEECH.md says what speech mode does: its key table is the kiosk's key map,
and what it quotes the kiosk says."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.speech.keymap import DEFAULT_KEYMAP, SpeechAction
from kiosk.core.speech.volume import DEFAULT_VOLUME_STEP, VOLUME_STEPS_DB

GUIDE = (Path(__file__).resolve().parents[1] / "docs" / "SPEECH.md").read_text("utf-8")

# Each row of the guide's key table, and the keys of the map it stands for.
ROWS = {
    "Next thing on the screen": (SpeechAction.NEXT, ["Num+2", "Num+Down", "Down"]),
    "Previous thing": (SpeechAction.PREVIOUS, ["Num+8", "Num+Up", "Up"]),
    "Choose": (SpeechAction.ACTIVATE, ["Num+5", "Num+Enter", "Return", "Space"]),
    "Back": (SpeechAction.BACK, ["Num+0", "Num+Ins", "Backspace", "Esc"]),
    "Next card of an article": (SpeechAction.NEXT_CARD, ["Num+6", "Num+Right", "Right"]),
    "Previous card": (SpeechAction.PREVIOUS_CARD, ["Num+4", "Num+Left", "Left"]),
    "Help (press again for more)": (SpeechAction.HELP, ["Num+*", "F1", "?"]),
    "Louder": (SpeechAction.LOUDER, ["Num++", "+", "=", "Volume Up"]),
    "Quieter": (SpeechAction.QUIETER, ["Num+-", "-", "Volume Down"]),
    "Repeat what was just read": (SpeechAction.REPEAT, ["Num+.", "Num+Del", "F5"]),
    "Stop talking": (SpeechAction.STOP, ["Num+/", "Pause"]),
}


def test_the_guide_s_key_table_is_the_key_map() -> None:
    for row, (action, keys) in ROWS.items():
        assert f"| {row} |" in GUIDE, row
        assert [k for k in keys if DEFAULT_KEYMAP.get(k) is not action] == [], row
    assert DEFAULT_KEYMAP["]"] is SpeechAction.FASTER and DEFAULT_KEYMAP["["] is SpeechAction.SLOWER
    assert "| Faster / slower | | ] / [ |" in GUIDE


def test_the_volume_the_guide_gives_is_the_kiosk_s() -> None:
    assert f"{-VOLUME_STEPS_DB[0]:.0f} dB below the loudest" in GUIDE
    assert f"starts {-VOLUME_STEPS_DB[DEFAULT_VOLUME_STEP]:.0f} dB below the loudest" in GUIDE


def test_what_the_guide_quotes_the_kiosk_says() -> None:
    from kiosk.ui.speech_mode.phrases import welcome

    assert f'"{welcome()}"' in " ".join(GUIDE.split())
