"""Citation markers in every style case studies write them, the look-alikes that are not
markers, canonical ids, and resolving a marker's id to the entry of the lists it names.

The narratives are small and invented; the shapes of their ids and markers follow real case
studies (square brackets and parentheses, prefixed, dotted, bare, lettered and worded ids,
superscripts, lists, ranges and pages).
"""

from __future__ import annotations

import time

import pytest

from hls_audit.narrative.analysis import parse_narrative
from hls_audit.narrative.ids import (
    canonical,
    number_key,
    ordinal,
    parent,
    prefix_kind,
    shape,
    split_word,
    word_kind,
)
from hls_audit.narrative.markers import Cite, find_markers, list_ids, parse_marker_body
from hls_audit.narrative.register import EntryKind, RegisterEntry
from hls_audit.narrative.resolve import Resolver, resolve, resolve_markers

NUMBERED = [str(n) for n in range(1, 7)]  # a list numbered 1..6
DOTTED = [f"3.{n}" for n in range(1, 7)] + [f"5.{n}" for n in range(1, 11)]
PREFIXED = [f"R{n}" for n in range(1, 7)] + [f"S{n}" for n in range(1, 11)] + ["G1", "G2"]
LETTERED = list("ABCDEFGH")


def cited(text: str, ids: list[str] | None = None) -> list[list[tuple[str, str | None]]]:
    """Each marker's (id, pages) in ``text``, read against a register holding ``ids``."""
    return [[(c.source, c.pages) for c in m.ids] for m in find_markers(text, ids)]


def narrative(research: str = "", details: str = "", refs: str = "", sources: str = "") -> str:
    """A case study in the five-section layout, with these section bodies."""
    return (
        "1. Summary of the impact\n\nA river trust changed how it plans its banks.\n\n"
        f"2. Underpinning research\n\n{research}\n\n"
        f"3. References to the research\n\n{refs}\n\n"
        f"4. Details of the impact\n\n{details}\n\n"
        f"5. Sources to corroborate the impact\n\n{sources}\n"
    )


