"""The migration view (``check --profile A --profile B``) as plain text, Markdown and JSON.

Text from the case study arrives on one safe line (hls_audit.core.sanitize); the JSON document
is ``hls-audit/migration``, format version 1, documented in the README.
"""

from __future__ import annotations

from typing import Any

from hls_audit.app.migration import Migration, Side
from hls_audit.core.sanitize import one_line, plain_text
from hls_audit.engine.findings import Finding
from hls_audit.profiles.base import Limit
from hls_audit.render.views import TableView, where


def _value(limit: Limit | None) -> str:
    return "-" if limit is None else limit.written


def _verdicts(side: Side) -> str:
    return ", ".join(f"{r.headline.id} {r.verdict}" for r in side.report.reconciliations) or "-"


def counts_view(migration: Migration) -> TableView:
    """The two audits' counts and verdicts, side by side."""
    before, after = migration.before, migration.after
    view = TableView(
        f"Findings under {before.profile.name} and {after.profile.name}",
        ["", before.profile.name, after.profile.name],
        right={1, 2},
    )
    for key, label in (("error", "errors"), ("warning", "warnings"), ("info", "info")):
        view.add([label, str(before.report.counts[key]), str(after.report.counts[key])])
    view.add(["headlines", _verdicts(before), _verdicts(after)])
    view.add(
        [
            "result",
            "FAIL" if before.report.failed else "PASS",
            "FAIL" if after.report.failed else "PASS",
        ]
    )
    return view


def limits_view(migration: Migration) -> TableView:
    """The limits the two profiles set differently, with the new one's status and source."""
    before, after = migration.before.profile.name, migration.after.profile.name
    view = TableView(
        f"Limits that differ ({before} -> {after})",
        ["limit", before, after, "status", "source"],
    )
    for change in migration.limits:
        new = change.after
        view.add(
            [
                change.name,
                _value(change.before),
                _value(new),
                new.status if new else "-",
                new.source if new else "-",
            ]
        )
    return view


def _line(finding: Finding) -> str:
    return (
        f"  {where(finding) or '-'}: {finding.severity.value} {finding.code} "
        f"{one_line(finding.name)}: {one_line(finding.message)}"
    )


def _block(title: str, findings: list[Finding]) -> list[str]:
    head = f"{title} ({len(findings)})"
    return ["", head, "=" * len(head), *([_line(f) for f in findings] or ["(none)"])]


def migration_text(migration: Migration) -> str:
    """The comparison as plain text: counts, limits, then the findings that differ."""
    from hls_audit.render.plain import table_text

    before, after = migration.before, migration.after
    data = after.report.case_study.data.case_study
    changed = [c for c in migration.both if c.before.severity is not c.after.severity]
    parts = [
        f"hls-audit check: {one_line(data.title)} "
        f"({one_line(after.report.case_study.claims_document.path)}), "
        f"from {before.profile.name} ({one_line(before.profile.exercise)}) "
        f"to {after.profile.name} ({one_line(after.profile.exercise)})",
        "",
        table_text(counts_view(migration)),
        "",
        table_text(limits_view(migration)),
    ]
    parts += _block(f"New under {after.profile.name}", migration.only_after)
    parts += _block(f"No longer reported under {after.profile.name}", migration.only_before)
    head = f"Under both, with another severity ({len(changed)})"
    parts += ["", head, "=" * len(head)]
    parts += [
        f"  {where(c.after) or '-'}: {c.after.code} {c.before.severity.value} -> "
        f"{c.after.severity.value}: {one_line(c.after.message)}"
        for c in changed
    ] or ["(none)"]
    parts += [
        "",
        f"Under both, unchanged: {len(migration.both) - len(changed)}",
        f"{'FAIL' if after.report.failed else 'PASS'} under {after.profile.name}: "
        f"{after.report.counts['error']} error(s), {after.report.counts['warning']} warning(s)"
        f" · {_verdicts(after)} (fails on {after.report.fail_on.value} and above)",
    ]
    return plain_text("\n".join(parts)) + "\n"


def migration_json(migration: Migration) -> dict[str, Any]:
    """The comparison as the ``hls-audit/migration`` JSON document."""
    from hls_audit.render.json_out import check_json, envelope, finding_json

    return {
        **envelope("migration"),
        "from": _side(migration.before, check_json),
        "to": _side(migration.after, check_json),
        "new": [finding_json(f) for f in migration.only_after],
        "gone": [finding_json(f) for f in migration.only_before],
        "severity_changed": [
            {
                "code": c.after.code,
                "from": c.before.severity.value,
                "to": c.after.severity.value,
                "finding": finding_json(c.after),
            }
            for c in migration.both
            if c.before.severity is not c.after.severity
        ],
        "unchanged": sum(1 for c in migration.both if c.before.severity is c.after.severity),
        "limits": [
            {
                "name": change.name,
                "from": _limit(change.before),
                "to": _limit(change.after),
            }
            for change in migration.limits
        ],
    }


def _side(side: Side, check_json: Any) -> dict[str, Any]:
    report = check_json(side.report)
    return {
        "profile": report["profile"],
        "result": report["result"],
        "headlines": report["headlines"],
    }


def _limit(limit: Limit | None) -> dict[str, Any] | None:
    if limit is None:
        return None
    return {
        "value": _value(limit),
        "unit": limit.unit,
        "status": limit.status,
        "source": limit.source,
    }
