"""Group stage: a pile of loose articles in, topics out.

Users drop scraped files into the seeds folder without telling how many
events they cover.  Articles are compared as TF-IDF vectors over their
folded words (boilerplate left out, headline words counted twice).  Each
article's nearest neighbours come from an inverted index over its most
telling terms, each term's entry capped, so the work grows with the number
of articles times the cap, never with all pairs; later passes look only at
the links of the articles they judge.  Communities of the neighbour graph
(Louvain, which needs no number of topics) are then checked against their
*signature*: the terms most members share and the rest of the pile rarely
uses.  A member that lacks the signature is about something else; it is
taken out and regrouped with the other leftovers, and what finds no group
is reported as unmatched rather than forced in.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import yaml
from scipy import sparse

from .models import Article, Topic
from .read import TOPIC_FILE
from .normalise import STOPWORDS, WORD, article_tokens, fold
from .slug import slugify
from .titles import GROUP_STOPWORDS as _GROUP_STOPWORDS
from .titles import topic_title

_POSSESSIVE = re.compile(r"[’']s$", re.I)

HEADLINE_WEIGHT = 2  # a headline word counts as this many body words
NEIGHBOURS = 10  # neighbours kept per article in the graph
INDEX_TERMS = 30  # an article's heaviest terms that go into the candidate index
SIGNATURE_TERMS = 12  # terms that describe a group
CORE_COVERAGE = 0.75  # a signature term is used by this share of the group
CORE_SHARE = 0.5  # a member carries at least this share of its group's signature
SIGNATURE_LIFT = 4.0  # a signature term is this many times more common inside than outside
CONTRAST = 1.5  # a member's link into its group beats its best link outside by this factor
MIN_MODULARITY = 0.3  # below this a split is noise (Newman and Girvan's rule of thumb)
LOUVAIN_SEED = 7  # Louvain is randomised; a fixed seed keeps builds byte-identical

Vector = dict[str, float]
Around = dict[int, list[tuple[int, float]]]  # each article's links: (other article, cosine)


@dataclass(frozen=True)
class Group:
    """Articles (by index into the input) that report one topic, and why."""

    members: tuple[int, ...]
    signature: tuple[str, ...]
    similarity: float  # mean cosine similarity of the group's neighbour links
    closest: tuple[tuple[int, float], ...] = ()  # per member: its most similar fellow member and the cosine


@dataclass(frozen=True)
class Grouping:
    groups: tuple[Group, ...]
    unmatched: tuple[int, ...]  # articles that belong to no group


def terms(article: Article) -> Counter[str]:
    """Folded content words of ``article``: what its TF-IDF vector is built from."""
    counts: Counter[str] = Counter()
    for block in article.content_blocks():
        weight = HEADLINE_WEIGHT if block.kind == "headline" else 1
        for m in WORD.finditer(article.text, block.start, block.end):
            word = fold(_POSSESSIVE.sub("", m.group()))
            if len(word) > 1 and not word.isdigit() and word not in _GROUP_STOPWORDS:
                counts[word] += weight
    return counts


def document_frequency(docs: Sequence[Counter[str]]) -> Counter[str]:
    return Counter(t for d in docs for t in d)


def tfidf(docs: Sequence[Counter[str]], df: Counter[str]) -> list[Vector]:
    """Unit-length TF-IDF vectors: sublinear term frequency, smoothed IDF.

    The smoothing (``+1``) keeps terms that every article shares weighted,
    so that a small pile of articles about one event still looks alike.
    """
    n = len(docs)
    vectors = []
    for d in docs:
        v = {t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({t: x / norm for t, x in v.items()})
    return vectors


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


POSTING_CAP = 100  # a term's index entry keeps only the articles it weighs most in
CHUNK = 512  # articles handled at once: bounds the memory of the sparse products


def term_matrix(vectors: Sequence[Vector]) -> sparse.csr_matrix:
    """``vectors`` as a sparse matrix: one row per article, one column per term in sorted order."""
    columns = {t: n for n, t in enumerate(sorted({t for v in vectors for t in v}))}
    indptr, indices, data = [0], [], []
    for v in vectors:
        indices += [columns[t] for t in v]
        data += v.values()
        indptr.append(len(indices))
    shape = (len(vectors), len(columns))
    matrix = sparse.csr_matrix((np.array(data, dtype=float), np.array(indices, dtype=np.int64), np.array(indptr)), shape=shape)
    matrix.sort_indices()
    return matrix


def _heaviest(matrix: sparse.csr_matrix, n: int) -> sparse.csr_matrix:
    """Each row's ``n`` largest entries (ties: the earlier term)."""
    rows, cols, data = [], [], []
    for i in range(matrix.shape[0]):
        part = slice(matrix.indptr[i], matrix.indptr[i + 1])
        idx, val = matrix.indices[part], matrix.data[part]
        top = np.lexsort((idx, -val))[:n]
        rows.append(np.full(len(top), i))
        cols.append(idx[top])
        data.append(val[top])
    return sparse.csr_matrix((np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape)


def _capped(index: sparse.csr_matrix, cap: int) -> sparse.csr_matrix:
    """``index`` with each term kept only for the ``cap`` articles it weighs most in (ties: the earlier article).

    A term in thousands of index entries (a running story, a section name)
    would make every pair of those articles a candidate: all pairs again.
    The articles it weighs most in are the ones it still tells apart.
    """
    coo = index.tocoo()
    order = np.lexsort((coo.row, -coo.data, coo.col))
    cols = coo.col[order]
    keep = order[np.arange(len(order)) - np.searchsorted(cols, cols) < cap]
    return sparse.csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=index.shape)


