"""The case study's own lists in every numbering case studies use, and the lines that are not
entries: headings, prose, notes, years, cross-references and numbered prose."""

from __future__ import annotations

import pytest

from hls_audit.narrative.register import RegisterEntry, register_entries

# Section 3's list starts on line 7, and section 5's right after TAIL.
HEAD = "1. Summary of the impact\n\nParks were saved.\n\n3. References to the research\n\n"
TAIL = "\n4. Details of the impact\n\nMoney moved.\n\n5. Sources to corroborate the impact\n\n"
# Only section 5: its list starts on line 7.
SOURCES_ONLY = (
    "1. Summary of the impact\n\nParks were saved.\n\n5. Sources to corroborate the impact\n\n"
)


def in_section_3(body: str, sources: str = "") -> str:
    return HEAD + body + TAIL + sources


def in_section_5(body: str) -> str:
    return SOURCES_ONLY + body


def rows(text: str) -> list[tuple[str, str, int, str | None]]:
    return [(e.id, e.kind, e.line, e.part_of) for e in register_entries(text)]


def refs(*ids: str, first: int = 7, step: int = 1) -> list[tuple[str, str, int, None]]:
    return [(i, "reference", first + n * step, None) for n, i in enumerate(ids)]


# --- numberings of section 3 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "labels,ids",
    [
        (("R1.", "R2.", "R3."), ("R1", "R2", "R3")),
        (("**R1**", "**R2**", "**R3**"), ("R1", "R2", "R3")),
        (("**R1.**", "**R2**.", "**R3.**"), ("R1", "R2", "R3")),
        (("[R1]", "[R2]", "[R3]"), ("R1", "R2", "R3")),
        (("**[R1]**", "[ **R2**]", "**[R3**]"), ("R1", "R2", "R3")),
        (("(R1)", "(R2)", "(R3)"), ("R1", "R2", "R3")),
        (("R1:", "R2:", "R3:"), ("R1", "R2", "R3")),
        (("R1 -", "R2 –", "R3 -"), ("R1", "R2", "R3")),
        (("R1", "R2", "R3"), ("R1", "R2", "R3")),  # the id, a space, the authors
        (("1.", "2.", "3."), ("1", "2", "3")),
        (("(1)", "(2)", "(3)"), ("1", "2", "3")),
        (("1)", "2)", "3)"), ("1", "2", "3")),
        (("[1]", "[2]", "[3]"), ("1", "2", "3")),
        (("**1.**", "**2**.", "**3.**"), ("1", "2", "3")),
        (("3.1", "3.2", "3.3"), ("3.1", "3.2", "3.3")),
        (("[3.1]", "[3.2]", "[3.3]"), ("3.1", "3.2", "3.3")),
        (("**3.1.**", "**3.2.**", "**3.3.**"), ("3.1", "3.2", "3.3")),
        (
            ("Reference 1", "Reference 2", "Reference 3"),
            ("Reference 1", "Reference 2", "Reference 3"),
        ),
        (("Output 1:", "Output 2:", "Output 3:"), ("Output 1", "Output 2", "Output 3")),
        (("PUB1", "PUB2", "PUB3"), ("PUB1", "PUB2", "PUB3")),
        (("[O1]", "[O2]", "[O3]"), ("O1", "O2", "O3")),
        (("a)", "b)", "c)"), ("a", "b", "c")),
        (("- 1.", "- 2.", "- 3."), ("1", "2", "3")),
        (("* [R1]", "* [R2]", "* [R3]"), ("R1", "R2", "R3")),
    ],
)
def test_references_in_each_numbering(labels, ids):
    body = "".join(
        f"{label} Fenwick, T. ({2015 + n}) A study of hedges, part {n + 1}.\n"
        for n, label in enumerate(labels)
    )
    entries = register_entries(in_section_3(body))
    assert [(e.id, e.kind, e.line, e.part_of) for e in entries] == refs(*ids)
    assert [e.written for e in entries] == [
        label.removeprefix("- ").removeprefix("* ") for label in labels
    ]


def test_references_one_paragraph_each_with_blank_lines_between():
    body = "**R1.** Fenwick, T. (2015) Hedges.\n\n**R2.** Fenwick, T. (2016) Ditches.\n\n"
    assert rows(in_section_3(body)) == refs("R1", "R2", step=2)


