"""The one definition of each closed set of words the tool uses: severities, evidence levels,
what a corroborated total requires. Imports nothing, so the command line can offer these as
choices without loading the audit."""

from __future__ import annotations

from enum import StrEnum

_SEVERITY_RANKS = {"info": 0, "warning": 1, "error": 2}
_LEVEL_RANKS = {"verified": 3, "on-file": 2, "recorded": 1, "missing": 0}


class Severity(StrEnum):
    """How bad a finding is; the failure level compares against this order."""

    info = "info"
    warning = "warning"
    error = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANKS[self]  # a member is its text, so it finds its own entry


class EvidenceLevel(StrEnum):
    """How well a source is verified, best first."""

    verified = "verified"
    on_file = "on-file"
    recorded = "recorded"
    missing = "missing"

    @property
    def rank(self) -> int:
        return _LEVEL_RANKS[self]


class Requirement(StrEnum):
    """What a claim's sources must be for the corroborated total: recorded, or on file."""

    records = "records"
    documents = "documents"


FAIL_LEVELS = tuple(sorted(Severity, key=lambda s: -s.rank))  # error, warning, info
THRESHOLDS = tuple(level for level in EvidenceLevel if level is not EvidenceLevel.missing)
