"""The memos repository: memos come back as domain Memos, by target, oldest first, each add audited."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.domain import Memo, MemoTarget
from qualcode.store import audit, codes, memos


def test_add_and_list_by_target(db):
    with db.transaction() as s:
        code = codes.add(s, "Barriers")
        first = memos.add(s, target=MemoTarget.CODE, target_id=code.id, text="Often tied to turnover.", title="t1")
        memos.add(s, target=MemoTarget.PROJECT, target_id=None, text="Stage one.", action="import", coder="Ines Varga")
        second = memos.add(s, target=MemoTarget.CODE, target_id=code.id, text="Check wave two.", audit_text=True)
    with db.reading() as s:
        on_code = memos.for_target(s, MemoTarget.CODE, code.id)
        assert on_code == [first, second]
        assert all(isinstance(m, Memo) for m in on_code)
        assert [m.text for m in memos.for_target(s, MemoTarget.PROJECT, None)] == ["Stage one."]
        assert memos.for_target(s, MemoTarget.DOCUMENT, code.id) == []
        assert [m.id for m in memos.list_all(s)] == sorted(m.id for m in memos.list_all(s))
        assert first.guid and first.guid != second.guid and first.created is not None
        logged = {e.entity_id: e for e in audit.entries(s, entity="memo")}
        assert logged[first.id].action == "add" and "text" not in logged[first.id].after
        assert logged[second.id].after["text"] == "Check wave two."
        assert any(e.action == "import" for e in logged.values())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(min_size=1, max_size=40).filter(lambda t: "\x00" not in t), min_size=1, max_size=5))
def test_texts_round_trip(sqlite_db, texts):
    with sqlite_db.transaction() as s:
        added = [memos.add(s, target=MemoTarget.DOCUMENT, target_id=7, text=t) for t in texts]
    with sqlite_db.reading() as s:
        stored = memos.for_target(s, MemoTarget.DOCUMENT, 7)
    assert [m.text for m in stored[-len(texts):]] == texts
    assert [m.id for m in stored[-len(texts):]] == [m.id for m in added]
