"""Bad input is never audited: exit 2, a located message with a hint, and nothing else.

Every case breaks the minimal case study in one small way and runs `hls-audit check` on it. The
contract of an input error, asserted for each case by `assert_refused`:

- exit code 2;
- on stderr, `file:line:col: error HLS0NN: <message>` (with the input error's code) at the exact
  place, then `  hint: <fix>`, then
  `hls-audit: N input error(s); nothing was audited.`;
- nothing on stdout (default format), and no Python traceback anywhere;
- the input files are byte for byte what they were (the `check` fixture compares them).

Positions are worked out from the text each test wrote (`at`, `line_col`), not copied from the
tool's output. Problems with a path rather than a text (no such file, a folder, over the size
limit, unreadable) have no line: their `where` is the file alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pytest
import typer.main
import typer.testing

from hls_audit.cli import app
from hls_audit.io.yaml_source import MAX_BYTES, MAX_DEPTH
from tests.conftest import MINIMAL_CLAIMS, MINIMAL_RECORDS, REPO, CaseWriter, Result

Check = Callable[..., Result]
ERROR = re.compile(r": error HLS0\d\d: ")


# --- helpers -------------------------------------------------------------------------------------


def edited(old: str, new: str, text: str = MINIMAL_CLAIMS) -> str:
    """The text with the first `old` replaced by `new` (which must be there)."""
    assert old in text, f"{old!r} not in the text"
    return text.replace(old, new, 1)


def line_col(text: str, needle: str, token: str | None = None) -> tuple[int, int]:
    """1-based line of the first line holding `needle`, and column of `token` (default: needle)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle if token is None else token) + 1
    raise AssertionError(f"{needle!r} not in the text")


def at(text: str, needle: str, token: str | None = None, file: str = "claims.yaml") -> str:
    """`file:line:col` of `token` on the first line of `text` that holds `needle`."""
    line, column = line_col(text, needle, token)
    return f"{file}:{line}:{column}"


def assert_refused(
    result: Result, where: str, message: str = "", hint: str = "", errors: int = 1
) -> list[str]:
    """The whole contract of an input error; returns every `... error: ...` line.

    `where` is the first error's `file:line:col` (or just `file` for a file that cannot be read);
    `message` and `hint` are fragments of its message and of the hint line under it.
    """
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    noun = "error" if errors == 1 else "errors"
    assert lines[-1] == f"hls-audit: {errors} input {noun}; nothing was audited."
    heads = [i for i, line in enumerate(lines) if ERROR.search(line) and line[0] != " "]
    assert len(heads) == errors, result.stderr
    for i in heads:
        assert lines[i + 1].startswith("  hint: ") and lines[i + 1].strip() != "hint:", lines
    first = lines[heads[0]]
    assert re.match(rf"{re.escape(where)}: error HLS0\d\d: ", first), f"expected {where}: {first}"
    assert message in first, first
    assert hint in lines[heads[0] + 1], lines[heads[0] + 1]
    return [lines[i] for i in heads]


def _snapshot(root: Path) -> dict[str, object]:
    """Every file, folder and link under root, with its bytes (or its mode when unreadable)."""
    seen: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                seen[key] = ("link", os.readlink(path))
            elif path.is_dir():
                seen[key] = "folder"
            else:
                try:
                    with path.open("rb") as handle:
                        seen[key] = handle.read()
                except PermissionError:
                    stat = path.stat()
                    seen[key] = ("unreadable", stat.st_mode, stat.st_size, stat.st_mtime_ns)
    return seen


@pytest.fixture(autouse=True, scope="module")
def _build_the_command_once() -> Iterator[None]:
    """CliRunner rebuilds the Typer command on every run (about 15 ms, most of a case's time).

    The command is the same every time, so this module builds it once; `cli` is otherwise as is.
    """
    command = typer.main.get_command(app)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", lambda _app: command)
        yield


@pytest.fixture
def check(case: CaseWriter, cli: Check) -> Check:
    """Run `hls-audit check ARGS` in the case folder, asserting it changed no file there."""

    def run(*args: str) -> Result:
        before = _snapshot(case.root)
        result = cli("check", *args)
        assert _snapshot(case.root) == before, "hls-audit check changed its input files"
        return result

    return run


def write_claims_bytes(case: CaseWriter, data: bytes) -> None:
    case()
    (case.root / "claims.yaml").write_bytes(data)