def candidates(matrix: sparse.csr_matrix, cap: int = POSTING_CAP) -> Iterator[tuple[int, np.ndarray]]:
    """Each article (a row of :func:`term_matrix`) and the articles sharing an index term with it, best first.

    The inverted index holds every article's ``INDEX_TERMS`` heaviest terms,
    each term's entry capped at ``cap`` articles; candidates are ranked by
    the weight of the heavy terms they share.  The candidates per article are
    bounded by ``INDEX_TERMS * cap``, whatever the size of the pile.
    """
    index = _heaviest(matrix, INDEX_TERMS)
    postings = _capped(index, cap).T.tocsr()
    for start in range(0, matrix.shape[0], CHUNK):
        scores = (index[start : start + CHUNK] @ postings).tocsr()
        for row in range(scores.shape[0]):
            part = slice(scores.indptr[row], scores.indptr[row + 1])
            others, shared = scores.indices[part], scores.data[part]
            best = others[np.lexsort((others, -shared))]
            yield start + row, best[best != start + row]


def neighbour_links(vectors: Sequence[Vector], k: int = NEIGHBOURS) -> dict[tuple[int, int], float]:
    """Each article's ``k`` most similar articles, as links ``(i, j) -> cosine`` with ``i < j``.

    Exact cosines are computed only for each article's ``3 * k`` best :func:`candidates`.
    """
    links: dict[tuple[int, int], float] = {}
    if len(vectors) < 2:
        return links
    matrix = term_matrix(vectors)
    found = candidates(matrix)
    while batch := list(itertools.islice(found, CHUNK)):
        firsts = np.concatenate([np.full(min(len(c), 3 * k), i, dtype=np.int64) for i, c in batch])
        seconds = np.concatenate([c[: 3 * k] for _, c in batch]).astype(np.int64)
        sims = np.asarray(matrix[firsts].multiply(matrix[seconds]).sum(axis=1)).ravel()
        order = np.lexsort((seconds, -sims, firsts))
        rank = np.arange(len(order)) - np.searchsorted(firsts[order], firsts[order])
        for n in order[rank < k]:
            if sims[n] > 0:
                i, j = int(firsts[n]), int(seconds[n])
                links[(min(i, j), max(i, j))] = float(sims[n])
    return links


