"""Every limit on what a pack puts on screen, in one place, with why each value.

Issue 13: nothing in a signed, validated pack may hold the kiosk's GUI thread for more
than 50 ms on any card or screen. So every text and every count that reaches the screen
has a limit here, and going over one is an error at validate (and so at build: a build
signs a pack only if validate passes). docs/CONTENT.md quotes each number
(tests/test_content_guide.py keeps it in step); tests/test_pack_limits.py builds a pack
at every limit at once, and one past each. The bundled pack (content/) is far inside
every one: its largest values are given below as "the first pack".

Times are measured on a 2-core machine like a kiosk's (the attacker's reports, issue 13).
Plain Python: kiosk.core must not import Qt, and the kiosk's own decoder reads the
picture limits from here too.
"""

from __future__ import annotations

# --- front matter: texts -----------------------------------------------------------------

# Titles, summaries and aliases show on buttons and cards, in large text, on every
# screen that lists articles; the first pack's longest are 29, 155 and 38 characters.
# A longer one is a mistake (a paragraph pasted in the wrong place), and a 40 kB title
# held the screen for a minute (issue 12). A source is one organisation's name and page
# title, shown on the last card.
LENGTH_LIMITS = {"title": 80, "summary": 300, "aliases": 80, "sources": 300}
# One or two short sentences: read before anything else, on the first card and on the
# article's tiles (the first pack's longest is 114). 5,000 characters held the GUI thread
# 82 ms; 900,000 held it for seconds.
URGENT_MAX_CHARS = 160

# --- front matter: counts ----------------------------------------------------------------

# Other names patients may type; search compares every keystroke with each of them. The
# first pack's most is 10; 50,000 made each keystroke take 105 to 644 ms.
ALIASES_MAX = 20
# Shown as a list after "Sources:" on the last card; the first pack's most is 3. Ten of
# 300 characters are 3,000 characters, less than a card may hold (CARD_MAX_CHARS);
# 3,000 entries held the last card 1.2 to 2.3 s.
SOURCES_MAX = 10
# Shown as buttons under the last card, a handful at most (the first pack's most is 3).
# Each button costs about 5 ms to lay out (100 entries: 550 ms), so 6 stay near 30 ms.
RELATED_MAX = 6

# --- one card ----------------------------------------------------------------------------

# A card is read on one screen, scrolled a little at 200%: the longest card of the first
# pack is 730 characters. Laying out text costs the GUI thread about 1.5 ms per 1,000
# characters (Qt rich text); 900 KB held it 18 s.
CARD_MAX_CHARS = 4_000
CARD_LONG_CHARS = 1_500  # a warning: more than a screen at 200%
# A card's '## ' heading shows in large type above it: the first pack's longest is 65
# characters. 3,900 characters took 115 to 190 ms to show at 200% text.
HEADING_MAX_CHARS = 120
# What a card's layout holds besides its words: paragraphs, list items, table cells,
# rules, headings, pictures. A card of 4,000 characters has under 150; a table of
# 200,000 empty rows had no words at all and held the GUI thread 7 s. Pictures each
# cost a decode and a new layout when they arrive.
CARD_MAX_PARTS = 300
CARD_MAX_PICTURES = 12
# A run of text no line can break: longer than this is a warning (a card breaks it
# anyway). "Pneumonoultramicroscopicsilicovolcanoconiosis" is 45 letters; a longer run
# is a pasted address or an accident.
LONGEST_WORD_CHARS = 50

# --- one article -------------------------------------------------------------------------

# An installed article's Markdown is parsed on the GUI thread when a patient opens it
# (kiosk.core.packs.installed). What that costs grows with three things, each limited:
# its bytes (0.1 us a byte of plain prose), the parts markdown-it makes (8 to 30 us each:
# a paragraph, a list item, a link, a bold word, a line end) and the characters where it
# stops to try its rules, "marks" (line ends, - : * _ [ ] < > & ! # ...: 1.5 us each,
# and a '[' with no ']' makes it look at every later mark of its paragraph again).
# The first pack's largest article is 3,570 bytes, 6 cards, 139 parts and 62 marks.
# tests/test_pack_limits.py writes the slowest articles we found within all of these at
# once and times kiosk.core.content.markdown.parse on each, as the kiosk opens them
# (median on a shared 2-core machine: 20,000 bytes of 30 cards 5.5 ms; 1,500 parts
# 11.5 ms; 1,000 marks, 499 '[' then 500 '&', 11.4 ms; a card at every card limit
# 11.1 ms; the slowest single run 34 ms). 940 KB of 700 cards took 2.6 to 5.6 s.
MAX_FILE_BYTES = 20_000  # five cards of 4,000 characters, about 3,000 words
ARTICLE_MAX_CARDS = 30  # cards a patient pages through
ARTICLE_MAX_PARTS = 1_500  # paragraphs, list items, links, bold words, line ends...
ARTICLE_MAX_MARKS = 1_000  # line ends and - : * _ [ ] < > & ! # ... (16 times the first pack)
# Link starts "](" in one run of text with no space: at each one markdown-it reads the
# address up to the next space, so "[a](xxx[a](xxx..." with no space anywhere made it
# read the rest of the line once per link: 19 KB of them held an opening article
# 72-139 ms (issue 13's attacker). Links written as links have a space or a line end
# between them; the first pack has at most 1 in a run.
LINK_STARTS_PER_RUN_MAX = 2

