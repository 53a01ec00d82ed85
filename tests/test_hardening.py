"""Fail closed: nothing written during an audit, only input errors from any input, never a crash."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hls_audit.core.errors import InputError, InputErrors
from hls_audit.core.money import MoneyError, parse_money
from hls_audit.io.load import load_case_study
from hls_audit.io.yaml_source import parse_yaml
from hls_audit.narrative.analysis import parse_narrative
from tests.conftest import MINIMAL_CLAIMS, REPO
from tests.test_narrative_checks import NARRATIVE

_GUARDED: list[Path] = []  # folders no write may touch while a test runs
_WRITE_EVENTS = {"os.remove", "os.rename", "os.replace", "os.mkdir", "os.rmdir", "os.truncate",
                 "shutil.rmtree", "shutil.move", "os.chmod", "os.symlink", "os.link"}  # fmt: skip


def _inside(path: object) -> bool:
    if not _GUARDED or not isinstance(path, str | bytes | os.PathLike):
        return False
    resolved = Path(os.fsdecode(path)).resolve()
    return any(resolved.is_relative_to(root) for root in _GUARDED)


def _hook(event: str, args: tuple[object, ...]) -> None:
    if not _GUARDED:
        return
    if event == "open" and len(args) >= 2:
        path, mode = args[0], args[1]
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND)
        )
        if writes and _inside(path):
            raise PermissionError(f"hls-audit tried to write {path}")
    elif event in _WRITE_EVENTS and args and _inside(args[0]):
        raise PermissionError(f"hls-audit tried {event} on {args[0]}")


sys.addaudithook(_hook)


@pytest.fixture
def read_only_case(tmp_path, monkeypatch):
    """The bundled case study plus a narrative and a document, guarded against every write."""
    root = tmp_path / "case"
    root.mkdir()
    shutil.copy(REPO / "claims.yaml", root / "claims.yaml")
    shutil.copytree(REPO / "evidence", root / "evidence")
    (root / "evidence" / "note.txt").write_text("A stray note.\fIts second page.")
    (root / "narrative.md").write_text(NARRATIVE, encoding="utf-8")
    monkeypatch.chdir(root)
    _GUARDED.append(root.resolve())
    yield root
    _GUARDED.clear()


def test_the_guard_itself_catches_a_write(read_only_case):
    with pytest.raises(PermissionError):
        (read_only_case / "claims.yaml").write_text("changed")


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--format", "json"],
        ["check", "--format", "sarif"],
        ["check", "--format", "junit"],
        ["check", "--format", "markdown"],
        ["check", "--format", "github"],
        ["check", "--narrative", "narrative.md"],
        ["check", "--require", "documents", "--corroborated-at", "verified"],
        ["totals"],
        ["totals", "--format", "json"],
        ["sources"],
        ["sources", "--format", "json"],
        ["narrative", "narrative.md"],
        ["rules"],
        ["explain", "HLS101"],
        ["schema"],
    ],
    ids=lambda a: " ".join(a),
)
def test_commands_that_read_never_write_into_the_case_study(read_only_case, cli, args):
    result = cli(*args)
    assert result.exit_code in (0, 1), result.output
    assert "tried to write" not in result.output and "internal error" not in result.output


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.integers(), st.decimals(allow_nan=True), st.booleans()))
def test_the_amount_parser_only_ever_refuses_with_its_own_error(value):
    try:
        number, _ = parse_money(value)
    except MoneyError:
        return
    assert number >= 0 and number.is_finite()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_the_yaml_reader_only_ever_refuses_with_an_input_error(text):
    try:
        parse_yaml(text, "claims.yaml")
    except InputError as error:
        assert error.path == "claims.yaml"


_YAML_BITS = st.sampled_from(
    [
        "\n",
        ": ",
        "- ",
        "  ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "'",
        "#",
        "\t",
        "1e400",
        "~",
        "\u0415",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(0, len(MINIMAL_CLAIMS) - 1), st.lists(_YAML_BITS, min_size=1, max_size=4))
def test_a_damaged_claims_file_loads_or_is_an_input_error(tmp_path, at, bits):
    (tmp_path / "claims.yaml").write_text(MINIMAL_CLAIMS[:at] + "".join(bits) + MINIMAL_CLAIMS[at:])
    with contextlib.suppress(InputError, InputErrors):
        load_case_study(tmp_path)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600), st.integers(0, len(NARRATIVE)))
def test_the_narrative_parser_takes_any_text(noise, at):
    narrative = parse_narrative(NARRATIVE[:at] + noise + NARRATIVE[at:], "n.txt")
    for mention in narrative.money:
        assert mention.value is None or mention.value >= 0
    assert all(m.line >= 1 for m in narrative.markers)


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("narrative.txt", b"\xff\xfe\x00garbage", "not valid UTF-8"),
        ("narrative.docx", b"PK\x03\x04 not a zip", "cannot be read as DOCX"),
        ("narrative.pdf", b"%PDF-1.7\n% nothing", "cannot be read as PDF"),
    ],
)
def test_a_broken_narrative_is_unusable_input(case, cli, name, data, message):
    case()
    (case.root / name).write_bytes(data)
    result = cli("check", "--narrative", name)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_a_narrative_that_is_a_folder(case, cli):
    case()
    (case.root / "narrative.txt").mkdir()
    result = cli("narrative", "narrative.txt")
    assert result.exit_code == 2
    assert "narrative file is a folder" in result.stderr


def test_a_document_that_is_a_folder_is_reported_missing(case, cli):
    from tests.conftest import MINIMAL_RECORDS

    case(records=dict(MINIMAL_RECORDS, E2=MINIMAL_RECORDS["E2"] + "document: reports\n"))
    (case.root / "evidence" / "reports").mkdir()
    result = cli("check", "--format", "json")
    assert result.exit_code == 1
    assert '"code": "HLS201"' in result.stdout


def test_an_internal_error_is_one_line_and_exit_3(case, cli, monkeypatch):
    case()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated fault")

    monkeypatch.setattr("hls_audit.engine.audit.build_register", broken)
    result = cli("check")
    assert result.exit_code == 3
    assert "internal error: RuntimeError: simulated fault" in result.stderr
    assert "--debug" in result.stderr and "Traceback" not in result.output


def test_debug_lets_the_traceback_through(case, cli, monkeypatch):
    case()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated fault")

    monkeypatch.setattr("hls_audit.engine.audit.build_register", broken)
    from typer.testing import CliRunner

    from hls_audit.cli import app

    result = CliRunner().invoke(app, ["--debug", "check"])
    assert isinstance(result.exception, RuntimeError)


def test_the_pure_python_parser_reads_files_as_libyaml_does(monkeypatch):
    """Without libyaml the loader falls back to PyYAML's own parser, with the same result."""
    import yaml

    from hls_audit.io import yaml_source

    text = (REPO / "claims.yaml").read_text(encoding="utf-8")
    fast = yaml_source.parse_yaml(text, "claims.yaml")

    class PurePython(yaml.SafeLoader):
        pass

    monkeypatch.setattr(yaml_source, "StrictLoader", PurePython)
    slow = yaml_source.parse_yaml(text, "claims.yaml")
    assert slow.data == fast.data
    assert slow.marks == fast.marks


