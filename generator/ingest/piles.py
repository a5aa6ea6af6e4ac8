"""Group stage: a pile of loose articles in, events out.

Users drop scraped files into the seeds folder without telling how many
events they cover.  Two articles report the same event when they share what
only that event has, never because they use the same news words ("killed",
"summit", "minister"):

- **passages**: runs of ``PASSAGE_WORDS`` folded words that both contain, the
  mark of wire copy and of quotes taken from one another;
- **rare names**: whole names (people, places, organisations) that both
  mention, weighted by how rare each is in English (``wordfreq``) and in the
  pile, so "Poland" or "Wednesday" weigh nothing and "Azotan Chemical Works"
  weighs fully;
- **dates**: two articles whose publication dates are far apart are not one
  event on names alone;
- **leads**: the sentence model's similarity of headline and first paragraph,
  which lets a feature piece that shares fewer names still count.

Pairs come from inverted indexes over passages and names whose entries are
capped, so the work grows with the pile, not with its pairs.  Articles linked
by that evidence form a graph; its Louvain communities are the events, each
split again into the parts its own links connect, so no topic is ever held
together by modularity alone.  In a large group, a member that mentions
under half the weight of the names nearly all the others mention is a
stranger tied in by side names (the husband's biography among pieces on the
wife) and leaves it.  An article with no link is unmatched, and the result
says which topic came nearest and why it was turned away.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path

import networkx as nx
import numpy as np
import yaml
from scipy import sparse
from wordfreq import zipf_frequency

from generator.ingest.read import TOPIC_FILE
from generator.ingest.titles import topic_title
from generator.models import Article, Topic
from generator.normalise import STOPWORDS, WORD, article_tokens, fold
from generator.slug import slugify

PASSAGE_WORDS = 8  # words in a run two articles share: the aligner's shortest passage
PASSAGE_MIN = 3  # distinct shared runs that prove copied text (3 runs: a clause of 10 words)
PASSAGE_CONTENT = 4  # content words a run needs, so "one of the largest in the" is no passage
NAME_MIN = 2.0  # weight of shared rare names that makes two articles one event (two fully rare names)
LEAD_FLOOR = 0.3  # lead similarity under which shared names need twice the weight
DATE_GAP = 14  # days between two known publication dates beyond which names alone link nothing
ZIPF_COMMON = 5.0  # a name this frequent in English (per billion words, Zipf scale) weighs nothing ...
ZIPF_RARE = 3.0  # ... and one this rare weighs fully
PILE_SHARE = 0.25  # a name in up to this share of the pile keeps its full weight
PILE_MIN = 40  # ... of a pile of at least this many articles
POSTING_CAP = 200  # a passage or name in more articles than this is furniture or too common to tell events apart
NEIGHBOURS = 30  # partners each article keeps: its strongest evidence
CHUNK = 512  # articles whose pair counts are computed at once: bounds the memory of the sparse products
SIGNATURE_SHARE = 0.75  # a name three in four of a group's members use is one of the names that define it
CARRY_MIN = 0.25  # an article left out joins a group whose signature weight it carries this share of ...
GROUP_CARRY_MIN = 0.5  # a smaller group joins a larger one whose signature its members together carry this share of
CLAIM_MIN = 0.2  # ... and whose signature names it shares with at least this weight
HEADLINE_RUN = 4  # words of the headline's longest run that can be a name it mentions
DEFINING_SHARE = 0.9  # a rare name this share of a group's members mention defines it: a member naming none is a stranger
STRANGER_SHARE = 0.5  # ... and a member mentioning less than this share of their weight is a stranger to it
THIN_TIE = 0.1  # a part of a community whose links to the rest weigh less than this share of its links is apart
LOUVAIN_SEED = 7  # Louvain is randomised; a fixed seed keeps builds byte-identical

# Words that open a name run but are no part of the name: titles, ranks, articles.
_TITLES = frozenset(
    """the a an mr mrs ms dr sir dame lord lady president vice prime minister ministers secretary chancellor
    governor mayor senator sen rep judge justice prosecutor chief executive chairman chairwoman director
    general gen brigadier colonel col commander lieutenant lt captain capt admiral rear major sergeant sgt
    inspector professor prof father king queen prince princess pope bishop archbishop st saint deputy
    regional foreign interior defence defense finance fisheries agriculture transportation transport
    health justice trade union commodore officer spokesperson spokesman spokeswoman coach manager striker
    midfielder defender goalkeeper""".split()
)
# Days and months: part of a name ("Theresa May", "Jan Kowal"), never a name on their own.
_CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# Capitalised words that end a name run: pronouns and sentence words.
_NOT_NAMES = frozenset("i we you he she they it this that these those there here but and or if so when while yes no not".split())
_CONNECTORS = frozenset("of de del da du la le van von der den al el bin ibn des dos y".split())
_AT_CONNECTOR = re.compile(r" (?:{}) ".format("|".join(sorted(_CONNECTORS))))
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘’–—-])\s*$")
_POSSESSIVE = re.compile(r"[’']s$", re.I)
_DESIGNATION = re.compile(r"\b([a-z]) (?=\d)")  # "G-20", "G 20" and "G20", "Galaxy S 5" and "Galaxy S5" are one name


@dataclass(frozen=True)
class Profile:
    """What one article offers as evidence of its event."""

    passages: frozenset[str]  # its PASSAGE_WORDS-word runs with enough content words, folded and joined
    names: frozenset[str]  # whole names, folded ("marek sowinski", "azotan chemical works")
    lead: str  # headline and first paragraph: what the sentence model compares
    published: str | None = None
    headline: str = ""  # the headline's words, folded and joined by spaces

    @cached_property
    def mentions(self) -> frozenset[str]:
        """Every run of words the article names: its names, each run of words inside one ("galaxy s5" in
        "samsung galaxy s5 active") and each run of up to ``HEADLINE_RUN`` headline words, where names are
        often given only once ("Michelle Obama makes Vogue cover")."""
        return frozenset(self.names).union(*(_runs(x.split()) for x in self.names), _runs(self.headline.split(), HEADLINE_RUN))


@dataclass(frozen=True)
class Link:
    """The evidence that two articles report one event."""

    other: int
    passages: int  # shared runs of PASSAGE_WORDS words
    names: tuple[str, ...]  # shared rare names, rarest first
    weight: float  # summed weight of those names
    lead: float  # sentence-model similarity of the two leads
    far_apart: bool = False  # both dated, more than DATE_GAP days apart

    @property
    def copied(self) -> bool:
        """Shared passages above the threshold, corroborated by a shared name or alike leads.

        Site furniture ("press enter to return or tab to continue") is shared
        word for word by unrelated articles of one site; copied reporting
        carries the event's names with it.
        """
        return self.passages >= PASSAGE_MIN and (self.weight > 0 or self.lead >= LEAD_FLOOR)

    @property
    def named(self) -> bool:
        need = NAME_MIN if self.lead >= LEAD_FLOOR else 2 * NAME_MIN
        return not self.far_apart and self.weight >= need

    @property
    def decisive(self) -> bool:
        return self.copied or self.named

    @property
    def strength(self) -> float:
        return (math.log2(1 + self.passages) if self.copied else 0.0) + self.weight * max(self.lead, 0.0) + self.weight


@dataclass(frozen=True)
class Group:
    """Articles (by index into the input) that report one event, and why."""

    members: tuple[int, ...]
    names: tuple[tuple[str, int], ...]  # rare names most members share, with how many members use each
    ties: tuple[Link | None, ...]  # per member: its strongest link to a fellow member


@dataclass(frozen=True)
class Miss:
    """An article left on its own, the topic that came nearest and the evidence that fell short."""

    article: int
    nearest: int | None  # index into Grouping.groups
    link: Link | None  # the best link into that topic
    core: tuple[str, ...] = ()  # when that link is decisive: the names defining the topic (a stranger to it) ...
    mentioned: tuple[str, ...] = ()  # ... and those of them the article mentions


@dataclass(frozen=True)
class Grouping:
    groups: tuple[Group, ...]
    unmatched: tuple[int, ...]  # articles that belong to no group
    misses: tuple[Miss, ...] = ()  # one per unmatched article, same order


@lru_cache(maxsize=65536)
def name_rarity(name: str) -> float:
    """How rare ``name`` is in English: 0 for everyday words and famous names, 1 for the rare ones."""
    z = zipf_frequency(name, "en")
    return min(1.0, max(0.0, (ZIPF_COMMON - z) / (ZIPF_COMMON - ZIPF_RARE)))


def _name_runs(text: str, start: int, end: int) -> list[tuple[list[str], bool]]:
    """Runs of capitalised words in ``text[start:end]`` (folded), each with whether it opens a sentence.

    Connectors such as "of" or "al" may sit inside a run; a hyphen splits a
    word in two ("African-American" is two words, as wordfreq counts them).
    """
    runs: list[tuple[list[str], bool]] = []
    run: list[str] = []
    opens = False
    pending: list[str] = []  # connectors waiting for a capitalised word
    last = start
    for m in WORD.finditer(text, start, end):
        word = m.group()
        gap, last = text[last : m.start()], m.end()
        if run and gap.strip():
            runs.append((run, opens))
            run, pending = [], []
        if not word[0].isupper():
            if run and not pending and word.isdigit() and len(run[-1]) == 1:
                run.append(word)  # "Galaxy S 5": a letter and its number are one designation
            elif run and word in _CONNECTORS:
                pending.append(word)
            elif run:
                runs.append((run, opens))
                run, pending = [], []
            continue
        folded = " ".join(fold(part) for part in _POSSESSIVE.sub("", word).split("-") if part)
        if folded in _NOT_NAMES:
            if run:
                runs.append((run, opens))
                run, pending = [], []
            continue
        if not run:
            opens = m.start() == start or bool(_SENTENCE_START.search(text[max(start, m.start() - 3) : m.start()]))
        run += pending + [folded]
        pending = []
    if run:
        runs.append((run, opens))
    return runs


def _runs(words: list[str], longest: int | None = None) -> set[str]:
    """Every run of up to ``longest`` (default: all) consecutive ``words``, joined by spaces."""
    most = longest or len(words)
    return {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + most) + 1)}


def _trimmed(run: list[str]) -> list[str]:
    while run and (run[0] in _TITLES or run[0] in _CONNECTORS):
        run = run[1:]
    return run if run and not all(w.isdigit() or w in _CALENDAR for w in run) else []


def names(article: Article) -> frozenset[str]:
    """Whole names the body of ``article`` mentions, folded.

    Titles are cut from the front of a name ("Prime Minister Jan Kowal" is
    "jan kowal"); a name joined by a connector counts whole and in its parts
    ("Perla Dimaculangan of Oriental Mindoro"); a single word that begins or
    ends exactly one longer name in the article stands for that name
    ("Sowinski" after "Marek Sowinski"), so "Obama" in a piece on Michelle
    Obama is not "Obama" in one on Barack Obama.
    """
    paragraphs = [b for b in article.content_blocks() if b.kind == "paragraph"]  # headlines capitalise every word
    runs = [r for b in paragraphs for r in _name_runs(article.text, b.start, b.end)]
    known = {w for run, opens in runs for w in run[opens:]}  # capitalised in mid-sentence somewhere
    found: list[str] = []
    for run, opens in runs:
        if opens and run[0] not in known and (len(run) == 1 or name_rarity(run[0]) == 0):
            run = run[1:]  # a sentence's first word, capitalised anyway ("Rescue Workers"; but "Michelle Obama said")
        parts = [_trimmed(p.split()) for p in _AT_CONNECTOR.split(" ".join(run))]
        whole = _trimmed(run)
        last = parts[-1] if len(parts) > 1 else whole
        tail = [last[-2:]] if len(last) > 2 else []  # "Minister of Infrastructure Claudine Uwase": "claudine uwase"
        for name in [whole] + (parts if len(parts) > 1 else []) + tail:
            if name:
                found.append(_DESIGNATION.sub(r"\1", " ".join(name)))
    ends: dict[str, set[str]] = defaultdict(set)
    for n in {n for n in found if " " in n}:
        words = n.split()
        ends[words[0]].add(n)
        ends[words[-1]].add(n)
    return frozenset(next(iter(ends[n])) if len(ends.get(n, ())) == 1 else n for n in found)


def passages(article: Article, n: int = PASSAGE_WORDS) -> frozenset[str]:
    """The article's ``n``-word runs (folded words joined by spaces) that carry at least ``PASSAGE_CONTENT`` content words."""
    words = [t.norm for t in article_tokens(article)]
    content = [w not in STOPWORDS for w in words]
    return frozenset(
        " ".join(words[i : i + n]) for i in range(len(words) - n + 1) if sum(content[i : i + n]) >= PASSAGE_CONTENT
    )


