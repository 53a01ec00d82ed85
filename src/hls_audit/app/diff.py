"""What changed between two audits of one case study: headlines, amounts, citations, the register
and the findings. No I/O and no printing: two reports in, one :class:`CaseDiff` out.

Everything is matched by identity, never by position: an amount by its claim's id, a citation by
(claim, source), a register entry by its id, and a finding by its code, subject and message with
the line numbers in the message left out, because lines move when a file is edited.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from hls_audit.analysis.reconcile import Line, Reconciliation
from hls_audit.core.money import MONEY_CONTEXT, Interval
from hls_audit.engine.findings import Finding, Report

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

# Line numbers in a finding's message: "(first at evidence/E1.yaml:3)", "(line 12)".
_LINE_NUMBERS = re.compile(r"(?<=\S):\d+(?::\d+)?\b|\bline \d+\b")


@dataclass(frozen=True)
class Side:
    """One side of the comparison: a revision (with its commit) or the work tree."""

    label: str  # as the user gave it (HEAD~1), or "working tree"
    commit: str | None = None  # the full commit id; None for the work tree


@dataclass(frozen=True)
class HeadlineState:
    """A headline on one side: what it claims, the counted total and the verdict."""

    statement: str
    relation: str
    value: Decimal
    currency: str
    total: Interval
    verdict: str
    corroborated_verdict: str


@dataclass(frozen=True)
class HeadlineChange:
    """A headline before and after; either side is None when the headline is new or gone."""

    id: str
    before: HeadlineState | None
    after: HeadlineState | None

    @property
    def change(self) -> Decimal | None:
        """The change in the counted total (its central figure), when both sides have it."""
        if self.before is None or self.after is None:
            return None
        return MONEY_CONTEXT.subtract(self.after.total.central, self.before.total.central)

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class AmountState:
    """An amount as a claim (or grant) states it on one side."""

    value: Decimal | None
    role: str
    qualifier: str
    currency: str
    stated: str
    counted: bool


@dataclass(frozen=True)
class AmountChange:
    """An amount added, removed or changed, by its claim's (or grant's) id."""

    claim: str
    kind: str  # added | removed | changed
    before: AmountState | None
    after: AmountState | None
    fields: tuple[str, ...] = ()  # what changed: value, role, qualifier, currency, stated


@dataclass(frozen=True)
class CitationChange:
    """A claim that cites a source on one side only."""

    claim: str
    source: str
    gained: bool


@dataclass(frozen=True)
class RegisterChange:
    """A source, reference, grant or group of the evidence register on one side only."""

    id: str
    kind: str  # source | reference | grant | group
    title: str
    added: bool


@dataclass(frozen=True)
class FindingChange:
    """A finding on one side only: new after, or fixed (gone) since before."""

    code: str
    name: str
    severity: str
    subject: str  # the claim or source it concerns, or ''
    message: str
    new: bool


@dataclass
class CaseDiff:
    """The comparison of a case study's audit at two revisions."""

    before: Side
    after: Side
    title: str
    path: str = ""  # the case study's folder within the repository ('.' at its top)
    headlines: list[HeadlineChange] = field(default_factory=list)
    amounts: list[AmountChange] = field(default_factory=list)
    citations: list[CitationChange] = field(default_factory=list)
    register: list[RegisterChange] = field(default_factory=list)
    findings: list[FindingChange] = field(default_factory=list)
    counts_before: dict[str, int] = field(default_factory=dict)
    counts_after: dict[str, int] = field(default_factory=dict)
    passed_before: bool = True
    passed_after: bool = True

    @property
    def unchanged(self) -> bool:
        """Nothing the diff reports differs (the headlines are listed either way)."""
        return not (
            any(h.changed for h in self.headlines)
            or self.amounts
            or self.citations
            or self.register
            or self.findings
        )


def compare(before: Side, old: Report, after: Side, new: Report, path: str = "") -> CaseDiff:
    """Compare the report at ``before`` (``old``) with the report at ``after`` (``new``)."""
    return CaseDiff(
        before=before,
        after=after,
        title=new.case_study.data.case_study.title,
        path=path,
        headlines=_headlines(old.reconciliations, new.reconciliations),
        amounts=_amounts(old.lines, new.lines),
        citations=_citations(old, new),
        register=_register(old, new),
        findings=_findings(old.active_findings, new.active_findings),
        counts_before=dict(old.counts),
        counts_after=dict(new.counts),
        passed_before=not old.failed,
        passed_after=not new.failed,
    )


