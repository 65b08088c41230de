"""The content studio's details form (kiosk.ui.studio.details) covers every front matter
key staff write, never YAML: aliases and related articles as chips, the crisis message
from the pack's list, sources as rows, the take-home address. Alone, each change is one
``changed(key, value)``; in the studio window, saving changes only those keys' lines,
and the validator accepts the file."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from studio_helpers import MakeStudio, choose

from kiosk.core.content.frontmatter_edit import front_matter_values
from kiosk.core.content.packinfo import PACK_FILE, parse_pack_info
from kiosk.core.content.problems import Problem, ProblemList
from kiosk.core.studio.articles import open_article, titles_in
from kiosk.core.studio.document import ArticleDocument
from kiosk.ui.studio.details import DetailsForm
from kiosk.ui.studio.details_sources import PAUSE_MS, source_parts, source_text

from conftest import CONTENT, validate_folder

pytestmark = pytest.mark.gui

RATE = Path("en") / "terms" / "heart-rate.md"
HARM = Path("en") / "topics" / "harm-reduction-therapy.md"
CDC = "https://www.cdc.gov/heart-disease/"


def choices(folder: Path, article: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """What the window offers for ``article``: the other articles of its language, and
    pack.toml's crisis messages in that language."""
    language = (folder / article).parent.parent
    related = [c for c in titles_in(language) if c[0] != article.stem]
    problems: list[Problem] = []
    info = parse_pack_info(
        (folder / PACK_FILE).read_bytes(), folder / PACK_FILE, ProblemList(problems, "")
    )
    assert info is not None, problems
    crises = [(name, texts.get(language.name, "")) for name, texts in info.crisis.items()]
    return related, crises


def fields_of(article: Path) -> dict[str, Any]:
    return ArticleDocument(open_article(CONTENT / article)).fields()


class Seen:
    """What the form emitted, as (key, value)."""

    def __init__(self, form: DetailsForm) -> None:
        self.changes: list[tuple[str, object]] = []
        form.changed.connect(self.record)

    def record(self, key: str, value: object) -> None:
        self.changes.append((key, value))

    def take(self) -> list[tuple[str, object]]:
        changes, self.changes = self.changes, []
        return changes


def named(parent: QWidget, name: str) -> QWidget:
    """The one shown widget of ``parent`` with accessible name ``name``."""
    found = [
        w
        for w in parent.findChildren(QWidget)
        if w.accessibleName() == name and w.isVisibleTo(parent)  # not one removed
    ]
    assert len(found) == 1, (name, found)
    return found[0]


def line_edit(parent: QWidget, name: str) -> QLineEdit:
    found = named(parent, name)
    assert isinstance(found, QLineEdit)
    return found


def click(qtbot: QtBot, parent: QWidget, name: str) -> None:
    button = named(parent, name)
    assert isinstance(button, QAbstractButton) and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def form(qtbot: QtBot) -> DetailsForm:
    made = DetailsForm()
    qtbot.addWidget(made)
    made.offer(*choices(CONTENT, RATE))
    made.fill(fields_of(RATE))
    made.resize(560, 700)
    made.show()
    qtbot.waitExposed(made)
    return made


def test_filling_shows_every_field_and_emits_nothing(qtbot: QtBot, form: DetailsForm) -> None:
    with qtbot.assertNotEmitted(form.changed):
        form.fill(fields_of(HARM))
        form.offer(*choices(CONTENT, HARM))
        form.fill(fields_of(RATE))
    for name in ("Remove alias pulse", "Remove alias BPM", "Remove related article Heart Block"):
        assert named(form, name).isVisible()
    assert line_edit(form, "Source 2 organisation").text() == (
        "MedlinePlus (U.S. National Library of Medicine)"
    )
    assert line_edit(form, "Source 2 web address").text() == ""
    assert line_edit(form, "Take-home web address").text() == ""
    crisis = named(form, "Crisis message")
    assert isinstance(crisis, QComboBox) and crisis.currentText() == "None"
    assert not crisis.isEnabled()  # heart-rate is not sensitive


