"""Output hygiene: nothing a case study's author writes can forge a line of hls-audit's output.

The author controls titles, amounts as stated, providers, the names of files in evidence/, the
entries of evidence.lock, the keys of claims.yaml and every id. Each of them is given a payload
that tries every trick at once (new lines by LF and CR, workflow commands after indentation, the
legacy ``##[`` syntax, terminal escapes, bidirectional overrides, Unicode line separators) and
each text format is run on it, outside and inside GitHub Actions. Whatever the format, no line of
stdout or stderr may be a workflow command unless it is an annotation that `--format github`
wrote, no raw control or bidirectional character may appear, and the value must still be there
to read, in escaped form. File names with line breaks are made only inside tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hls_audit.core.errors import InputError
from hls_audit.core.sanitize import (
    ELLIPSIS,
    MAX_MESSAGE,
    MAX_VALUE,
    one_line,
    plain_line,
    plain_text,
)
from hls_audit.documents.lock import LOCK_FORMAT
from hls_audit.render import github, markdown
from hls_audit.render.views import TableView
from tests.conftest import MINIMAL_CLAIMS, MINIMAL_RECORDS, CaseWriter, Result

Run = Callable[..., Result]

# Characters that must never reach the output raw: C0 (but LF, the line break), DEL, C1, the
# Unicode line and paragraph separators and the bidirectional controls.
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
COMMAND = re.compile(r"^\s*::")
# What an annotation of ours looks like: a level, escaped properties ending with title=, then '::'.
ANNOTATION = re.compile(
    r"^::(error|warning|notice) (file=[^:,]*,(line=\d+,(col=\d+,)?)?)?title=[^:,]*::"
)
SGR = re.compile(r"\x1b\[[0-9;]*m")  # Rich's own styles on a terminal, even with NO_COLOR


def payload(marker: str, brk: str = "\n", slash: bool = True) -> str:
    """Every trick at once; `marker` first, so that the value can be found again."""
    mention = "@org/team" if slash else "@orgteam"
    return (
        f"{marker}{brk}::error::FORGED{brk}  \t::warning ::W\r\n::notice::N\x1b[31mRED\u202eRTL"
        f"\u2066ISO\u2028LS\u0085NEL\x7f\x9b ##[error]LEGACY {mention}"
    )


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding text exactly (JSON's escapes are YAML's too)."""
    return json.dumps(text)


# --- The injection fields ------------------------------------------------------------------------


def _title(case: CaseWriter) -> str:
    case()
    case.edit("title: A small case study", f"title: {yaml_string(payload('ZqTitle'))}")
    return "ZqTitle"


def _stated(case: CaseWriter) -> str:
    case()
    case.edit('stated: "£7m"', f"stated: {yaml_string(payload('ZqStated'))}")
    return "ZqStated"


def _provider(field: str, marker: str) -> Callable[[CaseWriter], str]:
    def write(case: CaseWriter) -> str:
        values = {"organisation": "A Council", "role": "Director", "name": "A. Person"}
        values[field] = payload(marker)
        provider = ", ".join(f"{key}: {yaml_string(value)}" for key, value in values.items())
        records = dict(MINIMAL_RECORDS)
        records["E1"] = (
            "id: E1\nkind: testimonial\ntitle: Letter from the council\n"
            f"provider: {{{provider}}}\nheld_by: the impact team\n"
        )
        case(records=records)
        return marker

    return write


def _file(brk: str, marker: str) -> Callable[[CaseWriter], str]:
    def write(case: CaseWriter) -> str:
        case(documents={payload(marker, brk, slash=False) + ".pdf": b"%PDF-1.4\n"})
        return marker

    return write


def _lock_entry(case: CaseWriter) -> str:
    case()
    name = payload("ZqLock") + ".pdf"
    lock = {
        "format": LOCK_FORMAT,
        "version": 1,
        "documents": {name: {"sha256": "0" * 64, "size": 1, "pages": None}},
    }
    (case.root / "evidence.lock").write_text(json.dumps(lock), encoding="utf-8")
    return "ZqLock"