# --- YAML syntax ---------------------------------------------------------------------------------

UNCLOSED_LIST = edited("evidence: [R1, G1]", "evidence: [R1, G1")
INDENTED_ONE_TOO_FAR = edited("  institution: Example", "   institution: Example")
ITEM_KEY_TOO_DEEP = edited("    funder: A Foundation", "      funder: A Foundation")
TAB_INDENT = edited("  institution: Example", "\tinstitution: Example")
COLON_IN_VALUE = edited("The research developed", "The research: developed")
SINGLE_QUOTE_NEVER_CLOSED = edited("title: A small case study", "title: 'A small case study")
DOUBLE_QUOTE_NEVER_CLOSED = MINIMAL_CLAIMS + '    organisation: "A Council\n'
SECOND_DOCUMENT = MINIMAL_CLAIMS + "---\nversion: 1\n"
ALIAS_WITHOUT_ANCHOR = edited("evidence: [E2]", "evidence: *E2")

SYNTAX_ERRORS = [
    pytest.param(
        UNCLOSED_LIST,
        at(UNCLOSED_LIST, "  - id: C2", ": C2"),
        "did not find expected ',' or ']'",
        "close the [...] list with ']'",
        id="unclosed-flow-list",
    ),
    pytest.param(
        INDENTED_ONE_TOO_FAR,
        at(INDENTED_ONE_TOO_FAR, "institution", ": Example"),
        "mapping values are not allowed",
        "fix the YAML syntax at this place",
        id="key-indented-one-space-too-far",
    ),
    pytest.param(
        ITEM_KEY_TOO_DEEP,
        at(ITEM_KEY_TOO_DEEP, "funder", ": A Foundation"),
        "mapping values are not allowed",
        "fix the YAML syntax at this place",
        id="list-item-key-indented-too-deep",
    ),
    pytest.param(
        TAB_INDENT,
        at(TAB_INDENT, "\tinstitution", "\t"),
        "tab character",
        "indent with spaces, not tabs",
        id="tab-used-for-indentation",
    ),
    pytest.param(
        COLON_IN_VALUE,
        at(COLON_IN_VALUE, "The research: developed", ": developed"),
        "mapping values are not allowed",
        "quote values that contain ': '",
        id="unquoted-colon-in-a-value",
    ),
    pytest.param(
        SINGLE_QUOTE_NEVER_CLOSED,
        at(SINGLE_QUOTE_NEVER_CLOSED, "title:", "'"),
        "this quoted value is never closed",
        "add the closing quote",
        id="unterminated-single-quote-points-at-the-opening-quote",
    ),
    pytest.param(
        DOUBLE_QUOTE_NEVER_CLOSED,
        at(DOUBLE_QUOTE_NEVER_CLOSED, "organisation:", '"'),
        "this quoted value is never closed",
        "add the closing quote",
        id="unterminated-double-quote-points-at-the-opening-quote",
    ),
    pytest.param(
        SECOND_DOCUMENT,
        at(SECOND_DOCUMENT, "---"),
        "more than one YAML document",
        "remove the '---' line",
        id="second-yaml-document",
    ),
    pytest.param(
        ALIAS_WITHOUT_ANCHOR,
        at(ALIAS_WITHOUT_ANCHOR, "*E2"),
        "alias (*name) with no anchor",
        "write the value out in full",
        id="alias-without-anchor",
    ),
]


@pytest.mark.parametrize(("claims", "where", "message", "hint"), SYNTAX_ERRORS)
def test_yaml_syntax_error_is_located_with_a_hint(case, check, claims, where, message, hint):
    case(claims)
    assert_refused(check(), where, message, hint)


def test_unclosed_flow_list_also_names_where_the_list_opened(case, check):
    case(UNCLOSED_LIST)
    line, column = line_col(UNCLOSED_LIST, "evidence: [R1, G1", "[")
    assert_refused(
        check(),
        at(UNCLOSED_LIST, "  - id: C2", ": C2"),
        f"(in the [...] list that starts at line {line}, column {column})",
    )


# --- duplicate keys ------------------------------------------------------------------------------