def test_aliases_are_chips_added_from_the_box_and_removed_by_their_button(
    qtbot: QtBot, form: DetailsForm
) -> None:
    seen = Seen(form)
    box = line_edit(form, "New alias")
    qtbot.keyClicks(box, "  ticker ")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    aliases = ("pulse", "heartbeat", "pulse rate", "beats per minute", "BPM", "ticker")
    assert seen.take() == [("aliases", aliases)]
    assert box.text() == "" and named(form, "Remove alias ticker").isVisible()
    qtbot.keyClicks(box, "Pulse")  # there already, whatever its capitals
    click(qtbot, form, "Add alias")
    click(qtbot, form, "Remove alias pulse rate")
    assert seen.take() == [("aliases", tuple(a for a in aliases if a != "pulse rate"))]
    # The keyboard stays in the list: on the chip that took the removed one's place.
    assert form.focusWidget() is named(form, "Remove alias beats per minute")


def test_removing_the_last_alias_removes_the_key(qtbot: QtBot, form: DetailsForm) -> None:
    form.fill({**fields_of(RATE), "aliases": ["pulse"]})
    seen = Seen(form)
    click(qtbot, form, "Remove alias pulse")
    assert seen.take() == [("aliases", None)]
    assert form.focusWidget() is named(form, "New alias")


def test_related_articles_are_chosen_from_the_language_s_articles(
    qtbot: QtBot, form: DetailsForm
) -> None:
    seen = Seen(form)
    picker = named(form, "Article to suggest")
    assert isinstance(picker, QComboBox)
    offered = [picker.itemText(i) for i in range(picker.count())]
    assert "Hypertension" in offered and "Heart Rate" not in offered  # not itself
    assert "Frecuencia cardíaca" not in offered  # another language's
    click(qtbot, form, "Add related article")  # none chosen yet: nothing added
    picker.setCurrentIndex(picker.findText("Hypertension"))
    click(qtbot, form, "Add related article")
    related = ("heart-block", "heart-attack", "heart-failure", "hypertension")
    assert seen.take() == [("related", related)]
    click(qtbot, form, "Remove related article Heart Attack")
    assert seen.take() == [("related", ("heart-block", "heart-failure", "hypertension"))]


def test_the_crisis_message_is_chosen_only_for_a_sensitive_article(
    qtbot: QtBot, form: DetailsForm
) -> None:
    seen = Seen(form)
    crisis = named(form, "Crisis message")
    assert isinstance(crisis, QComboBox) and not crisis.isEnabled()
    assert [crisis.itemText(i) for i in range(crisis.count())] == [
        "None",
        "overdose",
        "mental-health",
    ]
    click(qtbot, form, "Sensitive")
    assert seen.take() == [("sensitive", True)] and crisis.isEnabled()
    crisis.setFocus()
    qtbot.keyClick(crisis, Qt.Key.Key_Down)
    assert seen.take() == [("crisis", "overdose")]
    message = named(form, "Crisis message patients see")
    assert isinstance(message, QLabel) and "overdosing" in message.text()
    # Crisis help shows only on a sensitive article: unticked, the crisis goes too.
    click(qtbot, form, "Sensitive")
    assert seen.take() == [("sensitive", False), ("crisis", None)]
    assert not crisis.isEnabled() and crisis.currentText() == "None"


def test_a_crisis_the_pack_does_not_have_is_shown_to_be_changed(form: DetailsForm) -> None:
    form.fill({**fields_of(HARM), "crisis": "violence"})
    crisis = named(form, "Crisis message")
    assert isinstance(crisis, QComboBox) and crisis.isEnabled()
    assert crisis.currentText() == "violence (not in pack.toml)"


def test_sources_are_rows_written_when_typing_pauses_or_ends(
    qtbot: QtBot, form: DetailsForm
) -> None:
    seen = Seen(form)
    click(qtbot, form, "Add source")
    organisation = line_edit(form, "Source 3 organisation")
    assert form.focusWidget() is organisation and seen.take() == []  # an empty row: nothing
    qtbot.keyClicks(organisation, "CDC")
    assert seen.take() == []  # not at every key
    with qtbot.waitSignal(form.changed, timeout=PAUSE_MS * 5):
        pass  # typing paused
    kept = ("American Heart Association", "MedlinePlus (U.S. National Library of Medicine)")
    assert seen.take() == [("sources", (*kept, "CDC"))]
    address = line_edit(form, "Source 3 web address")
    qtbot.keyClicks(address, "www.cdc.gov")
    qtbot.keyClick(address, Qt.Key.Key_Return)
    assert seen.take() == [("sources", (*kept, "CDC: www.cdc.gov"))]
    problem = named(form, "Web address problem")
    assert isinstance(problem, QLabel) and "https://" in problem.text()
    address.setText(CDC)
    qtbot.keyClick(address, Qt.Key.Key_Return)
    assert seen.take() == [("sources", (*kept, f"CDC: {CDC}"))]
    assert problem.isHidden()
    click(qtbot, form, "Remove source 1")
    assert seen.take() == [("sources", (kept[1], f"CDC: {CDC}"))]
    assert line_edit(form, "Source 2 organisation").text() == "CDC"  # numbered again
    click(qtbot, form, "Remove source 2")
    click(qtbot, form, "Remove source 1")
    assert seen.take() == [("sources", (kept[1],)), ("sources", None)]


