"""The one table of output formats: the CLI offers what it says, and every renderer it names works.

Each command's ``--format`` choices are the formats whose entry names the command's view; every
(format, view) entry imports and renders the bundled case study.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from hls_audit.app.diff import Side, compare
from hls_audit.app.portfolio import Options, PortfolioReport, run_portfolio
from hls_audit.app.run import RunOptions, run_case
from hls_audit.engine.findings import Report
from hls_audit.profiles import PROFILES
from hls_audit.render import check_renderer
from hls_audit.render.formats import FORMATS, VIEWS, View, format_for_suffix, formats_for
from tests.conftest import REPO
from tests.test_narrative_checks import NARRATIVE

COMMAND_VIEWS: dict[str, View] = {
    "check": "check",
    "totals": "totals",
    "sources": "sources",
    "narrative": "narrative",
    "rules": "rules",
    "diff": "diff",
}

# What each command offered before the table: the table must keep offering exactly this.
OFFERED = {
    "check": (
        "table",
        "text",
        "json",
        "github",
        "sarif",
        "junit",
        "markdown",
        "html",
        "csv",
        "xlsx",
    ),
    "totals": ("table", "text", "json", "markdown", "html", "csv", "xlsx"),
    "sources": ("table", "text", "json", "markdown", "html", "csv", "xlsx"),
    "narrative": ("table", "text", "json"),
    "rules": ("table", "text", "json"),
    "portfolio": ("table", "text", "json", "html"),
    "diff": ("table", "text", "json", "markdown"),
}


def _choices(cli, command: str, option: str) -> tuple[str, ...]:
    """The choices the command's --help shows for the option: ``--format <table|text|json>``."""
    result = cli(command, "--help")
    assert result.exit_code == 0, result.output
    found = re.search(rf"{re.escape(option)} <([a-z0-9|-]+)>", result.stdout)
    assert found, result.stdout
    return tuple(found.group(1).split("|"))


@pytest.mark.parametrize("command", sorted(COMMAND_VIEWS))
def test_each_command_offers_the_formats_the_table_gives_its_view(cli, command):
    view = COMMAND_VIEWS[command]
    assert _choices(cli, command, "--format") == formats_for(view) == OFFERED[command]


def test_the_table_keeps_the_portfolio_formats():
    assert formats_for("portfolio") == OFFERED["portfolio"]


def test_profile_choices_are_the_profiles(cli):
    assert _choices(cli, "check", "--profile") == tuple(PROFILES)


@pytest.mark.parametrize(
    "name", [n for n in formats_for("check") if n not in formats_for("portfolio")]
)
def test_a_format_without_the_portfolio_view_is_refused_for_a_portfolio(tmp_path, cli, name):
    for case in ("a", "b"):
        folder = tmp_path / case
        folder.mkdir()
        (folder / "claims.yaml").write_text((REPO / "claims.yaml").read_text("utf-8"), "utf-8")
    result = cli("check", str(tmp_path), "--format", name)
    assert result.exit_code == 2
    assert "a portfolio is reported as table, text, json, html" in result.stderr
    assert result.stderr.startswith("Usage: hls-audit check [OPTIONS]")
    if name in formats_for("totals"):
        totals = cli("totals", str(tmp_path), "--format", name)
        assert totals.exit_code == 2
        assert totals.stderr.startswith("Usage: hls-audit totals [OPTIONS]")


def test_suffixes_pick_one_format_each():
    suffixes = [s for f in FORMATS.values() for s in f.suffixes]
    assert len(suffixes) == len(set(suffixes))
    assert all(s == s.lower() and s.startswith(".") for s in suffixes)
    assert {s: format_for_suffix(s.upper()) for s in suffixes} == {
        ".txt": "text",
        ".json": "json",
        ".sarif": "sarif",
        ".xml": "junit",
        ".md": "markdown",
        ".html": "html",
        ".htm": "html",
        ".csv": "csv",
        ".xlsx": "xlsx",
    }
    assert format_for_suffix(".bin") is None


def test_console_formats_fall_back_to_a_text_format():
    for entry in FORMATS.values():
        assert entry.views and set(entry.views) <= set(VIEWS)
        if entry.kind == "console":
            assert entry.off_terminal is not None
            fallback = FORMATS[entry.off_terminal]
            assert fallback.kind != "console" and set(entry.views) <= set(fallback.views)


@pytest.fixture(scope="module")
def subjects(tmp_path_factory) -> dict[str, tuple[object, ...]]:
    """What each view renders, from the bundled case study."""
    text = tmp_path_factory.mktemp("narrative") / "case-study.md"
    text.write_text(NARRATIVE, encoding="utf-8")
    report = run_case(REPO, RunOptions())
    with_text = run_case(REPO, RunOptions(narrative=text))
    portfolio = run_portfolio([REPO / "claims.yaml"], Options(), workers=1)
    assert isinstance(report, Report) and isinstance(portfolio, PortfolioReport)
    return {
        "check": (report,),
        "totals": (report,),
        "sources": (report,),
        "narrative": (with_text,),
        "rules": (),
        "portfolio": (portfolio, "check"),
        "diff": (compare(Side("HEAD~1", "0" * 40), report, Side("working tree"), report),),
    }


ENTRIES = [(name, view) for name, entry in FORMATS.items() for view in entry.views]


@pytest.mark.parametrize(("name", "view"), ENTRIES, ids=[f"{n}-{v}" for n, v in ENTRIES])
def test_every_renderer_in_the_table_renders_the_bundled_case_study(subjects, name, view):
    entry = FORMATS[name]
    renderer = entry.renderer(view)
    assert callable(renderer)
    subject = subjects[view]
    kinds: list[tuple[object, ...]] = [subject]
    if view == "portfolio":
        kinds = [(subject[0], kind) for kind in ("check", "totals", "sources")]
    for args in kinds:
        if entry.kind == "console":
            stream = io.StringIO()
            renderer(Console(file=stream, width=160, color_system=None), *args)
            out = stream.getvalue()
        elif entry.kind == "bytes":
            out = entry.render_bytes(view, *args).decode("latin-1")
        else:
            out = entry.render(view, *args)
            if entry.kind == "json":
                assert isinstance(json.loads(out), dict)
        assert out.strip(), (name, view)


def test_check_renderer_reads_the_table(subjects):
    (report,) = subjects["check"]
    from hls_audit.render import json_out, plain

    assert check_renderer("json")(report) == json_out.check_text(report)
    assert check_renderer("text")(report) == plain.check_text(report)
    with pytest.raises(KeyError):
        check_renderer("table")


def test_the_portfolio_json_is_each_case_studys_check_json(subjects):
    portfolio, _ = subjects["portfolio"]
    (report,) = subjects["check"]
    from hls_audit.render.json_out import check_json

    (entry,) = json.loads(FORMATS["json"].render("portfolio", portfolio, "check"))["case_studies"]
    entry.pop("path")
    assert entry == json.loads(json.dumps(check_json(report)))
