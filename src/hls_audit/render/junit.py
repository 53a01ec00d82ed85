"""JUnit XML: a suite per check family; errors and warnings fail, info passes, suppressions skip."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from hls_audit.core.sanitize import one_line
from hls_audit.engine.findings import Finding, Report, Severity
from hls_audit.render.views import where

SUITE_PREFIX = "hls-audit"

# So that the test report reads like the gate: every check appears, as one passing testcase when
# it found nothing. An active error or warning is a failed testcase, and so is any finding at or
# above --fail-on. An info finding below --fail-on passes, with its text in <system-out>, visible
# without turning the report red. A suppressed finding is a skipped testcase whose message gives
# the reason. Times are "0" so that the output is deterministic.

# Characters XML 1.0 cannot carry, even escaped (evidence text may hold form feeds and the like).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text safe for XML 1.0: forbidden control characters become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def safe(text: str) -> str:
    """A string from the input as one line of XML text.

    What XML cannot hold becomes U+FFFD first, as it always has; then one_line escapes the rest
    that could break or disguise a line (TAB, CR, LF, DEL, C1 and bidirectional controls), so a
    report printed to a CI log cannot forge a line of it.
    """
    return one_line(xml_text(text))


def is_failure(finding: Finding, report: Report) -> bool:
    """An active finding that fails its testcase: errors, warnings, and anything at --fail-on."""
    if not finding.active:
        return False
    return finding.severity.rank >= min(Severity.warning.rank, report.fail_on.rank)


def _detail(finding: Finding) -> str:
    """Where and what, then the hint on a line of its own: the one line break is ours."""
    place, message = safe(where(finding)), safe(finding.message)
    text = f"{place} {message}" if place else message
    if finding.hint:
        text += f"\nhint: {safe(finding.hint)}"
    return text


def _subject(finding: Finding) -> str:
    file = finding.location.file if finding.location is not None else ""
    return finding.claim or finding.source or file or "case study"


def _testcase(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(
        suite, "testcase", {"classname": classname, "name": safe(name), "time": "0"}
    )


def testsuites(report: Report) -> ET.Element:
    """The XML tree: <testsuites> holding one <testsuite> per family of the report's rules."""
    rules = {item.code: item for item in report.rules}

    def family_of(code: str) -> str:
        return rules[code].family if code in rules else "other"

    families = list(dict.fromkeys(item.family for item in report.rules))
    by_code: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_code.setdefault(finding.code, []).append(finding)
        if family_of(finding.code) not in families:
            families.append(family_of(finding.code))
    codes = list(rules) + sorted(set(by_code) - set(rules))

    root = ET.Element("testsuites", {"name": SUITE_PREFIX})
    totals = {"tests": 0, "failures": 0}
    for family in families:
        classname = f"{SUITE_PREFIX}.{family}"
        suite = ET.SubElement(root, "testsuite", {"name": classname})
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        seen: dict[str, int] = {}
        for code in (c for c in codes if family_of(c) == family):
            findings = by_code.get(code, [])
            if not findings:
                item = rules[code]
                case = _testcase(suite, classname, f"{item.code} {item.name}")
                counts["tests"] += 1
                if code in report.skipped:  # a rule that did not run never shows as passed
                    ET.SubElement(case, "skipped", {"message": safe(report.skipped[code])})
                    counts["skipped"] += 1
                continue
            for finding in findings:
                name = f"{finding.code} {finding.name}: {_subject(finding)}"
                seen[name] = seen.get(name, 0) + 1
                if seen[name] > 1:  # GitLab keeps only the first of equal names
                    name += f" #{seen[name]}"
                case = _testcase(suite, classname, name)
                counts["tests"] += 1
                if not finding.active:
                    ET.SubElement(
                        case, "skipped", {"message": safe(f"suppressed: {finding.suppressed}")}
                    )
                    counts["skipped"] += 1
                elif is_failure(finding, report):
                    failure = ET.SubElement(
                        case,
                        "failure",
                        {"type": finding.code, "message": safe(finding.message)},
                    )
                    failure.text = _detail(finding)
                    counts["failures"] += 1
                else:
                    out = ET.SubElement(case, "system-out")
                    out.text = f"{finding.severity.value}: {_detail(finding)}"
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("errors", "0")
        suite.set("skipped", str(counts["skipped"]))
        suite.set("time", "0")
        totals["tests"] += counts["tests"]
        totals["failures"] += counts["failures"]
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("time", "0")
    return root


def render(report: Report) -> str:
    """The JUnit document, UTF-8, indented, with a fixed declaration."""
    root = testsuites(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
