"""The narrative parser: sections, money figures, citation markers, register entries, sentences."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from hls_audit.core.money import Qualifier
from hls_audit.narrative.header import header_fields, staff_rows
from hls_audit.narrative.markers import Cite, find_markers, parse_marker_body
from hls_audit.narrative.money import find_money
from hls_audit.narrative.register import register_entries
from hls_audit.narrative.sections import find_sections, section_at, word_count
from hls_audit.narrative.sentences import paragraph_span, sentence_span, sentence_spans
from tests.conftest import ORIGINAL_TEXT

D = Decimal

# A small invented case study in the REF3 layout: plain-text headings, tab-separated tables.
CASE = """\
Institution: University of Wendlebury

Unit of Assessment: 17 (Business and Management Studies)

Title of case study: Gardening budgets for kinder councils

Period when the underpinning research was undertaken: 2016 - 2019
Details of staff conducting the underpinning research from the submitting unit:
Name(s):\tRole(s) (e.g. job title):\tPeriod(s) employed by
Ada Quill\tReader\t01/09/2015 - Present
Ben Marsh\tLecturer\t01/01/2017 - 31/12/2019

Period when the claimed impact occurred: 2018 - 2020

1. Summary of the impact (indicative maximum 100 words)

Wendlebury's research changed how two councils budget. More than GBP12,000,000 now follows it.

2. Underpinning research (indicative maximum 500 words)

The team studied allotment budgets in three towns [R1, R2] with money from two funders [G1-G2].

3. References to the research (indicative maximum of six references)

R1. Quill, A. (2017) 'Budgets that grow' Journal of Civic Plots 4 (1) 1-20.
R2. Quill, A. and Marsh, B. (2018) 'Seeds of trust' Allotment Review 9 (2) 30-41.
R3. Marsh, B. (2019) 'A note on compost' Working paper.

Research Funding

G1. PI, Ada Quill, Hedgerow Trust, Jan 2016 - Dec 2017, GBP45,500
G2. PI, Ben Marsh, Meadow Fund, Mar 2018 - Feb 2019, GBP12,250.50

4. Details of the impact (indicative maximum 750 words)

4.1 Kinder budgets in Brambleford

Brambleford Council (90,000 population, annual spend GBP310 million) moved GBP12,000,000 of
its parks budget to the new method [E1]. Its clerk said 'we stopped counting sheds' [**E2**, p4].
The council now saves about GBP400,000 per year [E1; E3, p12-13].

4.2 Charitable money

The Hedgerow Trust gives away GBP2,000,000 annually and put hundreds of thousands of pounds into
pilots [**E4a**, p2; **E4b**, p7].