def test_a_table_of_references_and_one_of_sources():
    references = (
        "| R1 | Fenwick, T. (2015) Hedges. |\n| --- | --- |\n| R2 | Fenwick, T. (2016) Ditches. |\n"
    )
    sources = (
        "| Ref. | Source | Link to impact |\n|---|---|---|\n"
        "| 1 | Letter from the parish clerk | Shows the change |\n"
        "| 2 | Minutes of the county board | Shows the money |\n"
    )
    text = in_section_3(references, sources)
    assert rows(text) == [
        ("R1", "reference", 7, None),
        ("R2", "reference", 9, None),
        ("1", "source", 19, None),
        ("2", "source", 20, None),
    ]
    assert (
        register_entries(text)[2].text == "| 1 | Letter from the parish clerk | Shows the change |"
    )


def test_a_tab_after_the_id():
    text = in_section_5(
        "E1\tLetter from the mayor\tShows the budget\nE2\tAnnual report\tShows it\n"
    )
    assert rows(text) == [("E1", "source", 7, None), ("E2", "source", 8, None)]


# --- auto-numbered and unnumbered lists --------------------------------------------------------


def test_a_list_whose_items_all_read_1_is_numbered_by_position():
    body = (
        "1. Fenwick, T. (2015) Hedges.\n\n1. Fenwick, T. (2016) Ditches.\n\n"
        "1. Moss, A. (2017) Stiles.\n"
    )
    entries = register_entries(in_section_3(body))
    assert [(e.id, e.kind, e.line, e.written) for e in entries] == [
        ("1", "reference", 7, "1."),
        ("2", "reference", 9, "1."),
        ("3", "reference", 11, "1."),
    ]


def test_an_auto_numbered_list_goes_on_across_a_heading_of_the_same_kind():
    body = (
        "1. Fenwick, T. (2015) Hedges.\n\n**Other publications**\n\n"
        "1. Fenwick, T. (2016) Ditches.\n\n1. Moss, A. (2017) Stiles.\n"
    )
    assert rows(in_section_3(body)) == [
        ("1", "reference", 7, None),
        ("2", "reference", 11, None),
        ("3", "reference", 13, None),
    ]


def test_unnumbered_references_get_synthetic_ids():
    body = (
        "Fenwick, T. and Moss, A. (2015). Hedges in the lowlands. Field Journal 3, 1-9.\n\n"
        "Moss, A. (2018). Stiles and gates. Rural Review 7, 10-22.\n"
    )
    entries = register_entries(in_section_3(body))
    assert [(e.id, e.kind, e.line, e.written) for e in entries] == [
        ("reference-1", "reference", 7, ""),
        ("reference-2", "reference", 9, ""),
    ]


def test_unnumbered_sources_as_bullets_get_synthetic_ids():
    text = in_section_5("- Letter from the parish clerk\n- Minutes of the county board\n")
    assert rows(text) == [("source-1", "source", 7, None), ("source-2", "source", 8, None)]


def test_one_bullet_or_paragraph_alone_is_no_list():
    assert rows(in_section_5("- Letter from the parish clerk\n")) == []
    body = "R1. Fenwick, T. (2015) Hedges.\n\nAll outputs are available on request.\n"
    assert rows(in_section_3(body)) == refs("R1")


# --- grants ---------------------------------------------------------------------------------------


def test_g_lines_and_entries_under_a_funding_heading_are_grants():
    body = (
        "R1. Fenwick, T. (2015) Hedges.\n\nResearch Funding\n\n"
        "G1. PI, T. Fenwick, Hedgerow Trust, 2014-2016, GBP40,000\n"
        "G2. PI, A. Moss, Meadow Fund, 2016-2018, GBP12,000\n"
    )
    assert rows(in_section_3(body)) == [
        ("R1", "reference", 7, None),
        ("G1", "grant", 11, None),
        ("G2", "grant", 12, None),
    ]


