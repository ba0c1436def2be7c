"""Theme summaries and tallies as they may be shown outside the project: quotes masked, leaks withheld."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from qualcode.analysis.dataset import Dataset
from qualcode.analysis.quotes import Quote
from qualcode.analysis.summary import MemoNote, ThemeSummary
from qualcode.analysis.tallies import Tally
from qualcode.anonymise.share import SharePolicy, excerpt_ref


class Sharer:
    """Masks quotes and memos with the project's share policy and withholds what its scan still flags."""

    def __init__(self, ds: Dataset, policy: SharePolicy, where: str = "output") -> None:
        self.ds = ds
        self.policy = policy
        self.where = where
        self.warnings: list[str] = []
        self.withheld: list[str] = []

    def summaries(self, results: Iterable[ThemeSummary]) -> list[ThemeSummary]:
        results = list(results)
        self.policy.mask([t for s in results for t in (*(q.text for q in s.quotes), *(m.text for m in s.memos))])
        return [self._summary(s) for s in results]

    def tallies(self, results: Iterable[Tally]) -> list[Tally]:
        results = list(results)
        self.policy.mask([q.text for t in results for r in _rows(t) for q in r.quotes])
        return [self._tally(t) for t in results]

    def quotes(self, quotes: Sequence[Quote]) -> tuple[Quote, ...]:
        """Masked quotes in order, less the ones the final scan flags and no reviewer has accepted."""
        kept = []
        for q, text in zip(quotes, self.policy.mask([q.text for q in quotes])):
            ref = excerpt_ref(q.document_id, q.start, q.end)
            original = self.ds.documents[q.document_id].text[q.start : q.end]
            hits = [] if self.policy.is_accepted(ref, original) else self.policy.leaks(text, q.attribution, q.document_title)
            if hits:
                if ref not in self.withheld:
                    self.withheld.append(ref)
                    self.warnings.append(f"{self.where}: quote {ref} withheld: {len(hits)} possible name(s) the final "
                                         f"scan cannot explain; check it, then 'qualcode quotes accept {ref}'")
                continue
            kept.append(dataclasses.replace(q, text=text))
        return tuple(kept)

    def _summary(self, s: ThemeSummary) -> ThemeSummary:
        memos = []
        for i, (m, text) in enumerate(zip(s.memos, self.policy.mask([m.text for m in s.memos]))):
            if self.policy.leaks(text, m.title):
                self.warnings.append(f"{self.where}: memo {i + 1} of {s.path} withheld: it may name someone")
                continue
            memos.append(MemoNote(m.title, text))
        return dataclasses.replace(s, quotes=self.quotes(s.quotes), memos=tuple(memos))

    def _tally(self, t: Tally) -> Tally:
        def rows(items):
            return tuple(dataclasses.replace(r, quotes=self.quotes(r.quotes)) for r in items)

        groups = tuple(dataclasses.replace(g, rows=rows(g.rows)) for g in t.groups)
        return dataclasses.replace(t, rows=rows(t.rows), groups=groups)


def _rows(t: Tally):
    yield from t.rows
    for g in t.groups:
        yield from g.rows
