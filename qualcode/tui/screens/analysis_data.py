"""What the analysis view shows, computed off the UI thread from the headless analysis package."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from qualcode.analysis import Dataset, load
from qualcode.analysis.counts import ThemeCounts, categorical_attributes, codebook_counts
from qualcode.analysis.saturation import Saturation, saturation
from qualcode.analysis.tallies import Tally, tally
from qualcode.domain import Valence


@dataclass(slots=True)
class AnalysisData:
    """Everything the view needs at once; tallies keyed by (valence, grouping or None)."""

    ds: Dataset
    counts: list[ThemeCounts]
    groupings: list[str]
    saturation: Saturation
    tallies: dict[tuple[str, str | None], Tally] = field(default_factory=dict)

    def tally(self, valence: str, by: str | None, quotes: int = 3) -> Tally:
        key = (valence, by)
        if key not in self.tallies:
            self.tallies[key] = tally(self.ds, valence, by=by, quotes=quotes)
        return self.tallies[key]


def load_visible(bench) -> Dataset:
    """The project as this coder may see it: while blind, only the coder's own codings count."""
    with bench.db.reading() as session:
        ds = load(session)
    visible = bench.visible(ds.codings)
    if len(visible) == len(ds.codings):
        return ds
    return replace(ds, codings=visible, derived={})


def compute(bench) -> AnalysisData:
    ds = load_visible(bench)
    data = AnalysisData(
        ds=ds,
        counts=codebook_counts(ds),
        groupings=["kind", *categorical_attributes(ds)] + [f"code:{c.path}" for c in ds.children(None) if ds.children(c.id)],
        saturation=saturation(ds),
    )
    for valence in (Valence.BARRIER, Valence.FACILITATOR):
        data.tally(str(valence), None)
    return data