def test_a_numbered_list_under_a_grants_heading_is_grants():
    body = (
        "[1] Fenwick, T. (2015) Hedges.\n[2] Moss, A. (2016) Ditches.\n\n**Grants:**\n\n"
        "[i] Hedgerow Trust, 2014-2016, GBP40,000\n[ii] Meadow Fund, 2016-2018, GBP12,000\n"
    )
    assert rows(in_section_3(body)) == [
        ("1", "reference", 7, None),
        ("2", "reference", 8, None),
        ("i", "grant", 12, None),
        ("ii", "grant", 13, None),
    ]


def test_worded_grants_one_a_line_and_inline():
    lines = "Grant 1: ESRC ES/X000000/1, £250,000\nGrant 2: AHRC AH/Y000000/1, £90,000\n"
    assert rows(in_section_3("R1. Fenwick, T. (2015) Hedges.\n\n" + lines)) == [
        ("R1", "reference", 7, None),
        ("Grant 1", "grant", 9, None),
        ("Grant 2", "grant", 10, None),
    ]
    inline = "Funding: Grant 1: ESRC ES/X000000/1, £250,000; Grant 2: AHRC AH/Y000000/1, £90,000.\n"
    entries = register_entries(in_section_3("R1. Fenwick, T. (2015) Hedges.\n\n" + inline))
    assert [(e.id, e.kind, e.line, e.text) for e in entries] == [
        ("R1", "reference", 7, "R1. Fenwick, T. (2015) Hedges."),
        ("Grant 1", "grant", 9, "Grant 1: ESRC ES/X000000/1, £250,000"),
        ("Grant 2", "grant", 9, "Grant 2: AHRC AH/Y000000/1, £90,000."),
    ]


def test_a_bullet_list_of_grants_after_a_lead_in():
    body = (
        "The work was funded by these grants:\n\n"
        "- Hedgerow Trust, 2014-2016, GBP40,000\n- Meadow Fund, 2016-2018, GBP12,000\n\n"
        "Both were awarded competitively.\n\n"
        "1. Fenwick, T. (2015) Hedges.\n2. Moss, A. (2016) Ditches.\n"
    )
    assert rows(in_section_3(body)) == [
        ("grant-1", "grant", 9, None),
        ("grant-2", "grant", 10, None),
        ("1", "reference", 14, None),
        ("2", "reference", 15, None),
    ]


def test_a_paragraph_stating_one_grant_under_a_funding_heading():
    body = (
        "R1. Fenwick, T. (2015) Hedges.\n\n**Funding**\n\n"
        "Hedgerow Trust, HT/A1234/1, PI: T. Fenwick, £40,000, 2014-2016.\n"
    )
    assert rows(in_section_3(body))[1:] == [("grant-1", "grant", 11, None)]
    prose = (
        "R1. Fenwick, T. (2015) Hedges.\n\n**Funding**\n\n"
        "The trust gave £40,000 and the fund £12,000 over six years.\n"
    )
    assert rows(in_section_3(prose)) == refs("R1")


# --- sources and their parts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "labels,ids",
    [
        (("Source 1:", "Source 2:", "Source 3:"), ("Source 1", "Source 2", "Source 3")),
        (
            ("**Evidence 1**:", "**Evidence 2**:", "**Evidence 3:**"),
            ("Evidence 1", "Evidence 2", "Evidence 3"),
        ),
        (("S1 -", "S2 -", "S3 -"), ("S1", "S2", "S3")),
        (("S1.", "S2.", "S3."), ("S1", "S2", "S3")),
        (("[A]", "[B]", "[C]"), ("A", "B", "C")),
        (("A.", "B.", "C."), ("A", "B", "C")),
        (("**[A]**", "**[B]**", "**[C]**"), ("A", "B", "C")),
        (("5.1", "5.2", "5.3"), ("5.1", "5.2", "5.3")),
        (("[5.1]", "[5.2]", "[5.3]"), ("5.1", "5.2", "5.3")),
        (("C1.", "C2.", "C3."), ("C1", "C2", "C3")),
        (("IMP1", "IMP2", "IMP3"), ("IMP1", "IMP2", "IMP3")),
        (("* [S1]", "* [S2]", "* [S3]"), ("S1", "S2", "S3")),
    ],
)
def test_sources_in_each_numbering(labels, ids):
    body = "".join(
        f"{label} Letter from the {name}\n"
        for label, name in zip(labels, ("mayor", "clerk", "warden"), strict=True)
    )
    assert rows(in_section_5(body)) == [(i, "source", 7 + n, None) for n, i in enumerate(ids)]