DUPLICATE_KEYS = [
    pytest.param(MINIMAL_CLAIMS + "version: 2\n", "version", "version: 2", "version: 1", id="top"),
    pytest.param(
        edited("  institution: Example University\n", "  institution: X\n  title: Again\n"),
        "title",
        "title: Again",
        "title: A small case study",
        id="inside-case_study",
    ),
    pytest.param(
        edited("    evidence: [R1, G1]\n", "    evidence: [R1, G1]\n    statement: Twice.\n"),
        "statement",
        "statement: Twice.",
        "statement: The research developed",
        id="inside-a-claim",
    ),
    pytest.param(
        edited("value: 7000000,", "value: 7000000, value: 7000001,"),
        "value",
        "value: 7000001",
        "value: 7000000",
        id="inside-an-amount-on-one-line",
    ),
]


@pytest.mark.parametrize(("claims", "key", "second", "first"), DUPLICATE_KEYS)
def test_duplicate_key_names_both_places(case, check, claims, key, second, first):
    case(claims)
    line, column = line_col(claims, first)
    assert_refused(
        check(),
        at(claims, second),
        f"found duplicate key {key!r} (first defined at line {line}, column {column})",
        "remove one of the two keys",
    )


def test_duplicate_key_inside_an_evidence_record_names_both_lines(case, check):
    record = MINIMAL_RECORDS["E2"] + "title: The same report again\n"
    case(records={**MINIMAL_RECORDS, "E2": record})
    assert_refused(
        check(),
        at(record, "title: The same", "title", file="evidence/E2.yaml"),
        "duplicate key 'title' (first defined at line 3, column 1)",
        "remove one of the two keys",
    )


# --- anchors, aliases and tags -------------------------------------------------------------------


def test_alias_is_refused_at_the_alias_and_names_its_anchor(case, check):
    claims = edited("evidence: [R1, G1]", "evidence: &cited [R1, G1]")
    claims = edited("evidence: [E2]", "evidence: *cited", claims)
    case(claims)
    anchor_line, _ = line_col(claims, "&cited")
    assert_refused(
        check(),
        at(claims, "*cited"),
        f"anchors and aliases (&name / *name) are not supported: *cited repeats a value "
        f"(anchored as &cited on line {anchor_line})",
        "write the value out in full",
    )


def test_alias_of_a_key_is_refused_too(case, check):
    claims = edited("  title: A small", "  &word title: A small")
    claims = edited("institution: Example University", "institution: *word", claims)
    case(claims)
    assert_refused(check(), at(claims, "*word"), "*word repeats a value", "write the value out")


def test_billion_laughs_alias_bomb_is_refused_before_it_expands(case, check, monkeypatch):
    # Nine levels of nine aliases: 9**9 (387 million) strings if it were ever expanded. The
    # refusal comes from the node tree, before any value is constructed or validated.
    names = "abcdefghi"
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for previous, name in pairwise(names):
        bomb += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    case(bomb)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the bomb reached validation")

    monkeypatch.setattr("hls_audit.core.model.ClaimsFile.model_validate", never)
    result = check()
    assert_refused(result, at(bomb, "b: &b", "*a"), "*a repeats a value (anchored as &a on line 1)")


@pytest.mark.parametrize(
    "tag",
    [
        pytest.param('!!python/object/apply:os.system ["touch {marker}"]', id="os.system"),
        pytest.param('!!python/object/apply:builtins.open ["{marker}", "w"]', id="builtins.open"),
        pytest.param('!!python/object/new:subprocess.Popen [["touch", "{marker}"]]', id="Popen"),
        pytest.param("!!python/name:os.system", id="python-name"),
    ],
)
def test_python_tag_is_refused_and_never_executed(case, check, tmp_path, tag):
    marker = tmp_path.parent / f"{tmp_path.name}-pwned"
    claims = edited("title: A small case study", "title: " + tag.format(marker=marker))
    case(claims)
    assert_refused(
        check(),
        at(claims, "title: !!python", "!!python"),
        "the tag !!python/",
        "remove the tag and write a plain value",
    )
    assert not marker.exists()


def test_unknown_local_tag_is_refused(case, check):
    claims = edited("title: A small case study", "title: !include other.yaml")
    case(claims)
    assert_refused(
        check(), at(claims, "!include"), "the tag !include is not allowed", "write a plain value"
    )


