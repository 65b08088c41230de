"""Pictures are pictures from inside the pack, and no card stalls the screen (issue 13,
item 2).

Validate and build decode every picture in the format its name says, within a size a
kiosk can show; the kiosk decodes again, off the GUI thread, in that format only. Cards
are short enough, and long words broken, so that laying one out is quick.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from picture_files import huge_png, png_parts
from PIL import Image
from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QScrollArea

from kiosk.core.content.loader import load_pack
from kiosk.core.content.pictures import MAX_SIDE_PX, PictureError, check_picture
from kiosk.core.content.problems import Severity
from kiosk.ui.widgets.pictures import PictureLoader, decode
from kiosk.ui.widgets.textview import CardText

from helpers import STALL_BOUND_MS

PACK_TOML = (
    'id = "test-pack"\ntitle = "Test pack"\nversion = 1\nlocales = ["en"]\ndefault_locale = "en"\n'
)


def png(width: int, height: int, colour: tuple[int, int, int] = (20, 160, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, "JPEG", quality=80)
    return out.getvalue()


def svg_pulling_in(target: Path) -> bytes:
    """An SVG that draws another file of the disk, by absolute path, over itself."""
    return (
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="300">'
        f'<image xlink:href="{target}" x="0" y="0" width="400" height="300"/></svg>'
    ).encode()


def animated_png(frames: int) -> bytes:
    out = io.BytesIO()
    images = [Image.new("RGB", (8, 8), (i % 256, 0, 0)) for i in range(frames)]
    images[0].save(out, "PNG", save_all=True, append_images=images[1:])
    return out.getvalue()


def gif(frames: int) -> bytes:
    out = io.BytesIO()
    images = [Image.new("P", (8, 8), i % 256) for i in range(frames)]
    images[0].save(out, "GIF", save_all=True, append_images=images[1:])
    return out.getvalue()


def pack_with_picture(
    root: Path, data: bytes, name: str = "picture.png", alt: str = "A green square"
) -> Path:
    (root / "en" / "topics").mkdir(parents=True)
    (root / "en" / "images").mkdir()
    (root / "pack.toml").write_text(PACK_TOML)
    (root / "en" / "images" / name).write_bytes(data)
    (root / "en" / "topics" / "pictures.md").write_text(
        "---\ntitle: Pictures\nsummary: A card with a picture.\nkind: topic\n"
        "reviewed: 2026-11-01\nreview_due: 2027-11-01\n---\n"
        f"Look at this.\n\n![{alt}](../images/{name})\n"
    )
    return root


PICTURE_LINE = 10  # of pictures.md above


def problems_of(root: Path) -> list[tuple[Severity, int, str]]:
    result = load_pack(root)
    return [(p.severity, p.line, p.message) for p in result.problems]


def the_error(root: Path) -> str:
    found = [(line, m) for sev, line, m in problems_of(root) if sev is Severity.ERROR]
    assert len(found) == 1, found
    line, message = found[0]
    assert line == PICTURE_LINE
    assert load_pack(root).pack is None
    return message


# --- validate and build: the format the name says, a size a kiosk shows, whole ---------


def test_good_pictures_pass(tmp_path: Path) -> None:
    for name, data in [("a.png", png(640, 480)), ("b.jpg", jpeg(640, 480))]:
        root = pack_with_picture(tmp_path / name, data, name)
        assert problems_of(root) == []


@pytest.mark.parametrize("hidden", [".images", "images~", ".DS_Store"])
def test_a_picture_where_a_build_leaves_it_out_is_an_error(tmp_path: Path, hidden: str) -> None:
    """In a folder whose name starts with a dot (or an editor's backup), a picture passed
    validate and build, and then was not in the pack: the card showed nothing."""
    root = pack_with_picture(tmp_path, png(64, 64))
    images = root / "en" / "images"
    images.rename(root / "en" / hidden)
    article = root / "en" / "topics" / "pictures.md"
    article.write_text(article.read_text().replace("../images/", f"../{hidden}/"))
    assert f"is in '{hidden}', which a build leaves out of the pack" in the_error(root)


def test_an_svg_named_png_is_refused(tmp_path: Path) -> None:
    root = pack_with_picture(tmp_path, svg_pulling_in(Path("/etc/hostname")))
    message = the_error(root)
    assert "not a PNG file (it is an SVG or other XML file)" in message


@pytest.mark.parametrize(
    ("what", "data", "expected"),
    [
        ("empty", b"", "is empty"),
        ("cut short", png(300, 200)[:300], "damaged or cut short"),
        ("a damaged chunk", png(300, 200)[:60] + b"\0" * 40 + png(300, 200)[100:], "damaged"),
        ("a GIF", gif(3), "it is a GIF"),
        ("a 5,000-frame GIF", gif(5000), "it is a GIF"),
        ("an animated PNG", animated_png(12), "an animation; use a still picture"),
        ("a JPEG", jpeg(40, 40), "it is a JPEG"),
        ("text", b"hello", "not a PNG file"),
    ],
)
def test_what_is_not_a_whole_png_is_refused(
    tmp_path: Path, what: str, data: bytes, expected: str
) -> None:
    assert expected in the_error(pack_with_picture(tmp_path, data)), what


def test_a_cut_short_jpeg_is_refused(tmp_path: Path) -> None:
    data = jpeg(800, 600)
    root = pack_with_picture(tmp_path, data[: len(data) // 2], "photo.jpg")
    assert "damaged or cut short" in the_error(root)


def test_a_small_file_of_huge_dimensions_is_refused_from_its_header(tmp_path: Path) -> None:
    data = huge_png(8000, 8000)
    assert len(data) < 300_000
    started = time.perf_counter()
    message = the_error(pack_with_picture(tmp_path, data))
    assert "8000 x 8000 pixels" in message and "2000 pixels wide" in message
    assert time.perf_counter() - started < 2  # read from the header: nothing decoded


def test_the_largest_allowed_picture_passes_with_a_warning(tmp_path: Path) -> None:
    root = pack_with_picture(tmp_path, huge_png(MAX_SIDE_PX, MAX_SIDE_PX))
    found = problems_of(root)
    assert [sev for sev, _, _ in found] == [Severity.WARNING]
    assert "4096 x 4096 pixels" in found[0][2]


def test_a_picture_needs_its_description(tmp_path: Path) -> None:
    message = the_error(pack_with_picture(tmp_path, png(40, 40), alt=""))
    assert "has no description" in message


@pytest.mark.parametrize(
    ("alt", "said"),
    [
        ("A **healthy** heart", "A healthy heart"),
        ("A heart &amp; lungs", "A heart & lungs"),
        ("The `ECG` line", "The ECG line"),
        ("A \\*starred\\* word", "A *starred* word"),
        ("A [linked](other) heart", "A linked heart"),
    ],
)
def test_a_description_is_read_aloud_as_the_card_shows_it(
    tmp_path: Path, alt: str, said: str
) -> None:
    """What a patient hears, what search finds and what a screen reader is given are
    the words the card shows, not the Markdown typed (read aloud said "star star")."""
    import html
    import re

    result = load_pack(pack_with_picture(tmp_path, png(40, 40), alt=alt))
    assert result.pack is not None, result.problems
    card = result.pack.articles["en"]["pictures"].sections[0]
    assert card.text.splitlines()[-1] == said  # read aloud and searched
    shown = re.search(r'<img [^>]*alt="([^"]*)"', card.html)
    assert shown is not None and html.unescape(shown.group(1)) == said  # screen readers


def test_check_picture_names_the_format_not_the_file() -> None:
    with pytest.raises(PictureError, match=r"is named \.jpg but is not a JPEG"):
        check_picture(png(10, 10), ".JPG")


# --- the kiosk: the named format only, off the GUI thread -----------------------------


def test_the_kiosk_never_sniffs_an_svg_named_png(tmp_path: Path, qapp: object) -> None:
    """Qt's own sniffing decodes the SVG and draws a file from outside the pack; the
    kiosk's decoder refuses it."""
    outside = tmp_path / "outside.png"
    outside.write_bytes(png(400, 300, (0, 255, 0)))
    data = svg_pulling_in(outside)
    sniffed = QImage.fromData(data)  # what the kiosk did before
    if not sniffed.isNull():
        assert sniffed.pixelColor(200, 150) == QColor(0, 255, 0)  # the outside file
    assert decode(data, "images/picture.png", (800, 600)) is None
    assert decode(png(400, 300), "images/picture.png", (800, 600)) is not None


def wait_for(condition: Callable[[], object], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        QCoreApplication.processEvents()
        time.sleep(0.002)
        assert time.monotonic() < deadline, "timed out"


def longest_stall_ms(action: Callable[[], object], until: Callable[[], object]) -> float:
    """The longest time the GUI thread was away, in ms, from ``action`` until
    ``until()`` is true: each event-loop turn and the action itself are timed."""
    started = time.perf_counter()
    action()
    longest = time.perf_counter() - started
    deadline = time.monotonic() + 60
    while not until():
        turn = time.perf_counter()
        QCoreApplication.processEvents()
        longest = max(longest, time.perf_counter() - turn)
        time.sleep(0.001)
        assert time.monotonic() < deadline, "the card never finished"
    return longest * 1000


def card_in_scroll_area() -> tuple[QScrollArea, CardText]:
    """A card as the reader shows it: as tall as its text, in a scrolling body."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    view = CardText()
    area.setWidget(view)
    area.resize(900, 700)
    area.show()
    return area, view


def test_a_card_of_64_largest_pictures_never_holds_the_gui_thread(qapp: object) -> None:
    """64 pictures at the pack limit (4096 x 4096): decoded on the worker, each arriving
    at the card's width; the GUI thread is never away long (the old card took 40 s)."""
    data = huge_png(MAX_SIDE_PX, MAX_SIDE_PX)
    _area, view = card_in_scroll_area()
    reads: list[str] = []

    def read_file(path: str) -> bytes:
        reads.append(path)
        return data

    html = "".join(f'<p><img src="pack:/images/p{i}.png" alt="Picture {i}"></p>' for i in range(64))
    arrived: list[QSize] = []
    view._pictures.ready.connect(lambda path, width, image: arrived.append(image.size()))
    stall = longest_stall_ms(
        lambda: view.show_html(html, read_file, "Pictures"), lambda: len(arrived) == 64
    )
    assert sorted(set(reads)) == sorted(f"images/p{i}.png" for i in range(64))
    # Each decoded at the size it is shown, not 4096: under half the window's height
    # (the square pictures are as wide as that), within the card's width.
    side = round(0.45 * view.window().height())
    assert {size.toTuple() for size in arrived} == {(side, side)}
    # The placeholder had the picture's shown size, so the card did not jump.
    assert view.document().size().height() > 64 * side
    assert stall < STALL_BOUND_MS, f"the GUI thread was held {stall:.0f} ms"


def test_answers_from_before_a_reset_are_dropped(qapp: object) -> None:
    loader = PictureLoader()
    got: list[str] = []
    loader.ready.connect(lambda path, width, image: got.append(path))
    slow = huge_png(3000, 3000)
    loader.request("a.png", (500, 500), lambda _: slow)
    loader.forget()  # the patient left
    loader.request("b.png", (500, 500), lambda _: png(10, 10))
    wait_for(lambda: got == ["b.png"])
    time.sleep(0.5)
    QCoreApplication.processEvents()
    assert got == ["b.png"]


# --- text: no card holds the GUI thread -----------------------------------------------


def pack_with_body(root: Path, body: str) -> Path:
    (root / "en" / "topics").mkdir(parents=True)
    (root / "pack.toml").write_text(PACK_TOML)
    (root / "en" / "topics" / "long.md").write_text(
        "---\ntitle: Long\nsummary: A long card.\nkind: topic\n"
        f"reviewed: 2026-11-01\nreview_due: 2027-11-01\n---\nShort intro.\n\n## Part\n\n{body}\n"
    )
    return root


def test_a_card_too_long_to_read_is_an_error(tmp_path: Path) -> None:
    found = problems_of(pack_with_body(tmp_path, "Drink water. " * 400))
    [(severity, line, message)] = found
    assert severity is Severity.ERROR and line == 10
    assert "section 'Part' is 5,2" in message
    assert "characters; a card holds at most 4,000. Split it into cards" in message


def test_an_unbreakable_run_is_reported(tmp_path: Path) -> None:
    found = problems_of(pack_with_body(tmp_path, "See " + "x" * 300 + " now."))
    [(severity, line, message)] = found
    assert severity is Severity.WARNING and line == 12  # the run's line, under "## Part"
    assert "a run of 300 characters with no space, hyphen or slash" in message


def test_a_validated_card_with_a_long_run_lays_out_at_once(qapp: object, tmp_path: Path) -> None:
    """The longest card validate allows, one unbroken run: the card breaks it, so
    laying it out is quick (a 200 KB run took 10 s; 3,990 characters unbroken, 40 ms
    here before the fix)."""
    root = pack_with_body(tmp_path, "y" * 3990)
    pack = load_pack(root).pack
    assert pack is not None
    [_, card] = pack.articles["en"]["long"].sections
    assert "\u200b" in card.html
    assert "\u200b" not in card.text  # read aloud and search see the words as written
    _area, view = card_in_scroll_area()
    stall = longest_stall_ms(
        lambda: view.show_html(card.html, lambda _: None, "Long"), lambda: True
    )
    assert stall < STALL_BOUND_MS, f"the GUI thread was held {stall:.0f} ms"


def test_a_picture_takes_its_height_and_no_more(tmp_path: Path, qapp: object) -> None:
    """The card's 135% line height once added a third of a picture's height under it:
    a 300 px picture's paragraph was 405 px tall, a blank band before the next words."""
    root = pack_with_picture(tmp_path, png(400, 300))
    (root / "en" / "topics" / "pictures.md").write_text(
        (root / "en" / "topics" / "pictures.md").read_text() + "\nWords after it.\n"
    )
    pack = load_pack(root).pack
    assert pack is not None
    [card] = pack.articles["en"]["pictures"].sections
    _area, view = card_in_scroll_area()
    arrived: list[QSize] = []
    view._pictures.ready.connect(lambda path, box, image: arrived.append(image.size()))
    view.show_html(card.html, pack.read_file, "Pictures")
    wait_for(lambda: arrived)
    QCoreApplication.processEvents()
    layout = view.document().documentLayout()
    blocks = [view.document().findBlockByNumber(n) for n in range(view.document().blockCount())]
    [picture] = [b for b in blocks if "\ufffc" in b.text()]  # the image's placeholder char
    # From the picture's top to the top of what follows it.
    height = (
        layout.blockBoundingRect(picture.next()).top() - layout.blockBoundingRect(picture).top()
    )
    assert arrived == [QSize(400, 300)]
    assert 300 <= height <= 300 + 24, height  # the picture and the paragraph's margin


# --- what the attacker found (issue 13 review): what Pillow takes and Qt does not -----


def sixteen_bit(side: int) -> bytes:
    return png_parts(side, side, depth=16)


def test_pictures_the_kiosk_cannot_show_are_refused(tmp_path: Path) -> None:
    """Each of these passed Pillow and then showed an empty box on the kiosk."""
    good = png(64, 64)
    bad_crc = bytearray(good)
    at = good.index(b"IDAT") + 8  # a byte of the picture's data
    bad_crc[at] ^= 0xFF
    palette_only = png_parts(8, 8, colour=3, end=False)
    cases = {
        "16-bit 4096": (sixteen_bit(4096), "16-bit picture of 4096 x 4096 pixels, 128 MB"),
        "bad checksum": (bytes(bad_crc), "damaged or cut short"),
        "no end marker": (good[: good.index(b"IEND") - 4], "damaged or cut short"),
        "no palette": (palette_only + b"\0\0\0\0IEND\xaeB`\x82", "palette picture with no palette"),
    }
    for what, (data, expected) in cases.items():
        message = the_error(pack_with_picture(tmp_path / what.replace(" ", "-"), data))
        assert expected in message, (what, message)
        assert "BytesIO" not in message


def test_a_16_bit_picture_within_the_limit_shows(qapp: object) -> None:
    data = sixteen_bit(2000)  # 32 MB at 8 bytes a pixel
    assert check_picture(data, ".png").width == 2000
    image = decode(data, "images/deep.png", (800, 800))
    assert image is not None and image.size() == QSize(800, 800)


def test_a_line_of_a_picture_is_still_shown(qapp: object) -> None:
    image = decode(png(4096, 1), "images/line.png", (1000, 600))
    assert image is not None and image.size() == QSize(1000, 1)


@pytest.mark.parametrize(
    "name", ["a#b.png", "q?x.png", "%41.png", "pct%2F..%2Fpack.png", "é ü.png"]
)
def test_the_kiosk_shows_the_picture_validate_checked(
    tmp_path: Path, qapp: object, name: str
) -> None:
    """The file a picture's address names (percent-encoded in Markdown, as any address)
    is the file validate checked and the kiosk shows: the kiosk's pack: address was not
    encoded, and read '%41.png' as 'A.png', 'a#b.png' as 'a'."""
    root = pack_with_picture(tmp_path, png(300, 200, (255, 0, 0)), name)
    decoy = root / "en" / "images" / "A.png"
    decoy.write_bytes(png(300, 200, (0, 0, 255)))
    md = root / "en" / "topics" / "pictures.md"
    md.write_text(md.read_text().replace(f"(../images/{name})", f"(../images/{quote(name)})"))
    result = load_pack(root)
    assert result.pack is not None, [str(p) for p in result.problems]
    [card] = result.pack.articles["en"]["pictures"].sections
    _area, view = card_in_scroll_area()
    arrived: list[QImage] = []
    view._pictures.ready.connect(lambda path, box, image: arrived.append(image))
    view.show_html(card.html, result.pack.read_file, "Pictures")
    wait_for(lambda: arrived)
    assert arrived[0].size() == QSize(300, 200)
    assert arrived[0].pixelColor(10, 10) == QColor(255, 0, 0)


def test_a_picture_through_a_link_is_refused_as_build_would(tmp_path: Path) -> None:
    root = pack_with_picture(tmp_path, png(40, 40), "real.png")
    (root / "en" / "images" / "linked.png").symlink_to("real.png")
    md = root / "en" / "topics" / "pictures.md"
    md.write_text(md.read_text().replace("../images/real.png", "../images/linked.png"))
    assert "is a link to another file" in the_error(root)


@pytest.mark.parametrize("alt", ["\u200b", "&#8203;", "**", " - "])
def test_a_description_has_words(tmp_path: Path, alt: str) -> None:
    assert "has no description" in the_error(pack_with_picture(tmp_path, png(40, 40), alt=alt))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("| a |\n|---|\n" + "| |\n" * 400, "has 802 paragraphs, list items, table cells"),
        ("***\n\n" * 400, "has 400 paragraphs, list items, table cells, lines"),
        ("- a\n" * 400, "list items"),
    ],
)
def test_a_card_of_markup_without_words_is_an_error(
    tmp_path: Path, body: str, expected: str
) -> None:
    """No words, so no character limit: 200,000 empty table rows held the GUI thread
    7 s, 200,000 rules 1 s."""
    found = problems_of(pack_with_body(tmp_path, body))
    messages = [m for sev, _, m in found if sev is Severity.ERROR]
    assert any(expected in m and "at most 300" in m for m in messages), found