def test_a_numbered_sources_line_is_an_entry_not_a_sub_section():
    body = "5.1 Letter from the mayor\n5.2 Minutes of the council\n5.3 Letter from the warden\n"
    entries = register_entries(in_section_5(body))
    assert [(e.id, e.line, e.text) for e in entries] == [
        ("5.1", 7, "5.1 Letter from the mayor"),
        ("5.2", 8, "5.2 Minutes of the council"),
        ("5.3", 9, "5.3 Letter from the warden"),
    ]


def test_lettered_ids_are_parts_of_their_parent():
    body = (
        "**E1.** Letter from the mayor\n**E2a.** Parish minutes\n**E2b.** Parish accounts\n"
        "**E3.** Report\n"
    )
    assert rows(in_section_5(body)) == [
        ("E1", "source", 7, None),
        ("E2a", "source", 8, "E2"),
        ("E2b", "source", 9, "E2"),
        ("E3", "source", 10, None),
    ]
    numbered = "1a. Parish minutes\n1b. Parish accounts\n2. Letter from the mayor\n"
    assert rows(in_section_5(numbered)) == [
        ("1a", "source", 7, "1"),
        ("1b", "source", 8, "1"),
        ("2", "source", 9, None),
    ]


def test_parts_inside_a_line_share_its_span():
    entries = register_entries(in_section_5("E1\tLetter\nE2\ta) Parish minutes and b) Accounts\n"))
    assert [(e.id, e.line, e.part_of, e.written) for e in entries] == [
        ("E1", 7, None, "E1"),
        ("E2", 8, None, "E2"),
        ("E2a", 8, "E2", "a)"),
        ("E2b", 8, "E2", "b)"),
    ]
    assert entries[2].start == entries[1].start and entries[2].end == entries[1].end
    roman = "[S1] Press coverage: (i) a local paper; (ii) a radio piece\n[S2] A letter\n"
    assert rows(in_section_5(roman)) == [
        ("S1", "source", 7, None),
        ("S1i", "source", 7, "S1"),
        ("S1ii", "source", 7, "S1"),
        ("S2", "source", 8, None),
    ]


def test_parts_on_lines_of_their_own():
    body = (
        "**(A) Evidence of use in teaching**\n\n(i) Course pages\n\n(ii) Reading lists\n\n"
        "**(B) Evidence of use in practice**\n\n(i) A clinic's guidance\n"
    )
    entries = register_entries(in_section_5(body))
    assert [(e.id, e.line, e.part_of) for e in entries] == [
        ("A", 7, None),
        ("Ai", 9, "A"),
        ("Aii", 11, "A"),
        ("B", 13, None),
    ]
    assert entries[1].text == "(i) Course pages"


def test_numbered_sub_items_under_an_entry_are_its_parts():
    body = (
        "**E1.** Letter from the mayor\n**E2.** Parliamentary papers\n"
        "1. Committee report\n1. Written evidence\n**E3.** Board minutes\n"
    )
    assert rows(in_section_5(body)) == [
        ("E1", "source", 7, None),
        ("E2", "source", 8, None),
        ("E2a", "source", 9, "E2"),
        ("E2b", "source", 10, "E2"),
        ("E3", "source", 11, None),
    ]


def test_several_bracketed_ids_on_one_line():
    body = "**[C1]** A note from the agency **[C2]** A request for advice\n**[C3]** A leaflet\n"
    entries = register_entries(in_section_5(body))
    assert [(e.id, e.line, e.text) for e in entries] == [
        ("C1", 7, "**[C1]** A note from the agency"),
        ("C2", 7, "**[C2]** A request for advice"),
        ("C3", 8, "**[C3]** A leaflet"),
    ]


def test_a_no_break_space_after_the_number():
    body = "1. A letter\n2.\u202fA report\n3. A survey\n"
    assert [e.id for e in register_entries(in_section_5(body))] == ["1", "2", "3"]


# --- wrapped entries --------------------------------------------------------------------------