@pytest.mark.parametrize("tag", ["!!binary aGVsbG8=", "!!set {a, b}", "!!omap [{a: 1}]"])
def test_binary_set_and_omap_tags_are_refused(case, check, tag):
    claims = edited("title: A small case study", f"title: {tag}")
    case(claims)
    assert_refused(check(), at(claims, tag.split()[0]), "is not allowed", "write a plain value")


def test_merge_key_is_refused(case, check):
    claims = edited("  - id: C3\n", "  - <<: {id: C3}\n")
    case(claims)
    assert_refused(check(), at(claims, "<<"), "merge keys (<<) are not supported")


# --- what the file holds at the top --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "got"),
    [
        pytest.param("", "got an empty file", id="empty-file"),
        pytest.param("# only\n# comments\n", "got an empty file", id="only-comments"),
        pytest.param("- version: 1\n- claims: []\n", "got a list", id="list-at-the-top"),
        pytest.param("just some words\n", "got the single value 'just some words'", id="scalar"),
    ],
)
def test_file_without_a_mapping_at_the_top_is_refused_at_1_1(case, check, text, got):
    case(text)
    assert_refused(
        check(),
        "claims.yaml:1:1",
        f"expected a mapping with case_study and claims at the top level, {got}",
        "see the README for the format",
    )


# --- encodings and line endings ------------------------------------------------------------------


def test_non_utf8_byte_is_located(case, check):
    text = edited("Example University", "Example Universit\xff")
    data = MINIMAL_CLAIMS.encode().replace(b"University", b"Universit\xff", 1)
    offset = data.index(b"\xff")
    write_claims_bytes(case, data)
    assert_refused(
        check(),
        at(text, "\xff"),
        f"the file is not valid UTF-8 (byte 0xff at offset {offset})",
        "save the file as UTF-8",
    )


def test_nul_byte_is_located(case, check):
    text = edited("Example University", "Example\x00University")
    write_claims_bytes(case, text.encode())
    assert_refused(check(), at(text, "\x00"), "character 0x00 is not allowed", "remove control")


def test_utf8_bom_loads(case, check):
    write_claims_bytes(case, b"\xef\xbb\xbf" + MINIMAL_CLAIMS.encode())
    result = check()
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_utf8_bom_does_not_shift_columns_on_line_1(case, check):
    text = edited("version: 1", "version: 2")
    write_claims_bytes(case, b"\xef\xbb\xbf" + text.encode())
    assert_refused(check(), at(text, "version: 2", "2"), "Input should be 1", "version 1, not 2")


def test_crlf_line_endings_load(case, check):
    write_claims_bytes(case, MINIMAL_CLAIMS.replace("\n", "\r\n").encode())
    result = check()
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_error_in_a_crlf_file_has_the_right_line_and_column(case, check):
    text = edited("number: 17", "number: seventeen")
    write_claims_bytes(case, text.replace("\n", "\r\n").encode())
    assert_refused(check(), at(text, "seventeen"), "valid integer", "write numbers")


def test_duplicate_key_in_a_crlf_file_has_the_right_lines(case, check):
    text = MINIMAL_CLAIMS + "version: 2\n"
    write_claims_bytes(case, text.replace("\n", "\r\n").encode())
    assert_refused(check(), at(text, "version: 2"), "(first defined at line 1, column 1)")


# --- the format: types, keys, values -------------------------------------------------------------


def _value_error(
    old: str, new: str, place: tuple[str, str], message: str, hint: str, id: str
) -> object:
    """A case: `old` edited to `new` in the claims; the error is at `place` (line, token)."""
    claims = edited(old, new)
    return pytest.param(claims, at(claims, *place), message, hint, id=id)