# --- square brackets -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "ids", "expected"),
    [
        ("The trust replanted willows [R1].", PREFIXED, [[("R1", None)]]),
        ("The trust replanted willows **[R1]**.", PREFIXED, [[("R1", None)]]),
        ("It kept its records [**E2**, p9].", None, [[("E2", "p9")]]),
        ("It kept its records [E1 pp.3-4].", None, [[("E1", "p3-4")]]),
        ("It kept its records [E1: p 12].", None, [[("E1", "p12")]]),
        (
            "Two studies and two letters agree [R3-R5; S1-S2].",
            PREFIXED,
            [[("R3", None), ("R4", None), ("R5", None), ("S1", None), ("S2", None)]],
        ),
        (
            "The board said so [R5, R6, source 8].",
            PREFIXED,
            [[("R5", None), ("R6", None), ("Source 8", None)]],
        ),
        ("A part of a bundle [S7a].", PREFIXED, [[("S7a", None)]]),
        ("A part of a bundle [S1.ii].", PREFIXED, [[("S1ii", None)]]),
        ("The council minutes [IMP2] say so.", ["IMP1", "IMP2"], [[("IMP2", None)]]),
        ("A chapter [3.1] and a note [5.2].", DOTTED, [[("3.1", None)], [("5.2", None)]]),
        ("A chapter [3.1] and a note [5.2].", None, [[("3.1", None)], [("5.2", None)]]),
        (
            "The three papers [3.1-3.3] set this out.",
            DOTTED,
            [[("3.1", None), ("3.2", None), ("3.3", None)]],
        ),
        ("The annual report [5.5, page 103].", DOTTED, [[("5.5", "p103")]]),
        ("Both papers [3.2 & 3.3] show it.", DOTTED, [[("3.2", None), ("3.3", None)]]),
        ("A dossier [5.1a] holds it.", DOTTED, [[("5.1a", None)]]),
        ("The list itself [3:1] names it.", DOTTED, [[("3.1", None)]]),
        ("Bank erosion fell by a third [1].", NUMBERED, [[("1", None)]]),
        ("Two papers [5, 6] found this.", NUMBERED, [[("5", None), ("6", None)]]),
        ("Three papers [1,2,3] found this.", NUMBERED, [[("1", None), ("2", None), ("3", None)]]),
        ("The work in [1]-[5] shows it.", NUMBERED, [[(str(n), None) for n in range(1, 6)]]),
        ("A letter [1a] and a note [9b].", NUMBERED, [[("1a", None)], [("9b", None)]]),
        ("As the warden wrote [1c, p.24].", NUMBERED, [[("1c", "p24")]]),
        ("As the judgment put it [3, para 32].", NUMBERED, [[("3", "para 32")]]),
        ("The minutes record it [A].", LETTERED, [[("A", None)]]),
        ("The minutes record it [ **B**].", LETTERED, [[("B", None)]]),
        ("The minutes record it [Aii].", LETTERED, [[("Aii", None)]]),
        ("The minutes record it [C, (i)].", LETTERED, [[("Ci", None)]]),
        ("A bundle of letters [C1,2].", ["C1", "C2"], [[("C1", None), ("C2", None)]]),
    ],
)
def test_square_brackets(sentence, ids, expected):
    assert cited(sentence, ids) == expected


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("[source 1]", [("Source 1", None)]),
        ("[ref 3]", [("Reference 3", None)]),
        ("[reference 2]", [("Reference 2", None)]),
        ("[output 6]", [("Output 6", None)]),
        ("[Grant A]", [("Grant A", None)]),
        ("[Grants B, C]", [("Grant B", None), ("Grant C", None)]),
        ("[sources 3 and 4]", [("Source 3", None), ("Source 4", None)]),
        ("[e.g. outputs 1, 2]", [("Output 1", None), ("Output 2", None)]),
        ("[Source C below]", [("Source C", None)]),
        ("[source 2, p. 7]", [("Source 2", "p7")]),
        ("(EVID 2)", [("Evidence 2", None)]),
        ("( **Source 4**)", [("Source 4", None)]),
        ("(see Source B, p. 56)", [("Source B", "p56")]),
        ("(GRANT1)", [("Grant 1", None)]),
    ],
)
def test_worded_ids_in_any_bracket(marker, expected):
    (found,) = find_markers(f"The ferry company agreed to fund it {marker}.")
    assert [(c.source, c.pages) for c in found.ids] == expected
    assert found.text == marker


def test_a_worded_cite_carries_its_kind_and_its_written_form():
    (found,) = find_markers("The levy was raised [R2, sources 3 and 4, output 1].")
    assert [(c.source, c.written, c.kind) for c in found.ids] == [
        ("R2", "R2", "reference"),
        ("Source 3", "sources 3", "source"),
        ("Source 4", "4", "source"),
        ("Output 1", "output 1", "reference"),
    ]


def test_a_marker_broken_across_a_line():
    text = "The harbour board took it up [R1,\nR2] and then (S1,\n S2) paid for it."
    markers = find_markers(text, PREFIXED)
    assert [[c.source for c in m.ids] for m in markers] == [["R1", "R2"], ["S1", "S2"]]
    assert [(m.line, m.column) for m in markers] == [(1, 30), (2, 14)]


def test_one_unreadable_part_never_drops_the_readable_ones():
    assert cited("The pier reopened [R5, the survey, S2].", PREFIXED) == [
        [("R5", None), ("S2", None)]
    ]
    assert cited("Many more came (survey 2014, EVID 2).") == [[("Evidence 2", None)]]
    assert cited("It was reported ( **S2,** translated).", PREFIXED) == [[("S2", None)]]
    # "9" is neither a page (no "p" before it) nor an id the lists hold: E1 alone is read
    assert cited("The mayor spoke [E1, 9] at length.") == [[("E1", None)]]


