"""Findings and the report that carries them. No printing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hls_audit.enums import Severity as Severity  # findings are judged by it
from hls_audit.io.load import Located

if TYPE_CHECKING:
    from hls_audit.analysis.evidence import Coverage, Register
    from hls_audit.analysis.reconcile import Line, Reconciliation
    from hls_audit.io.load import CaseStudy
    from hls_audit.profiles.base import Profile
    from hls_audit.rules.base import Check


@dataclass(frozen=True)
class Hit:
    """What a check yields: the engine stamps code, name and severity on it."""

    message: str
    location: Located | None = None
    claim: str | None = None
    source: str | None = None
    hint: str = ""
    rests_on: tuple[str, ...] | None = None  # the profile limits it rests on; None: all it uses


@dataclass(frozen=True)
class Finding:
    """One gap the audit found, with its check's identity and where it is."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Located | None = None
    claim: str | None = None
    source: str | None = None
    hint: str = ""
    suppressed: str | None = None  # the reason, when an accepted suppression covers it
    unverified: tuple[str, ...] = ()  # the unconfirmed profile limits the finding rests on

    @property
    def active(self) -> bool:
        return self.suppressed is None


@dataclass
class Report:
    """The finished audit: what renderers receive."""

    case_study: CaseStudy
    findings: list[Finding]
    reconciliations: list[Reconciliation]
    coverage: Coverage
    register: Register
    lines: list[Line]
    fail_on: Severity
    require: str = "records"
    corroborated_at: str = "recorded"
    narrative: Any = None  # the parsed narrative, when one was given
    counts: dict[str, int] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)  # codes of the rules that ran, in code order
    skipped: dict[str, str] = field(default_factory=dict)  # code -> why it did not run
    rules: list[Check] = field(default_factory=list)  # each rule considered, ran or skipped
    profile: Profile | None = None  # the rule profile the run used, if any

    def __post_init__(self) -> None:
        self.counts = {s.value: 0 for s in Severity}
        self.counts["suppressed"] = 0
        for finding in self.findings:
            if finding.active:
                self.counts[finding.severity.value] += 1
            else:
                self.counts["suppressed"] += 1

    @property
    def active_findings(self) -> list[Finding]:
        """Findings that count: everything not covered by a suppression."""
        return [f for f in self.findings if f.active]

    @property
    def failed(self) -> bool:
        return any(f.severity.rank >= self.fail_on.rank for f in self.active_findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0
