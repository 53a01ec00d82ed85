"""The command line: parse options, load, audit, render, choose the exit code. No checking here."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from hls_audit.findings import Report
    from hls_audit.load import CaseStudy
    from hls_audit.run import RunOptions

# hls-audit uses no pydantic plugins; skipping their discovery (an entry-point scan) saves
# start-up time on every command.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_TERMINATED = 128 + 15  # SIGTERM, as a shell reports it
_DEBUG = [False]  # set by --debug on the command line
_RESULT = [EXIT_OK]  # the exit code decided before printing: a closed pipe keeps it

app = typer.Typer(
    name="hls-audit",
    help="Audit the claims of a research-impact case study against its evidence.\n\n"
    "Exit codes: 0 all checks pass, 1 findings at or above the failure level, "
    "2 unusable input or command line.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class CheckFormat(StrEnum):
    table = "table"
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"


class TableFormat(StrEnum):
    table = "table"
    text = "text"
    json = "json"


class Level(StrEnum):
    verified = "verified"
    on_file = "on-file"
    recorded = "recorded"


class Profile(StrEnum):
    ref2021 = "ref2021"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class Require(StrEnum):
    records = "records"
    documents = "documents"


PathArg = Annotated[
    Path,
    typer.Argument(
        help="A claims file, or a folder holding claims.yaml.", show_default="current folder"
    ),
]
FORMAT_HELP = (
    "table: Rich tables on a terminal, plain text otherwise; text: always plain; "
    "json: the versioned JSON contract."
)
TableFormatOpt = Annotated[TableFormat, typer.Option("--format", "-f", help=FORMAT_HELP)]
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
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Settings file (default: hls-audit.toml, else [tool.hls-audit] in pyproject.toml, "
        "beside claims.yaml).",
    ),
]


def _is_terminal() -> bool:
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _fail(errors: list[Any], as_json: bool) -> NoReturn:
    """Report unusable input on stderr (and as JSON on stdout when asked), then exit 2."""
    for error in errors:
        typer.echo(error.render(), err=True)
    count = len(errors)
    typer.echo(
        f"hls-audit: {count} input error{'s' if count != 1 else ''}; nothing was audited.",
        err=True,
    )
    if as_json:
        from hls_audit.render.json_out import dumps, error_json

        items = [e.as_json() for e in errors]
        typer.echo(dumps(error_json(items)), nl=False)
    raise typer.Exit(EXIT_INPUT)


def _load(path: Path) -> CaseStudy:
    """The case study alone (for `lock`), with input errors reported."""
    from hls_audit.errors import InputError, InputErrors
    from hls_audit.load import load_case_study

    try:
        return load_case_study(path)
    except InputErrors as exc:
        _fail(exc.errors, False)
    except InputError as exc:
        _fail([exc], False)


def _run(path: Path, options: RunOptions, as_json: bool = False) -> Report:
    """The one use case, with input errors reported on stderr (and as JSON when asked)."""
    from hls_audit.errors import InputError, InputErrors
    from hls_audit.run import run_case

    try:
        return run_case(path, options, _progress)
    except InputErrors as exc:
        _fail(exc.errors, as_json)
    except InputError as exc:
        _fail([exc], as_json)


def _progress(count: int) -> Any:
    """A transient Rich progress bar on a terminal's stderr for long extractions, else None."""
    if count < 5 or not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task("Reading evidence", total=count)
    bar.start()

    def advance(done: int, total: int, name: str) -> None:
        bar.update(task, completed=done, description=f"Reading {name}" if name else "Done")
        if done >= total:
            bar.stop()

    return advance


def _print_table(plain: Any, rich: Any) -> None:
    """Rich tables on a terminal, plain text elsewhere."""
    if _is_terminal():
        rich(_console())
    else:
        sys.stdout.write(plain())


