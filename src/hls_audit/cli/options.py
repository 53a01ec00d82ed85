"""The options commands share, and the choices they offer.

The ``--format`` choices of each command are the formats the table in
:mod:`hls_audit.render.formats` says render that command's view; the ``--profile`` choices are
``hls_audit.profiles.PROFILES``. Both enums are built from those tables when this module loads
(type checkers see them as plain StrEnums).
"""

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hls_audit.enums import FAIL_LEVELS, THRESHOLDS, Requirement
from hls_audit.profiles import PROFILES
from hls_audit.render.formats import formats_for

if TYPE_CHECKING:
    from hls_audit.app.run import RunOptions


_MADE: dict[tuple[str, tuple[str, ...]], type[StrEnum]] = {}


def choices(name: str, values: Iterable[str]) -> type[StrEnum]:
    """A StrEnum whose members are ``values`` (a member's name is its value, '-' as '_').

    Commands offering the same choices share one enum: each costs start-up time.
    """
    key = (name, tuple(values))
    if key not in _MADE:
        members = [(value.replace("-", "_"), value) for value in key[1]]
        made: type[StrEnum] = StrEnum(name, members)  # type: ignore[misc]  # known at run time
        _MADE[key] = made
    return _MADE[key]


if TYPE_CHECKING:  # built from the tables at run time
    CheckFormat = StrEnum
    TotalsFormat = StrEnum
    SourcesFormat = StrEnum
    NarrativeFormat = StrEnum
    RulesFormat = StrEnum
    Profile = StrEnum
    Level = StrEnum
    FailOn = StrEnum
else:
    CheckFormat = choices("Format", formats_for("check"))
    TotalsFormat = choices("Format", formats_for("totals"))
    SourcesFormat = choices("Format", formats_for("sources"))
    NarrativeFormat = choices("Format", formats_for("narrative"))
    RulesFormat = choices("Format", formats_for("rules"))
    Profile = choices("Profile", PROFILES)
    Level = choices("Level", THRESHOLDS)  # --corroborated-at: a level a source can be at
    FailOn = choices("FailOn", FAIL_LEVELS)


Require = Requirement


class SchemaKind(StrEnum):
    claims = "claims"
    record = "record"
    profile = "profile"


PathArg = Annotated[
    Path,
    typer.Argument(
        help="A claims file, or a folder holding claims.yaml.", show_default="current folder"
    ),
]
PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="A claims file or a folder holding claims.yaml; several, or a folder of case "
        "studies, audit a portfolio.",
        show_default="current folder",
    ),
]
FORMAT_HELP = (
    "table: Rich tables on a terminal, plain text otherwise; text: always plain; "
    "json: the versioned JSON contract."
)
CHECK_FORMAT_HELP = (
    FORMAT_HELP + " github: workflow annotations (the default when GITHUB_ACTIONS "
    "is true); sarif: SARIF 2.1.0; junit: JUnit XML; markdown: a summary for "
    "$GITHUB_STEP_SUMMARY or a pull-request comment."
)
CheckFormatOpt = Annotated[
    CheckFormat | None,
    typer.Option("--format", "-f", help=CHECK_FORMAT_HELP, show_default="table"),
]
TABLES_FORMAT_HELP = (
    FORMAT_HELP + " markdown: GitHub-flavoured tables; csv: one row per item, plain numbers; "
    "xlsx: an Excel workbook, typed cells (needs --output FILE.xlsx and the xlsx extra)."
)
TotalsFormatOpt = Annotated[
    TotalsFormat | None,
    typer.Option("--format", "-f", help=TABLES_FORMAT_HELP, show_default="table"),
]
SourcesFormatOpt = Annotated[
    SourcesFormat | None,
    typer.Option("--format", "-f", help=TABLES_FORMAT_HELP, show_default="table"),
]
OutputFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to this file (atomically; its suffix picks the format: .json "
        ".md .txt .csv .xlsx) while the terminal shows the table.",
        show_default=False,
    ),
]
NarrativeFormatOpt = Annotated[NarrativeFormat, typer.Option("--format", "-f", help=FORMAT_HELP)]
RulesFormatOpt = Annotated[RulesFormat, typer.Option("--format", "-f", help=FORMAT_HELP)]
RequireOpt = Annotated[
    Require | None,
    typer.Option(
        "--require",
        help="What a source needs to count as present: a record, or a document on file "
        "[default: records, or the settings' require].",
        show_default=False,
    ),
]
LevelOpt = Annotated[
    Level | None,
    typer.Option(
        "--corroborated-at",
        help="The evidence level a source needs for the corroborated total "
        "[default: recorded; on-file with --require documents].",
        show_default=False,
    ),
]
NarrativeOpt = Annotated[
    Path | None,
    typer.Option(
        "--narrative",
        help="The case study's text (txt, md, docx or pdf) to reconcile with claims.yaml "
        "[default: `narrative:` in claims.yaml].",
        show_default=False,
    ),
]
ProfileOpt = Annotated[
    Profile | None,
    typer.Option(
        "--profile",
        help="A rule profile to apply [default: `profile:` in claims.yaml].",
        show_default=False,
    ),
]
ProfilesOpt = Annotated[
    list[Profile] | None,
    typer.Option(
        "--profile",
        help="A rule profile to apply [default: `profile:` in claims.yaml]; given twice "
        "(--profile OLD --profile NEW), compare the findings under each.",
        show_default=False,
        metavar="<" + "|".join(PROFILES) + ">",
    ),
]
ProfileDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--profile-dir",
        envvar="HLS_AUDIT_PROFILE_DIR",
        file_okay=False,
        help="A folder of house profiles several case studies share: a `profile` file name "
        "not found beside claims.yaml is read from here (and what it extends, from the same "
        "folder).",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Settings file (default: hls-audit.toml, else [tool.hls-audit] in pyproject.toml, "
        "beside claims.yaml).",
    ),
]
NarrativeFileArg = Annotated[
    Path, typer.Argument(help="The case study's text: txt, md, docx or pdf.")
]


def table_options(
    require: Require | None, corroborated_at: Level | None, config_path: Path | None
) -> "RunOptions":
    """The run options of `totals` and `sources`."""
    from hls_audit.app.run import RunOptions

    return RunOptions(
        require=require.value if require else None,
        corroborated_at=corroborated_at.value if corroborated_at else None,
        config=config_path,
        profile_dir=profile_dir_from_env(),
    )


PROFILE_DIR_ENV = "HLS_AUDIT_PROFILE_DIR"


def profile_dir_from_env() -> Path | None:
    """The shared profile folder HLS_AUDIT_PROFILE_DIR names, if any."""
    import os

    named = os.environ.get(PROFILE_DIR_ENV)
    return Path(named) if named else None
