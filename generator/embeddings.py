"""English sentence embeddings from the model that ships inside the ``wordllama`` wheel.

Word overlap decides whether two sentences say the same; the model rescues wording that
drifted (a synonym, a reordered clause, a translated phrase).  The model is loaded once per
process and only from the package folder: ``disable_download`` makes a future release that
wants the network fail loudly instead of reaching out.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from wordllama.inference import WordLlamaInference

DIMENSIONS = 256  # the wheel's l2_supercat weights come in this width


@functools.cache
def sentence_model() -> WordLlamaInference:
    """The wordllama model, loaded from its wheel without any download.

    Importing wordllama calls ``logging.basicConfig(level=INFO)``, which would print
    every INFO record of MkDocs and the rest raw on stderr: the root logger is put back.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import wordllama
    from wordllama import WordLlama

    root.handlers[:], root.level = handlers, level

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, dim=DIMENSIONS, disable_download=True)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text (``float32``, shape ``(len(texts), DIMENSIONS)``)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = sentence_model().embed(list(texts), norm=True)
    return np.asarray(vectors, dtype=np.float32)


def similarity(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Cosine similarity of every text of ``a`` with every text of ``b`` (shape ``(len(a), len(b))``)."""
    return embed(a) @ embed(b).T
