"""Earcons (issue 15): short sounds for move, choose, the end of the list and "nothing
here", made locally and played by the real speech-dispatcher through the same output as
the speech, before the words (kiosk.core.speech.earcons, kiosk.core.speech.sound_icons).

What reached the engine is read from speech-dispatcher's own log: the sound icon queued
before the text, and its espeak-ng module playing the file (a sound icon it cannot find
is spoken as its name, which a patient must never hear)."""

from __future__ import annotations

import io
import logging
import time
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.speech.earcons import (
    PEAK,
    RATE_HZ,
    Earcon,
    configured_folder,
    folder_configured,
    folder_line,
    wav_bytes,
    write_earcons,
)
from kiosk.core.speech.ssip import server_address
from kiosk.ui.assembly import KioskParts
from kiosk.ui.system.speech import Speaker
from kiosk.ui.theme import Theme

from speech_server import earcons_folder, heard, played, queued, sounds

REPO = Path(__file__).resolve().parents[1]
LONGEST_S = 0.25  # an earcon must not hold the words back noticeably

# --- the sounds ---------------------------------------------------------------------------


@pytest.mark.parametrize("earcon", list(Earcon))
def test_each_earcon_is_a_short_quiet_wav_that_starts_and_ends_in_silence(earcon: Earcon) -> None:
    with wave.open(io.BytesIO(wav_bytes(earcon))) as file:
        assert (file.getnchannels(), file.getsampwidth(), file.getframerate()) == (1, 2, RATE_HZ)
        frames = file.readframes(file.getnframes())
        seconds = file.getnframes() / RATE_HZ
    samples = memoryview(frames).cast("h")
    assert 0.02 < seconds <= LONGEST_S
    assert max(abs(s) for s in samples) <= PEAK * 32_767 + 1  # under the voice
    # A tone that starts or stops at full swing clicks: the ends fade.
    assert abs(samples[0]) < 200 and abs(samples[-1]) < 200


def test_the_four_earcons_sound_different() -> None:
    assert len({wav_bytes(earcon) for earcon in Earcon}) == len(Earcon)