FORMAT_ERRORS = [
    _value_error(
        "statement: The research developed the approach.",
        "statement: [The research, developed it]",
        ("[The research", "["),
        "Input should be a valid string, got a list (at claims[0].statement)",
        "quote text values",
        id="statement-as-a-list",
    ),
    _value_error(
        "number: 17",
        "number: seventeen",
        ("seventeen", "seventeen"),
        "valid integer, unable to parse string as an integer, got 'seventeen' "
        "(at case_study.unit.number)",
        "write numbers and dates plainly",
        id="unit-number-as-text",
    ),
    _value_error(
        'section: "2"',
        "section: {number: 2}",
        ("section: {", "{"),
        "Input should be a valid string, got a mapping (at claims[0].section)",
        "quote text values",
        id="section-as-a-mapping",
    ),
    _value_error(
        "evidence: [E2]",
        "evidence: E2",
        ("evidence: E2", "E2"),
        "expected a list, got 'E2' (at claims[2].evidence)",
        "each starting with '- '",
        id="evidence-as-a-single-id",
    ),
    _value_error(
        'amount: {role: counted, value: 4000000, stated: "£4m"}',
        "amount: 4000000",
        ("amount: 4000000", "4000000"),
        "expected a mapping of keys, got 4000000 (at claims[2].amount)",
        "write `key: value` pairs",
        id="amount-as-a-bare-number",
    ),
    _value_error(
        "role: counted, value: 4000000",
        "role: countd, value: 4000000",
        ("countd", "countd"),
        "Input should be 'counted', 'part',",
        "use one of the values listed",
        id="amount-role-misspelt",
    ),
    _value_error(
        "    evidence: [R1, G1]",
        "    evidnce: [R1, G1]",
        ("evidnce", "evidnce"),
        "unknown key 'evidnce' (at claims[0].evidnce)",
        "did you mean 'evidence'?",
        id="misspelt-key-evidnce",
    ),
    _value_error(
        "{source: E1, pages: p2}",
        "{source: E1, page: p2}",
        ("page: p2", "page"),
        "unknown key 'page' (at claims[1].evidence[0].page)",
        "did you mean 'pages'?",
        id="misspelt-key-in-a-citation",
    ),
    _value_error(
        "version: 1",
        "version: 1\nnotes: none",
        ("notes: none", "notes"),
        "unknown key 'notes' (at notes)",
        "the keys allowed here are version, profile, narrative, case_study, headlines, grants, "
        "claims",
        id="unknown-top-level-key-lists-the-keys",
    ),
    _value_error(
        "part_of: C2}",
        "part-of: C2}",
        ("part-of", "part-of"),
        "unknown key 'part-of' (at claims[3].amount.part-of)",
        "did you mean 'part_of'?",
        id="hyphenated-key",
    ),
    _value_error(
        "version: 1",
        "version: 2",
        ("version: 2", "2"),
        "Input should be 1 (at version)",
        "reads claims files of version 1, not 2",
        id="version-2",
    ),
    _value_error(
        "evidence: [E2]",
        "evidence: [\u04152]",
        ("\u04152", "\u04152"),
        "'\u04152' is not a valid identifier; it contains '\u0415' "
        "(U+0415 CYRILLIC CAPITAL LETTER IE), which only looks like ASCII",
        "ids use ASCII letters",
        id="cyrillic-look-alike-in-a-cited-id",
    ),
    _value_error(
        "  - id: C3",
        "  - id: \u04153",
        ("\u04153", "\u04153"),
        "U+0415 CYRILLIC CAPITAL LETTER IE",
        "ids use ASCII letters",
        id="cyrillic-look-alike-in-a-claim-id",
    ),
    _value_error(
        "research_period: {start: 2018,",
        "research_period: {start: 2019-02-30,",
        ("2019-02-30", "2019-02-30"),
        "'2019-02-30' is not a real date (at case_study.research_period.start)",
        "fix the value",
        id="impossible-date",
    ),
    _value_error(
        "research_period: {start: 2018, end: 2020}",
        "research_period: {start: 2021, end: 2020}",
        ("research_period", "{"),
        "the period ends (2020) before it starts (2021)",
        "fix the value",
        id="period-ends-before-it-starts",
    ),
    _value_error(
        "    evidence: [R1, G1]",
        "    true: yes",
        ("true: yes", "true"),
        "the key 'true' is read as true or false, not as text",
        "quote it if it must be 'true'",
        id="key-read-as-a-boolean",
    ),
    _value_error(
        "version: 1",
        "version: 1\n1: one",
        ("1: one", "1"),
        "the key '1' is read as a number, not as text",
        "keys are words",
        id="key-read-as-a-number",
    ),
    _value_error(
        "version: 1",
        "version: 1\n? [a, b]\n: x",
        ("? [a, b]", "[a, b]"),
        "a list or mapping cannot be used as a key",
        "keys are words",
        id="list-as-a-key",
    ),
]


@pytest.mark.parametrize(("claims", "where", "message", "hint"), FORMAT_ERRORS)
def test_format_error_is_located_with_a_hint(case, check, claims, where, message, hint):
    case(claims)
    assert_refused(check(), where, message, hint)