def lead(article: Article) -> str:
    """Headline and first paragraph: what a reader sees first and the sentence model compares."""
    first = next((article.text[b.start : b.end] for b in article.content_blocks() if b.kind == "paragraph"), "")
    return f"{article.title}\n{first}".strip()


def headline(article: Article) -> str:
    """The headline's words folded as names are (a hyphen splits a word, a possessive is cut, "S 5" is "s5")."""
    words = " ".join(fold(part) for w in WORD.findall(article.title or "") for part in _POSSESSIVE.sub("", w).split("-") if part)
    return _DESIGNATION.sub(r"\1", words)


def profile(article: Article) -> Profile:
    return Profile(passages(article), names(article), lead(article), article.published, headline(article))


def _days(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return None


def _incidence(features: Sequence[frozenset[str]], cap: int) -> tuple[sparse.csr_matrix, list[str]]:
    """Articles × features (0/1), features sorted, those in more than ``cap`` articles or in only one left out."""
    df = Counter(f for fs in features for f in fs)
    kept = sorted(f for f, c in df.items() if 2 <= c <= cap)
    column = {f: n for n, f in enumerate(kept)}
    indptr, indices = [0], []
    for fs in features:
        indices += sorted(column[f] for f in fs if f in column)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(features), len(kept))), kept


