"""A topic's title from its articles' headlines, for topics no ``topic.yml`` names.

Kept apart from the grouping (which needs numpy, scipy and networkx) so that
reading a topic folder can title it without loading them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from generator.models import Article
from generator.normalise import STOPWORDS, WORD, fold

_TITLE_STOPWORDS = STOPWORDS | frozenset("all new more one two says say over amid after".split())


def topic_title(articles: Sequence[Article]) -> str:
    """A readable title for a group: the headline that best shares the group's words.

    The headline whose words the other headlines use most is the most
    representative one; ties go to the shorter, then the earlier article.
    """
    heads = [a.title.strip() for a in articles if a.title.strip()]
    if not heads:
        return articles[0].id if articles else ""
    words = [{fold(m.group()) for m in WORD.finditer(h)} - _TITLE_STOPWORDS for h in heads]
    common = Counter(w for ws in words for w in ws)

    def score(i: int) -> tuple[float, int, int]:
        ws = words[i]
        shared = sum(common[w] - 1 for w in ws) / (len(ws) or 1)
        return (-shared, len(heads[i]), i)

    return heads[min(range(len(heads)), key=score)]
