"""Synthetic seeds folders with realistic text reuse, for benchmarks at any size.

Each topic is one invented event.  A wire story (paragraphs and quotes) is
written first; every article of the topic then takes most of the wire
paragraphs, in a shuffled order, with the edits outlets make: house spelling
(UK or US), a word swapped, a number updated, a clause cut or added, quote
marks changed.  Quotes drift (synonyms, swapped clauses) as they do after a
round trip through translation; some articles repeat a paragraph; each adds
paragraphs of its own and its outlet's boilerplate.  Some articles are
Markdown with front matter, some are Windows-1252 with CRLF line ends.

Output depends only on the seed and the topic's index, so topic 7 is the same
text in a 100-topic and a 1,000-topic corpus: costs per topic compare fairly.

    python -m benchmarks.synth OUT --topics 100 --articles 6 --seed 1
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

import yaml
from breame.spelling import get_british_spelling

WORDS = """the the the the the of of of to to to and and and a a a in in in that for on on is was was with
by by as at at from from his her their its it it said said says has have had were be been will would not
but after before over into about against more than also who which when while during since because under
officials government forces military police city capital region border province ministry president minister
spokesman spokeswoman army troops residents people families children workers protesters leaders lawmakers
attack strike explosion fire storm flood election vote talks agreement deal report statement investigation
inquiry trial court judge case evidence witnesses hospital victims casualties injured killed dead missing
announced confirmed denied warned urged called demanded promised rejected accepted blamed claimed insisted
early late morning evening night week month year hours days local national foreign international regional
security defense program center organization labor favor honor neighbor color theater license analyze
criticize recognize apologize emphasize realize authorize prioritize modernize mobilize stabilize
new old large small major minor serious significant heavy several many few dozens hundreds thousands
building bridge road airport station port base camp village town district area site scene headquarters
water power fuel food aid supplies equipment vehicles aircraft ships weapons missiles rockets drones
emergency response rescue recovery damage destruction loss cost budget funds support plan policy measures
public private independent official senior former current acting regional opposition ruling coalition
""".split()

SYNONYMS = {
    "said": "stated",
    "killed": "left dead",
    "attack": "assault",
    "officials": "authorities",
    "large": "big",
    "several": "a number of",
    "announced": "declared",
    "warned": "cautioned",
    "residents": "locals",
    "confirmed": "verified",
    "damage": "destruction",
    "urged": "called on",
    "serious": "grave",
    "building": "structure",
    "troops": "soldiers",
    "injured": "wounded",
}

FIRST = "Ahmed Maria John Li Olga Samuel Fatima Pierre Ana Kofi Yusuf Elena Tomas Amira David Mei".split()
LAST = "Hassan Garcia Smith Wei Petrova Okafor Rahman Dubois Silva Mensah Yilmaz Rossi Novak Haddad Levi Chen".split()
# Spellings of one name across outlets, as transliteration gives them.
NAME_VARIANTS = {"Hassan": "Hasan", "Rahman": "Rehman", "Yusuf": "Youssef", "Mohammed": "Muhammad", "Haddad": "Hadad"}
PLACES = "Aldoria Brenmark Castavia Dunmore Eskeland Faravan Galden Hollis Istria Jorvik Kestrel Lunaria".split()
ROLES = (
    "a government spokesman|the regional governor|a senior military official|the foreign minister|a local police chief|an aid worker"
).split("|")
OUTLETS = [
    ("Wire Service", "us"),
    ("The Daily Ledger", "uk"),
    ("Metro Radio 101", "us"),
    ("Continental Post", "uk"),
    ("Evening Herald", "uk"),
    ("Global News Network", "us"),
]
BOILERPLATE = [
    "Advertisement",
    "Read more: Latest updates from the region",
    "Share this article on social media",
    "Sign up for our morning newsletter",
    "Listen live: weekdays 6-9 am on {outlet}",
    "© 2024 {outlet}. All rights reserved.",
    "Send a tip to our newsroom",
]


@dataclass(frozen=True)
class Event:
    """The wire story of one topic: what every article draws on."""

    title: str
    place: str
    people: tuple[str, ...]
    paragraphs: tuple[str, ...]
    quotes: tuple[str, ...]


def sentence(rng: random.Random, people: tuple[str, ...], place: str, words: tuple[int, int] = (12, 26)) -> str:
    """A sentence of news-like words with a name, a place or a number in it now and then."""
    out = [rng.choice(WORDS) for _ in range(rng.randint(*words))]
    extras = [rng.choice(people), place, str(rng.randint(2, 400)), f"at least {rng.randint(3, 90)}"]
    for extra in rng.sample(extras, rng.randint(1, 3)):
        out.insert(rng.randrange(len(out) + 1), extra)
    if len(out) > 10 and rng.random() < 0.6:
        out[rng.randrange(3, len(out) - 3)] += ","
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, people: tuple[str, ...], place: str) -> str:
    return " ".join(sentence(rng, people, place) for _ in range(rng.randint(2, 4)))


def event(rng: random.Random, index: int, length: int = 1) -> Event:
    place = rng.choice(PLACES)
    people = tuple(f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3))
    quotes = tuple(
        f"\"{sentence(rng, people, place, (14, 24)).rstrip('.')},\" {rng.choice(people)}, {rng.choice(ROLES)}, said."
        for _ in range(rng.randint(2, 4))
    )
    what = rng.choice(["explosion", "storm", "election", "strike", "flood", "trial", "talks", "fire"])
    return Event(
        title=f"{what.capitalize()} in {place} (event {index})",
        place=place,
        people=people,
        paragraphs=tuple(paragraph(rng, people, place) for _ in range(rng.randint(8, 12) * length)),
        quotes=quotes,
    )


def house_style(text: str, style: str) -> str:
    """US or UK spelling for every word the outlet would respell."""
    if style == "us":
        return text
    return " ".join(_british(w) for w in text.split(" "))


def _british(word: str) -> str:
    core = word.rstrip(",.\"")
    british = get_british_spelling(core) if core.isalpha() else core
    return word.replace(core, british, 1) if british else word


def edit(rng: random.Random, text: str) -> str:
    """One outlet's light edit of a wire paragraph: at most a few words change."""
    words = text.split(" ")
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        i = rng.randrange(len(words))
        kind = rng.choice(["synonym", "number", "cut", "add", "name", "typo"])
        core = words[i].rstrip(",.")
        tail = words[i][len(core) :]
        if kind == "synonym" and core in SYNONYMS:
            words[i] = SYNONYMS[core] + tail
        elif kind == "number" and core.isdigit():
            words[i] = str(int(core) + rng.randint(1, 9)) + tail
        elif kind == "cut" and len(words) > 20:
            del words[i : i + rng.randint(2, 6)]
        elif kind == "add":
            words.insert(i, rng.choice(["on Tuesday", "according to officials", "late on Monday", "it said"]))
        elif kind == "name" and core in NAME_VARIANTS:
            words[i] = NAME_VARIANTS[core] + tail
        elif kind == "typo" and len(core) > 4:
            j = rng.randrange(1, len(core) - 1)
            words[i] = core[:j] + core[j + 1] + core[j] + core[j + 2 :] + tail
    return " ".join(words)


