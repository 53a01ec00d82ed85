"""`hls-audit review`: what is left to review in a draft: unreviewed items and placeholders.

It reads the case study as `check` does and lists what HLS107 and HLS108 would report, and
nothing else: exit 1 while anything is left, 0 once nothing is, 2 on unusable input.
"""

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hls_audit.cli.errors import ExitCode, decided, fail, guard
from hls_audit.cli.options import FORMAT_HELP, PathArg

if TYPE_CHECKING:
    from hls_audit.io.load import CaseStudy, Located
    from hls_audit.rules.drafts import Draft


class ReviewFormat(StrEnum):
    table = "table"
    text = "text"
    json = "json"


def _where(location: "Located") -> str:
    out = location.file
    if location.line is not None:
        out += f":{location.line}"
        if location.column is not None:
            out += f":{location.column}"
    return out


def _location_json(location: "Located") -> dict[str, Any]:
    return {
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "yaml_path": location.yaml_path,
    }


def review_json(
    case: "CaseStudy", items: "list[Draft]", placeholders: "list[Draft]"
) -> dict[str, Any]:
    """The `hls-audit/review` JSON document."""
    from hls_audit.render.json_out import envelope

    left = len(items) + len(placeholders)
    info = case.data.case_study
    return {
        **envelope("review"),
        "case_study": {
            "title": info.title,
            "institution": info.institution,
            "file": case.claims_document.path,
        },
        "result": {
            "done": left == 0,
            "exit_code": int(ExitCode.FINDINGS if left else ExitCode.OK),
            "counts": {"unreviewed": len(items), "placeholders": len(placeholders)},
        },
        "unreviewed": [
            {
                "kind": d.kind,
                "id": d.id,
                "message": d.message,
                "location": _location_json(d.location),
            }
            for d in items
        ],
        "placeholders": [
            {
                "field": d.field,
                "value": d.value,
                "item": d.id,
                "message": d.message,
                "location": _location_json(d.location),
            }
            for d in placeholders
        ],
    }


def review_text(case: "CaseStudy", items: "list[Draft]", placeholders: "list[Draft]") -> str:
    """The plain-text listing: one line per item and per placeholder, then a summary line."""
    from hls_audit.core.sanitize import one_line

    lines: list[str] = []
    if items:
        lines.append(f"Unreviewed items ({len(items)}):")
        width = max(len(f"{d.kind} {d.id}") for d in items)
        for d in items:
            lines.append(
                f"  {one_line(f'{d.kind} {d.id}'):<{width}}  {one_line(_where(d.location))}"
            )
    if placeholders:
        if lines:
            lines.append("")
        lines.append(f"Placeholders ({len(placeholders)}):")
        for d in placeholders:
            lines.append(
                f"  {one_line(_where(d.location))}  {one_line(d.field)}: "
                f"{one_line(repr((d.value or '').strip()), 80)}"
            )
    if lines:
        lines.append("")
    left = len(items) + len(placeholders)
    name = one_line(case.claims_document.path)
    if left:
        lines.append(
            f"{name}: {len(items)} unreviewed item{'s' if len(items) != 1 else ''} and "
            f"{len(placeholders)} placeholder{'s' if len(placeholders) != 1 else ''} left to "
            "review; check each against the evidence, fill it in, then set reviewed: true"
        )
    else:
        lines.append(f"{name}: nothing left to review")
    return "\n".join(lines) + "\n"


@guard
def review(
    path: PathArg = Path("."),
    output: Annotated[
        ReviewFormat, typer.Option("--format", "-f", help=FORMAT_HELP)
    ] = ReviewFormat.table,
) -> None:
    """List what is left to review: items marked reviewed: false, and placeholder values."""
    from hls_audit.core.errors import InputError, InputErrors
    from hls_audit.io.load import load_case_study
    from hls_audit.rules.drafts import placeholders, unreviewed

    as_json = output is ReviewFormat.json
    try:
        case = load_case_study(path)
    except InputErrors as exc:
        fail(exc.errors, as_json)
    except InputError as exc:
        fail([exc], as_json)
    items, values = unreviewed(case), placeholders(case)
    code = ExitCode.FINDINGS if items or values else ExitCode.OK
    decided(code)
    if as_json:
        from hls_audit.render.json_out import dumps

        sys.stdout.write(dumps(review_json(case, items, values)))
    else:
        sys.stdout.write(review_text(case, items, values))
    raise typer.Exit(code)
