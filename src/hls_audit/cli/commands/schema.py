"""`hls-audit schema`: the JSON Schema of claims.yaml or of an evidence record."""

import sys
from typing import Annotated

import typer

from hls_audit.cli.errors import guard
from hls_audit.cli.options import SchemaKind


@guard
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            help="claims: claims.yaml; record: one evidence/ record; profile: a house profile."
        ),
    ] = SchemaKind.claims,
) -> None:
    """Print the JSON Schema of claims.yaml (or of an evidence record, or of a profile file) for
    editors and CI."""
    from hls_audit.io.schema import schema_text

    sys.stdout.write(schema_text(kind.value))