def communities(nodes: Iterable[int], near: Around) -> list[list[int]]:
    """Louvain communities of the neighbour graph restricted to ``nodes``; sorted, deterministic.

    A split whose modularity stays below ``MIN_MODULARITY`` is no community
    structure at all (a handful of articles about one event): they stay together.
    """
    graph = _graph(nodes, near)
    if not graph.number_of_edges():
        return [[n] for n in sorted(graph)]
    found = nx.community.louvain_communities(graph, weight="weight", seed=LOUVAIN_SEED)
    if len(found) > 1 and nx.community.modularity(graph, found, weight="weight") < MIN_MODULARITY:
        return [sorted(graph)]
    return sorted((sorted(c) for c in found), key=lambda c: c[0])


def _graph(nodes: Iterable[int], near: Around) -> nx.Graph:
    """The neighbour graph restricted to ``nodes``, built from their own links only (edges in sorted order)."""
    keep = sorted(set(nodes))
    members = set(keep)
    graph = nx.Graph()
    graph.add_nodes_from(keep)
    graph.add_weighted_edges_from((i, j, s) for i in keep for j, s in near.get(i, ()) if i < j and j in members)
    return graph


def _sum(vectors: Iterable[Vector]) -> Vector:
    total: dict[str, float] = defaultdict(float)
    for v in vectors:
        for t, x in v.items():
            total[t] += x
    return total


def periphery(members: list[int], near: Around, vectors: Sequence[Vector]) -> list[int]:
    """Members that only fringe a tight core: same subject, not the same event.

    The group's own sub-communities are examined.  A part whose members are
    less alike among themselves than they are to the rest, while the rest is
    ``CONTRAST`` times more alike among itself than to that part, is a loose
    fringe around a core (background pieces around one report).  Mean
    similarities come from summed vectors, so this costs one pass per part.
    """
    if len(members) < 4:
        return []
    parts = nx.community.louvain_communities(_graph(members, near), weight="weight", seed=LOUVAIN_SEED)
    if len(parts) < 2:
        return []
    sums = [(_sum(vectors[m] for m in p), len(p)) for p in parts]
    whole = _sum(vectors[m] for m in members)

    def within(total: Vector, size: int) -> float:
        return (cosine(total, total) - size) / (size * (size - 1)) if size > 1 else 0.0

    fringe: list[int] = []
    for part, (total, size) in zip(parts, sums):
        rest = {t: whole[t] - total.get(t, 0.0) for t in whole}
        rest_size = len(members) - size
        across = cosine(total, rest) / (size * rest_size)
        if within(total, size) < across and within(rest, rest_size) >= CONTRAST * across:
            fringe += part
    return sorted(fringe) if len(fringe) < len(members) else []


def signature(members: Sequence[int], docs: Sequence[Counter[str]], df: Counter[str]) -> dict[str, float]:
    """Terms that most of ``members`` use and the rest of the pile rarely does, with their weights.

    A term qualifies when at least half the members (and at least two) use it
    and its rate inside is ``SIGNATURE_LIFT`` times its rate outside.  With no
    outside to compare with (the whole pile is one group) the signature is empty.
    """
    n, size = len(docs), len(members)
    if n == size:
        return {}
    inside = Counter(t for m in members for t in docs[m])
    need = max(2, math.ceil(size * CORE_COVERAGE))
    scored = []
    for t, c in inside.items():
        if c < need:
            continue
        rate_in = c / size
        rate_out = (df[t] - c + 0.5) / (n - size + 1)
        lift = rate_in / rate_out
        if lift >= SIGNATURE_LIFT:
            scored.append((rate_in * math.log(lift), t))
    scored.sort(key=lambda st: (-st[0], st[1]))
    return {t: s for s, t in scored[:SIGNATURE_TERMS]}


def carries(doc: Counter[str], sig: dict[str, float]) -> float:
    """Share of the signature's weight that ``doc`` uses."""
    total = sum(sig.values())
    return sum(w for t, w in sig.items() if t in doc) / total if total else 1.0


def around(links: dict[tuple[int, int], float]) -> Around:
    """The links of each article, looked up by article."""
    found: Around = defaultdict(list)
    for (i, j), s in sorted(links.items()):
        found[i].append((j, s))
        found[j].append((i, s))
    return dict(found)


