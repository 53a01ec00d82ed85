"""Models built without pydantic's compiled validator agree with pydantic on every input.

`core.construct.validate` may build a model itself or hand the data to pydantic; whichever it
does, the result must be what `model_validate` gives: an equal model with the same fields set,
field by field and type by type, or pydantic's own ValidationError. Each test runs the two in a
fresh interpreter state of the models (nothing compiled), on hand-written and generated inputs.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from hls_audit.core import construct
from hls_audit.core.model import Citation, ClaimsFile, SourceRecord
from hls_audit.io.yaml_source import parse_yaml

ROOT = Path(__file__).resolve().parent.parent


def same(a: Any, b: Any, where: str = "") -> None:
    """Equal values of the same types, models with the same fields set, all the way down."""
    assert type(a) is type(b), (where, a, b)
    if isinstance(a, BaseModel):
        assert a.model_fields_set == b.model_fields_set, where
        for name in type(a).model_fields:
            same(getattr(a, name), getattr(b, name), f"{where}.{name}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{index}]")
    else:
        assert a == b, (where, a, b)
        if isinstance(a, Decimal):
            assert a.as_tuple() == b.as_tuple(), (where, a, b)


def direct(model: type[BaseModel], data: Any) -> BaseModel | None:
    """What the direct path builds, or None where it hands the data to pydantic."""
    build = construct._plan(model)
    assert build is not None, f"{model.__name__} is no longer read directly"
    try:
        built: BaseModel = build(data)
    except Exception:
        return None
    return built


def agrees(model: type[BaseModel], data: Any) -> BaseModel | None:
    built = direct(model, data)
    try:
        expected = model.model_validate(data)
    except ValidationError:
        assert built is None, f"built what pydantic refuses: {data!r}"
        return None
    if built is not None:
        same(expected, built)
    same(expected, construct.validate(model, data))
    return built


def test_every_model_of_the_files_is_read_directly() -> None:
    for model in (ClaimsFile, SourceRecord):
        assert construct._plan(model) is not None


def test_the_bundled_case_study_is_built_directly_and_equal() -> None:
    claims = parse_yaml((ROOT / "claims.yaml").read_text(encoding="utf-8"), "claims.yaml")
    assert agrees(ClaimsFile, claims.data) is not None
    for path in sorted((ROOT / "evidence").glob("*.yaml")):
        record = parse_yaml(path.read_text(encoding="utf-8"), path.name)
        assert agrees(SourceRecord, record.data) is not None, path.name


def test_a_plain_check_compiles_no_model() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from hls_audit.io.load import load_case_study\n"
        "from hls_audit.core.model import ClaimsFile, SourceRecord\n"
        "load_case_study(Path('.'))\n"
        "print(ClaimsFile.__pydantic_complete__, SourceRecord.__pydantic_complete__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "False"]


CLAIM = {
    "id": "C1",
    "section": "4",
    "statement": "The council adopted the approach.",
    "evidence": ["E1", {"source": "E2", "pages": 9}, {"source": "E3", "quote": " as said "}],
    "amount": {
        "role": "counted",
        "value": "£2.5m",
        "qualifier": "more_than",
        "headline": "H1",
        "period": {"start": 2019, "end": "2020-03"},
    },
}


@pytest.mark.parametrize(
    ("change", "built"),
    [
        ({}, True),
        ({"section": 4}, True),
        ({"section": 4.1}, False),  # a float section: pydantic's error
        ({"section": "4\n"}, False),  # `$` before a newline: pydantic decides
        ({"id": "C 1"}, True),
        ({"id": "C__1"}, False),
        ({"statement": "   "}, False),
        ({"statement": "\x1ctext\x1c"}, False),
        ({"statement": "\u00a0text\u3000"}, True),
        ({"statement": "\ud800"}, False),
        ({"reviewed": "yes"}, False),
        ({"reviewed": False}, True),
        ({"unknown": 1}, False),
        ({"figure": {"value": 50, "unit": "percent"}}, True),
        ({"figure": {"value": 12.5, "unit": "percent"}}, False),
        ({"figure": {"value": "12.5", "unit": "percent"}}, False),
        ({"figure": {"value": -1, "unit": "percent"}}, False),
        ({"figure": {"value": True, "unit": "percent"}}, False),
        ({"date": dt.date(2020, 2, 29)}, True),
        ({"date": "2019-02-29"}, False),
        ({"period": {"start": "2020", "end": "2019"}}, False),
        ({"amount": {"role": "unquantified", "stated": "a large sum"}}, True),
        ({"amount": {"role": "unquantified", "value": 5}}, False),
        ({"amount": {"role": "counted"}}, False),
        ({"amount": {"role": "counted", "value": "$5m", "currency": "GBP"}}, False),
        ({"amount": {"role": "counted", "value": 5, "currency": "USD"}}, True),
        (
            {
                "amount": {
                    "role": "counted",
                    "value": "5000000",
                    "currency": "EUR",
                    "conversion": {"rate": "0.85", "source": "a bank, 1 May 2020"},
                }
            },
            True,
        ),
        ({"amount": {"role": "counted", "value": 5, "per": "year"}}, True),
        ({"amount": {"role": "counted", "value": 5, "per": "week"}}, False),
        ({"amount": {"role": "counted", "value": 5, "qualifier": "roughly"}}, False),
        ({"evidence": "E1"}, False),
        ({"evidence": [5]}, False),
        ({"evidence": [{"source": "E1", "pages": True}]}, False),
    ],
)
def test_a_claim_is_built_directly_only_when_pydantic_builds_the_same(
    change: dict[str, Any], built: bool
) -> None:
    from hls_audit.core.model import Claim

    data = {**CLAIM, **change}
    assert (agrees(Claim, data) is not None) is built


def test_a_bare_citation_counts_only_its_source_as_set() -> None:
    made = agrees(Citation, "E7")
    assert made is not None and made.model_fields_set == {"source"}


def test_an_unknown_model_setting_leaves_the_model_to_pydantic() -> None:
    from pydantic import ConfigDict

    class Loose(BaseModel):
        model_config = ConfigDict(extra="allow", defer_build=True)
        name: str

    assert construct._plan(Loose) is None
    assert construct.validate(Loose, {"name": "x", "more": 1}).model_extra == {"more": 1}


# Mostly valid values with the awkward ones mixed in, so both paths are exercised.
def _mostly(
    valid: st.SearchStrategy[Any], awkward: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """Nine in ten valid, so that whole inputs often are."""
    return st.tuples(st.sampled_from(range(10)), valid, awkward).map(
        lambda drawn: drawn[2] if drawn[0] == 0 else drawn[1]
    )


_text = _mostly(
    st.sampled_from(["A report", "  padded  ", "x", "Dr A. Person", "\u00a0spaced\u3000"]),
    st.one_of(
        st.text(alphabet=st.sampled_from("ab £\n\t\x1c\u00a0\u2028"), max_size=5),
        st.sampled_from([None, 5, 1.5, True, ["x"]]),
    ),
)
_id = _mostly(
    st.sampled_from(["E1", "R2", "E5a", "Source 1", "4.1", "G-1"]),
    st.one_of(
        st.text(alphabet=st.sampled_from("E1 ._-a\n"), max_size=5), st.sampled_from([7, None])
    ),
)
_date = _mostly(
    st.one_of(
        st.sampled_from(["2019", "2019-04", "2019-04-01", 2019, " 2019 "]),
        st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    ),
    st.sampled_from([True, 2019.0, None, "2019-13", "19"]),
)
_whole = _mostly(st.integers(min_value=1, max_value=120), st.sampled_from([0, -1, True, 3.0, "4"]))
_flag = _mostly(st.booleans(), st.sampled_from(["yes", 1, None]))
_money = _mostly(
    st.sampled_from(["£2.5m", "77,000,000", 5, 88194, "5m", "88194.45"]),
    st.sampled_from(["$5m", 1.5, "-5", "7.7e7", None, True]),
)
_period = _mostly(
    st.fixed_dictionaries({}, optional={"start": _date, "end": _date}),
    st.sampled_from([None, "2019", ["2019"]]),
)
_citation = st.one_of(
    _id,
    st.fixed_dictionaries(
        {"source": _id},
        optional={"pages": st.one_of(_whole, st.sampled_from(["p9", "p2-3"])), "quote": _text},
    ),
)


def _with_extra(base: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[Any]:
    return _mostly(
        base,
        st.one_of(base.map(lambda data: {**data, "unexpected": 1}), st.sampled_from([None, []])),
    )


_records = _with_extra(
    st.fixed_dictionaries(
        {
            "id": _id,
            "kind": _mostly(
                st.sampled_from(["report", "article", "web-page"]), st.sampled_from(["x", 3])
            ),
            "title": _text,
        },
        optional={
            "authors": st.lists(_text, max_size=3),
            "date": _date,
            "page_count": _whole,
            "confidential": _flag,
            "listed_in": st.sampled_from(["references", "sources", "other", 1]),
            "provider": st.fixed_dictionaries({}, optional={"organisation": _text, "role": _text}),
            "doi": _text,
            "part_of": _id,
        },
    )
)

_claims = _with_extra(
    st.fixed_dictionaries(
        {
            "id": _id,
            "section": _mostly(
                st.sampled_from(["4", 4, "4.1"]), st.sampled_from([4.1, "x", "4\n", True])
            ),
            "statement": _text,
        },
        optional={
            "evidence": st.lists(_citation, max_size=3),
            "date": _date,
            "period": _period,
            "organisation": _text,
            "figure": st.fixed_dictionaries(
                {"value": st.one_of(_whole, st.sampled_from([12.5, "12.5", "١٢"])), "unit": _text},
                optional={"qualifier": st.sampled_from(["exact", "about", "more_than", "?"])},
            ),
            "amount": st.fixed_dictionaries(
                {
                    "role": _mostly(
                        st.sampled_from(["counted", "part", "context"]),
                        st.sampled_from(["unquantified", "x"]),
                    )
                },
                optional={
                    "value": _money,
                    "currency": st.sampled_from(["GBP", "USD", "gbp"]),
                    "tolerance": _money,
                    "stated": _text,
                    "per": st.sampled_from(["year", "month", "week", None]),
                    "period": _period,
                    "expected": _flag,
                    "conversion": st.fixed_dictionaries(
                        {
                            "rate": st.sampled_from(["0.85", 2, "0", 1.5, "1e3"]),
                            "source": _text,
                        },
                        optional={"to": st.sampled_from(["GBP", "usd"])},
                    ),
                },
            ),
            "reviewed": _flag,
        },
    )
)

SEEN: dict[str, int] = {"built directly": 0, "left to pydantic": 0}


def _count(built: BaseModel | None) -> None:
    SEEN["built directly" if built is not None else "left to pydantic"] += 1


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_records)
def test_generated_records_agree_with_pydantic(data: Any) -> None:
    _count(agrees(SourceRecord, data))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_claims)
def test_generated_claims_agree_with_pydantic(data: Any) -> None:
    from hls_audit.core.model import Claim

    _count(agrees(Claim, data))


def test_the_generated_inputs_took_both_paths() -> None:
    """Runs after the two above: a generator that only made refused inputs would test nothing."""
    if SEEN["built directly"] + SEEN["left to pydantic"] == 0:
        pytest.skip("run with the generated tests")
    assert SEEN["built directly"] >= 50
    assert SEEN["left to pydantic"] >= 50
