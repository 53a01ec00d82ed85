"""Rich tables on a narrow terminal keep every figure, id and file:line whole, and the last line of
`check` says pass or fail together with each headline's verdict."""

from __future__ import annotations

import re

import pytest

from hls_audit.render import rich_out
from hls_audit.render.views import TableView
from tests.conftest import MINIMAL_CLAIMS, REPO

SGR = re.compile(r"\x1b\[[0-9;]*m")
# A money figure as we print it or as the author stated it, and a place in a file.
FIGURE = re.compile(r"(?:£|GBP)\d+(?:,\d+)*(?:\.\d+)?")
WELL_FORMED = re.compile(r"(?:£|GBP)\d{1,3}(?:,\d{3})*(?:\.\d\d)?")
PLACE = re.compile(r"[\w/.-]+\.yaml:\d+(?::\d+)?")
WIDTHS = ("80", "100")


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def rich(cli, *args: str, width: str, colour: bool = False) -> str:
    env = {"TTY_COMPATIBLE": "1", "COLUMNS": width}
    if colour:
        env |= {"NO_COLOR": "", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    result = cli(*args, env=env)
    assert result.exit_code in (0, 1), result.output
    return result.stdout if colour else SGR.sub("", result.stdout)


def whole_tokens(text: str, pattern: re.Pattern[str]) -> set[str]:
    return set(pattern.findall(text))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", ["check", "totals", "sources"])
def test_no_figure_or_place_is_split_on_a_narrow_terminal(in_repo, cli, command, width):
    out = rich(cli, command, width=width)
    plain = cli(command, "--format", "text").stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= int(width)
    for figure in FIGURE.findall(out):
        assert WELL_FORMED.fullmatch(figure), f"{figure!r} is cut short"
    assert whole_tokens(out, FIGURE) <= whole_tokens(plain, FIGURE)
    assert whole_tokens(out, PLACE) <= whole_tokens(plain, PLACE)
    if command == "check":
        assert "£169,200,000" in out and "claims.yaml:41:5" in out
        assert len(PLACE.findall(out)) == out.count(".yaml:")  # every place is whole


def test_a_narrow_terminal_drops_the_optional_columns_and_says_so(in_repo, cli):
    narrow = rich(cli, "totals", width="80")
    wide = rich(cli, "totals", width="200")
    assert "Qualifier" not in narrow.split("(Not shown")[0] and "Qualifier" in wide
    assert "Not shown on a terminal this narrow: " in narrow
    assert "Not shown" not in wide


def test_a_prose_column_folds_but_a_figure_column_does_not():
    view = TableView("T", ["Id", "Amount", "Note"], prose={2})
    view.add(["ID-0000000001", "£123,456,789", "a" * 60])
    table = rich_out.ViewTable(view)
    widths = table.plan(50)
    assert widths[0] == len("ID-0000000001") and widths[1] == len("£123,456,789")
    assert widths[2] == 50 - 1 - 3 * 3 - widths[0] - widths[1]
    assert table.plan(20)[2] == rich_out.PROSE_WIDTH  # never narrower, even past the width


def _last(text: str) -> str:
    return SGR.sub("", text).rstrip().splitlines()[-1]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_last_line_of_check_gives_pass_with_the_headline_not_proven(in_repo, cli, width):
    last = _last(rich(cli, "check", width=width))
    assert last.startswith("PASS") and "headline H1 not proven" in last
    assert len(last) <= int(width)
    text = _last(cli("check", "--format", "text").stdout)
    assert text.startswith("PASS: 0 errors, 13 warnings · headline H1 not proven (more than ")
    assert "counted £169,200,000" in text


def test_a_passing_check_with_a_headline_not_proven_is_never_green(in_repo, cli):
    out = rich(cli, "check", width="100", colour=True)
    last = out.rstrip().splitlines()[-1]
    assert "\x1b[" in last, "colour expected"
    assert "32m" not in last and "33m" in last  # yellow, not green


def test_no_color_is_respected(in_repo, cli):
    out = cli("check", env={"TTY_COMPATIBLE": "1", "COLUMNS": "80", "NO_COLOR": "1"}).stdout
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m", out)


def test_the_last_line_says_fail_and_proven(case, cli):
    case()
    proven = cli("check", "--format", "text")
    assert proven.exit_code == 0
    assert _last(proven.stdout) == "PASS: 0 errors, 0 warnings · headline H1 proven"
    assert (
        _last(rich(cli, "check", width="80")) == "PASS: 0 errors, 0 warnings · headline H1 proven"
    )
    case(
        claims=MINIMAL_CLAIMS.replace("evidence: [E2]", "evidence: [E9]").replace(
            "value: 10000000", "value: 12000000"
        )
    )
    failed = cli("check", "--format", "text")
    assert failed.exit_code == 1
    last = _last(failed.stdout)
    assert last.startswith("FAIL: 2 errors, 1 warning · ")
    assert "headline H1 failed (more than £12,000,000: counted £11,000,000)" in last
    assert _last(rich(cli, "check", width="80")).startswith("FAIL")


def test_several_headlines_shorten_to_fit(case, cli):
    claims = MINIMAL_CLAIMS.replace(
        "    value: 10000000\n",
        "    value: 10000000\n  - id: H2\n    statement: More than £50m.\n"
        "    relation: more_than\n    value: 50000000\n",
    )
    case(claims=claims)
    last = _last(rich(cli, "check", width="80"))
    assert last.startswith(("PASS", "FAIL")) and "H2" in last and len(last) <= 80