def stands_out(member: int, group: set[int] | frozenset[int], near: Around) -> bool:
    """Whether ``member``'s best link into ``group`` clearly beats its best link outside it.

    The bar is the article's own: an article whose neighbours are all about
    as close (a loosely related piece near a topic) has no group, however
    high or low its similarities are on the pile's scale.
    """
    inside = max((s for o, s in near.get(member, ()) if o in group), default=0.0)
    outside = max((s for o, s in near.get(member, ()) if o not in group), default=0.0)
    return inside >= CONTRAST * outside


def purify(members: list[int], docs: Sequence[Counter[str]], df: Counter[str], near: Around) -> tuple[list[int], list[int]]:
    """Split a community into the members that fit its signature and those that do not.

    A member whose link into the community does not stand out
    (:func:`stands_out`) goes first.  The rest must carry the signature,
    which is recomputed after each removal, since an intruder pulls it
    toward itself; stops when every remaining member fits.
    """
    community = set(members)
    out = [m for m in members if not stands_out(m, community, near)]
    kept = [m for m in members if m not in out]
    while len(kept) >= 2:
        sig = signature(kept, docs, df)
        strays = [m for m in kept if carries(docs[m], sig) < CORE_SHARE]
        if not strays:
            break
        out += strays
        kept = [m for m in kept if m not in strays]
    if len(kept) < 2:
        return [], sorted(out + kept)
    return kept, sorted(out)


def nearest(links: dict[tuple[int, int], float]) -> dict[int, int]:
    """Each article's most similar article."""
    best: dict[int, tuple[float, int]] = {}
    for (i, j), s in sorted(links.items()):
        for a, b in ((i, j), (j, i)):
            if s > best.get(a, (-1.0, -1))[0]:
                best[a] = (s, b)
    return {a: b for a, (_, b) in best.items()}


def split(community: list[int], docs: Sequence[Counter[str]], df: Counter[str], vectors: Sequence[Vector], near: Around) -> tuple[list[list[int]], list[int]]:
    """Groups found in one community, and the members that fit none.

    A community with a signature is purified; one without (no term most
    members share) is several topics glued together, so its own communities
    are examined in turn, unless it is the whole pile, where there is no
    outside to tell a signature from.
    """
    if not signature(community, docs, df):
        if len(community) == len(docs):
            return ([community], []) if len(docs) >= 2 else ([], community)
        parts = communities(community, near)
        if len(parts) == 1:
            return [], community
        groups, strays = [], []
        for part in parts:
            g, s = split(part, docs, df, vectors, near)
            groups += g
            strays += s
        return groups, strays
    kept, strays = purify(community, docs, df, near)
    if not kept:
        return [], strays
    halo = periphery(kept, near, vectors)
    return [[m for m in kept if m not in halo]], sorted(strays + halo)


ATTACH_SHARE = 0.8  # an unmatched article joins a group holding this share of its links


def attach(groups: list[list[int]], near: Around, docs: Sequence[Counter[str]], df: Counter[str]) -> list[list[int]]:
    """Give each unmatched article to the group that holds nearly all its links.

    The signature check is strict on purpose and turns away short or
    sideways pieces (a profile, a reaction); when almost every neighbour of
    such an article is in one group and that link stands out, the
    neighbourhood vouches for it, provided the article uses at least one of
    the group's signature terms (neighbours alone can be a subject's
    neighbours, not the group's).  Judged against the groups as found, so
    the order of articles does not matter.
    """
    owner = {m: n for n, g in enumerate(groups) for m in g}
    members = [set(g) for g in groups]
    signatures: dict[int, dict[str, float]] = {}
    joined = [list(g) for g in groups]
    for m in sorted(set(near) - set(owner)):
        votes = Counter(owner[o] for o, _ in near[m] if o in owner)
        if not votes:
            continue
        n, count = votes.most_common(1)[0]
        if count < ATTACH_SHARE * len(near[m]) or not stands_out(m, members[n], near):
            continue
        if n not in signatures:
            signatures[n] = signature(groups[n], docs, df)
        if carries(docs[m], signatures[n]) > 0:
            joined[n].append(m)
    return [sorted(g) for g in joined]


