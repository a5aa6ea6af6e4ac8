"""A topic's title from its articles' headlines, for topics no ``topic.yml`` names.

Kept apart from the grouping (which needs numpy, scipy and networkx) so that
reading a topic folder can title it without loading them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .models import Article
from .normalise import STOPWORDS, WORD, fold

# Function words beyond the aligner's list: they say nothing about what an article is about.
GROUP_STOPWORDS = STOPWORDS | frozenset(
    """all any can did do does done just more most much may might must new now
    only other out own same so some such up very what one two also like get got
    him me my mr mrs ms us your yours them themselves itself here how why if
    because being both each few further again against below between down during
    off once under until through too am nor across per via told according""".split()
)


def topic_title(articles: Sequence[Article]) -> str:
    """A readable title for a group: the headline that best shares the group's words.

    The headline whose words the other headlines use most is the most
    representative one; ties go to the shorter, then the earlier article.
    """
    heads = [a.title.strip() for a in articles if a.title.strip()]
    if not heads:
        return articles[0].id if articles else ""
    words = [{fold(m.group()) for m in WORD.finditer(h)} - GROUP_STOPWORDS for h in heads]
    common = Counter(w for ws in words for w in ws)

    def score(i: int) -> tuple[float, int, int]:
        ws = words[i]
        shared = sum(common[w] - 1 for w in ws) / (len(ws) or 1)
        return (-shared, len(heads[i]), i)

    return heads[min(range(len(heads)), key=score)]
