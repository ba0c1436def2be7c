"""A spaCy package must hold the model it is named for, at the version pyproject.toml pins."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from qualcode.errors import QualcodeError
from qualcode.nlp import pipeline

REPO = Path(__file__).resolve().parents[2]

# A real package whose load() gives a real (blank) spaCy pipeline with the meta written here.
PACKAGE = '''
import spacy
__version__ = "{version}"
def load(**overrides):
    nlp = spacy.blank("en")
    nlp.meta["name"], nlp.meta["version"] = "{name}", "{version}"
    return nlp
'''


@pytest.fixture
def model_package(tmp_path, monkeypatch):
    def make(module: str, name: str, version: str) -> str:
        (tmp_path / f"{module}.py").write_text(PACKAGE.format(name=name, version=version), encoding="utf-8")
        return module

    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    pipeline.clear_cache()
    for module in [m for m in sys.modules if m.startswith("en_qcmodel_")]:
        del sys.modules[module]


def test_the_pin_matches_pyproject():
    pins = dict(re.findall(r'"([a-z0-9-]+)==([^"]+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8")))
    for package, version in pipeline.PINNED_MODELS.items():
        assert pins[package.replace("_", "-")] == version


def test_the_installed_model_is_the_one_named():
    nlp, info = pipeline.load_pipeline()
    if info.name == "blank_en":
        pytest.skip("no English model installed")
    assert info.name in pipeline.DEFAULT_PREFER


def test_a_package_holding_the_model_it_names_loads(model_package):
    package = model_package("en_qcmodel_right", "qcmodel_right", "1.2.0")
    _, info = pipeline.load_pipeline(prefer=(package,))
    assert (info.name, info.version) == ("en_qcmodel_right", "1.2.0")


def test_a_package_holding_another_model_is_refused_by_name(model_package):
    package = model_package("en_qcmodel_wrong", "core_web_md", "1.2.0")
    with pytest.raises(QualcodeError, match=r"en_qcmodel_wrong holds the model en_core_web_md 1\.2\.0"):
        pipeline.load_pipeline(prefer=(package,))


def test_a_pinned_package_at_another_version_is_refused(model_package, monkeypatch):
    package = model_package("en_qcmodel_pinned", "qcmodel_pinned", "2.0.0")
    monkeypatch.setitem(pipeline.PINNED_MODELS, package, "1.0.0")
    with pytest.raises(QualcodeError, match=r"not en_qcmodel_pinned 1\.0\.0; reinstall it \(en-qcmodel-pinned==1\.0\.0\)"):
        pipeline.load_pipeline(prefer=(package,))


def test_a_fresh_load_moves_the_model_out_of_the_collectors_reach():
    import gc

    pipeline.clear_cache()
    before = gc.get_freeze_count()
    loaded = pipeline.load_pipeline(prefer=())  # the blank pipeline: a load without a model package
    assert loaded.info.name == "blank_en"
    assert gc.get_freeze_count() > before  # full collections no longer walk it (a pause on key presses)
    frozen = gc.get_freeze_count()
    pipeline.load_pipeline(prefer=())  # cached: no second collection or freeze
    assert gc.get_freeze_count() == frozen
