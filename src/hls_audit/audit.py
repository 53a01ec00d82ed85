"""Run every registered check over a loaded case study and stamp what they find."""

from __future__ import annotations

from hls_audit.checks import REGISTRY, Context
from hls_audit.evidence import build_register, coverage
from hls_audit.findings import Finding, Report, Severity
from hls_audit.load import CaseStudy
from hls_audit.reconcile import amount_lines, reconcile

REQUIRE_CHOICES = ("records", "documents")


def audit(case: CaseStudy, fail_on: Severity = Severity.error, require: str = "records") -> Report:
    """The full audit: register, reconciliation, then every check in registry order."""
    register = build_register(case, require)
    lines = amount_lines(case, register)
    context = Context(case, register, lines, reconcile(case, register, lines), require)
    findings: list[Finding] = []
    for item in REGISTRY:
        severity = item.severity
        for hit in item.run(context):
            findings.append(
                Finding(
                    code=item.code,
                    name=item.name,
                    severity=severity,
                    message=hit.message,
                    location=hit.location,
                    claim=hit.claim,
                    source=hit.source,
                    hint=hit.hint,
                )
            )
    findings.sort(
        key=lambda f: (
            -f.severity.rank,
            f.location.file if f.location else "",
            (f.location.line or 0) if f.location else 0,
            f.code,
        )
    )
    return Report(
        case_study=case,
        findings=findings,
        reconciliations=context.reconciliations,
        coverage=coverage(case, register),
        register=register,
        lines=lines,
        fail_on=fail_on,
        require=require,
    )