TEXTS = {"text", "table", "rich", "markdown"}  # formats that show the case study itself
ALL = TEXTS | {"junit", "github", "default"}  # ... and those that show only findings

FIELDS: dict[str, tuple[Callable[[CaseWriter], str], set[str]]] = {
    "title": (_title, TEXTS),
    "stated": (_stated, TEXTS),
    "provider-name": (_provider("name", "ZqName"), ALL),
    "provider-organisation": (_provider("organisation", "ZqOrg"), ALL),
    "provider-role": (_provider("role", "ZqRole"), ALL),
    "file-name-lf": (_file("\n", "ZqFileLf"), ALL),
    "file-name-cr": (_file("\r", "ZqFileCr"), ALL),
    "lock-entry": (_lock_entry, ALL),
}

# Format -> the options and environment that give it; "default" is no --format under Actions.
FORMATS: dict[str, tuple[list[str], dict[str, str]]] = {
    "text": (["--format", "text"], {}),
    "table": (["--format", "table"], {}),  # not a terminal: plain text
    "rich": (["--format", "table"], {"TTY_COMPATIBLE": "1"}),  # Rich tables, as on a terminal
    "markdown": (["--format", "markdown"], {}),
    "junit": (["--format", "junit"], {}),
    "github": (["--format", "github"], {}),
    "default": ([], {"GITHUB_ACTIONS": "true"}),
}
ENVIRONMENTS = {"local": {}, "actions": {"GITHUB_ACTIONS": "true"}}


def assert_no_forged_lines(text: str, annotations: bool = False) -> None:
    """No line is a workflow command (but our annotations, when allowed); nothing raw."""
    text = SGR.sub("", text)
    assert not RAW.search(text), repr(RAW.search(text))
    assert "##[" not in text
    for line in text.splitlines():
        if COMMAND.match(line):
            assert annotations and ANNOTATION.match(line), line


def assert_clean(result: Result, fmt: str) -> None:
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert_no_forged_lines(result.stdout, annotations=fmt in ("github", "default"))
    assert_no_forged_lines(result.stderr)


def escaped_forms(marker: str, brk: str, fmt: str) -> list[str]:
    """How the marker and the break after it read in each format."""
    if fmt == "rich":
        return [marker]  # table cells wrap where Rich likes; the marker itself stays whole
    if fmt in ("github", "default"):
        return [marker + {"\n": "%0A", "\r": "%0D"}[brk] + "::error::FORGED"]
    escape = {"\n": "\\n", "\r": "\\r"}[brk]
    if fmt == "markdown":
        return [marker + "\\" + escape + "::error::FORGED"]  # md escapes the backslash
    if fmt == "junit":  # what XML cannot hold at all (ESC) is U+FFFD, as before; the rest escaped
        return [marker + escape + "::error::FORGED", "\ufffd[31mRED\\u202eRTL\\u2066ISO\\u2028LS"]
    return [marker + escape + "::error::FORGED", "\\x1b[31mRED\\u202eRTL\\u2066ISO\\u2028LS"]