def test_a_source_with_an_address_reads_back_into_its_two_boxes() -> None:
    for organisation, address in (
        ("CDC", CDC),
        ("NHLBI (National Heart, Lung, and Blood Institute)", "https://www.nhlbi.nih.gov/"),
        ("", CDC),
        ("NHS", ""),
    ):
        assert source_parts(source_text(organisation, address)) == (organisation, address)
    assert source_text("  ", "  ") == ""
    # Every bundled source is an organisation alone, as written.
    for path in sorted(CONTENT.glob("*/*/*.md")):
        sources = front_matter_values(path.read_text("utf-8")).get("sources")
        assert isinstance(sources, list) and sources, path
        for source in sources:
            assert source_parts(source) == (source, "")


def test_the_take_home_address_is_written_when_typing_ends(qtbot: QtBot, form: DetailsForm) -> None:
    seen = Seen(form)
    url = line_edit(form, "Take-home web address")
    qtbot.keyClicks(url, CDC)
    qtbot.keyClick(url, Qt.Key.Key_Return)
    qtbot.keyClick(url, Qt.Key.Key_Return)  # the same again: nothing to write
    url.clear()
    qtbot.keyClick(url, Qt.Key.Key_Return)
    assert seen.take() == [("url", CDC), ("url", None)]


def test_a_problem_s_key_puts_the_cursor_in_its_field(form: DetailsForm) -> None:
    form.fill(fields_of(HARM))
    for key, name in (
        ("aliases", "New alias"),
        ("related", "Article to suggest"),
        ("crisis", "Crisis message"),
        ("sources", "Source 1 organisation"),
        ("url", "Take-home web address"),
        ("review_due", "Review due"),
        ("kind", "Kind"),
        ("no-such-key", "Title"),
    ):
        form.focus(key)
        assert form.focusWidget() is named(form, name), key
    form.fill(fields_of(RATE))  # not sensitive: the crisis choice is off, Sensitive is not
    form.focus("crisis")
    assert form.focusWidget() is named(form, "Sensitive")


def tab_order(form: DetailsForm) -> list[str]:
    """The accessible names Tab goes through, from the title on."""
    names: list[str] = []
    widget: QWidget | None = named(form, "Title")
    for _ in range(200):
        assert widget is not None
        proxied = isinstance(widget.parentWidget(), QAbstractSpinBox)  # a date's own box
        stop = widget.isVisible() and widget.isEnabled() and not proxied
        if stop and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            names.append(widget.accessibleName())
        widget = widget.nextInFocusChain()
        if widget is named(form, "Title"):
            break
    return names


def test_every_control_has_a_name_and_tab_goes_down_the_form(
    qtbot: QtBot, form: DetailsForm
) -> None:
    for widget in form.findChildren(QWidget):
        control = isinstance(widget, QLineEdit | QComboBox | QAbstractButton | QAbstractSpinBox)
        if control and not isinstance(widget.parentWidget(), QAbstractSpinBox):
            assert widget.accessibleName(), widget
    qtbot.keyClicks(line_edit(form, "New alias"), "ticker")
    click(qtbot, form, "Add alias")
    click(qtbot, form, "Add source")
    order = tab_order(form)
    expected = [
        "Title",
        "Summary",
        "Urgent",
        "Kind",
        *(f"Remove alias {a}" for a in ("pulse", "heartbeat", "pulse rate")),
        *(f"Remove alias {a}" for a in ("beats per minute", "BPM", "ticker")),
        "New alias",
        "Add alias",
        *(f"Remove related article {t}" for t in ("Heart Block", "Heart Attack", "Heart Failure")),
        "Article to suggest",
        "Add related article",
        "Sensitive",
        "Reviewed on",
        "Review due",
        *(f"Source {n} {part}" for n in (1, 2, 3) for part in ("organisation", "web address")),
        "Add source",
        "Take-home web address",
    ]
    # The Remove buttons of source rows come after each row's boxes.
    assert [n for n in order if not n.startswith("Remove source")] == expected
    assert order.index("Remove source 3") == order.index("Source 3 web address") + 1