5. Sources to corroborate the impact (indicative maximum of 10 references)
Ref.\tExternal Source of Corroboration\tLink to Impact
E1\tTestimonial - Treasurer, Brambleford Council\tEvidence of the GBP12,000,000 move
E2\tMeeting transcript\tEvidence of changed practice
E3\tAudit report\tEvidence of savings
E4\ta) Annual review and b) Board minutes\tEvidence of charitable spending
"""


def _values(text: str) -> list[tuple[Decimal | None, str, Qualifier, str | None]]:
    return [(m.value, m.currency, m.qualifier, m.per) for m in find_money(text)]


# --- sections ---------------------------------------------------------------------------------


def test_sections_of_a_plain_case_study():
    sections = find_sections(CASE)
    assert [s.number for s in sections] == ["A", "1", "2", "3", "4", "4.1", "4.2", "5"]
    by_number = {s.number: s for s in sections}
    assert by_number["1"].title == "Summary of the impact"
    assert by_number["4.1"].title == "Kinder budgets in Brambleford"
    assert by_number["3"].start_line == CASE[: by_number["3"].start].count("\n") + 1
    assert CASE[by_number["5"].start :].startswith("5. Sources to corroborate")
    assert by_number["4"].end == by_number["5"].start == by_number["4.2"].end
    assert by_number["A"].start == 0 and by_number["A"].end == by_number["1"].start
    assert section_at(sections, CASE.index("Brambleford Council")) == "4.1"
    assert section_at(sections, CASE.index("4. Details")) == "4"
    assert section_at(sections, CASE.index("Wendlebury's")) == "1"
    assert section_at(sections, CASE.index("Gardening")) == "A"
    assert section_at([], 5) == ""


def test_sections_in_markdown_with_bold_spaces_suffixes_and_a_wrapped_title():
    text = (
        "# An impact case study\n\n"
        "## 1. Summary of the impact\n\nA short summary.\n\n"
        "**2.  Underpinning   research** *(indicative maximum 500 words)*\n\nResearch.\n\n"
        "### 3. References to the research (indicative maximum of six references)\n\nR1. A.\n\n"
        "## 4. Details of the\nimpact\n\n### 4.1 Parks in Oakham\n\nText.\n\n"
        "#### **4.2** Libraries in Elmstead\n\nMore text.\n\n"
        "## 5. Sources to corroborate the impact\n\nE1\tA letter\n"
    )
    sections = find_sections(text)
    assert [(s.number, s.title) for s in sections] == [
        ("A", "Section A"),
        ("1", "Summary of the impact"),
        ("2", "Underpinning research"),
        ("3", "References to the research"),
        ("4", "Details of the impact"),
        ("4.1", "Parks in Oakham"),
        ("4.2", "Libraries in Elmstead"),
        ("5", "Sources to corroborate the impact"),
    ]
    assert [s.start_line for s in sections[1:]] == [3, 7, 11, 15, 18, 22, 26]
    assert sections[4].level == 1 and sections[5].level == 2


def test_prose_that_mentions_a_section_title_is_not_a_heading():
    text = (
        "1. Summary of the impact\n\nWe describe the 2. underpinning research below.\n"
        "4.1 million people live there.\n1. Summary of the impact\n"
    )
    assert [s.number for s in find_sections(text)] == ["1"]


def test_word_count_ignores_markup_and_lone_punctuation():
    assert word_count("The council **saved** GBP5m – a lot [E1, p9].") == 8
    assert word_count("") == 0


def test_header_fields_and_staff_table():
    fields = {f.key: f.value for f in header_fields(CASE)}
    assert fields["institution"] == "University of Wendlebury"
    assert fields["unit"] == "17 (Business and Management Studies)"
    assert fields["title"] == "Gardening budgets for kinder councils"
    assert fields["research_period"] == "2016 - 2019"
    assert fields["impact_period"] == "2018 - 2020"
    rows = staff_rows(CASE)
    assert [(r.name, r.role, r.period) for r in rows] == [
        ("Ada Quill", "Reader", "01/09/2015 - Present"),
        ("Ben Marsh", "Lecturer", "01/01/2017 - 31/12/2019"),
    ]
    assert rows[0].line == 10


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "words", "value", "currency"),
    [
        ("Ashby Council moved GBP169,000,000 to it.", "GBP169,000,000", D("169000000"), "GBP"),
        ("Its budget is GBP600 million.", "GBP600 million", D("600000000"), "GBP"),
        ("The board approved GBP 7.7 million.", "GBP 7.7 million", D("7700000"), "GBP"),
        ("A grant of £1.5m arrived.", "£1.5m", D("1500000"), "GBP"),
        ("A contract of £675k was let.", "£675k", D("675000"), "GBP"),
        ("The fund holds £7.7 million.", "£7.7 million", D("7700000"), "GBP"),
        ("The award was GBP88,194.45 in total.", "GBP88,194.45", D("88194.45"), "GBP"),
        ("The region borrowed 1.2bn for roads.", "1.2bn", D("1200000000"), "GBP"),
        ("The region borrowed £1.2bn for roads.", "£1.2bn", D("1200000000"), "GBP"),
        ("A partner gave USD 5m to it.", "USD 5m", D("5000000"), "USD"),
        ("A partner gave €3m to it.", "€3m", D("3000000"), "EUR"),
        ("A partner gave $2.5 million to it.", "$2.5 million", D("2500000"), "USD"),
        ("A partner gave US$2m to it.", "US$2m", D("2000000"), "USD"),
        ("The charity spent 3 million pounds.", "3 million pounds", D("3000000"), "GBP"),
        ("The charity spent 4,000 GBP.", "4,000 GBP", D("4000"), "GBP"),
        ("The charity spent £2 thousand.", "£2 thousand", D("2000"), "GBP"),
        ("The charity spent £5M.", "£5M", D("5000000"), "GBP"),
    ],
)
def test_money_forms(sentence, words, value, currency):
    (mention,) = find_money(sentence)
    assert mention.text == words
    assert mention.value == value and isinstance(mention.value, Decimal)
    assert mention.currency == currency
    assert mention.qualifier is Qualifier.exact
    assert mention.per is None and not mention.unquantified
    assert sentence[mention.start : mention.end] == words
    assert (mention.line, mention.column) == (1, sentence.index(words) + 1)
    assert mention.sentence == sentence


def test_money_values_are_exact_decimals_never_floats():
    (mention,) = find_money("The pilot cost GBP 7.7 million.")
    assert mention.value == Decimal("7.7") * 10**6
    assert str(mention.value) == "7700000"
    (pence,) = find_money("It paid £0.10 each.")
    assert str(pence.value) == "0.10"


@pytest.mark.parametrize(
    ("words", "qualifier"),
    [
        ("over", Qualifier.more_than),
        ("more than", Qualifier.more_than),
        ("More than", Qualifier.more_than),
        ("in excess of", Qualifier.more_than),
        ("at least", Qualifier.at_least),
        ("~", Qualifier.about),
        ("around", Qualifier.about),
        ("about", Qualifier.about),
        ("approximately", Qualifier.about),
        ("c.", Qualifier.about),
        ("circa", Qualifier.about),
        ("nearly", Qualifier.up_to),
        ("almost", Qualifier.up_to),
        ("up to", Qualifier.up_to),
        ("under", Qualifier.up_to),
        ("less than", Qualifier.up_to),
    ],
)
def test_qualifiers_immediately_before_a_figure(words, qualifier):
    joiner = "" if words == "~" else " "
    sentence = f"Larkfield Trust gave {words}{joiner}GBP4,500,000 to the scheme."
    (mention,) = find_money(sentence)
    assert mention.qualifier is qualifier
    assert mention.text == f"{words}{joiner}GBP4,500,000"
    assert mention.value == D("4500000")
    assert mention.column == sentence.index(words) + 1


def test_qualifier_forms_without_a_space():
    assert [m.text for m in find_money("It gave c.£17m and ~ £2m and ca. £3m.")] == [
        "c.£17m",
        "~ £2m",
        "ca. £3m",
    ]
    assert {m.qualifier for m in find_money("It gave c.£17m and ~ £2m and ca. £3m.")} == {
        Qualifier.about
    }


def test_a_qualifier_must_be_immediately_before_the_figure():
    (mention,) = find_money("The scheme ran over a decade with a budget of GBP5,000,000.")
    assert mention.qualifier is Qualifier.exact and mention.text == "GBP5,000,000"
    (moreover,) = find_money("Moreover £5m was found; etc. £2m")[:1]
    assert moreover.qualifier is Qualifier.exact


@pytest.mark.parametrize(
    "words",
    [
        "tens of millions of pounds",
        "millions of pounds",
        "hundreds of thousands of pounds",
        "several million pounds",
        "many millions of pounds",
        "a few million pounds",
        "tens of thousands of pounds",
    ],
)
def test_unquantified_amounts(words):
    sentence = f"Hollin Council expects to save {words} over time."
    (mention,) = find_money(sentence)
    assert mention.text == words
    assert mention.unquantified and mention.value is None
    assert mention.currency == "GBP"


@pytest.mark.parametrize(
    ("sentence", "per"),
    [
        ("Thornby Council (80,000 population, annual spend GBP150 million) agreed.", "year"),
        ("The trust invests GBP3,000,000 annually in grants.", "year"),
        ("It saves over GBP250,000 per year with no loss of service.", "year"),
        ("The project costs £2m a year to run.", "year"),
        ("The project costs £2m per annum.", "year"),
        ("Its annual budget of £40m was redrawn.", "year"),
        ("Rent is £10k per month.", "month"),
        ("A ten-year budget of GBP50,000,000 was created.", None),
        ("The annual report showed £3m of reserves.", None),
        ("In a good year, £2m, and in a bad one £1m.", None),
    ],
)
def test_per_year_markers(sentence, per):
    (mention, *_) = find_money(sentence)
    assert mention.per == per


def test_a_per_year_marker_belongs_to_its_own_clause():
    mentions = find_money("Oakham has an annual spend of £90m, and it set aside £4m for parks.")
    assert [(m.value, m.per) for m in mentions] == [(D("90000000"), "year"), (D("4000000"), None)]


def test_ranges_give_a_lower_and_an_upper_figure():
    mentions = find_money("The fund is worth £5-10m, or GBP2m–GBP3m.")
    assert [(m.text, m.value, m.qualifier) for m in mentions] == [
        ("£5-10m", D("5000000"), Qualifier.at_least),
        ("£5-10m", D("10000000"), Qualifier.up_to),
        ("GBP2m–GBP3m", D("2000000"), Qualifier.at_least),
        ("GBP2m–GBP3m", D("3000000"), Qualifier.up_to),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "In 2019 the council met 14 times.",
        "Waiting times fell by 45% and by ~50%.",
        "See page 9 and p12, pp. 30-31.",
        "The district (260,000 population) joined in 2018.",
        "Grant 2019-1234 and award number 88194 funded the work.",
        "It serves 1.5 million patients every year and 300 groups.",
        "In 2020-21 around 70% of cases improved; 5m of cable was laid.",
        "The 1.2 billion people figure is global.",
        "Rooms E5 and R1.2 were booked.",
        "He lost 5 kg.",
    ],
)
def test_things_that_are_not_money(sentence):
    assert find_money(sentence) == []


def test_a_year_after_the_currency_code_is_not_read_as_its_amount():
    assert _values("In 2019 GBP5m went out.") == [(D("5000000"), "GBP", Qualifier.exact, None)]


def test_money_in_the_invented_case_study():
    found = [(m.value, m.qualifier, m.per, m.line) for m in find_money(CASE)]
    assert found == [
        (D("12000000"), Qualifier.more_than, None, 17),
        (D("45500"), Qualifier.exact, None, 31),
        (D("12250.50"), Qualifier.exact, None, 32),
        (D("310000000"), Qualifier.exact, "year", 38),
        (D("12000000"), Qualifier.exact, None, 38),
        (D("400000"), Qualifier.about, "year", 40),
        (D("2000000"), Qualifier.exact, "year", 44),
        (None, Qualifier.exact, None, 44),  # "and" ends the clause "annually" belongs to
        (D("12000000"), Qualifier.exact, None, 49),
    ]


# --- markers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "cites"),
    [
        ("[E1]", [("E1", None)]),
        ("[**E2**, p9]", [("E2", "p9")]),
        ("[E3; E4, p70]", [("E3", None), ("E4", "p70")]),
        ("[**E5a**, p1; **E5b**, p1]", [("E5a", "p1"), ("E5b", "p1")]),
        ("[G1-G3]", [("G1", None), ("G2", None), ("G3", None)]),
        ("[**G1–G3**]", [("G1", None), ("G2", None), ("G3", None)]),
        ("[R1, R2]", [("R1", None), ("R2", None)]),
        ("[**R1**, **R2**]", [("R1", None), ("R2", None)]),
        ("[E2, p2-3]", [("E2", "p2-3")]),
        ("[E2, pp. 2-3]", [("E2", "p2-3")]),
        ("[E2, pp2–3]", [("E2", "p2-3")]),
        ("[*E6*, _p4_]", [("E6", "p4")]),
        ("[ E7 ,  p 12 ]", [("E7", "p12")]),
        ("[E8 p5]", [("E8", "p5")]),
        ("[E9, p2, 5]", [("E9", "p2, p5")]),
        ("[E1-3]", [("E1", None), ("E2", None), ("E3", None)]),
        ("[E5a-c]", [("E5a", None), ("E5b", None), ("E5c", None)]),
        ("\\[E10\\]", [("E10", None)]),
        ("[E1, 9]", [("E1", None)]),  # 9 is no page (no "p") and no listed id: E1 is still read
    ],
)
def test_marker_forms(marker, cites):
    sentence = f"Dunmere Council agreed {marker}. Then it paid."
    (found,) = find_markers(sentence)
    assert found.text == marker
    assert [(c.source, c.pages) for c in found.ids] == cites
    assert sentence[found.start : found.end] == marker
    assert (found.line, found.column) == (1, sentence.index(marker) + 1)


@pytest.mark.parametrize(
    "bracket", ["[sic]", "[Also R1]", "[1]", "[E3-E1]", "[see below]", "[e1]", "[]"]
)
def test_brackets_that_are_not_markers(bracket):
    assert find_markers(f"The mayor spoke {bracket} at length.") == []


def test_marker_body_parsing():
    assert parse_marker_body("**E5a**, p1; **E5b**, p1") == [Cite("E5a", "p1"), Cite("E5b", "p1")]
    assert parse_marker_body("words") is None


def test_markers_and_register_of_the_invented_case_study():
    cited = [(c.source, c.pages) for m in find_markers(CASE) for c in m.ids]
    assert cited == [
        ("R1", None),
        ("R2", None),
        ("G1", None),
        ("G2", None),
        ("E1", None),
        ("E2", "p4"),
        ("E1", None),
        ("E3", "p12-13"),
        ("E4a", "p2"),
        ("E4b", "p7"),
    ]
    entries = register_entries(CASE)
    assert [(e.id, e.kind, e.line, e.part_of) for e in entries] == [
        ("R1", "reference", 25, None),
        ("R2", "reference", 26, None),
        ("R3", "reference", 27, None),
        ("G1", "grant", 31, None),
        ("G2", "grant", 32, None),
        ("E1", "source", 49, None),
        ("E2", "source", 50, None),
        ("E3", "source", 51, None),
        ("E4", "source", 52, None),
        ("E4a", "source", 52, "E4"),
        ("E4b", "source", 52, "E4"),
    ]
    assert entries[0].text.startswith("R1. Quill")


def test_register_in_markdown_lists_and_tables():
    text = (
        "## 3. References to the research\n\n- **R1.** A paper.\n- **R2.** Another.\n\n"
        "**Grants**\n\n- G1. A grant, £5,000\n\n"
        "## 5. Sources to corroborate the impact\n\n| Ref | Source |\n|---|---|\n"
        "| E1 | A letter |\n| E2a | A report, part one |\n"
    )
    assert [(e.id, e.kind, e.part_of) for e in register_entries(text)] == [
        ("R1", "reference", None),
        ("R2", "reference", None),
        ("G1", "grant", None),
        ("E1", "source", None),
        ("E2a", "source", "E2"),
    ]


# --- sentences and paragraphs -----------------------------------------------------------------


def test_sentences_survive_abbreviations_decimals_and_pages():
    text = (
        "Dr. Penn spent c. GBP5m, e.g. on paths. It was 7.7 per cent on p9. Done!  "
        "See pp. 2-3 of Hale H. and Moss J. for more [E1]. Next."
    )
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Dr. Penn spent c. GBP5m, e.g. on paths.",
        "It was 7.7 per cent on p9.",
        "Done!",
        "See pp. 2-3 of Hale H. and Moss J. for more [E1].",
        "Next.",
    ]
    start, end = sentence_span(text, text.index("GBP5m"))
    assert text[start:end].startswith("Dr. Penn")
    assert sentence_span(text, text.index("Done!") + 6) == (
        text.index("Done!") + 6,
        text.index("Done!") + 6,
    )


def test_paragraphs_split_on_blank_lines_rows_and_headings_but_not_page_breaks():
    text = (
        "First paragraph runs on\nacross a line. It ends here.\n\n"
        "Second paragraph stops at a page break in the middle of\n\n\n\n"
        "a sentence and goes on.\n\n4.1 A heading\nE1\tA row\nE2\tAnother row\n"
    )
    first = paragraph_span(text, text.index("across"))
    assert text[first[0] : first[1]] == "First paragraph runs on\nacross a line. It ends here."
    second = paragraph_span(text, text.index("goes on"))
    assert text[second[0] : second[1]].startswith("Second paragraph")
    assert text[second[0] : second[1]].endswith("goes on.")
    row = paragraph_span(text, text.index("Another"))
    assert text[row[0] : row[1]] == "E2\tAnother row"
    heading = paragraph_span(text, text.index("A heading"))
    assert text[heading[0] : heading[1]] == "4.1 A heading"


def test_a_mention_carries_its_sentence():
    (mention,) = find_money("Kelby grew. Its trust gave over £3m to parks. It rained.")
    assert mention.sentence == "Its trust gave over £3m to parks."


# --- the original case study text -----------------------------------------------------------------


@pytest.fixture
def original() -> str:
    if not ORIGINAL_TEXT.is_file():
        pytest.skip(f"{ORIGINAL_TEXT} is absent")
    return ORIGINAL_TEXT.read_text(encoding="utf-8")


def test_the_original_case_study_text(original):
    sections = find_sections(original)
    top = [s.number for s in sections if s.number in {"1", "2", "3", "4", "5"}]
    assert top == ["1", "2", "3", "4", "5"]
    assert [s.start for s in sections] == sorted(s.start for s in sections)
    assert {"4.1", "4.2"} <= {s.number for s in sections}

    money = find_money(original)
    quantified = Counter((m.value, m.qualifier, m.per) for m in money if not m.unquantified)
    mt, ex, ab = Qualifier.more_than, Qualifier.exact, Qualifier.about
    assert quantified == Counter(
        {
            (D("169000000"), mt, None): 2,
            (D("600000000"), ex, "year"): 1,
            (D("77000000"), ex, None): 2,  # the budget, and again in the sources table
            (D("750000"), mt, "year"): 1,
            (D("200000000"), ex, "year"): 1,
            (D("1500000"), ex, None): 1,
            (D("60000000"), mt, None): 1,
            (D("7700000"), ex, None): 1,
            (D("675000"), ex, None): 1,
            (D("5000000"), ex, "year"): 1,
            (D("5000000"), ex, None): 1,
            (D("1000000"), ex, None): 1,
            (D("18000000"), ab, None): 1,
            (D("88194.45"), ex, None): 1,
            (D("266201"), ex, None): 1,
            (D("146168"), ex, None): 1,
        }
    )
    assert sorted(m.text for m in money if m.unquantified) == [
        "millions of pounds",
        "tens of millions of pounds",
    ]
    assert all(m.currency == "GBP" for m in money)
    assert all(original[m.start : m.end] == m.text for m in money)

    markers = find_markers(original)
    cited = {(c.source, c.pages) for m in markers for c in m.ids}
    assert {
        ("E5a", "p1"),
        ("E5b", "p1"),
        ("E4", "p70"),
        ("E8", "p140"),
        ("E9", "p67"),
        ("E9", "p9"),
        ("E2", "p2-3"),
    } <= cited
    ranges = [m for m in markers if "G1-G3" in m.text]
    assert ranges and [c.source for c in ranges[0].ids] == ["G1", "G2", "G3"]

    register = [e.id for e in register_entries(original)]
    expected = [f"R{n}" for n in range(1, 7)] + ["G1", "G2", "G3"]
    expected += [f"E{n}" for n in range(1, 5)] + ["E5", "E5a", "E5b"]
    expected += [f"E{n}" for n in range(6, 11)]
    assert register == expected
    assert "R6" not in {c.source for m in markers for c in m.ids}