# --- parentheses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "ids", "expected"),
    [
        ("The weir was removed (R6).", PREFIXED, [[("R6", None)]]),
        ("The weir was removed **(S10**).", PREFIXED, [[("S10", None)]]),
        ("The weir was removed ( **R1**, **R2**).", PREFIXED, [[("R1", None), ("R2", None)]]),
        ("Flooding fell sharply (1).", NUMBERED, [[("1", None)]]),
        ("Both designs were trialled (3,4).", NUMBERED, [[("3", None), ("4", None)]]),
        (
            "Both designs were trialled (3,4; with partners).",
            NUMBERED,
            [[("3", None), ("4", None)]],
        ),
        ("The adult trial (4) and the child trial (5).", NUMBERED, [[("4", None)], [("5", None)]]),
        ("It was “a turning point” (2).", NUMBERED, [[("2", None)]]),
        ("The essays (3d & 3e) argue it.", ["3"], [[("3d", None), ("3e", None)]]),
        ("Two chapters say so (3.1, 3.2).", DOTTED, [[("3.1", None), ("3.2", None)]]),
        ("The trust wrote to us ( **F**).", LETTERED, [[("F", None)]]),
    ],
)
def test_parentheses_that_cite(sentence, ids, expected):
    assert cited(sentence, ids) == expected


def test_parentheses_follow_a_prefix_the_document_numbers_with():
    # No list labelled EV was found, but the prose numbers its sources EV1, EV2, EV3 throughout.
    text = "The drug was approved (EV1). Sales rose (EV2, EV3). Prescribing grew (EV3)."
    assert cited(text) == [[("EV1", None)], [("EV2", None), ("EV3", None)], [("EV3", None)]]


def test_parentheses_with_an_id_the_lists_do_not_hold_are_no_marker():
    assert cited("The survey ran for years (7).", NUMBERED) == []
    assert cited("The survey ran for years (G7).", PREFIXED[:-2]) == []


def test_parentheses_give_way_where_the_document_cites_in_square_brackets():
    text = "The review [1] and the audit [2] agreed. Recommendation (2) of the review was kept."
    assert cited(text, NUMBERED) == [[("1", None)], [("2", None)]]


# --- superscripts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Erosion halved on the lower reach.<sup>4</sup> It held.", [[("4", None)]]),
        ("As Marsh et al<sup>1</sup> showed, it held.", [[("1", None)]]),
        ("Both agreed<sup>3,5</sup>.", [[("3", None), ("5", None)]]),
        ("The letter<sup>1</sup><sup>a</sup> says so.", [[("1a", None)]]),
    ],
)
def test_superscripts(sentence, expected):
    assert cited(sentence, NUMBERED) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "It opened in the 21<sup>st</sup> year.",
        "The 2<sup>nd</sup> phase began.",
        "Each plot is 40 m<sup>2</sup> in size.",
        "About 10<sup>6</sup> spores were counted.",
    ],
)
def test_superscripts_that_are_not_markers(sentence):
    assert cited(sentence, NUMBERED) == []


