"""The JSON contract (version 1). Amounts are strings of exact decimals; keys are stable."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hls_audit import __version__
from hls_audit.analysis.reconcile import Line, Reconciliation
from hls_audit.core.money import Interval
from hls_audit.core.sanitize import json_safe
from hls_audit.engine.findings import Finding, Report
from hls_audit.rules.catalog import REGISTRY

FORMAT_VERSION = 1


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _interval(span: Interval | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {
        "lower": str(span.lower),
        "lower_open": span.lower_open,
        "central": str(span.central),
        "upper": str(span.upper),
        "upper_open": span.upper_open,
    }


def finding_json(f: Finding) -> dict[str, Any]:
    """One finding as every JSON document gives it."""
    loc = f.location
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message,
        "hint": f.hint,
        "claim": f.claim,
        "source": f.source,
        "suppressed": f.suppressed,
        "unverified_limits": list(f.unverified),
        "location": None
        if loc is None
        else {"file": loc.file, "line": loc.line, "column": loc.column, "yaml_path": loc.yaml_path},
    }


def _line(line: Line) -> dict[str, Any]:
    return {
        "claim": line.claim,
        "organisation": line.organisation,
        "section": line.section,
        "role": line.role.value,
        "qualifier": line.qualifier.value,
        "stated": line.stated,
        "value": _money(line.value),
        "currency": line.currency,
        "value_gbp": _money(line.converted),
        "interval": _interval(line.interval),
        "per": line.per,
        "expected": line.expected,
        "period": line.period,
        "sources": line.sources,
        "corroborated": line.corroborated,
        "counted": line.included and line.headline is not None,
        "headline": line.headline,
        "reason": line.reason,
        "location": {
            "file": line.location.file,
            "line": line.location.line,
            "column": line.location.column,
        },
    }


def _reconciliation(rec: Reconciliation) -> dict[str, Any]:
    h = rec.headline
    return {
        "id": h.id,
        "statement": h.statement,
        "relation": h.relation.value,
        "value": str(h.value),
        "currency": h.currency,
        "total": _interval(rec.total),
        "corroborated_total": _interval(rec.corroborated_total),
        "margin": str(rec.margin),
        "verdict": rec.verdict,
        "corroborated_verdict": rec.corroborated_verdict,
        "break_even": rec.break_even or None,
        "included": [ln.claim for ln in rec.included],
        "excluded": [{"claim": ln.claim, "reason": ln.reason} for ln in rec.excluded],
        "uncorroborated": rec.uncorroborated,
    }


def envelope(kind: str) -> dict[str, Any]:
    """The keys every JSON document starts with: its format, the format version, the tool's."""
    return {"format": f"hls-audit/{kind}", "version": FORMAT_VERSION, "tool_version": __version__}


def _case(report: Report) -> dict[str, Any]:
    info = report.case_study.data.case_study
    return {
        "title": info.title,
        "institution": info.institution,
        "file": report.case_study.claims_document.path,
    }


def check_json(report: Report) -> dict[str, Any]:
    """The check report as the version-1 JSON contract."""
    return {
        **envelope("check"),
        "case_study": _case(report),
        "result": {
            "passed": not report.failed,
            "exit_code": report.exit_code,
            "fail_on": report.fail_on.value,
            "require": report.require,
            "corroborated_at": report.corroborated_at,
            "counts": report.counts,
        },
        "findings": [finding_json(f) for f in report.findings],
        "headlines": [_reconciliation(r) for r in report.reconciliations],
        "coverage": {
            "sources_by_level": report.coverage.sources_by_level,
            "claims_total": report.coverage.claims_total,
            "claims_corroborated": report.coverage.claims_corroborated,
            "claims_without_source": report.coverage.claims_without_source,
        },
        "rules": {
            "ran": list(report.ran),
            "skipped": [{"code": code, "reason": why} for code, why in report.skipped.items()],
        },
        "profile": _profile(report),
    }


def _profile(report: Report) -> dict[str, Any] | None:
    """The rule profile the run used: its name, what it is built on, its unconfirmed limits."""
    profile = report.profile
    if profile is None:
        return None
    return {
        "name": profile.name,
        "exercise": profile.exercise,
        "base": profile.family,
        "file": profile.path or None,
        "unverified_limits": [item.name for item in profile.limits if item.status == "unverified"],
    }


def totals_json(report: Report) -> dict[str, Any]:
    return {
        **envelope("totals"),
        "case_study": _case(report),
        "amounts": [_line(ln) for ln in report.lines],
        "headlines": [_reconciliation(r) for r in report.reconciliations],
    }


def sources_json(report: Report) -> dict[str, Any]:
    entries = []
    for entry in report.register.entries.values():
        record = entry.record.record if entry.record else None
        entries.append(
            {
                "id": entry.id,
                "register": entry.kind,
                "kind": record.kind.value if record else ("grant" if entry.grant else "group"),
                "level": entry.level.value,
                "title": entry.title,
                "record": entry.record.document.path if entry.record else None,
                "document": record.document if record else None,
                "parts": entry.parts,
                "cited_by": entry.cited_by,
                "missing": entry.missing,
            }
        )
    cited = {c.source for claim in report.case_study.data.claims for c in claim.evidence}
    return {
        **envelope("sources"),
        "case_study": _case(report),
        "sources": entries,
        "unknown_citations": sorted(cited - set(report.register.entries)),
        "coverage": {"sources_by_level": report.coverage.sources_by_level},
    }


def rules_json() -> dict[str, Any]:
    return {
        **envelope("rules"),
        "rules": [
            {
                "code": c.code,
                "name": c.name,
                "severity": c.severity.value,
                "family": c.family,
                "summary": c.summary,
            }
            for c in REGISTRY
        ],
    }


def error_json(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {**envelope("error"), "errors": errors}


def dumps(payload: dict[str, Any]) -> str:
    return json_safe(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


def check_text(report: Report) -> str:
    """The check report as JSON text."""
    return dumps(check_json(report))


def narrative_json(report: Report) -> dict[str, Any]:
    from hls_audit.narrative.analysis import Narrative

    narrative = report.narrative
    assert isinstance(narrative, Narrative)
    return {
        **envelope("narrative"),
        "case_study": _case(report),
        "narrative": narrative.path,
        "result": {
            "passed": not report.failed,
            "exit_code": report.exit_code,
            "fail_on": report.fail_on.value,
            "counts": report.counts,
        },
        "sections": [
            {
                "number": s.number,
                "title": s.title,
                "line": s.start_line,
                "words": narrative.words(s.number),
            }
            for s in narrative.section_list
        ],
        "money": [
            {
                "text": m.text,
                "value": _money(m.value),
                "currency": m.currency,
                "qualifier": m.qualifier.value,
                "per": m.per,
                "unquantified": m.unquantified,
                "section": narrative.section_of(m.start),
                "line": m.line,
                "column": m.column,
            }
            for m in narrative.money
        ],
        "template": narrative.template.name,
        "register": [
            {
                "id": e.id,
                "written": e.written,
                "kind": e.kind,
                "part_of": e.part_of,
                "section": narrative.section_of(e.start),
                "line": e.line,
            }
            for e in narrative.register
        ],
        "markers": [
            {
                "text": m.text,
                "style": m.style,
                "ids": [
                    {
                        "source": c.source,
                        "pages": c.pages,
                        "written": c.written,
                        "kind": c.kind,
                        "entry": c.entry,
                    }
                    for c in m.ids
                ],
                "section": narrative.section_of(m.start),
                "line": m.line,
                "column": m.column,
            }
            for m in narrative.markers
        ],
        "findings": [finding_json(f) for f in report.findings],
    }
