"""The studio's Publish dialog: what changed, then one button that validates, builds and
signs a pack into a folder (a USB stick), with a busy bar while it works.

What changed is said against the pack installed on this computer, if it has one
(kiosk.core.studio.changes); the build runs off the GUI thread (kiosk.core.studio.
publish); a key protected by a passphrase makes the dialog ask for it, and again if it
was wrong. Nothing is published from unsaved texts: the window saves first.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.pack import Pack
from kiosk.core.content.problems import Severity
from kiosk.core.errors import KioskError
from kiosk.core.packs.format import BuildError
from kiosk.core.packs.signing import PassphraseNeededError
from kiosk.core.studio.changes import Change, changes
from kiosk.core.studio.publish import publish
from kiosk.core.studio.published import LastPublished, last_published, remember_published
from kiosk.ui.studio.questions import FileDialogs

log = logging.getLogger("kiosk.studio")

AskPassphrase = Callable[[str], str | None]  # the key's problem -> a passphrase, or None


def describe_changes(before: Pack | None, after: Pack, since: str) -> str:
    """What publishing would change against ``before`` (``since``: what it is, "the
    pack installed on this computer"), in lines staff read before they publish."""
    found = changes(before, after)
    if before is None:
        return f"Nothing was published from this computer yet: all {len(found)} articles are new."
    if not found:
        return f"Nothing changed since {since}."
    lines = [f"Since {since}:"]
    for change in found:
        line = f"{change.change.value.capitalize()}: {change.locale} · {change.title}"
        if change.change is Change.CHANGED:
            parts = [f"{c.card} {c.change.value}" for c in change.cards]
            parts += [f"{d} changed" for d in change.details]
            line += f" ({'; '.join(parts)})"
        lines.append(line)
    return "\n".join(lines)


class _Worker(QObject):
    finished = Signal(object)  # the pack file written, or the error raised

    def run(
        self,
        folder: Path,
        key: Path,
        destination: Path,
        passphrase: str | None,
        above: int | None,
    ) -> None:
        def build() -> None:
            outcome: Path | Exception
            try:
                outcome = publish(folder, key, destination, passphrase=passphrase, above=above)
            except (KioskError, OSError) as err:
                outcome = err
            with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
                self.finished.emit(outcome)

        threading.Thread(target=build, daemon=True).start()


class PublishDialog(QDialog):
    published = Signal(Path)

    def __init__(
        self,
        folder: Path,
        summary: str,
        *,
        ask_passphrase: AskPassphrase,
        key: str = "",
        destination: str = "",
        state: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Publish")
        # Wide enough for a USB stick's path; as tall as its longest answer, from the start
        # (grown when the answer came, it moved the Publish button from under the mouse).
        self.setMinimumSize(640, 420)
        self.folder, self.state = folder, state
        # The content version of the pack this one follows, when articles changed since:
        # Publish raises pack.toml's past it. Known once the summary is worked out.
        self.above: int | None = None
        self._summarized = False
        # Said before anything is built, or "" (the studio on a kiosk: where a key and a
        # pack may be, and whether newer content came meanwhile; see on_kiosk).
        self.refuse: Callable[[Path, Path], str] | None = None
        self.keep_key = True  # remembered for the next Publish (never on a kiosk)
        self._waiting: tuple[str | None] | None = None  # a Publish clicked before it was
        self._ask = ask_passphrase
        self.summary = QLabel(summary, self)
        self.summary.setWordWrap(True)
        self.key = QLineEdit(key, self)
        self.key.setAccessibleName("Signing key file")
        self.destination = QLineEdit(destination, self)
        self.destination.setAccessibleName("Folder to publish to")
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # working: the build says nothing until it is done
        self.busy.hide()
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.publish_button = QPushButton("Publish", self)
        self.publish_button.clicked.connect(self._publish_clicked)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.close)
        self._worker = _Worker(self)
        self._worker.finished.connect(self._finished)
        self._layout()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("Signing key", _with_browse(self.key, self._browse_key))
        form.addRow("Publish to", _with_browse(self.destination, self._browse_folder))
        column = QVBoxLayout(self)
        column.addWidget(QLabel("What changes for patients:", self))
        column.addWidget(self.summary)
        column.addLayout(form)
        column.addWidget(self.busy)
        column.addWidget(self.verdict)
        column.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.publish_button, 1)
        buttons.addWidget(self.close_button)
        column.addLayout(buttons)

    def _publish_clicked(self) -> None:
        self.start(None)  # a passphrase is asked for only if the key has one

    def start(self, passphrase: str | None) -> None:
        """Validate, build and sign, off the GUI thread (``finished`` says how it went)."""
        if not self.key.text().strip() or not self.destination.text().strip():
            self.verdict.setText("Choose the signing key file and the folder to publish to.")
            return
        key, destination = Path(self.key.text()), Path(self.destination.text())
        if self.refuse is not None and (refused := self.refuse(key, destination)):
            self.verdict.setText(f"Not published: {refused}")
            return
        self.publish_button.setEnabled(False)
        self.busy.show()
        if not self._summarized:  # the version to raise past is not known yet
            self._waiting = (passphrase,)
            self.verdict.setText("Working out what changes...")
            return
        self.verdict.setText("Checking, building and signing...")
        self._worker.run(self.folder, key, destination, passphrase, self.above)

    def _finished(self, outcome: object) -> None:
        self.busy.hide()
        self.publish_button.setEnabled(True)
        if isinstance(outcome, Path):
            self.verdict.setText(f"Published: {outcome}{_version_words(self.folder)}")
            self._remember(outcome)
            self.published.emit(outcome)
        elif isinstance(outcome, PassphraseNeededError):
            key = Path(self.key.text()).name
            wrong = "not this key's" in str(outcome)
            passphrase = self._ask(
                f"That passphrase is not {key}'s"
                if wrong
                else f"The signing key {key} is protected by a passphrase"
            )
            if passphrase:
                self.start(passphrase)
            else:
                self.verdict.setText("Not published: the key's passphrase is needed.")
        elif isinstance(outcome, BuildError):  # which errors, not only how many
            errors = [str(p) for p in outcome.problems if p.severity is Severity.ERROR]
            self.verdict.setText("Not published: fix these first:\n" + "\n".join(errors[:5]))
        else:  # the others say what and where
            self.verdict.setText(f"Not published: {outcome}")

    def summarized(self, text: str, above: int | None) -> None:
        """The summary worked out (see summarize)."""
        self.summary.setText(text)
        self.above, self._summarized = above, True
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self.start(*waiting)

    def _remember(self, pack: Path) -> None:
        """This Publish, for the next one's summary and choices."""
        if self.state is None:
            return
        try:
            remember_published(
                self.state,
                self.folder,
                pack,
                Path(self.key.text()) if self.keep_key else None,
                Path(self.destination.text()),
                datetime.now(UTC),
            )
        except OSError as err:
            log.warning("what was published cannot be remembered: %s", err)

    def _browse_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Signing key", self.key.text() or FileDialogs.start, options=FileDialogs.options
        )
        if path:
            self.key.setText(path)

    def _browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, "Publish to", self.destination.text(), options=FileDialogs.options
        )
        if path:
            self.destination.setText(path)