def drift(rng: random.Random, quote: str) -> str:
    """A quote after a round trip through translation: synonyms in, clauses swapped."""
    words = [SYNONYMS.get(w, w) if rng.random() < 0.7 else w for w in quote.split(" ")]
    if len(words) > 12:
        cut = rng.randrange(4, len(words) - 6)
        words = words[cut : cut + 4] + words[:cut] + words[cut + 4 :]
    return " ".join(words).replace('"', "“", 1).replace('"', "”", 1)


def article(rng: random.Random, ev: Event, number: int, articles: int, length: int = 1) -> tuple[str, str, str]:
    """``(outlet, headline, paragraphs)`` of one article of the event."""
    outlet, style = OUTLETS[number % len(OUTLETS)]
    kept = [p for p in ev.paragraphs if rng.random() < 0.75] or list(ev.paragraphs[:2])
    for _ in range(rng.randint(1, 3)):  # reorder: move a paragraph elsewhere
        kept.insert(rng.randrange(len(kept) + 1), kept.pop(rng.randrange(len(kept))))
    body = [edit(rng, p) for p in kept]
    translated = articles > 2 and number == articles - 1
    for q in rng.sample(ev.quotes, rng.randint(1, len(ev.quotes))):
        body.insert(rng.randrange(len(body) + 1), drift(rng, q) if translated else q)
    for _ in range(rng.randint(1, 3) * length):  # the outlet's own reporting
        body.insert(rng.randrange(len(body) + 1), paragraph(rng, ev.people, ev.place))
    if rng.random() < 0.15:  # a paragraph printed twice, as content systems do
        body.insert(rng.randrange(len(body) + 1), rng.choice(body))
    body = [house_style(p, style) for p in body]
    plate = [b.format(outlet=outlet) for b in rng.sample(BOILERPLATE, rng.randint(1, 3))]
    body = plate[:1] + body + plate[1:]
    headline = house_style(f"{ev.title.split(' (')[0]}: {sentence(rng, ev.people, ev.place, (5, 9)).rstrip('.')}", style)
    return outlet, headline, "\n\n".join(body)