def test_missing_required_key_in_a_claim_points_at_the_claim(case, check):
    claims = edited("    statement: The research developed the approach.\n", "")
    case(claims)
    assert_refused(
        check(),
        at(claims, "  - id: C1", "id"),
        "missing required key 'statement' (at claims[0].statement)",
        "add `statement:` here",
    )


def test_missing_required_key_in_case_study_points_at_case_study(case, check):
    claims = edited("  title: A small case study\n", "")
    case(claims)
    assert_refused(
        check(),
        at(claims, "  institution:", "institution"),
        "missing required key 'title' (at case_study.title)",
        "add `title:` here",
    )


def test_missing_claims_list_is_reported(case, check):
    claims = MINIMAL_CLAIMS[: MINIMAL_CLAIMS.index("claims:")]
    case(claims)
    assert_refused(check(), "claims.yaml:1:1", "missing required key 'claims'", "add `claims:`")


# --- amounts -------------------------------------------------------------------------------------

C2_VALUE = 'value: 7000000, stated: "£7m"'


@pytest.mark.parametrize(
    "value",
    ['"£77m"', '"GBP 7.7 million"', '"77,000,000"', "77_000_000", "88194.45"],
)
def test_written_amount_is_accepted(case, check, value):
    case(edited(C2_VALUE, f"value: {value}"))
    result = check()
    assert result.exit_code in (0, 1), result.output
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("7.7e7", "exponent notation ('7.7e7')", id="exponent"),
        pytest.param("7.7e+7", "exponent notation", id="signed-exponent"),
        pytest.param("-5", "an amount cannot be negative", id="negative"),
        pytest.param('"-5"', "an amount cannot be negative", id="negative-in-quotes"),
        pytest.param(".nan", "must be a finite number (not NaN or infinity)", id="nan"),
        pytest.param(".inf", "must be a finite number (not NaN or infinity)", id="infinity"),
        pytest.param("1e400", "exponent notation ('1e400')", id="exponent-overflow"),
        pytest.param("true", "expected an amount, got true", id="boolean"),
        pytest.param(
            '"£5 USD"', "'£5 USD' names two currencies (GBP and USD)", id="two-currencies"
        ),
        pytest.param('"1.005"', "1.005 has more than two decimal places", id="three-decimals"),
        pytest.param("1.005", "1.005 has more than two decimal places", id="three-decimals-bare"),
        pytest.param("0x17", "'0x17' is not an amount", id="hexadecimal"),
        pytest.param("190:20:30", "'190:20:30' is not an amount", id="base-60"),
        pytest.param("2019-01-01", "expected an amount, got a date", id="date"),
        pytest.param(
            "1234567890123456789012345678901",
            "is too large for an amount; the limit is 1,000,000,000,000,000",
            id="beyond-decimal-precision",
        ),
        pytest.param("9" * 5000, "a number with 5,000 digits is too long", id="5000-digits"),
        pytest.param('"$7m"', "written in USD but the amount's currency is GBP", id="other-sign"),
    ],
)
def test_refused_amount_is_located_at_its_value(case, check, value, message):
    claims = edited(C2_VALUE, f"value: {value}")
    case(claims)
    lines = assert_refused(check(), at(claims, f"value: {value}", value), message)
    if "digits is too long" not in message:
        assert lines[0].endswith("(at claims[1].amount.value)")


def test_amount_written_in_a_currency_other_than_its_currency_key(case, check):
    claims = edited(
        "{role: counted, value: 7000000,", '{role: counted, currency: EUR, value: "£7m",'
    )
    case(claims)
    assert_refused(
        check(),
        at(claims, "currency: EUR", '"£7m"'),
        "the value is written in GBP but the amount's currency is EUR; set currency: GBP",
    )


# --- evidence records ----------------------------------------------------------------------------