TRICKY_SCALARS = [
    "yes", "No", "ON", "off", "y", "~", "null", "Null", "", "017", "0x1F", "0o17", "1:20",
    "190:20:30",
    "7.7e7", "7.7e+7", "1e3", ".inf", "-.Inf", ".NaN", "2019-04-01", "2019-04-01T10:00:00Z",
    "2019-02-30", "1_000", "+12", "-0", "0.5", "88194.45", "'017'", '"yes"', "E1", "£77m",
    "77,000,000", "true", "FALSE", "=", "<<", "2019-04", "p2-3",
]  # fmt: skip


@pytest.mark.parametrize("scalar", TRICKY_SCALARS)
def test_plain_scalars_are_typed_as_pyyaml_types_them(monkeypatch, scalar):
    """The loader types plain scalars itself, in one pass; PyYAML's resolver must agree."""
    import yaml

    from hls_audit.io import yaml_source

    text = f"value: {scalar}\nlist: [{scalar or 'x'}]\n"

    class PurePython(yaml.SafeLoader):
        pass

    def load(loader: type) -> object:
        monkeypatch.setattr(yaml_source, "StrictLoader", loader)
        try:
            return yaml_source.parse_yaml(text, "t.yaml").data
        except InputError as error:
            return ("refused", error.message, error.line, error.column)

    original = yaml_source.StrictLoader
    # Compared as repr: NaN is never equal to itself.
    assert repr(load(original)) == repr(load(PurePython))