def changed_keys(before: str, after: str) -> set[str]:
    """The front matter keys of the lines that differ."""
    lines = difflib.ndiff(before.splitlines(), after.splitlines())
    return {line[2:].split(":", 1)[0] for line in lines if line[:2] in ("- ", "+ ")}


def test_the_studio_writes_each_list_into_its_own_line(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    before = (folder / RATE).read_text("utf-8")
    window = studios(folder)
    choose(window, RATE)
    details = window.details
    details.offer(*choices(folder, RATE))
    window.go_to_line(5)  # the aliases line, as a problem there would
    assert details.focusWidget() is named(details, "New alias")
    click(qtbot, details, "Remove alias BPM")
    qtbot.keyClicks(line_edit(details, "New alias"), "ticker")
    click(qtbot, details, "Add alias")
    picker = named(details, "Article to suggest")
    assert isinstance(picker, QComboBox)
    picker.setCurrentIndex(picker.findData("hypertension"))
    click(qtbot, details, "Add related article")
    click(qtbot, details, "Add source")
    qtbot.keyClicks(line_edit(details, "Source 3 organisation"), "CDC")
    qtbot.keyClick(line_edit(details, "Source 3 organisation"), Qt.Key.Key_Tab)
    qtbot.keyClicks(line_edit(details, "Source 3 web address"), CDC)
    qtbot.keyClick(line_edit(details, "Source 3 web address"), Qt.Key.Key_Return)
    url = line_edit(details, "Take-home web address")
    qtbot.keyClicks(url, "https://medlineplus.gov/ency/article/003399.htm")
    qtbot.keyClick(url, Qt.Key.Key_Return)
    assert window.save()
    after = (folder / RATE).read_text("utf-8")
    assert changed_keys(before, after) == {"aliases", "related", "sources", "url"}
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]  # the text as it was
    fields = front_matter_values(after)
    assert fields["aliases"] == ["pulse", "heartbeat", "pulse rate", "beats per minute", "ticker"]
    assert fields["related"] == ["heart-block", "heart-attack", "heart-failure", "hypertension"]
    assert fields["sources"] == [
        "American Heart Association",
        "MedlinePlus (U.S. National Library of Medicine)",
        f"CDC: {CDC}",
    ]
    assert fields["url"] == "https://medlineplus.gov/ency/article/003399.htm"
    result = validate_folder(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings: OK" in result.stdout, result.stdout


def test_the_studio_writes_the_crisis_of_a_sensitive_article(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    harm = (folder / HARM).read_text("utf-8")
    rate = (folder / RATE).read_text("utf-8")
    window = studios(folder)
    choose(window, HARM)
    window.details.offer(*choices(folder, HARM))
    crisis = named(window.details, "Crisis message")
    crisis.setFocus()
    qtbot.keyClick(crisis, Qt.Key.Key_Down)  # overdose -> mental-health
    assert window.save()
    assert changed_keys(harm, (folder / HARM).read_text("utf-8")) == {"crisis"}
    choose(window, RATE)
    window.details.offer(*choices(folder, RATE))
    click(qtbot, window.details, "Sensitive")
    qtbot.keyClick(named(window.details, "Crisis message"), Qt.Key.Key_Down)
    assert window.save()
    assert changed_keys(rate, (folder / RATE).read_text("utf-8")) == {"sensitive", "crisis"}
    assert front_matter_values((folder / RATE).read_text("utf-8"))["crisis"] == "overdose"
    result = validate_folder(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings: OK" in result.stdout, result.stdout


def test_the_window_offers_its_languages_articles_and_crisis_messages(
    studios: MakeStudio, folder: Path
) -> None:
    """Opened in the studio, the form can suggest every other article of the language
    and says the pack's crisis message in the article's own language."""
    window = studios(folder)
    choose(window, Path("es") / "topics" / "harm-reduction-therapy.md")
    details = window.details
    assert len(details.related.titles) == 13  # the 14 Spanish articles but itself
    assert "harm-reduction-therapy" not in details.related.titles
    assert details.crisis.box.currentText().startswith("overdose")
    assert details.crisis.message.text().startswith("Patients see:")
    assert "911" in details.crisis.message.text()
    assert window.current is not None and not window.current.dirty