E2 = "evidence/E2.yaml"
RECORD_ERRORS = [
    pytest.param(
        "- id: E2\n- kind: report\n",
        ("- id", "-"),
        "expected one evidence record (a mapping with id, kind and title), got a list",
        "each file in evidence/ holds one record",
        id="record-file-is-a-list",
    ),
    pytest.param(
        "id: E2\nkind: podcast\ntitle: A podcast\n",
        ("kind", "podcast"),
        "Input should be 'testimonial', 'transcript',",
        "use one of the values listed",
        id="unknown-kind",
    ),
    pytest.param(
        "id: E2\nkind: report\ntitle: A report\ndocument: ../outside.pdf\n",
        ("document", "../outside.pdf"),
        "document '../outside.pdf' climbs out of the evidence folder with '..' (at document)",
        "documents must live inside evidence/",
        id="document-climbs-out-with-dot-dot",
    ),
    pytest.param(
        "id: E2\nkind: report\ntitle: A report\ndocument: /etc/hosts\n",
        ("document", "/etc/hosts"),
        "document '/etc/hosts' is an absolute path",
        "documents must live inside evidence/",
        id="document-is-an-absolute-path",
    ),
    pytest.param(
        "id: E2\nkind: report\n",
        ("id", "id"),
        "missing required key 'title'",
        "add `title:` here",
        id="record-without-a-title",
    ),
    pytest.param(
        "id: E2\nkind: report\ntitle: A report\nheld-by: the team\n",
        ("held-by", "held-by"),
        "unknown key 'held-by'",
        "did you mean 'held_by'?",
        id="hyphenated-key-in-a-record",
    ),
]


@pytest.mark.parametrize(("record", "place", "message", "hint"), RECORD_ERRORS)
def test_bad_evidence_record_is_located(case, check, record, place, message, hint):
    case(records={**MINIMAL_RECORDS, "E2": record})
    assert_refused(check(), at(record, *place, file=E2), message, hint)


def test_document_that_is_a_symlink_out_of_evidence_is_refused(case, check):
    record = "id: E2\nkind: report\ntitle: A report\ndocument: report.pdf\n"
    case(records={**MINIMAL_RECORDS, "E2": record})
    (case.root / "outside.pdf").write_bytes(b"%PDF-1.4\n")
    os.symlink(case.root / "outside.pdf", case.root / "evidence" / "report.pdf")
    assert_refused(
        check(),
        at(record, "document", "report.pdf", file=E2),
        "E2's document 'report.pdf' is a link to a file outside the evidence folder",
        "copy the file in instead of linking to it",
    )


# --- the path given, and the files' sizes and shapes ---------------------------------------------


def test_evidence_that_is_a_file_is_refused(case, check):
    case(records={})
    (case.root / "evidence").rmdir()
    (case.root / "evidence").write_text("E1, E2, R1\n", encoding="utf-8")
    assert_refused(check(), "evidence", "the evidence folder is a regular file, not a folder")


def test_claims_yaml_that_is_a_folder_is_refused(case, check):
    (case.root / "claims.yaml").mkdir()
    assert_refused(
        check(str(case.root)), "claims.yaml", "the claims file is a folder, not a regular"
    )


def test_path_that_does_not_exist_is_refused(case, check):
    assert_refused(check("no/such/place"), "no/such/place", "no such file or folder", "check")


def test_folder_without_claims_yaml_is_refused(case, check):
    (case.root / "empty").mkdir()
    assert_refused(check("empty"), "empty", "no claims.yaml in or below this folder", "case study")


def test_unreadable_claims_file_is_refused(case, check):
    case()
    path = case.root / "claims.yaml"
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: a mode-000 file is still readable")
        assert_refused(check(), "claims.yaml", "cannot be read (permission denied)", "readable")
    finally:
        path.chmod(0o644)


def test_permission_denied_is_refused_even_when_running_as_root(case, check, monkeypatch):
    case()
    import hls_audit.io.files

    real = os.open

    def denied(path: str, *args: int, **kwargs: int) -> int:
        if str(path).endswith("claims.yaml"):
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(hls_audit.io.files.os, "open", denied)
    assert_refused(check(), "claims.yaml", "cannot be read (permission denied)", "readable")


def test_file_over_the_size_limit_is_refused_before_it_is_read(case, check):
    write_claims_bytes(case, MINIMAL_CLAIMS.encode() + b"#" * MAX_BYTES + b"\n")
    assert_refused(check(), "claims.yaml", f"the limit is {MAX_BYTES:,}", "split the case study")