# --- look-alikes that are not markers ----------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "He said it was “the best [...] in decades”.",
        "He said it was “the best […] in decades”.",
        "The sign read “Welcom [sic] to Dunmere”.",
        "She said “[the council] listened”.",
        "It was “never about money” [emphasis added].",
        "The figure [text removed for publication] was agreed.",
        "The plan was adopted (2019) and revised [2019].",
        "The scheme ran (2015-2018) and again (03-2019).",
        "Under section 4(1) and Article 8(2) of the Act.",
        "As s.21(3) requires.",
        "The results (Figure 3) and the costs [Table 2] agree.",
        "It cost the council (£5m) and the trust (GBP2.5 million) in all.",
        "Funding [GBP1,613,016; 08-20] was secured.",
        "Most residents (45%) agreed.",
        "This was noted (see above) and counted (n=45) in the (UK).",
        "The journal printed it in 38(1) and Vol. 24 (3), pp. 1-9, and *15*(8).",
        "See [DOI](https://doi.org/10.1000/1) and [2019](https://example.org/a(1)).",
        "The report is at https://example.org/report(3).pdf for all.",
        "It was the REF exercise [REF 2] that counted (REF2).",
        "The mayor spoke [e1] at length.",
        "The warden said “[I] was never asked” and that \u2018[A] plan was made\u2019.",
        "The mayor spoke [Also R1] at length.",
    ],
)
def test_look_alikes_are_no_markers(sentence):
    assert cited(sentence, NUMBERED + PREFIXED) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The trust had two aims (1) to slow the water and (2) to keep the fish.",
        "The trust had two aims: (1) slowing the water, (2) keeping the fish.",
        "We asked (a) who owned the banks and (b) who paid.",
        "Three groups (A) farmers (B) anglers and (C) boaters took part.",
        "The audit (iv) found nothing.",
    ],
)
def test_list_numbering_in_prose_is_no_marker(sentence):
    assert cited(sentence, NUMBERED + LETTERED + ["i", "ii", "iii", "iv"]) == []


def test_chemical_and_goal_numbers_in_parentheses_are_no_markers():
    text = "Carbon (CO2) fell. (CO2) fell again. Less (CO2) overall. Goals (SDG3) and (SDG13)."
    assert cited(text) == []


def test_the_labels_of_the_lists_are_not_markers():
    text = narrative(
        research="The models were built [R1] and tested (1).",
        refs="[R1] Marsh, B. (2019) Slow rivers. Journal of Banks 4(2).\n(1) A second paper.",
        sources="[S1] Letter from the trust.\n[S2] Minutes, 2020.",
        details="The trust changed its plan [S1, S2].",
    )
    markers = find_markers(text, ["R1", "1", "S1", "S2"])
    assert [m.text for m in markers] == ["[R1]", "(1)", "[S1, S2]"]


# --- the document's own lists --------------------------------------------------------------


def test_the_labels_of_the_lists_are_read_as_evidence_of_their_numbering():
    text = narrative(
        details="The banks held (2), as the trust wrote [B].",
        refs="1. Marsh, B. (2019) Slow rivers.\n1. Quill, A. (2020) Fast fish.\n",
        sources="[A] Letter from the trust.\n**[B]** Minutes of the board.\n",
    )
    assert list_ids(text) == ["1", "2", "A", "B"]  # a Markdown list numbered "1." counts on
    # so the text's bare numbers and letters are markers without a register passed in
    assert cited(text) == [[("2", None)], [("B", None)]]
    # the lists reach neither 3 nor C: "(3)" is no marker, nor a letter they do not hold
    other = text.replace("held (2), as the trust wrote [B]", "held (3), as the trust wrote [C]")
    assert cited(other) == []


def test_letters_cite_by_place_in_a_numbered_list():
    # The sources were lettered A, B, C in the text but the list reads 1., 2., 3.
    text = narrative(
        details="The trust wrote [A]. The board agreed [B]. The press followed [C, D].",
        sources="1. Letter.\n2. Minutes.\n3. Article.\n4. Video.\n",
    )
    assert cited(text) == [[("A", None)], [("B", None)], [("C", None), ("D", None)]]
    assert cited(text.replace("4. Video.\n", "")) == [[("A", None)], [("B", None)], [("C", None)]]