def test_a_wrapped_entry_is_one_entry_whose_text_spans_its_lines():
    body = (
        "1. Fenwick, T. and Moss, A. (2015) Hedges, ditches and the\n"
        "   walls between them. Field Journal 3, 1-9.\n\n"
        "   https://doi.org/10.0000/fj.3.1\n\n"
        "2. Moss, A. (2018) Stiles and gates.\n\n"
        "These outputs were peer reviewed.\n"
    )
    text = in_section_3(body)
    first, second = register_entries(text)
    assert (first.id, first.line, second.id, second.line) == ("1", 7, "2", 12)
    assert first.text == (
        "1. Fenwick, T. and Moss, A. (2015) Hedges, ditches and the walls between them. "
        "Field Journal 3, 1-9. https://doi.org/10.0000/fj.3.1"
    )
    assert text[first.start : first.end].endswith("fj.3.1")
    assert second.text == "2. Moss, A. (2018) Stiles and gates."  # the note is not its text


def test_lines_between_two_entries_belong_to_the_first():
    body = (
        "[3.1] Fenwick, T. (2015) Hedges.\nPublished with open data.\n"
        "[3.2] Moss, A. (2018) Stiles.\n"
    )
    first, second = register_entries(in_section_3(body))
    assert first.text == "[3.1] Fenwick, T. (2015) Hedges. Published with open data."
    assert second.line == 9


# --- lines that are not entries ---------------------------------------------------------------


def test_headings_notes_and_prose_in_the_lists_are_not_entries():
    body = (
        "*(Researchers of the unit in bold)*\n\n**Publications**\n\n"
        "R1. Fenwick, T. (2015) Hedges.\n\nR2. Moss, A. (2018) Stiles.\n\n"
        "All outputs are available on request.\n\n"
        "R1, R2 and R3 were peer reviewed.\n\n"
        "R2 shows the strongest results of the project.\n"
    )
    sources = "Sources held on file by the university:\n\nS1. Letter from the mayor\nS2. Report\n"
    assert rows(in_section_3(body, sources)) == [
        ("R1", "reference", 11, None),
        ("R2", "reference", 13, None),
        ("S1", "source", 29, None),
        ("S2", "source", 30, None),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "2019.",
        "2019. A year of change.",
        "10 councils took part in the pilot.",
        "A further study is under way.",
        "S1 and S2 show the change.",
        "1. The first step was a survey of hedges.",
        "(a) note on method",
        "i. see above",
        "[text removed for publication]",
        "[https://example.org/report](https://example.org/report)",
        "**Research outputs**",
        "Research Funding",
    ],
)
def test_a_stray_line_alone_is_no_entry(line):
    assert rows(in_section_3(line + "\n")) == []
    assert rows(in_section_5(line + "\n")) == []


def test_a_numbered_prose_list_in_another_section_is_not_read():
    text = (
        "1. Summary of the impact\n\nTwo things changed:\n1. budgets moved;\n2. paths opened.\n\n"
        "3. References to the research\n\nR1. Fenwick, T. (2015) Hedges.\n\n"
        "4. Details of the impact\n\nThe steps were:\n1. A survey.\n2. A plan.\n3. A vote.\n\n"
        "5. Sources to corroborate the impact\n\nE1. Letter from the mayor\n"
    )
    assert rows(text) == [("R1", "reference", 9, None), ("E1", "source", 20, None)]


def test_after_a_prizes_heading_a_new_numbered_list_is_not_read():
    body = (
        "a) Fenwick, T. (2015) Hedges.\nb) Moss, A. (2018) Stiles.\n\n**Research grants:**\n\n"
        "1. GBP40,000 Hedgerow Trust, 2014-2016.\n2. GBP12,000 Meadow Fund, 2016.\n\n"
        "**Prizes:**\n\n1. 2017 county award for hedges.\n2. 2019 national medal.\n"
    )
    assert rows(in_section_3(body)) == [
        ("a", "reference", 7, None),
        ("b", "reference", 8, None),
        ("1", "grant", 12, None),
        ("2", "grant", 13, None),
    ]