@pytest.mark.parametrize("env", sorted(ENVIRONMENTS))
@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_no_field_forges_a_line_in_any_format(
    field: str, fmt: str, env: str, case: CaseWriter, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    write, shown_in = FIELDS[field]
    marker = write(case)
    options, extra = FORMATS[fmt]
    args = ["check", str(case.root), *options]
    if field.startswith("provider"):
        args += ["--profile", "ref2021"]  # HLS810 quotes the provider
    result = cli(*args, env={**ENVIRONMENTS[env], **extra})
    assert result.exit_code in (0, 1), result.output
    assert_clean(result, fmt)
    if fmt == "junit":
        ET.fromstring(result.stdout.encode("utf-8"))  # still well-formed XML
    if fmt in shown_in:
        out = SGR.sub("", result.stdout)
        brk = "\r" if field == "file-name-cr" else "\n"
        for form in escaped_forms(marker, brk, fmt):
            assert form in out, (form, out)


def test_rich_wrapping_cannot_start_a_line_with_a_command(case: CaseWriter, cli: Run) -> None:
    """Rich wraps at spaces, so a long title could put '::' first on a line of its own."""
    case()
    case.edit("title: A small case study", f"title: '{'a' * 38} ::error::ZqWrapped b ::x::y'")
    result = cli("check", env={"TTY_COMPATIBLE": "1", "COLUMNS": "60"})
    assert_clean(result, "rich")
    assert "- ::error::ZqWrapped" in SGR.sub("", result.stdout)


def test_markdown_mentions_are_not_live(case: CaseWriter, cli: Run) -> None:
    _provider("name", "ZqName")(case)
    out = cli("check", "--format", "markdown", "--profile", "ref2021").stdout
    assert "@org/team" not in out
    assert markdown.NO_MENTION + "org/team" in out
    assert not re.search(r"@(?!&#8203;)", out)


@pytest.mark.parametrize("command", ["totals", "sources"])
@pytest.mark.parametrize("env", sorted(ENVIRONMENTS))
def test_totals_and_sources_show_titles_and_amounts_escaped(
    command: str, env: str, case: CaseWriter, cli: Run
) -> None:
    records = dict(MINIMAL_RECORDS)
    records["E2"] = f"id: E2\nkind: report\ntitle: {yaml_string(payload('ZqRecord'))}\n"
    case(records=records)
    case.edit("  - id: C2\n", f"  - id: C2\n    organisation: {yaml_string(payload('ZqOrg'))}\n")
    result = cli(command, "--format", "text", env=ENVIRONMENTS[env])
    assert result.exit_code == 0, result.output
    assert_clean(result, "text")
    marker = "ZqRecord" if command == "sources" else "ZqOrg"
    assert marker + "\\n::error::FORGED" in result.stdout


def test_the_json_report_keeps_the_input_exact(case: CaseWriter, cli: Run) -> None:
    """JSON is not sanitised: json.dumps escapes line breaks and C0, and the data stays exact."""
    _file("\n", "ZqFileLf")(case)
    result = cli("check", "--format", "json")
    assert not re.search("[\x00-\x1f]", result.stdout.replace("\n", ""))
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert any(payload("ZqFileLf", slash=False) in m for m in messages)


def test_a_portfolio_shows_folder_names_escaped(tmp_path: Path, cli: Run) -> None:
    hostile = tmp_path / payload("ZqFolder", slash=False)
    for folder in (tmp_path / "plain", hostile):
        folder.mkdir()
        CaseWriter(folder)(documents={"stray.pdf": b"%PDF-1.4\n"})
    for env in ENVIRONMENTS.values():
        result = cli("check", str(tmp_path), "--format", "text", env=env)
        assert result.exit_code in (0, 1), result.output
        assert_clean(result, "text")
        assert "ZqFolder\\n::error::FORGED" in result.stdout


def test_an_undecodable_file_name_is_shown_escaped(case: CaseWriter, cli: Run) -> None:
    """A byte that is not UTF-8 comes back as a lone surrogate, which could not even be printed."""
    case()
    with open(os.path.join(os.fsencode(case.root / "evidence"), b"odd\xff.pdf"), "wb") as file:
        file.write(b"%PDF-1.4\n")
    for fmt in ("text", "markdown", "junit", "github"):
        result = cli("check", "--format", fmt)
        assert result.exit_code in (0, 1), result.output
        assert_clean(result, fmt)
        assert not re.search("[\ud800-\udfff]", result.stdout)
        assert re.search(r"odd\\+udcff\.pdf", result.stdout), result.stdout


# --- Input errors on stderr ----------------------------------------------------------------------


def _stderr_of(case: CaseWriter, cli: Run, claims: str, env: dict[str, str]) -> str:
    case(claims=claims)
    result = cli("check", "--format", "text", env=env)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert_clean(result, "text")
    return result.stderr


@pytest.mark.parametrize("env", sorted(ENVIRONMENTS))
def test_an_unknown_key_is_shown_escaped_in_message_and_yaml_path(
    env: str, case: CaseWriter, cli: Run
) -> None:
    claims = MINIMAL_CLAIMS.replace("headlines:", f"{yaml_string(payload('ZqKey'))}: 1\nheadlines:")
    err = _stderr_of(case, cli, claims, ENVIRONMENTS[env])
    assert "unknown key 'ZqKey\\n::error::FORGED" in err
    assert "(at ZqKey\\n::error::FORGED" in err


@pytest.mark.parametrize("env", sorted(ENVIRONMENTS))
def test_an_invalid_id_is_quoted_escaped(env: str, case: CaseWriter, cli: Run) -> None:
    claims = MINIMAL_CLAIMS.replace("  - id: C4", f"  - id: {yaml_string(payload('ZqId'))}")
    err = _stderr_of(case, cli, claims, ENVIRONMENTS[env])
    assert "'ZqId\\n::error::FORGED" in err and "is not a valid identifier" in err


def test_a_wrong_version_is_quoted_escaped(case: CaseWriter, cli: Run) -> None:
    claims = MINIMAL_CLAIMS.replace("version: 1", f"version: {yaml_string(payload('ZqVersion'))}")
    err = _stderr_of(case, cli, claims, {})
    assert "not 'ZqVersion\\n::error::FORGED" in err


def test_a_four_megabyte_id_is_not_echoed_whole(case: CaseWriter, cli: Run) -> None:
    huge = "C\n" + "x" * 4_000_000
    claims = MINIMAL_CLAIMS.replace("  - id: C4", f"  - id: {yaml_string(huge)}")
    err = _stderr_of(case, cli, claims, {})
    assert len(err) < 2_000
    assert "'C\\nxxxx" in err and ELLIPSIS in err


def test_a_path_that_looks_like_a_command_is_not_one(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # so that the path prints as given, starting with '::'
    folder = tmp_path / "::error::ZqDir"
    folder.mkdir()
    CaseWriter(folder)(claims=MINIMAL_CLAIMS.replace("version: 1", "version: 2"))
    result = cli("check", "::error::ZqDir", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 2
    assert_clean(result, "github")
    assert "- ::error::ZqDir" in result.stderr


def test_input_error_render_escapes_and_cuts_every_part() -> None:
    error = InputError(
        "bad \x1b[2J" + "m" * 1000,
        path="::error::p\nq",
        line=3,
        column=4,
        hint="h\u202e" + "h" * 1000,
        yaml_path="a.\nb" + "y" * 1000,
    )
    head, hint = error.render().split("\n")
    assert head.startswith("- ::error::p\\nq:3:4: error HLS001: bad \\x1b[2J")
    assert "(at a.\\nb" in head and hint.startswith("  hint: h\\u202e")
    assert len(head) < MAX_VALUE * 2 + MAX_MESSAGE + 50 and hint.endswith(ELLIPSIS)
    assert not RAW.search(error.render())


# --- The sanitiser -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\n", "\\n"),
        ("\r", "\\r"),
        ("\t", "\\t"),
        ("\x00", "\\x00"),
        ("\x0b", "\\x0b"),
        ("\x0c", "\\x0c"),
        ("\x1b", "\\x1b"),
        ("\x1f", "\\x1f"),
        ("\x7f", "\\x7f"),
        ("\x85", "\\x85"),
        ("\x9b", "\\x9b"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
        ("\u200e", "\\u200e"),
        ("\u200f", "\\u200f"),
        ("\u061c", "\\u061c"),
        *((chr(c), f"\\u{c:04x}") for c in range(0x202A, 0x202F)),
        *((chr(c), f"\\u{c:04x}") for c in range(0x2066, 0x206A)),
        ("\udcff", "\\udcff"),
        ("##[error]", "#\\x23[error]"),
        ("###[x", "##\\x23[x"),
    ],
)
def test_one_line_escapes(raw: str, shown: str) -> None:
    assert one_line(f"a{raw}b") == f"a{shown}b"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A small case study",
        "£7m – £8m (~€9m)",
        "C:\\evidence\\E1.pdf",
        "日本語 ✅",
        "a\\nb",
        "#[x",
    ],
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert one_line(text) == text
    assert plain_line(text) == text


def test_one_line_cuts_at_the_limit_on_a_whole_escape() -> None:
    assert one_line("abcdef", 6) == "abcdef"
    assert one_line("abcdefg", 6) == "abcde" + ELLIPSIS
    assert one_line("ab\ncd", 5) == "ab\\n" + ELLIPSIS  # 'ab\\ncd' is 6 long
    assert one_line("abc\x1bdef", 6) == "abc" + ELLIPSIS  # never half of '\\x1b'
    assert one_line("#" * 10 + "[", 5) == "####" + ELLIPSIS
    assert len(one_line("x" * 4_000_000, MAX_VALUE)) == MAX_VALUE


def test_keep_breaks_leaves_cr_and_lf_to_the_caller() -> None:
    assert one_line("a\r\nb\x1b\tc", keep_breaks=True) == "a\r\nb\\x1b\\tc"


@pytest.mark.parametrize("line", ["::error::x", "  ::error::x", "\u00a0::x", "\u3000::x", "::"])
def test_plain_line_never_starts_a_command(line: str) -> None:
    safe = plain_line(line)
    assert safe == "- " + line and not safe.lstrip().startswith("::")


@pytest.mark.parametrize(("line", "shown"), [("\t::x", "\\t::x"), ("\n::x", "\\n::x")])
def test_an_escaped_break_is_no_command_either(line: str, shown: str) -> None:
    assert plain_line(line) == shown


def test_plain_text_keeps_our_breaks_and_guards_each_line() -> None:
    assert plain_text("a\n  ::error::b\nc\r::d") == "a\n-   ::error::b\nc\\r::d"


def test_the_github_renderer_shares_the_one_plain_line() -> None:
    assert github.plain_line is plain_line


def test_a_table_view_keeps_only_its_own_line_break() -> None:
    view = TableView("T\nitle", ["a", "b"])
    view.add(["x\ny", ("message\r", "hint: h\n")])
    view.note("n\x1b")
    assert view.title == "T\\nitle"
    assert view.rows == [["x\\ny", "message\\r\nhint: h\\n"]]
    assert view.notes == ["n\\x1b"]


def test_markdown_cells_escape_controls_and_mentions() -> None:
    assert markdown.md("a\x1b\u202e|@org/team") == "a\\\\x1b\\\\u202e\\|@&#8203;org/team"


UNSAFE_CHARS = st.sampled_from(
    ["\n", "\r", "\t", "\x1b", "\x85", "\u2028", "\u202e", "\u2066", ":", " ", "#", "[", "\\"]
)


@given(st.lists(st.one_of(UNSAFE_CHARS, st.characters()), max_size=40).map("".join))
def test_one_line_is_safe_and_idempotent(text: str) -> None:
    safe = one_line(text)
    assert not RAW.search(safe) and "\n" not in safe and "##[" not in safe
    assert not re.search("[\ud800-\udfff]", safe)
    assert one_line(safe) == safe
    assert not plain_line(text).lstrip().startswith("::")
    cut = one_line(text, 12)
    assert len(cut) <= 12 and not RAW.search(cut) and "##[" not in cut
