"""Fixtures for the anonymiser tests: the invented roster and gold excerpts."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.anonymise import Anonymiser, Roster

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "anonymise"


@pytest.fixture(scope="session")
def roster() -> Roster:
    return Roster.from_file(FIXTURES / "roster.yaml")


@pytest.fixture(scope="session")
def anonymiser(roster) -> Anonymiser:
    return Anonymiser(roster=roster)


@pytest.fixture(scope="session")
def roster_only(roster) -> Anonymiser:
    """Roster and patterns without spaCy: isolates those layers."""
    return Anonymiser(roster=roster, use_ner=False)