def group_docs(docs: Sequence[Counter[str]]) -> Grouping:
    """Group articles given as term counts (see :func:`terms`)."""
    df = document_frequency(docs)
    vectors = tfidf(docs, df)
    links = neighbour_links(vectors)
    near = around(links)
    closest = nearest(links)
    groups: list[list[int]] = []
    pool = list(range(len(docs)))
    while pool:
        leftovers: list[int] = []
        for community in communities(pool, near):
            found, strays = split(community, docs, df, vectors, near)
            for g in found:
                # Two articles make a group only if each is the other's closest match.
                if len(g) == 2 and (closest.get(g[0]) != g[1] or closest.get(g[1]) != g[0]):
                    strays += g
                else:
                    groups.append(g)
            leftovers += strays
        if len(leftovers) == len(pool):
            break
        pool = sorted(leftovers)
    groups = attach(groups, near, docs, df)
    return Grouping(
        groups=tuple(_describe(g, docs, df, vectors, near) for g in sorted(groups, key=lambda g: g[0])),
        unmatched=tuple(sorted(set(range(len(docs))) - {m for g in groups for m in g})),
    )


def _describe(members: list[int], docs: Sequence[Counter[str]], df: Counter[str], vectors: Sequence[Vector], near: Around) -> Group:
    inside = set(members)
    sims = [s for m in members for o, s in near.get(m, ()) if m < o and o in inside]
    return Group(
        tuple(members),
        tuple(signature(members, docs, df)),
        sum(sims) / len(sims) if sims else 0.0,
        tuple(_closest(m, inside, vectors, near) for m in members),
    )


def _closest(member: int, members: set[int], vectors: Sequence[Vector], near: Around) -> tuple[int, float]:
    """The fellow member ``member`` is most similar to: its best link in the group, else an exact search."""
    linked = [(s, -o) for o, s in near.get(member, ()) if o in members]
    sim, other = max(linked or [(cosine(vectors[member], vectors[o]), -o) for o in members if o != member])
    return -other, sim


def group_articles(articles: Sequence[Article]) -> Grouping:
    """Group ``articles`` into topics; indices in the result refer to ``articles``."""
    return group_docs([terms(a) for a in articles])


def topic_slug(articles: Sequence[Article]) -> str:
    """A slug that stays put when articles join: from the earliest article's headline.

    "Earliest" is the oldest publication date when known, else the first
    file name, so adding a later article never changes the topic's URL;
    articles with a headline of their own come first, for a readable URL.
    """
    first = min(articles, key=lambda a: (a.title == a.id, a.published or "9999", a.path))
    return slugify(first.title or first.id)


PASSAGE_WORDS = 8  # a run of this many words in common counts as a shared passage


def shared_passages(a: Article, b: Article, n: int = PASSAGE_WORDS) -> int:
    """How many ``n``-word runs of ``a`` also occur in ``b``: evidence of copied text."""

    def runs(article: Article) -> set[tuple[str, ...]]:
        words = [t.norm for t in article_tokens(article)]
        return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}

    return len(runs(a) & runs(b))


def reasons(articles: Sequence[Article], group: Group) -> list[str]:
    """Why each member is in its group: its closest fellow, their similarity and shared passages."""
    lines = []
    for m, (other, sim) in zip(group.members, group.closest):
        shared = shared_passages(articles[m], articles[other])
        lines.append(f"closest to {articles[other].id} (similarity {sim:.2f}, {shared} shared {PASSAGE_WORDS}-word passages)")
    return lines


UNMATCHED_NOTE = "Unmatched: no other article in the pile reports this; shown on its own."


def split_pile(pile: Topic) -> tuple[Topic, ...]:
    """Turn a topic of loose files into one topic per group, plus one per unmatched article.

    Slugs are kept unique within the pile; an unmatched article's topic says so in its summary.
    """
    grouping = group_articles(pile.articles)
    parts = [
        (tuple(pile.articles[m] for m in g.members), f"Grouped automatically; shared terms: {', '.join(g.signature[:8]) or 'all'}.")
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
