"""Write a synthetic, valid content pack of any size, with realistic article lengths.

Used by the benchmarks (search latency, start-up, soak). Articles look like the real
ones: a summary, 2-4 aliases, an intro and 3-5 cards of 40-90 words, a few related
links. Names are made from syllables so they are unique, pronounceable and varied.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

_SYLLABLES = (
    "ba be bi bo bu ca ce co cu da de di do fa fe fi ga go ha he hi ho hu "
    "ka ke ki la le li lo lu ma me mi mo na ne ni no pa pe pi po ra re ri ro "
    "sa se si so ta te ti to va ve vi xa yo za zu"
).split()
_WORDS = (
    "you your doctor nurse care team pain blood heart body sleep water food help call "
    "signs feel tired sick test check health safe daily rest walk breathe chest skin "
    "medicine pill fever swelling cough bleed weak dizzy clinic visit ask question "
    "worse better days weeks often most some people can may will should not this that "
    "with from when what how why it is are be have has get see talk tell keep"
).split()
_HEADINGS = [
    "Common signs",
    "What causes it",
    "How it is treated",
    "When to get help now",
    "Living with it",
    "Questions to ask your care team",
]


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.3:
            word += " " + "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        if word not in used:
            used.add(word)
            return word.title()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 13))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, words: int) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(_sentence(rng))
    return " ".join(out)


def generate(root: Path, count: int, seed: int = 1) -> Path:
    """Write ``count`` articles into ``root`` (created); returns root."""
    rng = random.Random(seed)
    used: set[str] = set()
    names = [_name(rng, used) for _ in range(count)]
    slugs = [n.lower().replace(" ", "-") for n in names]
    terms = root / "en" / "terms"
    terms.mkdir(parents=True, exist_ok=True)
    (root / "pack.toml").write_text(
        f'id = "synthetic"\ntitle = "Synthetic {count}"\nversion = 1\n'
        'locales = ["en"]\ndefault_locale = "en"\n'
    )
    for i, (name, slug) in enumerate(zip(names, slugs, strict=True)):
        aliases = [_name(rng, used).lower() for _ in range(rng.randint(2, 4))]
        related = sorted({slugs[rng.randrange(count)] for _ in range(3)} - {slug})
        cards = [
            f"## {h}\n\n{_paragraph(rng, rng.randint(40, 90))}\n"
            for h in rng.sample(_HEADINGS, rng.randint(3, 5))
        ]
        (terms / f"{slug}.md").write_text(
            "---\n"
            f"title: {name}\n"
            f"summary: {_sentence(rng)}\n"
            "kind: term\n"
            f"aliases: [{', '.join(aliases)}]\n"
            f"related: [{', '.join(related)}]\n"
            "reviewed: 2026-01-01\nreview_due: 2030-01-01\n"
            'sources: ["Synthetic"]\n'
            "---\n"
            f"{_paragraph(rng, rng.randint(30, 60))}\n\n" + "\n".join(cards)
        )
        if i % 1000 == 999:
            print(f"  ... {i + 1} articles", flush=True)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.articles, args.seed)


if __name__ == "__main__":
    main()