def test_cross_references_inside_entries_are_not_entries():
    body = (
        "**5.1.** Letter from the clerk, on the new code\n(4.1), and on its reach\n(4.3)\n"
        "**5.2.** Minutes of the board; see also [5.1]\n"
    )
    entries = register_entries(in_section_5(body))
    assert [(e.id, e.line) for e in entries] == [("5.1", 7), ("5.2", 10)]
    assert (
        entries[0].text
        == "**5.1.** Letter from the clerk, on the new code (4.1), and on its reach (4.3)"
    )
    later = (
        "[R1] Fenwick, T. (2015) Hedges.\n[R2] Moss, A. (2018) Stiles, building on [R1] and more.\n"
    )
    assert [e.id for e in register_entries(in_section_3(later))] == ["R1", "R2"]


def test_a_list_that_does_not_start_at_one_is_not_read():
    assert rows(in_section_5("E4. A letter\nE5. A report\n")) == []


def test_a_lone_plain_number_is_no_list_but_a_lone_lettered_id_is():
    assert rows(in_section_3("1. Fenwick, T. (2015) Hedges.\n")) == []
    assert rows(in_section_3("R1. Fenwick, T. (2015) Hedges.\n")) == refs("R1")
    body = "R1. Fenwick, T. (2015) Hedges.\n\n**Key grant**\n\n**[G1]** Hedgerow Trust, GBP40,000\n"
    assert rows(in_section_3(body)) == [("R1", "reference", 7, None), ("G1", "grant", 11, None)]


def test_without_a_references_heading_only_lettered_ids_are_read():
    text = (
        "1. Summary of the impact\n\nSaved.\n\nReading list for the project\n\n"
        "1. A book.\n2. Another book.\n"
        "R1. Fenwick, T. (2015) Hedges.\nR2. Moss, A. (2018) Stiles.\n\n"
        "4. Details of the impact\n\nMoved.\n"
    )
    assert rows(text) == [("R1", "reference", 9, None), ("R2", "reference", 10, None)]


def test_a_later_heading_the_sections_missed_ends_the_list():
    text = in_section_3(
        "R1. Fenwick, T. (2015) Hedges.\n\n**4. Details of Impact**\n\n(a) A council moved.\n"
    )
    assert [(e.id, e.text) for e in register_entries(text)] == [
        ("R1", "R1. Fenwick, T. (2015) Hedges.")
    ]


# --- the shape of the result ------------------------------------------------------------------


def test_entries_carry_their_id_as_written_and_their_span():
    text = in_section_5("**Source 1**: Letter from the mayor\n**Source 2**: Minutes\n")
    first = register_entries(text)[0]
    assert first == RegisterEntry(
        "Source 1",
        "source",
        "**Source 1**: Letter from the mayor",
        text.index("**Source 1**"),
        text.index("\n**Source 2**"),
        7,
        None,
        "**Source 1**:",
    )


@pytest.mark.parametrize(
    "line",
    [
        "*" + " " * 100_000 + "!",
        "** " * 30_000 + "!",
        "[" + " " * 50_000 + "**" + " " * 50_000 + "!",
        "<ins>" * 20_000 + "!",
        "R1. " + "a) b. (iii) " * 20_000,
        "|" + " ---|" * 20_000 + "x",
        "**[C1]** " + "**[C2]** x " * 10_000,
        "x: " + "; Grant 1: y" * 10_000,
        "E1" + "\t" * 100_000 + "x",
    ],
)
def test_long_hostile_lines_are_read_in_linear_time(line):
    register_entries(in_section_3(line + "\n", line + "\n"))


def test_without_a_sources_heading_worded_and_section_numbered_ids_are_read():
    text = (
        "1. Summary of the impact\n\nSaved.\n\n4. Details of the impact\n\nMoved.\n\n"
        "Corroborating sources\n\nSource 1: Letter from the mayor\nSource 2: Minutes\n"
        "5.1 Letter from the warden\n5.2 Board papers\n- a note\n- another note\n"
    )
    assert rows(text) == [
        ("Source 1", "source", 11, None),
        ("Source 2", "source", 12, None),
        ("5.1", "source", 13, None),
        ("5.2", "source", 14, None),
    ]


def test_a_numbered_list_of_findings_after_the_references_is_not_read():
    body = (
        "R1. Fenwick, T. (2015) Hedges.\nR2. Moss, A. (2018) Stiles.\n\n"
        "The main findings of the programme were:\n\n1. Budgets moved.\n2. Paths opened.\n"
    )
    assert rows(in_section_3(body)) == refs("R1", "R2")