# --- canonical ids -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected", "kind"),
    [
        ("**R1**", "R1", "prefixed"),
        ("[ **A**]", "A", "letter"),
        ("source  1", "Source 1", "worded"),
        ("sources 3", "Source 3", "worded"),
        ("Refs 2", "Reference 2", "worded"),
        ("EVID 2", "Evidence 2", "worded"),
        ("Evidence2", "Evidence 2", "worded"),
        ("GRANT1", "Grant 1", "worded"),
        ("IMP12", "IMP12", "prefixed"),
        ("3:1", "3.1", "dotted"),
        ("**5.1**", "5.1", "dotted"),
        ("5.1.13", "5.1.13", "dotted"),
        ("S1.ii", "S1ii", "prefixed"),
        ("a-ii", "aii", "letter"),
        ("(1)", "1", "number"),
        ("1.", "1", "number"),
        ("9b", "9b", "number"),
        ("iii", "iii", "roman"),
        ("e5A", "e5A", "other"),
    ],
)
def test_canonical_ids_and_their_shapes(raw, expected, kind):
    assert canonical(raw) == expected
    assert shape(expected) == kind


def test_the_parts_of_an_id():
    assert split_word("Source 3") == ("Source", "3")
    assert split_word("R3") == (None, "R3")
    assert number_key("Grant A") == "A"
    assert number_key("S3") == "S3"
    assert [
        parent(i) for i in ["E5a", "S1ii", "1a", "5.1c", "Aiii", "5.1.3", "C1.2", "R1", "ii"]
    ] == [
        "E5",
        "S1",
        "1",
        "5.1",
        "A",
        "5.1",
        "C1",
        None,
        None,
    ]
    assert [ordinal(i) for i in ["A", "B", "Aii", "c", "R1", "ii"]] == [
        "1",
        "2",
        "1ii",
        "3",
        None,
        None,
    ]
    assert (word_kind("outputs"), word_kind("Sources"), word_kind("grant")) == (
        "reference",
        "source",
        "grant",
    )
    assert [prefix_kind(p) for p in ("R", "G", "EV", "A")] == ["reference", "grant", "source", None]


def test_parse_marker_body_reads_whatever_the_lists():
    assert parse_marker_body("**R1**, p2; sources 3-4") == [
        Cite("R1", "p2"),
        Cite("Source 3"),
        Cite("Source 4"),
    ]
    assert parse_marker_body("the council") is None


# --- resolving a cite to the entry of the lists ------------------------------------------------


def entry(identifier: str, kind: EntryKind, part_of: str | None = None) -> RegisterEntry:
    return RegisterEntry(identifier, kind, identifier, 0, 0, 1, part_of)


BOTH_NUMBERED = [entry(n, "reference") for n in NUMBERED] + [
    entry(str(n), "source") for n in range(1, 11)
]


@pytest.mark.parametrize(
    ("cite", "section", "expected"),
    [
        (Cite("3"), "2", ("3", "reference")),  # both lists hold 3: section 2 cites references
        (Cite("3"), "3", ("3", "reference")),
        (Cite("3"), "4", ("3", "source")),
        (Cite("3"), "4.1", ("3", "source")),
        (Cite("3"), "1", ("3", "source")),
        (Cite("Source 3"), "2", ("3", "source")),  # the word decides before the section
        (Cite("Output 2"), "4", ("2", "reference")),
        (Cite("Reference 6"), "4", ("6", "reference")),
        (Cite("3.2"), "4", ("2", "reference")),  # "3.2": the second reference
        (Cite("5.4"), "2", ("4", "source")),
        (Cite("R4"), "4", ("4", "reference")),  # R4 of a list numbered 1, 2, 3
        (Cite("S3.2"), "2", ("2", "reference")),
        (Cite("B"), "4", ("2", "source")),  # B of a list lettered A, B, C in the text
        (Cite("B"), "2", ("2", "reference")),
        (Cite("Source B"), "2", ("2", "source")),
        (Cite("9"), "2", ("9", "source")),  # only the sources reach 9
        (Cite("12"), "4", None),
        (Cite("Grant 1"), "2", None),
    ],
)
def test_resolution_of_bare_numbers_by_word_then_section(cite, section, expected):
    found = resolve(BOTH_NUMBERED, cite, section)
    assert ((found.id, found.kind) if found else None) == expected


