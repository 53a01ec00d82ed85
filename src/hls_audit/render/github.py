"""GitHub Actions workflow commands: one escaped annotation per active finding, capped per level.

Every string in a command first goes through hls_audit.core.sanitize.one_line, which escapes
control and bidirectional characters and breaks the legacy ``##[`` syntax; CR and LF are left to
the runner's own escaping (%0D, %0A), which keeps each command on one line of output while the
annotation shows the text as written. The summary after the annotations is a plain line, which
the runner never runs.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from hls_audit.core.sanitize import one_line, plain_line
from hls_audit.engine.findings import Finding, Report, Severity
from hls_audit.render.views import summary_line

__all__ = [
    "COMMANDS",
    "PER_LEVEL",
    "annotation",
    "escape_data",
    "escape_property",
    "plain_line",
    "render",
    "workspace_path",
]

# Annotation command by severity; GitHub has no "info" level.
COMMANDS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}

# GitHub keeps at most 10 annotations of each level per step and silently drops the rest.
PER_LEVEL = 10


def escape_data(text: str) -> str:
    """Escape a command's message as actions/toolkit does: % first, then CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property (file=, title=): the message escapes plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_path(file: str, workspace: str | None = None) -> str:
    """A finding's file as GitHub wants it: repo-relative, forward slashes, no leading ./.

    The path is taken relative to ``workspace`` (default: $GITHUB_WORKSPACE) when the file lies
    under it; otherwise it is kept as given, in posix form.
    """
    root = workspace if workspace is not None else os.environ.get("GITHUB_WORKSPACE", "")
    if root:
        try:
            return Path(file).resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, OSError):
            pass
    posix = PurePath(file).as_posix()
    while posix.startswith("./"):
        posix = posix[2:]
    return posix


def _safe(text: str) -> str:
    """One line but for CR and LF, which the command escapes encode (%0D, %0A)."""
    return one_line(text, keep_breaks=True)


def annotation(finding: Finding, workspace: str | None = None) -> str:
    """One workflow command for one finding."""
    props: list[str] = []
    loc = finding.location
    if loc is not None and loc.file:
        props.append(f"file={escape_property(_safe(workspace_path(loc.file, workspace)))}")
        if loc.line is not None:
            props.append(f"line={loc.line}")
            if loc.column is not None:
                props.append(f"col={loc.column}")
    props.append(f"title={escape_property(_safe(f'{finding.code} {finding.name}'))}")
    message = _safe(finding.message) + (f"\nhint: {_safe(finding.hint)}" if finding.hint else "")
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{escape_data(message)}"


def render(report: Report) -> str:
    """Annotations for the active findings, most severe first, then the summary line."""
    ordered = sorted(report.active_findings, key=lambda f: -f.severity.rank)
    by_level = {level: [f for f in ordered if f.severity is level] for level in COMMANDS}
    overflow = sum(max(0, len(found) - PER_LEVEL) for found in by_level.values())
    if overflow and len(by_level[Severity.info]) >= PER_LEVEL:
        # The closing notice takes one of the ten notice slots; give up one info finding for it.
        overflow += 1
    lines: list[str] = []
    for level in COMMANDS:
        room = PER_LEVEL - (1 if overflow and level is Severity.info else 0)
        lines += [annotation(f) for f in by_level[level][:room]]
    if overflow:
        more = f"{overflow} more finding{'s' if overflow != 1 else ''}"
        lines.append(
            f"::notice title={escape_property('hls-audit: not all findings annotated')}::"
            + escape_data(
                f"{more} not annotated: GitHub shows at most {PER_LEVEL} annotations per level "
                "in a step. Run hls-audit check --format markdown (or text) for every finding."
            )
        )
    lines.append(plain_line(summary_line(report)))
    return "\n".join(lines) + "\n"