def _console() -> Any:
    """A Rich console whose closed pipe keeps the exit code already decided."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return _Console(highlight=False)


def _emit(output: TableFormat, plain: Any, rich: Any, payload: Any) -> None:
    if output is TableFormat.json:
        from hls_audit.render.json_out import dumps

        sys.stdout.write(dumps(payload()))
    elif output is TableFormat.text:
        sys.stdout.write(plain())
    else:
        _print_table(plain, rich)


def _guard(function: Any) -> Any:
    """Turn an unexpected crash into a one-line message and exit code 3, never a traceback."""
    import functools

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from hls_audit.sanitize import one_line

        try:
            try:
                return function(*args, **kwargs)
            finally:
                sys.stdout.flush()  # a full or failing stdout shows up here, not at exit
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(_RESULT[0]) from None
        except OSError as exc:  # the machine, not the tool: a full disk or stdout, an I/O error
            _silence_stdout()
            where = f" ({one_line(str(exc.filename))})" if exc.filename else ""
            typer.echo(
                f"hls-audit: error: {one_line(exc.strerror or type(exc).__name__)}{where}\n"
                "  hint: free space or fix the output, then run again",
                err=True,
            )
            raise typer.Exit(EXIT_INPUT) from None
        except Exception as exc:  # the last line of defence
            if _DEBUG[0] or os.environ.get("HLS_AUDIT_DEBUG"):
                raise
            typer.echo(
                f"hls-audit: internal error: {type(exc).__name__}: {one_line(str(exc), 400)}\n"
                "  This is a bug in hls-audit. Rerun with --debug for the traceback "
                "and report it.",
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def _silence_stdout() -> None:
    """After the reader of stdout has gone, send the rest to nowhere instead of failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _usage_error(message: str) -> None:
    typer.echo(f"Usage: hls-audit check [OPTIONS] [PATH]\nError: {message}", err=True)
    raise typer.Exit(EXIT_INPUT)


def _check_format(requested: CheckFormat | None, output_file: Path | None) -> str:
    """--format, else the --output file's suffix, else github under GitHub Actions, else table."""
    from hls_audit.render.formats import format_for_suffix

    if requested is not None:
        return requested.value
    if output_file is not None:
        guessed = format_for_suffix(output_file.suffix)
        if guessed is None:
            _usage_error(
                f"cannot tell the format of {output_file.name}; add --format "
                "(json, sarif, junit, markdown, github, text)"
            )
        return str(guessed)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "table"


PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="A claims file or a folder holding claims.yaml; several, or a folder of case "
        "studies, audit a portfolio.",
        show_default="current folder",
    ),
]


def _portfolio_targets(paths: list[Path] | None) -> list[Path] | None:
    """The claims files of a portfolio, or None when PATH names one case study."""
    from hls_audit.errors import InputError
    from hls_audit.load import CLAIMS_FILE
    from hls_audit.portfolio import discover

    targets = paths or [Path(".")]
    single = len(targets) == 1 and (
        targets[0].is_file() or os.path.lexists(targets[0] / CLAIMS_FILE)
    )
    if single or (len(targets) == 1 and not targets[0].exists()):
        return None
    for target in targets:
        if not target.exists():
            missing = InputError("no such file or folder", path=str(target), hint="check the path")
            _fail([missing], as_json=False)
    found = discover(targets)
    if not found:
        _fail(
            [
                InputError(
                    f"no {CLAIMS_FILE} in or below this folder",
                    path=", ".join(str(t) for t in targets),
                    hint="point at a case study's folder, or a folder that holds case studies",
                    code="HLS001",
                )
            ],
            as_json=False,
        )
    return found


def _portfolio(
    claims_files: list[Path],
    kind: str,
    output: str,
    options: Any,
) -> int:
    from hls_audit.portfolio import run_portfolio
    from hls_audit.render import portfolio_out

    portfolio = run_portfolio(claims_files, options)
    code = portfolio.exit_code if kind == "check" else (2 if portfolio.exit_code == 2 else 0)
    _RESULT[0] = code
    if output == "json":
        from hls_audit.render.json_out import dumps

        sys.stdout.write(dumps(portfolio_out.portfolio_json(portfolio, kind)))
    elif output == "table" and _is_terminal():
        portfolio_out.print_portfolio(_console(), portfolio, kind)
    else:
        sys.stdout.write(portfolio_out.portfolio_text(portfolio, kind))
    return code


def _maybe_portfolio(
    paths: list[Path] | None,
    kind: str,
    output: TableFormat,
    require: Require | None,
    corroborated_at: Level | None,
    config_path: Path | None,
) -> None:
    """Run `totals` or `sources` over a portfolio and exit, when PATH names more than one."""
    portfolio = _portfolio_targets(paths)
    if portfolio is not None:
        if config_path is not None:
            _usage_error("--config names one case study's settings; a portfolio uses their own")
        options = _table_options(require, corroborated_at, None)
        raise typer.Exit(_portfolio(portfolio, kind, output.value, options))


