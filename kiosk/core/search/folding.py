"""Words for search: the same words for what an article says and what a patient types.

A patient types on a keyboard with no apostrophe and no accents, in lower case, one
letter at a time. So both the index and the query are normalized the same way:

- lower case, and accents off the letters of scripts whose accents patients leave
  out (Latin, Greek, Cyrillic) and off Arabic and Hebrew letters (their vowel points
  are optional, and most text and most typing leaves them out);
- marks that are part of the letters of other scripts are kept: Devanagari's vowel
  signs and virama, Bengali, Tamil, Thai, Japanese voicing marks... Deleting them
  breaks words apart (मधुमेह is not मधमह);
- an apostrophe inside a word is dropped ("Alzheimer's" -> "alzheimers"), and the
  index also keeps the parts ("alzheimer", and "hopital" of "l'hôpital");
- everything else that is not a letter, a mark or a digit separates words.

English words are also folded to one spelling where British and American spelling
differ ("haemorrhage" and "hemorrhage" -> "hemorrhage"); see fold_word. The index keeps
every word as written *and* its folded form, so a half-typed "haem" still prefix-matches
"haemolysis" while "hemo" matches "hemolysis".

Not handled: scripts written without spaces between words (Thai, Lao, Khmer, Chinese,
Japanese) are one word per run of text, so only the start of a run is found.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Marks patients type without, deleted from the decomposed text: the generic accent
# blocks (the accents of Latin, Greek and Cyrillic letters once decomposed), Cyrillic's
# own combining marks, Hebrew points and Arabic harakat.
_ACCENT_BLOCKS = (
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x0483, 0x0489),  # Cyrillic combining marks (titlo...)
    (0x0591, 0x05C7),  # Hebrew points and cantillation
    (0x0610, 0x061A),  # Arabic marks
    (0x064B, 0x065F),  # Arabic harakat: fatha, damma, kasra, shadda, sukun...
    (0x0670, 0x0670),  # Arabic superscript alef
    (0x06D6, 0x06ED),  # Arabic Quranic marks
    (0x1AB0, 0x1AFF),  # Combining Diacritical Marks Extended
    (0x1DC0, 0x1DFF),  # Combining Diacritical Marks Supplement
    (0x20D0, 0x20FF),  # Combining marks for symbols
    (0xFE20, 0xFE2F),  # Combining half marks
)
# Characters that change how text looks or joins but are not part of any word: soft
# hyphen, Arabic tatweel, zero-width joiner, direction marks and controls, word joiner,
# variation selectors, byte order mark. Deleted, so they neither split nor change a word.
_INVISIBLE = (
    "\u00ad\u0640\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
)
# Inside a word, these join its parts: apostrophes as typed or as word processors turn
# them, and the zero-width non-joiner that Persian and Indic text write inside words.
_APOSTROPHES = "'\u2019\u2018\u02bc\u0060\u00b4\u2032\uff07\u200c"


_APOSTROPHE_TABLE = {ord(c): ord("'") for c in _APOSTROPHES}


# Letters that are not a base letter with a mark, so taking marks off leaves them as
# they are, and that patients type as these ASCII letters on a keyboard without them:
# "coeur" for cœur, "lokiec" for łokieć, "duong" for đường, "sovn" for søvn, and the
# Turkish dotless i as i (issue 13's attacker found each missed).
_OWN_LETTERS = {
    "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "\u0131": "i", "ħ": "h", "ŧ": "t", "ŀ": "l", "ŉ": "n", "ĸ": "k",
}  # fmt: skip


def _translation() -> dict[int, int | str | None]:
    table: dict[int, int | str | None] = {
        cp: None
        for first, last in _ACCENT_BLOCKS
        for cp in range(first, last + 1)
        if unicodedata.category(chr(cp)).startswith("M")
    }
    table.update({ord(c): None for c in _INVISIBLE})
    table.update(_APOSTROPHE_TABLE)
    table.update({ord(letter): ascii_ for letter, ascii_ in _OWN_LETTERS.items()})
    return table


_TABLE = _translation()


@lru_cache(maxsize=1)
def _separators() -> re.Pattern[str]:
    """What splits words: anything but a letter, digit, mark or apostrophe.

    Python's \\w leaves out combining marks, so the marks are listed: every range of
    them in the first two planes (the rest of Unicode has none). Built at the first
    use (about 20 ms) rather than at import.
    """
    ranges: list[str] = []
    start = -1
    for cp in range(0x20000):
        mark = unicodedata.category(chr(cp)).startswith("M")
        if mark and start < 0:
            start = cp
        elif not mark and start >= 0:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = -1
    return re.compile(r"[^\w'" + "".join(ranges) + r"]+|_")


_ASCII_SEPARATORS = re.compile(r"[^a-z0-9']+")


def _tokens(text: str) -> list[str]:
    """Normalized words, each maybe holding apostrophes (never at either end)."""
    if text.isascii():
        spaced = _ASCII_SEPARATORS.sub(" ", text.lower().replace("`", "'"))
    else:
        # Apostrophes first: compatibility decomposition makes U+00B4 a space and an accent.
        text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHE_TABLE))
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        bare = unicodedata.normalize("NFC", decomposed.translate(_TABLE))
        spaced = _separators().sub(" ", bare)
    tokens = []
    for token in spaced.split():
        token = token.strip("'")
        if token:
            tokens.append(token)
    return tokens


def normalize(text: str) -> str:
    """Lower case, accents off, apostrophes out of words, words split by single spaces."""
    return " ".join(token.replace("'", "") for token in _tokens(text))


def prepare() -> None:
    """Build what normalizing the first non-ASCII text needs (a kiosk does this while
    its first screen is up, not when a patient types)."""
    _separators()


# British -> American spellings that differ, for English only: each rule is a spelling
# pattern of real pairs, as found in patient leaflets on either side of the Atlantic
# (NHS and MedlinePlus spellings of the same words); listed by hand, and tested pair by
# pair in tests/test_search_finds.py. Each pattern is long enough to mean only those
# words: a blanket "ae"/"oe" -> "e" made "shoe" "she" and Spanish "caer" "cer".
_OUR_STEMS = (
    "behavi|col|tum|hum|lab|od|fav|flav|rig|vig|hon|neighb|harb|sav|vap|ferv|clam|cand"
    "|rum|splend|val|parl|ard|arm"
)
_ISE_STEMS = (  # organise, recognise... and any stem in -al, -il or -ar (realise)
    "organ|recogn|immun|minim|maxim|critic|emphas|catheter|metabol|symbol|memor|priorit"
    "|character|categor|optim|vapor|pasteur|cauter|sensit|hypnot|traumat|random|standard"
    "|jeopard|anesthet|apolog|agon|ion|harmon|modern|item|custom|author|computer|homogen"
    "|colon|crystall|energ|synchron|euthan|oxid|sympath|public|digit|ostrac|fantas|patron"
    "|human|urban|carbon|\\w\\w(?:al|il|ar)"
)
_RE_STEMS = "cent|lit|met|fib|theat|calib|lust|spect|somb|meag|sab|maneuv"  # centre, litre
_DOUBLE_L_STEMS = "counsel|label|travel|cancel|model|fuel|dial|signal|channel|level|tunnel"
_UK_US: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), us)
    for pattern, us in (
        (r"aem", "em"),  # haemorrhage, anaemia, leukaemia, ischaemic, glycaemic
        (r"anaes", "anes"),  # anaesthetic
        (r"paed", "ped"),  # paediatric, orthopaedic
        (r"gynaec", "gynec"),
        (r"caesar", "cesar"),
        (r"faec", "fec"),  # faeces, faecal
        (r"aetiol", "etiol"),
        (r"naev", "nev"),  # naevus
        (r"oesoph", "esoph"),
        (r"oestr", "estr"),  # oestrogen, oestradiol
        (r"oedem", "edem"),  # oedema
        (r"foet", "fet"),  # foetus, foetal
        (r"rrhoe", "rrhe"),  # diarrhoea, gonorrhoea, amenorrhoea
        (r"pnoe", "pne"),  # apnoea, dyspnoea
        (r"^coel", "cel"),  # coeliac
        (r"amoeb", "ameb"),
        (r"homoeo", "homeo"),
        (r"manoeuv", "maneuv"),
        (r"sulph", "sulf"),  # sulphur, sulphate, sulphonylurea
        (r"leuco(?=cyt|pen)", "leuko"),  # leucocyte, leucopenia
        (r"aluminium", "aluminum"),
        (rf"({_OUR_STEMS})our", r"\1or"),  # tumour, behaviour(al), colour, favourite
        (rf"^(\w*(?:{_ISE_STEMS}))is(e|ed|es|ing|er|ers|ation|ations|able)$", r"\1iz\2"),
        (r"(anal|paral|dial|catal|electrol|hydrol|hemol)ys(e|ed|es|ing|er|ers)$", r"\1yz\2"),
        (rf"({_RE_STEMS})re(s?)$", r"\1er\2"),  # centre(s), millilitre(s), fibre(s)
        (rf"({_RE_STEMS})r(ed|ing)$", r"\1er\2"),  # centred, manoeuvring
        (rf"({_DOUBLE_L_STEMS})l(ing|ed|er|ers|or|ors)$", r"\1\2"),  # counselling
        (r"^(defen|licen|offen|preten)ce(s?)$", r"\1se\2"),
        (r"^(analog|catalog|dialog)ue(s?)$", r"\1\2"),
        (r"^programme(s?)$", r"program\1"),
        (r"^ageing$", "aging"),
        (r"^mould", "mold"),  # mould allergy; mouldy
    )
)


@lru_cache(maxsize=65_536)  # bounded; a pack's vocabulary is far smaller than this
def fold_word(word: str, locale: str) -> str:
    """One spelling for a normalized word; only English words have two."""
    if locale != "en":
        return word
    for pattern, us in _UK_US:
        word = pattern.sub(us, word)
    return word


def without_s(word: str, locale: str) -> str | None:
    """The word a patient may mean by an English word in -s: "parkinsons" (no key for
    the apostrophe) for "Parkinson disease", "toes" for "toe". None if there is none."""
    if locale != "en" or len(word) < 4 or not word.endswith("s") or word.endswith("ss"):
        return None
    return word[:-1]


def fold(text: str, locale: str) -> str:
    """Normalized text with every word folded; used for matching whole names."""
    return " ".join(fold_word(w, locale) for w in normalize(text).split())


def index_text(text: str, locale: str) -> str:
    """Normalized text, plus what a patient may type for its words and is not there:
    folded spellings, and the parts of words with an apostrophe inside."""
    tokens = _tokens(text)
    words = [t.replace("'", "") for t in tokens]
    present = set(words)
    extra: dict[str, None] = {}
    for token, word in zip(tokens, words, strict=True):
        forms = [word] if token == word else [word, *token.split("'")]
        for form in forms:
            for variant in (form, fold_word(form, locale)):
                if variant and variant not in present:
                    extra[variant] = None
    return " ".join([*words, *extra])