def _version_words(folder: Path) -> str:
    from kiosk.core.content.packinfo import read_pack_info
    from kiosk.core.content.problems import ProblemList

    info = read_pack_info(folder, ProblemList([], "pack.toml"))  # a small file, just built
    return f" (content version {info.version})" if info is not None else ""


def _with_browse(edit: QLineEdit, browse: Callable[[], None]) -> QWidget:
    holder = QWidget(edit.parentWidget())
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    button = QPushButton("Browse...", holder)
    button.clicked.connect(browse)
    row.addWidget(button)
    return holder


def installed_pack(config_file: Path | None = None) -> Pack | None:
    """The pack installed on this computer (the store of ``config_file``, the default
    kiosk.toml if None, with the keys it trusts), or None: a staff laptop has none, a
    kiosk has one."""
    from kiosk.core.config import ConfigError, load_config
    from kiosk.core.packs.source import from_store
    from kiosk.core.packs.store import Store

    try:
        config = load_config(config_file)
        choice = from_store(Store(config.store_dir), config.trusted_keys)
    except (ConfigError, KioskError, OSError):
        return None
    return choice.pack if choice is not None else None


def summarize(
    folder: Path, last: LastPublished | None, config_file: Path | None = None
) -> tuple[str, int | None]:
    """What publishing ``folder`` would change for patients (reads every article):
    against the pack installed on this computer (a kiosk's), else, on a kiosk (its
    ``config_file`` given), against the content it came with, else against ``last``,
    what was last published from it here. With it, that pack's content version when
    articles changed since (Publish raises the new pack's past it), else None."""
    from kiosk.core.content.loader import load_pack

    current = load_pack(folder).pack
    if current is None:
        return "The content has errors (see the problems): fix them before publishing.", None
    before, since = _before(last, config_file)
    said = describe_changes(before, current, since)
    changed = before is not None and bool(changes(before, current))
    return said, before.info.version if changed and before is not None else None


def _before(last: LastPublished | None, config_file: Path | None) -> tuple[Pack | None, str]:
    """The pack a Publish follows, and what it is in words (see summarize)."""
    from kiosk.core.content.loader import load_pack

    installed = installed_pack(config_file)
    if installed is not None:
        return installed, "the pack installed on this computer"
    if config_file is not None:  # a kiosk that shows the content it came with
        from kiosk.resources import bundled_content

        return load_pack(bundled_content()).pack, "the content this kiosk came with"
    if last is None:
        return None, ""
    before = load_pack(last.copy).pack if last.copy is not None else None
    when = f"{last.when.astimezone():%d %B %Y at %H:%M}"
    return before, f"the pack published from here on {when} ({last.pack})"


class _Summary(QObject):
    done = Signal(str, object)  # the words, the version to raise past (int or None)

    def run(self, folder: Path, last: LastPublished | None, config_file: Path | None) -> None:
        def work() -> None:
            said: tuple[str, int | None]
            try:
                said = summarize(folder, last, config_file)
            except (KioskError, OSError) as err:
                said = f"What changes cannot be said ({err}).", None
            with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
                self.done.emit(*said)

        threading.Thread(target=work, daemon=True).start()


def open_publish(
    parent: QWidget,
    folder: Path,
    ask_passphrase: AskPassphrase,
    state: Path,
    config_file: Path | None = None,
) -> PublishDialog:
    """The dialog for ``folder`` (saved); what would change for patients is worked out
    off the GUI thread. It keeps the window's input while it is open: the summary is
    of the texts as saved. ``state``: the studio's folder, where the last Publish from
    this computer is remembered (kiosk.core.studio.published); ``config_file``: the
    kiosk.toml of the kiosk the studio runs on, if not the default one."""
    last = last_published(state, folder)
    dialog = PublishDialog(
        folder,
        "Working out what changes...",
        ask_passphrase=ask_passphrase,
        key=last.key if last is not None else "",
        destination=last.destination if last is not None else "",
        state=state,
        parent=parent,
    )
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    summary = _Summary(dialog)
    summary.done.connect(dialog.summarized)
    summary.run(folder, last, config_file)
    dialog.show()
    return dialog
