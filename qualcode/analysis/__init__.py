"""Analysis over a project's coded data: summaries, tallies, cross-tabs, co-occurrence, saturation."""

from qualcode.analysis.dataset import Dataset, Excerpt, load

__all__ = ["Dataset", "Excerpt", "load"]