@app.command()
@_guard
def check(
    paths: PathsArg = None,
    output: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=FORMAT_HELP + " github: workflow annotations (the default when GITHUB_ACTIONS "
            "is true); sarif: SARIF 2.1.0; junit: JUnit XML; markdown: a summary for "
            "$GITHUB_STEP_SUMMARY or a pull-request comment.",
            show_default="table",
        ),
    ] = None,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report in --format to this file (atomically) while the terminal "
            "shows the table.",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding is at or above this level "
            "[default: error, or the settings' fail-on].",
            show_default=False,
        ),
    ] = None,
    require: RequireOpt = None,
    corroborated_at: LevelOpt = None,
    frozen: Annotated[
        bool,
        typer.Option(
            "--frozen", help="Documents changed, added or removed since evidence.lock are errors."
        ),
    ] = False,
    narrative_file: NarrativeOpt = None,
    profile: ProfileOpt = None,
    config_path: ConfigOpt = None,
) -> None:
    """Run every check; print the gaps and the headline reconciliation."""
    from hls_audit.run import RunOptions

    options = RunOptions(
        fail_on=fail_on.value if fail_on else None,
        require=require.value if require else None,
        corroborated_at=corroborated_at.value if corroborated_at else None,
        profile=profile.value if profile else None,
        frozen=frozen,
        narrative=narrative_file,
        config=config_path,
    )
    portfolio = _portfolio_targets(paths)
    if portfolio is not None:
        chosen = output.value if output else "table"
        if chosen not in ("table", "text", "json") or output_file is not None:
            _usage_error("a portfolio is reported as table, text or json, on standard output")
        if narrative_file is not None or config_path is not None:
            _usage_error(
                "--narrative and --config name one case study's files; in a portfolio each "
                "case study uses its own `narrative:` and settings"
            )
        raise typer.Exit(_portfolio(portfolio, "check", chosen, options))
    path = (paths or [Path(".")])[0]
    chosen = _check_format(output, output_file)
    if output_file is not None and chosen == "table":
        _usage_error("--output needs a file format: json, sarif, junit, markdown, github or text")
    as_json = chosen == "json" and output_file is None
    report = _run(path, options, as_json)
    case = report.case_study

    from hls_audit.render import check_renderer, plain

    _RESULT[0] = report.exit_code

    def rich(console: Any) -> None:
        from hls_audit.render.rich_out import print_check

        print_check(console, report)

    if output_file is not None:
        from hls_audit.errors import InputError
        from hls_audit.output import is_standard_output, refuse_input_overwrite, write_atomic

        try:
            refuse_input_overwrite(
                output_file,
                _inputs_of(case, narrative_file, config_path),
                case.evidence_dir,
            )
            write_atomic(output_file, check_renderer(chosen)(report))
        except InputError as exc:
            _fail([exc], as_json=False)
        if not is_standard_output(output_file):  # the report is on stdout: nothing after it
            _print_table(lambda: plain.check_text(report), rich)
    elif chosen == "table":
        _print_table(lambda: plain.check_text(report), rich)
    else:
        sys.stdout.write(check_renderer(chosen)(report))
    raise typer.Exit(report.exit_code)


def _inputs_of(case: CaseStudy, narrative: Path | None, config_path: Path | None) -> list[Path]:
    """Every file the audit reads (or would read), which --output must never replace."""
    from hls_audit.config import CONFIG_FILE, PYPROJECT
    from hls_audit.lock import LOCK_FILE

    paths = [
        case.root / "claims.yaml",
        Path(case.claims_document.path),
        case.root / LOCK_FILE,
        case.root / CONFIG_FILE,
        case.root / PYPROJECT,
    ]
    paths += [Path(loaded.document.path) for loaded in case.records]
    if config_path is not None:
        paths.append(config_path)
    if narrative is not None:
        paths.append(narrative)
    if case.data.narrative:
        paths.append(case.root / case.data.narrative)
    return paths


def _table_options(
    require: Require | None, corroborated_at: Level | None, config_path: Path | None
) -> RunOptions:
    from hls_audit.run import RunOptions

    return RunOptions(
        require=require.value if require else None,
        corroborated_at=corroborated_at.value if corroborated_at else None,
        config=config_path,
    )


