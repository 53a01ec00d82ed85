"""Moving a case study from one rule profile to another: the findings of each side by side.

``check --profile OLD --profile NEW`` audits the case study once under each profile
and compares: which findings only the first gives (fixed or no longer applying), which only the
second (new under its rules), which both give (with a change of severity), and which limits the
two profiles set differently, with the second's status (an ``unverified`` limit is provisional).
A finding is matched across the two by its code, claim, source, place and message, without the
"(provisional: ...)" note the second side may add.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hls_audit.engine.findings import Finding, Report
    from hls_audit.profiles.base import Limit, Profile

_NOTE = " (provisional: "


@dataclass(frozen=True)
class Side:
    """One profile's audit of the case study."""

    profile: Profile
    report: Report


@dataclass(frozen=True)
class Changed:
    """A finding both profiles give, and its severity under each."""

    before: Finding
    after: Finding


@dataclass(frozen=True)
class LimitChange:
    """A limit the two profiles set differently (or only one of them has)."""

    name: str
    before: Limit | None
    after: Limit | None


@dataclass(frozen=True)
class Migration:
    """The comparison of two audits of one case study under two profiles."""

    before: Side
    after: Side
    only_before: list[Finding]
    only_after: list[Finding]
    both: list[Changed]
    limits: list[LimitChange]

    @property
    def exit_code(self) -> int:
        """The exit code of the profile being moved to."""
        return self.after.report.exit_code


def finding_key(finding: Finding) -> tuple[str, str, str, str, int, str]:
    """What identifies a finding across the two audits of the same files."""
    message = finding.message
    cut = message.find(_NOTE)
    if cut != -1 and finding.unverified:
        message = message[:cut]
    where = finding.location
    return (
        finding.code,
        finding.claim or "",
        finding.source or "",
        where.file if where else "",
        (where.line or 0) if where else 0,
        message,
    )


def _active(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.active]


def compare(before: Side, after: Side) -> Migration:
    """Each side's findings matched against the other's, and the limits that differ."""
    first = {finding_key(f): f for f in _active(before.report.findings)}
    second = {finding_key(f): f for f in _active(after.report.findings)}
    only_before = [f for key, f in first.items() if key not in second]
    only_after = [f for key, f in second.items() if key not in first]
    both = [Changed(first[key], second[key]) for key in first if key in second]
    old = {item.name: item for item in before.profile.limits}
    new = {item.name: item for item in after.profile.limits}
    limits = [
        LimitChange(name, old.get(name), new.get(name))
        for name in [*old, *(n for n in new if n not in old)]
        if old.get(name) is None
        or new.get(name) is None
        or (old[name].value, old[name].status) != (new[name].value, new[name].status)
    ]
    return Migration(before, after, only_before, only_after, both, limits)
