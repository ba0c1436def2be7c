"""The import contracts in pyproject.toml hold (the README's test command checks them too)."""

from pathlib import Path

from importlinter import api  # noqa: F401  (configures import-linter's settings on import)
from importlinter.application import use_cases

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold(capsys):
    kept = use_cases.lint_imports(
        config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True
    )
    report = capsys.readouterr().out
    assert kept, report
    # Three contracts, each named in the report as kept.
    assert report.count(" KEPT") == 3, report