def test_resolution_by_exact_id_then_word_then_parent():
    entries = [
        entry("R1", "reference"),
        entry("S3", "source"),
        entry("E5", "source"),
        entry("Source 7", "source"),
        entry("Grant A", "grant"),
        entry("A", "source"),
        entry("4", "grant"),
    ]
    resolver = Resolver(entries)
    found = {
        written: (e.id, e.kind) if (e := resolver.resolve(Cite(canonical(written)), "4")) else None
        for written in [
            "**R1**",
            "source 3",
            "Source 7",
            "7",
            "E5a",
            "Grant A",
            "grants 4",
            "Aii",
            "R2",
        ]
    }
    assert found == {
        "**R1**": ("R1", "reference"),
        "source 3": ("S3", "source"),
        "Source 7": ("Source 7", "source"),
        "7": ("Source 7", "source"),
        "E5a": ("E5", "source"),
        "Grant A": ("Grant A", "grant"),
        "grants 4": ("4", "grant"),
        "Aii": ("A", "source"),
        "R2": None,
    }
    lettered = [entry(letter, "reference") for letter in "abc"] + [entry("3", "source")]
    assert resolve(lettered, Cite("3b"), "2") == lettered[1]  # section 3's b, not source 3's


def test_resolution_follows_the_template_s_sections():
    entries = [entry("2", "reference"), entry("2", "source")]
    other = Resolver(entries, reference_sections=("B",), list_kinds={"7": "source"})
    assert (other.resolve(Cite("7.2"), "B"), other.resolve(Cite("5.2"), "B")) == (entries[1], None)
    assert other.resolve(Cite("2"), "B") == entries[0]
    assert other.resolve(Cite("2"), "2") == entries[1]


def test_resolve_markers_sets_entry_and_kind_and_keeps_the_rest():
    markers = find_markers("The levy rose [3]. The board agreed [3, p2].", NUMBERED)
    resolved = resolve_markers(markers, BOTH_NUMBERED, lambda offset: "2" if offset < 18 else "4")
    assert [(c.source, c.pages, c.entry, c.kind) for m in resolved for c in m.ids] == [
        ("3", None, "3", "reference"),
        ("3", "p2", "3", "source"),
    ]
    assert [m.text for m in resolved] == [m.text for m in markers]


def test_parse_narrative_resolves_its_markers():
    text = narrative(
        research="The models were built [R1] with a trust's grant [G1].",
        refs="R1. Marsh, B. (2019) Slow rivers.\n\nResearch Funding\n\nG1. PI, B. Marsh, GBP5,000",
        details="The trust changed its plan [E1, p4] and its budget [E9].",
        sources="E1\tLetter from the trust\t\nE2\tMinutes\t",
    )
    parsed = parse_narrative(text, "case.md")
    assert [(c.source, c.pages, c.entry) for m in parsed.markers for c in m.ids] == [
        ("R1", None, "R1"),
        ("G1", None, "G1"),
        ("E1", "p4", "E1"),
        ("E9", None, None),  # an unknown marker stays unresolved
    ]
    assert [c.kind for m in parsed.markers for c in m.ids][:3] == ["reference", "grant", "source"]


# --- linear time -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        "[" * 100_000,
        "(" * 100_000,
        "<sup>" * 50_000,
        "[R1, " * 20_000,
        "(1) " * 20_000,
        "[" + "a" * 299 + "\n" + "b" * 299 + "[" * 10_000,
        ("x" * 299 + "(") * 2_000,
        "[" + "R1-" * 50_000 + "]",
        "[1]-" * 20_000,
        "3. References to the research\n" + " " * 100_000 + "x\n",
        "3. References to the research\n" + "** " * 50_000 + "x\n",
        "5. Sources to corroborate the impact\n" + "[ *" * 50_000 + "\n",
    ],
)
def test_hostile_input_is_read_in_linear_time(hostile):
    started = time.perf_counter()
    find_markers(hostile, NUMBERED + PREFIXED)
    assert time.perf_counter() - started < 10  # quadratic work would take minutes here
