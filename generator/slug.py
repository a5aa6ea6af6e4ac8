"""Safe, stable slugs for topic and article file names.

A slug becomes a path under the docs and site folders, so it may only hold
lower-case ASCII letters, digits and inner hyphens: no dots, no slashes, no
reserved device names, never empty.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection

from unidecode import unidecode

_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "index", "assets", "search", "data", "topics", "articles"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)
MAX_LENGTH = 64


def slugify(name: str) -> str:
    """A path-safe slug for ``name``; a short hash keeps distinct names distinct when folding loses them."""
    ascii_name = unidecode(name).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:MAX_LENGTH].strip("-")
    if not slug or slug in _RESERVED:
        digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug or 'topic'}-{digest}"
    return slug


def unique_slug(slug: str, taken: Collection[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``… whichever ``taken`` does not hold yet."""
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key reading digit runs as numbers, so ``(2)`` comes before ``(10)`` and ``p9`` before ``p10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold()) for part in re.split(r"(\d+)", name) if part)