def test_writing_the_earcons_leaves_files_that_are_already_right_alone(tmp_path: Path) -> None:
    folder = tmp_path / "earcons"
    write_earcons(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(e.value for e in Earcon)
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    (folder / Earcon.MOVE.value).write_bytes(b"damaged")
    time.sleep(0.01)
    write_earcons(folder)
    assert (folder / Earcon.MOVE.value).read_bytes() == wav_bytes(Earcon.MOVE)
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert {n for n in stamps if stamps[n] != after[n]} == {Earcon.MOVE.value}


# --- which folder speech-dispatcher plays them from -------------------------------------------


@pytest.mark.parametrize(
    ("conf", "folder"),
    [
        ('EspeakSoundIconFolder "/a/b/"\n', "/a/b/"),
        ('# EspeakSoundIconFolder "/old/"\n', None),
        ('EspeakSoundIconFolder "/first/"\nEspeakSoundIconFolder "/last/"\n', "/last/"),
        ('  EspeakSoundIconFolder   "/x y/"  # spaces\n', "/x y/"),
        ('EspeakSoundIconFolder ""\n', None),
        ("", None),
    ],
)
def test_the_folder_is_read_as_speech_dispatcher_reads_it(conf: str, folder: str | None) -> None:
    assert configured_folder(conf) == folder


def test_only_a_line_that_names_our_folder_with_its_slash_is_ours(tmp_path: Path) -> None:
    """speech-dispatcher joins the folder and the icon's name as they are: without the
    final "/" it looks for ".../earconskiosk-move.wav", and says the name instead."""
    conf = tmp_path / "espeak-ng.conf"
    conf.write_text('EspeakSoundIconFolder "/usr/share/sounds/sound-icons/"\n', "utf-8")
    assert not folder_configured(conf, tmp_path / "earcons")
    assert not folder_configured(tmp_path / "missing.conf", tmp_path / "earcons")
    conf.write_text(f'EspeakSoundIconFolder "{tmp_path}/earcons"\n', "utf-8")
    assert not folder_configured(conf, tmp_path / "earcons")
    conf.write_text(folder_line(tmp_path / "earcons") + "\n", "utf-8")
    assert folder_configured(conf, tmp_path / "earcons")


def test_the_file_setup_writes_is_one_the_kiosk_plays_from(tmp_path: Path) -> None:
    """deploy/espeak-ng.conf as setup-kiosk.sh fills it in for the kiosk user's home."""
    home = tmp_path / "home" / "kiosk"
    template = (REPO / "deploy" / "espeak-ng.conf").read_text("utf-8")
    conf = tmp_path / "espeak-ng.conf"
    conf.write_text(
        template.replace("@EARCONS@", f"{home}/.local/share/clinic-kiosk/earcons"), "utf-8"
    )
    assert folder_configured(conf, home / ".local" / "share" / "clinic-kiosk" / "earcons")


# --- where speech-dispatcher is --------------------------------------------


def test_the_address_is_found_as_libspeechd_finds_it(tmp_path: Path) -> None:
    assert server_address({"SPEECHD_ADDRESS": "unix_socket:/s/sock"}) == Path("/s/sock")
    assert server_address({"SPEECHD_ADDRESS": "inet_socket:127.0.0.1:6560"}) is None
    assert server_address({"XDG_RUNTIME_DIR": "/run/user/7"}) == Path(
        "/run/user/7/speech-dispatcher/speechd.sock"
    )
    assert server_address({"HOME": "/home/k"}) == Path(
        "/home/k/.cache/speech-dispatcher/speechd.sock"
    )


# --- speech mode, heard through the real speech-dispatcher ---------------------------------------


def _kiosk(qtbot: QtBot, pack: Pack, theme: Theme, pin_hash: str) -> KioskParts:
    from conftest import make_kiosk

    return make_kiosk(qtbot, pack, theme, pin_hash, make_speaker=lambda: Speaker())


def _press(qtbot: QtBot, k: KioskParts, log: Path, key: Qt.Key) -> list[str]:
    """What was queued after ``key``: earcons and texts, in order."""
    before = len(heard(log))
    count = len(queued(log))
    qtbot.keyClick(k.window, key)
    qtbot.waitUntil(lambda: len(heard(log)) > before, timeout=20_000)
    # At a patient's pace: its earcon played before the next key (a key pressed sooner
    # stops it, as it stops the words).
    qtbot.waitUntil(lambda: len(played(log)) >= len(sounds(log)), timeout=10_000)
    return queued(log)[count:]


def test_each_kind_of_key_is_heard_as_its_earcon_before_its_words(
    qtbot: QtBot,
    transcript: Path,
    speech_home: Path,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
) -> None:
    k = _kiosk(qtbot, bundled_pack, theme, pin_hash)
    k.speech_mode.start()
    qtbot.waitUntil(lambda: len(heard(transcript)) > 0, timeout=20_000)

    moved = _press(qtbot, k, transcript, Qt.Key.Key_Down)
    assert moved[0] == Earcon.MOVE.value and moved[-1] == heard(transcript)[-1]
    assert _press(qtbot, k, transcript, Qt.Key.Key_Up)[0] == Earcon.MOVE.value  # the first
    # Up from the first thing: to the last, after the end's sound; Down: the first again.
    wrapped = _press(qtbot, k, transcript, Qt.Key.Key_Up)
    assert wrapped[0] == Earcon.END.value, wrapped
    assert _press(qtbot, k, transcript, Qt.Key.Key_Down)[0] == Earcon.END.value
    # The welcome screen's heading chooses nothing.
    nothing = _press(qtbot, k, transcript, Qt.Key.Key_Return)
    assert nothing[0] == Earcon.NOTHING.value, nothing
    while not heard(transcript)[-1].startswith("Start / Empezar"):
        _press(qtbot, k, transcript, Qt.Key.Key_Down)
    chosen = _press(qtbot, k, transcript, Qt.Key.Key_Return)
    assert chosen[0] == Earcon.CHOOSE.value, chosen
    assert k.window.stack.currentWidget() is k.window.home
    # The next card's key where no article is open does nothing: said so, after its sound.
    assert _press(qtbot, k, transcript, Qt.Key.Key_Right)[0] == Earcon.NOTHING.value

    # The module found each file and played it: none was spoken as its name.
    qtbot.waitUntil(lambda: len(played(transcript)) >= len(sounds(transcript)), timeout=10_000)
    assert played(transcript) == sounds(transcript)
    assert set(played(transcript)) == {e.value for e in Earcon}
    assert not any("kiosk-" in text for text in heard(transcript))
    assert sorted(p.name for p in earcons_folder(speech_home).iterdir()) == sorted(
        e.value for e in Earcon
    )


def test_where_speech_dispatcher_would_speak_their_names_no_earcon_is_sent(
    qtbot: QtBot,
    transcript: Path,
    speech_home: Path,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A speech-dispatcher set up by hand, without the kiosk's module configuration:
    its espeak-ng module would say "kiosk move wav" at every key. The kiosk plays none,
    and says why in its log, once."""
    (speech_home / "config" / "speech-dispatcher" / "modules" / "espeak-ng.conf").unlink()
    k = _kiosk(qtbot, bundled_pack, theme, pin_hash)
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        k.speech_mode.start()
        qtbot.waitUntil(lambda: len(heard(transcript)) > 0, timeout=20_000)
        for _ in range(3):
            _press(qtbot, k, transcript, Qt.Key.Key_Down)
    assert sounds(transcript) == []
    warnings = [r.getMessage() for r in caplog.records if "earcons are off" in r.getMessage()]
    assert len(warnings) == 1 and "EspeakSoundIconFolder" in warnings[0], warnings
