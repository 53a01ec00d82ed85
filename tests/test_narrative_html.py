"""An HTML narrative keeps its paragraphs, its lists and its superscript citations."""

from __future__ import annotations

from hls_audit.narrative.analysis import parse_narrative
from hls_audit.narrative.layout import extract_narrative

PAGE = """\
<!doctype html>
<html><head><title>Case study</title><style>p { margin: 0 }</style></head>
<body>
<h2>1. Summary of the impact</h2>
<p>More than £5m of council money now
follows the approach.</p>
<h2>2. Underpinning research</h2>
<p>The team built a way of commissioning that learns as it goes.<sup>1,2</sup></p>
<h2>3. References to the research</h2>
<ol><li>1. A. Researcher (2019) The first article.</li>
<li>2. A. Researcher (2020) The second article.</li></ol>
<h2>4. Details of the impact</h2>
<p>A council moved a £5m budget to the approach in 2019.<sup>1</sup> The trust
board followed a year later.<sup>2</sup></p>
<h2>5. Sources to corroborate the impact</h2>
<table><tr><th>Ref.</th><th>Source</th></tr>
<tr><td>1</td><td>Letter from the council's director</td></tr>
<tr><td>2</td><td>Minutes of the trust board</td></tr></table>
<script>document.write("£9m [E9]")</script>
</body></html>
"""


def _narrative():
    read = extract_narrative(PAGE.encode(), "case.html")
    assert read.error is None
    return parse_narrative("\n\n".join(read.pages), "case.html")


def test_paragraphs_and_sections_survive_and_wraps_are_spaces():
    narrative = _narrative()
    assert [s.number for s in narrative.section_list] == ["1", "2", "3", "4", "5"]
    assert "More than £5m of council money now follows the approach." in narrative.sections["1"]
    assert [m.value for m in narrative.money] == [5_000_000, 5_000_000]


def test_superscript_citations_are_read_and_resolved():
    narrative = _narrative()
    cited = [[(c.source, c.kind) for c in m.ids] for m in narrative.markers]
    assert cited == [
        [("1", "reference"), ("2", "reference")],  # in section 2: the references
        [("1", "source")],  # in section 4: the sources
        [("2", "source")],
    ]
    assert [(e.id, e.kind) for e in narrative.register] == [
        ("1", "reference"), ("2", "reference"), ("1", "source"), ("2", "source")
    ]  # fmt: skip


def test_scripts_and_styles_are_not_text():
    text = extract_narrative(PAGE.encode(), "case.html").pages[0]
    assert "£9m" not in text and "margin" not in text and "Case study" not in text
