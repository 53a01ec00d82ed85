"""SARIF 2.1.0 for GitHub code scanning: every check as a rule, every finding as a result."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from hls_audit import __version__
from hls_audit.core.sanitize import json_safe
from hls_audit.engine.findings import Finding, Report, Severity
from hls_audit.render.github import workspace_path
from hls_audit.rules.base import Check

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "hls-audit"

LEVELS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
# GitHub's own scale for rules that are not security rules.
PROBLEM_SEVERITY = {
    Severity.error: "error",
    Severity.warning: "warning",
    Severity.info: "recommendation",
}

# GitHub rejects rule descriptions longer than this.
MAX_DESCRIPTION = 1024


def _clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _flow(text: str) -> str:
    """Documentation prose on one line, as GitHub shows descriptions."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _help(item: Check) -> dict[str, str]:
    """The rule's help: the fix and the example from the check's documentation."""
    doc = item.doc
    example = textwrap.dedent(doc["example"]).strip("\n")
    text: list[str] = [item.summary]
    markdown: list[str] = [item.summary]
    if doc["fix"]:
        text += ["", "Fix: " + _flow(doc["fix"])]
        markdown += ["", "**Fix.** " + _flow(doc["fix"])]
    if example:
        text += ["", "Example:", textwrap.indent(example, "    ")]
        markdown += ["", "**Example**", "", "```", example, "```"]
    return {"text": "\n".join(text), "markdown": "\n".join(markdown)}


def rule(item: Check) -> dict[str, Any]:
    """One reportingDescriptor, with every field GitHub marks required filled in."""
    doc = item.doc
    full = " ".join(_flow(doc[key]) for key in ("what", "why") if doc[key]) or item.summary
    return {
        "id": item.code,
        "name": item.name,
        "shortDescription": {"text": _clip(item.summary)},
        "fullDescription": {"text": _clip(full)},
        "help": _help(item),
        "defaultConfiguration": {"level": LEVELS[item.severity]},
        "properties": {
            "tags": [item.family],
            "problem.severity": PROBLEM_SEVERITY[item.severity],
        },
    }


def artifact_uri(file: str) -> str:
    """A file as a SARIF URI: repo-relative and percent-encoded, or file:// when absolute."""
    path = workspace_path(file)
    if PurePosixPath(path).is_absolute():
        return "file://" + quote(os.fsencode(path), safe="/")
    return quote(os.fsencode(path), safe="/")


def _location(finding: Finding, report: Report) -> dict[str, Any]:
    """The first (and only) location: the finding's place, or the claims file as a whole."""
    loc = finding.location
    file = loc.file if loc is not None and loc.file else report.case_study.claims_document.path
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(file)}}
    if loc is not None and loc.line is not None:
        region: dict[str, int] = {"startLine": loc.line}
        if loc.column is not None:
            region["startColumn"] = loc.column
        physical["region"] = region
    return {"physicalLocation": physical}


def result(finding: Finding, report: Report, index: dict[str, int]) -> dict[str, Any]:
    """One result; a suppressed finding stays in, marked with an external suppression."""
    message = finding.message + (f"\nHint: {finding.hint}" if finding.hint else "")
    out: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in index:
        out["ruleIndex"] = index[finding.code]
    out["level"] = LEVELS[finding.severity]
    out["message"] = {"text": message}
    out["locations"] = [_location(finding, report)]
    if finding.suppressed is not None:
        suppression: dict[str, str] = {"kind": "external"}
        if finding.suppressed:
            suppression["justification"] = finding.suppressed
        out["suppressions"] = [suppression]
    return out


def sarif_log(report: Report) -> dict[str, Any]:
    """The whole log: one run of hls-audit with all its rules and all findings."""
    ran = [item for item in report.rules if item.code in set(report.ran)]  # this run's rules
    index = {item.code: i for i, item in enumerate(ran)}
    return {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "semanticVersion": __version__,
                        "rules": [rule(item) for item in ran],
                    }
                },
                # Columns come from the YAML parser, which counts characters, not UTF-16 units.
                "columnKind": "unicodeCodePoints",
                "results": [result(f, report, index) for f in report.findings],
            }
        ],
    }


def render(report: Report) -> str:
    """The SARIF document as deterministic JSON (indent 2, no timestamps)."""
    return json_safe(json.dumps(sarif_log(report), indent=2, ensure_ascii=False)) + "\n"