def test_200_nested_lists_are_refused_at_the_level_past_the_limit(case, check):
    claims = MINIMAL_CLAIMS + "extra: " + "[" * 200 + "]" * 200 + "\n"
    case(claims)
    line, first_bracket = line_col(claims, "extra: [", "[")
    where = f"claims.yaml:{line}:{first_bracket + MAX_DEPTH}"
    assert_refused(check(), where, f"nests deeper than {MAX_DEPTH} levels", "levels of nesting")


def test_200_nested_block_lists_are_refused(case, check):
    claims = MINIMAL_CLAIMS + "extra:\n" + "".join("  " * i + "-\n" for i in range(200))
    case(claims)
    where = at(claims, "  " * MAX_DEPTH + "-", "-")
    assert_refused(check(), where, f"nests deeper than {MAX_DEPTH} levels", "levels of nesting")


def test_nesting_past_the_parsers_own_limit_is_refused_on_its_line(case, check):
    claims = MINIMAL_CLAIMS + "extra: " + "[" * 50_000 + "]" * 50_000 + "\n"
    case(claims)
    result = check()
    line, _ = line_col(claims, "extra: [")
    # libyaml gives up at its own depth limit, before ours is reached: the column is its choice.
    where = ERROR.split(result.stderr)[0]
    assert where.startswith(f"claims.yaml:{line}:")
    assert_refused(result, where, f"the file nests deeper than {MAX_DEPTH} levels", "nesting")


# --- several errors at once, and JSON ------------------------------------------------------------

MANY_ERRORS = (
    MINIMAL_CLAIMS.replace("  title: A small case study\n", "")
    .replace("number: 17", "number: x")
    .replace("evidence: [R1, G1]", "evidnce: [R1, G1]")
    .replace("value: 4000000", "value: -4")
)
BAD_KIND = "id: E2\nkind: podcast\ntitle: A podcast\n"


def test_every_error_in_one_run_is_reported(case, check):
    case(MANY_ERRORS, records={**MINIMAL_RECORDS, "E2": BAD_KIND})
    lines = assert_refused(
        check(),
        at(MANY_ERRORS, "  institution", "institution"),
        "missing required key 'title'",
        errors=5,
    )
    assert [ERROR.split(line)[0] for line in lines] == [
        at(MANY_ERRORS, "  institution", "institution"),
        at(MANY_ERRORS, "number: x", "x"),
        at(MANY_ERRORS, "evidnce"),
        at(MANY_ERRORS, "value: -4", "-4"),
        at(BAD_KIND, "podcast", file=E2),
    ]


def test_json_format_gives_the_errors_as_a_json_document(case, check):
    case(MANY_ERRORS, records={**MINIMAL_RECORDS, "E2": BAD_KIND})
    result = check("--format", "json")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    payload = json.loads(result.stdout)
    assert payload["format"] == "hls-audit/error"
    assert payload["version"] == 1
    places = [(e["file"], e["line"], e["column"]) for e in payload["errors"]]
    assert places == [
        ("claims.yaml", *line_col(MANY_ERRORS, "  institution", "institution")),
        ("claims.yaml", *line_col(MANY_ERRORS, "number: x", "x")),
        ("claims.yaml", *line_col(MANY_ERRORS, "evidnce")),
        ("claims.yaml", *line_col(MANY_ERRORS, "value: -4", "-4")),
        (E2, *line_col(BAD_KIND, "podcast")),
    ]
    assert all(e["message"] and e["hint"] for e in payload["errors"])
    assert payload["errors"][2]["yaml_path"] == "claims[0].evidnce"
    assert result.stderr.endswith("hls-audit: 5 input errors; nothing was audited.\n")


def test_json_format_for_a_file_that_cannot_be_read_has_no_position(case, check):
    result = check("missing.yaml", "--format", "json")
    assert result.exit_code == 2
    (error,) = json.loads(result.stdout)["errors"]
    assert (error["file"], error["line"], error["column"]) == ("missing.yaml", None, None)


def test_a_real_process_prints_no_traceback_on_bad_input(case):
    claims = edited("value: 7000000,", "value: 7.7e7,")
    case(claims)
    out = subprocess.run(
        [sys.executable, "-m", "hls_audit", "check", str(case.root)],
        capture_output=True,
        text=True,
        cwd=case.root,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO / "src")},
        check=False,
    )
    assert out.returncode == 2
    assert out.stdout == ""
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith(f"{at(claims, 'value: 7.7e7', '7.7e7')}: error HLS006: exponent")
