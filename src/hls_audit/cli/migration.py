"""`check --profile A --profile B`: one case study audited under two profiles, compared."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from hls_audit.cli.errors import run_or_fail_under, usage_error

if TYPE_CHECKING:
    from hls_audit.app.run import RunOptions

FORMATS = ("table", "text", "json")


def migrate(
    paths: list[Path] | None,
    profiles: list[str],
    options: RunOptions,
    output: StrEnum | None,
    output_file: Path | None,
    portfolio: object,
) -> int:
    """Audit under each of two profiles, print the comparison, and give the exit code of the
    profile moved to (the second)."""
    from hls_audit.app.migration import Side, compare
    from hls_audit.render.json_out import dumps
    from hls_audit.render.migration_out import migration_json, migration_text

    chosen = output.value if output is not None else "table"
    if len(profiles) != 2 or profiles[0] == profiles[1]:
        usage_error("give --profile twice, the profile moved from and the one moved to")
    if portfolio is not None or output_file is not None or chosen not in FORMATS:
        usage_error(
            "comparing two profiles takes one case study and --format table, text or json "
            "on standard output"
        )
    path = (paths or [Path(".")])[0]
    as_json = chosen == "json"
    before, after = run_or_fail_under(path, options, (profiles[0], profiles[1]), as_json)
    assert before.profile is not None and after.profile is not None
    migration = compare(Side(before.profile, before), Side(after.profile, after))
    if as_json:
        sys.stdout.write(dumps(migration_json(migration)))
    else:
        sys.stdout.write(migration_text(migration))
    return migration.exit_code
