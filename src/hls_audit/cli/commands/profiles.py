"""`hls-audit profiles` and `hls-audit profile show`: the rule profiles and their limits."""

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hls_audit.cli.errors import fail, guard

if TYPE_CHECKING:
    from hls_audit.profiles.base import Profile


class ProfileFormat(StrEnum):
    table = "table"
    text = "text"
    json = "json"


FormatOpt = Annotated[
    ProfileFormat,
    typer.Option("--format", "-f", help="table (default), text or json.", case_sensitive=False),
]
TABLE = ProfileFormat("table")

profile_app = typer.Typer(
    name="profile",
    help="Show one rule profile: its limits and rule severities.",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)


@guard
def profiles(output: FormatOpt = TABLE) -> None:
    """List the built-in rule profiles: name, exercise and what each extends."""
    from hls_audit.profiles import PROFILES, get_profile

    found = [get_profile(name) for name in PROFILES]
    if output is ProfileFormat.json:
        rows = [{"name": p.name, "exercise": p.exercise, "extends": p.extends} for p in found]
        _write_json({"schema": "hls-audit/profiles", "profiles": rows})
        return
    table: list[tuple[Any, ...]] = [("name", "exercise", "extends")]
    table += [(p.name, p.exercise, p.extends or "-") for p in found]
    sys.stdout.write(_columns(table))


def open_profile(reference: str) -> "Profile":
    """A built-in profile by name, or a profile file by path (read in its own folder)."""
    from hls_audit.profiles import PROFILES, get_profile, is_profile_file, load_profile

    if not is_profile_file(reference):
        if reference not in PROFILES:
            typer.echo(
                f"hls-audit: {reference[:60]!r} is not a built-in profile "
                f"({', '.join(PROFILES)}) or a .toml file",
                err=True,
            )
            raise typer.Exit(2)
        return get_profile(reference)
    from hls_audit.core.errors import InputError, InputErrors
    from hls_audit.io.files import outside_folder

    path = Path(reference)
    try:
        return load_profile(path, reference, outside_folder(path))
    except InputErrors as exc:
        fail(exc.errors, False)
    except InputError as exc:
        fail([exc], False)


@profile_app.command("show")
@guard
def show(
    reference: Annotated[
        str, typer.Argument(metavar="NAME|PATH", help="A built-in profile or a .toml file.")
    ],
    output: FormatOpt = TABLE,
) -> None:
    """Print every limit of a profile (value, unit, status, source) and its rule severities."""
    profile = open_profile(reference)
    if output is ProfileFormat.json:
        _write_json(profile_json(profile))
        return
    sys.stdout.write(profile_text(profile))


def profile_json(profile: "Profile") -> dict[str, Any]:
    return {
        "schema": "hls-audit/profile",
        "name": profile.name,
        "exercise": profile.exercise,
        "extends": profile.extends,
        "base": profile.family,
        "limits": [
            {
                "name": limit.name,
                "value": _value(limit.value),
                "unit": limit.unit,
                "source": limit.source,
                "status": limit.status,
            }
            for limit in profile.limits
        ],
        "rules": dict(sorted(profile.rules.items())),
    }


def profile_text(profile: "Profile") -> str:
    head = f"{profile.name}: {profile.exercise}"
    if profile.extends:
        head += f" (extends {profile.extends})"
    table: list[tuple[Any, ...]] = [("limit", "value", "unit", "status", "source")]
    table += [
        (limit.name, _value(limit.value), limit.unit, limit.status, limit.source)
        for limit in profile.limits
    ]
    rules: list[tuple[Any, ...]] = [("rule", "severity"), *sorted(profile.rules.items())]
    return f"{head}\n\n{_columns(table)}\n{_columns(rules)}"


def _value(value: object) -> str | int | object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _columns(rows: list[tuple[Any, ...]]) -> str:
    """Plain text columns, each as wide as its widest cell; the last column is not padded."""
    from hls_audit.core.sanitize import one_line

    cells = [[one_line(str(cell), 200) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]]).rstrip()
        for row in cells
    ]
    return "\n".join(lines) + "\n"


def _write_json(data: dict[str, Any]) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
