"""A large codebook goes in level by level: same tree, positions and audit trail as one code at a time."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import func, select

from qualcode.codebook.loader import parse_codebook
from qualcode.codebook.operations import import_spec
from qualcode.store import codes as code_repo
from qualcode.store.orm import AuditRow

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from codebook_import_bench import codebook_yaml


def test_a_three_level_codebook_imports_and_reimports(db):
    spec = parse_codebook(codebook_yaml(300), "big.yaml")
    expected = [path for path, _ in spec.walk()]  # depth first, as codes list shows them
    with db.transaction() as session:
        first = import_spec(session, spec, coder="ana")
    with db.transaction() as session:
        again = import_spec(session, parse_codebook(codebook_yaml(300), "big.yaml"), coder="ana")
        codes = code_repo.list_all(session)
        audits = dict(session.execute(select(AuditRow.action, func.count()).where(AuditRow.entity == "code")
                                      .group_by(AuditRow.action)).all())
    assert (first.added, first.updated, again.added, again.updated) == (300, 0, 0, 300)
    assert [c.path for c in codes] == expected
    assert audits == {"add": 300, "update": 300}
    assert [c.position for c in codes if c.parent_id is None] == list(range(len(spec.codes)))
    assert codes[1].keywords == ("alpha", "beta")
