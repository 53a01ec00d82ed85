"""Records remembered by their bytes load exactly as read afresh; the pool fits the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from hls_audit.app import portfolio
from hls_audit.core.errors import InputErrors
from hls_audit.io import load
from tests.conftest import MINIMAL_CLAIMS, MINIMAL_RECORDS, CaseWriter


def _two_cases(root: Path, records: dict[str, str] | None = None) -> tuple[Path, Path]:
    first, second = root / "one", root / "two"
    for folder in (first, second):
        folder.mkdir()
        CaseWriter(folder)(MINIMAL_CLAIMS, records)
    return first, second


def _positions(case: load.CaseStudy) -> list[tuple[str, int | None, int | None]]:
    return [
        (located.file, located.line, located.column)
        for loaded in case.records
        for located in (case.record_at(loaded), case.record_at(loaded, ("title",), key=True))
    ]


def test_a_repeated_record_names_its_own_file(tmp_path: Path) -> None:
    load._RECORD_MEMO.clear()
    first, second = _two_cases(tmp_path)
    one, two = load.load_case_study(first), load.load_case_study(second)
    assert load._RECORD_MEMO  # the second case study's records came from the memo
    for loaded_one, loaded_two in zip(one.records, two.records, strict=True):
        assert loaded_one.record == loaded_two.record
        assert loaded_one.document.marks == loaded_two.document.marks
        assert loaded_one.document.path != loaded_two.document.path
    assert [f.replace("one", "two") for f, _, _ in _positions(one)] == [
        f for f, _, _ in _positions(two)
    ]
    assert [p[1:] for p in _positions(one)] == [p[1:] for p in _positions(two)]


def test_remembered_and_fresh_loads_agree(tmp_path: Path) -> None:
    first, _ = _two_cases(tmp_path)
    load._RECORD_MEMO.clear()
    fresh = load.load_case_study(first)
    remembered = load.load_case_study(first)
    assert [r.record for r in fresh.records] == [r.record for r in remembered.records]
    assert _positions(fresh) == _positions(remembered)


def test_changed_bytes_are_read_again(tmp_path: Path) -> None:
    first, second = _two_cases(tmp_path)
    load.load_case_study(first)
    record = second / "evidence" / "E1.yaml"
    record.write_text(MINIMAL_RECORDS["E1"].replace("the council", "a new council"))
    titles = {r.record.id: r.record.title for r in load.load_case_study(second).records}
    assert titles["E1"] == "Letter from a new council"


def test_a_bad_record_is_never_remembered(tmp_path: Path) -> None:
    bad = {**MINIMAL_RECORDS, "E2": "id: E2\nkind: report\ntitle: [not, text]\n"}
    first, second = _two_cases(tmp_path, bad)
    load._RECORD_MEMO.clear()
    for folder in (first, second):
        with pytest.raises(InputErrors) as caught:
            load.load_case_study(folder)
        paths = {error.path for error in caught.value.errors}
        assert paths == {f"{folder}/evidence/E2.yaml"}
    assert all(b"[not, text]" not in raw for raw in load._RECORD_MEMO)


def test_the_memo_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "RECORD_MEMO_SIZE", 2)
    load._RECORD_MEMO.clear()
    first, _ = _two_cases(tmp_path)
    load.load_case_study(first)  # three records
    assert len(load._RECORD_MEMO) == 2


def test_workers_fit_the_machine() -> None:
    assert portfolio.machine_workers() >= 1
    assert portfolio._chunk_size(6781, 2) == 64
    assert portfolio._chunk_size(100, 2) == 6
    assert portfolio._chunk_size(3, 8) == 1