def _headline_state(rec: Reconciliation) -> HeadlineState:
    h = rec.headline
    return HeadlineState(
        statement=h.statement,
        relation=h.relation.value,
        value=h.value,
        currency=h.currency,
        total=rec.total,
        verdict=rec.verdict,
        corroborated_verdict=rec.corroborated_verdict,
    )


def _headlines(old: list[Reconciliation], new: list[Reconciliation]) -> list[HeadlineChange]:
    """Every headline of either side, in the order of the new side, then the removed ones."""
    before = {r.headline.id: _headline_state(r) for r in reversed(old)}  # the first of an id
    after = {r.headline.id: _headline_state(r) for r in reversed(new)}
    order = list(dict.fromkeys([r.headline.id for r in new] + [r.headline.id for r in old]))
    return [HeadlineChange(hid, before.get(hid), after.get(hid)) for hid in order]


def _amount_state(line: Line) -> AmountState:
    return AmountState(
        value=line.value,
        role=line.role.value,
        qualifier=line.qualifier.value,
        currency=line.currency,
        stated=line.stated,
        counted=line.included and line.headline is not None,
    )


_AMOUNT_FIELDS = ("value", "role", "qualifier", "currency", "stated")


def _amounts(old: list[Line], new: list[Line]) -> list[AmountChange]:
    before = {ln.claim: _amount_state(ln) for ln in reversed(old)}
    after = {ln.claim: _amount_state(ln) for ln in reversed(new)}
    out: list[AmountChange] = []
    for claim in dict.fromkeys([ln.claim for ln in new] + [ln.claim for ln in old]):
        was, now = before.get(claim), after.get(claim)
        if was is None:
            out.append(AmountChange(claim, ADDED, None, now))
        elif now is None:
            out.append(AmountChange(claim, REMOVED, was, None))
        else:
            fields = tuple(f for f in _AMOUNT_FIELDS if getattr(was, f) != getattr(now, f))
            if fields or was.counted != now.counted:
                out.append(AmountChange(claim, CHANGED, was, now, fields or ("counted",)))
    return out


def _cited(report: Report) -> list[tuple[str, str]]:
    pairs = [(c.id, e.source) for c in report.case_study.data.claims for e in c.evidence]
    return list(dict.fromkeys(pairs))


def _citations(old: Report, new: Report) -> list[CitationChange]:
    before, after = _cited(old), _cited(new)
    was, now = set(before), set(after)
    gained = [CitationChange(c, s, True) for c, s in after if (c, s) not in was]
    lost = [CitationChange(c, s, False) for c, s in before if (c, s) not in now]
    return gained + lost


def _register(old: Report, new: Report) -> list[RegisterChange]:
    before, after = old.register.entries, new.register.entries
    added = [
        RegisterChange(e.id, e.kind, e.title, True) for i, e in after.items() if i not in before
    ]
    removed = [
        RegisterChange(e.id, e.kind, e.title, False) for i, e in before.items() if i not in after
    ]
    return added + removed


def finding_key(finding: Finding) -> tuple[str, str, str, str]:
    """What identifies a finding across revisions: code, subject and message without lines."""
    message = _LINE_NUMBERS.sub(
        lambda m: "line #" if m.group().startswith("line") else ":#", finding.message
    )
    return (finding.code, finding.claim or "", finding.source or "", message)


def _findings(old: list[Finding], new: list[Finding]) -> list[FindingChange]:
    """Findings on one side only; a finding present twice before and once after is one fixed."""
    left = Counter(finding_key(f) for f in old)
    right = Counter(finding_key(f) for f in new)
    out: list[FindingChange] = []
    for findings, other, new_side in ((new, left, True), (old, right, False)):
        spare = Counter(other)
        for finding in findings:
            key = finding_key(finding)
            if spare[key] > 0:
                spare[key] -= 1
                continue
            out.append(
                FindingChange(
                    code=finding.code,
                    name=finding.name,
                    severity=finding.severity.value,
                    subject=finding.claim or finding.source or "",
                    message=finding.message,
                    new=new_side,
                )
            )
    return out