def test_a_card_has_at_most_12_pictures(tmp_path: Path) -> None:
    root = pack_with_picture(tmp_path, png(40, 40))
    md = root / "en" / "topics" / "pictures.md"
    md.write_text(md.read_text() + "\n".join(["![A dot](../images/picture.png)"] * 12) + "\n")
    found = [m for sev, _, m in problems_of(root) if sev is Severity.ERROR]
    assert any("has 13 pictures; a card shows at most 12" in m for m in found), found


def test_a_picture_markdown_cannot_read_is_an_error(tmp_path: Path) -> None:
    """A file name with a space: validate said 'OK' with a warning about links, and the
    card showed patients '![The sun in the sky](../images/my sun.png)' (newcomer)."""
    root = pack_with_picture(tmp_path, png(40, 40), "my sun.png")
    message = the_error(root)
    assert "picture Markdown could not read" in message and "rename the file" in message


def test_a_picture_no_article_shows_is_checked_too(tmp_path: Path) -> None:
    """A build packs every file of the folder: a JPEG named .png and a 16-bit picture
    that no article showed went into a signed pack without a word (newcomer)."""
    root = pack_with_picture(tmp_path, png(40, 40))
    spare = root / "en" / "images" / "spare.png"
    spare.write_bytes(jpeg(40, 40))
    found = [(Path(f), line, m) for f, line, m in load_problems(root)]
    assert found == [
        (
            spare,
            0,
            "this picture is named .png but is not a PNG file (it is a JPEG); save it "
            "as PNG (in an image editor: Export, PNG) or rename it (no article shows it, but a "
            "build packs it)",
        )
    ]
    # A picture an article shows, and that is wrong, is named once: at the article's line.
    (root / "en" / "images" / "picture.png").write_bytes(jpeg(40, 40))
    spare.unlink()
    [(where, line, _)] = load_problems(root)
    assert (Path(where).name, line) == ("pictures.md", PICTURE_LINE)


def load_problems(root: Path) -> list[tuple[str, int, str]]:
    return [
        (p.file, p.line, p.message)
        for p in load_pack(root).problems
        if p.severity is Severity.ERROR
    ]


def test_a_path_that_leaves_the_pack_by_its_name_and_comes_back_is_outside(
    tmp_path: Path,
) -> None:
    """It resolved inside the folder being validated (and built), and outside the pack
    once installed as content/: refused at install, with advice that could not help."""
    root = pack_with_picture(tmp_path / "mypack", png(40, 40), "red.png")
    md = root / "en" / "topics" / "pictures.md"
    md.write_text(md.read_text().replace("../images/red.png", "../../../mypack/en/images/red.png"))
    assert "points outside the pack" in the_error(root)