def write_topic(folder: Path, seed: int, index: int, articles: int, length: int = 1) -> None:
    """One topic folder: ``articles`` files, ``length`` times the usual length, and a ``topic.yml``."""
    rng = random.Random(f"{seed}/{index}")
    ev = event(rng, index, length)
    folder.mkdir(parents=True, exist_ok=True)
    meta: dict[str, dict[str, str]] = {}
    for n in range(articles):
        outlet, headline, body = article(rng, ev, n, articles, length)
        day = f"2024-{1 + index % 12:02d}-{1 + (index + n) % 28:02d}"
        if n % 3 == 2:
            name = f"{n:03d}-{outlet.lower().replace(' ', '-')}.md"
            front = yaml.safe_dump({"title": headline, "outlet": outlet, "published": day}, allow_unicode=True)
            (folder / name).write_text(f"---\n{front}---\n\n# {headline}\n\n{body}\n", encoding="utf-8")
            continue
        name = f"{n:03d}-{outlet.lower().replace(' ', '-')}.txt"
        text = f"{headline}\n\n{body}\n"
        if n % 4 == 3:  # legacy web text: Windows-1252 with CRLF line ends
            (folder / name).write_bytes(text.replace("\n", "\r\n").encode("cp1252", "replace"))
        else:
            (folder / name).write_text(text, encoding="utf-8", newline="")
        meta[name] = {"outlet": outlet, "published": day, "language": "en"}
    topic = {"title": ev.title, "summary": f"{articles} reports of the same event in {ev.place}.", "articles": meta}
    (folder / "topic.yml").write_text(yaml.safe_dump(topic, allow_unicode=True, sort_keys=True), encoding="utf-8")


def write_corpus(root: Path, topics: int, articles: int = 6, seed: int = 1, length: int = 1) -> Path:
    """A seeds folder of ``topics`` topic folders under ``root``; returns ``root``."""
    width = max(4, len(str(topics)))
    for index in range(topics):
        write_topic(root / f"event-{index:0{width}d}", seed, index, articles, length)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="seeds folder to create")
    parser.add_argument("--topics", type=int, default=100)
    parser.add_argument("--articles", type=int, default=6, help="articles per topic")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--length", type=int, default=1, help="article length as a multiple of the usual ~700 words")
    args = parser.parse_args(argv)
    write_corpus(args.out, args.topics, args.articles, args.seed, args.length)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
