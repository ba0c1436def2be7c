"""Static English word vectors shipped inside the package: sentence vectors with numpy alone, offline."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path

# 40,000 frequent English words, each run alone through all-MiniLM-L6-v2 (Apache-2.0) and reduced by PCA
# to 256 dimensions, stored as int8 with one scale per dimension; built by bench/build_static_embeddings.py.
DATA = Path(__file__).parent / "data" / "static-words-256.npz"
WORD = re.compile(r"[a-z](?:[a-z'-]*[a-z])?")
# Smooth inverse frequency (Arora et al. 2017): a word of probability p in the project weighs a / (a + p).
SIF_A = 1e-3

_lock = threading.Lock()
_loaded: WordVectors | None = None


class WordVectors:
    """The shipped word -> vector table."""

    def __init__(self, words: Sequence[str], vectors):
        self.index = {w: i for i, w in enumerate(words)}
        self.vectors = vectors

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def word_ids(self, text: str) -> list[int]:
        return [i for i in (self.index.get(w) for w in WORD.findall(text.lower())) if i is not None]


def load() -> WordVectors:
    """The shipped table, read once per process (about 0.1 s)."""
    global _loaded
    with _lock:
        if _loaded is None:
            import numpy as np

            with np.load(DATA) as data:
                words = str(data["words"]).split("\n")
                vectors = data["vectors"].astype(np.float32) * data["scale"].astype(np.float32)
            _loaded = WordVectors(words, vectors)
        return _loaded


class SentenceVectors:
    """A text's vector: the SIF-weighted mean of its words' vectors, centred on the project, unit length.

    Word weights come from the project's own text (`fit`): a word said everywhere in it ("think",
    "really") weighs little, a word rare in it weighs fully. Centring removes the direction every
    sentence shares, which otherwise makes any two texts look alike.
    """

    kind = "vectors"  # shared between components like the TF-IDF features (ranker.assemble)

    def fit(self, texts: Sequence[str]) -> SentenceVectors:
        import numpy as np

        self.table_ = load()
        counts = np.zeros(len(self.table_.index), dtype=np.float64)
        for text in texts:
            np.add.at(counts, self.table_.word_ids(text), 1.0)
        probability = counts / max(1.0, counts.sum())
        self.weights_ = (SIF_A / (SIF_A + probability)).astype(np.float32)
        raw = self._raw(list(texts)[:5000])
        known = raw[np.abs(raw).sum(axis=1) > 0]
        self.mean_ = known.mean(axis=0) if len(known) else np.zeros(self.table_.dims, dtype=np.float32)
        self._rows: dict[str, object] = {}  # text -> its row, as TextFeatures remembers them
        return self

    def __getstate__(self) -> dict:
        """Pickled without the shipped table (read again from the package) and with its rows as one matrix."""
        import numpy as np

        state = {k: v for k, v in self.__dict__.items() if k not in ("table_", "_rows")}
        texts = list(getattr(self, "_rows", {}))
        state["_row_texts"] = texts
        state["_row_matrix"] = np.vstack([self._rows[t] for t in texts]) if texts else None
        return state

    def __setstate__(self, state: dict) -> None:
        texts, matrix = state.pop("_row_texts", []), state.pop("_row_matrix", None)
        self.__dict__.update(state)
        self.table_ = load()
        self._rows = {text: matrix[i] for i, text in enumerate(texts)} if matrix is not None else {}

    def _raw(self, texts: Sequence[str]):
        import numpy as np

        out = np.zeros((len(texts), self.table_.dims), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.table_.word_ids(text)
            if ids:
                out[row] = self.weights_[ids] @ self.table_.vectors[ids]
        return out

    def transform(self, texts: Sequence[str]):
        """(texts x 256) float32; a text with no known word is a row of zeros. Rows are remembered by text,
        so a retrain computes only the new excerpts'."""
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self._rows))
        if missing:
            self._rows.update(zip(missing, self._fresh(missing), strict=True))
        if not texts:
            return np.zeros((0, self.table_.dims), dtype=np.float32)
        return np.vstack([self._rows[t] for t in texts])

    def _fresh(self, texts: Sequence[str]):
        import numpy as np

        raw = self._raw(texts)
        known = np.abs(raw).sum(axis=1) > 0
        centred = np.where(known[:, None], raw - self.mean_, 0.0)
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        return (centred / np.where(norms > 0, norms, 1.0)).astype(np.float32)