@app.command()
@_guard
def totals(
    paths: PathsArg = None,
    output: TableFormatOpt = TableFormat.table,
    require: RequireOpt = None,
    corroborated_at: LevelOpt = None,
    config_path: ConfigOpt = None,
) -> None:
    """Print every amount with its role, the subtotals and each headline's verdict."""
    _maybe_portfolio(paths, "totals", output, require, corroborated_at, config_path)
    path = (paths or [Path(".")])[0]
    as_json = output is TableFormat.json
    report = _run(path, _table_options(require, corroborated_at, config_path), as_json)
    from hls_audit.render import json_out, plain

    def rich(console: Any) -> None:
        from hls_audit.render.rich_out import print_totals

        print_totals(console, report)

    _emit(output, lambda: plain.totals_text(report), rich, lambda: json_out.totals_json(report))


@app.command()
@_guard
def sources(
    paths: PathsArg = None,
    output: TableFormatOpt = TableFormat.table,
    require: RequireOpt = None,
    corroborated_at: LevelOpt = None,
    config_path: ConfigOpt = None,
) -> None:
    """Print the evidence register: every source, its level, who cites it, what is missing."""
    _maybe_portfolio(paths, "sources", output, require, corroborated_at, config_path)
    path = (paths or [Path(".")])[0]
    as_json = output is TableFormat.json
    report = _run(path, _table_options(require, corroborated_at, config_path), as_json)
    from hls_audit.render import json_out, plain

    def rich(console: Any) -> None:
        from hls_audit.render.rich_out import print_sources

        print_sources(console, report)

    _emit(output, lambda: plain.sources_text(report), rich, lambda: json_out.sources_json(report))


@app.command()
@_guard
def rules(output: TableFormatOpt = TableFormat.table) -> None:
    """List every check: code, name, default severity and summary."""
    from hls_audit.render import json_out, plain

    def rich(console: Any) -> None:
        from hls_audit.render.rich_out import print_rules

        print_rules(console)

    _emit(output, plain.rules_text, rich, json_out.rules_json)


@app.command()
@_guard
def narrative(
    narrative_file: Annotated[
        Path, typer.Argument(help="The case study's text: txt, md, docx or pdf.")
    ],
    path: PathArg = Path("."),
    output: TableFormatOpt = TableFormat.table,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this level.")
    ] = FailOn.error,
    config_path: ConfigOpt = None,
) -> None:
    """Reconcile the case study's text with claims.yaml: figures, markers, qualifiers."""
    from dataclasses import replace

    from hls_audit.run import RunOptions

    as_json = output is TableFormat.json
    options = RunOptions(fail_on=fail_on.value, narrative=narrative_file, config=config_path)
    full = _run(path, options, as_json)
    report = replace(full, findings=[f for f in full.findings if f.code.startswith("HLS7")])
    _RESULT[0] = report.exit_code
    from hls_audit.render import json_out, plain

    def rich(console: Any) -> None:
        from hls_audit.render.rich_out import print_narrative

        print_narrative(console, report)

    _emit(
        output,
        lambda: plain.narrative_text(report),
        rich,
        lambda: json_out.narrative_json(report),
    )
    raise typer.Exit(report.exit_code)


