"""`hls-audit extract`: a draft claims.yaml from a case study's narrative."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from hls_audit.cli.errors import fail, guard
from hls_audit.cli.options import NarrativeFileArg, ProfileOpt


@guard
def extract(
    narrative_file: NarrativeFileArg,
    output_path: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the draft here: a .yaml file, or a new folder that gets claims.yaml and "
            "evidence/ record stubs. Never overwrites. Default: standard output.",
        ),
    ] = None,
    profile: ProfileOpt = None,
) -> None:
    """Draft a claims.yaml from a case study's narrative: figures, qualifiers, sources."""
    from hls_audit.core.errors import InputError
    from hls_audit.io.files import outside_folder
    from hls_audit.io.load import display_path
    from hls_audit.io.output import write_atomic
    from hls_audit.narrative.analysis import load_narrative
    from hls_audit.narrative.extract import claims_yaml, draft, record_stub
    from hls_audit.profiles import template_for

    try:
        narrative = load_narrative(
            narrative_file,
            display_path(narrative_file),
            outside_folder(narrative_file),
            template_for(profile.value if profile else None),
        )
    except InputError as exc:
        fail([exc], as_json=False)
    data, register = draft(narrative, narrative_file.name, _relative(narrative_file, output_path))
    text = claims_yaml(data, register, narrative_file.name)
    if output_path is None:
        sys.stdout.write(text)
        return
    if os.path.lexists(output_path):
        fail(
            [
                InputError(
                    "already exists; extract never overwrites",
                    path=str(output_path),
                    hint="choose a new file or folder name",
                    code="HLS011",
                )
            ],
            as_json=False,
        )
    try:
        if output_path.suffix.lower() in (".yaml", ".yml"):
            write_atomic(output_path, text, in_place=False)
            typer.echo(f"wrote {output_path}: {len(data['claims'])} claims with figures")
            return
        try:
            (output_path / "evidence").mkdir(parents=True)
        except OSError as exc:
            raise InputError(
                f"cannot be made ({exc.strerror or 'error'})",
                path=str(output_path),
                hint="choose a new folder in a writable place",
                code="HLS011",
            ) from None
        write_atomic(output_path / "claims.yaml", text, in_place=False)
        for entry in register:
            if entry.kind != "grant":
                stub = output_path / "evidence" / f"{entry.id}.yaml"
                write_atomic(stub, record_stub(entry, narrative.template), in_place=False)
    except InputError as exc:
        fail([exc], as_json=False)
    typer.echo(
        f"wrote {output_path}/claims.yaml ({len(data['claims'])} claims with figures) and "
        f"{sum(1 for e in register if e.kind != 'grant')} record stubs in evidence/"
    )


def _relative(narrative_file: Path, output_path: Path | None) -> str | None:
    """The narrative's path from the draft's claims.yaml, when it lies inside the draft's
    folder (a narrative elsewhere is refused by check, so the draft names it in a comment)."""
    if output_path is None:
        given = narrative_file.as_posix()
        return (
            given if not narrative_file.is_absolute() and ".." not in narrative_file.parts else None
        )
    folder = output_path.parent if output_path.suffix.lower() in (".yaml", ".yml") else output_path
    try:
        inside = narrative_file.resolve().relative_to(folder.resolve())
    except ValueError:
        return None
    return inside.as_posix()