# --- one language ------------------------------------------------------------------------

# Articles in one language: start-up, memory, the search index and the A-Z lists grow
# with them. The benchmarks measure packs of up to 10,000 (bench/pack_scaling.py: start
# 1.1-1.2 times the bundled pack's, search p99 3 ms); the first pack has 14. Counted
# before any is read, so a folder of a million files is refused at once.
ARTICLES_MAX = 10_000
# Names in one language: every title and alias, which search holds in memory and
# compares with what is typed. Loading 30,000 takes 0.4-0.5 s (in a worker, but the
# first start does it too); 405,000 took 3.6-5.3 s (issue 13's second attacker). The
# benchmarks' 10,000 articles have about 40,000.
NAMES_MAX = 50_000

# --- pack.toml ---------------------------------------------------------------------------

# Languages of one pack: the welcome screen greets in each, the language button goes
# through them, the Aa panel offers each. 676 languages held the reset 364-441 ms and
# the language button 152-207 ms; 26, 47 and 42 ms (issue 13's attacker). Ten stay near
# the first pack's two.
LOCALES_MAX = 10

# The pack's title shows at the top of the home screen, in large type, like an article's
# title (LENGTH_LIMITS["title"]); the first pack's is 22 characters. 900,000 held the
# home screen 3 s.
PACK_TITLE_MAX_CHARS = 80
# Crisis help shows in a banner above a sensitive article's cards, read aloud first; the
# first pack's longest is 233 characters. 900,000 held the article 9 s.
CRISIS_MAX_CHARS = 400

# Synonyms (pack.toml [synonyms.xx]): every word a patient types is looked up, and each
# word it stands for joins the search (an FTS5 OR). The first pack has 7 words, none
# standing for more than 2; a word standing for 50,000 would make each keystroke a
# 50,000-term query.
SYNONYM_WORDS_MAX = 500  # words per language
SYNONYM_MEANS_MAX = 10  # words one synonym stands for

# A take-home address (an article's url:, or the first web address in its text) is drawn
# as a QR code when the last card shows, on the GUI thread (kiosk/ui/widgets/qr.py).
# Making it grows with the address: with segno choosing the mask, about 18 ms for 200
# characters, 30 ms for 300 and 100 ms for 1,000 on a shared 2-core machine; with the one
# mask the kiosk uses, 5 to 8 ms for 200. The first pack's addresses are under 60;
# a site's own page for a topic is under 100. A shorter code is also easier to scan.
# Counted in UTF-8 bytes, as the code holds them: 200 characters of U+20000 (800 bytes)
# took segno 19-22 ms. (kiosk.core.content.takehome)
TAKE_HOME_MAX_CHARS = 200

# --- one-line texts ----------------------------------------------------------------------

# Characters that start a new line in Qt and in Python's str.splitlines: none belongs in
# a text shown on one line (a title, a summary, an alias...): U+2028 split a title in two.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

# --- pictures ----------------------------------------------------------------------------

# A picture is shown at most a card's width: 1920 px on a 1080p screen, twice that on a
# 4K one. 4096 px a side and 16.8 megapixels (4096 x 4096, 64 MB decoded) allow a
# phone photo (4032 x 3024) and nothing that takes seconds or a quarter gigabyte.
MAX_SIDE_PX = 4096
MAX_PIXELS = 4096 * 4096
# What the kiosk's decoder may allocate for one picture (kiosk/ui/widgets/pictures.py
# gives Qt a little more): 4096 x 4096 at 4 bytes a pixel. A 16-bit PNG takes 8 bytes a
# pixel, so a 16-bit one of 4096 x 4096 would pass the pixel limit and then never show.
MAX_DECODED_BYTES = 4096 * 4096 * 4
# Above this, a warning: bigger than any kiosk screen shows, so it only costs space and
# decoding time (a picture 2000 px wide is sharp on every kiosk).
LARGE_PIXELS = 2560 * 1600
# A picture file's size on disk: the kiosk reads and checks every byte of it the first
# time it shows, about 5 ms a megabyte (a 95 MB file of 40 x 40 pixels stalled the card
# 426 to 578 ms). A phone photo saved as JPEG is 2 to 5 MB; 2000 pixels wide, under 1 MB.
PICTURE_MAX_BYTES = 5_000_000