@app.command()
@_guard
def extract(
    narrative_file: Annotated[
        Path, typer.Argument(help="The case study's text: txt, md, docx or pdf.")
    ],
    output_path: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the draft here: a .yaml file, or a new folder that gets claims.yaml and "
            "evidence/ record stubs. Never overwrites. Default: standard output.",
        ),
    ] = None,
) -> None:
    """Draft a claims.yaml from a case study's narrative: figures, qualifiers, sources."""
    from hls_audit.errors import InputError
    from hls_audit.files import outside_folder
    from hls_audit.load import display_path
    from hls_audit.narrative.analysis import load_narrative
    from hls_audit.narrative.extract import claims_yaml, draft, record_stub
    from hls_audit.output import write_atomic

    try:
        narrative = load_narrative(
            narrative_file, display_path(narrative_file), outside_folder(narrative_file)
        )
    except InputError as exc:
        _fail([exc], as_json=False)
    data, register = draft(narrative, narrative_file.name)
    text = claims_yaml(data, register, narrative_file.name)
    if output_path is None:
        sys.stdout.write(text)
        return
    if os.path.lexists(output_path):
        _fail(
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
                write_atomic(stub, record_stub(entry), in_place=False)
    except InputError as exc:
        _fail([exc], as_json=False)
    typer.echo(
        f"wrote {output_path}/claims.yaml ({len(data['claims'])} claims with figures) and "
        f"{sum(1 for e in register if e.kind != 'grant')} record stubs in evidence/"
    )


@app.command()
@_guard
def explain(
    code: Annotated[
        str | None,
        typer.Argument(help="A check code (HLS102), an input-error code (HLS005) or a name."),
    ] = None,
    all_checks: Annotated[
        bool, typer.Option("--all", help="Every check, as Markdown (the docs/checks.md text).")
    ] = False,
) -> None:
    """Explain a check: what it does, why it matters, an example, and the fix."""
    from hls_audit.catalog import get_check
    from hls_audit.input_codes import get_input_code
    from hls_audit.render.explain import all_markdown, explain_input_code, explain_text
    from hls_audit.sanitize import one_line

    if all_checks:
        sys.stdout.write(all_markdown())
        return
    if code is None:
        typer.echo("Usage: hls-audit explain CODE\nError: name a check, or use --all", err=True)
        raise typer.Exit(EXIT_INPUT)
    input_code = get_input_code(code)
    if input_code is not None:
        sys.stdout.write(explain_input_code(input_code))
        return
    try:
        item = get_check(code)
    except KeyError:
        typer.echo(
            f"hls-audit: {one_line(code, 60)!r} is not a check or input-error code or name; "
            "`hls-audit rules` lists the checks, the README the input errors",
            err=True,
        )
        raise typer.Exit(EXIT_INPUT) from None
    sys.stdout.write(explain_text(item))


@app.command()
@_guard
def lock(
    path: PathArg = Path("."),
    update: Annotated[
        bool, typer.Option("--update", help="Replace an existing evidence.lock.")
    ] = False,
) -> None:
    """Write evidence.lock: sha256, size and page count of every document a record names."""
    from hls_audit.errors import InputError, InputErrors
    from hls_audit.lock import LOCK_FILE, compare, lock_text, read_lock
    from hls_audit.output import write_atomic
    from hls_audit.verify import named_documents, read_documents

    case = _load(path)
    target = case.root / LOCK_FILE
    try:
        documents = read_documents(case, _progress(len(named_documents(case))))
    except (InputError, InputErrors) as exc:
        _fail(exc.errors if isinstance(exc, InputErrors) else [exc], as_json=False)
    current = documents.fingerprints()
    if os.path.lexists(target):
        try:
            previous = read_lock(target, str(target), case.folder)
        except InputError:
            previous = {}
        if not update:
            drift = compare(previous, current)
            state = "matches the documents" if previous and not drift.any else "differs"
            typer.echo(
                f"hls-audit: {target} already exists and {state}; pass --update to replace it",
                err=True,
            )
            raise typer.Exit(EXIT_INPUT)
        drift = compare(previous, current)
        summary = (
            f"{len(drift.changed)} changed, {len(drift.added)} added, {len(drift.removed)} removed"
        )
    else:
        summary = f"{len(current)} document(s)"
    try:
        write_atomic(target, lock_text(current), in_place=False)
    except InputError as exc:
        _fail([exc], as_json=False)
    typer.echo(f"wrote {target}: {summary}")


class SchemaKind(StrEnum):
    claims = "claims"
    record = "record"


@app.command()
@_guard
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(help="claims: claims.yaml; record: one evidence/ record.")
    ] = SchemaKind.claims,
) -> None:
    """Print the JSON Schema of claims.yaml (or of an evidence record) for editors and CI."""
    from hls_audit.schema import schema_text

    sys.stdout.write(schema_text(kind.value))


def _version_callback(value: bool) -> None:
    if value:
        from hls_audit import __version__

        typer.echo(f"hls-audit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show the traceback of an internal error (exit 3)."),
    ] = False,
) -> None:
    """Audit the claims of a research-impact case study against its evidence."""
    _DEBUG[0] = debug or bool(os.environ.get("HLS_AUDIT_DEBUG"))


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (a cancelled CI job) unwinds like Ctrl-C, so temporary files are removed."""
    raise SystemExit(EXIT_TERMINATED)


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    app(prog_name="hls-audit")