def name_weights(profiles: Sequence[Profile]) -> dict[str, float]:
    """Each name's weight: its rarity in English times its rarity in the pile.

    In the pile a name keeps its full weight up to ``PILE_SHARE`` of the
    articles and fades as it spreads (a country every article names); a pile
    is taken to be at least ``PILE_MIN`` articles, so that a few reports of
    one event, all naming its places, keep their names' weight.
    """
    n = max(len(profiles), PILE_MIN)
    df = Counter(x for p in profiles for x in p.names)
    full = math.log(1 + 1 / PILE_SHARE)
    return {x: name_rarity(x) * min(1.0, math.log(1 + n / c) / full) for x, c in df.items()}


Pairs = dict[tuple[int, int], tuple[int, float]]


def _strongest_pairs(runs: sparse.csr_matrix, named: sparse.csr_matrix, weighted: sparse.csr_matrix) -> Pairs:
    """Each article's ``NEIGHBOURS`` strongest partners: ``(i, j) -> (shared runs, shared name weight)`` with ``i < j``.

    Pair counts are sparse products over the capped indexes, a chunk of
    articles at a time; ranking by the evidence (passages in units of
    ``PASSAGE_MIN``, plus name weight) keeps the graph at most
    ``NEIGHBOURS`` links per article however large an event grows.
    """
    n = runs.shape[0]
    found: Pairs = {}
    runs_t, named_t = runs.T.tocsr(), named.T.tocsr()
    for start in range(0, n, CHUNK):
        r = (runs[start : start + CHUNK] @ runs_t).tocoo()
        w = (weighted[start : start + CHUNK] @ named_t).tocoo()
        r_keys = (r.row.astype(np.int64) + start) * n + r.col
        w_keys = (w.row.astype(np.int64) + start) * n + w.col
        keys = np.union1d(r_keys, w_keys)
        keys = keys[keys // n != keys % n]  # not the article itself
        rows, cols = keys // n, keys % n
        r_sorted, w_sorted = np.argsort(r_keys), np.argsort(w_keys)
        shared_runs = _lookup(keys, r_keys[r_sorted], r.data[r_sorted])
        shared_weight = _lookup(keys, w_keys[w_sorted], w.data[w_sorted])
        score = np.minimum(shared_runs, 100) / PASSAGE_MIN + shared_weight
        order = np.lexsort((cols, -score, rows))
        rank = np.arange(len(order)) - np.searchsorted(rows[order], rows[order])
        for k in order[rank < NEIGHBOURS]:
            i, j = int(rows[k]), int(cols[k])
            found[(min(i, j), max(i, j))] = (int(shared_runs[k]), float(shared_weight[k]))
    return found


def _lookup(keys: np.ndarray, known: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` at ``keys`` where ``known`` (sorted) has them, else 0."""
    if not len(known):
        return np.zeros(len(keys))
    at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
    return np.where(known[at] == keys, values[at], 0.0)


def links(profiles: Sequence[Profile], leads: np.ndarray) -> dict[tuple[int, int], Link]:
    """The evidence of each article's strongest pairs: ``(i, j) -> Link`` with ``i < j``.

    Both indexes leave out entries in more than ``POSTING_CAP`` articles, and
    each article keeps its ``NEIGHBOURS`` strongest partners, so the work
    grows with the pile, not with its pairs.
    """
    weights = name_weights(profiles)
    runs, _ = _incidence([p.passages for p in profiles], POSTING_CAP)
    named, columns = _incidence([frozenset(x for x in p.names if weights[x] > 0) for p in profiles], POSTING_CAP)
    weighted = (named @ sparse.diags(np.array([weights[c] for c in columns], dtype=np.float64))).tocsr()
    found: dict[tuple[int, int], Link] = {}
    for (i, j), (shared_runs, shared_weight) in sorted(_strongest_pairs(runs, named, weighted).items()):
        common = sorted((x for x in profiles[i].names & profiles[j].names if weights[x] > 0), key=lambda x: (-weights[x], x))
        days = _days(profiles[i].published, profiles[j].published)
        found[(i, j)] = Link(
            other=j,
            passages=shared_runs,
            names=tuple(common),
            weight=shared_weight,
            lead=float(leads[i] @ leads[j]),
            far_apart=days is not None and days > DATE_GAP,
        )
    return found


def _flip(link: Link, other: int) -> Link:
    return Link(other, link.passages, link.names, link.weight, link.lead, link.far_apart)


def _around(found: dict[tuple[int, int], Link]) -> dict[int, list[Link]]:
    """Each article's links, seen from that article (``Link.other`` is the other end)."""
    near: dict[int, list[Link]] = defaultdict(list)
    for (i, j), link in sorted(found.items()):
        near[i].append(link)
        near[j].append(_flip(link, i))
    return near


RESOLUTION = 0.2  # Louvain's resolution: below 1 it prefers fewer, larger communities


def events(n: int, found: dict[tuple[int, int], Link]) -> list[list[int]]:
    """Groups of the decisive-evidence graph: Louvain communities, split again while they hold clear parts,
    each cut into the parts its own links connect."""
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from((i, j, link.strength) for (i, j), link in sorted(found.items()) if link.decisive)
    if not graph.number_of_edges():
        return []
    groups = []
    for community in _communities(graph):
        for part in nx.connected_components(graph.subgraph(community)):
            if len(part) >= 2:
                groups.append(sorted(part))
    return sorted(groups)


def _communities(graph: nx.Graph) -> list[set[int]]:
    """Louvain communities, with the parts each holds only by a thin tie taken out.

    Modularity on a large pile has a resolution limit: a small event tied to
    a large topic by one link (a football piece naming the same African
    countries as a maritime summit) gains too little to stand apart.  Inside
    each community, the parts Louvain finds on its links alone are set apart
    when the weight of their links to the rest is under ``THIN_TIE`` of the
    weight of their own links (their conductance).
    """
    found = []
    for community in nx.community.louvain_communities(graph, weight="weight", seed=LOUVAIN_SEED):
        sub = graph.subgraph(community)
        parts = nx.community.louvain_communities(sub, weight="weight", seed=LOUVAIN_SEED)
        home = {m: k for k, part in enumerate(parts) for m in part}
        volume, cut = [0.0] * len(parts), [0.0] * len(parts)  # one pass over the links for every part's conductance
        for i, j, w in sub.edges(data="weight"):
            volume[home[i]] += w
            volume[home[j]] += w
            if home[i] != home[j]:
                cut[home[i]] += w
                cut[home[j]] += w
        total = sum(volume)
        apart = [k for k in range(len(parts)) if len(parts) > 1 and cut[k] < THIN_TIE * min(volume[k], total - volume[k])]
        found += [parts[k] for k in apart]
        rest = set(community).difference(*(parts[k] for k in apart))
        if rest:
            found.append(rest)
    return found


def signature(members: Sequence[int], profiles: Sequence[Profile], weights: dict[str, float]) -> dict[str, float]:
    """The names that define a group: rare names at least ``SIGNATURE_SHARE`` of its members (and two) use,
    each weighted by its rarity times the share of members using it."""
    uses = Counter(x for m in members for x in profiles[m].names if weights.get(x, 0.0) > 0)
    need = max(2, math.ceil(SIGNATURE_SHARE * len(members)))
    return {x: weights[x] * c / len(members) for x, c in sorted(uses.items()) if c >= need}


def carries(mentions: frozenset[str], sig: dict[str, float]) -> float:
    """Share of a group's signature weight that an article's ``mentions`` hold."""
    total = sum(sig.values())
    return sum(v for x, v in sig.items() if x in mentions) / total if total else 0.0


def defining(members: Sequence[int], profiles: Sequence[Profile], weights: dict[str, float]) -> dict[str, float]:
    """What a large group is about: the rare names nearly every member mentions (``DEFINING_SHARE``), with
    their weights, a name left out when a longer one holds it ("michelle" in "michelle obama")."""
    uses = Counter(x for m in members for x in profiles[m].mentions if weights.get(x, 0.0) > 0)
    common = {x for x, c in uses.items() if c >= DEFINING_SHARE * len(members)}
    held = set().union(*(_runs(x.split(), len(x.split()) - 1) for x in common))
    return {x: weights[x] for x in sorted(common - held)}


def strangers(
    groups: list[list[int]], profiles: Sequence[Profile], weights: dict[str, float], near: dict[int, list[Link]]
) -> list[list[int]]:
    """The groups without the members that mention less than half the weight of the names that define their group
    and copy no passages from a member that does; those members form groups of their own where their links connect
    them (copies of one biography).

    The evidence graph ties articles that share side names: a biography of
    Barack Obama names his wife, daughters and university as the pieces on
    Michelle Obama do, a market report names the phone maker whose phone the
    reviews are about.  Such a member is linked to the group but not about
    what all the others are about.  A wire copy that shares passages with a
    member stays, however few of the names its cut leaves.
    """
    split: list[list[int]] = []
    graph: nx.Graph | None = None
    for g in groups:
        core = defining(g, profiles, weights)
        weak = {m for m in g if core and carries(profiles[m].mentions, core) < STRANGER_SHARE}
        apart = {m for m in weak if not any(link.copied and link.other in g and link.other not in weak for link in near.get(m, ()))}
        if not apart:
            split.append(g)
            continue
        if graph is None:
            graph = nx.Graph((i, link.other) for i, around in sorted(near.items()) for link in around if link.decisive)
        kept = sorted(set(g) - apart)
        split += [kept] * (len(kept) >= 2) + [sorted(part) for part in nx.connected_components(graph.subgraph(apart)) if len(part) >= 2]
    return sorted(split)


Fits = Callable[[Sequence[int], float], list[int]]


def _fits(groups: list[list[int]], profiles: Sequence[Profile], leads: np.ndarray, weights: dict[str, float]) -> Fits:
    """A test of which of ``groups`` some articles claim: they carry a share of its signature, hold at
    least ``CLAIM_MIN`` of its names' weight, have a lead like one of its members' leads and are no
    strangers to it (they mention ``STRANGER_SHARE`` of the names that define it)."""
    signatures = [signature(g, profiles, weights) for g in groups]
    cores = [defining(g, profiles, weights) for g in groups]
    by_name: dict[str, list[int]] = defaultdict(list)
    for n, sig in enumerate(signatures):
        for x in sig:
            by_name[x].append(n)

    def fits(members: Sequence[int], share: float) -> list[int]:
        held = frozenset(x for m in members for x in profiles[m].mentions)
        return [
            n
            for n in sorted({n for x in held for n in by_name.get(x, ())})
            if carries(held, signatures[n]) >= share
            and sum(weights[x] for x in held if x in signatures[n]) >= CLAIM_MIN
            and float(np.max(leads[groups[n]] @ leads[list(members)].T)) >= LEAD_FLOOR
            and (not cores[n] or carries(held, cores[n]) >= STRANGER_SHARE)
        ]

    return fits


def attach(groups: list[list[int]], profiles: Sequence[Profile], leads: np.ndarray, weights: dict[str, float]) -> list[list[int]]:
    """Give each small group, then each article left out, to the one group whose names it carries.

    A feature piece shares little text and only some names with each fellow
    article, but it names the event's people and places: it carries at least
    ``CARRY_MIN`` of the group's signature, and no other group's signature is
    carried as well.  A smaller group joins a larger one when its members
    together carry ``GROUP_CARRY_MIN`` of it (the few reports of a subject
    that the evidence graph left apart).  Each pass judges against the groups
    as they stand before it, so the order of articles does not matter.
    """
    fits = _fits(groups, profiles, leads, weights)
    joined = [list(g) for g in groups]
    for n in sorted(range(len(groups)), key=lambda n: (len(groups[n]), groups[n])):  # smaller first: a home is larger
        home = [h for h in fits(groups[n], GROUP_CARRY_MIN) if len(groups[h]) > len(groups[n])]
        if len(home) == 1:
            joined[home[0]] += joined[n]
            joined[n] = []
    merged = [sorted(g) for g in joined if g]
    owner = {m for g in merged for m in g}
    fits = _fits(merged, profiles, leads, weights)
    for m in range(len(profiles)):
        if m not in owner and len(home := fits([m], CARRY_MIN)) == 1:
            merged[home[0]].append(m)
    return sorted(sorted(g) for g in merged)


def group_profiles(profiles: Sequence[Profile], leads: np.ndarray) -> Grouping:
    """Group articles given as profiles, with their leads' unit embeddings (one row per article)."""
    found = links(profiles, leads)
    near = _around(found)
    weights = name_weights(profiles)
    groups = attach(strangers(events(len(profiles), found), profiles, weights, near), profiles, leads, weights)
    groups = strangers(groups, profiles, weights, near)  # a small group that joined a large one may hold a stranger to it
    owner = {m: g for g, members in enumerate(groups) for m in members}
    described = tuple(_describe(g, profiles, near) for g in groups)
    unmatched = tuple(m for m in range(len(profiles)) if m not in owner)
    misses = []
    for m in unmatched:
        best = max((link for link in near.get(m, ()) if link.other in owner), key=lambda link: (link.strength, -link.other), default=None)
        if best is None:
            misses.append(Miss(m, _nearest_by_lead(m, groups, leads), None))
            continue
        core = defining(groups[owner[best.other]], profiles, weights) if best.decisive else {}
        if carries(profiles[m].mentions, core) >= STRANGER_SHARE:
            core = {}  # left out for another reason than the names: say what the evidence was
        misses.append(Miss(m, owner[best.other], best, tuple(core), tuple(x for x in core if x in profiles[m].mentions)))
    return Grouping(described, unmatched, tuple(misses))


def _nearest_by_lead(m: int, groups: list[list[int]], leads: np.ndarray) -> int | None:
    """The group whose leads are most like ``m``'s, for an article that shares nothing with any group."""
    if not groups:
        return None
    scores = [float(np.max(leads[g] @ leads[m])) for g in groups]
    return int(np.argmax(scores))


def _describe(members: list[int], profiles: Sequence[Profile], near: dict[int, list[Link]]) -> Group:
    inside = set(members)
    uses = Counter(x for m in members for x in profiles[m].names)
    ties = []
    shared: Counter[str] = Counter()
    for m in members:
        fellows = [link for link in near.get(m, ()) if link.other in inside and link.decisive]
        best = max(fellows, key=lambda link: (link.strength, -link.other), default=None)
        ties.append(best)
        shared.update({x for link in fellows for x in link.names})
    common = sorted((x for x in shared if uses[x] >= 2), key=lambda x: (-uses[x], x))
    return Group(tuple(members), tuple((x, uses[x]) for x in common[:8]), tuple(ties))


def group_articles(articles: Sequence[Article]) -> Grouping:
    """Group ``articles`` into events; indices in the result refer to ``articles``."""
    from generator.embeddings import embed

    profiles = [profile(a) for a in articles]
    return group_profiles(profiles, embed([p.lead for p in profiles]))


def topic_slug(articles: Sequence[Article]) -> str:
    """A slug that stays put when articles join: from the earliest article's headline.

    "Earliest" is the oldest publication date when known, else the first
    file name, so adding a later article never changes the topic's URL;
    articles with a headline of their own (not a title cut from the lede) come first, for a readable URL.
    """
    first = min(articles, key=lambda a: (a.title == a.id or not any(b.kind == "headline" for b in a.blocks), a.published or "9999", a.path))
    return slugify(first.title or first.id)


def shared_passages(a: Article, b: Article, n: int = PASSAGE_WORDS) -> tuple[int, int]:
    """Passages of ``a`` that ``b`` contains word for word (runs of at least ``n`` folded words), and their words."""
    words = [t.norm for t in article_tokens(a)]
    other = [t.norm for t in article_tokens(b)]
    theirs = {tuple(other[i : i + n]) for i in range(len(other) - n + 1)}
    hits = [i for i in range(len(words) - n + 1) if tuple(words[i : i + n]) in theirs]
    runs = [(i, i) for i in hits[:1]]
    for i in hits[1:]:
        runs[-1:] = [(runs[-1][0], i)] if i == runs[-1][1] + 1 else [runs[-1], (i, i)]
    return len(runs), sum(end - start + n for start, end in runs)


def _because(link: Link, passages: tuple[int, int]) -> str:
    """The evidence of one link in words, with counts."""
    count, words = passages
    parts = [f"{count} shared passages ({words} words)" if count else "no shared passage"]
    if link.names:
        shown = ", ".join(link.names[:6]) + (", …" if len(link.names) > 6 else "")
        parts.append(f"{len(link.names)} rare names ({shown}; weight {link.weight:.1f})")
    else:
        parts.append("no rare name")
    parts.append(f"lead similarity {link.lead:.2f}")
    if link.far_apart:
        parts.append(f"published more than {DATE_GAP} days apart")
    return ", ".join(parts)


def reasons(articles: Sequence[Article], group: Group) -> list[str]:
    """Why each member is in its group: the fellow it is most strongly linked to and what they share,
    or, for a member that joined on the group's names, which of them it carries."""
    lines = []
    for m, tie in zip(group.members, group.ties):
        if tie is None:
            mentioned = Profile(frozenset(), names(articles[m]), "", headline=headline(articles[m])).mentions
            carried = [f"{x} ({c})" for x, c in group.names if x in mentioned]
            lines.append(f"carries the topic's names: {', '.join(carried) or 'none'}")
        else:
            lines.append(f"with {articles[tie.other].id}: {_because(tie, shared_passages(articles[m], articles[tie.other]))}")
    return lines


def left_out(articles: Sequence[Article], grouping: Grouping, miss: Miss) -> str:
    """Why an unmatched article is on its own: its nearest topic and the evidence that fell short."""
    if miss.nearest is None:
        return "no topic to compare with"
    topic = topic_title([articles[m] for m in grouping.groups[miss.nearest].members])
    if miss.link is None:
        return f"nearest topic \u201c{topic}\u201d by its lead, but it shares no passage and no rare name with it"
    need = NAME_MIN if miss.link.lead >= LEAD_FLOOR else 2 * NAME_MIN
    short = f"fewer than {PASSAGE_MIN} shared passages and rare-name weight under {need:.0f}"
    if miss.core:
        short = (
            f"nearly every member names {', '.join(miss.core)}; it names "
            f"{', '.join(miss.mentioned) if miss.mentioned else 'none of them'}, under half their weight"
        )
    return (
        f"nearest topic \u201c{topic}\u201d (with {articles[miss.link.other].id}: "
        f"{_because(miss.link, shared_passages(articles[miss.article], articles[miss.link.other]))}); left out: {short}"
    )


UNMATCHED_NOTE = "Unmatched: no other article in the pile reports this; shown on its own."


def split_pile(pile: Topic) -> tuple[Topic, ...]:
    """Turn a topic of loose files into one topic per group, plus one per unmatched article.

    Slugs are kept unique within the pile; an unmatched article's topic says so in its summary.
    """
    grouping = group_articles(pile.articles)
    parts = [
        (
            tuple(pile.articles[m] for m in g.members),
            f"Grouped automatically; shared names: {', '.join(x for x, _ in g.names[:8]) or 'shared passages only'}.",
        )
        for g in grouping.groups
    ] + [((pile.articles[m],), UNMATCHED_NOTE) for m in grouping.unmatched]
    topics, used = [], set()
    for members, summary in sorted(parts, key=lambda p: p[0][0].path):
        slug = base = topic_slug(members)
        n = 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        topics.append(Topic(slug, topic_title(members), members, summary, pile.folder))
    return tuple(topics)


def write_grouping(pile: Topic, seeds: Path) -> list[Path]:
    """Move each group's files into a new topic folder with a ``topic.yml``; unmatched files stay loose.

    The ``topic.yml`` records the title, the slug (so the URL stays put as
    articles are added) and what the text revealed about each article.
    """
    made = []
    for topic in split_pile(pile):
        if len(topic.articles) < 2:
            continue
        folder = seeds / topic.slug
        n = 1
        while folder.exists():
            n += 1
            folder = seeds / f"{topic.slug}-{n}"
        folder.mkdir()
        articles = {}
        for a in topic.articles:
            (seeds / a.path).rename(folder / Path(a.path).name)
            found = {k: getattr(a, k) for k in ("outlet", "published", "language", "byline") if getattr(a, k)}
            articles[Path(a.path).name] = found or None
        meta = {"title": topic.title, "slug": topic.slug, "summary": topic.summary, "articles": articles}
        (folder / TOPIC_FILE).write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
        made.append(folder)
    return made
