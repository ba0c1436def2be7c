"""Result dataclasses of an agreement audit, with their JSON-serialisable form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from qualcode.agreement import coefficients as C
from qualcode.agreement.units import UnitKind


@dataclass(frozen=True, slots=True)
class PairAgreement:
    coder_a: str
    coder_b: str
    kappa: C.Coefficient


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    code_id: int
    name: str
    path: str
    n_units: int
    prevalence: float | None
    applied_by: dict[str, int]
    coefficients: dict[str, C.Coefficient]
    pairs: tuple[PairAgreement, ...] = ()

    @property
    def primary(self) -> C.Coefficient:
        return self.coefficients.get(C.ALPHA) or self.coefficients[C.UNITIZED]


@dataclass(frozen=True, slots=True)
class GroupAgreement:
    name: str
    codes: tuple[str, ...]
    n_units: int
    violations: int
    coefficients: dict[str, C.Coefficient]


@dataclass(frozen=True, slots=True)
class AgreementReport:
    unit: UnitKind
    unit_label: str
    coders: tuple[str, ...]
    n_units: int
    n_documents: int
    codes: tuple[CodeAgreement, ...]
    overall: dict[str, C.Coefficient]
    groups: tuple[GroupAgreement, ...]
    options: dict
    semantics: tuple[str, ...]
    notes: tuple[str, ...]
    codebook_version: int | None
    round_label: str | None
    timestamp: datetime
    primary: str
    sentence: str

    def summary(self) -> dict:
        """Median and range of the primary coefficient over codes where it is defined."""
        values = [c.coefficients[self.primary].value for c in self.codes if c.coefficients[self.primary].defined]
        missing = [c for c in self.codes if not c.coefficients[self.primary].defined]
        # once each; a leaf name two parents share is given by its path
        names = list({c.path: c.name for c in self.codes}.values())
        undefined = list(dict.fromkeys(c.name if names.count(c.name) == 1 else c.path for c in missing))
        if not values:
            return {"coefficient": self.primary, "n_defined": 0, "median": None, "min": None, "max": None,
                    "undefined": undefined}
        return {"coefficient": self.primary, "n_defined": len(values), "median": float(np.median(values)),
                "min": float(min(values)), "max": float(max(values)), "undefined": undefined}

    def to_dict(self) -> dict:
        """JSON-serialisable form, for --json and for storing one audit round."""
        return {
            "schema": "qualcode.agreement.v1",
            "timestamp": self.timestamp.isoformat(),
            "codebook_version": self.codebook_version,
            "round": self.round_label,
            "unit": str(self.unit),
            "unit_label": self.unit_label,
            "coders": list(self.coders),
            "n_units": self.n_units,
            "n_documents": self.n_documents,
            "primary": self.primary,
            "summary": self.summary(),
            "sentence": self.sentence,
            "options": self.options,
            "semantics": list(self.semantics),
            "notes": list(self.notes),
            "overall": {k: v.to_dict() for k, v in self.overall.items()},
            "codes": [
                {
                    "code_id": c.code_id, "name": c.name, "path": c.path, "n_units": c.n_units,
                    "prevalence": c.prevalence, "applied_by": c.applied_by,
                    "coefficients": {k: v.to_dict() for k, v in c.coefficients.items()},
                    "pairs": [{"coder_a": p.coder_a, "coder_b": p.coder_b, **p.kappa.to_dict()} for p in c.pairs],
                }
                for c in self.codes
            ],
            "groups": [
                {"name": g.name, "codes": list(g.codes), "n_units": g.n_units, "violations": g.violations,
                 "coefficients": {k: v.to_dict() for k, v in g.coefficients.items()}}
                for g in self.groups
            ],
        }
